from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .models import Section


def site(request):
    """The site's name and its sections, for the navigation (read only by pages that show it)."""
    return {
        "site_name": settings.NEWSROOM_NAME,
        "nav_sections": SimpleLazyObject(lambda: list(Section.objects.only("name", "slug"))),
    }
