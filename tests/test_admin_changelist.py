"""
The story list at archive size: counts that stop where paging stops, no
deep offsets, no DISTINCT, and date links found by index probes.
"""

import datetime
import re

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import search
from articles.admin.changelist import ArchivePaginator
from articles.models import Article, Status, Tag
from tests.factories import (
    make_agency,
    make_article,
    make_author,
    make_live,
    make_place,
    make_section,
)

pytestmark = pytest.mark.django_db

PER_PAGE, MAX_PAGES = 3, 2
REACH = PER_PAGE * MAX_PAGES  # the stories the list pages through: counted exactly up to here


@pytest.fixture
def short_pages(monkeypatch):
    """Pages of three stories, and only two of them, so a few stories fill the list."""
    monkeypatch.setattr(ArchivePaginator, "max_pages", MAX_PAGES)
    monkeypatch.setattr(admin.site._registry[Article], "list_per_page", PER_PAGE)


def story_list(client, **params):
    return client.get(reverse("admin:articles_article_changelist"), params)


def at(*parts):
    return datetime.datetime(*parts, tzinfo=datetime.UTC)


def filed_stories(count, **fields):
    """``count`` live stories, each filed under the same section, place, author and tag."""
    filing = dict(section=make_section(), place=make_place(), agency=make_agency())
    tag, author = Tag.objects.create(name="Budget"), make_author()
    for n in range(count):
        when = at(2025, 6, 14, 9) + datetime.timedelta(minutes=n)
        make_live(published_at=when, tags=[tag], authors=[author], **filing, **fields)
    return {
        "section__id__exact": filing["section"].pk,
        "place": filing["place"].pk,
        "author": author.pk,
        "tag": tag.pk,
    }


# Counts and pages


def test_a_list_that_fits_its_pages_is_counted_exactly(admin_client, short_pages):
    for _ in range(REACH):
        make_article()
    response = story_list(admin_client)
    cl = response.context["cl"]
    assert (cl.result_count, cl.paginator.qualifier, cl.paginator.num_pages) == (REACH, "", 2)
    assert f"{REACH} articles" in response.content.decode()
    assert "Only the first" not in response.content.decode()


def test_past_its_last_page_the_list_says_about_how_many(admin_client, short_pages):
    for _ in range(REACH + 3):
        make_article()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the planner estimates from fresh statistics
            cursor.execute("ANALYZE articles_article")
    response = story_list(admin_client)
    page = response.content.decode()
    cl = response.context["cl"]
    assert cl.paginator.num_pages == MAX_PAGES
    if connection.vendor == "postgresql":
        assert (cl.paginator.qualifier, cl.result_count) == ("about", REACH + 3)
        assert f"about {REACH + 3} articles" in page
    else:  # no estimate to be had: a lower bound
        assert (cl.paginator.qualifier, cl.result_count) == ("more than", REACH)
        assert f"more than {REACH} articles" in page
    assert f"Only the first {MAX_PAGES} pages are listed" in page


def test_the_last_page_opens_and_one_past_it_is_refused(admin_client, short_pages):
    for _ in range(REACH + 3):
        make_article()
    last = story_list(admin_client, p=MAX_PAGES)
    assert last.status_code == 200
    assert len(last.context["cl"].result_list) == PER_PAGE
    beyond = story_list(admin_client, p=MAX_PAGES + 1)
    assert (beyond.status_code, beyond["Location"].endswith("?e=1")) == (302, True)


def test_big_numbers_are_grouped_in_thousands(admin_client, monkeypatch):
    # The count is written as an editor reads it: "about 1,200,000 articles".
    monkeypatch.setattr(ArchivePaginator, "_tally", (1_200_000, "about"))
    make_article()
    assert "about 1,200,000 articles" in story_list(admin_client).content.decode()


def test_row_boxes_are_django_s_own_markup(admin_client):
    # Written out rather than drawn by the form template engine, a template a row.
    story = make_article(headline="Floods & <storms>")
    story_admin = admin.site._registry[Article]
    box = story_admin.action_checkbox(story)
    assert box == admin.ModelAdmin.action_checkbox(story_admin, story)
    assert box in story_list(admin_client).content.decode()


# The SQL of the list: bounded whatever the filters

BOUNDED_COUNT = r"SELECT COUNT\(\*\) FROM \(SELECT .* LIMIT (\d+)\) subquery"
LISTS = {
    "plain": {},
    "last page": {"p": MAX_PAGES},
    "status": {"status__exact": Status.PUBLISHED},
    "section": "section__id__exact",
    "place": "place",
    "author": "author",
    "tag": "tag",
    "year": {"published_at__year": 2025},
    "month": {"published_at__year": 2025, "published_at__month": 6},
    "day": {"published_at__year": 2025, "published_at__month": 6, "published_at__day": 14},
}


@pytest.mark.parametrize("name", LISTS)
def test_the_list_never_counts_the_whole_table_nor_offsets_past_its_pages(
    admin_client, short_pages, name
):
    filters = filed_stories(REACH + 3)
    params = LISTS[name] if isinstance(LISTS[name], dict) else {LISTS[name]: filters[LISTS[name]]}
    with CaptureQueriesContext(connection) as queries:
        response = story_list(admin_client, **params)
    assert response.status_code == 200
    assert response.context["cl"].paginator.qualifier  # the list is longer than its pages
    for sql in (query["sql"] for query in queries.captured_queries):
        if "COUNT(" in sql:
            bounded = re.fullmatch(BOUNDED_COUNT, sql)
            assert bounded and int(bounded[1]) <= REACH + 1, sql
        assert all(int(n) <= REACH - PER_PAGE for n in re.findall(r"OFFSET (\d+)", sql)), sql
        assert "DISTINCT" not in sql, sql  # no sort of every match, no scan for dates
        assert "TRUNC" not in sql.upper(), sql


# The date drill-down


def drill(client, **params):
    cl = story_list(client, **params).context["cl"]
    back = cl.date_drill["back"]
    return [choice["title"] for choice in cl.date_drill["choices"]], back and back["title"]


def test_dates_offer_only_years_months_and_days_that_have_stories(admin_client):
    for when in [at(2023, 3, 8, 12), at(2025, 6, 14, 9), at(2025, 6, 30, 9), at(2025, 11, 2, 9)]:
        make_live(published_at=when)
    make_article()  # a draft has no publication time
    assert drill(admin_client) == (["2023", "2025"], None)  # nothing in 2024
    assert drill(admin_client, published_at__year=2025) == (
        ["June 2025", "November 2025"], "All dates",
    )  # fmt: skip
    june = {"published_at__year": 2025, "published_at__month": 6}
    assert drill(admin_client, **june) == (["June 14", "June 30"], "2025")
    assert drill(admin_client, **june, published_at__day=14) == (["June 14"], "June 2025")


def test_dates_follow_the_list_s_filters(admin_client):
    make_live(published_at=at(2023, 3, 8, 12))
    make_article(status=Status.WITHDRAWN, published_at=at(2025, 6, 14, 9))
    assert drill(admin_client, status__exact=Status.WITHDRAWN) == (["June 14"], "2025")


def test_dates_are_the_newsroom_s_own(admin_client, settings):
    settings.TIME_ZONE = "Europe/Moscow"
    make_live(published_at=at(2024, 12, 31, 22, 30))  # 01:30 on New Year's Day in Moscow
    make_live(published_at=at(2025, 3, 1, 9))
    assert drill(admin_client) == (["January 2025", "March 2025"], "All dates")
    january = story_list(admin_client, published_at__year=2025, published_at__month=1)
    times = [story.published_at for story in january.context["cl"].result_list]
    assert times == [at(2024, 12, 31, 22, 30)]


def test_a_searched_list_offers_the_dates_of_what_it_found_without_probing_the_index(
    admin_client, settings
):
    settings.TIME_ZONE = "Europe/Moscow"
    for headline, when in [
        ("Grain deal signed", at(2024, 12, 31, 22, 30)),  # 1 January in Moscow
        ("Grain harvest record", at(2025, 3, 1, 9)),
        ("Budget vote", at(2023, 5, 5, 9)),
        ("Grain draft", None),  # no publication time
    ]:
        story = make_live(headline=headline, published_at=when) if when else make_article(headline=headline)
        search.index(story)

    assert drill(admin_client, q="grain") == (["January 2025", "March 2025"], "All dates")
    january = {"published_at__year": 2025, "published_at__month": 1}
    assert drill(admin_client, q="grain", **january) == (["January 1"], "2025")
    assert drill(admin_client, q="budget") == (["May 5"], "2023")  # one month: its days
    # The matches' dates are read with them: no walk down the date index
    # past stories the search did not find (at a million stories, the
    # slowest part of a search's page).
    with CaptureQueriesContext(connection) as queries:
        assert drill(admin_client, q="grain", published_at__year=2025) == (
            ["January 2025", "March 2025"], "All dates",
        )  # fmt: skip
    assert not [q["sql"] for q in queries if "LIMIT 1)" in q["sql"]]  # the probes' subqueries

    # A term of control characters searches nothing: the whole list, whose
    # dates are probed, never read at once.
    with CaptureQueriesContext(connection) as queries:
        assert drill(admin_client, q="\x01") == (["2023", "2025"], None)
    assert [q["sql"] for q in queries if "LIMIT 1)" in q["sql"]]


def test_a_list_without_dated_stories_has_no_date_links(admin_client):
    make_article()
    assert drill(admin_client) == ([], None)


def test_date_links_keep_the_other_filters(admin_client):
    make_live(published_at=at(2023, 3, 8, 12))
    make_live(published_at=at(2025, 6, 14, 9))
    cl = story_list(admin_client, status__exact=Status.PUBLISHED).context["cl"]
    link = cl.date_drill["choices"][0]["link"]
    assert link == "?published_at__year=2023&status__exact=published"


def test_a_drilled_down_list_runs_in_publication_order(admin_client):
    late = make_live(published_at=at(2025, 6, 14, 18))
    early = make_live(published_at=at(2025, 6, 14, 6))
    early.save()  # changed last: first in the undrilled list, by last change
    assert list(story_list(admin_client).context["cl"].result_list) == [early, late]
    day = story_list(
        admin_client, published_at__year=2025, published_at__month=6, published_at__day=14
    )
    assert list(day.context["cl"].result_list) == [late, early]


# Filters by tag, author and place


def test_author_and_tag_filters_list_their_stories_of_any_status_once(admin_client):
    anna, ivan = make_author(name="Anna"), make_author(name="Ivan")
    sport, budget = Tag.objects.create(name="Sport"), Tag.objects.create(name="Budget")
    both = make_live(authors=[anna, ivan], tags=[sport, budget])
    annas = make_article(authors=[anna], tags=[budget])  # a draft
    make_article(authors=[ivan], tags=[sport])
    assert set(story_list(admin_client, author=anna.pk).context["cl"].result_list) == {both, annas}
    assert set(story_list(admin_client, tag=budget.pk).context["cl"].result_list) == {both, annas}


def test_a_tag_or_byline_typed_into_the_address_lists_stories_once_without_sorting_every_match(
    admin_client,
):
    sport, budget = Tag.objects.create(name="Sport"), Tag.objects.create(name="Budget")
    both = make_live(tags=[sport, budget], authors=[make_author(), make_author()])
    budget_only = make_article(tags=[budget])
    sport_only = make_article(tags=[sport])

    with CaptureQueriesContext(connection) as queries:
        found = story_list(admin_client, tags__id__exact=budget.pk).context["cl"].result_list
    assert sorted(found, key=lambda story: story.pk) == [both, budget_only]
    assert not [q["sql"] for q in queries if "DISTINCT" in q["sql"]]

    byline = both.bylines.first()
    assert list(story_list(admin_client, bylines__id__exact=byline.pk).context["cl"].result_list) == [both]
    # Lookups that can match a story through several rows still list it once:
    # one tag or another (the key given twice), or any tag at all.
    stories = reverse("admin:articles_article_changelist")
    either = admin_client.get(stories, {"tags__id__exact": [sport.pk, budget.pk]})
    assert sorted(either.context["cl"].result_list, key=lambda story: story.pk) == [
        both, budget_only, sport_only,
    ]  # fmt: skip
    tagged = story_list(admin_client, tags__isnull="False").context["cl"].result_list
    assert sorted(tagged, key=lambda story: story.pk) == [both, budget_only, sport_only]


def test_long_filters_are_drop_downs_that_keep_the_other_filters(admin_client):
    rockford = make_place(name="ROCKFORD", region="Ill.")
    story = make_article(place=rockford, status=Status.IN_REVIEW)
    make_article(place=make_place(), status=Status.IN_REVIEW)
    response = story_list(admin_client, status__exact="in_review", place=rockford.pk)
    assert list(response.context["cl"].result_list) == [story]
    page = response.content.decode()
    assert f'<option value="{rockford.pk}" selected>ROCKFORD, Ill.</option>' in page
    assert '<input type="hidden" name="status__exact" value="in_review">' in page
    assert 'href="?status__exact=in_review">All</a>' in page  # every place again


def test_an_empty_choice_is_no_filter(admin_client):
    make_article(place=make_place())
    make_article()
    assert len(story_list(admin_client, place="").context["cl"].result_list) == 2


@pytest.mark.parametrize("name", ["author", "tag", "place"])
def test_a_filter_value_that_is_no_id_is_refused_politely(admin_client, name):
    tag = Tag.objects.create(name="Budget")
    make_article(authors=[make_author()], tags=[tag], place=make_place())
    response = story_list(admin_client, **{name: "budget"})
    assert (response.status_code, response["Location"].endswith("?e=1")) == (302, True)


# Query counts: the same whatever the number of stories, tags and bylines


def make_filed_story(n, **fields):
    return make_live(
        place=make_place(),
        agency=make_agency(),
        section=make_section(),
        authors=[make_author(), make_author()],
        tags=[Tag.objects.create(name=f"Topic {n}")],
        published_at=at(2025, 6, 14, 9) + datetime.timedelta(days=40 * n),
        **fields,
    )


# session, user; the choices of the section, place, author and tag filters;
# the bounded count; the first and last dates; the periods' probes; the page
# of stories with section, place, agency and users joined; their bylines with
# authors.
LIST_QUERIES = {
    "plain": ({}, 11),
    # as plain, less the first and last dates
    "year": ({"published_at__year": 2025}, 10),
    # as plain, less the first and last dates and the probes: one day is shown
    "day": ({"published_at__year": 2025, "published_at__month": 6, "published_at__day": 14}, 9),
    # as plain: the filter is part of each query
    "tag": ("tag", 11),
}


@pytest.mark.parametrize("name", LIST_QUERIES)
def test_list_queries_do_not_grow_with_stories(admin_client, django_assert_num_queries, name):
    first = make_filed_story(0)
    params, expected = LIST_QUERIES[name]
    if params == "tag":
        params = {"tag": first.tags.get().pk}
    with django_assert_num_queries(expected):
        assert story_list(admin_client, **params).status_code == 200
    for n in range(1, 11):
        make_filed_story(n).tags.add(first.tags.get())
    with django_assert_num_queries(expected):
        assert story_list(admin_client, **params).status_code == 200
