"""
Public pages. Every queryset starts from ``Article.objects.live()``: a story
that is not published, or whose time has not come, is a 404 everywhere.
"""

from django.shortcuts import get_object_or_404
from django.views.generic import ListView, TemplateView, dates

from .models import Article, Author, Place, Section, Tag

PAGE_SIZE = 20


class LiveArticleMixin:
    model = Article
    date_field = "published_at"
    month_format = "%m"
    paginate_by = PAGE_SIZE
    allow_empty = False  # a date with no public story is not found

    def get_queryset(self):
        # Lean: the views also use it to find the next and previous dates.
        return Article.objects.live()

    def get_dated_items(self):
        date_list, object_list, extra = super().get_dated_items()
        return date_list, object_list.for_listing(), extra


class FrontPageView(TemplateView):
    template_name = "articles/front_page.html"
    river_size = 15

    def get_context_data(self, **kwargs):
        stories = list(Article.objects.live().for_listing()[: self.river_size + 1])
        return super().get_context_data(
            lead=stories[0] if stories else None, river=stories[1:], **kwargs
        )


class ArticleIndexView(LiveArticleMixin, dates.ArchiveIndexView):
    allow_empty = True  # an empty newsroom still has an All news page


class ArticleYearView(LiveArticleMixin, dates.YearArchiveView):
    make_object_list = True


class ArticleMonthView(LiveArticleMixin, dates.MonthArchiveView):
    pass


class ArticleDayView(LiveArticleMixin, dates.DayArchiveView):
    # The day page links to neighbouring days only; skip the month lookups.
    def get_next_month(self, date):
        return None

    def get_previous_month(self, date):
        return None


class ArticleDetailView(LiveArticleMixin, dates.DateDetailView):
    def get_queryset(self):
        return super().get_queryset().for_listing()


class PlaceIndexView(ListView):
    template_name = "articles/place_index.html"
    context_object_name = "places"

    def get_queryset(self):
        return Place.objects.with_live_counts()


class FilteredListView(ListView):
    """Live stories filtered by one taxonomy object (place, section, tag, author)."""

    paginate_by = PAGE_SIZE
    owner_model = None
    filter_method = None

    def get_queryset(self):
        self.owner = get_object_or_404(self.owner_model, slug=self.kwargs["slug"])
        live = Article.objects.live().for_listing()
        return getattr(live, self.filter_method)(self.owner)

    def get_context_data(self, **kwargs):
        return super().get_context_data(owner=self.owner, **kwargs)


class PlaceView(FilteredListView):
    owner_model, filter_method = Place, "datelined"
    template_name = "articles/place_detail.html"


class SectionView(FilteredListView):
    owner_model, filter_method = Section, "in_section"
    template_name = "articles/section_detail.html"


class TagView(FilteredListView):
    owner_model, filter_method = Tag, "tagged"
    template_name = "articles/tag_detail.html"


class AuthorView(FilteredListView):
    owner_model, filter_method = Author, "by_author"
    template_name = "articles/author_detail.html"
