"""
Search documents: PostgreSQL builds them in the database exactly as the
Python path (SQLite's, and migration 0006's) does; rebuild() and
``manage.py rebuild_search`` refresh every story in batches.
"""

import importlib
import io
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from articles import search
from articles.models import Article, Status
from articles.search import documents
from tests.factories import make_article, make_author, make_place

pytestmark = pytest.mark.django_db

BODIES = [
    "",
    "<p>Plain text.</p>",
    "<p>AT&amp;T &lt;script&gt;alert(1)&lt;/script&gt; 5 &gt; 3 &amp;lt; “quotes” "
    "&quot;x&quot;</p>",
    "<h2>Head</h2><p>One<br>two<strong>bold</strong>joined</p><ul><li>a</li><li>b</li></ul>",
    "<blockquote><p>Quote</p></blockquote><hr><ol><li>first</li></ol><p>end</p>",
    "<p>Non&nbsp;breaking\u2003em\u3000ideographic \t tab\n\nlines</p>",
    "<p>Москва — столица. Ёлка и ЕЛКА.</p><p><a href=\"https://e.org/?a=1&amp;b=2\">link</a></p>",
    "<p>Private \ue000use\ue001 marks\ue002 and control \x07 bell \x1f unit</p>",
]


def varied_stories():
    """Stories with every kind of text the document is made from."""
    places = [make_place(name="PORTLAND", region="Ore."), make_place(name="MINSK"), None]
    authors = [make_author(name=name) for name in ["Zoe  Adams", "Анна Иванова", "bob ray"]]
    stories = []
    for n, body in enumerate(BODIES):
        stories.append(
            make_article(
                headline=f"Headline {n}\x0b with\u00a0odd  spaces & <b>",
                standfirst=" Standfirst\t\tof story %d. " % n if n % 2 else "",
                body=body,
                place=places[n % 3],
                tags=["zebra", "Apple", "Ёж", "apple pie", "Émile"][: n % 6],
                authors=authors[n % 3 :][:: 1 if n % 2 else -1],
            )
        )
    return stories


def documents_and_vectors():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, search_document, search_vector::text FROM articles_article ORDER BY id"
        )
        return cursor.fetchall()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the vector is PostgreSQL's")
def test_database_builds_the_same_document_and_vector_as_python():
    varied_stories()
    documents._reindex_in_python(Article.objects.all())
    by_python = documents_and_vectors()
    Article.objects.update(search_document="", search_vector=None)

    assert search.reindex(Article.objects.all()) == len(BODIES)

    assert documents_and_vectors() == by_python
    assert "AT&T <script>alert(1)</script> 5 > 3 &lt;" in by_python[2][1]


def row_version(story):
    with connection.cursor() as cursor:
        cursor.execute("SELECT ctid::text FROM articles_article WHERE id = %s", [story.pk])
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite rewrites the row")
def test_reindexing_an_unchanged_story_leaves_its_row_alone():
    story = make_article(headline="Bridge opens", tags=["Transport"])
    search.index(story)
    unchanged = row_version(story)

    assert search.reindex(Article.objects.filter(pk=story.pk)) == 1
    assert row_version(story) == unchanged
    story.tags.add("Crimea")
    search.index(story)
    assert row_version(story) != unchanged


def test_reindex_sets_documents_and_the_python_path_agrees():
    story = make_article(
        headline="Bridge opens",
        standfirst="Traffic  flows.",
        body="<p>Cars&nbsp;cross.</p><p>Ferries stop.</p>",
        tags=["Transport", "Crimea"],
        authors=[make_author(name="Pavel Orlov"), make_author(name="Anna Petrova")],
        place=make_place(name="KERCH"),
    )
    search.index(story)
    assert story.search_document == (
        "Traffic flows.\nCars cross. Ferries stop.\nCrimea, Transport\n"
        "Pavel Orlov, Anna Petrova\nKERCH"
    )


def test_migration_0006_fills_the_same_documents_as_reindex():
    varied_stories()
    search.reindex(Article.objects.all())
    now = list(Article.objects.order_by("pk").values_list("search_document", flat=True))
    Article.objects.update(search_document="", search_vector=None)

    migration = importlib.import_module("articles.migrations.0006_article_search")
    migration.fill_search_documents(apps, SimpleNamespace(connection=connection))

    assert list(Article.objects.order_by("pk").values_list("search_document", flat=True)) == now


# Rebuilding every story


def test_rebuild_refreshes_every_story_in_batches_reporting_progress():
    for n in range(5):
        make_article(headline=f"Sturgeon count {n}", status=Status.DRAFT)
    reports = []

    count = search.rebuild(batch_size=2, progress=lambda *report: reports.append(report))

    assert count == 5
    assert reports == [(2, 5), (4, 5), (5, 5)]
    assert search.matching(Article.objects.all(), "sturgeon").count() == 5


def test_rebuild_of_an_empty_newsroom_does_nothing():
    assert search.rebuild() == 0


def test_rebuild_search_command_reports_what_it_did():
    make_article(headline="Sturgeon count")
    out = io.StringIO()
    call_command("rebuild_search", "--batch-size", "10", stdout=out, stderr=io.StringIO())
    assert out.getvalue().startswith("Reindexed 1 story in ")
    assert search.matching(Article.objects.all(), "sturgeon").count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer")
@pytest.mark.django_db(transaction=True)
def test_rebuild_on_two_connections_covers_every_story_once():
    # Committed, so the workers' own connections see the stories.
    for n in range(7):
        make_article(headline=f"Caviar quota {n}")
    reports = []

    count = search.rebuild(
        batch_size=2, workers=2, progress=lambda *report: reports.append(report)
    )

    assert count == 7
    assert len(reports) == 4  # batches of 2, 2, 2 and 1, finishing in any order
    assert max(reports) == (7, 7)
    assert search.matching(Article.objects.all(), "caviar").count() == 7


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_a_bulk_rebuild_builds_the_index_again_once_the_documents_are_made():
    for n in range(5):
        make_article(headline=f"Sturgeon quota {n}")

    assert search.rebuild(batch_size=2, workers=2, bulk=True) == 5

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [documents.INDEX])
        [(definition,)] = cursor.fetchall()
    assert "USING gin (search_vector)" in definition
    assert search.matching(Article.objects.all(), "sturgeon").count() == 5


def test_a_story_longer_than_a_tsvector_holds_still_saves_and_is_found():
    # 1 MB of distinct words: more than PostgreSQL's 1 MB tsvector would take.
    words = [f"w{n:06d}x" for n in range(110_000)]
    story = make_article(headline="Transcript", body="<p>" + " ".join(words) + "</p>")

    search.index(story)

    story.refresh_from_db()
    assert "w109999x" in story.search_document  # the document keeps everything
    assert list(search.matching(Article.objects.all(), "w000001x")) == [story]
