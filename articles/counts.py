"""
Counts of published stories per listing and period, so that no reader's
request ever counts (or skips through) the archive.

A *bucket* is (kind, key, period): the river a day at a time (kind "day",
key 0) and each place, section, tag and author a month at a time, in the
newsroom's time zone. StoryCount keeps how many *published* stories each
bucket holds. What readers are shown subtracts the stories still held back
(scheduled, embargoed), a handful found through two indexes as they are
read; so the counts stay exact when a scheduled story falls due or an
embargo lifts, with no job to run.

``refresh()`` is the one function that brings the copies up to date after
stories change: the listing times on their taggings and bylines, then the
count of every bucket they were in before or are in now. Workflow calls it
inside the transaction of every change; ``rebuild()`` recounts everything
after a bulk load (``manage.py rebuild_counts``).
"""

import datetime
from collections import Counter, defaultdict
from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Count, DateField, F, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, TruncDate, TruncMonth
from django.utils import timezone

from . import recent
from .models import Article, Byline, Status, StoryCount, TaggedArticle
from .models.article import live_condition, modified_expression

Kind = StoryCount.Kind
DAY, PLACE, SECTION, TAG, AUTHOR = Kind.DAY, Kind.PLACE, Kind.SECTION, Kind.TAG, Kind.AUTHOR

# The period of a place's (section's, tag's, author's) row for all time: the
# sum of its months, so the dateline index reads one row a place.
ALL_TIME = datetime.date(1, 1, 1)

# The column each kind's pages are ordered (and narrowed) by, from a story's queryset.
LISTING_TIME = {
    DAY: "published_at",
    PLACE: "published_at",
    SECTION: "published_at",
    TAG: "listed",
    AUTHOR: "listed",
}


def _counted(kind):
    """(rows counted, their key column, their time column, the way to their story) for ``kind``."""
    if kind == TAG:
        return TaggedArticle.objects.filter(listed_at__isnull=False), "tag_id", "listed_at", "content_object__"
    if kind == AUTHOR:
        return Byline.objects.filter(listed_at__isnull=False), "author_id", "listed_at", "article__"
    key = {DAY: None, PLACE: "place_id", SECTION: "section_id"}[kind]
    stories = Article.objects.published()
    return (stories.filter(**{f"{key}__isnull": False}) if key else stories), key, "published_at", ""


# Periods


def zone():
    return timezone.get_default_timezone()


def period_of(kind, moment):
    day = timezone.localtime(moment, zone()).date()
    return day if kind == DAY else day.replace(day=1)


def bounds(kind, period):
    """The period's first moment and the first moment after it."""
    if kind == DAY:
        following = period + datetime.timedelta(days=1)
    else:
        following = (period + datetime.timedelta(days=32)).replace(day=1)
    start, end = (datetime.datetime.combine(day, datetime.time()) for day in (period, following))
    return timezone.make_aware(start, zone()), timezone.make_aware(end, zone())


def _within(kind, periods, column):
    spans = (bounds(kind, period) for period in sorted(set(periods)))
    return reduce(or_, (Q(**{f"{column}__gte": s, f"{column}__lt": e}) for s, e in spans))


# Reading: what readers see


def periods(kind, key=0, *, first=None, last=None, now=None):
    """[(period, live stories)] of one listing, newest first, leaving out periods with none."""
    return _reading(kind, key, first, last).live(now or timezone.now())


def next_due(now=None):
    """
    When the next story held back (scheduled, under embargo) becomes public,
    after ``now``: what readers see of any page changes then, and not before
    without a change made by someone. ``datetime.max`` when none is waiting.
    """
    reading = _reading(DAY, 0, None, None)
    reading.live(now or timezone.now())
    return reading.until


def _reading(kind, key, first, last):
    def read():
        rows = _stored(kind, first, last).filter(key=key).order_by("-period")
        return Reading(list(rows.values_list("period", "published", "pending")))

    return recent.remembered(("periods", kind, key, first, last), read)


def totals(kind, now=None):
    """{key: live stories} of every place (section, tag, author) that has any."""
    now = now or timezone.now()

    def read():
        rows = StoryCount.objects.filter(kind=kind, period=ALL_TIME)
        return Reading(list(rows.values_list("key", "published", "pending")))

    return dict(recent.remembered(("totals", kind), read).live(now))


class Reading:
    """
    Rows of (bucket, published, pending) as read, and what readers see of
    them at a moment: worked out again only when a story held back falls due.
    """

    def __init__(self, rows):
        self.rows = rows
        self.shown, self.since, self.until = None, None, None

    def live(self, now):
        """[(bucket, live stories)] at ``now``, leaving out buckets with none."""
        if self.shown is not None and self.since <= now < self.until:
            return self.shown
        due = [when for _bucket, _n, held in self.rows if held for when in _times(held) if when > now]
        # A row a day for the river: most with nothing held back, read as they are.
        found = [(b, n - _waiting(held, now)) if held else (b, n) for b, n, held in self.rows]
        self.shown = [(bucket, live) for bucket, live in found if live > 0]
        self.since, self.until = now, min(due, default=datetime.datetime.max.replace(tzinfo=datetime.UTC))
        return self.shown


def _times(pending):
    return (datetime.datetime.fromisoformat(when) for when in pending.split())


def days(*, first=None, last=None, now=None):
    """[(day, live stories, last change readers saw)] of the river, oldest first."""
    now = now or timezone.now()
    rows = _stored(DAY, first, last).order_by("period")
    found = []
    for day, published, changed, pending in rows.values_list(
        "period", "published", "changed_at", "pending"
    ):
        live = published - _waiting(pending, now)
        if live > 0:
            due = [datetime.datetime.fromisoformat(when) for when in pending.split()]
            found.append((day, live, max([changed, *(when for when in due if when <= now)])))
    return found


def live_count(published, pending, now=None):
    """How many of a bucket's ``published`` stories readers see now (``pending``: its held-back times)."""
    return (published or 0) - _waiting(pending, now or timezone.now())


def _waiting(pending, now):
    """How many of a period's stories are still held back (their times are ``pending``)."""
    if not pending:
        return 0
    return sum(1 for when in pending.split() if datetime.datetime.fromisoformat(when) > now)


def _stored(kind, first, last):
    rows = StoryCount.objects.filter(kind=kind, period__gt=ALL_TIME)
    if first is not None:
        rows = rows.filter(period__gte=first)
    if last is not None:
        rows = rows.filter(period__lte=last)
    return rows


def _period(kind, column):
    """The period of ``column`` (a time), as the database computes it in the newsroom's zone."""
    if kind == DAY:
        return TruncDate(column, tzinfo=zone())
    # A date in SQL too (not a timestamp), so it unions with StoryCount.period.
    return Cast(TruncMonth(column, tzinfo=zone()), DateField())


# Keeping the counts: after every change


def buckets(story_ids):
    """The buckets the given stories are counted in now (published ones only, by their time)."""
    found = set()
    stories = Article.objects.published().filter(pk__in=story_ids)
    for when, place, section in stories.values_list("published_at", "place_id", "section_id"):
        found.add((DAY, 0, period_of(DAY, when)))
        found.update((kind, key, period_of(kind, when)) for kind, key in [(PLACE, place), (SECTION, section)] if key)
    parts = [
        (TAG, TaggedArticle.objects.filter(content_object__in=stories), "tag_id", "content_object"),
        (AUTHOR, Byline.objects.filter(article__in=stories), "author_id", "article"),
    ]
    for kind, rows, key, story in parts:
        for key_value, when in rows.values_list(key, f"{story}__published_at"):
            found.add((kind, key_value, period_of(kind, when)))
    return found


def refresh(story_ids, before=(), *, visible=True, now=None):
    """
    Bring the copies of ``story_ids`` up to date after a change, inside its
    transaction: their listing times, then every bucket they were counted in
    (``before``, from ``buckets()`` ahead of the change) or are counted in
    now. ``visible=False`` says readers saw no change (a draft scheduled, a
    held-back story edited): the counts change, the buckets' times do not.
    """
    story_ids = list(story_ids)
    recent.forget()
    with transaction.atomic():
        sync_listing_times(story_ids)
        recount(set(before) | buckets(story_ids), visible=visible, now=now)


def sync_listing_times(story_ids=None):
    """Copy published stories' times to their taggings and bylines (``None``: every story's)."""
    for model, story in [(TaggedArticle, "content_object"), (Byline, "article")]:
        rows = model.objects.all()
        if story_ids is not None:
            rows = rows.filter(**{f"{story}_id__in": story_ids})
        # Only rows that differ are written: after a bulk load, almost none.
        published = Q(**{f"{story}__status": Status.PUBLISHED})
        rows.filter(listed_at__isnull=False).exclude(published).update(listed_at=None)
        stale = rows.filter(published).exclude(listed_at=F(f"{story}__published_at"))
        times = Article.objects.filter(pk=OuterRef(f"{story}_id")).values("published_at")
        stale.update(listed_at=Subquery(times[:1]))


def recount(touched, *, visible=True, now=None):
    """Count the published stories of each bucket in ``touched`` again, rows locked first."""
    if not touched:
        return
    now = now or timezone.now()
    touched = {bucket for bucket in touched if bucket[2] != ALL_TIME}  # added up below
    whole = {(kind, key, ALL_TIME) for kind, key, _period in touched if kind != DAY}
    rows = _locked(touched | whole, now)
    counted = _count(touched)
    pending = {}
    for kind in {kind for kind, _key, _period in touched}:
        pairs = {(key, period) for k, key, period in touched if k == kind}
        pending.update({(kind, *pair): times for pair, times in _pending(kind, now, pairs).items()})
    for bucket, row in rows.items():
        if bucket[2] != ALL_TIME:
            row.published, row.pending = counted[bucket], pending.get(bucket, "")
    _add_up(rows, whole)
    for row in rows.values():
        row.changed_at = now if visible else row.changed_at
    StoryCount.objects.bulk_update(rows.values(), ["published", "pending", "changed_at"])
    StoryCount.objects.filter(pk__in=[row.pk for row in rows.values() if not row.published]).delete()


def _add_up(rows, whole):
    """Each all-time row of ``whole`` as the sum of its months, those in ``rows`` as just counted."""
    fresh = {bucket: row for bucket, row in rows.items() if bucket[2] != ALL_TIME}
    months = Q()
    for kind, key, _period in whole:
        months |= Q(kind=kind, key=key)
    stored = StoryCount.objects.filter(months, period__gt=ALL_TIME).exclude(pk__in=[r.pk for r in fresh.values()])
    every = [*fresh.values(), *stored.only("kind", "key", "published", "pending")]
    for kind, key, _period in whole:
        mine = [row for row in every if (row.kind, row.key) == (kind, key)]
        total = rows[kind, key, ALL_TIME]
        total.published = sum(row.published for row in mine)
        total.pending = " ".join(sorted(when for row in mine for when in row.pending.split()))


def _locked(touched, now):
    """The buckets' rows, made if missing and locked in a fixed order (no deadlock between saves)."""
    StoryCount.objects.bulk_create(
        [StoryCount(kind=k, key=key, period=p, changed_at=now) for k, key, p in touched],
        ignore_conflicts=True,
    )
    match = reduce(or_, (Q(kind=k, key=key, period=p) for k, key, p in touched))
    locked = StoryCount.objects.select_for_update().filter(match).order_by("kind", "key", "period")
    return {(row.kind, row.key, row.period): row for row in locked}


def _count(touched):
    """Counter({bucket: published stories}) for the buckets in ``touched``."""
    wanted = defaultdict(set)
    for kind, key, period in touched:
        wanted[kind].add((key, period))
    counted = Counter()
    for kind, pairs in wanted.items():
        rows, key, when, _story = _counted(kind)
        for key_value, period, n in _grouped(kind, _narrowed(kind, rows, key, when, pairs), key, when):
            if (key_value, period) in pairs:
                counted[kind, key_value, period] = n
    return counted


def _narrowed(kind, rows, key, when, pairs):
    """``rows`` of the (key, period) ``pairs`` only."""
    rows = rows.filter(_within(kind, [period for _key, period in pairs], when))
    return rows.filter(**{f"{key}__in": {k for k, _period in pairs}}) if key else rows


def _grouped(kind, rows, key, when, **extra):
    """(key, period, count, *extra) per bucket of ``rows``, grouped in the database."""
    grouped = rows.annotate(bucket=_period(kind, when)).values(*filter(None, [key]), "bucket")
    for row in grouped.annotate(n=Count("pk"), **extra).order_by():
        yield (row[key] if key else 0), row["bucket"], row["n"], *(row[name] for name in extra)


def _pending(kind, now, pairs=None):
    """
    {(key, period): [ISO times still to come at which its stories become
    public]} for ``kind``, of the (key, period) ``pairs`` or of every one:
    the few stories held back by their time or an embargo.
    """
    rows, key, when, story = _counted(kind)
    if pairs is not None:
        rows = _narrowed(kind, rows, key, when, pairs)
    held = Q(**{f"{when}__gt": now}) | Q(**{f"{story}embargo_until__gt": now})
    waiting = defaultdict(list)
    for key_value, time, embargo in rows.filter(held).values_list(
        key or Value(0), when, f"{story}embargo_until"
    ):
        due = max(filter(None, [time, embargo]))
        waiting[key_value, period_of(kind, time)].append(due.isoformat())
    return {bucket: " ".join(sorted(times)) for bucket, times in waiting.items()}


def forget(owner):
    """Drop the counts of a place, section, tag or author being deleted."""
    kind = {"place": PLACE, "section": SECTION, "tag": TAG, "author": AUTHOR}.get(owner._meta.model_name)
    if kind is not None:
        StoryCount.objects.filter(kind=kind, key=owner.pk).delete()


# Recounting everything


def rebuild(now=None):
    """Recount every bucket from the stories themselves (after a bulk load, or a new TIME_ZONE)."""
    now = now or timezone.now()
    recent.forget()
    with transaction.atomic():
        sync_listing_times()
        StoryCount.objects.all().delete()
        made = []
        for kind in Kind:
            rows, key, when, _story = _counted(kind)
            extra = {"latest": Max(modified_expression(), filter=live_condition(now))} if kind == DAY else {}
            pending = _pending(kind, now)
            for key_value, period, n, *latest in _grouped(kind, rows, key, when, **extra):
                made.append(StoryCount(
                    kind=kind, key=key_value, period=period, published=n,
                    changed_at=(latest[0] if latest else None) or now,
                    pending=pending.get((key_value, period), ""),
                ))  # fmt: skip
        StoryCount.objects.bulk_create([*made, *_all_time(made, now)], batch_size=2000)
    return StoryCount.objects.count()


def _all_time(months, now):
    """The all-time row of each place, section, tag and author, from its ``months``."""
    whole = {}
    for row in months:
        if row.kind != DAY:
            total = whole.setdefault(
                (row.kind, row.key),
                StoryCount(kind=row.kind, key=row.key, period=ALL_TIME, changed_at=now),
            )
            total.published += row.published
            total.pending = " ".join(sorted([*total.pending.split(), *row.pending.split()]))
    return whole.values()

