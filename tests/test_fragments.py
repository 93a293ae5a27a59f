"""
Story cards come from the cache after the first reader, yet an edit or a
rename shows at once, and a cache that is down only means rendering afresh.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains

from articles import fragments, workflow
from articles.models import Article
from tests.factories import make_article, make_place, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(desk):
    story = make_article(headline="Grain corridor reopens", section=make_section(name="Economy"),
                         place=make_place(name="ODESA", slug="odesa"))  # fmt: skip
    desk(workflow.publish, story)
    return story


def test_an_edit_shows_on_every_list_at_once(client, desk, story):
    assertContains(client.get("/news/"), "Grain corridor reopens")

    def retitle():
        story.headline = "Grain corridor closes again"
        story.save()

    desk(workflow.edit, story, save=retitle)
    for url in ["/news/", "/datelines/odesa/", "/"]:
        response = client.get(url)
        assertContains(response, "Grain corridor closes again")
        assertNotContains(response, "Grain corridor reopens")


def test_renaming_a_section_or_place_shows_on_cards_at_once(client, story):
    assertContains(client.get("/news/"), "Economy", count=2)  # navigation and card
    # Renamed from the shell, with nothing told: the card's key changes.
    story.section.name = "Business"
    story.section.save()
    story.place.name = "ODESSA"
    story.place.save()
    response = client.get("/news/")
    assertContains(response, "Business", count=2)
    assertContains(response, "ODESSA")
    assertNotContains(response, "Economy")


def test_pages_render_when_the_cache_is_down(client, settings, story):
    # Nothing listens on port 9: every cache call fails.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}
    }
    assertContains(client.get("/news/"), "Grain corridor reopens")
    assertContains(client.get("/"), "Economy")


def test_a_reader_after_the_first_reads_no_story_whole(client, story):
    """The first reader reads the stories whose cards are missing; the next one only ids and names."""

    def stories_read(queries):
        return [q["sql"] for q in queries.captured_queries if '"articles_article"."standfirst"' in q["sql"]]

    with CaptureQueriesContext(connection) as first:
        client.get("/news/")
    with CaptureQueriesContext(connection) as second:
        client.get("/news/")
    assert len(first) == len(second) + 1
    assert (len(stories_read(first)), len(stories_read(second))) == (1, 0)


def test_the_dateline_index_shows_a_new_count_or_name_at_once(client, desk, story):
    assertContains(client.get("/datelines/"), "1 story")
    desk(workflow.publish, make_article(headline="Port reopens", place=story.place))
    assertContains(client.get("/datelines/"), "2 stories")
    story.place.name = "ODESSA"
    story.place.save()
    assertContains(client.get("/datelines/"), "ODESSA")


def test_rows_read_a_moment_ago_render_without_a_story_deleted_since(story):
    draft = make_article(headline="Spiked before publication")
    kept = fragments.rows(Article.objects.filter(pk__in=[story.pk, draft.pk]).order_by("pk"))
    draft.delete()

    shown = fragments.cards(kept)

    assert len(shown) == 1
    assert "Grain corridor reopens" in shown[0]
