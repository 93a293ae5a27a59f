from django.conf import settings

from .models import Section


def site(request):
    """The site's name and its sections, for the navigation on every page."""
    return {
        "site_name": settings.NEWSROOM_NAME,
        "nav_sections": list(Section.objects.only("name", "slug")),
    }
