"""
What every public output says about a story: its permanent identifier, when
it was published and last changed, its language, and its schema.org
NewsArticle. Feeds, sitemaps, the ninjs API and the article page's <head>
map a live story through these functions, so they agree with each other.
"""

import datetime
import functools
import json

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.http.request import split_domain_port
from django.templatetags.static import static
from django.utils.text import Truncator
from PIL import Image
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe

from . import languages, media
from .models import Correction

# Notes that mend an error. An update reports news instead: it changes the
# story's modified time but is not a schema.org correction.
CORRECTION_KINDS = {Correction.Kind.CORRECTION, Correction.Kind.CLARIFICATION}

# Inside <script>, "</script>" or "<!--" in a headline must not end or
# change the element: JSON allows these characters escaped.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def published(article):
    """When readers could first read the story: its time, or its embargo if later."""
    return article.public_from


def modified(article, corrected_at=None):
    """
    The latest change readers were shown: publication, an edit or a note
    (workflow moves ``revised_at`` with each note; ``corrected_at`` adds notes
    read beside the story).
    """
    return max(filter(None, [published(article), article.revised_at, corrected_at]))


def modified_from_notes(article):
    """modified(), from the story's prefetched corrections (the article page has them)."""
    notes = article.corrections.all()
    return modified(article, max((note.created_at for note in notes), default=None))


def w3c(moment):
    """A time as W3C/RFC 3339 text in UTC, to the second: 2017-09-14T09:00:00Z."""
    utc = moment.astimezone(datetime.UTC).replace(microsecond=0)
    return utc.isoformat().replace("+00:00", "Z")


def story_uri(article, request):
    """
    The story's permanent id, a tag URI: tag:news.example.org,2017-09-14:article:42.
    Addresses change with the slug or date; this never does.
    """
    domain = settings.NEWSROOM_ID_DOMAIN or split_domain_port(request.get_host())[0]
    return f"tag:{domain},{article.created_at:%Y-%m-%d}:article:{article.pk}"


def language(article=None):
    """
    A story's language, else the site's, as news formats want it: "en" for
    LANGUAGE_CODE "en-us" (articles/languages.py).
    """
    return getattr(article, "language", "") or languages.default()


def news_article(article, request):
    """The schema.org NewsArticle for a live story's page, from prefetched parts."""
    url = request.build_absolute_uri(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": story_uri(article, request),
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": article.headline,
        "description": description(article),
        "dateline": article.dateline_text,
        "datePublished": w3c(published(article)),
        "dateModified": w3c(modified_from_notes(article)),
        "inLanguage": language(article),
        "author": [
            {"@type": kind, "name": name, **({"url": url} if url else {})}
            for kind, name, url in credits(article, request)
        ],
        "publisher": publisher(request),
        "image": lead_image(article, request) or [site_image("NEWSROOM_SOCIAL_IMAGE", request)],
        "locationCreated": location(article.place),
        "articleSection": article.section.name if article.section else "",
        "keywords": [tag.name for tag in article.tags.all()],
        "correction": [
            {
                "@type": "CorrectionComment",
                "text": note.text,
                "datePublished": w3c(note.created_at),
            }
            for note in article.corrections.all()
            if note.kind in CORRECTION_KINDS
        ],
    }
    return {key: value for key, value in data.items() if value}


def credits(article, request):
    """
    Who wrote the story, as (schema.org type, name, address or None): its
    bylines; else the agency whose copy it is; else the newsroom itself.
    """
    people = [
        ("Person", byline.author.name, request.build_absolute_uri(byline.author.get_absolute_url()))
        for byline in article.bylines.all()
    ]
    if people:
        return people
    if article.agency:
        return [("Organization", article.agency.name, article.agency.website or None)]
    return [("Organization", settings.NEWSROOM_NAME, request.build_absolute_uri("/"))]


def publisher(request):
    return {
        "@type": "Organization",
        "name": settings.NEWSROOM_NAME,
        "url": request.build_absolute_uri("/"),
        "logo": site_image("NEWSROOM_LOGO", request),
    }


def location(place):
    """Where the story was written: its dateline's place, with what the gazetteer knows of it."""
    if place is None:
        return None
    address = {"addressLocality": place.name, "addressRegion": place.region, "addressCountry": place.country}
    data = {
        "@type": "Place",
        "name": str(place),
        "address": {"@type": "PostalAddress", **{k: v for k, v in address.items() if v}},
    }
    if place.latitude is not None and place.longitude is not None:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": place.latitude, "longitude": place.longitude}
    return data


def site_image(setting, request):
    """The picture a setting names (the publisher's logo, the default social image), as an ImageObject."""
    path = getattr(settings, setting)
    width, height = _static_size(setting, path)
    return {"@type": "ImageObject", "url": request.build_absolute_uri(static(path)), "width": width, "height": height}


def check_site_images(app_configs=None, **kwargs):
    """System check: the logo and default social image the settings name exist and are pictures."""
    from django.core import checks

    errors = []
    for setting in ("NEWSROOM_LOGO", "NEWSROOM_SOCIAL_IMAGE"):
        try:
            _static_size(setting, getattr(settings, setting))
        except (ImproperlyConfigured, OSError) as problem:
            errors.append(checks.Error(str(problem), id="newsroom.E001"))
    return errors


@functools.cache
def _static_size(setting, path):
    found = finders.find(path)
    if not found:
        raise ImproperlyConfigured(f"{setting}={path!r}: no such static file.")
    with Image.open(found) as image:
        return image.size


def description(article):
    """What a story's description says: its SEO description or standfirst, else its opening words (or headline)."""
    opening = " ".join(strip_tags(article.body.replace("</p>", "</p> ")).split())
    return article.page_description or Truncator(opening).words(30) or article.headline


def lead_image(article, request):
    """The lead picture as schema.org ImageObjects, at the rendition made for sharing."""
    picture = article.lead_picture
    if picture is None:
        return None
    shared = media.shared(picture)
    image = {"@type": "ImageObject", "url": request.build_absolute_uri(shared.url)}
    if shared.width:
        image.update(width=shared.width, height=shared.height)
    texts = {
        "caption": picture.caption,
        "creditText": picture.credit,
        "creator": picture.byline and {"@type": "Person", "name": picture.byline},
        "copyrightNotice": picture.copyright_notice,
    }
    image.update({key: value for key, value in texts.items() if value})
    return [image]


def json_ld(data):
    """A <script type="application/ld+json"> element, safe whatever the text holds."""
    text = json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))
