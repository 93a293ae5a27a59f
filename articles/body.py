"""
What a story's body may hold beyond prose: tables, pull quotes and embeds
(a post, video, chart or map from an allow-listed provider).

The editor's extensions (BODY_EXTENSIONS in models/article.py, the scripts in
static/articles/body_editor.js) and the sanitiser come from the same lists
here, so what the editor can make is what every save lets through. An embed
is kept as inert markup naming its provider and original address:

    <figure class="embed" data-embed="youtube" data-url="https://…"><a href="https://…">https://…</a></figure>

rebuilt on every save from the address alone, which must match one of its
provider's patterns (else only a plain link is kept). Readers get a link
that static/articles/embeds.js turns into the provider's player when, and
only when, they click it; until then the page asks nothing of the provider.
"""

import html
import re
from typing import NamedTuple
from urllib.parse import urlsplit

from django.templatetags.static import static
from django.utils.functional import lazy
from django.utils.html import format_html
from django_prose_editor.config import add_allowed_classes, add_tags_and_attributes
from django_prose_editor.config import process_table as library_process_table


class Provider(NamedTuple):
    name: str  # as readers know it: "YouTube"
    kind: str  # what it shows: "video"
    patterns: tuple  # whole addresses accepted, each with an ``id`` group
    frame: str  # the player: {id} is the id, {url} the original address, encoded


# An address is matched whole; after its id it may carry a query, fragment or path.
_TAIL = r"""(?:[/?#&][^\s"'<>\\]*)?"""
_YOUTUBE_ID = r"(?P<id>[\w-]{11})"

PROVIDERS = {
    "youtube": Provider(
        "YouTube",
        "video",
        (
            r"https://(?:www\.|m\.)?youtube\.com/watch\?(?:[^#\s]*&)?v=" + _YOUTUBE_ID,
            r"https://(?:www\.|m\.)?youtube\.com/(?:shorts|embed|live)/" + _YOUTUBE_ID,
            r"https://youtu\.be/" + _YOUTUBE_ID,
        ),
        # YouTube's own cookie-less player.
        "https://www.youtube-nocookie.com/embed/{id}",
    ),
    "vimeo": Provider(
        "Vimeo",
        "video",
        (r"https://(?:www\.)?vimeo\.com/(?P<id>\d+)", r"https://player\.vimeo\.com/video/(?P<id>\d+)"),
        "https://player.vimeo.com/video/{id}?dnt=1",
    ),
    "x": Provider(
        "X",
        "post",
        (r"https://(?:www\.|mobile\.)?(?:x|twitter)\.com/\w{1,15}/status/(?P<id>\d+)",),
        "https://platform.twitter.com/embed/Tweet.html?id={id}&dnt=true",
    ),
    "instagram": Provider(
        "Instagram",
        "post",
        (r"https://(?:www\.)?instagram\.com/(?:p|reel|tv)/(?P<id>[\w-]+)",),
        "https://www.instagram.com/p/{id}/embed/",
    ),
    "facebook": Provider(
        "Facebook",
        "post",
        (r"https://(?:www\.)?facebook\.com/[\w.]+/posts/(?P<id>[\w]+)",),
        "https://www.facebook.com/plugins/post.php?href={url}",
    ),
    "tiktok": Provider(
        "TikTok",
        "video",
        (r"https://(?:www\.)?tiktok\.com/@[\w.]+/video/(?P<id>\d+)",),
        "https://www.tiktok.com/embed/v2/{id}",
    ),
    "datawrapper": Provider(
        "Datawrapper",
        "chart",
        (
            r"https://datawrapper\.dwcdn\.net/(?P<id>[A-Za-z0-9]{5}(?:/\d+)?)",
            r"https://www\.datawrapper\.de/_/(?P<id>[A-Za-z0-9]{5})",
        ),
        "https://datawrapper.dwcdn.net/{id}/",
    ),
    "flourish": Provider(
        "Flourish",
        "graphic",
        (r"https://public\.flourish\.studio/visualisation/(?P<id>\d+)",),
        "https://flo.uri.sh/visualisation/{id}/embed",
    ),
    "googlemaps": Provider(
        "Google Maps",
        "map",
        # The address in the code Google Maps gives under Share > Embed a map.
        (r"https://www\.google\.com/maps/embed\?pb=(?P<id>[\w!.~%:-]+)",),
        "https://www.google.com/maps/embed?pb={id}",
    ),
}
MAX_URL_LENGTH = 2000

_COMPILED = {
    name: [re.compile(pattern + _TAIL) for pattern in provider.patterns]
    for name, provider in PROVIDERS.items()
}


def find(url):
    """``(provider name, id)`` for an address an allow-listed provider's pattern matches whole, else None."""
    if not url or len(url) > MAX_URL_LENGTH:
        return None
    for name, patterns in _COMPILED.items():
        for pattern in patterns:
            if match := pattern.fullmatch(url):
                return name, match["id"]
    return None


def frame_sources(names):
    """The Content-Security-Policy sources of the players of ``names``' providers."""
    return sorted({"https://" + urlsplit(PROVIDERS[name].frame).netloc for name in names})


# The editor's side: its settings and what each extension lets through the sanitiser.


def editor_config():
    """The Embed extension's options: each provider's name and patterns, for the browser."""
    return {
        "providers": {
            name: {
                "label": f"{provider.name} {provider.kind}",
                "patterns": [
                    "^" + (pattern + _TAIL).replace("(?P<", "(?<") + "$"
                    for pattern in provider.patterns
                ],
            }
            for name, provider in PROVIDERS.items()
        }
    }


# Elements dropped with all they hold, not only their tags: a frame's or a
# script's text is no part of the story.
DROPPED_WITH_CONTENT = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "noscript",
    "template", "svg", "math", "noembed", "noframes", "xmp", "plaintext",
}  # fmt: skip
_SPAN = re.compile(r"[1-9][0-9]{0,2}")  # a table cell spans 1 to 999 rows or columns


def _filter_attribute(element, attribute, value):
    if attribute in ("colspan", "rowspan"):
        return value if _SPAN.fullmatch(value.strip()) else None
    return value


def process_table(config, shared_config):
    """The library's table (no style, no classes) with cell spans held to plain numbers."""
    library_process_table(config, shared_config)
    shared_config["attribute_filter"] = _filter_attribute


def process_pull_quote(config, shared_config):
    add_tags_and_attributes(shared_config, ["aside"], None)
    add_allowed_classes(shared_config, {"aside": ["pull-quote"]})


def process_embed(config, shared_config):
    add_tags_and_attributes(
        shared_config, ["figure", "a"], {"figure": ["data-embed", "data-url"], "a": ["href"]}
    )
    add_allowed_classes(shared_config, {"figure": ["embed"]})
    shared_config["clean_content_tags"] = DROPPED_WITH_CONTENT


def editor_extensions():
    """DJANGO_PROSE_EDITOR_EXTENSIONS: the body's own extensions, their script and sanitising."""
    return [
        {
            "js": [lazy(static, str)("articles/body_editor.js")],
            "extensions": {
                "Table": process_table,
                "PullQuote": process_pull_quote,
                "Embed": process_embed,
            },
        }
    ]


# After the sanitiser: embeds rebuilt from their address, and shown to readers.

# The sanitiser's output is regular: text never holds "<" or ">", attribute
# values are double-quoted with no ">" left in them.
_TAG = re.compile(r"<(/?)([a-z][a-z0-9]*)((?:\s[^>]*)?)>")
_ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')


def _embed_figures(markup):
    """``(start, end, attributes)`` of each outermost embed figure, whatever it nests."""
    depth = 0
    for match in _TAG.finditer(markup):
        closing, name, attributes = match.groups()
        if name != "figure":
            continue
        if depth:
            depth += -1 if closing else 1
            if not depth:
                yield start, match.end(), found
        elif not closing and 'class="embed"' in attributes:
            depth, start = 1, match.start()
            found = {k: html.unescape(v) for k, v in _ATTRIBUTE.findall(attributes)}


def _rewrite_embeds(markup, rewrite):
    if "<figure" not in markup:
        return markup
    out, position = [], 0
    for start, end, attributes in _embed_figures(markup):
        out += [markup[position:start], rewrite(attributes.get("data-url", ""))]
        position = end
    return "".join(out) + markup[position:]


def _plain_link(url):
    """An address no provider's pattern matches: a link if it is a web address, else nothing."""
    if url.startswith(("https://", "http://")) and len(url) <= MAX_URL_LENGTH:
        return format_html('<p><a href="{}">{}</a></p>', url, url)
    return ""


def _stored(url):
    if found := find(url):
        return format_html(
            '<figure class="embed" data-embed="{}" data-url="{}"><a href="{}">{}</a></figure>',
            found[0], url, url, url,
        )  # fmt: skip
    return _plain_link(url)


def _for_readers(url):
    if not (found := find(url)):
        return _plain_link(url)
    name, id = found
    provider = PROVIDERS[name]
    return format_html(
        '<figure class="embed" data-embed="{}" data-embed-id="{}">'
        '<a class="embed-load" href="{}">Show the {} {}</a>'
        "<figcaption>From {}, loaded only if you ask: <a href=\"{}\">open the original</a></figcaption>"
        "</figure>",
        name, id, url, provider.name, provider.kind, provider.name, url,
    )  # fmt: skip


# What is left of a class attribute none of whose names is allowed.
_EMPTY_CLASS = re.compile(r'(<[a-z][a-z0-9]*(?:\s[^>]*?)?) class=""')


def normalise(markup):
    """Sanitised markup with every embed rebuilt from its address (run on every save)."""
    return _rewrite_embeds(_EMPTY_CLASS.sub(r"\1", markup), _stored)


def for_readers(markup):
    """A stored body as its page shows it: each embed a placeholder that loads on a click."""
    return _rewrite_embeds(markup, _for_readers)


def has_embeds(markup):
    return '<figure class="embed"' in markup


_PLACEHOLDER = re.compile(rb'<figure class="embed" data-embed="([a-z]+)" data-embed-id=')


def embedded_providers(content):
    """The providers of the embeds a rendered page offers to load (``content`` in bytes)."""
    return {name.decode() for name in _PLACEHOLDER.findall(content)} & PROVIDERS.keys()
