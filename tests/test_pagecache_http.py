"""
What the page cache tells browsers and a CDN in front (Cache-Control, ETag,
Last-Modified, 304 Not Modified), whom it never serves a shared copy, and
how it fails soft when Redis cannot be reached.
"""

import datetime
import socket

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from articles import workflow
from articles.pagecache import versions
from articles.models import PreviewLink
from tests.factories import (
    article_form_data,
    make_article,
    make_author,
    make_place,
    make_section,
    warm,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]


@pytest.fixture
def story(desk):
    story = make_article(
        headline="Harvest record in Kuban",
        place=make_place(slug="krasnodar"),
        section=make_section(slug="economy"),
        tags=["harvest"],
        authors=[make_author(slug="ivanova")],
    )
    desk(workflow.publish, story, at=timezone.now() - datetime.timedelta(minutes=5))
    return story


def public_urls(story):
    day = timezone.localdate(story.published_at)
    owners = ["/datelines/krasnodar/", "/sections/economy/", "/tags/harvest/", "/authors/ivanova/"]
    return [
        "/", "/news/", f"{day:/%Y/}", f"{day:/%Y/%m/}", f"{day:/%Y/%m/%d/}",
        story.get_absolute_url(), "/datelines/", "/corrections/", *owners,
        "/feeds/rss/", "/feeds/atom/", *(f"{o}feed/{kind}/" for o in owners for kind in ("rss", "atom")),
        "/sitemap.xml", "/sitemap-news.xml", "/sitemap-pages.xml", "/sitemap-sections.xml",
        f"/sitemap-{day:%Y-%m}.xml", "/api/ninjs/items/", f"/api/ninjs/items/{story.pk}/",
    ]  # fmt: skip


def test_every_public_page_tells_a_cdn_how_long_to_keep_it(client, story):
    for url in public_urls(story):
        response = client.get(url)
        assert response.status_code == 200, url
        control = response["Cache-Control"]
        assert "public" in control and "s-maxage=1" in control, url
        assert "stale-while-revalidate=1" in control, url
        assert response["ETag"].startswith('"') and response["Last-Modified"], url


def test_a_reader_with_the_current_copy_gets_not_modified(client, story, desk):
    url = story.get_absolute_url()
    first = client.get(url)
    etag, modified = first["ETag"], first["Last-Modified"]

    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    unchanged = client.get(url, HTTP_IF_MODIFIED_SINCE=modified)
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert unchanged["ETag"] == etag

    story.headline = "Harvest record in Kuban, officials say"
    desk(workflow.edit, story, save=story.save)

    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert "officials say" in changed.content.decode()


def test_a_page_rendered_again_unchanged_keeps_its_validators(client, story, desk):
    first = client.get("/datelines/")
    desk(workflow.publish, make_article(headline="Elsewhere"))  # no place: same counts

    again = client.get("/datelines/")
    assert again["X-Page-Cache"] == "miss"
    assert (again["ETag"], again["Last-Modified"]) == (first["ETag"], first["Last-Modified"])
    assert client.get("/datelines/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_head_request_is_answered_from_the_cache_without_a_body(client, story):
    warm(client, "/news/")
    full = client.get("/news/")
    head = client.head("/news/")
    assert head["X-Page-Cache"] == "hit"
    assert head.content == b""
    assert head["Content-Length"] == str(len(full.content))


def test_logged_in_readers_get_a_private_copy(admin_client, story):
    response = admin_client.get("/news/")
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert "X-Page-Cache" not in response


def test_previews_share_links_search_and_admin_are_never_shared(client, admin_client, story):
    draft = make_article(headline="Secret draft")
    link = PreviewLink.objects.create(
        article=draft, expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    answers = [
        client.get(link.get_absolute_url()),
        client.get("/search/", {"q": "harvest"}),
        client.get(reverse("admin:login")),
        admin_client.get(reverse("admin:articles_article_preview", args=[draft.pk])),
        admin_client.get(reverse("admin:articles_article_changelist")),
    ]
    for response in answers:
        assert response.status_code == 200, response.request["PATH_INFO"]
        assert "public" not in response.get("Cache-Control", ""), response.request["PATH_INFO"]
        assert "X-Page-Cache" not in response, response.request["PATH_INFO"]


def test_not_found_and_gone_are_not_kept(client, story, desk):
    url = story.get_absolute_url()
    client.get(url)
    desk(workflow.withdraw, story, reason="Wrong figures")

    for _ in range(2):
        gone = client.get(url)
        assert gone.status_code == 410 and "public" not in gone.get("Cache-Control", "")
    assert client.get("/2017/01/01/nothing-here/").status_code == 404


# Redis down


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again once the probe is


@pytest.fixture
def redis_down(settings):
    """Point the cache at a port nothing listens on; give the cache back afterwards."""
    working = settings.CACHES

    def down():
        settings.CACHES = {
            "default": {
                "BACKEND": "newsroom.cache.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
                "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
            }
        }

    def back():
        settings.CACHES = working
        versions.outage.until = 0  # as if the retry interval had passed

    return down, back


def test_with_redis_down_pages_come_from_the_database_and_saves_succeed(
    client, admin_client, story, desk, redis_down
):
    down, _back = redis_down
    down()
    for url in ["/", "/news/", story.get_absolute_url(), "/feeds/rss/", "/api/ninjs/items/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Harvest record" in response.content.decode(), url

    desk(workflow.publish, make_article(headline="Filed while Redis was down"))
    assert "Filed while Redis was down" in client.get("/news/").content.decode()
    data = article_form_data(story, headline="Saved in the admin while Redis was down")
    change = reverse("admin:articles_article_change", args=[story.pk])
    assert admin_client.post(change, data).status_code == 302
    assert "Saved in the admin" in client.get(story.get_absolute_url()).content.decode()


def test_changes_made_while_redis_was_down_show_once_it_is_back(client, story, desk, redis_down):
    down, back = redis_down
    url = story.get_absolute_url()
    warm(client, url)

    down()
    story.headline = "Corrected while Redis was down"
    desk(workflow.edit, story, save=story.save)
    back()

    assert "Corrected while Redis was down" in client.get(url).content.decode()


def test_unchanging_pages_say_when_they_last_changed(client, story):
    response = client.get("/feeds/rss/")
    # The feed's own time: its newest story's, not the time it was rendered.
    assert response["Last-Modified"] == http_date(story.published_at.timestamp())
