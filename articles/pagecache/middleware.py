"""
Serving public pages to anonymous readers from the cache, rendering each
missing or outdated page once, and telling browsers and edges how to keep
them.
"""

import hashlib
import math
import threading
import time
from collections import OrderedDict
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe

from . import versions
from .names import EVERYTHING, LIVE, depends_of
from .versions import CACHE_ERRORS, LOCK_SECONDS, POLL_SECONDS, VERSION, WAIT_SECONDS

# Entries are stored as plain tuples, so that a deploy can always read them;
# change the number when their shape changes, or what their headers hold
# (e2: the Content-Security-Policy rendered with the page). A head (ETag and versions) is
# stored beside each entry: a worker holding the page checks it alone.
ENTRY, HEAD, LOCK = "pages:e2:", "pages:h2:", "pages:l:"

# An edge (CDN, nginx) may keep a page one second, and serve it one more
# while it fetches it again, so a change reaches its readers within 2 s.
# Browsers ask every time, and mostly hear 304 Not Modified.
CACHE_CONTROL = "public, max-age=0, s-maxage=1, stale-while-revalidate=1"
STALE_SECONDS = 1.0  # the previous copy, while another request renders the page
RECHECK_SECONDS = 0.1  # how often a worker asks whether anything changed since it checked its pages
RECENT_BYTES = 32 * 1024 * 1024  # the most a worker keeps of such pages
CLOCK_SKEW = 1.0  # how far apart the servers' clocks may be
HINTS_KEPT = 10_000


class Entry(NamedTuple):
    body: bytes
    headers: dict
    etag: str
    modified: int
    versions: tuple  # ((name, version), ...) as rendered


class Found(NamedTuple):
    entry: Entry | None
    versions: dict  # the current version of each name read (None: it has none)
    fresh: bool
    stale_for: float  # seconds since the change that outdated the entry


class Render(NamedTuple):
    digest: str | None = None  # None: nothing to lock or store
    locked: bool = False
    found: Found | None = None


class Recent:
    """
    Pages this worker found current, served again without a round trip
    while no change has been made anywhere since. Whether one has is one
    small look at the cache per worker every RECHECK_SECONDS, however many
    pages the worker holds; after a change, each page is checked once.
    """

    def __init__(self):
        self.pages = OrderedDict()  # digest -> (entry, latest change then, local changes then)
        self.size = 0
        self.lock = threading.Lock()
        self.latest = (None, None, -math.inf)  # (the latest change, the schedule, read at)

    def get(self, digest, now):
        """The copy this worker holds, and whether it may serve it without asking the cache."""
        entry, seen, bumps = self.pages.get(digest, (None, None, None))
        # A change made here is seen here at once; elsewhere, within RECHECK_SECONDS.
        current = entry is not None and bumps == versions.Bumps.count
        return entry, current and seen is not None and seen == self.latest_change(now)

    def latest_change(self, now):
        """
        The version the latest change gave, read at most RECHECK_SECONDS
        ago; None (cannot tell) from the moment a held-back story is due,
        to the instant, by the schedule read with it.
        """
        latest, schedule, read_at = self.latest
        if not 0 <= now - read_at < RECHECK_SECONDS:
            got = cache.get_many([versions.LATEST, versions.SCHEDULE])
            latest, schedule = got.get(versions.LATEST), got.get(versions.SCHEDULE)
            self.latest = (latest, schedule, now)
        return None if versions.is_due(schedule, now) else latest

    def keep(self, digest, entry, latest):
        """Keep ``entry``, found current when the latest change was ``latest``."""
        with self.lock:
            if (old := self.pages.pop(digest, None)) is not None:
                self.size -= len(old[0].body)
            self.pages[digest] = (entry, latest, versions.Bumps.count)
            self.size += len(entry.body)
            while self.size > RECENT_BYTES:
                _digest, (dropped, _latest, _bumps) = self.pages.popitem(last=False)
                self.size -= len(dropped.body)


recent = Recent()
hints = {}  # digest -> the names of its page, so that a hit reads them in one round trip


def recheck(digest, kept):
    """``kept`` as Found if it is still the current page: a small round trip, no page in it."""
    names = [name for name, _ in kept.versions]
    keys = [HEAD + digest, versions.SCHEDULE, versions.LATEST, *(VERSION + n for n in names)]
    got = cache.get_many(keys)
    now = time.time()
    current = {n: got.get(VERSION + n) for n in names}
    if (
        versions.is_due(got.get(versions.SCHEDULE), now)
        or got.get(HEAD + digest) != (kept.etag, kept.versions)
        or any(current[name] != seen for name, seen in kept.versions)
    ):
        return None
    recent.keep(digest, kept, got.get(versions.LATEST))
    return Found(kept, current, True, 0.0)


def find(digest, *, again=True):
    """The cached page and whether it is current, in one round trip when its names are known."""
    names = hints.get(digest, (EVERYTHING, LIVE))
    keys = [ENTRY + digest, versions.SCHEDULE, versions.LATEST, *(VERSION + n for n in names)]
    got = cache.get_many(keys)
    now = time.time()
    if again and versions.is_due(got.get(versions.SCHEDULE), now) and versions.reschedule(wait=False):
        return find(digest, again=False)
    stored = got.get(ENTRY + digest)
    current = {n: got.get(VERSION + n) for n in names}
    if stored is None:
        return Found(None, current, False, math.inf)
    entry = Entry._make(stored)
    unread = [name for name, _ in entry.versions if name not in current]
    if unread:
        more = cache.get_many([VERSION + n for n in unread])
        current.update({n: more.get(VERSION + n) for n in unread})
        _hint(digest, entry)
    outdated = [current[name] for name, seen in entry.versions if current[name] != seen]
    if not outdated:
        recent.keep(digest, entry, got.get(versions.LATEST))
        return Found(entry, current, True, 0.0)
    if None in outdated:
        return Found(entry, current, False, math.inf)
    return Found(entry, current, False, now - min(map(versions.changed_at, outdated)))


def _hint(digest, entry):
    if len(hints) >= HINTS_KEPT:
        hints.clear()
    hints[digest] = tuple(name for name, _ in entry.versions)


def _digest(request):
    query = request.META.get("QUERY_STRING", "")
    url = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    return hashlib.blake2b(url.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _seen(names, found, started):
    """
    The version of each name the render saw: as read before it began, or,
    for names only the render revealed, as read now, unless it changed
    since the render began (then the copy counts as outdated at once, and
    the next request renders the page again, knowing its names).
    """
    seen = {n: found.versions[n] for n in names if found and found.versions.get(n)}
    unread = [n for n in names if n not in seen]
    for name, version in versions.current(unread).items() if unread else ():
        recent_change = not version or versions.changed_at(version) >= started - CLOCK_SKEW
        seen[name] = "" if recent_change else version
    return tuple(sorted(seen.items()))


def _respond(request, entry, outcome):
    body = b"" if request.method == "HEAD" else entry.body
    response = HttpResponse(body, headers=entry.headers)
    response.headers["X-Page-Cache"] = outcome
    if outcome == "stale":
        # Already outdated: an edge must ask again rather than keep it.
        response.headers["Cache-Control"] = "no-cache"
    return get_conditional_response(
        request, etag=entry.etag, last_modified=entry.modified, response=response
    )


def _shareable(response):
    """A plain, complete answer, the same for every anonymous reader."""
    control = response.get("Cache-Control", "").lower()
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not any(word in control for word in ("private", "no-store", "no-cache"))
        and vary <= {"cookie"}
    )


class PageCacheMiddleware:
    """
    Put it after SecurityMiddleware and WhiteNoise and before sessions: it
    answers anonymous readers' requests for public pages from the cache
    before the rest of the stack runs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._anonymous(request):
            response = self.get_response(request)
            if depends_of(request.resolver_match) is not None:
                # A logged-in reader's copy is theirs: no shared cache keeps it.
                patch_cache_control(response, private=True, no_cache=True)
            return response
        if not (settings.NEWSROOM_PAGE_CACHE_SECONDS and versions.outage.usable()):
            return self._render(request, Render())
        try:
            plan = self._plan(request, _digest(request))
        except CACHE_ERRORS as error:
            versions.outage.failed(error)
            plan = Render()
        return plan if isinstance(plan, HttpResponse) else self._render(request, plan)

    @staticmethod
    def _anonymous(request):
        return (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META
        )

    def _plan(self, request, digest):
        """A response from the cache, or how to render the page."""
        kept, current = recent.get(digest, time.time())
        if current:
            return _respond(request, kept, "hit")
        versions.keep_in_step()
        if versions.outage.owed:
            versions.apply(())
        found = (recheck(digest, kept) if kept is not None else None) or find(digest)
        if found.fresh:
            return _respond(request, found.entry, "hit")
        try:
            if depends_of(resolve(request.path_info)) is None:
                return Render()
        except Resolver404:
            return Render()
        deadline = time.monotonic() + WAIT_SECONDS
        waited = False
        while not cache.add(LOCK + digest, 1, LOCK_SECONDS):
            # Another request is rendering the page.
            if found.entry is not None and found.stale_for < STALE_SECONDS:
                return _respond(request, found.entry, "stale")
            if time.monotonic() >= deadline:
                return Render(digest, False, found)
            time.sleep(POLL_SECONDS)
            found, waited = find(digest), True
            if found.fresh:
                return _respond(request, found.entry, "hit")
        if waited:
            # The renderer may have stored the page and let go of the lock
            # between the last look and taking it: look once more.
            try:
                found = find(digest)
            except CACHE_ERRORS:
                # Not held through a blip: the next reader would wait out LOCK_SECONDS.
                self._safely(cache.delete, LOCK + digest)
                raise
            if found.fresh:
                cache.delete(LOCK + digest)
                return _respond(request, found.entry, "hit")
        return Render(digest, True, found)

    def _render(self, request, plan):
        started = time.time()
        try:
            response = self.get_response(request)
            depends = depends_of(request.resolver_match)
            if depends is None:
                return response
            if response.status_code == 503 and plan.found is not None and plan.found.entry:
                # The database is down: the copy readers had is better than none.
                return _respond(request, plan.found.entry, "stale")
            if not _shareable(response):
                if plan.found is not None and plan.found.entry is not None:
                    # No longer a page (withdrawn, say): no copy of it may be served.
                    self._safely(cache.delete_many, [ENTRY + plan.digest, HEAD + plan.digest])
                return response
            entry = self._headers(response, plan)
            if plan.digest is not None and request.method == "GET":
                self._safely(self._store, request, response, depends, entry, plan, started)
            response.headers["X-Page-Cache"] = "miss"
            return get_conditional_response(
                request, etag=entry.etag, last_modified=entry.modified, response=response
            )
        finally:
            if plan.locked:
                self._safely(cache.delete, LOCK + plan.digest)

    @staticmethod
    def _headers(response, plan):
        """ETag, Last-Modified (kept while the page reads the same) and Cache-Control."""
        etag = f'"{hashlib.blake2b(response.content, digest_size=16).hexdigest()}"'
        previous = plan.found.entry if plan.found is not None else None
        modified = parse_http_date_safe(response.get("Last-Modified", ""))
        if modified is None:
            same = previous is not None and previous.etag == etag
            modified = previous.modified if same else int(time.time())
        response.headers["ETag"] = etag
        response.headers["Last-Modified"] = http_date(modified)
        response.headers["Cache-Control"] = CACHE_CONTROL
        return Entry(response.content, dict(response.items()), etag, modified, ())

    @staticmethod
    def _store(request, response, depends, entry, plan, started):
        context = getattr(response, "context_data", None) or {}
        kwargs = request.resolver_match.kwargs
        shown = getattr(request, "page_shows", ())  # names.shows()
        names = {EVERYTHING}.union(*(depend(kwargs, context) for depend in depends), shown)
        entry = entry._replace(versions=_seen(names, plan.found, started))
        head = (entry.etag, entry.versions)
        stored = {ENTRY + plan.digest: tuple(entry), HEAD + plan.digest: head}
        cache.set_many(stored, settings.NEWSROOM_PAGE_CACHE_SECONDS)
        _hint(plan.digest, entry)

    @staticmethod
    def _safely(function, *args):
        try:
            function(*args)
        except CACHE_ERRORS as error:
            versions.outage.failed(error)
