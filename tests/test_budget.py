"""The admin's front page: the desk's story budget."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.admin_site import story_budget
from articles.models import Status
from tests.factories import make_article, make_editor, make_reporter

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def budget_world(now):
    return {
        "review": make_article(headline="Waiting for the desk", status=Status.IN_REVIEW),
        "soon": make_article(headline="Goes out at noon", status=Status.PUBLISHED, published_at=now + 3 * HOUR),
        "later": make_article(headline="Goes out next week", status=Status.PUBLISHED, published_at=now + 100 * HOUR),
        "embargoed": make_article(
            headline="Embargoed report",
            status=Status.PUBLISHED,
            published_at=now - HOUR,
            embargo_until=now + 2 * HOUR,
        ),
        "today": make_article(headline="Out this morning", status=Status.PUBLISHED, published_at=now - 2 * HOUR),
        "yesterday": make_article(headline="Out yesterday", status=Status.PUBLISHED, published_at=now - 30 * HOUR),
        "withdrawn": make_article(headline="Taken down", status=Status.WITHDRAWN, published_at=now - 5 * HOUR),
        "draft": make_article(headline="Still a draft"),
    }


def headlines(stories):
    return [story.headline for story in stories]


def test_budget_sorts_the_desk_s_stories(settings):
    settings.TIME_ZONE = "UTC"
    now = timezone.now().replace(hour=12, minute=0)
    world = budget_world(now)

    budget = story_budget(now=now)

    assert headlines(budget["in_review"]) == ["Waiting for the desk"]
    assert headlines(budget["scheduled"]) == ["Embargoed report", "Goes out at noon"]
    assert headlines(budget["published_today"]) == ["Out this morning"]
    assert headlines(budget["withdrawn"]) == ["Taken down"]
    assert world["draft"].headline not in str(budget)


def test_budget_is_the_admin_front_page_with_links_and_time_zone(client, settings):
    settings.TIME_ZONE = "Europe/Moscow"
    now = timezone.now()
    world = budget_world(now)
    client.force_login(make_editor())

    page = client.get(reverse("admin:index")).content.decode()

    assert "Story budget" in page and "Europe/Moscow" in page
    for key in ("review", "soon", "embargoed", "withdrawn"):
        url = reverse("admin:articles_article_change", args=[world[key].pk])
        assert f'href="{url}"' in page, key
    assert "Goes out next week" not in page
    assert "MSK" in page  # scheduled times carry their zone


def test_reporters_see_the_budget_too(client):
    make_article(headline="Waiting for the desk", status=Status.IN_REVIEW)
    client.force_login(make_reporter())
    assert "Waiting for the desk" in client.get(reverse("admin:index")).content.decode()


def test_a_story_both_due_and_under_embargo_is_listed_once(settings):
    now = timezone.now()
    story = make_article(
        headline="Held twice",
        status=Status.PUBLISHED,
        published_at=now + HOUR,
        embargo_until=now + 2 * HOUR,
    )
    assert story_budget(now=now)["scheduled"] == [story]


# session, user; stories in review; scheduled by their own time; held by an
# embargo; published today; withdrawn; the editor's own and group permissions
# (for the list of models); the editor's recent actions.
BUDGET_QUERIES = 10


def test_budget_queries_do_not_grow_with_stories(client, django_assert_num_queries):
    client.force_login(make_editor())
    budget_world(timezone.now())
    with django_assert_num_queries(BUDGET_QUERIES):
        assert client.get(reverse("admin:index")).status_code == 200
    for _ in range(10):
        budget_world(timezone.now())
    with django_assert_num_queries(BUDGET_QUERIES):
        assert client.get(reverse("admin:index")).status_code == 200
