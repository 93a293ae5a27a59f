"""
The public page cache: pages come from the cache, yet no story shows before
its time and no change waits for the cache to expire. Runs on the cache the
settings name: local memory by default, Redis when REDIS_URL is set (CI).
"""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles import taxonomy, workflow
from articles.models import Correction, Tag
from tests.factories import make_article, make_editor, make_place, make_section
from tests.test_search import SEARCH_QUERIES

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)
SECOND = datetime.timedelta(seconds=1)


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300


@pytest.fixture
def desk(django_capture_on_commit_callbacks):
    """An editor whose workflow actions commit (and so purge) as they would for real."""
    editor = make_editor()

    def act(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, by=editor, **kwargs)

    return act


def page(client, url):
    return client.get(url).content.decode()


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
    assert client.get("/tags/rates/").status_code == 404
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
