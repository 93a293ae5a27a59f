"""
Finding and ranking stories, at a cost that does not grow with the matches.

Only the newest ``NEWSROOM_SEARCH_LIMIT`` matching stories are ranked: they
are found through an index in publication order, so a word in every story
costs no more than a word in a thousand, and the count shown stops at the
limit ("more than 1,000"). A query is PostgreSQL's ``websearch`` syntax
(``"quoted phrase"``, ``-word``, ``or``) plus a trailing ``*`` for the start
of a word (``restor*``); SQLite matches every word at the start of a word.
"""

import re
from functools import reduce
from operator import add, or_

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connections
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Replace
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .documents import CONFIGS, UNWANTED

SNIPPET_CONFIG = "russian"

MAX_QUERY_LENGTH = 200  # characters; the rest of a longer query is ignored
MAX_WORDS = 10  # SQLite: each word is one more pass over the documents
SNIPPET_LENGTH = 240  # characters of the SQLite snippet

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
    Search results as a paginator reads them: ``count()`` counts the
    matches only up to the limit (``more`` tells whether there are others),
    and a slice ranks the newest matches and reads that page of stories, with
    their rank and snippet, in a fixed number of queries.
    """

    def __init__(self, queryset, q, limit):
        self.queryset, self.q, self.limit = queryset, q, limit
        self.more = False

    def count(self):
        # Any limit + 1 matches will do, so the database may take the cheapest.
        found = matching(self.queryset, self.q).order_by().values("pk")[: self.limit + 1].count()
        self.more = found > self.limit
        return min(found, self.limit)

    @property
    def ranked(self):
        """The newest matches, best first: the only rows that are ranked."""
        return self._ranked(self.queryset.filter(pk__in=newest(self.queryset, self.q, limit=self.limit)))

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        # The page's stories, ranked again for their order: only they get snippets.
        page = self.queryset.filter(pk__in=self.ranked.values("pk")[index])
        return _with_snippets(self._ranked(page), self.q)

    def _ranked(self, stories):
        return stories.annotate(search_rank=_rank(stories, self.q)).order_by(*RANKING)


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
    for config in CONFIGS:
        query = SearchQuery(q, config=config, search_type="websearch")
        if prefixes:
            query &= SearchQuery(" & ".join(prefixes), config=config, search_type="raw")
        parts.append(query)
    return reduce(or_, parts)


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
    text = Replace(F("search_document"), Value("<"), Value(LT))
    snippet = SearchHeadline(
        text,
        _query(q),
        config=SNIPPET_CONFIG,
        start_sel=START,
        stop_sel=STOP,
        max_words=35,
        min_words=15,
        max_fragments=2,
        fragment_delimiter=" … ",
    )
    return stories.annotate(search_snippet=snippet)


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
