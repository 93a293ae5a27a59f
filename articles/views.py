"""
Public pages. Every queryset starts from ``Article.objects.live()``: a story
that is not published, or whose time has not come, is a 404 everywhere.
"""

import bisect
import datetime

from django.db.models import Q
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.cache import never_cache
from django.views.generic import ListView, TemplateView, dates

from . import api, counts, fragments, frontpage, languages, onward, recent, search, taxonomy
from .models import Article, Author, Correction, Place, PreviewLink, Section, Status, Tag
from .media import body as body_pictures
from .models.article import live_condition
from .paging import CountedPaginator, ShortPaginator

PAGE_SIZE = 20


class LiveArticleMixin:
    """
    The river and the date archives: live stories newest first, paged and
    dated from the river's day counts (articles/counts.py), so neither the
    pages nor the lists of years, months and days count the archive.
    """

    model = Article
    date_field = "published_at"
    month_format = "%m"
    paginate_by = PAGE_SIZE
    allow_empty = False  # a date with no public story is not found

    def get_queryset(self):
        # Lean: the views also use it to find the next and previous dates.
        return Article.objects.live()

    def get_dated_queryset(self, **lookup):
        # Whether the date has stories is read from the counts, not queried.
        return self.get_queryset().filter(**lookup)

    def get_dated_items(self):
        try:
            date_list, object_list, extra = super().get_dated_items()
        except OverflowError:  # the day after 9999-12-31, or a zone's shift past year 1
            raise Http404("No stories on this date.") from None
        if not self.get_allow_empty() and not self.periods:
            raise Http404("No stories on this date.")
        return date_list, object_list, extra

    @cached_property
    def river_days(self):
        """[(day, live stories)] of the whole river, newest first: one read for every date page."""
        return counts.periods(counts.DAY)

    @cached_property
    def periods(self):
        first, last = self.first_day(), self.last_day()
        if first is None:
            return self.river_days
        return self.river_days[self._from(last) : self._before(first)]

    def first_day(self):
        return None

    def last_day(self):
        return None

    # The neighbouring days, months and years with stories, from the counts
    # too, rather than Django's query for the nearest story either side.

    def get_previous_day(self, date):
        return self._neighbour(date, date, later=False)

    def get_next_day(self, date):
        return self._neighbour(date, date + datetime.timedelta(days=1), later=True)

    def get_previous_month(self, date):
        return self._neighbour(date.replace(day=1), None, later=False, month=True)

    def get_next_month(self, date):
        following = (date.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
        return self._neighbour(None, following, later=True, month=True)

    def get_previous_year(self, date):
        return self._neighbour(date.replace(month=1, day=1), None, later=False, year=True)

    def get_next_year(self, date):
        if date.year == datetime.MAXYEAR:
            return None
        return self._neighbour(None, date.replace(year=date.year + 1, month=1, day=1), later=True, year=True)

    def _neighbour(self, start, end, *, later, month=False, year=False):
        """The newest day before ``start``, or the oldest from ``end`` on, as its period's first day."""
        days = self.river_days
        if later:
            at = self._before(end) - 1  # the last of those from ``end`` on: the oldest
            found = days[at][0] if at >= 0 else None
        else:
            at = self._before(start)
            found = days[at][0] if at < len(days) else None
        if found is None:
            return None
        if year:
            return found.replace(month=1, day=1)
        return found.replace(day=1) if month else found

    # river_days is newest first: these find a day's place in it by halving, not by reading it all.

    def _from(self, day):
        """The index of the newest river day on or before ``day``."""
        return bisect.bisect_left(self.river_days, -day.toordinal(), key=_newest_first)

    def _before(self, day):
        """The index of the newest river day before ``day``."""
        return bisect.bisect_right(self.river_days, -day.toordinal(), key=_newest_first)

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        """The years, months or days with live stories, from the counts."""
        date_type = date_type or self.get_date_list_period()
        if date_type == "year":
            dates = sorted({datetime.date(day.year, 1, 1) for day, _live in self.periods})
        elif date_type == "month":
            dates = sorted({datetime.date(day.year, day.month, 1) for day, _live in self.periods})
        else:
            dates = sorted(day for day, _live in self.periods)
        return dates[::-1] if ordering == "DESC" else dates

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        return CountedPaginator(
            queryset,
            per_page,
            kind=counts.DAY,
            periods=self.periods,
            listing=0,  # the river, whichever dates are shown of it
            allow_empty_first_page=allow_empty_first_page,
        )


def _newest_first(row):
    return -row[0].toordinal()


class FrontPageView(TemplateView):
    """The edited front page (articles/frontpage/): lead, top stories, section blocks, All news."""

    template_name = "articles/front_page.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(page=frontpage.front_page(), **kwargs)


class ArticleIndexView(LiveArticleMixin, dates.ArchiveIndexView):
    allow_empty = True  # an empty newsroom still has an All news page


class ArticleYearView(LiveArticleMixin, dates.YearArchiveView):
    make_object_list = True

    def first_day(self):
        return datetime.date(int(self.get_year()), 1, 1)

    def last_day(self):
        return datetime.date(int(self.get_year()), 12, 31)


class ArticleMonthView(LiveArticleMixin, dates.MonthArchiveView):
    def first_day(self):
        return datetime.date(int(self.get_year()), int(self.get_month()), 1)

    def last_day(self):
        following = self.first_day() + datetime.timedelta(days=32)
        return following.replace(day=1) - datetime.timedelta(days=1)


class ArticleDayView(LiveArticleMixin, dates.DayArchiveView):
    def first_day(self):
        return datetime.date(int(self.get_year()), int(self.get_month()), int(self.get_day()))

    last_day = first_day

    # The day page links to neighbouring days only; skip the month lookups.
    def get_next_month(self, date):
        return None

    def get_previous_month(self, date):
        return None


class ArticleDetailView(LiveArticleMixin, dates.DateDetailView):
    def get_queryset(self):
        return super().get_queryset().for_detail()

    def get_context_data(self, **kwargs):
        # Related stories, the place's others and the section's neighbours: one query.
        body_pictures.read([self.object], self.request)
        # Other stories, so kept a moment like the navigation (articles/recent.py).
        story = self.object
        leads_on = recent.remembered(("onward", story.pk, story.version), lambda: onward.read(story))
        return super().get_context_data(onward=leads_on, **kwargs)

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            return self.moved_or_gone(request) or _reraise()

    def moved_or_gone(self, request):
        """A story that moved redirects permanently; a withdrawn one is 410 Gone."""
        moved = Article.objects.live().filter(redirects__old_path=request.path).first()
        if moved is not None:
            return HttpResponsePermanentRedirect(moved.get_absolute_url())
        gone = Article.objects.withdrawn().filter(slug=self.kwargs["slug"]).first()
        # Only a story whose time had come can be gone: a 410 for one killed
        # before its time or embargo would confirm that it exists.
        if (
            gone is not None
            and gone.get_absolute_url() == request.path
            and gone.public_from <= timezone.now()
        ):
            return TemplateResponse(
                request, "articles/article_withdrawn.html", {"object": gone}, status=410
            )
        return None


def _reraise():
    raise Http404("No story at this address.")


class LanguageRiverView(TemplateView):
    """
    One language's stories, newest first (/ru/news/). No counts are kept
    by language, so its pages follow a cursor (?before=, the last story
    shown) down the language index instead of numbers: never an offset.
    """

    template_name = "articles/language_river.html"

    def get_context_data(self, **kwargs):
        code = kwargs.pop("language")
        if languages.normalise(code) != code:
            raise Http404("Not a language code.")
        try:
            before = api.parse_cursor(self.request.GET.get("before"))
        except api.BadRequest:
            raise Http404("No such page.") from None
        stories = Article.objects.live().in_language(code).for_cards()
        if before is not None:
            at, pk = before
            # The bound on the time alone lets the index start at the cursor.
            after = Q(published_at__lt=at) | Q(published_at=at, pk__lt=pk)
            stories = stories.filter(after, published_at__lte=at)
        page = list(stories[: PAGE_SIZE + 1])
        # A language no story is in, unless it is one of the site's, is not a page.
        if not page and (before is not None or not languages.offered(code)):
            raise Http404("No stories in this language.")
        older = api.make_cursor(page[PAGE_SIZE - 1]) if len(page) > PAGE_SIZE else None
        return super().get_context_data(
            language=code, language_name=languages.name(code), stories=page[:PAGE_SIZE],
            older=older, **kwargs,
        )  # fmt: skip


class PlaceIndexView(ListView):
    """Every dateline place with live stories, and how many: from the counts."""

    template_name = "articles/place_index.html"
    context_object_name = "places"

    def get_queryset(self):
        live = counts.totals(counts.PLACE)
        places = list(Place.objects.filter(pk__in=live).only("name", "region", "country", "slug"))
        for place in places:
            place.live_count = live[place.pk]
        return places

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        places = context["places"]
        shown = [(p.pk, p.name, p.region, p.country, p.slug, p.live_count) for p in places]
        listing = fragments.rendered("includes/place_list.html", {"places": places}, shown)
        return {**context, "place_list": listing}


class FilteredListView(ListView):
    """Live stories filtered by one taxonomy object (place, section, tag, author)."""

    paginate_by = PAGE_SIZE
    owner_model = None
    filter_method = None
    kind = None
    # Sections, places, tags and authors are made in passing (by reporters,
    # by wire import): one that only hidden stories carry must not show its
    # name (or an author's bio) to readers.
    found_only_with_stories = False

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # Renamed or merged since: the old address leads to where it is now.
            now_at = taxonomy.moved_to(self.owner_model, kwargs["slug"])
            if now_at is None:
                raise
            query = f"?{request.GET.urlencode()}" if request.GET else ""
            return HttpResponsePermanentRedirect(now_at.get_absolute_url() + query)

    def get_queryset(self):
        model, slug = self.owner_model, self.kwargs["slug"]
        # A name and an address, kept a moment like the navigation's (articles/recent.py).
        self.owner = recent.remembered((model.__name__, slug), lambda: get_object_or_404(model, slug=slug))
        return getattr(Article.objects.live(), self.filter_method)(self.owner)

    def get_allow_empty(self):
        # Emptiness is read from the counts by the paginator (no EXISTS query).
        return True

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        return CountedPaginator(
            queryset,
            per_page,
            kind=self.kind,
            periods=counts.periods(self.kind, self.owner.pk),
            listing=self.owner.pk,
            allow_empty_first_page=not self.found_only_with_stories,
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(owner=self.owner, **kwargs)


class PlaceView(FilteredListView):
    owner_model, filter_method, kind = Place, "datelined", counts.PLACE
    template_name = "articles/place_detail.html"
    found_only_with_stories = True


class SectionView(FilteredListView):
    owner_model, filter_method, kind = Section, "in_section", counts.SECTION
    template_name = "articles/section_detail.html"
    found_only_with_stories = True


class TagView(FilteredListView):
    owner_model, filter_method, kind = Tag, "tagged", counts.TAG
    template_name = "articles/tag_detail.html"
    found_only_with_stories = True


class AuthorView(FilteredListView):
    owner_model, filter_method, kind = Author, "by_author", counts.AUTHOR
    template_name = "articles/author_detail.html"
    found_only_with_stories = True


class CorrectionListView(ListView):
    """
    Corrections and clarifications to public stories, newest first. Updates
    report news rather than mend an error: they stay on their story only.
    """

    paginate_by = PAGE_SIZE
    paginator_class = ShortPaginator
    kinds = [Correction.Kind.CORRECTION, Correction.Kind.CLARIFICATION]

    def get_queryset(self):
        return (
            Correction.objects.filter(live_condition(prefix="article__"), kind__in=self.kinds)
            .select_related("article")
            .order_by("-created_at", "-id")
        )


@never_cache
def shared_preview(request, token):
    """
    A story of any status, for whoever holds a link an editor shared. The
    link is checked before the story is read: a dead link never shows it.
    """
    pk = PreviewLink.pk_from_token(token)
    link = PreviewLink.objects.filter(pk=pk).first() if pk is not None else None
    if link is None:
        raise Http404("No preview at this address.")
    story = Article.objects.for_detail().get(pk=link.article_id) if link.is_active() else None
    if story is not None and story.status == Status.WITHDRAWN:
        # Links made after a withdrawal too: what was taken down stays down.
        response = TemplateResponse(
            request, "articles/article_withdrawn.html", {"object": story}, status=410
        )
    elif story is not None:
        context = {"object": story, "preview": True, "preview_link": link}
        response = TemplateResponse(request, "articles/article_detail.html", context)
    else:
        response = TemplateResponse(
            request, "articles/preview_link_inactive.html", {"link": link}, status=404
        )
    response["X-Robots-Tag"] = "noindex, nofollow"
    # The token is the key: keep it out of the Referer of every link followed.
    response["Referrer-Policy"] = "no-referrer"
    return response


class SearchView(ListView):
    """Live stories matching ``?q=``, best first. Without a query, only the form."""

    template_name = "articles/search.html"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        self.query = search.clean(self.request.GET.get("q", ""))
        if not self.query:
            return Article.objects.none()
        return search.search(Article.objects.live().for_cards(), self.query)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(query=self.query, **kwargs)
        search.highlight(context["object_list"], self.query)
        return context
