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
from django.db.models import Count, DateField, F, IntegerField, Max, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce, Greatest, TruncDate, TruncMonth
from django.utils import timezone

from .models import Article, Byline, StoryCount, TaggedArticle
from .models.article import live_condition

Kind = StoryCount.Kind
DAY, PLACE, SECTION, TAG, AUTHOR = Kind.DAY, Kind.PLACE, Kind.SECTION, Kind.TAG, Kind.AUTHOR

# The column each kind's pages are ordered (and narrowed) by, from a story's queryset.
LISTING_TIME = {
    DAY: "published_at",
    PLACE: "published_at",
    SECTION: "published_at",
    TAG: "listed",
    AUTHOR: "listed",
}
# Where a held-back story's key is, for each kind.
_STORY_KEY = {PLACE: "place_id", SECTION: "section_id", TAG: "tags", AUTHOR: "bylines__author_id"}


def _counted(kind):
    """(rows counted, their key column, their time column) for ``kind``."""
    if kind == TAG:
        return TaggedArticle.objects.filter(listed_at__isnull=False), "tag_id", "listed_at"
    if kind == AUTHOR:
        return Byline.objects.filter(listed_at__isnull=False), "author_id", "listed_at"
    key = {DAY: None, PLACE: "place_id", SECTION: "section_id"}[kind]
    stories = Article.objects.published()
    return (stories.filter(**{f"{key}__isnull": False}) if key else stories), key, "published_at"


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


def held_back(kind, key=None, now=None):
    """Published stories still to come, as Counter({(key, period): n}); ``key=None``: all keys."""
    stories = Article.objects.scheduled(at=now)
    if kind == DAY:
        rows = ((0, when) for when in stories.values_list("published_at", flat=True))
    else:
        column = _STORY_KEY[kind]
        if key is not None:
            stories = stories.filter(**{column: key})
        rows = stories.values_list(column, "published_at")
    return Counter((found, period_of(kind, when)) for found, when in rows if found is not None)


def periods(kind, key=0, *, first=None, last=None, now=None):
    """[(period, live stories)] of one listing, newest first, leaving out periods with none."""
    rows = _stored(kind, first, last).filter(key=key).values_list("period", "published").order_by()
    stories = Article.objects.scheduled(at=now)
    if kind != DAY:
        stories = stories.filter(**{_STORY_KEY[kind]: key})
    # One query: the counts, and a -1 in its period for each story held back.
    held = stories.annotate(bucket=_period(kind, "published_at")).values_list("bucket", _MINUS_ONE)
    held = held.order_by()
    live = Counter()
    for period, n in rows.union(held, all=True):
        live[period] += n
    return sorted(((period, n) for period, n in live.items() if n > 0), reverse=True)


def totals(kind, now=None):
    """{key: live stories} of every place (section, tag, author) that has any."""
    sums = StoryCount.objects.filter(kind=kind).values_list("key").annotate(n=Sum("published"))
    column = _STORY_KEY[kind]
    stories = Article.objects.scheduled(at=now).filter(**{f"{column}__isnull": False})
    held = stories.values_list(column, _MINUS_ONE)  # as in periods(): one query
    live = Counter()
    for key, n in sums.order_by().union(held.order_by(), all=True):
        live[key] += n
    return {key: n for key, n in live.items() if n > 0}


def days(*, first=None, last=None, now=None):
    """[(day, live stories, last change readers saw)] of the river, oldest first."""
    now = now or timezone.now()
    rows = _stored(DAY, first, last)
    held = held_back(DAY, now=now)
    found = []
    for day, published, changed, pending in rows.order_by("period").values_list(
        "period", "published", "changed_at", "pending"
    ):
        live = published - held[0, day]
        if live > 0:
            due = [datetime.datetime.fromisoformat(when) for when in pending]
            found.append((day, live, max([changed, *(when for when in due if when <= now)])))
    return found


def _stored(kind, first, last):
    rows = StoryCount.objects.filter(kind=kind)
    if first is not None:
        rows = rows.filter(period__gte=first)
    if last is not None:
        rows = rows.filter(period__lte=last)
    return rows


_MINUS_ONE = Value(-1, output_field=IntegerField())


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
    with transaction.atomic():
        sync_listing_times(story_ids)
        recount(set(before) | buckets(story_ids), visible=visible, now=now)


def sync_listing_times(story_ids=None):
    """Copy published stories' times to their taggings and bylines (``None``: every story's)."""
    for model, story in [(TaggedArticle, "content_object"), (Byline, "article")]:
        listed = Article.objects.published().filter(pk=OuterRef(f"{story}_id")).values("published_at")
        rows = model.objects.all()
        if story_ids is not None:
            rows = rows.filter(**{f"{story}_id__in": story_ids})
        rows.update(listed_at=Subquery(listed[:1]))


def recount(touched, *, visible=True, now=None):
    """Count the published stories of each bucket in ``touched`` again, rows locked first."""
    if not touched:
        return
    now = now or timezone.now()
    rows = _locked(touched, now)
    counted = _count(touched)
    pending = _pending([period for kind, _key, period in touched if kind == DAY], now)
    for bucket, row in rows.items():
        row.published = counted[bucket]
        row.pending = pending.get(bucket[2], []) if bucket[0] == DAY else []
        if visible:
            row.changed_at = now
    StoryCount.objects.bulk_update(rows.values(), ["published", "pending", "changed_at"])
    StoryCount.objects.filter(pk__in=[row.pk for row in rows.values() if not row.published]).delete()


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
        rows, key, when = _counted(kind)
        rows = rows.filter(_within(kind, [p for _k, p in pairs], when))
        if key:
            rows = rows.filter(**{f"{key}__in": {k for k, _p in pairs}})
        for key_value, period, n in _grouped(kind, rows, key, when):
            if (key_value, period) in pairs:
                counted[kind, key_value, period] = n
    return counted


def _grouped(kind, rows, key, when, **extra):
    """(key, period, count, *extra) per bucket of ``rows``, grouped in the database."""
    grouped = rows.annotate(bucket=_period(kind, when)).values(*filter(None, [key]), "bucket")
    for row in grouped.annotate(n=Count("pk"), **extra).order_by():
        yield (row[key] if key else 0), row["bucket"], row["n"], *(row[name] for name in extra)


def _pending(days, now):
    """{day: [ISO times still to come at which its stories become public]}."""
    if not days:
        return {}
    waiting = defaultdict(list)
    stories = Article.objects.scheduled(at=now).filter(_within(DAY, days, "published_at"))
    for published, embargo in stories.values_list("published_at", "embargo_until"):
        due = max(filter(None, [published, embargo]))
        waiting[period_of(DAY, published)].append(due.isoformat())
    return {day: sorted(times) for day, times in waiting.items()}


def forget(owner):
    """Drop the counts of a place, section, tag or author being deleted."""
    kind = {"place": PLACE, "section": SECTION, "tag": TAG, "author": AUTHOR}.get(owner._meta.model_name)
    if kind is not None:
        StoryCount.objects.filter(kind=kind, key=owner.pk).delete()


# Recounting everything


def rebuild(now=None):
    """Recount every bucket from the stories themselves (after a bulk load, or a new TIME_ZONE)."""
    now = now or timezone.now()
    with transaction.atomic():
        sync_listing_times()
        StoryCount.objects.all().delete()
        made = []
        for kind in Kind:
            rows, key, when = _counted(kind)
            extra = {"latest": Max(_modified(), filter=live_condition(now))} if kind == DAY else {}
            for key_value, period, n, *latest in _grouped(kind, rows, key, when, **extra):
                changed = (latest[0] if latest else None) or now
                made.append(StoryCount(kind=kind, key=key_value, period=period, published=n, changed_at=changed))
        pending = _pending({row.period for row in made if row.kind == DAY}, now)
        for row in made:
            row.pending = pending.get(row.period, []) if row.kind == DAY else []
        StoryCount.objects.bulk_create(made, batch_size=2000)
    return len(made)


def _modified():
    """A story's last change readers saw, as an expression: publication, embargo or revision."""
    published = F("published_at")
    return Greatest(published, Coalesce("embargo_until", published), Coalesce("revised_at", published))
