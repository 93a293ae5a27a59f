from django.urls import path, re_path

from . import api, feeds, sitemaps, views

app_name = "articles"

YEAR, MONTH, DAY = r"(?P<year>[0-9]{4})", r"(?P<month>[0-9]{2})", r"(?P<day>[0-9]{2})"

urlpatterns = [
    path("", views.FrontPageView.as_view(), name="front"),
    path("news/", views.ArticleIndexView.as_view(), name="index"),
    re_path(rf"^{YEAR}/$", views.ArticleYearView.as_view(), name="year"),
    re_path(rf"^{YEAR}/{MONTH}/$", views.ArticleMonthView.as_view(), name="month"),
    re_path(rf"^{YEAR}/{MONTH}/{DAY}/$", views.ArticleDayView.as_view(), name="day"),
    re_path(
        rf"^{YEAR}/{MONTH}/{DAY}/(?P<slug>[-\w]+)/$",
        views.ArticleDetailView.as_view(),
        name="detail",
    ),
    path("datelines/", views.PlaceIndexView.as_view(), name="places"),
    path("datelines/<slug:slug>/", views.PlaceView.as_view(), name="place"),
    path("sections/<slug:slug>/", views.SectionView.as_view(), name="section"),
    path("tags/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("authors/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("corrections/", views.CorrectionListView.as_view(), name="corrections"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("preview/<str:token>/", views.shared_preview, name="shared_preview"),
    # Feeds: RSS 2.0 and Atom for All news and for each section, tag, author and place.
    path("feeds/rss/", feeds.StoryFeed("rss"), name="feed_rss"),
    path("feeds/atom/", feeds.StoryFeed("atom"), name="feed_atom"),
    path("sections/<slug:slug>/feed/rss/", feeds.SectionFeed("rss"), name="section_feed_rss"),
    path("sections/<slug:slug>/feed/atom/", feeds.SectionFeed("atom"), name="section_feed_atom"),
    path("tags/<slug:slug>/feed/rss/", feeds.TagFeed("rss"), name="tag_feed_rss"),
    path("tags/<slug:slug>/feed/atom/", feeds.TagFeed("atom"), name="tag_feed_atom"),
    path("authors/<slug:slug>/feed/rss/", feeds.AuthorFeed("rss"), name="author_feed_rss"),
    path("authors/<slug:slug>/feed/atom/", feeds.AuthorFeed("atom"), name="author_feed_atom"),
    path("datelines/<slug:slug>/feed/rss/", feeds.PlaceFeed("rss"), name="place_feed_rss"),
    path("datelines/<slug:slug>/feed/atom/", feeds.PlaceFeed("atom"), name="place_feed_atom"),
    # Sitemaps: an index, its parts (pages, sections, one per month) and Google News.
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-news.xml", sitemaps.news, name="sitemap_news"),
    re_path(
        r"^sitemap-(?P<part>pages|sections|[12][0-9]{3}-[0-9]{2})\.xml$",
        sitemaps.part,
        name="sitemap_part",
    ),
    # The ninjs API.
    path("api/ninjs/items/", api.items, name="api_items"),
    path("api/ninjs/items/<int:pk>/", api.item, name="api_item"),
]
