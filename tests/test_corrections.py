"""Corrections, clarifications and updates: on the story's page and on /corrections/."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from articles import workflow
from articles.models import Correction, Status
from articles.views import PAGE_SIZE
from tests.factories import make_article, make_author, make_editor, make_live

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
HOUR = datetime.timedelta(hours=1)
PUBLISHED = datetime.datetime(2017, 9, 14, 9, 0, tzinfo=UTC)
FUTURE = datetime.datetime(2099, 1, 1, tzinfo=UTC)
CORRECTIONS = reverse("articles:corrections")
Kind = Correction.Kind

STORIES = {
    "live": {"status": Status.PUBLISHED},
    "draft": {"status": Status.DRAFT},
    "in review": {"status": Status.IN_REVIEW},
    "withdrawn": {"status": Status.WITHDRAWN},
    "scheduled": {"status": Status.PUBLISHED, "published_at": FUTURE},
    "embargoed": {"status": Status.PUBLISHED, "embargo_until": FUTURE},
}


def make_story(state="live", **fields):
    fields = {"published_at": PUBLISHED, **STORIES[state], **fields}
    return make_article(**fields)


def note(article, text, *, at, kind=Kind.CORRECTION):
    return Correction.objects.create(article=article, kind=kind, text=text, created_at=at)


# On the story's page


def test_add_correction_appends_a_note_and_updates_the_story(client):
    story = make_story(headline="Harvest record", revised_at=PUBLISHED + HOUR)
    page = client.get(story.get_absolute_url())
    assertContains(page, "14 September 2017, 10:00 UTC")
    assertNotContains(page, 'class="corrections"')

    correction = workflow.add_correction(
        story, by=make_editor(), kind=Kind.CORRECTION, text="The harvest was 130m tonnes."
    )

    story.refresh_from_db()
    assert story.revised_at == correction.created_at
    assert list(story.corrections.all()) == [correction]
    page = client.get(story.get_absolute_url())
    updated = timezone.localtime(story.revised_at)
    assertContains(page, f'Updated <time datetime="{updated.isoformat()}">')
    assertNotContains(page, "14 September 2017, 10:00 UTC")
    assertContains(page, "<p>The harvest was 130m tonnes.</p>", html=True)


def test_notes_show_at_the_end_of_the_story_in_the_order_they_were_added(client):
    story = make_story()
    note(story, "Later figures came in.", kind=Kind.UPDATE, at=PUBLISHED + 3 * HOUR)
    first = note(story, "The minister's name was misspelt.", at=PUBLISHED + HOUR)
    note(story, "The talks are informal.", kind=Kind.CLARIFICATION, at=PUBLISHED + 2 * HOUR)

    html = client.get(story.get_absolute_url()).content.decode()

    texts = ["misspelt", "informal", "Later figures"]
    positions = [html.index(text) for text in texts]
    assert positions == sorted(positions)
    assert html.index("</aside>") < html.index("</article>")
    assert html.index('class="body"') < html.index('<aside class="corrections"')
    assertInHTML(
        f'<li id="correction-{first.pk}"><p class="label">Correction · '
        '<time datetime="2017-09-14T10:00:00+00:00">14 September 2017, 10:00 UTC</time></p>'
        "<p>The minister&#x27;s name was misspelt.</p></li>",
        html,
    )
    assertInHTML('<h2 id="corrections-heading">Corrections and updates</h2>', html)


def test_note_text_is_shown_as_written_not_as_html(client):
    story = make_story()
    note(story, "<b>Bold</b> claim\nSecond line", at=PUBLISHED + HOUR)
    page = client.get(story.get_absolute_url())
    assertContains(page, "<p>&lt;b&gt;Bold&lt;/b&gt; claim<br>Second line</p>")


# The corrections page


def test_corrections_page_lists_live_stories_only(client):
    for state in STORIES:
        story = make_story(state, headline=f"The {state} story")
        note(story, f"Correction to the {state} story.", at=PUBLISHED + HOUR)

    response = client.get(CORRECTIONS)

    assertContains(response, "Correction to the live story.")
    for state in set(STORIES) - {"live"}:
        assertNotContains(response, f"The {state} story")
    assert len(response.context["object_list"]) == 1


def test_corrections_page_lists_corrections_and_clarifications_not_updates(client):
    story = make_story(headline="Talks in Minsk")
    note(story, "Wrong date.", at=PUBLISHED + HOUR)
    note(story, "Informal talks.", kind=Kind.CLARIFICATION, at=PUBLISHED + 2 * HOUR)
    note(story, "Talks ended.", kind=Kind.UPDATE, at=PUBLISHED + 3 * HOUR)

    response = client.get(CORRECTIONS)

    assert [c.text for c in response.context["object_list"]] == ["Informal talks.", "Wrong date."]
    assertNotContains(response, "Talks ended.")


def test_corrections_page_links_each_note_on_its_story(client):
    story = make_story(headline="Talks in Minsk")
    correction = note(story, "Wrong date.", at=PUBLISHED + HOUR)
    response = client.get(CORRECTIONS)
    anchor = f"/2017/09/14/talks-in-minsk/#correction-{correction.pk}"
    assertInHTML(f'<h2><a href="{anchor}">Talks in Minsk</a></h2>', response.content.decode())
    story_page = client.get(story.get_absolute_url())
    assertContains(story_page, f'id="correction-{correction.pk}"')


def test_corrections_page_is_paginated_by_twenty_newest_first(client):
    story = make_story()
    for n in range(PAGE_SIZE + 1):
        note(story, f"Correction number {n:02d}.", at=PUBLISHED + n * HOUR)

    first = client.get(CORRECTIONS)
    second = client.get(CORRECTIONS, {"page": 2})

    assert first.context["paginator"].per_page == PAGE_SIZE == 20
    assert len(first.context["object_list"]) == 20
    assert first.context["object_list"][0].text == "Correction number 20."
    assertNotContains(first, "Correction number 00.")
    assert [c.text for c in second.context["object_list"]] == ["Correction number 00."]
    assert client.get(CORRECTIONS, {"page": 3}).status_code == 404


def test_corrections_page_answers_when_there_are_none(client):
    assertContains(client.get(CORRECTIONS), "No corrections yet.")


def test_every_page_links_the_corrections_page_in_its_footer(client):
    response = client.get(reverse("articles:front"))
    assertInHTML(f'<a href="{CORRECTIONS}">Corrections</a>', response.content.decode())


# Query counts

QUERIES = {
    # navigation; the banner; the story; its tags; its bylines; its corrections; the stories it leads on to
    "story": 7,
    # the corrections with their stories (a page and one more: never counted); navigation; the banner
    "corrections": 3,
}


def add_ten_more_corrections(story):
    for n in range(10):
        other = make_live(published_at=PUBLISHED - n * HOUR, authors=[make_author()])
        for target in (story, other):
            note(target, f"More {n}.", at=PUBLISHED + (n + 2) * HOUR)


@pytest.mark.parametrize("page", QUERIES)
def test_query_count_stays_the_same_with_ten_more_corrections(
    client, django_assert_num_queries, page
):
    story = make_story(authors=[make_author()], tags=["NATO"])
    note(story, "Wrong date.", at=PUBLISHED + HOUR)
    url = story.get_absolute_url() if page == "story" else CORRECTIONS
    with django_assert_num_queries(QUERIES[page]):
        client.get(url)

    add_ten_more_corrections(story)

    with django_assert_num_queries(QUERIES[page]):
        response = client.get(url)
    assertContains(response, "More 9.")
