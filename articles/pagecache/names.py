"""What a story touches and what a page shows, as names."""

import datetime
import functools

from django.utils import timezone

from ..models import Byline, TaggedArticle

EVERYTHING = "all"  # every page: the navigation shows sections, and taxonomy names are everywhere
LIVE = "live"  # pages listing or counting the newest live stories
FRONT = "front"  # the front page's arrangement (articles/frontpage/)


# What a story touches


def names_for(article):
    """
    The names a story's current state touches: its own page, and when
    readers can see it, the newest stories, its day, month and year (in
    the newsroom's time zone), place, section, tags and authors.
    """
    if article is None or article.pk is None:
        return []
    if not article.is_live:
        return [f"story:{article.pk}"]
    return sorted(touched([article])[article.pk])


def touched(stories):
    """{pk: names} of live stories, in two queries however many there are."""
    pks = [story.pk for story in stories]
    tags = TaggedArticle.objects.filter(content_object_id__in=pks)
    authors = Byline.objects.filter(article_id__in=pks)
    names = {}
    for story in stories:
        day = timezone.localdate(story.published_at)
        names[story.pk] = {
            LIVE,
            f"story:{story.pk}",
            f"day:{day:%Y-%m-%d}",
            f"month:{day:%Y-%m}",
            f"year:{day:%Y}",
            *([f"place:{story.place_id}"] if story.place_id else []),
            *([f"section:{story.section_id}"] if story.section_id else []),
        }
    for pk, tag in tags.values_list("content_object_id", "tag_id"):
        names[pk].add(f"tag:{tag}")
    for pk, author in authors.values_list("article_id", "author_id"):
        names[pk].add(f"author:{author}")
    return names


# What a page shows: declared with its URL


def public_page(view, *depends):
    """
    ``view`` is a public page, cached for anonymous readers. Each of
    ``depends`` is called as ``depends(url_kwargs, context)`` and returns
    the names the page shows; by default, the newest live stories.
    """

    @functools.wraps(view)
    def page(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    page.page_depends = depends or (newest,)
    return page


def shows(request, *names):
    """
    More that a page shows than its URL declares, found while rendering it
    (the library pictures in its stories' bodies): kept with the page's names.
    """
    request.page_shows = {*getattr(request, "page_shows", ()), *names}


def depends_of(match):
    """What the page a URL resolved to shows; None if it is not a public page."""
    return getattr(match.func, "page_depends", None) if match is not None else None


def newest(kwargs, context):
    """Pages listing the newest live stories, or counting them."""
    return [LIVE]


def front(kwargs, context):
    """The front page: its arrangement, and the newest live stories that fill it."""
    return [LIVE, FRONT]


def story(kwargs, context):
    """A story's page: the story in the context, or the one the URL names by id."""
    found = context.get("object")
    return [f"story:{found.pk if found is not None else kwargs['pk']}"]


def story_page(kwargs, context):
    """
    A story's page: the story, and the section, place and tags whose stories
    it leads on to (previous and next, the place's others, related ones).
    """
    found = context.get("object")
    if found is None or "onward" not in context:
        return story(kwargs, context)
    return [
        f"story:{found.pk}",
        *([f"section:{found.section_id}"] if found.section_id else []),
        *([f"place:{found.place_id}"] if found.place_id else []),
        *(f"tag:{tag.pk}" for tag in found.tags.all()),
    ]


def owner(model):
    """A listing of one place, section, tag or author: ``owner`` in its context, else its slug."""
    kind = model._meta.model_name

    def names(kwargs, context):
        found = context.get("owner")
        if found is not None:
            return [f"{kind}:{found.pk}"]
        pks = model.objects.filter(slug=kwargs["slug"]).values_list("pk", flat=True)
        return [f"{kind}:{pk}" for pk in pks]

    return names


def period(kwargs, context):
    """
    A date archive: its own date and every date up to the neighbouring ones
    it links to (a story there would change the links); the newest stories
    too when it has no neighbour on one side.
    """
    unit = "day" if "day" in kwargs else "month" if "month" in kwargs else "year"
    own = datetime.date(int(kwargs["year"]), int(kwargs.get("month", 1)), int(kwargs.get("day", 1)))
    before, after = context.get(f"previous_{unit}"), context.get(f"next_{unit}")
    names = _stretch(before or own, after or own, unit)
    return names if before and after else [*names, LIVE]


def _stretch(first, last, unit):
    """Names covering every date from first to last: days, else months, else years."""
    days = (last - first).days
    if unit == "day" and days < 62:
        return [f"day:{first + datetime.timedelta(days=n):%Y-%m-%d}" for n in range(days + 1)]
    months = (last.year - first.year) * 12 + last.month - first.month
    if unit != "year" and months < 36:
        start = first.year * 12 + first.month - 1
        return [f"month:{m // 12:04d}-{m % 12 + 1:02d}" for m in range(start, start + months + 1)]
    return [f"year:{year}" for year in range(first.year, last.year + 1)]


def sitemap_part(kwargs, context):
    """A sitemap part: fixed pages, the sections with live stories, or one month's stories."""
    return {"pages": [], "sections": [LIVE]}.get(kwargs["part"], [f"month:{kwargs['part']}"])
