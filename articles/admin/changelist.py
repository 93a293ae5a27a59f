"""
The story list at archive size: counts that stop where paging stops, and a
date drill-down that probes the index instead of reading every story.
"""

import bisect
import calendar
import datetime
import itertools
import json
import math

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import lookup_spawns_duplicates
from django.contrib.admin.views.main import ChangeList
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Prefetch, Subquery
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext

from .. import search
from ..models import Byline

# Long text the list never shows: left in the database, not sent for 100 rows.
UNLISTED_FIELDS = ["body", "standfirst", "search_document", "search_vector"]


class ArchivePaginator(Paginator):
    """
    Pages through the first ``max_pages`` pages only, and counts exactly only
    as far as those pages reach. Past that the count is the query planner's
    estimate on PostgreSQL ("about 1,000,000") or a lower bound elsewhere
    ("more than 10,000"): no COUNT reads the whole table, and no OFFSET goes
    deeper than the last page offered. Older stories are a filter, a date or
    a search away.
    """

    max_pages = 100

    @cached_property
    def _tally(self):
        """(count, qualifier): qualifier is "" for an exact count."""
        limit = self.max_pages * self.per_page
        counted = self.object_list.order_by()[: limit + 1].count()
        if counted <= limit:
            return counted, ""
        estimate = planner_estimate(self.object_list)
        if estimate is None or estimate <= limit:
            return limit, "more than"
        return estimate, "about"

    @property
    def count(self):
        return self._tally[0]

    @property
    def qualifier(self):
        return self._tally[1]

    @cached_property
    def num_pages(self):
        if self.count == 0 and not self.allow_empty_first_page:
            return 0
        hits = max(1, self.count - self.orphans)
        return min(math.ceil(hits / self.per_page), self.max_pages)


def planner_estimate(queryset):
    """PostgreSQL's estimate of the rows ``queryset`` matches, to two figures; None elsewhere."""
    if connections[queryset.db].vendor != "postgresql":
        return None
    plan = json.loads(queryset.order_by().values("pk").explain(format="json"))
    if isinstance(plan, list):
        plan = plan[0]
    rows = int(plan["Plan"]["Plan Rows"])
    return round(rows, 1 - len(str(rows)))


class StoryListMixin:
    """For ArticleAdmin: the story list's own ChangeList, order and row boxes."""

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def get_ordering(self, request):
        # A date drill-down lists its stories by publication time, the order
        # its index keeps them in, at any depth; the rest by last change.
        if any(key.startswith(f"{self.date_hierarchy}__") for key in request.GET):
            return ["-published_at"]
        return super().get_ordering(request)

    def action_checkbox(self, obj):
        # Django's own draws each row's box through the form template engine,
        # the dearest cell of the list; this is the same markup, written out.
        label = format_html(gettext("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            ACTION_CHECKBOX_NAME,
            obj.pk,
            label,
        )


# Lookups a story matches through at most one row: one of its tags, or one of
# its bylines, by id (a story holds each tag and each author once).
ONCE_PER_STORY = {
    f"{relation}{field}{exact}"
    for relation in ("tags", "bylines")
    for field in ("", "__id", "__pk")
    for exact in ("", "__exact")
}


class ArticleChangeList(ChangeList):
    """The story list: a page of stories, their bylines, and the date links."""

    def get_filters(self, request):
        # Django makes the list DISTINCT (a sort of every match before a page
        # is cut) for any lookup across tags or bylines, such as an address
        # typed or kept with ?tags__id__exact=; one by id cannot repeat a story.
        # The same key given twice matches either value: a story with both
        # would be found twice, so it keeps the DISTINCT.
        specs, has_filters, lookups, duplicates, active = super().get_filters(request)
        spawning = [key for key in lookups if lookup_spawns_duplicates(self.lookup_opts, key)]
        single = all(len(lookups[key]) == 1 for key in spawning)
        fields = [f for f in self.list_filter if isinstance(f, str)]
        by_field = any(lookup_spawns_duplicates(self.lookup_opts, field) for field in fields)
        if duplicates and single and not by_field and ONCE_PER_STORY.issuperset(spawning):
            duplicates = False
        return specs, has_filters, lookups, duplicates, active

    def get_queryset(self, request, exclude_parameters=None):
        stories = super().get_queryset(request, exclude_parameters)
        bylines = Byline.objects.select_related("author")
        return stories.defer(*UNLISTED_FIELDS).prefetch_related(
            Prefetch("bylines", queryset=bylines)
        )

    def get_results(self, request):
        super().get_results(request)
        # Worked out here, so the template only draws it.
        self.date_drill = date_drill(self) if self.date_hierarchy else None


def date_drill(cl):
    """
    The date drill-down Django's date_hierarchy draws (same links, same
    template), with each year, month or day found by an index probe on the
    date field instead of a DISTINCT over every story in the list.
    """
    field = cl.date_hierarchy
    year, month, day = (cl.params.get(f"{field}__{part}") for part in ("year", "month", "day"))
    year, month, day = (int(value) if value else None for value in (year, month, day))
    if year is None:
        first, last = _first_and_last(cl)
        if first is None:
            return {"show": True, "back": None, "choices": []}
        if first.year != last.year:
            return _years(cl, first.year, last.year)
        # As Django does: start lower when every story falls in one year or month.
        year, month = first.year, (first.month if first.month == last.month else None)
    if month is None:
        return _months(cl, year)
    if day is None:
        return _days(cl, year, month)
    chosen = datetime.date(year, month, day)
    return {
        "show": True,
        "back": {"link": _link(cl, year=year, month=month), "title": _title(chosen, "YEAR_MONTH")},
        "choices": [{"title": _title(chosen, "MONTH_DAY")}],
    }


def _years(cl, first, last):
    starts = [datetime.date(year, 1, 1) for year in range(first, last + 2)]
    return {
        "show": True,
        "back": None,
        "choices": [
            {"link": _link(cl, year=start.year), "title": str(start.year)}
            for start in _present(cl, starts)
        ],
    }


def _months(cl, year):
    starts = [datetime.date(year, month, 1) for month in range(1, 13)]
    return {
        "show": True,
        "back": {"link": _link(cl), "title": "All dates"},
        "choices": [
            {"link": _link(cl, year=year, month=start.month), "title": _title(start, "YEAR_MONTH")}
            for start in _present(cl, [*starts, datetime.date(year + 1, 1, 1)])
        ],
    }


def _days(cl, year, month):
    first = datetime.date(year, month, 1)
    length = calendar.monthrange(year, month)[1]
    starts = [first + datetime.timedelta(days=n) for n in range(length + 1)]
    return {
        "show": True,
        "back": {"link": _link(cl, year=year), "title": str(year)},
        "choices": [
            {
                "link": _link(cl, year=year, month=month, day=start.day),
                "title": _title(start, "MONTH_DAY"),
            }
            for start in _present(cl, starts)
        ],
    }


def _link(cl, **parts):
    field = cl.date_hierarchy
    return cl.get_query_string({f"{field}__{k}": v for k, v in parts.items()}, [f"{field}__"])


def _title(date, format_name):
    return capfirst(formats.date_format(date, f"{format_name}_FORMAT"))


def _first_and_last(cl):
    """The earliest and latest dates in the list, in local time: two index probes."""
    if _searched(cl):
        dates = _searched_dates(cl)
        return (dates[0], dates[-1]) if dates else (None, None)
    row = _one_row(cl.queryset, first=_earliest(cl), last=_earliest(cl, direction="-"))
    if row is None or row["first"] is None:
        return None, None
    return timezone.localtime(row["first"]), timezone.localtime(row["last"])


def _present(cl, bounds):
    """
    The periods between consecutive dates in ``bounds`` that hold at least
    one story of the list, by their first day: one query, an index probe each.
    """
    periods = list(itertools.pairwise(bounds))
    if _searched(cl):
        dates = [moment.date() for moment in _searched_dates(cl)]
        return [start for start, end in periods if bisect.bisect_left(dates, start) < bisect.bisect_left(dates, end)]
    probes = {f"p{n}": _earliest(cl, *_midnights(*period)) for n, period in enumerate(periods)}
    row = _one_row(cl.queryset, **probes) or {}
    return [start for n, (start, _) in enumerate(periods) if row.get(f"p{n}") is not None]


def _searched(cl):
    """Whether a search narrowed the list (a term of control characters alone does not)."""
    return bool(search.clean(cl.query))


def _searched_dates(cl):
    """
    The dates of a searched list, in local time, in order: a search lists a
    few hundred stories at most (NEWSROOM_SEARCH_LIMIT), whose dates are
    read at once. Probing the date index for them instead would walk it past
    every story the search did not find: at a million stories, hundreds of
    milliseconds for the recent matches a search finds first.
    """
    if not hasattr(cl, "_searched_dates"):
        field = cl.date_hierarchy
        moments = cl.queryset.order_by().exclude(**{field: None}).values_list(field, flat=True)
        cl._searched_dates = sorted(timezone.localtime(moment) for moment in moments)
    return cl._searched_dates


def _earliest(cl, low=None, high=None, direction=""):
    """
    The first date in the list from ``low`` up to ``high`` (or its last, with
    direction "-"), as a subquery. Ordered and cut at one row, it is answered
    from the date's index even where the planner would guess that reading the
    table in storage order finds a row sooner (it does not: stories are stored
    in date order too).
    """
    field = cl.date_hierarchy
    dated = cl.queryset.filter(**{f"{field}__isnull": False})
    if low is not None:
        dated = dated.filter(**{f"{field}__gte": low, f"{field}__lt": high})
    return Subquery(dated.order_by(f"{direction}{field}").values(field)[:1])


def _one_row(queryset, **expressions):
    # The subqueries stand alone: any one row of the table carries them out.
    rows = queryset.model._default_manager.order_by().values(**expressions)[:1]
    return next(iter(rows), None)


def _midnights(*dates):
    # The same bounds as the list's own date filter: midnight in the newsroom's zone.
    return [timezone.make_aware(datetime.datetime.combine(d, datetime.time())) for d in dates]
