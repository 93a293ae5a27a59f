"""
The counts behind every listing (articles/counts.py) always equal the live
set, whatever happened to the stories: published, scheduled and falling due,
embargoed and lifted, edited into other places and tags, withdrawn, deleted,
their tags merged. Each check compares the counts with the stories counted
one by one.
"""

import datetime
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import counts, taxonomy, workflow
from articles.models import Article, StoryCount, Tag
from tests.factories import (
    make_article,
    make_author,
    make_editor,
    make_live,
    make_place,
    make_section,
    make_user,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
HOUR, DAY, MINUTE = (datetime.timedelta(hours=1), datetime.timedelta(days=1), datetime.timedelta(minutes=1))
NOW = datetime.datetime(2024, 3, 31, 22, 30, tzinfo=UTC)  # 1 April in Moscow


@pytest.fixture(autouse=True)
def clock(time_machine, settings):
    settings.TIME_ZONE = "Europe/Moscow"  # days and months are the newsroom's
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def editor():
    return make_editor()


def truth():
    """What every listing holds, counted story by story: {(kind, key): Counter(period: n)}."""
    found = {}
    for story in Article.objects.live().prefetch_related("tags", "bylines"):
        keys = [(counts.DAY, 0), (counts.PLACE, story.place_id), (counts.SECTION, story.section_id)]
        keys += [(counts.TAG, tag.pk) for tag in story.tags.all()]
        keys += [(counts.AUTHOR, byline.author_id) for byline in story.bylines.all()]
        for kind, key in keys:
            if key is not None:
                period = counts.period_of(kind, story.published_at)
                found.setdefault((kind, key), Counter())[period] += 1
    return found


def counted():
    """The same, as readers are shown it from the counts."""
    found = {}
    for kind, key in StoryCount.objects.values_list("kind", "key").distinct():
        periods = counts.periods(kind, key)
        if periods:
            found[kind, key] = Counter(dict(periods))
    return found


def assert_counts_are_true():
    expected = truth()
    assert counted() == expected
    for kind in [counts.PLACE, counts.SECTION, counts.TAG, counts.AUTHOR]:
        totals = {key: sum(n.values()) for (k, key), n in expected.items() if k == kind}
        assert counts.totals(kind) == totals


def filed(**fields):
    """A draft filed under a place, section, two tags and two authors."""
    world = {
        "place": make_place(),
        "section": make_section(),
        "tags": ["Elections", "Budget"],
        "authors": [make_author(), make_author()],
    }
    return make_article(**{**world, **fields})


def test_publishing_counts_the_story_in_every_listing_it_joins(editor):
    story = filed()
    assert_counts_are_true()
    workflow.publish(story, by=editor)
    assert counts.periods(counts.DAY) == [(datetime.date(2024, 4, 1), 1)]
    assert counts.periods(counts.TAG, Tag.objects.get(name="Budget").pk) == [(datetime.date(2024, 4, 1), 1)]
    assert_counts_are_true()


def test_a_scheduled_story_counts_for_readers_from_its_time(editor, clock):
    story = filed()
    workflow.publish(story, by=editor, at=NOW + HOUR)
    assert counts.periods(counts.DAY) == []
    assert_counts_are_true()
    clock.move_to(NOW + HOUR, tick=False)  # no write happens: the time alone has come
    assert counts.periods(counts.DAY) == [(datetime.date(2024, 4, 1), 1)]
    assert_counts_are_true()


def test_an_embargoed_story_counts_once_the_embargo_lifts(editor, clock):
    story = filed(embargo_until=NOW + 2 * HOUR)
    workflow.publish(story, by=editor, at=NOW - HOUR)
    assert counts.totals(counts.PLACE) == {}
    clock.move_to(NOW + 2 * HOUR, tick=False)
    assert counts.totals(counts.PLACE) == {story.place_id: 1}
    assert_counts_are_true()


def test_withdrawing_unpublishing_and_restoring_keep_counts_true(editor, clock):
    public, scheduled = filed(), filed()
    workflow.publish(public, by=editor)
    workflow.publish(scheduled, by=editor, at=NOW + DAY)
    workflow.withdraw(public, by=editor, reason="Legal")
    assert_counts_are_true()
    workflow.unpublish(scheduled, by=editor)
    assert_counts_are_true()
    workflow.restore(public, by=editor)
    assert_counts_are_true()
    assert counts.totals(counts.SECTION) == {public.section_id: 1}


def test_editing_a_live_story_moves_it_between_listings(editor):
    story = filed()
    workflow.publish(story, by=editor)
    other_place, other_section, reporter = make_place(), make_section(), make_author()

    def write():
        story.place, story.section = other_place, other_section
        story.save()
        story.tags.set(["Health"])
        story.bylines.all().delete()
        story.bylines.create(author=reporter)

    workflow.edit(story, by=editor, save=write)
    assert counts.totals(counts.PLACE) == {other_place.pk: 1}
    assert counts.totals(counts.TAG) == {Tag.objects.get(name="Health").pk: 1}
    assert counts.totals(counts.AUTHOR) == {reporter.pk: 1}
    assert_counts_are_true()


def test_rescheduling_moves_the_story_to_its_new_day(editor):
    story = filed()
    workflow.publish(story, by=editor, at=NOW - 3 * DAY)
    workflow.reschedule(story, by=editor, at=NOW - DAY)
    assert counts.periods(counts.DAY) == [(datetime.date(2024, 3, 31), 1)]
    assert_counts_are_true()


def test_a_scheduled_story_unpublished_and_deleted_leaves_the_counts_true(editor):
    story, kept = filed(), filed()
    workflow.publish(story, by=editor, at=NOW + DAY)
    workflow.publish(kept, by=editor)
    staff = make_user("chief", "Editor", is_superuser=True)
    with pytest.raises(workflow.TransitionError):
        workflow.delete(story, by=staff)  # published: unpublished first
    workflow.unpublish(story, by=editor)
    workflow.delete(story, by=staff)
    assert counts.totals(counts.PLACE) == {kept.place_id: 1}
    assert_counts_are_true()


def test_merging_tags_adds_the_duplicates_stories_to_the_kept_tag(editor):
    first = filed(tags=["Zapad"])
    second = filed(tags=["Zapad-2017", "Exercises"])
    for story in (first, second):
        workflow.publish(story, by=editor)
    exercises = Tag.objects.get(name="Exercises")
    taxonomy.merge_tags(exercises, list(Tag.objects.filter(name__startswith="Zapad")))
    assert counts.totals(counts.TAG) == {exercises.pk: 2}
    assert_counts_are_true()


def test_counts_follow_the_newsrooms_days_and_months(editor):
    # 22:30 UTC on 31 March is 1 April in Moscow: the story is April's.
    story = filed()
    workflow.publish(story, by=editor, at=NOW - MINUTE)
    assert counts.periods(counts.PLACE, story.place_id) == [(datetime.date(2024, 4, 1), 1)]


def rows():
    fields = ["kind", "key", "period", "published", "pending"]
    return set(StoryCount.objects.values_list(*fields))


def test_rebuild_gives_the_counts_workflow_kept(editor, clock):
    stories = [filed() for _ in range(4)]
    workflow.publish(stories[0], by=editor, at=NOW - 40 * DAY)
    workflow.publish(stories[1], by=editor, at=NOW + HOUR)
    workflow.publish(stories[2], by=editor)
    workflow.withdraw(stories[2], by=editor, reason="Wrong")
    workflow.publish(stories[3], by=editor, at=NOW - 2 * DAY)
    kept = rows()
    counts.rebuild()
    assert rows() == kept
    assert_counts_are_true()


def test_rebuild_counts_stories_loaded_in_bulk():
    place = make_place()
    Article.objects.bulk_create(
        Article(headline=f"Bulk {n}", slug=f"bulk-{n}", status="published", place=place,
                published_at=NOW - n * DAY)
        for n in range(1, 4)
    )  # fmt: skip
    assert counts.totals(counts.PLACE) == {}
    counts.rebuild()
    assert counts.totals(counts.PLACE) == {place.pk: 3}
    assert_counts_are_true()


def test_a_day_of_the_river_knows_when_readers_last_saw_it_change(editor, clock):
    story = filed()
    workflow.publish(story, by=editor, at=NOW + HOUR)  # scheduled: nothing to see yet
    assert counts.days() == []
    clock.move_to(NOW + 2 * HOUR, tick=False)
    [(day, live, changed)] = counts.days()
    assert (day, live, changed) == (datetime.date(2024, 4, 1), 1, NOW + HOUR)
    workflow.add_correction(story, by=editor, kind="correction", text="Fixed a name.")
    assert counts.days()[0][2] == timezone.now()


def test_counting_never_reads_the_whole_archive(editor):
    """Refreshing after a publish counts only the periods the story is in."""
    story = filed()
    for n in range(5):
        make_live(published_at=NOW - (n + 40) * DAY, place=story.place)
    with CaptureQueriesContext(connection) as captured:
        workflow.publish(story, by=editor)
    counting = [q["sql"] for q in captured.captured_queries if 'AS "bucket"' in q["sql"]]
    assert counting and all(">=" in sql and "<" in sql for sql in counting), counting


def test_the_place_index_shows_live_counts_and_leaves_out_places_without_any(client):
    busy, quiet = make_place(name="MOSCOW"), make_place(name="KAZAN")
    make_place(name="TOMSK")  # no story at all
    make_live(place=busy, published_at=NOW - HOUR)
    make_live(place=busy, published_at=NOW - 2 * HOUR)
    make_article(place=quiet, status="draft")
    make_article(place=quiet, status="published", published_at=NOW + HOUR)
    make_article(place=quiet, status="withdrawn", published_at=NOW - HOUR)
    response = client.get("/datelines/")
    places = {place.name: place.live_count for place in response.context["places"]}
    assert places == {"MOSCOW": 2}


def test_deleting_a_tag_drops_its_counts(admin_client):
    story = make_live(tags=["Rumours"])
    rumours = Tag.objects.get(name="Rumours")
    response = admin_client.post(f"/admin/articles/tag/{rumours.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not StoryCount.objects.filter(kind=counts.TAG, key=rumours.pk).exists()
    assert counts.periods(counts.DAY)[0][1] == 1  # the story itself is still counted
    assert story.tags.count() == 0


def test_rebuild_counts_command_reports_what_it_recounted(capsys):
    make_live(place=make_place())
    call_command("rebuild_counts")
    # The day, the place's month, and the place's all-time row.
    assert "Recounted 3 listing periods" in capsys.readouterr().out
