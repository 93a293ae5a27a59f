"""
Every page of every listing holds exactly the stories it always held
(?page=N, newest first), found without counting the archive or skipping
through it: the number of pages comes from the counts, and a page's query
starts in the period that holds it.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from articles.views import PAGE_SIZE
from tests.factories import make_article, make_live, make_place

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
HOUR, DAY = datetime.timedelta(hours=1), datetime.timedelta(days=1)
NOW = datetime.datetime(2024, 5, 20, 12, 0, tzinfo=UTC)
OFFSET = re.compile(r"\bOFFSET\s+(\d+)", re.IGNORECASE)


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def archive():
    """Stories over three days of May and two earlier months, with held-back ones among them."""
    place = make_place(slug="riga")
    sizes = {NOW - 70 * DAY: 9, NOW - 35 * DAY: 12, NOW - 2 * DAY: 25, NOW - DAY: 30, NOW: 15}
    for start, size in sizes.items():
        for n in range(size):
            make_live(published_at=start - n * 17 * datetime.timedelta(seconds=60),
                      place=place, tags=["Baltic"])  # fmt: skip
    # Held back on busy days: never shown, never counted.
    make_live(published_at=NOW + HOUR, place=place, tags=["Baltic"])
    make_live(published_at=NOW - DAY, embargo_until=NOW + HOUR, place=place, tags=["Baltic"])
    make_article(place=place, tags=["Baltic"])  # a draft
    return place


def shown(page):
    """The stories of a page, in order: it holds each as its card's row, (pk, version, ...)."""
    return [pk for pk, *_card in page.context["object_list"]]


def live(queryset):
    return list(queryset.order_by("-published_at", "-id").values_list("pk", flat=True))


# The river and date archives skip within a day, places, sections, tags and
# authors within a month, from its nearer end: no more than half of the
# busiest day's 30 stories here, or of May's 70.
LISTINGS = {"/news/": 16, "/2024/": 16, "/2024/05/": 16, "/datelines/riga/": 36, "/tags/baltic/": 36}


@pytest.mark.parametrize("url", LISTINGS)
def test_every_page_holds_what_the_listing_holds_at_its_place(client, archive, url):
    stories = Article.objects.live()
    if "/05/" in url:
        stories = stories.filter(published_at__month=5)
    everything = live(stories)
    pages = -(-len(everything) // PAGE_SIZE)
    for number in range(1, pages + 1):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"page": number})
        assert shown(response) == everything[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
        assert response.context["paginator"].num_pages == pages
        assert_bounded(queries, within=LISTINGS[url])
    assert client.get(url, {"page": pages + 1}).status_code == 404


def assert_bounded(queries, *, within):
    """No COUNT over stories, and no OFFSET past one period's stories."""
    for query in queries.captured_queries:
        sql = query["sql"]
        assert "COUNT(" not in sql.upper() or "articles_article" not in sql, sql
        skipped = [int(n) for n in OFFSET.findall(sql)]
        assert all(n < within for n in skipped), sql


def test_a_day_page_skips_only_within_its_day(client, archive):
    day = (NOW - DAY).strftime("/%Y/%m/%d/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(day, {"page": 2})
    assert len(shown(response)) == 30 - PAGE_SIZE
    assert_bounded(queries, within=16)


def test_tag_page_count_and_pages_leave_out_held_back_stories(client, archive):
    response = client.get("/tags/baltic/")
    assert response.context["paginator"].count == 9 + 12 + 25 + 30 + 15
