"""
IPTC NewsML-G2: a text newsItem, the newsItems of a newsMessage, or a
contentMeta block on its own (as the standard's guidelines quote them).
Packages only point at items sent separately, and pictures, videos,
concepts, events and planning items are not stories: those files are
reported as having nothing to import.
"""

from . import markup, nitf, pictures
from .item import NothingToImport, WireError, WireItem, clean, dateline_from, parse_time
from .item import parse_urgency, parse_version, set_embargo, split_byline
from .markup import attr, child, children, local, text_of

NOT_STORIES = {
    "packageItem": "a package: it only points to items sent separately",
    "conceptItem": "a concept item, not a story",
    "knowledgeItem": "a knowledge item, not a story",
    "planningItem": "a planning item, not a story",
    "catalogItem": "a catalog, not a story",
    "catalog": "a catalog, not a story",
    "groupSet": "part of a package, not a story",
    "itemSet": "part of a news message with no items in it",
}
ORGANISATIONS = ("cpnat:organisation", "cpnat:organization")
CANCELLED = ("stat:canceled", "stat:cancelled", "stat:withheld")


def read(root):
    """The text items in a NewsML-G2 document."""
    name = local(root.tag)
    if name == "contentMeta":
        return [_item(None, root, None)]
    if name in NOT_STORIES:
        raise NothingToImport(NOT_STORIES[name])
    if name == "newsMessage":
        item_set = child(root, "itemSet")
        elements = children(item_set, "newsItem") if item_set is not None else []
    elif name == "newsItem":
        elements = [root]
    else:
        raise WireError(f"XML, but not NewsML-G2, NITF, Atom or RSS (its root element is <{name}>)")
    items, skipped = [], []
    for element in elements:
        meta, item_meta = child(element, "contentMeta"), child(element, "itemMeta")
        reason = _not_a_story(element)
        if _kind(element) in pictures.PICTURE_TYPES and not _cancelled(element):
            items.append(pictures.from_newsml(element, item_meta, meta))
        elif reason:
            skipped.append(reason)
        else:
            items.append(_item(element, meta, item_meta))
    items = [item for item in items if isinstance(item, pictures.WirePicture) or _has_content(item)]
    if not items:
        raise NothingToImport(skipped[0] if skipped else "no story in it: its items are empty")
    return items


def _kind(element):
    """The item's class: "text", "picture", "video", "graphic", ... ("" when it says none)."""
    item_class = child(child(element, "itemMeta"), "itemClass")
    kind = attr(item_class, "qcode") or attr(item_class, "uri")
    return kind.rstrip("/").rsplit(":", 1)[-1].rsplit("/", 1)[-1]


def _not_a_story(element):
    kind = _kind(element)
    if kind and kind not in ("text", "composite"):
        return f"a {kind} item, not a story"
    return _cancelled(element)


def _cancelled(element):
    if attr(child(child(element, "itemMeta"), "pubStatus"), "qcode") in CANCELLED:
        return "cancelled by the agency (withdraw the story by hand if it was published)"
    return ""


def _has_content(item):
    return any(c.isalnum() for c in item.headline + markup.plain_text(item.body))


def _item(element, meta, item_meta):
    item = WireItem(format="NewsML-G2")
    if element is not None:
        item.guid = attr(element, "guid")
        item.language = attr(element, "lang")  # xml:lang; contentMeta's <language> wins
        item.version = parse_version(attr(element, "version"))
    _content(item, child(element, "contentSet") if element is not None else None)
    _meta(item, meta)
    if item_meta is not None:
        item.version_created = parse_time(text_of(child(item_meta, "versionCreated")))
        item.first_created = parse_time(text_of(child(item_meta, "firstCreated")))
        set_embargo(item, text_of(child(item_meta, "embargoed")))
    item.first_created = item.first_created or parse_time(text_of(child(meta, "contentCreated")))
    return item


def _meta(item, meta):
    """What contentMeta says; it wins over what the inline NITF says."""
    if meta is None:
        return
    item.headline = _headline(meta) or item.headline
    item.standfirst = _description(meta) or item.standfirst
    item.urgency = parse_urgency(text_of(child(meta, "urgency")))
    item.slugline = text_of(child(meta, "slugline"))
    item.bylines = _bylines(meta) or item.bylines
    item.tags = _subjects(meta) + [text_of(k) for k in children(meta, "keyword")]
    dateline = child(meta, "dateline")
    if dateline is not None and text_of(dateline):
        item.dateline, item.dateline_text = dateline_from(text_of(dateline))
    item.located = text_of(child(child(meta, "located"), "name"))
    item.alt_ids = [text_of(alt) for alt in children(meta, "altId") if text_of(alt)]
    item.language = attr(child(meta, "language"), "tag") or item.language


def _headline(meta):
    headlines = children(meta, "headline")
    main = [h for h in headlines if attr(h, "role").split(":")[-1] in ("", "main", "headline")]
    return text_of((main or headlines or [None])[0])


def _description(meta):
    descriptions = [d for d in children(meta, "description") if "caption" not in attr(d, "role")]
    summaries = [d for d in descriptions if attr(d, "role").split(":")[-1] in ("summary", "")]
    return text_of((summaries or descriptions or [None])[0])


def _bylines(meta):
    by = text_of(child(meta, "by"))
    if by:
        return split_byline(by)
    names = []
    for creator in children(meta, "creator"):
        organisation = attr(creator, "type") in ORGANISATIONS
        if organisation or attr(creator, "qcode").startswith(("web:", "nprov:")):
            continue
        names += split_byline(text_of(child(creator, "name")))
    return names


def _subjects(meta):
    """Subject names: the subject's own name, or its main concept's (facets)."""
    names = []
    for subject in children(meta, "subject"):
        concept = child(subject, "mainConcept")
        name = _name(subject) or (_name(concept) if concept is not None else "")
        if name:
            names.append(name)
    return names


def _name(concept):
    names = children(concept, "name")
    plain = [n for n in names if attr(n, "lang") in ("", "en", "en-GB", "en-US")]
    return text_of((plain or names or [None])[0])


def _content(item, content_set):
    """The body: inline NITF or XHTML, else plain text in inlineData."""
    if content_set is None:
        return
    for inline in children(content_set, "inlineXML"):
        kind = attr(inline, "contenttype")
        roots = list(inline)
        if roots and local(roots[0].tag) == "nitf":
            nitf.fill_from_body(item, child(roots[0], "body"))
            return
        if not kind or "html" in kind or "nitf" in kind:
            body = next((e for r in roots for e in r.iter() if local(e.tag) == "body"), None)
            item.html = markup.from_elements([body] if body is not None else _blocks(roots))
            if item.html:
                return
    for inline in children(content_set, "inlineData"):
        if attr(inline, "contenttype") in ("", "text/plain"):
            item.paragraphs = [clean(p) for p in (inline.text or "").split("\n\n") if p.strip()]
            return


def _blocks(roots):
    # XHTML without <html>: paragraphs straight in inlineXML. Anything else
    # (SportsML's statistics, say) is not story text.
    return [r for r in roots if local(r.tag).lower() in {*markup.BLOCKS, "div", "section"}]
