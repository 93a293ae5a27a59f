"""
Keeping every story's search document and vector up to date.

``index()`` refreshes one story (workflow calls it after each save, once tags
and bylines are written), ``reindex()`` a queryset and ``rebuild()`` every
story, in batches. Each batch's plain text is made in Python from three
queries (the stories, their tags, their bylines); on PostgreSQL one UPDATE
then hands the whole batch to the database as arrays, which weighs the
vectors and writes only the rows that changed. SQLite keeps the document
alone (its search matches words in it).
"""

import contextlib
import functools
import html
import re
import threading
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from functools import reduce
from operator import add

from django.contrib.postgres.search import SearchVector
from django.db import connection, connections, reset_queries
from django.db.models import Max, Min, Value

from .. import languages
from ..models import Article, Byline, TaggedArticle

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
# A story in another language PostgreSQL has a stemmer for (German, French,
# Spanish, ...) is stemmed in its own language instead (articles/languages.py);
# queries are read in those of NEWSROOM_SEARCH_LANGUAGES too (query.py).
STEMMED = "stemmed"  # stands for the story's own configuration
DEFAULT_STEMMED = "russian"
CONFIGS = [STEMMED, "simple"]
BODY_CONFIGS = [STEMMED]

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

# How much of each field's text the vector reads. PostgreSQL refuses a
# tsvector over 1 MB, and positions stop counting at 16,383 words, so a
# story longer than this is found by its first 200,000 characters (30,000
# words); its document, which snippets are cut from, keeps all of it.
VECTOR_TEXT = dict.fromkeys(["headline", "standfirst", "tags", "bylines", "place"], 20_000)
VECTOR_TEXT["body"] = 200_000

BATCH_SIZE = 2000  # stories a rebuild() transaction refreshes
INDEX = "article_search_idx"  # PostgreSQL's GIN index of the vector (migration 0006)


def configs(field):
    """The configurations a field is read in for the vector (STEMMED: the story's own)."""
    return BODY_CONFIGS if field == "body" else CONFIGS


def stemmed_config(language):
    """
    The configuration a story in ``language`` is stemmed in: its language's,
    where PostgreSQL has one; else, and for English, "russian", which stems
    Latin words as English and Cyrillic ones as Russian.
    """
    config = languages.search_config(language)
    return DEFAULT_STEMMED if config in ("english", "simple") else config


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
        # With DEBUG on, each connection keeps its queries, and a batch's
        # UPDATE carries the batch's whole text: a million stories would be
        # held in memory.
        reset_queries()
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


# PostgreSQL: the plain text made in Python (as for SQLite), the vectors by
# the database, one UPDATE a batch


def _reindex_in_database(queryset):
    batch = _plain_texts(queryset)
    if not batch:
        return 0
    columns = [[pk for pk, _texts in batch]]
    columns += [[texts[field][: VECTOR_TEXT[field]] for _pk, texts in batch] for field in WEIGHTS]
    columns.append([_document(texts) for _pk, texts in batch])
    columns.append([texts["config"] for _pk, texts in batch])
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(_update_sql(), columns)
        return cursor.fetchone()[0]


@functools.cache
def _update_sql():
    """
    One UPDATE for a batch, its texts given as arrays: the vectors are made
    once (materialized), and rows whose document and vector come out the
    same are left as they are, unwritten.
    """
    fields = list(WEIGHTS)
    arrays = ", ".join(["%s::bigint[]", *["%s::text[]"] * (len(fields) + 2)])
    vector = " || ".join(
        f"setweight(to_tsvector({_config_sql(config)}, v.{field}), '{weight}')"
        for field, weight in WEIGHTS.items()
        for config in configs(field)
    )
    article = _table(Article)
    return f"""
        WITH fresh AS MATERIALIZED (
            SELECT v.id, v.document, {vector} AS vector
            FROM unnest({arrays}) AS v(id, {", ".join(fields)}, document, config)
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


def _config_sql(config):
    return "v.config::regconfig" if config == STEMMED else f"'{config}'::regconfig"


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


# SQLite (and the reference for PostgreSQL's): the same in Python


def _reindex_in_python(queryset):
    manager, count = queryset.model._default_manager, 0
    for pk, texts in _plain_texts(queryset):
        columns = {"search_document": _document(texts)}
        if connections[queryset.db].vendor == "postgresql":
            columns["search_vector"] = reduce(
                add,
                [
                    SearchVector(
                        Value(texts[field][: VECTOR_TEXT[field]]),
                        config=texts["config"] if config == STEMMED else config,
                        weight=weight,
                    )
                    for field, weight in WEIGHTS.items()
                    for config in configs(field)
                ],
            )
        count += manager.filter(pk=pk).update(**columns)
    return count


def _plain_texts(queryset):
    """[(id, {field: plain text})] for the stories of ``queryset``, in three queries."""
    fields = ["pk", "headline", "standfirst", "body", "place__name", "place__region", "language"]
    rows = list(queryset.order_by().values_list(*fields))
    ids, db = [row[0] for row in rows], queryset.db
    tags, bylines = defaultdict(list), defaultdict(list)
    tagged = TaggedArticle.objects.using(db).filter(content_object_id__in=ids)
    for pk, name in tagged.values_list("content_object_id", "tag__name"):
        tags[pk].append(name)
    credited = Byline.objects.using(db).filter(article_id__in=ids).order_by("position", "id")
    for pk, name in credited.values_list("article_id", "author__name"):
        bylines[pk].append(name)
    return [
        (pk, {**_texts(headline, standfirst, body, sorted(tags[pk]), bylines[pk], place, region),
              "config": stemmed_config(language)})
        for pk, headline, standfirst, body, place, region, language in rows
    ]  # fmt: skip


def _texts(headline, standfirst, body, tags, bylines, place, region):
    """A story's searchable text, field by field, as plain text."""
    texts = {
        "headline": headline,
        "standfirst": standfirst or "",
        "body": html.unescape(TAG.sub("", BLOCK.sub(" ", body or ""))),
        "tags": ", ".join(tags),
        "bylines": ", ".join(bylines),
        "place": f"{place} {region}" if place is not None else "",
    }
    return {field: " ".join(UNWANTED.sub(" ", text).split()) for field, text in texts.items()}


def _document(texts):
    """The search document: what a snippet is cut from."""
    return "\n".join(filter(None, [texts[field] for field in DOCUMENT]))
