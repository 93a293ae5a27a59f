"""
What public pages read (the sections in the navigation, the breaking-news
banner, the counts a listing is paged by and each of its pages' stories, the
stories a story's page leads on to) kept in this process for a moment
(``NEWSROOM_REMEMBER_MS``, a second), so that a busy site does not ask the
database for them again for every reader.

Times are still honoured at each request: the counts and the banners are
kept as rows, and what readers see of them is worked out at the moment
asked (a scheduled story falling due, a banner's start and end, to the
second); a listing's page is kept under the counts it was read by, so a
story falling due on it is read in at its time (articles/paging.py). A
change made in this process forgets everything when its transaction
commits; one made in another process (a second app server, the ingest
service, the shell) shows here within ``NEWSROOM_REMEMBER_MS``.

Nothing is kept while rendered pages are stored (the page cache or the search
cache is on): a stored page must not freeze a second-old copy until the next
change, and those caches already spare the database. Nothing is read from or
kept here inside a transaction either, which may see its own uncommitted
changes.
"""

import time

from django.conf import settings
from django.db import connection, transaction

clock = time.monotonic  # what a moment is measured by
MOST = 1_000  # entries; past this the memory starts afresh

_kept = {}


def remembered(key, read):
    """``read()``, or what it gave in this process less than ``NEWSROOM_REMEMBER_MS`` ago."""
    if not in_use():
        return read()
    now = clock()
    found = _kept.get(key)
    if found is not None and found[0] > now:
        return found[1]
    value = read()
    if len(_kept) >= MOST:
        _kept.clear()
    _kept[key] = (now + settings.NEWSROOM_REMEMBER_MS / 1000, value)
    return value


def forget():
    """Forget everything kept, now and again when the current transaction commits."""
    _kept.clear()
    if connection.in_atomic_block:
        transaction.on_commit(_kept.clear)


def in_use():
    """Whether this process keeps what pages read now (not while pages are stored, nor in a transaction)."""
    if not settings.NEWSROOM_REMEMBER_MS:
        return False
    if settings.NEWSROOM_PAGE_CACHE_SECONDS or settings.NEWSROOM_SEARCH_CACHE_SECONDS:
        return False
    return not connection.in_atomic_block
