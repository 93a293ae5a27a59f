"""The admin site, whose front page is the desk's story budget."""

import datetime

from django.contrib import admin
from django.urls import path
from django.utils import timezone

from .models import Article

BUDGET_SIZE = 25
DAY = datetime.timedelta(hours=24)


class NewsroomAdminSite(admin.AdminSite):
    index_template = "admin/budget_index.html"

    def index(self, request, extra_context=None):
        context = {"budget": story_budget(), "time_zone": timezone.get_current_timezone_name()}
        return super().index(request, {**context, **(extra_context or {})})

    def autocomplete_view(self, request):
        from .admin.pictures import AutocompleteView

        return AutocompleteView.as_view(admin_site=self)(request)

    def get_urls(self):
        from .admin import frontpage  # registers with this site: imported once it exists

        return [
            path("front-page/", self.admin_view(frontpage.arrange), name="front_page"),
            path("front-page/preview/", self.admin_view(frontpage.preview), name="front_page_preview"),
            *super().get_urls(),
        ]


def story_budget(now=None):
    """What the desk needs to see first: each list short and linked, each an index range."""
    now = now or timezone.now()
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    stories = Article.objects.select_related("section", "updated_by").defer(
        "body", "search_document", "search_vector"  # long, and not on the budget
    )
    return {
        "in_review": list(stories.in_review().order_by("updated_at")[:BUDGET_SIZE]),
        "scheduled": scheduled_soon(stories, now),
        "published_today": list(
            stories.live(at=now).filter(published_at__gte=today).order_by("-published_at")[
                :BUDGET_SIZE
            ]
        ),
        "withdrawn": list(stories.withdrawn().order_by("-updated_at")[:10]),
    }


def scheduled_soon(stories, now):
    """
    Stories going public in the next 24 hours, by publication time. Asked as
    two index ranges, those due at their own time and those held by an
    embargo: as one OR, the database walks every published story to find them.
    """
    soon = stories.scheduled(at=now).filter(published_at__lte=now + DAY)
    soon = soon.order_by("published_at", "pk")
    due = soon.filter(published_at__gt=now)[:BUDGET_SIZE]
    held = soon.filter(embargo_until__gt=now)[:BUDGET_SIZE]
    found = {story.pk: story for story in [*due, *held]}
    return sorted(found.values(), key=lambda story: (story.published_at, story.pk))[:BUDGET_SIZE]
