from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ArticlesConfig(AppConfig):
    default = True
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        from django.core import checks

        from .structured_data import check_site_images

        # Every story page names them: a missing one is found at deploy, not by readers.
        checks.register(check_site_images)


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, with the story budget as its front page."""

    default = False
    default_site = "articles.admin_site.NewsroomAdminSite"
