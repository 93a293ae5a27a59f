"""The admin site, whose front page is the desk's story budget."""

import datetime

from django.contrib import admin
from django.utils import timezone

from .models import Article

BUDGET_SIZE = 25


class NewsroomAdminSite(admin.AdminSite):
    index_template = "admin/budget_index.html"

    def index(self, request, extra_context=None):
        context = {"budget": story_budget(), "time_zone": timezone.get_current_timezone_name()}
        return super().index(request, {**context, **(extra_context or {})})


def story_budget(now=None):
    """What the desk needs to see first: each list short and linked."""
    now = now or timezone.now()
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    stories = Article.objects.select_related("section", "updated_by")
    return {
        "in_review": list(stories.in_review().order_by("updated_at")[:BUDGET_SIZE]),
        "scheduled": list(
            stories.scheduled(at=now)
            .filter(published_at__lte=now + datetime.timedelta(hours=24))
            .order_by("published_at")[:BUDGET_SIZE]
        ),
        "published_today": list(
            stories.live(at=now).filter(published_at__gte=today).order_by("-published_at")[
                :BUDGET_SIZE
            ]
        ),
        "withdrawn": list(stories.withdrawn().order_by("-updated_at")[:10]),
    }
