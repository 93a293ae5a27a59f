import re

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .. import fragments

register = template.Library()


@register.simple_tag
def story_cards(stories):
    """Each story's card, rendered or from the cache (articles/fragments.py)."""
    return fragments.cards(stories)

_FIRST_PARAGRAPH = re.compile(r"^\s*<p>")


@register.simple_tag
def story_body(article):
    """
    The body, opened by the rendered dateline: the dateline goes inside the
    first paragraph, as printed copy runs it into the lede.
    """
    body = article.body  # sanitised on save
    dateline = article.dateline_text
    if not dateline:
        return mark_safe(body)
    opening = format_html('<span class="dateline">{}</span> ', dateline)
    if _FIRST_PARAGRAPH.match(body):
        return mark_safe(_FIRST_PARAGRAPH.sub(lambda m: m.group(0) + opening, body, count=1))
    return mark_safe(format_html("<p>{}</p>", opening) + body)
