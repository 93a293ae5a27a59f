"""
Versions of names: changing them when stories change or fall due, reading
them for cached pages, and carrying on without the cache when it is down.
"""

import datetime
import logging
import math
import secrets
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models import F, Min, Q
from redis.exceptions import RedisError

from .. import recent
from ..models import Article, Banner, PageGeneration, Picture
from .names import EVERYTHING, LIVE, touched

logger = logging.getLogger(__name__)

CACHE_ERRORS = (RedisError, OSError)

VERSION = "pages:v:"
LATEST = "pages:latest"  # the version the latest change gave, whichever names it touched
SCHEDULE, SCHEDULE_LOCK = "pages:schedule", "pages:schedule-lock"
CAUGHT_UP = "pages:generation"  # the database's PageGeneration the cache has seen
STORY_NAME_SECONDS = 24 * 3600  # a story's version is kept a day: there are millions of stories
LOCK_SECONDS = 30  # a lock outlives a holder that died by no more than this
WAIT_SECONDS = 3.0  # the longest anyone waits for a lock
POLL_SECONDS = 0.02
RETRY_SECONDS = 5  # after a cache error, go straight to the database this long
IN_STEP_SECONDS = 1.0  # how often a process checks the cache against the database


def changed(*names):
    """
    Pages showing ``names`` must be rendered again once the current
    transaction commits; no names: every page. Also notes when the next
    scheduled story falls due, since the change may have moved it.
    """
    recent.forget()
    # Search results are kept under these versions too (generation()).
    if settings.NEWSROOM_PAGE_CACHE_SECONDS or settings.NEWSROOM_SEARCH_CACHE_SECONDS:
        names = frozenset(names) or {EVERYTHING}
        # Counted in the database with the change itself, whatever becomes of the cache.
        if not PageGeneration.objects.filter(pk=1).update(number=F("number") + 1):
            PageGeneration.objects.get_or_create(pk=1, defaults={"number": 1})
        transaction.on_commit(lambda: apply(names))


def apply(names):
    """Give the names new versions and bring the schedule up to date, or owe it."""
    names = set(names) | outage.take()
    if not outage.usable():
        outage.failed("still unreachable", owed=names or {EVERYTHING})
        return
    try:
        bump(names)
        if (number := _database_generation()) is not None:
            cache.set(CAUGHT_UP, max(number, cache.get(CAUGHT_UP) or 0), None)
        if not reschedule(wait=True):
            logger.warning("Page cache schedule busy; the next scheduled time was not noted.")
    except CACHE_ERRORS as error:
        outage.failed(error, owed=names or {EVERYTHING})


# Keeping the cache in step with the database


class InStep:
    """When this process last checked that the cache has seen every change the database has."""

    checked = -math.inf


def keep_in_step(now=None):
    """
    At most once a second per process: if the database counts changes the
    cache has not seen (it was unreachable when they were made, or came back
    from an old snapshot), every page is rendered again. Raises CACHE_ERRORS
    when the cache cannot be reached; a database that cannot be reached
    leaves the cache as it is, to serve what it holds.
    """
    now = time.monotonic() if now is None else now
    if now - InStep.checked < IN_STEP_SECONDS:
        return
    InStep.checked = now
    number = _database_generation()
    if number is None:
        return
    seen = cache.get(CAUGHT_UP)
    if seen is None or seen < number:
        if seen is not None:
            logger.warning("Page cache behind the database (%s < %s): starting afresh.", seen, number)
        bump([EVERYTHING])
        cache.set(CAUGHT_UP, number, None)


def _database_generation():
    if time.monotonic() < database_down.until:
        return None
    try:
        return PageGeneration.objects.values_list("number", flat=True).filter(pk=1).first() or 0
    except DatabaseError as error:
        database_down.failed(error)
        return None


class DatabaseDown:
    """After a database error, the cache serves what it holds for a while without asking it."""

    until = 0.0

    def failed(self, error):
        if time.monotonic() >= self.until:
            logger.warning("Database unreachable; cached pages are served as they are: %s", error)
        self.until = time.monotonic() + RETRY_SECONDS


database_down = DatabaseDown()


# Versions


class Bumps:
    """How many changes this process made: pages it checked before the last one are checked again."""

    count = 0


def new_version(changed_at):
    # The time of the change rides along: it says how long a copy has been outdated.
    return f"{changed_at:.6f}:{secrets.token_hex(4)}"


def changed_at(version):
    return float(version.partition(":")[0])


def _timeout(name):
    return STORY_NAME_SECONDS if name.startswith(("story:", "picture:")) else None


def bump(names):
    if not names:
        return
    version = new_version(time.time())
    Bumps.count += 1
    for timeout in {_timeout(name) for name in names}:
        versions = {VERSION + n: version for n in names if _timeout(n) == timeout}
        cache.set_many(versions, timeout)
    # After the names, never before: whoever reads this reads their new versions too.
    cache.set(LATEST, version, None)


def current(names):
    """The version of each name, giving a first one to those that have none."""
    keys = [VERSION + n for n in names]
    found = cache.get_many(keys)
    unset = [name for name in names if VERSION + name not in found]
    for name in unset:
        # A first version counts as changed long ago (time 0). Another server
        # may give it one first: whichever wins is read back.
        cache.add(VERSION + name, new_version(0), _timeout(name))
    if unset:
        found.update(cache.get_many([VERSION + n for n in unset]))
    return {n: found.get(VERSION + n) for n in names}


def generation():
    """
    A token that changes whenever a live story changes, is published or
    withdrawn, falls due at its time, or the taxonomy changes: for results
    kept outside the page cache (search). Raises CACHE_ERRORS when the cache
    cannot be reached.
    """
    keep_in_step()
    if is_due(cache.get(SCHEDULE), time.time()):
        reschedule(wait=True)
    found = current([LIVE, EVERYTHING])
    return f"{found[LIVE]}.{found[EVERYTHING]}"


# Scheduled stories and embargoes


def is_due(schedule, now):
    return schedule is None or (schedule[0] is not None and now >= schedule[0])


def reschedule(*, wait):
    """
    Touch the stories that fell due since the last check and note when the
    next one does, under a lock every server shares. False if another
    holds the lock (and ``wait`` is off, or it held it too long).
    """
    if time.monotonic() < database_down.until:
        return False  # what fell due is read from the database: serve what is cached meanwhile
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
            bump([EVERYTHING])
            checked = now
        else:
            due, checked = schedule
            if due is not None and now >= due:
                bump(_fell_due(checked, now))
                checked = now
        cache.set(SCHEDULE, (_next_due(now), checked), None)
    except DatabaseError as error:
        database_down.failed(error)
        return False
    finally:
        cache.delete(SCHEDULE_LOCK)
    return True


def _fell_due(since, until):
    """
    The names of the stories that became public in (since, until] by their
    time or embargo, and of the pictures whose usage terms ran out then;
    every page's when a banner started or ended then.
    """
    since, until = (datetime.datetime.fromtimestamp(t, datetime.UTC) for t in (since, until))
    banners = Q(starts_at__gt=since, starts_at__lte=until) | Q(ends_at__gt=since, ends_at__lte=until)
    if Banner.objects.filter(banners).exists():
        return {EVERYTHING}
    window = Q(published_at__gt=since, published_at__lte=until) | Q(
        embargo_until__gt=since, embargo_until__lte=until
    )
    # A story public from the moment it was saved was touched by that change.
    held = Q(published_at__gt=F("updated_at")) | Q(embargo_until__gt=F("updated_at"))
    # A lead picture whose usage terms ran out: its stories show it no more.
    expired = Q(picture__usage_expires__gt=since, picture__usage_expires__lte=until)
    fields = ["published_at", "place_id", "section_id"]
    stories = list(Article.objects.live(at=until).filter((window & held) | expired).only(*fields))
    # Pictures in stories' bodies: the pages that show them named them (media.body.read).
    pictures = Picture.objects.filter(usage_expires__gt=since, usage_expires__lte=until)
    return set().union(
        *touched(stories).values(), (f"picture:{pk}" for pk in pictures.values_list("pk", flat=True))
    )


def _next_due(now):
    """
    When the next published story becomes public (its time, or its embargo
    if later), a banner starts or ends, or the next picture's usage terms expire,
    whichever comes first.
    """
    at = datetime.datetime.fromtimestamp(now, datetime.UTC)
    held_back = Article.objects.scheduled(at=at).values_list("published_at", "embargo_until")
    times = [max(filter(None, pair)) for pair in held_back]
    banners = Banner.objects.filter(ends_at__gt=at).aggregate(
        start=Min("starts_at", filter=Q(starts_at__gt=at)), end=Min("ends_at")
    )
    times += filter(None, banners.values())
    expiries = Picture.objects.filter(usage_expires__gt=at).order_by("usage_expires")
    expiry = expiries.values_list("usage_expires", flat=True).first()
    times += [expiry] if expiry else []
    return min((moment.timestamp() for moment in times), default=None)


# When the cache cannot be reached


class Outage:
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


outage = Outage()
