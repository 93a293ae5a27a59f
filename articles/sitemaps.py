"""
Sitemaps. /sitemap.xml is an index of parts: the site's own pages, its
sections, the Google News sitemap and one part per month of live stories
(months in the newsroom's time zone, like the date addresses). A part lists
at most 50,000 addresses; a busier month is split into pages (?p=2).
"""

import datetime
import math

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import Paginator
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from . import structured_data
from .models import Article, Section

NEWS_WINDOW = datetime.timedelta(hours=48)
NEWS_LIMIT = 1000  # Google News reads no more than this from one sitemap


class PageSitemap(Sitemap):
    """The pages that list stories rather than tell one."""

    def items(self):
        return ["articles:front", "articles:index", "articles:places", "articles:corrections"]

    def location(self, name):
        return reverse(name)


class SectionSitemap(Sitemap):
    """Sections with at least one live story."""

    def items(self):
        return Section.objects.filter(Exists(Article.objects.live().filter(section=OuterRef("pk"))))


class MonthSitemap(Sitemap):
    """The live stories first published in one month, oldest first."""

    def __init__(self, year, month):
        self.start = timezone.make_aware(datetime.datetime(year, month, 1))
        self.end = timezone.make_aware(datetime.datetime(year + month // 12, month % 12 + 1, 1))

    def items(self):
        month = Article.objects.live().filter(
            published_at__gte=self.start, published_at__lt=self.end
        )
        fields = ["slug", "published_at", "embargo_until", "revised_at"]
        return structured_data.with_corrected_at(month).only(*fields).order_by("published_at", "id")

    def lastmod(self, story):
        return structured_data.modified(story, story.corrected_at)

    @property
    def paginator(self):
        # A month without a live story is not found, rather than an empty part.
        return Paginator(self._items(), self.limit, allow_empty_first_page=False)


def months():
    """(first day, live stories, latest change) of each month with live stories, newest first."""
    rows = (
        Article.objects.live()
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(
            stories=Count("pk", distinct=True),
            published=Max("published_at"),
            embargo=Max("embargo_until"),
            revised=Max("revised_at"),
            corrected=Max("corrections__created_at"),
        )
        .order_by("-month")
    )
    for row in rows:
        changes = [row["published"], row["embargo"], row["revised"], row["corrected"]]
        yield timezone.localdate(row["month"]), row["stories"], max(filter(None, changes))


@sitemap_views.x_robots_tag
def index(request):
    """Every part, a month's with the time of its latest change."""

    def entry(name, *args, page=1, lastmod=None):
        url = request.build_absolute_uri(reverse(name, args=args))
        return sitemap_views.SitemapIndexItem(url if page == 1 else f"{url}?p={page}", lastmod)

    part = "articles:sitemap_part"
    parts = [entry(part, "pages"), entry(part, "sections"), entry("articles:sitemap_news")]
    for month, stories, latest in months():
        pages = range(1, math.ceil(stories / MonthSitemap.limit) + 1)
        parts += [entry(part, f"{month:%Y-%m}", page=page, lastmod=latest) for page in pages]
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": parts}, content_type="application/xml"
    )


def part(request, part):
    if part == "pages":
        sitemap = PageSitemap()
    elif part == "sections":
        sitemap = SectionSitemap()
    else:
        year, month = map(int, part.split("-"))
        if not 1 <= month <= 12:
            raise Http404("No such month.")
        sitemap = MonthSitemap(year, month)
    return sitemap_views.sitemap(
        request, {part: sitemap}, section=part, template_name="articles/sitemap.xml"
    )


@sitemap_views.x_robots_tag
def news(request):
    """Google News: stories that became public in the last 48 hours, newest first."""
    since = timezone.now() - NEWS_WINDOW
    fresh = Q(published_at__gte=since) | Q(embargo_until__gte=since)
    fields = ["headline", "slug", "published_at", "embargo_until"]
    stories = Article.objects.live().filter(fresh).only(*fields)[:NEWS_LIMIT]
    context = {
        "publication": settings.NEWSROOM_NAME,
        "language": structured_data.language(),
        "stories": [
            {
                "location": request.build_absolute_uri(story.get_absolute_url()),
                "published": structured_data.w3c(structured_data.published(story)),
                "title": story.headline,
            }
            for story in stories
        ],
    }
    return TemplateResponse(
        request, "articles/sitemap_news.xml", context, content_type="application/xml"
    )
