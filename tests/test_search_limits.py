"""
Search costs the same however many stories match: only the newest matches,
up to NEWSROOM_SEARCH_LIMIT, are counted and ranked. Also the query syntax:
phrases, exclusions and word starts.
"""

import datetime
import json

import pytest
from django.db import connection, transaction
from django.db.backends.sqlite3 import _functions as sqlite_functions
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles import search
from articles.models import Article, Status
from tests.factories import make_article

pytestmark = pytest.mark.django_db

SEARCH = reverse("articles:search")
MINUTE = datetime.timedelta(minutes=1)


def postgres():
    return connection.vendor == "postgresql"


def make_stories(count, headline="Grain report {n}", body="<p>Grain prices rose.</p>"):
    """``count`` live stories, one a minute, the newest first in order of ``n``."""
    now = timezone.now()
    for n in range(count):
        story = make_article(
            headline=headline.format(n=n),
            body=body,
            status=Status.PUBLISHED,
            published_at=now - (n + 1) * MINUTE,
        )
        search.index(story)


def found(client, q, **params):
    response = client.get(SEARCH, {"q": q, **params})
    assert response.status_code == 200
    return response, [story.headline for story in response.context["object_list"]]


# Only the newest matches are ranked


def test_the_best_match_among_the_newest_comes_first(client, settings):
    settings.NEWSROOM_SEARCH_LIMIT = 3
    make_stories(2, headline="Market day {n}")  # "grain" in the body only
    make_stories(1, headline="Grain harvest", body="<p>Fields.</p>")
    _, headlines = found(client, "grain")
    assert headlines[0] == "Grain harvest"


def test_an_older_best_match_beyond_the_limit_is_not_ranked(client, settings):
    make_stories(3, headline="Market day {n}")
    story = Article.objects.get(headline="Market day 2")  # the oldest
    story.headline = "Grain harvest"
    story.save()
    search.index(story)

    settings.NEWSROOM_SEARCH_LIMIT = 3
    assert found(client, "grain")[1][0] == "Grain harvest"
    settings.NEWSROOM_SEARCH_LIMIT = 2
    response, headlines = found(client, "grain")
    assert headlines == ["Market day 0", "Market day 1"]
    assertContains(response, "More than 2 stories for “grain”: the 2 newest, best match first.")


def test_count_is_exact_up_to_the_limit(client, settings):
    settings.NEWSROOM_SEARCH_LIMIT = 3
    make_stories(3)
    response, _ = found(client, "grain")
    assertContains(response, "3 stories for “grain”")
    assertNotContains(response, "More than")


def test_pages_go_no_further_than_the_limit(client, settings):
    settings.NEWSROOM_SEARCH_LIMIT = 25
    make_stories(30)
    response, headlines = found(client, "grain", page=2)
    assert len(headlines) == 5
    assertContains(response, "Page 2 of 2")
    assert client.get(SEARCH, {"q": "grain", "page": 3}).status_code == 404


# The cost stays the same


def ranked_rows(q):
    """PostgreSQL: how many rows the ranking query gave a rank, when run."""
    results = search.search(Article.objects.live().for_listing(), q)
    plan = json.loads(results.ranking.explain(format="json", analyze=True))[0]["Plan"]
    return plan["Actual Rows"] * plan["Actual Loops"]


@pytest.mark.skipif(not postgres(), reason="EXPLAIN ANALYZE is PostgreSQL's")
def test_ranking_sees_at_most_the_limit_however_many_stories_match(settings):
    settings.NEWSROOM_SEARCH_LIMIT = 5
    make_stories(12)
    assert ranked_rows("grain") == 6  # one more tells that there are more
    make_stories(48)
    assert search.matching(Article.objects.live(), "grain").count() == 60
    assert ranked_rows("grain") == 6


def archive(count, word_every):
    """
    ``count`` live stories, one a minute, every ``word_every``-th holding
    "grain", then the table vacuumed and its statistics taken, as autovacuum
    would (outside a transaction: the test's must be real ones).
    """
    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            headline=f"Market day {n}",
            slug=f"market-day-{n}",
            standfirst="The day's trade.",
            body="<p>Grain prices rose.</p>" if n % word_every == 0 else "<p>Fields.</p>",
            status=Status.PUBLISHED,
            published_at=now - (n + 1) * MINUTE,
        )
        for n in range(count)
    )
    search.rebuild()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE articles_article")


def stories_read(q, limit):
    """PostgreSQL: the stories the ranking's scans read for ``q``, as the search page plans it."""
    results = search.search(Article.objects.live().for_listing(), q, limit=limit)
    with transaction.atomic():
        search.read_few_matches_through_index(results.queryset, q, limit + 1)
        plan = json.loads(results.ranking.explain(format="json", analyze=True))[0]["Plan"]

    def read(node):
        here = 0
        if node.get("Relation Name") == "articles_article" and "Scan" in node["Node Type"]:
            here = (node["Actual Rows"] + node.get("Rows Removed by Filter", 0)) * node["Actual Loops"]
        return here + sum(read(child) for child in node.get("Plans", []))

    return read(plan)


def left_to_the_planner(q, limit):
    """PostgreSQL: whether the search for ``q`` leaves the planner free to walk an index in order."""
    with transaction.atomic():
        chose = search.read_few_matches_through_index(Article.objects.live(), q, limit + 1)
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_indexscan")
            free = cursor.fetchone() == ("on",)
    assert chose != free
    return free


@pytest.mark.skipif(not postgres(), reason="the choice is PostgreSQL's planner's")
@pytest.mark.django_db(transaction=True)
def test_a_word_few_stories_hold_is_read_from_the_index_not_found_by_walking(client, settings):
    # 12 stories in 600 hold the word: walking the newest until 11 match
    # would read 550 of them.
    archive(600, word_every=50)
    assert stories_read("grain", limit=10) <= 12 + 11  # the matches, then the ranked ones again
    settings.NEWSROOM_SEARCH_LIMIT = 10
    with CaptureQueriesContext(connection) as queries:
        response, headlines = found(client, "grain")
    assert headlines == [f"Market day {n}" for n in range(0, 500, 50)]
    # The page asks the planner for its estimate and chooses, as above.
    sql = [query["sql"] for query in queries]
    assert any("EXPLAIN" in statement and "grain" in statement for statement in sql)
    assert any("enable_indexscan" in statement for statement in sql)
    assertContains(response, "More than 10 stories for “grain”")


@pytest.mark.skipif(not postgres(), reason="the choice is PostgreSQL's planner's")
@pytest.mark.django_db(transaction=True)
def test_the_desk_reads_a_word_few_stories_hold_from_the_index_too(admin_client, settings):
    archive(600, word_every=50)
    assert not left_to_the_planner("grain", limit=10)
    settings.NEWSROOM_SEARCH_LIMIT = 10
    changelist = reverse("admin:articles_article_changelist")
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(changelist, {"q": "grain"})
    listed = {story.headline for story in response.context["cl"].result_list}
    assert len(listed) == 10 and listed < {f"Market day {n}" for n in range(0, 600, 50)}
    assert any("enable_indexscan" in query["sql"] for query in queries)


@pytest.mark.skipif(not postgres(), reason="the choice is PostgreSQL's planner's")
@pytest.mark.django_db(transaction=True)
def test_without_the_full_text_index_a_rare_word_is_left_to_the_planner(client, settings):
    # As while `rebuild_search --bulk` builds the index afresh.
    archive(600, word_every=50)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {search.documents.INDEX}")
    try:
        assert left_to_the_planner("grain", limit=10)
        settings.NEWSROOM_SEARCH_LIMIT = 10
        _, headlines = found(client, "grain")
        assert headlines == [f"Market day {n}" for n in range(0, 500, 50)]
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE INDEX {search.documents.INDEX} ON articles_article USING gin (search_vector)"
            )


@pytest.mark.skipif(not postgres(), reason="the choice is PostgreSQL's planner's")
@pytest.mark.django_db(transaction=True)
def test_a_word_in_the_news_since_the_statistics_were_taken_is_found_by_walking(client, settings):
    # A word in every other story of the last hundred, none of which the
    # statistics have seen: estimated as rare, it would be read through the
    # index, all fifty matches, where walking finds the newest eleven in 22.
    archive(600, word_every=50)
    now = timezone.now()
    for n in range(100):
        story = make_article(
            headline=f"Harvest day {n}",
            body="<p>The drought goes on.</p>" if n % 2 == 0 else "<p>Rain.</p>",
            status=Status.PUBLISHED,
            published_at=now - datetime.timedelta(seconds=n + 1),
        )
        search.index(story)
    assert left_to_the_planner("drought", limit=10)
    # A word the newest stories do not hold is still estimated from the statistics.
    assert not left_to_the_planner("grain", limit=10)
    settings.NEWSROOM_SEARCH_LIMIT = 10
    _, headlines = found(client, "drought")
    assert headlines == [f"Harvest day {n}" for n in range(0, 20, 2)]


@pytest.mark.skipif(not postgres(), reason="the choice is PostgreSQL's planner's")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "word_every, q, newest",
    [
        # Reading all 300 matches through the index would cost more than
        # walking the newest until 11 match.
        (2, "grain", range(0, 20, 2)),
        # "the" means nothing to the stemmed configuration; "simple" finds
        # it in every standfirst.
        (50, "the", range(10)),
    ],
)
def test_a_word_most_stories_hold_is_left_to_the_planner(client, settings, word_every, q, newest):
    archive(600, word_every=word_every)
    assert left_to_the_planner(q, limit=10)
    settings.NEWSROOM_SEARCH_LIMIT = 10
    response, headlines = found(client, q)
    assert headlines == [f"Market day {n}" for n in newest]
    assertContains(response, f"More than 10 stories for “{q}”")


@pytest.mark.skipif(not postgres(), reason="the settings are PostgreSQL's")
def test_a_search_inside_a_callers_transaction_puts_its_settings_back(settings):
    # A search in the middle of a caller's transaction (a script, a request
    # under ATOMIC_REQUESTS, this test): what follows runs with neither its
    # time limit nor its choice of scans.
    read_settings = "SELECT " + ", ".join(
        f"current_setting('{name}')" for name in search.query.SEARCH_SETTINGS
    )
    make_stories(3)
    settings.NEWSROOM_SEARCH_TIMEOUT_MS = 1234
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")  # statistics, for the choice of scans
        cursor.execute(read_settings)
        before = cursor.fetchone()
        with search.time_limit(connection.alias):
            assert search.read_few_matches_through_index(Article.objects.live(), "grain", 3)
            cursor.execute(read_settings)
            assert cursor.fetchone() == ("1234ms", "off", "off", "off")
        cursor.execute(read_settings)
        assert cursor.fetchone() == before
        assert len(search.search(Article.objects.live(), "grain").ids()) == 3
        cursor.execute(read_settings)
        assert cursor.fetchone() == before


@pytest.fixture
def regexp_calls():
    """SQLite: counts the evaluations of REGEXP, the function that matches and ranks there."""
    calls = []

    def counting(pattern, string):
        calls.append(pattern)
        return sqlite_functions._sqlite_regexp(pattern, string)

    connection.ensure_connection()
    connection.connection.create_function("REGEXP", 2, counting, deterministic=True)
    yield calls
    connection.connection.create_function(
        "REGEXP", 2, sqlite_functions._sqlite_regexp, deterministic=True
    )


@pytest.mark.skipif(postgres(), reason="SQLite matches with REGEXP")
def test_sqlite_reads_as_many_documents_however_many_stories_match(
    client, settings, regexp_calls
):
    settings.NEWSROOM_SEARCH_LIMIT = 5
    make_stories(12)
    found(client, "grain")
    with_twelve = len(regexp_calls)
    assert with_twelve > 0
    make_stories(48)
    regexp_calls.clear()
    found(client, "grain")
    assert len(regexp_calls) == with_twelve


# Query syntax


@pytest.fixture
def restorations():
    now = timezone.now()
    for n, (headline, body) in enumerate(
        [
            ("Russia will restore relations", "<p>Ties were broken in 2014.</p>"),
            ("Relations restored, then cut", "<p>A restoration of trade.</p>"),
            ("Talks stall", "<p>Relations cannot be restored while the war goes on.</p>"),
        ]
    ):
        story = make_article(
            headline=headline, body=body, status=Status.PUBLISHED, published_at=now - n * MINUTE
        )
        search.index(story)


def test_star_ends_the_start_of_a_word(client, restorations):
    _, headlines = found(client, "restor*")
    assert sorted(headlines) == [
        "Relations restored, then cut",
        "Russia will restore relations",
        "Talks stall",
    ]
    assertContains(client.get(SEARCH, {"q": "restor*"}), "<mark>restoration</mark> of trade")


def test_quoted_phrase_matches_the_words_together_on_postgresql(client, restorations):
    _, headlines = found(client, '"restore relations"')
    if postgres():
        assert headlines == ["Russia will restore relations"]
    else:  # every word, anywhere
        assert len(headlines) == 3


@pytest.mark.skipif(not postgres(), reason="SQLite needs every word")
def test_minus_leaves_out_stories_with_a_word_or_a_word_start(client, restorations):
    _, headlines = found(client, "relations -cut")
    assert set(headlines) == {"Russia will restore relations", "Talks stall"}
    _, headlines = found(client, "relations -stal*")
    assert set(headlines) == {"Russia will restore relations", "Relations restored, then cut"}


# A time limit (PostgreSQL)


@pytest.fixture
def article_table_locked():
    """Another connection holds the articles table, so every read of it waits."""
    import psycopg

    other = psycopg.connect(**connection.get_connection_params())
    other.execute("LOCK TABLE articles_article IN ACCESS EXCLUSIVE MODE")
    yield
    other.rollback()
    other.close()


@pytest.mark.skipif(not postgres(), reason="the time limit is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_a_search_that_takes_too_long_is_cut_short_and_says_so(
    client, settings, article_table_locked
):
    settings.NEWSROOM_SEARCH_TIMEOUT_MS = 100
    response = client.get(SEARCH, {"q": "grain"})
    assertContains(response, "This search took too long to answer.")
    assertNotContains(response, "No stories match")
