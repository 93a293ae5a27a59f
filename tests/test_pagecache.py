"""
The public page cache: pages come from the cache, yet no story shows before
its time and no change waits for the cache to expire, and a change renders
again only the pages that show what changed. Runs on the cache the settings
name: local memory by default, Redis when REDIS_URL is set (CI).
"""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles import pagecache, taxonomy, workflow
from articles.pagecache import middleware, versions
from articles.models import Correction, Tag
from tests.factories import (
    make_article,
    make_author,
    make_live,
    make_place,
    make_section,
    warm,
)
from tests.test_search import SEARCH_QUERIES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]

MINUTE = datetime.timedelta(minutes=1)
SECOND = datetime.timedelta(seconds=1)


def page(client, url):
    return client.get(url).content.decode()


def served(client, url):
    """How the cache answered: "hit" from the cache, "miss" rendered."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response["X-Page-Cache"]


def test_a_second_reader_is_served_from_the_cache(client, django_assert_num_queries, desk):
    story = make_article(headline="Harvest record in Kuban")
    desk(workflow.publish, story)
    assert "Harvest record" in page(client, "/")

    with django_assert_num_queries(0):
        response = client.get("/")
    assert "Harvest record" in response.content.decode()


def test_publishing_shows_at_once_on_every_cached_page(client, desk):
    place = make_place(name="MOSCOW", slug="moscow")
    first = make_article(headline="First story", place=place)
    desk(workflow.publish, first)
    urls = ["/", "/news/", "/datelines/moscow/", "/feeds/rss/", "/api/ninjs/items/"]
    for url in urls:
        page(client, url)  # cached now

    second = make_article(headline="Second story", place=place)
    desk(workflow.publish, second)

    for url in urls:
        assert "Second story" in page(client, url), url


def test_a_scheduled_story_appears_at_its_time_though_pages_are_cached(client, desk):
    now = timezone.now().replace(microsecond=0)
    at = now + MINUTE
    with time_machine.travel(now, tick=False):
        desk(workflow.publish, make_article(headline="Old news"))
        story = make_article(headline="Due in a minute")
        desk(workflow.publish, story, at=at)
        assert "Due in a minute" not in page(client, "/")
    with time_machine.travel(at - SECOND, tick=False):
        assert "Due in a minute" not in page(client, "/")
        assert client.get(story.get_absolute_url()).status_code == 404
    with time_machine.travel(at + SECOND, tick=False):  # well within the cache's 300 s
        assert "Due in a minute" in page(client, "/")
        assert client.get(story.get_absolute_url()).status_code == 200


def test_a_scheduled_story_shows_at_its_time_though_the_worker_looked_a_moment_before(client, desk):
    now = timezone.now().replace(microsecond=0)
    at = now + MINUTE
    with time_machine.travel(now, tick=False):
        desk(workflow.publish, make_article(headline="Old news"))
        desk(workflow.publish, make_article(headline="Due in a minute"), at=at)
        warm(client, "/news/")
    with time_machine.travel(at - datetime.timedelta(milliseconds=50), tick=False):
        assert "Due in a minute" not in page(client, "/news/")  # the worker looks at the cache
    with time_machine.travel(at + datetime.timedelta(milliseconds=10), tick=False):
        # Within RECHECK_SECONDS of that look, yet the story is due: it shows.
        assert "Due in a minute" in page(client, "/news/")


def test_an_embargo_lifts_on_cached_pages_at_its_time(client, desk):
    now = timezone.now().replace(microsecond=0)
    until = now + MINUTE
    with time_machine.travel(now, tick=False):
        story = make_article(headline="Embargoed report", embargo_until=until)
        desk(workflow.publish, story, at=now - MINUTE)
        assert "Embargoed report" not in page(client, "/news/")
    with time_machine.travel(until + SECOND, tick=False):
        assert "Embargoed report" in page(client, "/news/")


def test_withdrawing_takes_the_story_down_at_once(client, desk):
    story = make_article(headline="Wrong figures")
    desk(workflow.publish, story)
    url = story.get_absolute_url()
    assert client.get(url).status_code == 200
    page(client, "/")

    desk(workflow.withdraw, story, reason="Figures were wrong")

    assert client.get(url).status_code == 410
    assert "Wrong figures" not in page(client, "/")


def test_edits_and_corrections_show_at_once(client, desk):
    story = make_article(headline="Budget passed")
    desk(workflow.publish, story)
    url = story.get_absolute_url()
    page(client, url)

    story.headline = "Budget passed by parliament"
    desk(workflow.edit, story, save=story.save)
    assert "Budget passed by parliament" in page(client, url)

    desk(workflow.add_correction, story, kind=Correction.Kind.CORRECTION, text="It was Tuesday.")
    assert "It was Tuesday." in page(client, url)


def test_staff_changes_to_the_taxonomy_show_at_once(
    client, admin_client, desk, django_capture_on_commit_callbacks
):
    section = make_section(name="Economy", slug="economy")
    desk(workflow.publish, make_article(headline="Rates rise", section=section, tags=["rates"]))
    assert "Economy" in page(client, "/")
    assert client.get("/tags/rates/").status_code == 200  # both cached now

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:articles_section_change", args=[section.pk]),
            {"name": "Business", "slug": "economy", "description": "", "position": 0},
        )
    assert "Business" in page(client, "/")

    keep = Tag.objects.create(name="interest rates")
    with django_capture_on_commit_callbacks(execute=True):
        taxonomy.merge_tags(keep, list(Tag.objects.filter(name="rates")))
    merged = client.get("/tags/rates/")  # the cached page is gone: it leads to the kept tag
    assert (merged.status_code, merged["Location"]) == (301, "/tags/interest-rates/")
    assert "Rates rise" in page(client, "/tags/interest-rates/")


def test_logged_in_readers_and_unsuccessful_answers_go_around_the_cache(
    client, admin_client, django_assert_num_queries, desk
):
    desk(workflow.publish, make_article(headline="Cached story"))
    page(client, "/")
    assert client.get("/2017/01/01/nothing-here/").status_code == 404

    with django_assert_num_queries(0):
        client.get("/")  # anonymous: cached
    response = admin_client.get("/")
    assert "Cached story" in response.content.decode()
    assert client.get("/2017/01/01/nothing-here/").status_code == 404


def test_search_and_share_links_are_never_cached(client, desk, django_assert_num_queries):
    desk(workflow.publish, make_article(headline="Searchable story"))
    client.get("/search/", {"q": "searchable"})
    with django_assert_num_queries(SEARCH_QUERIES):
        client.get("/search/", {"q": "searchable"})


# Only what a change touches


def test_names_for_a_story_are_its_page_and_every_listing_it_is_in(settings):
    settings.TIME_ZONE = "Europe/Moscow"
    place, section = make_place(), make_section()
    author = make_author()
    at = datetime.datetime(2026, 6, 20, 22, 30, tzinfo=datetime.UTC)  # 21 June in Moscow
    story = make_live(published_at=at, place=place, section=section, tags=["rates"], authors=[author])
    tag = Tag.objects.get(name="rates")

    assert pagecache.names_for(story) == sorted(
        [
            f"story:{story.pk}",
            "live",
            "day:2026-06-21",
            "month:2026-06",
            "year:2026",
            f"place:{place.pk}",
            f"section:{section.pk}",
            f"tag:{tag.pk}",
            f"author:{author.pk}",
        ]
    )
    draft = make_article(place=place, tags=["rates"])
    assert pagecache.names_for(draft) == [f"story:{draft.pk}"]  # on no public page
    scheduled = make_live(published_at=timezone.now() + MINUTE, place=place)
    assert pagecache.names_for(scheduled) == [f"story:{scheduled.pk}"]


def test_an_edit_renders_again_only_the_pages_showing_the_story(client, desk):
    economy, sport = make_section(slug="economy"), make_section(slug="sport")
    moscow, kazan = make_place(slug="moscow"), make_place(slug="kazan")
    days_ago = [timezone.now() - datetime.timedelta(days=n) for n in (5, 3, 1)]
    other = make_live(headline="Derby won", section=sport, place=kazan, tags=["derby"], published_at=days_ago[1])
    for when in days_ago[::2]:  # the other day's neighbours, before today
        make_live(published_at=when)
    story = make_article(headline="Rates rise", section=economy, place=moscow, tags=["rates"])
    desk(workflow.publish, story)
    day = other.get_absolute_url().rsplit("/", 2)[0] + "/"
    showing = ["/", "/news/", story.get_absolute_url(), "/sections/economy/", "/datelines/moscow/",
               "/tags/rates/", "/feeds/rss/", "/tags/rates/feed/atom/", "/api/ninjs/items/"]  # fmt: skip
    elsewhere = [other.get_absolute_url(), "/sections/sport/", "/datelines/kazan/", "/tags/derby/",
                 "/tags/derby/feed/rss/", f"/api/ninjs/items/{other.pk}/", day]  # fmt: skip
    warm(client, *showing, *elsewhere)

    story.headline = "Rates rise again"
    desk(workflow.edit, story, save=story.save)

    for url in showing:
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert "Rates rise again" in response.content.decode(), url
    assert [served(client, url) for url in elsewhere] == ["hit"] * len(elsewhere)


def test_a_story_moved_off_a_tag_leaves_that_tags_page(client, desk):
    desk(workflow.publish, make_article(headline="Old rates story", tags=["rates"]))
    story = make_article(headline="Misfiled story", tags=["rates", "budget"])
    desk(workflow.publish, story)
    assert "Misfiled story" in page(client, "/tags/rates/")

    def retag():
        story.save()
        story.tags.set(["budget"])

    desk(workflow.edit, story, save=retag)

    assert "Misfiled story" not in page(client, "/tags/rates/")
    assert "Misfiled story" in page(client, "/tags/budget/")


def test_a_date_page_follows_a_new_neighbour_it_links_to(client, desk):
    for day in ["2025-01-05", "2025-01-10", "2025-01-12", "2026-06-10", "2026-06-20"]:
        make_live(published_at=datetime.datetime.fromisoformat(f"{day}T12:00:00+00:00"))
    warm(client, "/2026/06/20/", "/2025/01/10/")
    assert "/2026/06/10/" in page(client, "/2026/06/20/")

    backdated = make_article(headline="Filed late")
    desk(workflow.publish, backdated, at=datetime.datetime(2026, 6, 15, 12, tzinfo=datetime.UTC))

    assert "/2026/06/15/" in page(client, "/2026/06/20/")  # its previous day now
    assert served(client, "/2025/01/10/") == "hit"  # nothing new between its neighbours


def test_a_scheduled_story_appears_at_its_time_and_only_its_pages_render_again(client, desk):
    now = timezone.now().replace(microsecond=0)
    at = now + MINUTE
    with time_machine.travel(now, tick=False):
        old = make_article(headline="Old news", tags=["weather"])
        desk(workflow.publish, old)
        story = make_article(headline="Due in a minute", tags=["rates"])
        desk(workflow.publish, story, at=at)
        warm(client, "/", old.get_absolute_url(), "/tags/weather/")
    with time_machine.travel(at + SECOND, tick=False):
        response = client.get("/")
        assert "Due in a minute" in response.content.decode()
        assert response["X-Page-Cache"] == "miss"
        assert served(client, old.get_absolute_url()) == "hit"
        assert served(client, "/tags/weather/") == "hit"
        assert "Due in a minute" in page(client, "/tags/rates/")


def test_a_change_made_on_another_server_shows_here_within_moments(client, desk, monkeypatch):
    now = timezone.now()
    with time_machine.travel(now, tick=False) as clock:
        desk(workflow.publish, make_article(headline="First story"))
        warm(client, "/news/")
        # Another server publishes: this one hears of it only through the cache.
        bumps = versions.Bumps.count
        desk(workflow.publish, make_article(headline="Published elsewhere"))
        monkeypatch.setattr(versions.Bumps, "count", bumps)
        assert "Published elsewhere" not in page(client, "/news/")  # its copy, for a moment
        clock.shift(middleware.RECHECK_SECONDS + 0.01)
        assert "Published elsewhere" in page(client, "/news/")


def test_a_worker_holding_many_pages_asks_the_cache_once_a_moment_not_once_a_page(
    client, desk, monkeypatch
):
    """
    Readers spread over many addresses: while nothing changes, a worker
    makes one small round trip every RECHECK_SECONDS, whatever number of
    pages it serves; after a change elsewhere it checks each page once.
    """
    from django.core.cache import cache

    place = make_place(name="MOSCOW", slug="moscow")
    stories = [make_article(headline=f"Story {n}", place=place, tags=[f"tag{n}"]) for n in range(3)]
    for story in stories:
        desk(workflow.publish, story)
    urls = ["/", "/news/", "/datelines/moscow/", *(s.get_absolute_url() for s in stories)]
    trips = []
    real_get_many = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: trips.append(keys) or real_get_many(keys))

    def round_trips_to_serve_every_page_twice():
        trips.clear()
        for url in urls * 2:
            assert served(client, url) == "hit", url
        return len(trips)

    with time_machine.travel(timezone.now(), tick=False) as clock:
        warm(client, *urls)
        for _ in range(3):
            clock.shift(middleware.RECHECK_SECONDS + 0.01)
            assert round_trips_to_serve_every_page_twice() == 1

        # Another server edits a story: its pages are rendered again, and the worker's
        # held pages are served once more on one round trip a moment.
        bumps = versions.Bumps.count
        stories[0].headline = "Story 0, edited elsewhere"
        desk(workflow.edit, stories[0], save=stories[0].save)
        monkeypatch.setattr(versions.Bumps, "count", bumps)
        clock.shift(middleware.RECHECK_SECONDS + 0.01)
        for url in urls[:4]:  # the pages that show it
            assert "edited elsewhere" in page(client, url), url
        warm(client, *urls)
        clock.shift(middleware.RECHECK_SECONDS + 0.01)
        assert round_trips_to_serve_every_page_twice() == 1


def test_a_reader_who_took_the_lock_lets_go_of_it_when_the_cache_fails_at_once(
    client, desk, monkeypatch
):
    """
    A reader waits for another's render, takes the lock when it is let go,
    and the cache fails on the look that follows: the reader renders the
    page from the database, and the lock is not left for the next reader to
    wait out.
    """
    from django.core.cache import cache
    from django.test import RequestFactory
    from redis.exceptions import ConnectionError

    desk(workflow.publish, make_article(headline="Only story"))
    digest = middleware._digest(RequestFactory().get("/news/"))
    real_find, looks = middleware.find, []

    def find(key, **kwargs):
        looks.append(key)
        if len(looks) == 2:  # the waiting reader's look: the other request gives up
            cache.delete(middleware.LOCK + key)
        if len(looks) == 3:  # the look after taking the lock
            raise ConnectionError("connection reset by peer")
        return real_find(key, **kwargs)

    cache.add(middleware.LOCK + digest, 1, 30)  # someone is rendering
    monkeypatch.setattr(middleware, "POLL_SECONDS", 0)
    monkeypatch.setattr(middleware, "find", find)

    response = client.get("/news/")

    assert response.status_code == 200 and "Only story" in response.content.decode()
    assert len(looks) == 3
    assert cache.get(middleware.LOCK + digest) is None


def test_a_reader_who_waited_for_a_render_takes_its_copy_however_close_the_race(
    client, desk, monkeypatch
):
    """
    A reader waits while another request renders the page. The renderer
    stores it and lets go of the lock just after the reader last looked:
    the reader, taking the lock, finds the copy rather than rendering again.
    """
    from django.core.cache import cache
    from django.test import RequestFactory
    from django.test.signals import template_rendered

    desk(workflow.publish, make_article(headline="Only story"))
    digest = middleware._digest(RequestFactory().get("/news/"))
    renders = []

    def counted(sender, template, **kwargs):
        if template.name == "articles/article_archive.html":
            renders.append(template.name)

    real_find, looks = middleware.find, []

    def find(key, **kwargs):
        found = real_find(key, **kwargs)
        looks.append(found.fresh)
        if len(looks) == 2:  # the waiting reader's first look, while the lock is held
            cache.delete(middleware.LOCK + key)
            assert served(client, "/news/") == "miss"  # the renderer: stores, lets go
        return found

    template_rendered.connect(counted)
    try:
        cache.add(middleware.LOCK + digest, 1, 30)  # someone is rendering
        monkeypatch.setattr(middleware, "POLL_SECONDS", 0)
        monkeypatch.setattr(middleware, "find", find)
        assert served(client, "/news/") == "hit"
    finally:
        template_rendered.disconnect(counted)
    assert len(renders) == 1
    assert cache.get(middleware.LOCK + digest) is None
