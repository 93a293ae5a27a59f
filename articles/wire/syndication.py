"""
Atom and RSS (2.0, and 1.0's RDF) feeds that carry their stories' full
text, as agencies and papers offer them: each entry becomes a story. The
entry's id (RSS's guid, else its link) is its guid, and Atom's ``updated``
its version time, so a story the feed changes is updated, not repeated.
"""

import email.utils

from django.utils.html import escape

from . import markup
from .item import NothingToImport, WireItem, clean, parse_time, split_byline
from .markup import attr, child, children, local, text_of

ROOTS = {"feed", "rss", "RDF"}


def read(root):
    """The stories in a parsed feed (root element <feed>, <rss> or <rdf:RDF>)."""
    name = local(root.tag)
    if name == "feed":
        items = [_atom(entry) for entry in children(root, "entry")]
        language = attr(root, "lang")  # xml:lang, which an entry's own overrides
    else:
        channel = child(root, "channel") if name == "rss" else root
        items = [_rss(entry, name) for entry in children(channel, "item")]
        language = text_of(child(channel, "language"))
    for item in items:
        item.language = item.language or language
    items = [item for item in items if item.html]
    if not items:
        raise NothingToImport("a feed with no entries that carry their text")
    return items


def _atom(entry):
    item = WireItem(format="Atom", guid=text_of(child(entry, "id")))
    item.headline = _text(child(entry, "title"))
    content, summary = child(entry, "content"), child(entry, "summary")
    item.html = _html(content if _has_text(content) else summary)
    if _has_text(content):
        item.standfirst = _text(summary)
    item.bylines = [n for a in children(entry, "author") for n in split_byline(text_of(child(a, "name")))]
    item.tags = [attr(c, "label") or attr(c, "term") for c in children(entry, "category")]
    item.first_created = parse_time(text_of(child(entry, "published")))
    item.version_created = parse_time(text_of(child(entry, "updated")))
    item.language = attr(entry, "lang")
    return item


def _rss(entry, root_name):
    guid = text_of(child(entry, "guid")) or text_of(child(entry, "link")) or attr(entry, "about")
    item = WireItem(format="RSS 2.0" if root_name == "rss" else "RSS 1.0", guid=guid)
    item.headline = markup.plain_text(text_of(child(entry, "title")))
    encoded = child(entry, "encoded")  # content:encoded, the full text beside a summary
    description = child(entry, "description")
    item.html = markup.from_html(_raw(encoded) if _has_text(encoded) else _raw(description))
    if _has_text(encoded):
        item.standfirst = markup.plain_text(_raw(description))
    creators = [text_of(e) for e in entry if local(e.tag) in ("creator", "author")]
    item.bylines = [name for creator in creators for name in split_byline(_without_email(creator))]
    item.tags = [text_of(c) for c in children(entry, "category") + children(entry, "subject")]
    item.language = text_of(child(entry, "language"))  # dc:language
    item.first_created = _rfc822(text_of(child(entry, "pubDate"))) or parse_time(
        text_of(child(entry, "date"))
    )
    return item


def _has_text(element):
    return element is not None and bool(_raw(element).strip())


def _raw(element):
    """An element's content as markup: escaped HTML is text to the XML parser; XHTML is elements."""
    if element is None:
        return ""
    if len(element):
        return markup.from_elements(list(element))
    return element.text or ""


def _html(element):
    """An Atom text construct (type text, html or xhtml) as the body's HTML."""
    if element is None:
        return ""
    if attr(element, "type") == "text":
        paragraphs = [clean(p) for p in (element.text or "").split("\n\n") if p.strip()]
        return "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return markup.from_html(_raw(element))


def _text(element):
    """An Atom text construct as plain text."""
    if element is None:
        return ""
    return clean(markup.plain_text(_raw(element)) if attr(element, "type") != "text" else element.text)


def _without_email(creator):
    """RSS's <author> is "name@example.com (Jane Doe)": the name alone."""
    if "(" in creator and "@" in creator:
        return creator.partition("(")[2].rstrip(") ")
    return "" if "@" in creator else creator


def _rfc822(value):
    """RSS's dates, "Thu, 14 Sep 2017 09:00:00 +0300", as an aware datetime (UTC if no zone)."""
    try:
        moment = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return moment if moment.tzinfo else parse_time(moment.isoformat())
