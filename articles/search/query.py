"""
Finding and ranking stories, at a cost that does not grow with the matches.

Only the newest ``NEWSROOM_SEARCH_LIMIT`` matching stories are ranked: they
are found by walking an index in publication order, so a word in every story
costs about what a word in a few hundred does, or, for a word too few
stories hold for that walk to end soon, read straight from the full-text
index (``read_few_matches_through_index()``); the count shown stops at the
limit ("more than 200"), and on PostgreSQL ``time_limit()`` cuts short the
rare search that still reads too far. A query is PostgreSQL's
``websearch`` syntax (``"quoted phrase"``, ``-word``, ``or``) plus a
trailing ``*`` for the start of a word (``restor*``); SQLite matches every
word at the start of a word.
"""

import json
import re
from contextlib import contextmanager
from functools import reduce
from operator import add, or_

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import OperationalError, connections, transaction
from django.db.models import Case, F, Func, Q, TextField, Value, When
from django.db.models.functions import Coalesce, Greatest, Length, NullIf, Replace, Substr
from django.utils.html import escape
from django.utils.safestring import mark_safe
from psycopg.errors import QueryCanceled

from .documents import CONFIGS, DEFAULT_STEMMED, INDEX, STEMMED, UNWANTED, stemmed_config

SNIPPET_CONFIG = "russian"

MAX_QUERY_LENGTH = 200  # characters; the rest of a longer query is ignored
MAX_WORDS = 10  # SQLite: each word is one more pass over the documents
SNIPPET_LENGTH = 240  # characters of the SQLite snippet
# PostgreSQL: the stretch of a document its snippet is cut from, in
# characters: from a little before the first of the query's words found in
# it (or from its start), far more than a snippet's two fragments of 35 words.
SNIPPET_WINDOW = 1200
SNIPPET_LEAD = 300
# PostgreSQL: about what walking the newest stories costs a story read,
# against reading a match through the full-text index (1.5, measured at a
# million), times two: the planner's estimate counts a word that two text
# configurations read alike, as most names, twice.
WALK_COST = 3

# Best first; equal matches newest first.
RANKING = ["-search_rank", "-published_at", "-id"]
NEWEST = ["-published_at", "-id"]

# Private-use characters mark matches in a snippet until it is escaped;
# documents and queries never contain them (UNWANTED), so no text can forge a mark.
START, STOP, LT = "\ue000", "\ue001", "\ue002"
WORD = re.compile(r"\w+")
# A word ending in "*", outside quotes: the start of a word. Shorter stems
# than three letters would match too much of the dictionary to be useful.
PREFIX = re.compile(r"(?:(?<=\s)|^)(-?)(\w{3,})\*")


def clean(q):
    """The query as searched: no control characters, single spaces, cut to length."""
    return " ".join(UNWANTED.sub(" ", q or "").split())[:MAX_QUERY_LENGTH].strip()


def words(q):
    """The words of the query; with none (only punctuation, say), nothing matches."""
    return WORD.findall(clean(q))[:MAX_WORDS]


def matching(queryset, q):
    """The articles of ``queryset`` that match ``q``, unordered and unbounded."""
    q = clean(q)
    if not words(q):
        return queryset.none()
    if _postgres(queryset):
        return queryset.filter(search_vector=_query(q))
    for pattern in _patterns(q):
        in_headline, in_document = Q(headline__iregex=pattern), Q(search_document__iregex=pattern)
        queryset = queryset.filter(in_headline | in_document)
    return queryset


def newest(queryset, q, *, order=NEWEST, limit=None):
    """The ids of the newest ``limit`` matches (in ``order``, which an index should serve)."""
    limit = limit or settings.NEWSROOM_SEARCH_LIMIT
    return matching(queryset, q).order_by(*order).values("pk")[:limit]


def search(queryset, q, *, limit=None):
    """The newest ``limit`` matches of ``q`` in ``queryset``, best first, for a paginator."""
    return Results(queryset, clean(q), limit or settings.NEWSROOM_SEARCH_LIMIT)


class Results:
    """
    Search results as a paginator reads them. The first use ranks the
    newest ``limit`` matches in one query (reading one more tells whether
    there are others: ``more``) and keeps their ids in order; ``count()`` is
    how many there are, and a slice reads that page's stories, with their
    rank and snippet, in one more.
    """

    def __init__(self, queryset, q, limit):
        self.queryset, self.q, self.limit = queryset, q, limit
        self.more = self.too_slow = False
        self._ids = None

    @property
    def ranking(self):
        """The newest ``limit`` + 1 matches, each with its rank: the only rows ranked."""
        candidates = newest(self.queryset, self.q, limit=self.limit + 1)
        stories = self.queryset.filter(pk__in=candidates)
        stories = stories.annotate(search_rank=_rank(stories, self.q))
        return stories.order_by().values_list("search_rank", "published_at", "pk")

    def ids(self):
        """The ids of the ranked matches, best first; none if the search took too long."""
        if self._ids is None:
            try:
                with time_limit(self.queryset.db):
                    read_few_matches_through_index(self.queryset, self.q, self.limit + 1)
                    rows = sorted(self.ranking, key=lambda row: row[1:], reverse=True)
            except TooSlow:
                rows, self.too_slow = [], True
            self.more = len(rows) > self.limit
            ranked = sorted(rows[: self.limit], reverse=True)  # best first, then newest
            self._ids = [pk for _rank, _published_at, pk in ranked]
        return self._ids

    def count(self):
        return len(self.ids())

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        # Ordered again, the same way, in the database: only these get snippets.
        stories = self.queryset.filter(pk__in=self.ids()[index])
        stories = stories.annotate(search_rank=_rank(stories, self.q)).order_by(*RANKING)
        return _with_snippets(stories, self.q)


class TooSlow(Exception):
    """A search cut short by NEWSROOM_SEARCH_TIMEOUT_MS."""


# What a search changes for its own queries (time_limit() puts them back):
# its time limit, the planner's choice of scans, and no JIT compilation,
# which a scan turned off would bring on (its cost looks astronomical) and
# which takes longer than such a query runs.
SEARCH_SETTINGS = ["statement_timeout", "enable_indexscan", "enable_seqscan", "jit"]


@contextmanager
def time_limit(db):
    """
    PostgreSQL: cancel the queries run inside after NEWSROOM_SEARCH_TIMEOUT_MS,
    raising TooSlow. Matches are found newest first through an index, which
    is quick when they are frequent and when they are rare; a phrase of
    common words, or words common only long ago, can make that walk long.

    The settings are the transaction's own: in autocommit, as views run,
    they end with the block's transaction; inside a caller's transaction
    they are put back as they were when the block ends (a search cut short
    spoils that transaction, as any failed query does).
    """
    connection = connections[db]
    if connection.vendor != "postgresql":
        yield
        return
    timeout = str(settings.NEWSROOM_SEARCH_TIMEOUT_MS)
    outer = connection.in_atomic_block
    current = ", ".join(f"current_setting('{name}')" for name in SEARCH_SETTINGS)
    put_back = ", ".join(f"set_config('{name}', %s, true)" for name in SEARCH_SETTINGS)
    try:
        with transaction.atomic(using=db, savepoint=False):
            with connection.cursor() as cursor:
                # Read before they are set: a select list runs left to right.
                cursor.execute(
                    f"SELECT {current}, set_config('statement_timeout', %s, true), "
                    "set_config('jit', 'off', true)",
                    [timeout],
                )
                saved = cursor.fetchone()[: len(SEARCH_SETTINGS)]
            yield
            if outer:
                with connection.cursor() as cursor:
                    cursor.execute(f"SELECT {put_back}", saved)
    except OperationalError as error:
        if isinstance(error.__cause__, QueryCanceled):
            raise TooSlow from error
        raise


def read_few_matches_through_index(queryset, q, limit, *, order=NEWEST):
    """
    PostgreSQL: when the matches of ``q`` are few, have the rest of the
    time_limit() block read them all through the full-text index rather than walk
    ``queryset`` in ``order`` until ``limit`` of them match; says whether it did.

    Walking reads about ``limit / share`` stories, each with its whole
    stored vector; the index reads only the matches. So the matches are few
    when ``matches² < WALK_COST × limit × stories``: up to about 2,500 at
    ten thousand stories and 25,000 at a million. Left alone, the planner
    counts nothing for reading a stored vector and walks for a word in one
    story in two hundred: through some 45,000 stories at a million (150 ms,
    against 5 through the index).

    The matches are the planner's estimate from the table's statistics, or
    as many as the share of the newest ``limit`` stories that match would
    make, whichever is more: a word new since the statistics were taken (a
    name in the news this week) is unknown to them, and estimated as rare,
    while walking finds it at once; reading its thousands of matches
    through the index would take hundreds of milliseconds.
    """
    if not _postgres(queryset) or not words(q):
        return False
    model = queryset.model
    # The query as searched: a stop word one configuration drops may be
    # in every story for another.
    estimate = matching(model._base_manager.values("pk"), q)
    matches = json.loads(estimate.explain(format="json"))[0]["Plan"]["Plan Rows"]
    newest = model._base_manager.filter(pk__in=queryset.order_by(*order).values("pk")[:limit])
    probe, probe_params = matching(newest, q).values("pk").query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        # With no statistics (reltuples -1) the planner is left to itself,
        # and so it is while `rebuild_search --bulk` has the index away.
        cursor.execute(
            "SELECT set_config('enable_indexscan', 'off', true), "
            "set_config('enable_seqscan', 'off', true) "
            "FROM pg_class, "
            f"LATERAL (SELECT count(*) AS found FROM ({probe}) AS newest) AS probe "
            "WHERE oid = %s::regclass AND to_regclass(%s) IS NOT NULL "
            "AND reltuples > 0 AND GREATEST(%s, found * reltuples / %s) ^ 2 < %s * reltuples",
            [*probe_params, model._meta.db_table, INDEX, matches, limit, WALK_COST * limit],
        )
        return cursor.fetchone() is not None


def highlight(articles, q):
    """Give each article of a page of ``search()`` a ``snippet``: safe HTML, matches in <mark>."""
    for article in articles:
        marked = getattr(article, "search_snippet", None)
        if marked is None:
            marked = _mark(article.search_document, words(q))
        text = escape(marked.replace(LT, "<"))
        article.snippet = mark_safe(text.replace(START, "<mark>").replace(STOP, "</mark>"))


# Internals


def _postgres(queryset):
    return connections[queryset.db].vendor == "postgresql"


def _query(q):
    """PostgreSQL: ``q`` in each configuration (websearch syntax and prefixes), joined with OR."""
    q, prefixes = _split_prefixes(q)
    parts = []
    for config in query_configs():
        query = SearchQuery(q, config=config, search_type="websearch")
        if prefixes:
            query &= SearchQuery(" & ".join(prefixes), config=config, search_type="raw")
        parts.append(query)
    return reduce(or_, parts)


def query_configs():
    """
    The configurations a query is read in: "simple" (every word as written),
    "russian" (English and Russian stems) and the stemmers of the languages
    in NEWSROOM_SEARCH_LANGUAGES, each adding a little to every search.
    """
    extra = [stemmed_config(code) for code in settings.NEWSROOM_SEARCH_LANGUAGES]
    found = [DEFAULT_STEMMED if config == STEMMED else config for config in CONFIGS] + extra
    return list(dict.fromkeys(found))


def _split_prefixes(q):
    """The query without its ``word*`` terms, and those terms in tsquery syntax (``!word:*``)."""
    prefixes = []

    def take(match):
        if len(prefixes) < MAX_WORDS:
            prefixes.append(f"{'!' if match[1] else ''}{match[2]}:*")
        return " "

    # Even-numbered parts lie outside quotes, where a "*" means a prefix.
    parts = q.split('"')
    parts[::2] = [PREFIX.sub(take, part) for part in parts[::2]]
    return '"'.join(parts), prefixes


def _rank(queryset, q):
    """PostgreSQL's rank of the weighted vector; SQLite's count of words in the headline."""
    if _postgres(queryset):
        return SearchRank(F("search_vector"), _query(q))
    hits = [Case(When(headline__iregex=p, then=1), default=0) for p in _patterns(q)]
    return reduce(add, hits, Value(0))


def _with_snippets(stories, q):
    if not _postgres(stories):
        # highlight() cuts the snippet from the document, which listings defer.
        return stories.defer(None).defer("search_vector")
    # "<" is hidden from the parser, which would drop "<script>" from a
    # story's text as if it were a tag; restored, and escaped, in highlight().
    terms = _snippet_terms(q)
    text = Replace(_snippet_window(terms), Value("<"), Value(LT))
    snippet = SearchHeadline(
        text,
        _snippet_query(terms) if terms else _query(q),
        config=SNIPPET_CONFIG,
        start_sel=START,
        stop_sel=STOP,
        max_words=35,
        min_words=15,
        max_fragments=2,
        fragment_delimiter=" … ",
    )
    return stories.annotate(search_snippet=snippet)


def _snippet_terms(q):
    """
    The words a snippet marks, each with whether it stands for the start
    of a word (``word*``): the query's, but those it excludes and "or".
    """
    q, prefixes = _split_prefixes(clean(q))
    q = re.sub(r"(?:(?<=\s)|^)-\S*", " ", q)
    terms = [(word, False) for word in words(q) if word.lower() != "or"]
    terms += [(prefix[:-2], True) for prefix in prefixes if not prefix.startswith("!")]
    return list(dict.fromkeys(terms))[:MAX_WORDS]


def _snippet_query(terms):
    """
    Any of the words, stemmed as the snippet's text is: ts_headline() only
    cuts a fragment around a stretch that matches its whole query, and a
    story's words may lie further apart than the stretch it is given.
    """
    query = " | ".join(f"{word}:*" if prefix else word for word, prefix in terms)
    return SearchQuery(query, config=SNIPPET_CONFIG, search_type="raw")


def _snippet_window(terms):
    """
    PostgreSQL: the stretch of the search document a snippet is cut from.
    ts_headline() parses all the text it is given, word by word, which
    costs more than anything else on a page of results (a whole document
    of 600 words: about 0.4 ms), and a story can be far longer. The stretch
    starts a little before the first word that begins as one of ``terms``
    does (cut to its first letters where long: a word's other forms mostly
    share its start), whole words only; with none found (only the headline
    matched, say), it is the start of the document.
    """
    document = F("search_document")
    starts = dict.fromkeys(word[: max(4, len(word) - 3)] for word, _prefix in terms)
    if not starts:
        return Substr(document, 1, SNIPPET_WINDOW)
    # What comes before the first such word: the document with the rest cut
    # off, unless no word was found. (A pattern's captured group would say
    # so more plainly, at ten times the cost.) The words are letters and
    # digits: nothing in them means more to a pattern.
    pattern = Value(rf"\m(?:{'|'.join(starts)}).*$")
    cut = Func(document, pattern, Value(""), Value("i"), function="regexp_replace")
    before = NullIf(Length(cut), Length(document))
    start = Greatest(Coalesce(before, Value(0)) + Value(2 - SNIPPET_LEAD), Value(1))
    # Cut from the document after a space, whose first word, cut or not
    # (that space, at the start), is then dropped.
    spaced = Func(document, template="(' ' || %(expressions)s)", output_field=TextField())
    stretch = Substr(spaced, start, SNIPPET_WINDOW)
    return Func(stretch, Value(r"^\S*\s+"), Value(""), function="regexp_replace")


def _patterns(q):
    """SQLite: each word, at the start of a word (case-insensitive in any script)."""
    return [rf"\b{re.escape(word)}" for word in words(q)]


def _mark(text, query_words):
    """SQLite: the stretch of ``text`` around the first match, with every match marked."""
    text = " ".join(text.split())
    if not query_words:
        return text[:SNIPPET_LENGTH]
    found = re.compile(r"\b(?:%s)\w*" % "|".join(map(re.escape, query_words)), re.I)
    first, start = found.search(text), 0
    if first and first.start() > SNIPPET_LENGTH // 4:
        # Some words of context before the first match, from the start of a word.
        start = text.rfind(" ", 0, first.start() - SNIPPET_LENGTH // 4) + 1
    end = text.find(" ", start + SNIPPET_LENGTH)
    stretch = text[start : end if end != -1 else None]
    marked = found.sub(lambda match: f"{START}{match[0]}{STOP}", stretch)
    return ("… " if start else "") + marked + (" …" if end != -1 else "")
