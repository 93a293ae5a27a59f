"""manage.py seed_archive: a realistic archive in bulk, on SQLite and PostgreSQL."""

import datetime
import importlib.util
import io
import zoneinfo
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Correction, Place, Status

STORIES = 150
END = datetime.date(2026, 6, 30)


def seed(*args):
    out = io.StringIO()
    # Without the search index: its rebuild may work over connections of its
    # own, which would not see this test's uncommitted stories.
    call_command("seed_archive", *map(str, args), "--end", END.isoformat(), "--no-search", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def archive(django_db_setup, django_db_blocker):
    """One archive for the module's tests, rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed(STORIES)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def seeded(archive, db):
    return Article.objects.all()


def test_every_story_carries_three_to_six_tags_and_one_to_three_bylines(seeded):
    stories = seeded.annotate(tags_n=Count("tags", distinct=True), bylines_n=Count("bylines", distinct=True))
    assert stories.count() == STORIES
    assert {story.tags_n for story in stories} <= {3, 4, 5, 6}
    assert {story.bylines_n for story in stories} <= {1, 2, 3}
    assert {story.bylines_n for story in stories} >= {1, 2}


def test_archive_holds_a_working_desks_mix_of_states(seeded):
    statuses = set(seeded.values_list("status", flat=True))
    assert statuses == {Status.DRAFT, Status.IN_REVIEW, Status.PUBLISHED, Status.WITHDRAWN}
    live = seeded.live().count()
    assert live > 0.9 * STORIES
    scheduled = seeded.scheduled()
    assert scheduled.filter(embargo_until__isnull=True).exists()  # due later
    assert scheduled.filter(embargo_until__isnull=False).exists()  # held by an embargo
    assert Correction.objects.exists()
    assert seeded.live().filter(revised_at__isnull=False).exists()


def test_stories_span_three_years_ending_on_the_end_date(seeded):
    days = list(seeded.live().dates("published_at", "day"))
    # 150 stories leave most days empty; the newest is close to the end.
    assert END - datetime.timedelta(days=30) <= days[-1] <= END
    assert days[0] >= END - datetime.timedelta(days=3 * 366)
    assert days[0] <= END - datetime.timedelta(days=2 * 365)


def test_dateline_places_are_real_cities_with_their_zones(seeded):
    places = Place.objects.all()
    assert places.count() == 300
    assert places.get(slug="moscow").time_zone == "Europe/Moscow"
    for place in places:
        assert place.country and zoneinfo.ZoneInfo(place.time_zone)
        assert place.name == place.name.upper()


def test_every_public_story_answers_with_its_dateline(seeded, client):
    for story in seeded.live().for_listing():
        response = client.get(story.get_absolute_url())
        assert response.status_code == 200, story.get_absolute_url()
        assert story.dateline_text in response.content.decode()


def test_hidden_stories_stay_hidden(seeded, client):
    scheduled = seeded.scheduled().first()
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    withdrawn = seeded.withdrawn().first()
    assert client.get(withdrawn.get_absolute_url()).status_code == 410


def test_bodies_are_what_the_sanitiser_keeps(seeded):
    sanitise = Article._meta.get_field("body").sanitize
    for body in seeded.values_list("body", flat=True):
        assert sanitise(body) == body
        assert 200 <= len(body.split()) <= 2500  # words, with tags counted in
    assert seeded.filter(body__contains="<h2>").exists()
    assert seeded.filter(body__contains="<blockquote>").exists()
    assert seeded.filter(body__contains='<a href="/').exists()


def test_seeding_again_without_reset_refuses(seeded):
    with pytest.raises(CommandError, match=f"already has {STORIES} articles.*--reset"):
        seed(50)
    assert seeded.count() == STORIES


def test_reset_replaces_the_archive_with_the_same_one_for_the_same_seed(seeded):
    seed(60, "--reset")
    first = list(Article.objects.order_by("pk").values_list("slug", "body"))
    assert len(first) == 60
    seed(60, "--reset")
    assert list(Article.objects.order_by("pk").values_list("slug", "body")) == first
    assert Place.objects.count() == 300


def test_seeding_needs_a_number_of_stories(db):
    with pytest.raises(CommandError, match="how many stories"):
        call_command("seed_archive", stdout=io.StringIO())


# The scale benchmark (bench/scale.py) over a seeded archive


def bench_module(name):
    path = Path(__file__).resolve().parent.parent / "bench" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_benchmark_finds_and_opens_every_kind_of_page(seeded):
    pages = bench_module("pages")
    kinds = pages.discover()
    # 150 stories make too few pages for the deep ones, and none is 48 hours old.
    assert set(kinds.missing) == {"river-p50", "desk-list-p50", "sitemap-news"}
    browser = pages.Browser()
    for kind, (path, who) in kinds.paths.items():
        result = browser.open(kind, path, who)
        assert result["status"] == 200, (kind, path, result)
        assert result["sql"] >= 1 and result["bytes"] > 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN output is PostgreSQL's")
def test_benchmark_sums_up_plans_and_flags_deep_offsets(seeded):
    plans = bench_module("plans")
    with CaptureQueriesContext(connection) as captured:
        list(Article.objects.order_by("headline")[1500:1510])
    [found] = plans.explain([query["sql"] for query in captured.captured_queries])
    assert found["shape"].startswith("Limit <- ")
    assert found["warnings"] == ["OFFSET 1,500"]
    assert plans.summary([found]).endswith("; **OFFSET 1,500**")
