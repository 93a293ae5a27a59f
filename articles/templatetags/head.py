"""What pages put in their <head> for machines: feed links, canonical, Open Graph, JSON-LD."""

import functools

from django import template
from django.conf import settings
from django.urls import get_script_prefix, reverse
from django.utils.dateformat import format as format_date
from django.utils.html import format_html_join

from .. import structured_data

register = template.Library()

FEED_KINDS = [("rss", "application/rss+xml", "RSS"), ("atom", "application/atom+xml", "Atom")]

# Listing pages (view name) that announce their own feeds (URL name without _rss/_atom).
OWNER_FEEDS = {
    "articles:section": "articles:section_feed",
    "articles:tag": "articles:tag_feed",
    "articles:author": "articles:author_feed",
    "articles:place": "articles:place_feed",
}


@register.simple_tag(takes_context=True)
def feed_links(context):
    """Feed autodiscovery: All news on every page, and a listing's own feeds on its page."""
    feeds = [(f"{settings.NEWSROOM_NAME}: All news", "articles:feed", [])]
    match = getattr(context.get("request"), "resolver_match", None)
    owner, paginator = context.get("owner"), context.get("paginator")
    # Only a listing that shows stories announces its feeds: a tag that is on
    # no public story has none. The paginator has already counted them.
    if match and match.view_name in OWNER_FEEDS and owner and paginator and paginator.count:
        title = f"{settings.NEWSROOM_NAME}: {owner}"
        feeds.append((title, OWNER_FEEDS[match.view_name], (owner.slug,)))
    return _feed_links(tuple((title, name, tuple(args)) for title, name, args in feeds), get_script_prefix())


@functools.lru_cache(maxsize=1024)
def _feed_links(feeds, _prefix):
    """The <link> elements of ``feeds``: the same for every page announcing the same feeds."""
    return format_html_join(
        "\n",
        '<link rel="alternate" type="{}" title="{} ({})" href="{}">',
        (
            (mime, title, label, reverse(f"{name}_{kind}", args=args))
            for title, name, args in feeds
            for kind, mime, label in FEED_KINDS
        ),
    )


@register.inclusion_tag("includes/story_meta.html", takes_context=True)
def story_meta(context, article):
    """Canonical address, Open Graph and Twitter cards and JSON-LD for a live story's page."""
    request = context["request"]
    data = structured_data.news_article(article, request)
    image = data["image"][0]
    return {
        "site_name": settings.NEWSROOM_NAME,
        "url": data["url"],
        "headline": article.page_title,
        "description": data.get("description", ""),
        "image": image,
        "image_alt": article.lead_picture.alt_text if article.lead_picture else "",
        "published": data["datePublished"],
        "modified": data["dateModified"],
        "section": data.get("articleSection", ""),
        "tags": data.get("keywords", []),
        "json_ld": structured_data.json_ld(data),
    }


# What a listing page is called, by view name (a taxonomy page: its owner's name).
PAGE_LABELS = {
    "articles:index": lambda context: "All news",
    "articles:places": lambda context: "Datelines",
    "articles:corrections": lambda context: "Corrections",
    "articles:year": lambda context: format_date(context["year"], "Y"),
    "articles:month": lambda context: format_date(context["month"], "F Y"),
    "articles:day": lambda context: format_date(context["day"], "j F Y"),
    "articles:language": lambda context: f"News in {context['language_name']}",
}
# The query parameters that make a page of a listing a page of its own.
PAGE_PARAMETERS = ("page", "before")


@register.inclusion_tag("includes/page_meta.html", takes_context=True)
def page_meta(context):
    """Canonical address, description and Open Graph for a page that lists stories."""
    request = context["request"]
    owner = context.get("owner")
    match = request.resolver_match
    label = PAGE_LABELS.get(match.view_name if match else "")
    label = str(owner) if owner else (label(context) if label else "")
    kept = [(name, request.GET[name]) for name in PAGE_PARAMETERS if request.GET.get(name) not in (None, "", "1")]
    query = "&".join(f"{name}={value}" for name, value in kept)
    own = getattr(owner, "description", "") or getattr(owner, "bio", "")
    site = settings.NEWSROOM_NAME
    return {
        "url": request.build_absolute_uri(request.path) + (f"?{query}" if query else ""),
        "title": f"{label} · {site}" if label else site,
        "description": own or (f"{label}: the latest stories from {site}." if label else f"The latest stories from {site}."),
        "site_name": site,
        "image": structured_data.site_image("NEWSROOM_SOCIAL_IMAGE", request),
    }
