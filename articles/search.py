"""
Full-text search: the site's (over live stories) and the admin's (over all).

Every article keeps a search document: its standfirst, body text, tags,
byline names and place as plain text, refreshed by ``index()``, which
workflow calls after each save, once tags and bylines are written. The
headline is searched from its own column.

On PostgreSQL a weighted ``search_vector`` (headline, then standfirst, tags,
bylines and place, then body) with a GIN index does the matching and the
ranking, and ``ts_headline`` marks the matches in the snippet. On SQLite, the
embedded set-up, every query word must begin a word of the headline or the
document, in any letter case and script; stories with more headline hits
come first, then the newest.
"""

import html
import re
from functools import reduce
from operator import add, or_

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Replace
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import Article

# PostgreSQL's "russian" configuration stems Cyrillic words with the Russian
# Snowball stemmer and Latin-letter words with the English one, so a single
# stemmed vector serves both languages of the newsroom ("восстановит" finds
# "восстановить", "restoring" finds "restore"); "english" would leave Russian
# unstemmed. The "simple" vector beside it keeps every word as written, stop
# words included, so the exact form still matches where a stemmer drops a
# word or stems the query and the text apart. A query is read in both
# configurations, joined with OR.
CONFIGS = ["russian", "simple"]
SNIPPET_CONFIG = "russian"

MAX_QUERY_LENGTH = 200  # characters; the rest of a longer query is ignored
MAX_WORDS = 10  # SQLite: each word is one more pass over the documents
SNIPPET_LENGTH = 240  # characters of the SQLite snippet

# The search document, in this order: what a snippet is cut from.
DOCUMENT = ["standfirst", "body", "tags", "bylines", "place"]
# PostgreSQL's weights: a headline match outranks the filing, which outranks the body.
WEIGHTS = {
    "headline": "A",
    **dict.fromkeys(["standfirst", "tags", "bylines", "place"], "B"),
    "body": "C",
}

# Private-use characters mark matches in a snippet until it is escaped; they
# are taken out of documents and queries so that no text can forge a mark.
START, STOP, LT = "\ue000", "\ue001", "\ue002"
UNWANTED = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ue000-\ue002]")
WORD = re.compile(r"\w+")
# Body HTML is sanitized on save, so a "<" in its text is always "&lt;".
BLOCK = re.compile(r"</?(?:p|h[1-6]|li|ul|ol|blockquote)\b[^>]*>|<(?:br|hr)\b[^>]*>", re.I)
TAG = re.compile(r"<[^>]*>")


def clean(q):
    """The query as searched: no control characters, single spaces, cut to length."""
    return " ".join(UNWANTED.sub(" ", q or "").split())[:MAX_QUERY_LENGTH].strip()


def words(q):
    """The words of the query; with none (only punctuation, say), nothing matches."""
    return WORD.findall(clean(q))[:MAX_WORDS]


def matching(queryset, q):
    """The articles of ``queryset`` that match ``q``, unordered (the admin's search)."""
    q = clean(q)
    if not words(q):
        return queryset.none()
    if _postgres(queryset):
        return queryset.filter(search_vector=_query(q))
    for pattern in _patterns(q):
        in_headline, in_document = Q(headline__iregex=pattern), Q(search_document__iregex=pattern)
        queryset = queryset.filter(in_headline | in_document)
    return queryset


def search(queryset, q):
    """``matching()``, best match first; pass the page shown to ``highlight()``."""
    q = clean(q)
    results = matching(queryset, q)
    if _postgres(queryset):
        query = _query(q)
        # Hidden from the parser, which would drop "<script>" from a story's
        # text as if it were a tag; restored, and escaped, in highlight().
        text = Replace(F("search_document"), Value("<"), Value(LT))
        results = results.annotate(
            search_rank=SearchRank(F("search_vector"), query),
            search_snippet=SearchHeadline(
                text,
                query,
                config=SNIPPET_CONFIG,
                start_sel=START,
                stop_sel=STOP,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
    else:
        hits = [Case(When(headline__iregex=p, then=1), default=0) for p in _patterns(q)]
        results = results.annotate(search_rank=reduce(add, hits, Value(0)))
        # highlight() cuts the snippet from the document, which listings defer.
        results = results.defer(None).defer("search_vector")
    return results.order_by("-search_rank", "-published_at", "-id")


def highlight(articles, q):
    """Give each article of ``search()``'s results a ``snippet``: safe HTML, matches in <mark>."""
    for article in articles:
        marked = getattr(article, "search_snippet", None)
        if marked is None:
            marked = _mark(article.search_document, words(q))
        text = escape(marked.replace(LT, "<"))
        article.snippet = mark_safe(text.replace(START, "<mark>").replace(STOP, "</mark>"))


# Keeping the documents up to date


def index(article):
    """Refresh ``article``'s search document from what is saved: call after tags and bylines."""
    reindex(Article.objects.filter(pk=article.pk))
    # So that a later save() of this instance writes back the fresh values.
    article.refresh_from_db(fields=["search_document", "search_vector"])


def reindex(queryset):
    """Refresh the search document of every article in ``queryset``."""
    manager, postgres = queryset.model._default_manager, _postgres(queryset)
    # Through the tagging rows, not the tags manager, which migrations' models lack.
    related = ["taggedarticle_set__tag", "bylines__author"]
    rows = queryset.select_related("place").prefetch_related(*related)
    for article in rows.iterator(chunk_size=500):
        texts = _texts(article)
        columns = {"search_document": "\n".join(filter(None, [texts[f] for f in DOCUMENT]))}
        if postgres:
            columns["search_vector"] = reduce(
                add,
                [
                    SearchVector(Value(texts[field]), config=config, weight=weight)
                    for field, weight in WEIGHTS.items()
                    for config in CONFIGS
                ],
            )
        manager.filter(pk=article.pk).update(**columns)


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


# Internals


def _postgres(queryset):
    return connections[queryset.db].vendor == "postgresql"


def _query(q):
    return reduce(or_, [SearchQuery(q, config=c, search_type="websearch") for c in CONFIGS])


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
