"""
Keeping every story's search document and vector up to date.

``index()`` refreshes one story (workflow calls it after each save, once tags
and bylines are written), ``reindex()`` a queryset and ``rebuild()`` every
story, in batches. On PostgreSQL the work is one set-based UPDATE inside the
database, which turns the body's HTML into text and weighs the vector there;
SQLite does the same in Python. Both give the same document, and a test
holds them to it.
"""

import contextlib
import functools
import html
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import reduce
from operator import add

from django.contrib.postgres.search import SearchVector
from django.db import connection, connections
from django.db.models import Max, Min, Value

from ..models import Article, Author, Byline, Place, Tag, TaggedArticle

# PostgreSQL's "russian" configuration stems Cyrillic words with the Russian
# Snowball stemmer and Latin-letter words with the English one, so a single
# stemmed vector serves both languages of the newsroom ("восстановит" finds
# "восстановить", "restoring" finds "restore"); "english" would leave Russian
# unstemmed. The "simple" vector beside it keeps every word as written, stop
# words included, so the exact form still matches where a stemmer drops a
# word or stems the query and the text apart. A query is read in both
# configurations, joined with OR. The body, the bulk of every document, is
# read stemmed only: its exact-form copy would double the cost of indexing
# and of the vector, for the rare search only an exact form finds.
CONFIGS = ["russian", "simple"]
BODY_CONFIGS = ["russian"]

# The search document, in this order: what a snippet is cut from.
DOCUMENT = ["standfirst", "body", "tags", "bylines", "place"]
# PostgreSQL's weights: a headline match outranks the filing, which outranks the body.
WEIGHTS = {
    "headline": "A",
    **dict.fromkeys(["standfirst", "tags", "bylines", "place"], "B"),
    "body": "C",
}

# Control characters, and the private-use characters that mark matches in
# snippets, are taken out of documents and queries.
UNWANTED = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ue000-\ue002]")
# Body HTML is sanitized on save, so a "<" in its text is always "&lt;".
BLOCK = re.compile(r"</?(?:p|h[1-6]|li|ul|ol|blockquote)\b[^>]*>|<(?:br|hr)\b[^>]*>", re.I)
TAG = re.compile(r"<[^>]*>")

BATCH_SIZE = 2000  # stories a rebuild() transaction refreshes
INDEX = "article_search_idx"  # PostgreSQL's GIN index of the vector (migration 0006)


def configs(field):
    """The configurations a field is read in for the vector."""
    return BODY_CONFIGS if field == "body" else CONFIGS


def index(article):
    """Refresh ``article``'s search document from what is saved: call after tags and bylines."""
    reindex(Article.objects.filter(pk=article.pk))
    # So that a later save() of this instance writes back the fresh values.
    article.refresh_from_db(fields=["search_document", "search_vector"])


def reindex(queryset):
    """Refresh the search document of every article in ``queryset``; returns how many."""
    if connections[queryset.db].vendor == "postgresql":
        return _reindex_in_database(queryset)
    return _reindex_in_python(queryset)


def rebuild(*, batch_size=BATCH_SIZE, workers=1, progress=None, bulk=False):
    """
    Reindex every story, ``batch_size`` at a time in order of id, each batch
    its own transaction, on ``workers`` connections at once (PostgreSQL,
    outside a transaction; inside one, a single batch after another on its
    connection); ``progress(done, total)`` after each batch. Returns how many
    stories were reindexed. ``bulk`` (PostgreSQL, outside a transaction):
    drop the vector's GIN index first and build it once at the end, which is
    much faster when nearly every document is new, as after a bulk load;
    searches read no index meanwhile.
    """
    if bulk and connection.vendor == "postgresql" and not connection.in_atomic_block:
        with _index_built_afterwards():
            return rebuild(batch_size=batch_size, workers=workers, progress=progress)
    bounds = Article.objects.aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        return 0
    total = Article.objects.count()
    batches = [
        Article.objects.filter(pk__gte=start, pk__lt=start + batch_size)
        for start in range(bounds["low"], bounds["high"] + 1, batch_size)
    ]
    # Other connections would not see what the caller's transaction has written.
    if connection.vendor != "postgresql" or workers < 2 or connection.in_atomic_block:
        return _run_batches(batches, total, progress)
    return _run_in_threads(batches, total, progress, workers)


@contextlib.contextmanager
def _index_built_afterwards():
    table = _table(Article)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '256MB'")
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON {table} USING gin (search_vector)")
            cursor.execute("RESET maintenance_work_mem")


# Counting what a rebuild has done, across worker threads


class _Tally:
    def __init__(self, total, progress):
        self.total, self.progress, self.done = total, progress, 0
        self.lock = threading.Lock()

    def add(self, count):
        with self.lock:
            self.done += count
            if self.progress:
                self.progress(self.done, self.total)


def _run_batches(batches, total, progress, tally=None):
    tally = tally or _Tally(total, progress)
    for batch in batches:
        tally.add(reindex(batch))
    return tally.done


def _run_in_threads(batches, total, progress, workers):
    """Each worker thread has its own database connection, closed when it is done."""
    tally = _Tally(total, progress)

    def work(share):
        try:
            _run_batches(share, total, progress, tally)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        shares = [pool.submit(work, batches[n::workers]) for n in range(workers)]
    for share in shares:
        share.result()  # raises what a worker raised
    return tally.done


# PostgreSQL: one UPDATE, the text and the vector made by the database


def _python_spaces():
    """Every character Python's str.split() splits on, with the unwanted ones: as a regex class."""
    chars = [chr(c) for c in range(1, 0x10000) if chr(c).isspace() or UNWANTED.match(chr(c))]
    return "[" + "".join(f"\\u{ord(c):04x}" for c in chars) + "]+"


# PostgreSQL regular expressions (AREs) matching what the Python path's do;
# \y is a word boundary there.
SPACES_SQL = _python_spaces()
BLOCK_SQL = r"</?(p|h[1-6]|li|ul|ol|blockquote)\y[^>]*>|<(br|hr)\y[^>]*>"
TAG_SQL = "<[^>]*>"
# Sanitized HTML escapes only these in text (nh3 writes every other character
# as itself); "&amp;" goes last so "&amp;lt;" becomes "&lt;", as html.unescape does.
ENTITIES = [("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#39;", "'"), ("&nbsp;", "\xa0")]
ENTITIES.append(("&amp;", "&"))


def _reindex_in_database(queryset):
    ids, id_params = queryset.order_by().values("pk").query.sql_with_params()
    sql, params = _update_sql()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql.replace("{ids}", ids), [*id_params, *params])
        return cursor.fetchone()[0]


@functools.cache
def _update_sql():
    """
    The UPDATE (and its parameters, but for the ids): texts made once per
    story (materialized, as both columns use them), and rows whose document
    and vector come out the same are left as they are, unwritten.
    """
    columns, params = _text_columns()
    document = ", ".join(f"nullif(t.{field}, '')" for field in DOCUMENT)
    vector = " || ".join(
        f"setweight(to_tsvector('{config}'::regconfig, t.{field}), '{weight}')"
        for field, weight in WEIGHTS.items()
        for config in configs(field)
    )
    article, place = _table(Article), _table(Place)
    # Tag and byline names are gathered for the whole batch at once.
    sql = f"""
        WITH batch(id) AS MATERIALIZED ({{ids}}),
        tag_names AS (
            SELECT ta.content_object_id AS id,
                string_agg(tag.name, ', ' ORDER BY tag.name COLLATE "C") AS names
            FROM {_table(TaggedArticle)} ta JOIN {_table(Tag)} tag ON tag.id = ta.tag_id
            WHERE ta.content_object_id IN (SELECT id FROM batch)
            GROUP BY ta.content_object_id
        ), byline_names AS (
            SELECT b.article_id AS id, string_agg(w.name, ', ' ORDER BY b.position, b.id) AS names
            FROM {_table(Byline)} b JOIN {_table(Author)} w ON w.id = b.author_id
            WHERE b.article_id IN (SELECT id FROM batch)
            GROUP BY b.article_id
        ), t AS MATERIALIZED (
            SELECT a.id, {columns}
            FROM {article} a
            LEFT JOIN {place} p ON p.id = a.place_id
            LEFT JOIN tag_names ON tag_names.id = a.id
            LEFT JOIN byline_names ON byline_names.id = a.id
            WHERE a.id IN (SELECT id FROM batch)
        ), fresh AS MATERIALIZED (
            SELECT t.id, concat_ws(E'\\n', {document}) AS document, {vector} AS vector FROM t
        ), changed AS (
            UPDATE {article} AS article
            SET search_document = fresh.document, search_vector = fresh.vector
            FROM fresh
            WHERE article.id = fresh.id AND (
                article.search_document IS DISTINCT FROM fresh.document
                OR article.search_vector IS DISTINCT FROM fresh.vector
            )
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM fresh), (SELECT count(*) FROM changed)
    """
    return sql, params


def _text_columns():
    """Each field's text as _texts() makes it (plain, single-spaced, trimmed); its parameters."""
    texts = {
        "headline": "a.headline",
        "standfirst": "a.standfirst",
        "body": _unescaped("regexp_replace(regexp_replace(a.body, %s, ' ', 'gi'), %s, '', 'g')"),
        "tags": "tag_names.names",
        "bylines": "byline_names.names",
        "place": "p.name || ' ' || p.region",
    }
    columns = ",\n".join(
        f"btrim(regexp_replace(coalesce({sql}, ''), %s, ' ', 'g'), ' ') AS {field}"
        for field, sql in texts.items()
    )
    # In placeholder order: the body's regexes and entities, then each field's spaces.
    params = [SPACES_SQL, SPACES_SQL, BLOCK_SQL, TAG_SQL, *_entity_params(), SPACES_SQL]
    return columns, params + [SPACES_SQL] * 3


def _unescaped(sql):
    for _entity in ENTITIES:
        sql = f"replace({sql}, %s, %s)"
    return sql


def _entity_params():
    return [value for pair in ENTITIES for value in pair]


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


# SQLite (and the reference for PostgreSQL's): the same in Python


def _reindex_in_python(queryset):
    manager, count = queryset.model._default_manager, 0
    # Through the tagging rows, not the tags manager, which migrations' models lack.
    related = ["taggedarticle_set__tag", "bylines__author"]
    rows = queryset.select_related("place").prefetch_related(*related)
    for article in rows.iterator(chunk_size=500):
        texts = _texts(article)
        columns = {"search_document": "\n".join(filter(None, [texts[f] for f in DOCUMENT]))}
        if connections[queryset.db].vendor == "postgresql":
            columns["search_vector"] = reduce(
                add,
                [
                    SearchVector(Value(texts[field]), config=config, weight=weight)
                    for field, weight in WEIGHTS.items()
                    for config in configs(field)
                ],
            )
        count += manager.filter(pk=article.pk).update(**columns)
    return count


def _texts(article):
    """The article's searchable text, field by field, as plain text."""
    place = article.place
    body = html.unescape(TAG.sub("", BLOCK.sub(" ", article.body or "")))
    texts = {
        "headline": article.headline,
        "standfirst": article.standfirst or "",
        "body": body,
        "tags": ", ".join(sorted(row.tag.name for row in article.taggedarticle_set.all())),
        "bylines": ", ".join(byline.author.name for byline in article.bylines.all()),
        "place": f"{place.name} {place.region}" if place else "",
    }
    return {field: " ".join(UNWANTED.sub(" ", text).split()) for field, text in texts.items()}
