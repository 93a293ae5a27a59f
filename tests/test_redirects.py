"""
Addresses that outlive a change: a public story that moves (new slug, new
day) answers 301 at its old address; a withdrawn one answers 410 there.
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles import workflow
from articles.models import ArticleRedirect, Status, Tag
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
PUBLISHED = datetime.datetime(2017, 9, 14, 9, 0, tzinfo=UTC)
NEXT_DAY = datetime.datetime(2017, 9, 15, 11, 30, tzinfo=UTC)
FAR_AHEAD = datetime.datetime(2099, 1, 1, tzinfo=UTC)
OLD_URL = "/2017/09/14/pipeline-deal-signed/"
HEADLINE = "Pipeline deal signed"
STANDFIRST = "The two companies agreed on a price after months of talks."
BODY_TEXT = "The contract runs for twenty years."
LISTINGS = ["front", "index", "year", "month", "day", "place", "section", "tag", "author"]


@pytest.fixture
def editor():
    return make_editor()


@pytest.fixture
def desk(editor):
    """The editor's browser; ``client`` stays an anonymous reader."""
    browser = Client()
    browser.force_login(editor)
    return browser


@pytest.fixture
def world():
    return {
        "section": make_section(name="Business", slug="business"),
        "place": make_place(name="BERLIN", slug="berlin"),
        "author": make_author(name="Jonas Weber", slug="jonas-weber"),
    }


def make_story(world, **fields):
    fields.setdefault("status", Status.PUBLISHED)
    fields.setdefault("published_at", PUBLISHED)
    return make_article(
        headline=HEADLINE,
        standfirst=STANDFIRST,
        body=f"<p>{BODY_TEXT}</p>",
        section=world["section"],
        place=world["place"],
        authors=[world["author"]],
        tags=["Energy"],
        **fields,
    )


def save_in_admin(desk, story, **fields):
    """The editor submits the change form with ``fields`` changed."""
    story.refresh_from_db()  # the form as it is opened now
    url = reverse("admin:articles_article_change", args=[story.pk])
    response = desk.post(url, article_form_data(story, **fields))
    refused = response.context and response.context["adminform"].form.errors
    assert response.status_code == 302, refused
    story.refresh_from_db()
    return story


def new_time(moment):
    local = timezone.localtime(moment)
    return {"publish_at_0": f"{local:%Y-%m-%d}", "publish_at_1": f"{local:%H:%M:%S}"}


def assert_moved(client, old_url, new_url):
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == new_url
    assertContains(client.get(new_url), HEADLINE)


def assert_no_text(response):
    for text in (HEADLINE, STANDFIRST, BODY_TEXT):
        assertNotContains(response, text, status_code=response.status_code)


# Moved stories answer 301


def test_changed_slug_redirects_the_old_address(client, desk, world):
    story = make_story(world)
    assert story.get_absolute_url() == OLD_URL

    save_in_admin(desk, story, slug="gas-pipeline-deal-signed")

    assert_moved(client, OLD_URL, "/2017/09/14/gas-pipeline-deal-signed/")


def test_new_publication_day_redirects_the_old_address(client, desk, world):
    story = make_story(world)

    save_in_admin(desk, story, **new_time(NEXT_DAY))

    assert story.published_at == NEXT_DAY
    assert story.events.first().action == "reschedule"
    assert_moved(client, OLD_URL, "/2017/09/15/pipeline-deal-signed/")


def test_slug_and_day_changed_in_one_save_redirect_in_one_hop(client, desk, world):
    story = make_story(world)

    save_in_admin(desk, story, slug="gas-deal", **new_time(NEXT_DAY))

    assert_moved(client, OLD_URL, "/2017/09/15/gas-deal/")


def test_slug_changed_twice_sends_the_first_address_to_the_current_one(client, desk, world):
    story = make_story(world)

    save_in_admin(desk, story, slug="gas-deal")
    save_in_admin(desk, story, slug="gas-deal-signed")

    current = "/2017/09/14/gas-deal-signed/"
    assert_moved(client, OLD_URL, current)  # one hop, not via /gas-deal/
    assert_moved(client, "/2017/09/14/gas-deal/", current)


def test_slug_changed_back_serves_the_story_at_its_first_address(client, desk, world):
    story = make_story(world)

    save_in_admin(desk, story, slug="gas-deal")
    save_in_admin(desk, story, slug="pipeline-deal-signed")

    assertContains(client.get(OLD_URL), HEADLINE)
    assert_moved(client, "/2017/09/14/gas-deal/", OLD_URL)
    assert list(ArticleRedirect.objects.values_list("old_path", flat=True)) == [
        "/2017/09/14/gas-deal/"
    ]


@pytest.mark.parametrize(
    "hidden", [{"status": Status.DRAFT}, {"published_at": FAR_AHEAD}], ids=["draft", "scheduled"]
)
def test_story_never_public_leaves_no_redirect(client, desk, world, hidden):
    # A draft, or a story scheduled far ahead: its address was never given out.
    story = make_story(world, **hidden)

    save_in_admin(desk, story, slug="gas-deal")

    assert story.slug == "gas-deal"
    assert not ArticleRedirect.objects.exists()
    assert client.get(OLD_URL).status_code == 404


def test_new_story_at_a_moved_story_old_address_is_served_there(client, desk, world):
    story = make_story(world)
    save_in_admin(desk, story, slug="gas-deal")
    make_live(headline="Second pipeline deal", slug="pipeline-deal-signed", published_at=PUBLISHED)

    # A live story at the address wins; the redirect only answers a 404.
    assertContains(client.get(OLD_URL), "Second pipeline deal")
    assertContains(client.get("/2017/09/14/gas-deal/"), HEADLINE)


# Withdrawn stories answer 410


def listing_urls(world):
    tag = Tag.objects.get(name="Energy")
    keys = ("place", "section", "author")
    return public_listings(PUBLISHED.date(), tag=tag, **{key: world[key] for key in keys})


def withdraw(story, editor):
    workflow.withdraw(story, by=editor, reason="Legal complaint from the supplier")


def test_withdrawn_story_answers_410_with_a_notice_and_none_of_its_text(client, editor, world):
    story = make_story(world)

    withdraw(story, editor)

    response = client.get(OLD_URL)
    assert response.status_code == 410
    assertContains(response, "This story has been withdrawn", status_code=410)
    assert_no_text(response)
    assertNotContains(response, "Legal complaint", status_code=410)  # the reason is the desk's


@pytest.mark.parametrize("page", LISTINGS)
def test_withdrawn_story_leaves_every_listing(client, editor, world, page):
    story = make_story(world)
    # Keeps the date pages there after the withdrawal.
    make_live(
        headline="Gas prices fall",
        published_at=PUBLISHED - datetime.timedelta(hours=1),
        section=world["section"],
        place=world["place"],
        authors=[world["author"]],
        tags=["Energy"],
    )
    url = listing_urls(world)[page]
    assertContains(client.get(url), HEADLINE)

    withdraw(story, editor)

    response = client.get(url)
    assertContains(response, "Gas prices fall")
    assertNotContains(response, HEADLINE)


def test_restored_story_answers_200_at_the_same_address(client, editor, world):
    story = make_story(world)
    withdraw(story, editor)

    workflow.restore(story, by=editor)

    story.refresh_from_db()
    assert (story.status, story.published_at) == (Status.PUBLISHED, PUBLISHED)
    assert story.get_absolute_url() == OLD_URL
    response = client.get(OLD_URL)
    assertContains(response, HEADLINE)
    assertContains(response, BODY_TEXT)
    assertContains(client.get(listing_urls(world)["day"]), HEADLINE)


def test_old_address_of_a_withdrawn_story_is_not_found_not_redirected(client, desk, editor, world):
    story = make_story(world)
    save_in_admin(desk, story, slug="gas-deal")
    withdraw(story, editor)

    # Never a 301 to a page that is gone: the old address is simply not found,
    # the current one says the story was withdrawn. Neither shows its text.
    old = client.get(OLD_URL)
    assert old.status_code == 404
    assert_no_text(old)
    current = client.get("/2017/09/14/gas-deal/")
    assert current.status_code == 410
    assert_no_text(current)


def test_old_day_address_of_a_withdrawn_story_is_not_found(client, desk, editor, world):
    story = make_story(world)
    save_in_admin(desk, story, **new_time(NEXT_DAY))
    withdraw(story, editor)

    # Same slug, another day: only the story's own address says 410.
    old = client.get(OLD_URL)
    assert old.status_code == 404
    assert_no_text(old)
    assert client.get("/2017/09/15/pipeline-deal-signed/").status_code == 410


def test_restoring_a_moved_story_brings_its_redirect_back(client, desk, editor, world):
    story = make_story(world)
    save_in_admin(desk, story, slug="gas-deal")
    withdraw(story, editor)

    workflow.restore(story, by=editor)

    assert_moved(client, OLD_URL, "/2017/09/14/gas-deal/")


@pytest.mark.parametrize(
    "held_back",
    [{"published_at": FAR_AHEAD}, {"embargo_until": FAR_AHEAD}],
    ids=["scheduled", "embargoed"],
)
def test_story_not_yet_public_cannot_be_withdrawn_and_stays_not_found(
    client, editor, world, held_back
):
    # Killed before its time it is unpublished, not withdrawn: a 410 would
    # confirm to anyone guessing the address that the story exists.
    story = make_story(world, **held_back)
    url = story.get_absolute_url()

    with pytest.raises(workflow.TransitionError, match="unpublish"):
        workflow.withdraw(story, by=editor, reason="Killed")

    response = client.get(url)
    assert response.status_code == 404
    assert_no_text(response)
