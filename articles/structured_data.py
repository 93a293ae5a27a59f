"""
What every public output says about a story: its permanent identifier, when
it was published and last changed, its language, and its schema.org
NewsArticle. Feeds, sitemaps, the ninjs API and the article page's <head>
map a live story through these functions, so they agree with each other.
"""

import datetime
import json

from django.conf import settings
from django.http.request import split_domain_port
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from . import media
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


def language():
    """The stories' language, as news formats want it: "en" for LANGUAGE_CODE "en-us"."""
    code = settings.LANGUAGE_CODE.lower()
    # Google News and ninjs keep the script variant of Chinese.
    return code if code in {"zh-cn", "zh-tw"} else code.split("-")[0]


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
        "description": article.standfirst,
        "dateline": article.dateline_text,
        "datePublished": w3c(published(article)),
        "dateModified": w3c(modified_from_notes(article)),
        "inLanguage": language(),
        "author": [
            {
                "@type": "Person",
                "name": byline.author.name,
                "url": request.build_absolute_uri(byline.author.get_absolute_url()),
            }
            for byline in article.bylines.all()
        ],
        "publisher": {
            "@type": "Organization",
            "name": settings.NEWSROOM_NAME,
            "url": request.build_absolute_uri("/"),
        },
        "image": lead_image(article, request),
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
