from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ArticlesConfig(AppConfig):
    default = True
    name = "articles"
    verbose_name = "Newsroom"


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, with the story budget as its front page."""

    default = False
    default_site = "articles.admin_site.NewsroomAdminSite"
