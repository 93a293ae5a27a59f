"""
Public pages. Every queryset starts from ``Article.objects.live()``: a story
that is not published, or whose time has not come, is a 404 everywhere.
"""

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.generic import ListView, TemplateView, dates

from . import search
from .models import Article, Author, Correction, Place, PreviewLink, Section, Tag

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
        return super().get_queryset().for_detail()

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
    # Tags and places are made in passing (by reporters, by wire import): one
    # that only hidden stories carry must not show its name to readers.
    allow_empty = False


class SectionView(FilteredListView):
    owner_model, filter_method = Section, "in_section"
    template_name = "articles/section_detail.html"


class TagView(FilteredListView):
    owner_model, filter_method = Tag, "tagged"
    template_name = "articles/tag_detail.html"
    allow_empty = False  # see PlaceView


class AuthorView(FilteredListView):
    owner_model, filter_method = Author, "by_author"
    template_name = "articles/author_detail.html"


class CorrectionListView(ListView):
    """
    Corrections and clarifications to public stories, newest first. Updates
    report news rather than mend an error: they stay on their story only.
    """

    paginate_by = PAGE_SIZE
    kinds = [Correction.Kind.CORRECTION, Correction.Kind.CLARIFICATION]

    def get_queryset(self):
        return (
            Correction.objects.filter(article__in=Article.objects.live(), kind__in=self.kinds)
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
    if link.is_active():
        story = Article.objects.for_detail().get(pk=link.article_id)
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
        return search.search(Article.objects.live().for_listing(), self.query)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(query=self.query, **kwargs)
        search.highlight(context["object_list"], self.query)
        return context
