"""
A process keeps the navigation's sections, the banners, the listings'
counts and their pages' stories for a moment (articles/recent.py) while no
rendered page is stored: readers of a busy listing cost no query, the change
a process makes shows at once, what another process changed shows within the
moment, and a held-back story shows from its time to the second.
"""

import datetime
import time

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles import counts, recent, taxonomy, workflow
from articles.models import Banner, Status, Tag
from tests.factories import make_article, make_live, make_place, make_section, make_user

pytestmark = pytest.mark.django_db(transaction=True)


class Clock:
    """The clock a moment is measured by, moved by hand: nothing here waits or races."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


@pytest.fixture(autouse=True)
def clock(settings, monkeypatch):
    settings.NEWSROOM_REMEMBER_MS = 1000
    moved = Clock()
    monkeypatch.setattr(recent, "clock", moved)
    recent.forget()
    yield moved
    recent.forget()


def make_editor():
    # A superuser: the groups a data migration made are gone after a transactional test's flush.
    return make_user(f"chief{time.monotonic_ns()}", is_superuser=True)


def in_navigation(section):
    return f'<li><a href="{section.get_absolute_url()}">{section.name}</a></li>'


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(captured)


@pytest.mark.parametrize("url", ["/news/", "/news/?page=2", "/datelines/riga/", "/tags/baltic/"])
def test_a_busy_listing_is_read_once_a_moment(client, url):
    economy = make_section(name="Economy")
    riga = make_place(name="Riga", slug="riga")
    for n in range(25):
        make_live(headline=f"Baltic story {n}", section=economy, place=riga, tags=["Baltic"],
                  published_at=timezone.now() - datetime.timedelta(minutes=n))  # fmt: skip
    client.get(url)  # the first reader, who leaves the stories' cards in the cache
    recent.forget()

    first_page, first = queries(client, url)
    again, second = queries(client, url)

    # The counts, the navigation, the banner and the page's stories are read
    # once (and a place's or tag's name): then nothing, for the same page.
    assert first >= 4
    assert second == 0
    assert again.content == first_page.content
    assertContains(again, in_navigation(economy))


def test_a_change_made_in_this_process_shows_at_once(client):
    editor = make_editor()
    make_live(headline="Older story")
    client.get("/news/")
    sport = make_section(name="Sport")
    draft = make_article(headline="Sports result", section=sport, status=Status.DRAFT)

    workflow.publish(draft, by=editor)
    published = client.get("/news/")

    assertContains(published, "Sports result")
    assertContains(published, in_navigation(sport))
    assert published.context["paginator"].count == 2

    workflow.withdraw(draft, by=editor, reason="Wrong score.")
    withdrawn = client.get("/news/")

    assertNotContains(withdrawn, "Sports result")
    assertNotContains(withdrawn, in_navigation(sport))
    assert withdrawn.context["paginator"].count == 1


def test_a_change_made_by_another_process_shows_within_the_moment(client, clock):
    make_live(headline="Older story")
    client.get("/news/")
    kept = dict(recent._kept)
    # Another app server publishes: this process hears nothing of it.
    sport = make_section(name="Sport")
    workflow.publish(make_article(headline="Sports result", section=sport), by=make_editor())
    recent._kept.update(kept)

    clock.now += 0.9
    meanwhile = client.get("/news/")
    clock.now += 0.2
    later = client.get("/news/")

    # The page stays as it was, all of a piece, for the rest of the moment.
    assertNotContains(meanwhile, "Sports result")
    assertNotContains(meanwhile, in_navigation(sport))
    assert meanwhile.context["paginator"].count == 1
    assertContains(later, "Sports result")
    assertContains(later, in_navigation(sport))
    assert later.context["paginator"].count == 2


def test_a_story_withdrawn_by_another_process_leaves_the_listings_within_the_moment(client, clock):
    editor = make_editor()
    riga = make_place(name="Riga", slug="riga")
    story = make_live(headline="Wrong result", place=riga, tags=["Baltic"])
    make_live(headline="Older story", place=riga, tags=["Baltic"],
              published_at=timezone.now() - datetime.timedelta(hours=1))  # fmt: skip
    urls = ["/news/", story.published_at.strftime("/%Y/%m/%d/"), "/datelines/riga/", "/tags/baltic/"]
    for url in urls:
        assertContains(client.get(url), "Wrong result")
    kept = dict(recent._kept)
    workflow.withdraw(story, by=editor, reason="Not ours to run.")  # elsewhere
    recent._kept.update(kept)

    clock.now += 1.1
    for url in urls:
        assertNotContains(client.get(url), "Wrong result")
        assertContains(client.get(url), "Older story")


@pytest.mark.parametrize("url", ["/news/", "/tags/baltic/"])
def test_a_scheduled_story_is_listed_from_its_time_though_the_page_is_kept(client, url):
    start = timezone.now()
    due = start + datetime.timedelta(minutes=5)
    with time_machine.travel(start, tick=False):
        make_live(headline="Older story", tags=["Baltic"])
        workflow.publish(make_article(headline="Scheduled story", tags=["Baltic"]), by=make_editor(), at=due)
        before = client.get(url)
    with time_machine.travel(due + datetime.timedelta(seconds=1), tick=False):
        after = client.get(url)  # the clock of the moment has not moved: counts and page are kept

    assertNotContains(before, "Scheduled story")
    assert before.context["paginator"].count == 1
    assertContains(after, "Scheduled story")
    assertContains(after, "Older story")
    assert after.context["paginator"].count == 2


def test_a_banner_shows_from_its_start_to_its_end_though_the_banners_are_kept(client):
    make_live(headline="Older story")
    now = timezone.now()
    starts, ends = now + datetime.timedelta(minutes=5), now + datetime.timedelta(minutes=10)
    workflow.set_banner(Banner(text="Polls close", starts_at=starts, ends_at=ends), by=make_editor())

    readings = []
    for moment in (now, starts, ends):
        with time_machine.travel(moment, tick=False):
            readings.append("Polls close" in client.get("/news/").content.decode())

    assert readings == [False, True, False]


def test_nothing_is_kept_while_pages_are_stored_or_within_a_transaction(settings):
    reads = []

    def read():
        reads.append(1)
        return len(reads)

    assert [recent.remembered("key", read) for _ in range(2)] == [1, 1]
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300
    assert [recent.remembered("key", read) for _ in range(2)] == [2, 3]
    settings.NEWSROOM_PAGE_CACHE_SECONDS, settings.NEWSROOM_SEARCH_CACHE_SECONDS = 0, 60
    assert [recent.remembered("key", read) for _ in range(2)] == [4, 5]
    settings.NEWSROOM_SEARCH_CACHE_SECONDS = 0
    with transaction.atomic():
        assert [recent.remembered("key", read) for _ in range(2)] == [6, 7]
    settings.NEWSROOM_REMEMBER_MS = 0
    assert [recent.remembered("key", read) for _ in range(2)] == [8, 9]


def test_kept_counts_are_worked_out_for_whichever_moment_is_asked():
    make_live(headline="Older story")
    now = timezone.now()
    workflow.publish(make_article(headline="Scheduled"), by=make_editor(), at=now + datetime.timedelta(hours=1))

    def river(at):
        return sum(live for _day, live in counts.periods(counts.DAY, now=at))

    assert [river(now + datetime.timedelta(hours=2)), river(now), river(now + datetime.timedelta(hours=1))] == [2, 1, 2]


def onward_headlines(response):
    onward = response.context["onward"]
    return [story.headline for story in onward.related]


def test_a_story_page_reads_the_stories_it_leads_on_to_once_a_moment(client, settings):
    make_live(headline="Earlier on NATO", tags=["NATO"], published_at=timezone.now() - datetime.timedelta(days=1))
    story = make_live(headline="NATO summit", tags=["NATO"])
    client.get(story.get_absolute_url())  # the first reader
    recent.forget()

    _page, first = queries(client, story.get_absolute_url())
    again, second = queries(client, story.get_absolute_url())

    # The onward query, the navigation and the banner are kept; the story itself is read again.
    assert first - second == 3
    assert onward_headlines(again) == ["Earlier on NATO"]


def test_a_story_page_shows_a_new_related_story_at_once_here_and_within_the_moment_elsewhere(client, clock):
    story = make_live(headline="NATO summit", tags=["NATO"], published_at=timezone.now() - datetime.timedelta(hours=2))
    client.get(story.get_absolute_url())
    kept = dict(recent._kept)
    newer = make_article(headline="NATO answers", tags=["NATO"])
    workflow.publish(newer, by=make_editor())  # in another process: this one is told nothing
    recent._kept.update(kept)

    clock.now += 0.9
    meanwhile = client.get(story.get_absolute_url())
    clock.now += 0.2
    later = client.get(story.get_absolute_url())
    workflow.withdraw(newer, by=make_editor(), reason="Wrong.")  # in this process
    withdrawn = client.get(story.get_absolute_url())

    assert onward_headlines(meanwhile) == []
    assert onward_headlines(later) == ["NATO answers"]
    assert onward_headlines(withdrawn) == []


def test_a_tag_merged_in_this_process_leads_to_the_kept_one_at_once(client):
    make_live(headline="Summit", tags=["North Atlantic Alliance"])
    make_live(headline="Alliance", tags=["NATO"])
    kept, merged = Tag.objects.get(name="NATO"), Tag.objects.get(name="North Atlantic Alliance")
    assert client.get(f"/tags/{merged.slug}/").status_code == 200  # kept a moment

    taxonomy.merge_tags(kept, [merged])
    response = client.get(f"/tags/{merged.slug}/")

    assert response.status_code == 301
    assert response["Location"] == f"/tags/{kept.slug}/"


def test_kept_pages_of_listings_with_the_same_counts_are_each_their_own(client):
    for name in ("Riga", "Oslo"):
        place = make_place(name=name.upper(), slug=name.lower())
        make_live(headline=f"Story from {name}", place=place, tags=[name])

    for name in ("Riga", "Oslo"):
        for url in (f"/datelines/{name.lower()}/", f"/tags/{name.lower()}/"):
            page = client.get(url)
            assertContains(page, f"Story from {name}")
            assert page.context["paginator"].count == 1


def lead_headline(response):
    return response.context["page"].lead.stories[0].headline


def test_a_busy_front_page_is_composed_once_a_moment(client):
    for n in range(6):
        make_live(headline=f"Story {n}", published_at=timezone.now() - datetime.timedelta(minutes=n))
    client.get("/")  # the first reader, who leaves the stories' cards in the cache
    recent.forget()

    first_page, first = queries(client, "/")
    again, second = queries(client, "/")

    assert first >= 4
    assert second == 0
    assert again.content == first_page.content
    assert lead_headline(again) == "Story 0"


def test_the_kept_front_page_takes_in_a_scheduled_story_at_its_time_and_a_change_at_once(client):
    start = timezone.now()
    due = start + datetime.timedelta(minutes=5)
    editor = make_editor()
    with time_machine.travel(start, tick=False):
        make_live(headline="Older story", published_at=start - datetime.timedelta(hours=1))
        workflow.publish(make_article(headline="Scheduled story"), by=editor, at=due)
        before = client.get("/")
        kept = client.get("/")
    with time_machine.travel(due, tick=False):
        at_its_time = client.get("/")  # the clock of the moment has not moved
        workflow.publish(make_article(headline="Breaking story"), by=editor)
        published = client.get("/")

    assert [lead_headline(page) for page in (before, kept, at_its_time, published)] == [
        "Older story", "Older story", "Scheduled story", "Breaking story",
    ]  # fmt: skip


def test_an_arrangement_made_in_this_process_shows_on_the_kept_front_page_at_once(client):
    from articles import frontpage

    older = make_live(headline="Older story", published_at=timezone.now() - datetime.timedelta(hours=1))
    make_live(headline="Newest story")
    assert lead_headline(client.get("/")) == "Newest story"

    arrangement = frontpage.stored()
    arrangement.lead.chosen = [older]
    workflow.arrange_front_page(arrangement, by=make_editor())

    assert lead_headline(client.get("/")) == "Older story"
