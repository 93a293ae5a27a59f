"""
NITF (News Industry Text Format): a whole NITF document, or the NITF body
that a NewsML-G2 item carries inline.
"""

import dataclasses

from . import markup
from .item import WireItem, clean, dateline_from, parse_time, parse_urgency, parse_version
from .item import set_embargo, split_byline
from .markup import attr, child, children, text_of


def read(root):
    """A NITF document (root element <nitf>) as one WireItem."""
    head, docdata = child(root, "head"), child(root, "head", "docdata")
    item = WireItem(format="NITF", language=attr(root, "lang"))  # xml:lang
    fill_from_body(item, child(root, "body"))
    item.headline = item.headline or text_of(child(head, "title"))
    item.guid = attr(child(docdata, "doc-id"), "id-string")
    item.version = parse_version(attr(child(docdata, "du-key"), "version"))
    item.urgency = parse_urgency(attr(child(docdata, "urgency"), "ed-urg"))
    item.first_created = parse_time(attr(child(docdata, "date.issue"), "norm"))
    set_embargo(item, attr(child(docdata, "date.release"), "norm"))
    item.slugline = attr(child(docdata, "du-key"), "key")
    keywords = children(child(docdata, "key-list"), "keyword") if docdata is not None else []
    # Some agencies repeat the slug as a keyword: a slug is not a tag.
    item.tags = [attr(k, "key") for k in keywords if attr(k, "key") != item.slugline]
    subjects = [] if head is None else head.iter()
    item.tags += [
        attr(s, "tobject.subject.matter") or attr(s, "tobject.subject.type")
        for s in subjects
        if markup.local(s.tag) == "tobject.subject"
    ]
    return item


def fill_from_body(item, body):
    """Headline, standfirst, byline, dateline and text from NITF's <body>."""
    if body is None:
        return
    head = child(body, "body.head")
    item.headline = text_of(child(head, "hedline", "hl1"))
    item.standfirst = text_of(child(head, "abstract")) or text_of(child(head, "hedline", "hl2"))
    byline = child(head, "byline")
    if byline is not None:
        item.bylines = split_byline(_without(byline, "byttl"))
    dateline = child(head, "dateline")
    if dateline is not None:
        item.dateline, item.dateline_text = _dateline(dateline)
    content = child(body, "body.content")
    item.html = markup.from_elements([content]) if content is not None else ""


def _without(element, name):
    """The element's text leaving out its children called ``name`` (a byline's title)."""
    parts = [element.text or ""]
    for part in element:
        if markup.local(part.tag) != name:
            parts.append(text_of(part))
        parts.append(part.tail or "")
    return clean("".join(parts))


def _dateline(element):
    """<dateline>MOSCOW, Monday</dateline>, or with <location> and <story.date> marked up."""
    location = child(element, "location")
    if location is None:
        return dateline_from(text_of(element))
    dateline, printed = dateline_from(text_of(location))
    date_text = text_of(child(element, "story.date"))
    if dateline is not None and date_text:
        dateline = dataclasses.replace(dateline, date_text=date_text)
    return dateline, text_of(element)
