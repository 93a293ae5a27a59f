"""What readers see of the arranged front page: chosen stories while live, the rest filled, each once."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Status
from tests.factories import make_article, make_editor, make_live, make_section
from tests.frontpage.helpers import arrange

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
FRONT = reverse("articles:front")


def headlines(client, css_block):
    """The headlines in one block of the front page, in order."""
    html = client.get(FRONT).content.decode()
    start = html.index(css_block)
    end = html.index("</section>", start)
    return [part.split("</a>")[0].split(">")[-1] for part in html[start:end].split("<h2>")[1:]]


def story(headline, minutes_ago, **fields):
    return make_live(headline=headline, published_at=timezone.now() - datetime.timedelta(minutes=minutes_ago), **fields)


@pytest.fixture
def editor():
    return make_editor()


def test_unarranged_front_page_leads_with_the_newest_story(client):
    story("Older", 20)
    story("Newest", 10)
    assert headlines(client, 'class="lead"') == ["Newest"]


def test_chosen_lead_and_top_stories_come_first_and_newest_fill_the_rest(client, editor):
    old, older = story("Chosen lead", 50), story("Chosen top", 60)
    story("Newest", 1)
    story("Second newest", 2)
    arrange(editor, lead=old, top=[older], top_size=2)
    assert headlines(client, 'class="lead"') == ["Chosen lead"]
    assert headlines(client, 'class="top-stories"') == ["Chosen top", "Newest"]
    river = headlines(client, 'aria-labelledby="river-title"')
    assert river == ["Second newest"]  # no story shown twice


def test_section_block_shows_chosen_then_newest_of_its_section(client, editor):
    economy = make_section(name="Economy", slug="economy")
    chosen = story("Grain deal", 90, section=economy)
    story("Oil price", 5, section=economy)
    story("Bank rate", 6, section=economy)
    story("Elsewhere", 1)
    arrange(editor, top_size=1, sections=[(economy, 2, [chosen])])
    # The lead and top stories are filled first; the block never repeats them.
    assert headlines(client, 'class="lead"') == ["Elsewhere"]
    assert headlines(client, 'class="top-stories"') == ["Oil price"]
    assert headlines(client, 'class="section-block"') == ["Grain deal", "Bank rate"]


def test_withdrawn_story_leaves_its_slot_at_once(client, editor):
    lead = story("Disputed claim", 30)
    story("Fallback", 40)
    arrange(editor, lead=lead)
    assert headlines(client, 'class="lead"') == ["Disputed claim"]
    workflow.withdraw(lead, by=editor, reason="Legal asked.")
    assert headlines(client, 'class="lead"') == ["Fallback"]
    assert "Disputed claim" not in client.get(FRONT).content.decode()


def test_re_embargoed_story_leaves_its_slot(client, editor):
    lead = story("Budget figures", 30)
    story("Fallback", 40)
    arrange(editor, lead=lead)
    lead.embargo_until = timezone.now() + HOUR
    workflow.edit(lead, by=editor, save=lead.save)
    assert headlines(client, 'class="lead"') == ["Fallback"]


def test_deleted_draft_takes_its_slot_with_it(client, editor):
    scheduled = make_article(headline="Plans", status=Status.PUBLISHED, published_at=timezone.now() + HOUR)
    arrange(editor, top=[scheduled])
    workflow.unpublish(scheduled, by=editor)
    workflow.delete(scheduled, by=editor)
    assert client.get(FRONT).status_code == 200


def test_scheduled_story_fills_its_slot_at_its_time(client, editor):
    at = timezone.now() + HOUR
    scheduled = make_article(headline="Election results", status=Status.PUBLISHED, published_at=at)
    story("Meanwhile", 10)
    arrange(editor, lead=scheduled)
    with time_machine.travel(at - datetime.timedelta(seconds=1), tick=False):
        assert headlines(client, 'class="lead"') == ["Meanwhile"]
        assert "Election results" not in client.get(FRONT).content.decode()
    with time_machine.travel(at + datetime.timedelta(seconds=1), tick=False):
        assert headlines(client, 'class="lead"') == ["Election results"]


# Query counts

# the front page's blocks with their sections; their chosen live stories
# (with section and place); the newest live stories; the newest of each
# section block (one query for all blocks); navigation; the banner
FRONT_QUERIES = 6


def arranged_newsroom(editor, extra=0):
    sections = [make_section() for _ in range(2 + extra)]
    stories = [story(f"Story {n}", n + 1, section=sections[n % len(sections)]) for n in range(12 + extra)]
    arrange(
        editor,
        lead=stories[5],
        top=stories[6 : 8 + extra],
        top_size=3 + extra,
        sections=[(section, 3, stories[9 + n : 10 + n]) for n, section in enumerate(sections)],
    )


def test_front_page_queries(client, editor, django_assert_num_queries):
    arranged_newsroom(editor)
    client.get(FRONT)  # the first reader, who leaves the cards in the cache
    with django_assert_num_queries(FRONT_QUERIES):
        assert client.get(FRONT).status_code == 200


def test_front_page_queries_stay_the_same_with_ten_more_stories_slots_and_blocks(
    client, editor, django_assert_num_queries
):
    arranged_newsroom(editor, extra=10)
    client.get(FRONT)
    with django_assert_num_queries(FRONT_QUERIES):
        assert client.get(FRONT).status_code == 200
