from django.urls import path, re_path

from . import views

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
    path("preview/<str:token>/", views.shared_preview, name="shared_preview"),
]
