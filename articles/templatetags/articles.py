import re
from functools import lru_cache
from urllib.parse import quote, urlencode

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.safestring import mark_safe

from .. import body, fragments
from ..models import Section
from ..media import body as body_pictures

register = template.Library()


@register.simple_tag
def section_links(sections):
    """The navigation's links to ``sections``: rendered once for each list of names and slugs."""
    return _section_links(tuple((section.name, section.slug) for section in sections), get_script_prefix())


@lru_cache(maxsize=64)
def _section_links(sections, _prefix):
    links = (format_html('<li><a href="{}">{}</a></li>', Section(slug=slug).get_absolute_url(), name)
             for name, slug in sections)  # fmt: skip
    return mark_safe("".join(links))


# Date pages' links to the days and months either side: (URL name, label's format, URL's parts).
DATE_LINKS = {
    "day": ("articles:day", "j F Y", lambda day: [f"{day.year:04d}", f"{day.month:02d}", f"{day.day:02d}"]),
    "month": ("articles:month", "F Y", lambda day: [f"{day.year:04d}", f"{day.month:02d}"]),
}
ARROWS = {"prev": '<a rel="prev" href="{}">&larr; {}</a>', "next": '<a rel="next" href="{}">{} &rarr;</a>'}


@register.simple_tag
def date_link(kind, day, rel):
    """A link to the page of ``day`` (its "day" or its "month"), as the previous or next ("prev", "next") page."""
    return _date_link(kind, day, rel, get_script_prefix(), get_language())


@lru_cache(maxsize=1024)
def _date_link(kind, day, rel, _prefix, _language):
    name, label, parts = DATE_LINKS[kind]
    return format_html(ARROWS[rel], reverse(name, args=parts(day)), date_format(day, label))


@register.simple_tag
def story_cards(stories):
    """Each story's card, rendered or from the cache (articles/fragments.py)."""
    return fragments.cards(stories)

_FIRST_PARAGRAPH = re.compile(r"^\s*<p>")


@register.simple_tag
def story_body(article, for_readers=False, absolute=None):
    """
    The body, opened by the rendered dateline: the dateline goes inside the
    first paragraph, as printed copy runs it into the lede. Library pictures
    are filled in (articles/media/body.py; ``absolute``: for feeds and the
    API). Feeds and the API keep embeds as links; the story's page
    (``for_readers``) shows them as placeholders that load on a click.
    """
    text = body_pictures.render(article, absolute)  # sanitised on save
    if for_readers:
        text = body.for_readers(text)
    dateline = article.dateline_text
    if not dateline:
        return mark_safe(text)
    opening = format_html('<span class="dateline">{}</span> ', dateline)
    if _FIRST_PARAGRAPH.match(text):
        return mark_safe(_FIRST_PARAGRAPH.sub(lambda m: m.group(0) + opening, text, count=1))
    return mark_safe(format_html("<p>{}</p>", opening) + text)


# Share links: plain addresses built here, so a story's page loads nothing
# from the networks (no script, no button images, no request until a
# reader follows one). Each: (name, address before the query, its query).
SHARE = [
    ("Email", "mailto:", lambda url, title: {"subject": title, "body": url}),
    ("X", "https://x.com/intent/tweet", lambda url, title: {"url": url, "text": title}),
    ("Facebook", "https://www.facebook.com/sharer/sharer.php", lambda url, title: {"u": url}),
    ("LinkedIn", "https://www.linkedin.com/sharing/share-offsite/", lambda url, title: {"url": url}),
    ("Telegram", "https://t.me/share/url", lambda url, title: {"url": url, "text": title}),
    ("WhatsApp", "https://wa.me/", lambda url, title: {"text": f"{title} {url}"}),
]


@register.inclusion_tag("includes/share_links.html", takes_context=True)
def share_links(context, article):
    """Links that share a live story by e-mail and on social networks."""
    url = context["request"].build_absolute_uri(article.get_absolute_url())
    links = [
        (name, f"{address}?{urlencode(query(url, article.page_title), quote_via=quote)}")
        for name, address, query in SHARE
    ]
    return {"links": links}
