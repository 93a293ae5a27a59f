"""
Sitemaps for an archive of any size. /sitemap.xml is an index of parts: the
site's own pages, its sections, the Google News sitemap and the live
stories of each month (months in the newsroom's time zone, like the date
addresses), split into parts of at most ``PART_SIZE`` addresses, oldest
first: /sitemap-2017-09.xml, then ?p=2 and on for a busy month.

The index is read from the river's day counts (articles/counts.py), never
from the stories, and so is each part's place in its month: a part's query
starts at the day that holds its first story. Each part's ``lastmod`` is the
last time readers saw a change to it or to an earlier part of its month
(which shifts its stories).
"""

import datetime
import math
from html import escape  # the standard library's: Django's wraps it for lazy text, at six times the cost

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone

from . import counts, structured_data
from .models import Article, Section
from .models.article import becomes_public, modified_expression, story_paths
from .models.fields import xml_safe

NEWS_WINDOW = datetime.timedelta(hours=48)
NEWS_LIMIT = 1000  # Google News reads no more than this from one sitemap
PART_SIZE = 1000  # addresses in a month's part: far below the protocol's 50,000, quick to build


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


def months(now=None):
    """{first day of month: [(day, live stories, last change)], oldest day first}, newest month first."""
    found = {}
    for day, live, changed in counts.days(now=now):
        found.setdefault(day.replace(day=1), []).append((day, live, changed))
    return dict(sorted(found.items(), reverse=True))


def month_parts(days):
    """(number, last change) of each part of a month: the latest change up to its last story's day."""
    total = sum(live for _day, live, _changed in days)
    wanted = math.ceil(total / PART_SIZE)
    parts, seen, latest = [], 0, None
    for _day, live, changed in days:
        latest = max(filter(None, [latest, changed]))
        seen += live
        while len(parts) < wanted and min((len(parts) + 1) * PART_SIZE, total) <= seen:
            parts.append((len(parts) + 1, latest))
    return parts


@sitemap_views.x_robots_tag
def index(request):
    """Every part, each month's with the time of its latest change."""
    part = "articles:sitemap_part"
    stories = []
    for month, days in months().items():
        address = reverse(part, args=[f"{month:%Y-%m}"])
        stories += [(address if n == 1 else f"{address}?p={n}", latest) for n, latest in month_parts(days)]
    # The pages, sections and news list the newest stories: they change when any story does.
    newest = max((latest for _address, latest in stories if latest), default=None)
    # A sitemap lists at least one address: sections and news only when they have one.
    parts = [(reverse(part, args=["pages"]), newest)]
    if SectionSitemap().items().exists():
        parts.append((reverse(part, args=["sections"]), newest))
    if news_stories(limit=1):
        parts.append((reverse("articles:sitemap_news"), newest))
    parts += stories
    site = _site(request)
    entries = (
        f"<sitemap><loc>{escape(site + address)}</loc>"
        + (f"<lastmod>{structured_data.w3c(latest)}</lastmod>" if latest else "")
        + "</sitemap>"
        for address, latest in parts
    )
    return _xml("sitemapindex", entries)


def month_stories(year, month, page):
    """One part of a month: its stories oldest first, from the day that holds the first."""
    try:
        first = datetime.date(year, month, 1)
    except ValueError:
        raise Http404("No such month.") from None
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    skip = (page - 1) * PART_SIZE
    for day, live, _changed in counts.days(first=first, last=last):
        if skip < live:
            start, _end = counts.bounds(counts.DAY, day)
            _start, end = counts.bounds(counts.DAY, last)
            stories = Article.objects.live().filter(published_at__gte=start, published_at__lt=end)
            stories = stories.annotate(modified=modified_expression()).order_by("published_at", "id")
            # Rows, not models: a part lists a thousand stories.
            return stories.values_list("published_at", "slug", "modified")[skip : skip + PART_SIZE]
        skip -= live
    raise Http404("No such part.")


@sitemap_views.x_robots_tag
def month_part(request, year, month):
    page = request.GET.get("p", "1")
    if not page.isdigit() or int(page) < 1:
        raise Http404("No such part.")
    site, path, w3c = _site(request), story_paths(), structured_data.w3c
    entries = (
        f"<url><loc>{escape(site + path(published_at, slug))}</loc><lastmod>{w3c(modified)}</lastmod></url>"
        for published_at, slug, modified in month_stories(year, month, int(page))
    )
    return _xml("urlset", entries)


def part(request, part):
    if part not in ("pages", "sections"):
        year, month = map(int, part.split("-"))
        return month_part(request, year, month)
    sitemap = PageSitemap() if part == "pages" else SectionSitemap()
    return sitemap_views.sitemap(
        request, {part: sitemap}, section=part, template_name="articles/sitemap.xml"
    )


@sitemap_views.x_robots_tag
def news(request):
    """Google News: stories that became public in the last 48 hours, newest first."""
    stories = news_stories()
    if not stories:
        raise Http404("No story became public in the last 48 hours.")  # a sitemap lists at least one
    site, path, w3c = _site(request), story_paths(), structured_data.w3c
    name, site_language = escape(settings.NEWSROOM_NAME), structured_data.language()
    entries = (
        f"<url><loc>{escape(site + path(published_at, slug))}</loc><news:news>"
        f"<news:publication><news:name>{name}</news:name><news:language>"
        f"{escape(language or site_language)}</news:language></news:publication>"
        f"<news:publication_date>{w3c(public)}</news:publication_date>"
        f"<news:title>{escape(xml_safe(headline))}</news:title></news:news></url>"
        for public, published_at, slug, headline, language in stories
    )
    return _xml("urlset", entries, news=True)


def news_stories(limit=None):
    """
    Stories that became public in the last 48 hours, newest first, as rows
    of (when they became public, published_at, slug, headline, language):
    those published in the window (through the river's index) and older ones
    whose embargo lifted in it (through the embargo index).
    """
    limit = limit or NEWS_LIMIT
    since = timezone.now() - NEWS_WINDOW
    fields = ["published_at", "embargo_until", "slug", "headline", "language"]
    live = Article.objects.live().values_list(*fields)  # rows, not models: up to a thousand
    fresh = list(live.filter(published_at__gte=since)[:limit])
    fresh += live.filter(embargo_until__gte=since, published_at__lt=since)[:limit]
    rows = [(becomes_public(published_at, embargo), published_at, *rest) for published_at, embargo, *rest in fresh]
    return sorted(rows, key=lambda row: row[0], reverse=True)[:limit]


# Writing XML: thousands of entries a part, so plain strings, not templates.

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


def _site(request):
    """The scheme and host every address in a sitemap starts with."""
    return request.build_absolute_uri("/")[:-1]


def _xml(root, entries, *, news=False):
    namespaces = f'xmlns="{SITEMAP_NS}"' + (f' xmlns:news="{NEWS_NS}"' if news else "")
    body = "".join(entries)
    xml = f'<?xml version="1.0" encoding="UTF-8"?>\n<{root} {namespaces}>{body}</{root}>\n'
    return HttpResponse(xml, content_type="application/xml")


# robots.txt: where the sitemaps are, and what crawlers leave alone


def robots(request):
    """Crawlers are pointed to the sitemap index and kept out of the desk, previews and search."""
    kept_out = [
        reverse("admin:index"),
        reverse("articles:shared_preview", args=["-"]).removesuffix("-/"),
        reverse("articles:search"),
    ]
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in kept_out)]
    lines += ["", f"Sitemap: {_site(request)}{reverse('articles:sitemap')}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
