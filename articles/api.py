"""
A read-only JSON API serving live stories in ninjs 2.2, IPTC's news-in-JSON:

    /api/ninjs/items/        newest first, 20 a page (?limit= up to 100);
                             ?since=2017-09-14T09:00:00Z: published or updated since;
                             ?cursor=: the next page, from the previous page's "next"
    /api/ninjs/items/<id>/   one story; 404 unless it is live

Pages follow a signed keyset cursor (publication time and id of the last
story shown), so a story published meanwhile never shifts the pages.
"""

import datetime

from django.core import signing
from django.db.models import Q, prefetch_related_objects
from django.http import JsonResponse
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_safe

from . import media, structured_data
from .media.renditions import MIME
from .models import Article
from .models.article import listing_prefetches
from .structured_data import w3c
from .media import body as body_pictures
from .templatetags.articles import story_body

PAGE_SIZE, MAX_LIMIT = 20, 100
CURSOR_SALT = "articles.api.cursor"
STANDARD = {
    "name": "ninjs",
    "version": "2.2",
    "schema": "http://www.iptc.org/std/ninjs/ninjs-schema_2.2.json",
}


class BadRequest(Exception):
    """A parameter the client must fix; its message says how."""


def live_items():
    return Article.objects.live().for_listing()


@require_safe
def items(request):
    try:
        limit = parse_limit(request.GET.get("limit"))
        since = parse_since(request.GET.get("since"))
        after = parse_cursor(request.GET.get("cursor"))
    except BadRequest as error:
        return JsonResponse({"error": str(error)}, status=400)
    stories = live_items()
    if after is not None:
        at, pk = after
        stories = stories.filter(Q(published_at__lt=at) | Q(published_at=at, pk__lt=pk))
    page = newest(stories, limit + 1, since)
    following = None
    if len(page) > limit:
        page = page[:limit]
        query = request.GET.copy()
        query["cursor"] = make_cursor(page[-1])
        following = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    body_pictures.read(page, request)
    return JsonResponse({"items": [ninjs(story, request) for story in page], "next": following})


def newest(stories, count, since=None):
    """
    The ``count`` newest of ``stories``; with ``since``, those published or
    changed since then. Two short reads, each in its index's order: the
    stories published since (newest first), and older ones whose embargo
    lifted or that were updated or corrected since (a handful), merged.
    """
    order = ("-published_at", "-pk")
    if since is None:
        return list(stories.order_by(*order)[:count])
    stories = stories.prefetch_related(None)  # once, for the merged page below
    recent = stories.filter(published_at__gte=since).order_by(*order)[:count]
    changed = Q(embargo_until__gte=since) | Q(revised_at__gte=since)
    older = stories.filter(changed, published_at__lt=since).order_by(*order)[:count]
    merged = sorted([*recent, *older], key=lambda s: (s.published_at, s.pk), reverse=True)
    prefetch_related_objects(merged[:count], *listing_prefetches())
    return merged[:count]


@require_safe
def item(request, pk):
    story = live_items().filter(pk=pk).first()
    if story is None:
        return JsonResponse({"error": "No public story has this id."}, status=404)
    body_pictures.read([story], request)
    return JsonResponse(ninjs(story, request))


# Parameters


def parse_limit(value):
    if value is None:
        return PAGE_SIZE
    # isdigit() alone admits "²" and other digits int() refuses.
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= MAX_LIMIT:
        raise BadRequest(f"limit must be a whole number from 1 to {MAX_LIMIT}.")
    return int(value)


def parse_since(value):
    if value is None:
        return None
    try:
        since = parse_datetime(value)
        # In UTC: PostgreSQL takes offsets only up to 15:59, Python up to 23:59.
        since = since.astimezone(datetime.UTC) if since and since.tzinfo else None
    except (ValueError, OverflowError):
        since = None
    if since is None:
        raise BadRequest(
            "since must be an ISO 8601 date and time with its offset, such as "
            "2017-09-14T09:00:00Z or 2017-09-14T12:00:00%2B03:00 (+ written as %2B)."
        )
    return since


def make_cursor(story):
    return signing.dumps([story.published_at.isoformat(), story.pk], salt=CURSOR_SALT)


def parse_cursor(value):
    if value is None:
        return None
    try:
        at, pk = signing.loads(value, salt=CURSOR_SALT)
        return datetime.datetime.fromisoformat(at), int(pk)
    except (signing.BadSignature, ValueError, TypeError):
        raise BadRequest("cursor is not one this API gave out: use the 'next' link.") from None


# The format


def ninjs(story, request):
    """A live story as a ninjs 2.2 item; ``story`` comes from live_items()."""

    def absolute(path):
        return request.build_absolute_uri(path)

    place = story.place
    item = {
        "uri": structured_data.story_uri(story, request),
        "standard": STANDARD,
        "type": "text",
        "representationtype": "full",
        "version": str(story.version),
        "firstcreated": w3c(structured_data.published(story)),
        "versioncreated": w3c(structured_data.modified(story)),
        "pubstatus": "usable",
        "urgency": story.urgency,
        "language": structured_data.language(story),
        "headlines": [{"role": "main", "value": story.headline}],
        "descriptions": story.standfirst
        and [{"role": "summary", "contenttype": "text/plain", "value": story.standfirst}],
        "bodies": [{"role": "main", "contenttype": "text/html", "value": str(story_body(story, absolute=absolute))}],
        "by": byline_text(story) or (story.agency and story.agency.name),
        "people": [
            {"name": b.author.name, "rel": "creator", "uri": absolute(b.author.get_absolute_url())}
            for b in story.bylines.all()
        ],
        "organisations": story.agency and [agency(story)],
        "subjects": subjects(story, absolute),
        "located": place and ", ".join(filter(None, [str(place), place.country])),
        "places": place and [{"name": str(place), "rel": "located"}],
        "altids": [{"role": "url", "value": absolute(story.get_absolute_url())}]
        + ([{"role": "source", "value": story.guid}] if story.guid else []),
        "associations": story.lead_picture and [lead_image(story, absolute)],
    }
    return {key: value for key, value in item.items() if value}


def agency(story):
    """The agency whose copy the story is: its creator when no byline names a person."""
    rel = "source" if story.bylines.all() else "creator"
    found = {"name": story.agency.name, "rel": rel}
    return {**found, "uri": story.agency.website} if story.agency.website else found


def byline_text(story):
    """'By Ivan Petrov and Anna Ivanova; Photos by Olga Smirnova', as the page prints it."""
    groups = []
    for role, authors in story.byline_groups():
        names = [author.name for author in authors]
        joined = " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
        groups.append(f"{role} {joined}")
    return "; ".join(groups)


def subjects(story, absolute):
    found = []
    if story.section:
        section = story.section
        found.append(
            {"name": section.name, "rel": "section", "uri": absolute(section.get_absolute_url())}
        )
    for tag in story.tags.all():
        found.append({"name": tag.name, "rel": "about", "uri": absolute(tag.get_absolute_url())})
    return found


def lead_image(story, absolute):
    """The lead picture, with every rendition made of it."""
    picture = story.lead_picture
    shared = media.shared(picture)
    renditions = [
        {"name": f"{r.shape}-{r.width}-{r.format}", "href": absolute(r.file.url),
         "contenttype": MIME[r.format], "width": r.width, "height": r.height, "sizeinbytes": r.size}
        for r in picture.renditions.all()
    ]  # fmt: skip
    if not renditions:  # not made yet: the stored file
        original = {"name": "original", "href": absolute(shared.url), "contenttype": shared.mime}
        renditions = [{**original, "width": shared.width, "height": shared.height}]
    image = {
        "name": "leadimage",
        "uri": absolute(shared.url),
        "type": "picture",
        "renditions": [{k: v for k, v in r.items() if v is not None} for r in renditions],
    }
    notes = [("caption", picture.caption), ("alternative", picture.alt_text)]
    if any(text for _role, text in notes):
        image["descriptions"] = [{"role": role, "value": text} for role, text in notes if text]
    if picture.credit or picture.byline:
        image["by"] = picture.credit or picture.byline
    if picture.usage_terms:
        image["usageterms"] = picture.usage_terms
    if picture.copyright_notice:
        image["copyrightnotice"] = picture.copyright_notice
    return image
