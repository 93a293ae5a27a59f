"""
Full-text search: the site's (over live stories) and the admin's (over all).

Every article keeps a search document: its standfirst, body text, tags,
byline names and place as plain text, refreshed by ``index()``, which
workflow calls after each save, once tags and bylines are written
(``documents``). The headline is searched from its own column.

On PostgreSQL a weighted ``search_vector`` (headline, then standfirst, tags,
bylines and place, then body) with a GIN index does the matching and the
ranking, and ``ts_headline`` marks the matches in the snippet. On SQLite, the
embedded set-up, every query word must begin a word of the headline or the
document, in any letter case and script; stories with more headline hits
come first, then the newest. Either way only the newest matches, up to a
limit, are ranked (``query``), and the search page is rate-limited per
client and briefly cached for anonymous readers (``page``).
"""

from .documents import index, rebuild, reindex
from .query import (
    MAX_QUERY_LENGTH,
    Results,
    TooSlow,
    clean,
    highlight,
    matching,
    newest,
    read_few_matches_through_index,
    search,
    time_limit,
    words,
)

__all__ = [
    "MAX_QUERY_LENGTH",
    "Results",
    "TooSlow",
    "clean",
    "highlight",
    "index",
    "matching",
    "newest",
    "read_few_matches_through_index",
    "rebuild",
    "reindex",
    "search",
    "time_limit",
    "words",
]
