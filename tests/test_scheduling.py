"""
Scheduled and embargoed stories, one second either side of their time, on
every public address. Views read the clock themselves, so the clock is set
with time-machine rather than waited for.
"""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from articles import workflow
from articles.models import Article, ArticleRedirect, Status, Tag
from tests.factories import (
    listing_urls as public_listings,
    article_form_data,
    make_article,
    make_author,
    make_editor,
    make_live,
    make_place,
    make_section,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
SECOND = datetime.timedelta(seconds=1)
HOUR = datetime.timedelta(hours=1)
# The moment the story goes public. Everything below happens on 14 September,
# in UTC and in Moscow alike, so every story shares the same date pages.
T = datetime.datetime(2017, 9, 14, 9, 0, tzinfo=UTC)
HEADLINE = "Ceasefire agreed in Geneva"
LISTINGS = ["front", "index", "year", "month", "day", "place", "section", "tag", "author"]
PAGES = [*LISTINGS, "detail", "places"]


@pytest.fixture
def world():
    """The taxonomy the story is filed under, and a story already public under all of it."""
    world = {
        "section": make_section(name="World", slug="world"),
        "place": make_place(name="GENEVA", slug="geneva", time_zone="Europe/Zurich"),
        "author": make_author(name="Marta Keller", slug="marta-keller"),
        "editor": make_editor(),
    }
    # Keeps every listing and date page answering 200 on both sides of T,
    # so "absent" means left out of a page, not a page that is missing.
    make_live(
        headline="Talks open in Geneva",
        published_at=T - 4 * HOUR,
        section=world["section"],
        place=world["place"],
        authors=[world["author"]],
        tags=["Diplomacy"],
    )
    return world


def make_draft(world, **fields):
    return make_article(
        headline=HEADLINE,
        body="<p>Both sides signed at dawn.</p>",
        section=world["section"],
        place=world["place"],
        authors=[world["author"]],
        tags=["Diplomacy"],
        **fields,
    )


# The three ways a story can be held back until T. Each is written and
# published by the desk, at the time given, through workflow.publish.


def scheduled(world, time_machine):
    """Published at 06:00 with 09:00 as its publication time."""
    time_machine.move_to(T - 3 * HOUR, tick=False)
    story = make_draft(world)
    workflow.publish(story, by=world["editor"], at=T)
    return story


def embargoed(world, time_machine):
    """Published at once at 07:00, under an embargo until 09:00."""
    time_machine.move_to(T - 2 * HOUR, tick=False)
    story = make_draft(world, embargo_until=T)
    workflow.publish(story, by=world["editor"])
    return story


def embargo_after_publication_time(world, time_machine):
    """Scheduled for 08:00, under an embargo until 09:00: the time passes first."""
    time_machine.move_to(T - 3 * HOUR, tick=False)
    story = make_draft(world, embargo_until=T)
    workflow.publish(story, by=world["editor"], at=T - HOUR)
    return story


HELD_BACK = {
    "scheduled": scheduled,
    "embargoed": embargoed,
    "embargo_after_publication_time": embargo_after_publication_time,
}


def page_url(world, story, page):
    tag = Tag.objects.get(name="Diplomacy")
    keys = ("place", "section", "author")
    listings = public_listings(T.date(), tag=tag, **{key: world[key] for key in keys})
    more = {"detail": story.get_absolute_url(), "places": reverse("articles:places")}
    return {**listings, **more}[page]


def assert_hidden(client, url, page):
    response = client.get(url)
    if page == "detail":
        assert response.status_code == 404
        assertNotContains(response, HEADLINE, status_code=404)
    elif page == "places":
        # The datelines index shows counts, not headlines: only the earlier story.
        assertInHTML('<span class="count">1 story</span>', response.content.decode())
    else:
        assertNotContains(response, HEADLINE)  # and the page itself answers 200


def assert_shown(client, url, page):
    response = client.get(url)
    if page == "places":
        assertInHTML('<span class="count">2 stories</span>', response.content.decode())
    else:
        assertContains(response, HEADLINE)  # and answers 200


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("held_back", HELD_BACK)
def test_held_back_story_appears_on_the_second(client, world, time_machine, held_back, page):
    story = HELD_BACK[held_back](world, time_machine)
    url = page_url(world, story, page)

    time_machine.move_to(T - SECOND, tick=False)
    assert_hidden(client, url, page)

    time_machine.move_to(T + SECOND, tick=False)
    assert_shown(client, url, page)


@pytest.mark.parametrize("page", PAGES)
def test_embargo_holds_the_story_after_its_publication_time_passes(
    client, world, time_machine, page
):
    story = embargo_after_publication_time(world, time_machine)
    url = page_url(world, story, page)

    for moment in (story.published_at - SECOND, story.published_at + SECOND, T - SECOND):
        time_machine.move_to(moment, tick=False)
        assert_hidden(client, url, page)


@pytest.mark.parametrize("held_back", HELD_BACK)
def test_querysets_agree_with_the_pages(world, time_machine, held_back):
    story = HELD_BACK[held_back](world, time_machine)

    time_machine.move_to(T - SECOND, tick=False)
    assert (story.is_live, story.is_scheduled) == (False, True)
    assert list(Article.objects.scheduled()) == [story]
    assert story not in Article.objects.live()

    time_machine.move_to(T + SECOND, tick=False)
    assert (story.is_live, story.is_scheduled) == (True, False)
    assert not Article.objects.scheduled().exists()
    assert story in Article.objects.live()
    assert story.public_from == T


def test_story_address_carries_its_publication_date_not_its_embargo(world, time_machine):
    story = embargo_after_publication_time(world, time_machine)
    assert story.published_at == T - HOUR
    assert story.get_absolute_url() == "/2017/09/14/ceasefire-agreed-in-geneva/"


# Editing a held-back story leaves its time alone


def edit_body(story, editor, text):
    story.body = text
    workflow.edit(story, by=editor, save=story.save, expected_version=story.version)


def test_editing_a_scheduled_story_keeps_its_time_and_status(client, world, time_machine):
    story = scheduled(world, time_machine)
    url = story.get_absolute_url()

    time_machine.move_to(T - HOUR, tick=False)
    edit_body(story, world["editor"], "<p>Both sides signed at dawn, officials said.</p>")

    story.refresh_from_db()
    assert (story.status, story.published_at, story.embargo_until) == (Status.PUBLISHED, T, None)
    assert story.body == "<p>Both sides signed at dawn, officials said.</p>"
    # Not yet public, so readers have seen no update and no address moved.
    assert story.revised_at is None
    assert not ArticleRedirect.objects.exists()
    assert list(story.events.values_list("action", flat=True)) == ["schedule"]

    time_machine.move_to(T - SECOND, tick=False)
    assert client.get(url).status_code == 404
    time_machine.move_to(T + SECOND, tick=False)
    assertContains(client.get(url), "officials said")


def test_editing_an_embargoed_story_keeps_its_embargo(client, world, time_machine):
    story = embargoed(world, time_machine)
    published_at = story.published_at
    url = story.get_absolute_url()

    time_machine.move_to(T - HOUR, tick=False)
    edit_body(story, world["editor"], "<p>Both sides signed at dawn, officials said.</p>")

    story.refresh_from_db()
    assert (story.status, story.published_at) == (Status.PUBLISHED, published_at)
    assert story.embargo_until == T
    assert story.revised_at is None
    assert not ArticleRedirect.objects.exists()

    time_machine.move_to(T - SECOND, tick=False)
    assert client.get(url).status_code == 404
    time_machine.move_to(T + SECOND, tick=False)
    assertContains(client.get(url), "officials said")


def test_editing_a_story_whose_embargo_outlasts_its_time_keeps_both(world, time_machine):
    story = embargo_after_publication_time(world, time_machine)

    # Between the two: the time has passed, the embargo has not.
    time_machine.move_to(T - HOUR + SECOND, tick=False)
    edit_body(story, world["editor"], "<p>Signed at dawn.</p>")

    story.refresh_from_db()
    assert (story.published_at, story.embargo_until) == (T - HOUR, T)
    assert story.revised_at is None
    assert story not in Article.objects.live()


def rendered_value(html, name):
    """What the input ``name`` shows: "" for an empty one, which has no value attribute."""
    return re.search(rf'<input[^>]*name="{name}"(?: value="([^"]*)")?', html)[1] or ""


@pytest.mark.parametrize("held_back", ["scheduled", "embargoed"])
def test_saving_a_held_back_story_in_the_admin_keeps_its_times(
    client, world, time_machine, held_back
):
    story = HELD_BACK[held_back](world, time_machine)
    published_at, embargo_until = story.published_at, story.embargo_until
    desk = Client()
    desk.force_login(world["editor"])
    url = reverse("admin:articles_article_change", args=[story.pk])

    time_machine.move_to(T - HOUR, tick=False)
    page = desk.get(url).content.decode()
    # Sent back as the form shows them, in the newsroom's time.
    shown = ["publish_at_0", "publish_at_1", "embargo_until_0", "embargo_until_1"]
    times = {name: rendered_value(page, name) for name in shown}
    data = article_form_data(story, body="<p>Signed at dawn, officials said.</p>", **times)
    assert desk.post(url, data).status_code == 302

    story.refresh_from_db()
    assert (story.status, story.published_at, story.embargo_until) == (
        Status.PUBLISHED, published_at, embargo_until
    )  # fmt: skip
    assert story.events.first().action != "reschedule"
    time_machine.move_to(T - SECOND, tick=False)
    assert client.get(story.get_absolute_url()).status_code == 404
    time_machine.move_to(T + SECOND, tick=False)
    assertContains(client.get(story.get_absolute_url()), "officials said")
