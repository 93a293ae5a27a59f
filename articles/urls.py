from django.urls import path, re_path

from . import api, feeds, sitemaps, views
from .models import Author, Place, Section, Tag
from .pagecache import front, owner, period, sitemap_part, story, story_page
from .pagecache import public_page as cached
from .search.page import protected

app_name = "articles"

YEAR, MONTH, DAY = r"(?P<year>[0-9]{4})", r"(?P<month>[0-9]{2})", r"(?P<day>[0-9]{2})"
LANGUAGE = r"(?P<language>[a-z]{2,3}(?:-[a-z]{2})?)"  # articles/languages.py

# Public pages are cached for anonymous readers (articles/pagecache.py), each
# with what it shows: by default the newest live stories; the front page's
# arrangement; a story (with the section, place and tags it leads on to); a date
# archive's period; the owner of a listing. Search results are cached
# briefly, and rate-limited (articles/search/page.py); share links never are.
urlpatterns = [
    path("", cached(views.FrontPageView.as_view(), front), name="front"),
    path("news/", cached(views.ArticleIndexView.as_view()), name="index"),
    re_path(rf"^{LANGUAGE}/news/$", cached(views.LanguageRiverView.as_view()), name="language"),
    re_path(rf"^{YEAR}/$", cached(views.ArticleYearView.as_view(), period), name="year"),
    re_path(rf"^{YEAR}/{MONTH}/$", cached(views.ArticleMonthView.as_view(), period), name="month"),
    re_path(rf"^{YEAR}/{MONTH}/{DAY}/$", cached(views.ArticleDayView.as_view(), period), name="day"),
    re_path(
        rf"^{YEAR}/{MONTH}/{DAY}/(?P<slug>[-\w]+)/$",
        cached(views.ArticleDetailView.as_view(), story_page),
        name="detail",
    ),
    path("datelines/", cached(views.PlaceIndexView.as_view()), name="places"),
    path("datelines/<slug:slug>/", cached(views.PlaceView.as_view(), owner(Place)), name="place"),
    path("sections/<slug:slug>/", cached(views.SectionView.as_view(), owner(Section)), name="section"),
    path("tags/<slug:slug>/", cached(views.TagView.as_view(), owner(Tag)), name="tag"),
    path("authors/<slug:slug>/", cached(views.AuthorView.as_view(), owner(Author)), name="author"),
    path("corrections/", cached(views.CorrectionListView.as_view()), name="corrections"),
    path("search/", protected(views.SearchView.as_view()), name="search"),
    path("preview/<str:token>/", views.shared_preview, name="shared_preview"),
    # Feeds: RSS 2.0 and Atom for All news and for each section, tag, author and place.
    path("feeds/rss/", cached(feeds.StoryFeed("rss")), name="feed_rss"),
    path("feeds/atom/", cached(feeds.StoryFeed("atom")), name="feed_atom"),
    re_path(rf"^{LANGUAGE}/news/feed/rss/$", cached(feeds.LanguageFeed("rss")), name="language_feed_rss"),
    re_path(rf"^{LANGUAGE}/news/feed/atom/$", cached(feeds.LanguageFeed("atom")), name="language_feed_atom"),
    path("sections/<slug:slug>/feed/rss/", cached(feeds.SectionFeed("rss"), owner(Section)), name="section_feed_rss"),
    path("sections/<slug:slug>/feed/atom/", cached(feeds.SectionFeed("atom"), owner(Section)), name="section_feed_atom"),
    path("tags/<slug:slug>/feed/rss/", cached(feeds.TagFeed("rss"), owner(Tag)), name="tag_feed_rss"),
    path("tags/<slug:slug>/feed/atom/", cached(feeds.TagFeed("atom"), owner(Tag)), name="tag_feed_atom"),
    path("authors/<slug:slug>/feed/rss/", cached(feeds.AuthorFeed("rss"), owner(Author)), name="author_feed_rss"),
    path("authors/<slug:slug>/feed/atom/", cached(feeds.AuthorFeed("atom"), owner(Author)), name="author_feed_atom"),
    path("datelines/<slug:slug>/feed/rss/", cached(feeds.PlaceFeed("rss"), owner(Place)), name="place_feed_rss"),
    path("datelines/<slug:slug>/feed/atom/", cached(feeds.PlaceFeed("atom"), owner(Place)), name="place_feed_atom"),
    # Sitemaps: an index, its parts (pages, sections, one per month) and Google News.
    path("robots.txt", cached(sitemaps.robots), name="robots"),
    path("sitemap.xml", cached(sitemaps.index), name="sitemap"),
    path("sitemap-news.xml", cached(sitemaps.news), name="sitemap_news"),
    re_path(
        r"^sitemap-(?P<part>pages|sections|[12][0-9]{3}-[0-9]{2})\.xml$",
        cached(sitemaps.part, sitemap_part),
        name="sitemap_part",
    ),
    # The ninjs API.
    path("api/ninjs/items/", cached(api.items), name="api_items"),
    path("api/ninjs/items/<int:pk>/", cached(api.item, story), name="api_item"),
]
