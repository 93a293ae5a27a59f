import functools

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.urls import get_script_prefix, reverse
from django.utils.functional import SimpleLazyObject

from . import counts, frontpage, languages, recent
from .models import Section, StoryCount


def site(request):
    """
    The site's name and language, its sections for the navigation and the
    breaking-news banner showing now (each read only by pages that show it).
    """
    return {
        "site_links": site_links(get_script_prefix()),
        "site_name": settings.NEWSROOM_NAME,
        "site_language": languages.default(),
        "nav_sections": SimpleLazyObject(listed_sections),
        "banner": SimpleLazyObject(frontpage.showing),
    }


@functools.lru_cache(maxsize=16)
def site_links(_prefix):
    """The addresses every page links to (masthead, navigation, search, footer), made once."""
    names = ["front", "index", "places", "search", "corrections"]
    return {name: reverse(f"articles:{name}") for name in names}


def listed_sections():
    """
    The sections readers can open: those with a live story. A section made
    for a draft or an embargoed wire item is not named on any page before
    its first story is out. One query, with each section's count (kept a
    moment: articles/recent.py).
    """
    def read():
        total = StoryCount.objects.filter(kind=counts.SECTION, key=OuterRef("pk"), period=counts.ALL_TIME)
        sections = Section.objects.only("name", "slug").annotate(
            published=Subquery(total.values("published")[:1]),
            pending=Subquery(total.values("pending")[:1]),
        )
        return list(sections)

    sections = recent.remembered("sections", read)
    return [section for section in sections if counts.live_count(section.published, section.pending) > 0]
