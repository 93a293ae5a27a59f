"""
Library pictures in story bodies, rendered. The body stores references only
(articles/models/picture_references.py); here they become the pictures, with
the caption, credit and alt text the library holds now, read for a whole
page of stories in two queries. A picture that is not in the library, or
whose usage terms have expired, is left out: the reference renders nothing.
"""

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join

from .. import pagecache
from ..models import Picture, Rendition
from ..models.article import PICTURE_FIELDS, RENDITION_FIELDS
from ..models.picture_references import GALLERY, REFERENCE, referenced_ids
from . import renditions


def read(stories, request=None):
    """
    Give each story ``body_pictures``, {id: picture} of the usable pictures
    its body places, with their renditions: two queries for all the stories,
    none when no body places a picture. With ``request``, the page records
    that it shows them, so a change in the library renders it again.
    """
    wanted = {story.pk: referenced_ids(story.body) for story in stories}
    ids = set().union(*wanted.values())
    found = {}
    if ids:
        pictures = (
            Picture.objects.usable()
            .filter(pk__in=ids)
            .only(*PICTURE_FIELDS)
            .prefetch_related(Prefetch("renditions", queryset=Rendition.objects.only(*RENDITION_FIELDS)))
        )
        found = {picture.pk: picture for picture in pictures}
    for story in stories:
        story.body_pictures = {pk: found[pk] for pk in wanted[story.pk] if pk in found}
    if request is not None:
        pagecache.shows(request, *(f"picture:{pk}" for pk in ids))
    return stories


def render(article, absolute=None):
    """
    ``article.body`` with each reference replaced by its pictures: responsive
    <picture> markup for the story's page; with ``absolute`` (a function making
    an address absolute, for feeds and the API) a plain JPEG <img> at an absolute address.
    """
    if getattr(article, "body_pictures", None) is None:
        read([article])  # a page that did not read them with its story (a preview)
    pictures = article.body_pictures

    def replace(match):
        kind, value = match.groups()
        shown = [pictures[pk] for pk in map(int, value.split(",")) if pk in pictures]
        if not shown:
            return ""
        if absolute is not None:
            return format_html_join("", "{}", ((plain(picture, absolute),) for picture in shown))
        gallery = kind == GALLERY
        return render_to_string("includes/body_pictures.html", {"pictures": shown, "gallery": gallery})

    return REFERENCE.sub(replace, article.body)


def plain(picture, absolute):
    """A picture for readers of feeds and the API: the shared JPEG rendition, its alt text and caption."""
    shared = renditions.shared(picture)
    caption = format_html_join(" ", "{}", ((text,) for text in (picture.caption, picture.credit) if text))
    return format_html(
        '<figure><img src="{}" width="{}" height="{}" alt="{}">{}</figure>',
        absolute(shared.url),
        shared.width,
        shared.height,
        picture.alt_text,
        format_html("<figcaption>{}</figcaption>", caption) if caption else "",
    )


def missing(html):
    """The ids a body places that no usable library picture has: for the desk's warning."""
    ids = referenced_ids(html)
    usable = set(Picture.objects.usable().filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    return [pk for pk in ids if pk not in usable]
