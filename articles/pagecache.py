"""
Caching public pages for anonymous readers, without serving a story early
or a change late, and without rendering a busy page once per reader.

Names. Each cached page records the *names* of what it shows ("story:42",
"live" for the newest live stories, "day:2026-06-20", "month:2026-06",
"year:2026", "place:3", "section:1", "tag:7", "author:5", and "all", which
every page shows through its navigation) with the version each name had
when the page was rendered. ``changed(*names)`` gives those names new
versions once the transaction commits, so exactly the pages that showed
what changed are rendered again; ``names_for(article)`` says which names a
story's current state touches, and ``changed()`` with no names starts every
page afresh (taxonomy edits). Which names a page shows is declared where its
URL is (``public_page(view, *depends)`` in articles/urls.py).

Time. Scheduled stories and embargoes touch their own names at their time,
with no job: the cache keeps when the next one falls due, and the first
request after that finds, through the publication-time index, the stories
that became public since the last check.

Serving. ``PageCacheMiddleware`` sits above sessions, CSRF and
authentication: an anonymous reader's hit costs one cache round trip (the
page, the versions of its names and the schedule) and no SQL. A missing or
outdated page is rendered by one request at a time (a short lock in the
cache); the others get the previous copy while it renders, for
``STALE_SECONDS`` at most after the change, or wait for the new one. Every
public page carries ETag, Last-Modified and a Cache-Control a CDN may
follow, and answers conditional requests with 304 Not Modified.

Failing soft. When the cache cannot be reached, pages come from the
database and saves succeed; the names they changed are given new versions
as soon as the cache answers again.
"""

import datetime
import functools
import hashlib
import logging
import math
import secrets
import threading
import time
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Q
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe
from redis.exceptions import RedisError

from .models import Article, Byline, TaggedArticle

logger = logging.getLogger(__name__)

EVERYTHING = "all"
LIVE = "live"

# An edge (CDN, nginx) may keep a page one second, and serve it one more
# while it fetches it again, so a change reaches its readers within 2 s.
# Browsers ask every time, and mostly hear 304 Not Modified.
CACHE_CONTROL = "public, max-age=0, s-maxage=1, stale-while-revalidate=1"
STALE_SECONDS = 1.0  # the previous copy, while another request renders the page
WAIT_SECONDS = 3.0  # then a reader renders the page itself rather than wait longer
POLL_SECONDS = 0.02
LOCK_SECONDS = 30  # a lock outlives a render that died by no more than this
RETRY_SECONDS = 5  # after a cache error, go straight to the database this long
CLOCK_SKEW = 1.0  # how far apart the servers' clocks may be
STORY_NAME_SECONDS = 24 * 3600  # a story's version: kept a day (millions of stories)
HINTS_KEPT = 10_000

CACHE_ERRORS = (RedisError, OSError)

VERSION, ENTRY, LOCK = "pages:v:", "pages:e:", "pages:l:"
SCHEDULE, SCHEDULE_LOCK = "pages:schedule", "pages:schedule-lock"


# What a story touches


def names_for(article):
    """
    The names a story's current state touches: its own page, and when
    readers can see it, the newest stories, its day, month and year (in
    the newsroom's time zone), place, section, tags and authors.
    """
    if article is None or article.pk is None:
        return []
    if not article.is_live:
        return [f"story:{article.pk}"]
    return sorted(_touched([article])[article.pk])


def _touched(stories):
    """{pk: names} of live stories, in two queries however many there are."""
    pks = [story.pk for story in stories]
    tags = TaggedArticle.objects.filter(content_object_id__in=pks)
    authors = Byline.objects.filter(article_id__in=pks)
    names = {}
    for story in stories:
        day = timezone.localdate(story.published_at)
        names[story.pk] = {
            LIVE,
            f"story:{story.pk}",
            f"day:{day:%Y-%m-%d}",
            f"month:{day:%Y-%m}",
            f"year:{day:%Y}",
            *([f"place:{story.place_id}"] if story.place_id else []),
            *([f"section:{story.section_id}"] if story.section_id else []),
        }
    for pk, tag in tags.values_list("content_object_id", "tag_id"):
        names[pk].add(f"tag:{tag}")
    for pk, author in authors.values_list("article_id", "author_id"):
        names[pk].add(f"author:{author}")
    return names


def changed(*names):
    """
    Pages showing ``names`` must be rendered again once the current
    transaction commits; no names: every page. Also notes when the next
    scheduled story falls due, since the change may have moved it.
    """
    if settings.NEWSROOM_PAGE_CACHE_SECONDS:
        touched = frozenset(names) or {EVERYTHING}
        transaction.on_commit(lambda: _apply(touched))


# What a page shows: declared with its URL


def public_page(view, *depends):
    """
    ``view`` is a public page, cached for anonymous readers. Each of
    ``depends`` is called as ``depends(url_kwargs, context)`` and returns
    the names the page shows; by default, the newest live stories.
    """

    @functools.wraps(view)
    def page(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    page.page_depends = depends or (newest,)
    return page


def newest(kwargs, context):
    """Pages listing the newest live stories, or counting them."""
    return [LIVE]


def story(kwargs, context):
    """A story's page: the story in the context, or the one the URL names by id."""
    found = context.get("object")
    return [f"story:{found.pk if found is not None else kwargs['pk']}"]


def owner(model):
    """A listing of one place, section, tag or author: ``owner`` in its context, else its slug."""
    kind = model._meta.model_name

    def names(kwargs, context):
        found = context.get("owner")
        if found is not None:
            return [f"{kind}:{found.pk}"]
        pks = model.objects.filter(slug=kwargs["slug"]).values_list("pk", flat=True)
        return [f"{kind}:{pk}" for pk in pks]

    return names


def period(kwargs, context):
    """
    A date archive: its own date and every date up to the neighbouring ones
    it links to (a story there would change the links); the newest stories
    too when it has no neighbour on one side.
    """
    unit = "day" if "day" in kwargs else "month" if "month" in kwargs else "year"
    own = datetime.date(int(kwargs["year"]), int(kwargs.get("month", 1)), int(kwargs.get("day", 1)))
    before, after = context.get(f"previous_{unit}"), context.get(f"next_{unit}")
    names = _stretch(before or own, after or own, unit)
    return names if before and after else [*names, LIVE]


def _stretch(first, last, unit):
    """Names covering every date from first to last: days, else months, else years."""
    days = (last - first).days
    if unit == "day" and days < 62:
        return [f"day:{first + datetime.timedelta(days=n):%Y-%m-%d}" for n in range(days + 1)]
    months = (last.year - first.year) * 12 + last.month - first.month
    if unit != "year" and months < 36:
        start = first.year * 12 + first.month - 1
        return [f"month:{m // 12:04d}-{m % 12 + 1:02d}" for m in range(start, start + months + 1)]
    return [f"year:{year}" for year in range(first.year, last.year + 1)]


def sitemap_part(kwargs, context):
    """A sitemap part: fixed pages, the sections with live stories, or one month's stories."""
    return {"pages": [], "sections": [LIVE]}.get(kwargs["part"], [f"month:{kwargs['part']}"])


# Versions of names


def _version(changed_at):
    # The time of the change rides along: it says how stale a copy is.
    return f"{changed_at:.6f}:{secrets.token_hex(4)}"


def _changed_at(version):
    return float(version.partition(":")[0])


def _bump(names):
    if not names:
        return
    version = _version(time.time())
    stories = {VERSION + n: version for n in names if n.startswith("story:")}
    cache.set_many({VERSION + n: version for n in names if not n.startswith("story:")}, None)
    cache.set_many(stories, STORY_NAME_SECONDS)


def _versions(names):
    """The current version of each name, giving a first one to those that have none."""
    keys = [VERSION + n for n in names]
    found = cache.get_many(keys)
    unset = [key for key in keys if key not in found]
    for key in unset:
        # A first version counts as changed long ago (time 0). Another server
        # may give it one first: read back whichever won.
        timeout = STORY_NAME_SECONDS if key.startswith(VERSION + "story:") else None
        cache.add(key, _version(0), timeout)
    if unset:
        found.update(cache.get_many(unset))
    return {n: found.get(VERSION + n) for n in names}


# Scheduled stories and embargoes


def _due(schedule, now):
    return schedule is None or (schedule[0] is not None and now >= schedule[0])


def _reschedule(*, wait):
    """
    Touch the stories that fell due since the last check and note when the
    next one does, under a lock every server shares. False if another
    holds the lock (and ``wait`` is off, or it held it too long).
    """
    deadline = time.monotonic() + (WAIT_SECONDS if wait else 0)
    while not cache.add(SCHEDULE_LOCK, 1, LOCK_SECONDS):
        if time.monotonic() >= deadline:
            return False
        time.sleep(POLL_SECONDS)
    try:
        now = time.time()
        schedule = cache.get(SCHEDULE)
        if schedule is None:
            # Lost (evicted, flushed): what fell due meanwhile is unknown.
            _bump([EVERYTHING])
            checked = now
        else:
            due, checked = schedule
            if due is not None and now >= due:
                _bump(_fell_due(checked, now))
                checked = now
        cache.set(SCHEDULE, (_next_due(now), checked), None)
    finally:
        cache.delete(SCHEDULE_LOCK)
    return True


def _fell_due(since, until):
    """The names of the stories that became public in (since, until] by their time or embargo."""
    since, until = (datetime.datetime.fromtimestamp(t, datetime.UTC) for t in (since, until))
    window = Q(published_at__gt=since, published_at__lte=until) | Q(
        embargo_until__gt=since, embargo_until__lte=until
    )
    # A story public from the moment it was saved was touched by that change.
    held = Q(published_at__gt=F("updated_at")) | Q(embargo_until__gt=F("updated_at"))
    fields = ["published_at", "place_id", "section_id"]
    stories = list(Article.objects.live(at=until).filter(window, held).only(*fields))
    return set().union(*_touched(stories).values())


def _next_due(now):
    """When the next published story becomes public (its time, or its embargo if later)."""
    at = datetime.datetime.fromtimestamp(now, datetime.UTC)
    held_back = Article.objects.scheduled(at=at).values_list("published_at", "embargo_until")
    times = [max(filter(None, pair)).timestamp() for pair in held_back]
    return min(times, default=None)


# When the cache cannot be reached


class _Outage:
    """Go straight to the database for a while, and keep the changes owed to the cache."""

    def __init__(self):
        self.until = 0.0
        self.owed = set()
        self.lock = threading.Lock()

    def usable(self):
        return time.monotonic() >= self.until

    def failed(self, error, owed=()):
        if self.usable():
            logger.warning("Page cache unreachable, serving from the database: %s", error)
        self.until = time.monotonic() + RETRY_SECONDS
        with self.lock:
            self.owed.update(owed)

    def take(self):
        with self.lock:
            owed, self.owed = self.owed, set()
        return owed


_outage = _Outage()


def _apply(names):
    """Give the names new versions and bring the schedule up to date, or owe it."""
    names = set(names) | _outage.take()
    if not _outage.usable():
        _outage.failed("still unreachable", owed=names or {EVERYTHING})
        return
    try:
        _bump(names)
        if not _reschedule(wait=True):
            logger.warning("Page cache schedule busy; the next scheduled time was not updated.")
    except CACHE_ERRORS as error:
        _outage.failed(error, owed=names or {EVERYTHING})


# Cached pages


class Entry(NamedTuple):
    body: bytes
    headers: dict
    etag: str
    modified: int
    versions: tuple  # ((name, version), ...)


class Found(NamedTuple):
    entry: Entry | None
    versions: dict  # the version of each name read, None if it has none
    fresh: bool
    stale_for: float  # seconds since the change that outdated the entry


class Render(NamedTuple):
    digest: str | None = None  # None: nothing to lock or store
    locked: bool = False
    found: Found | None = None


_hints = {}  # digest -> the names of its page, so a hit reads them in one round trip


def _find(digest, *, again=True):
    names = _hints.get(digest, (EVERYTHING, LIVE))
    got = cache.get_many([ENTRY + digest, SCHEDULE, *(VERSION + n for n in names)])
    now = time.time()
    if again and _due(got.get(SCHEDULE), now) and _reschedule(wait=False):
        return _find(digest, again=False)
    entry = got.get(ENTRY + digest)
    versions = {n: got.get(VERSION + n) for n in names}
    if entry is None:
        return Found(None, versions, False, math.inf)
    unread = [name for name, _ in entry.versions if name not in versions]
    if unread:
        more = cache.get_many([VERSION + n for n in unread])
        versions.update({n: more.get(VERSION + n) for n in unread})
        _remember(digest, entry)
    outdated = [versions[name] for name, seen in entry.versions if versions[name] != seen]
    if not outdated:
        return Found(entry, versions, True, 0.0)
    if None in outdated:
        return Found(entry, versions, False, math.inf)
    return Found(entry, versions, False, now - min(map(_changed_at, outdated)))


def _remember(digest, entry):
    if len(_hints) >= HINTS_KEPT:
        _hints.clear()
    _hints[digest] = tuple(name for name, _ in entry.versions)


def _digest(request):
    url = f"{request.scheme}://{request.get_host()}{request.path}?{request.META.get('QUERY_STRING', '')}"
    return hashlib.blake2b(url.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _seen(names, found, started):
    """
    The version of each name the render saw: as read before it began, or,
    for names only the render revealed, as read now, unless it changed
    since the render began (then the copy counts as outdated at once).
    """
    seen = {n: found.versions[n] for n in names if found and found.versions.get(n)}
    unread = [n for n in names if n not in seen]
    for name, version in _versions(unread).items() if unread else ():
        seen[name] = version if version and _changed_at(version) < started - CLOCK_SKEW else ""
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


def _page_depends(match):
    return getattr(match.func, "page_depends", None) if match is not None else None


def _shareable(response):
    """A plain, complete answer the same for every anonymous reader."""
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
            if _page_depends(request.resolver_match) is not None:
                # A logged-in reader's copy is theirs: no shared cache keeps it.
                patch_cache_control(response, private=True, no_cache=True)
            return response
        if not (settings.NEWSROOM_PAGE_CACHE_SECONDS and _outage.usable()):
            return self._render(request, Render())
        try:
            plan = self._plan(request, _digest(request))
        except CACHE_ERRORS as error:
            _outage.failed(error)
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
        if _outage.owed:
            _apply(())
        found = _find(digest)
        if found.fresh:
            return _respond(request, found.entry, "hit")
        try:
            if _page_depends(resolve(request.path_info)) is None:
                return Render()
        except Resolver404:
            return Render()
        deadline = time.monotonic() + WAIT_SECONDS
        while not cache.add(LOCK + digest, 1, LOCK_SECONDS):
            # Another request is rendering the page.
            if found.entry is not None and found.stale_for < STALE_SECONDS:
                return _respond(request, found.entry, "stale")
            if time.monotonic() >= deadline:
                return Render(digest, False, found)
            time.sleep(POLL_SECONDS)
            found = _find(digest)
            if found.fresh:
                return _respond(request, found.entry, "hit")
        return Render(digest, True, found)

    def _render(self, request, plan):
        started = time.time()
        try:
            response = self.get_response(request)
            depends = _page_depends(request.resolver_match)
            if depends is None:
                return response
            if not _shareable(response):
                if plan.found is not None and plan.found.entry is not None:
                    self._safely(cache.delete, ENTRY + plan.digest)  # e.g. withdrawn
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
        names = {EVERYTHING}.union(*(depend(kwargs, context) for depend in depends))
        entry = entry._replace(versions=_seen(names, plan.found, started))
        cache.set(ENTRY + plan.digest, entry, settings.NEWSROOM_PAGE_CACHE_SECONDS)
        _remember(plan.digest, entry)

    @staticmethod
    def _safely(function, *args):
        try:
            function(*args)
        except CACHE_ERRORS as error:
            _outage.failed(error)
