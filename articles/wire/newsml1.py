"""
NewsML 1.2, which some agencies and archives still send: each <NewsItem>
of a <NewsML> document, its NewsLines (HeadLine, SubHeadLine, DateLine,
ByLine, SlugLine) and the text of its components (inline NITF, XHTML or
plain text; style sheets, logos, contacts and pictures are not story
text). An item is known by its PublicIdentifier without the revision, and
the RevisionId is its version, so a revision updates its story.
"""

from . import markup, nitf
from .item import NothingToImport, WireError, WireItem, clean, dateline_from, parse_time
from .item import parse_urgency, parse_version, split_byline
from .markup import attr, child, children, local, text_of

WITHHELD = {"withheld", "canceled", "cancelled"}
NOT_TEXT = {"stylesheet", "logo", "contact", "caption", "photo", "picture", "graphic", "video"}
TEXT_FORMATS = ("nitf", "xhtml", "html", "text", "plain")


def read(root):
    """The stories in a NewsML 1.x document (root element <NewsML>)."""
    items, skipped = [], ""
    for element in children(root, "NewsItem"):
        status = attr(child(element, "NewsManagement", "Status"), "FormalName").lower()
        if status in WITHHELD:
            skipped = f"a NewsML item whose status is {status}"
            continue
        item = _item(element)
        if item.html or item.paragraphs:
            items.append(item)
        else:
            skipped = skipped or "a NewsML item with no text: a picture, video or package"
    if not items:
        raise NothingToImport(skipped or "a NewsML document with no items")
    return items


def _item(element):
    item = WireItem(format="NewsML 1.2")
    identifier = child(element, "Identification", "NewsIdentifier")
    if identifier is None:
        raise WireError("NewsML item without the NewsIdentifier every item must have")
    item.guid, item.version = _identity(identifier)
    management = child(element, "NewsManagement")
    item.first_created = parse_time(text_of(child(management, "FirstCreated")))
    item.version_created = parse_time(text_of(child(management, "ThisRevisionCreated")))
    item.urgency = parse_urgency(attr(child(management, "Urgency"), "FormalName"))
    components = _components(child(element, "NewsComponent"))
    for component in components:
        _lines(item, child(component, "NewsLines"))
        _metadata(item, component)
    for component in components:
        if _is_text(component):
            _text(item, component)
    return item


def _identity(identifier):
    """(guid, version): urn:newsml:Provider:DateId:ItemId without its revision, and the revision."""
    parts = [text_of(child(identifier, name)) for name in ("ProviderId", "DateId", "NewsItemId")]
    revision = parse_version(text_of(child(identifier, "RevisionId")))
    public = text_of(child(identifier, "PublicIdentifier"))
    if all(parts):
        return "urn:newsml:" + ":".join(parts), revision
    return public, revision


def _components(top):
    """The item's NewsComponents, outermost first (a stack: they may nest deeply)."""
    found, stack = [], [top] if top is not None else []
    while stack:
        component = stack.pop()
        found.append(component)
        stack.extend(reversed(children(component, "NewsComponent")))
    return found


def _lines(item, lines):
    if lines is None:
        return
    item.headline = item.headline or text_of(child(lines, "HeadLine"))
    item.standfirst = item.standfirst or text_of(child(lines, "SubHeadLine"))
    item.slugline = item.slugline or text_of(child(lines, "SlugLine"))
    byline = text_of(child(lines, "ByLine"))
    if byline and not item.bylines:
        item.bylines = split_byline(byline)
    dateline = text_of(child(lines, "DateLine"))
    if dateline and item.dateline is None:
        item.dateline, item.dateline_text = dateline_from(dateline)


def _metadata(item, component):
    descriptive = child(component, "DescriptiveMetadata")
    for prop in children(descriptive, "Property"):
        if attr(prop, "FormalName") == "Keyword" and not attr(prop, "Role"):
            item.tags.append(clean(attr(prop, "Value")))
    location = child(descriptive, "Location")
    if location is not None and not item.located:
        values = {attr(p, "FormalName"): attr(p, "Value") for p in children(location, "Property")}
        item.located = values.get("City", "")
    creators = child(component, "AdministrativeMetadata", "Creator")
    for party in children(creators, "Party"):
        if not item.bylines:
            item.bylines = split_byline(attr(party, "FormalName"))


def _is_text(component):
    role = attr(child(component, "Role"), "FormalName").lower()
    return role not in NOT_TEXT and role != "headline"


def _text(item, component):
    """The text of the component's own ContentItems: NITF, XHTML or plain text."""
    for content in children(component, "ContentItem"):
        kind = " ".join(
            attr(child(content, name), "FormalName").lower()
            for name in ("MediaType", "Format", "MimeType")
        )
        data = child(content, "DataContent")
        if data is None or "css" in kind or not any(word in kind for word in TEXT_FORMATS):
            continue
        roots = list(data)
        if roots and local(roots[0].tag) == "nitf":
            _from_nitf(item, roots[0])
        elif roots:
            body = next((e for r in roots for e in r.iter() if local(e.tag) == "body"), roots[0])
            item.html += markup.from_elements([body])
        elif (data.text or "").strip():
            item.paragraphs += [clean(p) for p in data.text.split("\n\n") if p.strip()]


def _from_nitf(item, root):
    found = WireItem()
    nitf.fill_from_body(found, child(root, "body"))
    item.html += found.html
    for name in ("headline", "standfirst", "bylines", "dateline", "dateline_text"):
        if not getattr(item, name) and getattr(found, name):
            setattr(item, name, getattr(found, name))

