"""
IPTC ninjs, versions 1.x to 3.x, one item per file (or a JSON array of them).

The versions differ in shape more than in meaning: 1.x has ``headline``,
``byline``, ``body_text``/``body_html`` and ``description_*``; 2.x lists
``headlines``, ``bodies`` and ``descriptions`` and says ``by``; 3.x writes
the same in camelCase (``versionCreated``, ``embargoedUntil``). Keys are
read case-blind, so one reader serves all three. Each item must have what
every ninjs schema requires (a ``uri``) and, where present, the fields read
here must have the types the schemas give them.
"""

import re

from . import markup, pictures
from .item import NothingToImport, WireError, WireItem, clean, parse_time, parse_urgency
from .item import parse_version, set_embargo, split_byline

STORY_TYPES = {"", "text", "composite"}
WITHHELD = {"canceled", "cancelled", "withheld"}
TEXT_FIELDS = {
    "headline", "byline", "by", "located", "type", "slugline", "pubstatus", "language",
    "versioncreated", "firstcreated", "contentcreated", "embargoed", "embargoeduntil",
}  # fmt: skip
TEXT_PREFIXES = ("body_", "description_", "headline_")
LIST_FIELDS = {"headlines", "bodies", "descriptions", "subjects", "subject", "keywords"}
NINJS_FIELDS = TEXT_FIELDS | LIST_FIELDS | {"uri", "version", "urgency", "renditions"}
CAMEL_CASE = {"versionCreated", "firstCreated", "contentCreated", "pubStatus", "embargoedUntil"}
CAMEL_CASE |= {"copyrightHolder", "copyrightNotice", "altIds", "edNote", "usageTerms"}
VERSION_2 = {"headlines", "bodies", "descriptions", "by", "subjects", "people", "places"}
_HTML = re.compile(r"<(?:p|div|section|br|h[1-6]|ul|ol|li|blockquote|span|strong|em|b|i|a)\b", re.I)


def read(data):
    """The stories in parsed ninjs JSON (an object, or an array of objects)."""
    objects = data if isinstance(data, list) else [data]
    for number, obj in enumerate(objects, 1):
        where = f"item {number}: " if isinstance(data, list) else ""
        problem = _problem(obj)
        if problem:
            raise WireError(where + problem)
    items = [_item(obj) for obj in objects if _is_story(obj)]
    items += [pictures.from_ninjs(_fields(obj)) for obj in objects if _is_picture(obj)]
    if not items:
        kind = str(_fields(objects[0]).get("type", "")) if objects else ""
        raise NothingToImport(f'a ninjs item of type "{kind}", not a story' if kind else "no items")
    return items


def _fields(obj):
    """The object's fields, keys in lower case; a null is taken as the field left out."""
    return {key.lower(): value for key, value in obj.items() if value is not None}


def _problem(obj):
    """What makes ``obj`` not a ninjs item, or ''."""
    if not isinstance(obj, dict):
        return f"JSON, but not ninjs: a ninjs item is an object, not {_kind(obj)}"
    fields = _fields(obj)
    if "uri" not in fields:
        if not set(fields) & NINJS_FIELDS and not any(k.startswith(TEXT_PREFIXES) for k in fields):
            return 'JSON, but not ninjs: it has no "uri", headline or body'
        return 'ninjs item without "uri", which every ninjs schema requires'
    if not isinstance(fields["uri"], str) or not fields["uri"].strip():
        return 'ninjs "uri" must be a non-empty string'
    for key, value in fields.items():
        if (key in TEXT_FIELDS or key.startswith(TEXT_PREFIXES)) and not isinstance(value, str):
            return f'ninjs "{key}" must be a string, not {_kind(value)}'
        if key in LIST_FIELDS and not isinstance(value, list):
            return f'ninjs "{key}" must be an array, not {_kind(value)}'
    if "urgency" in fields and parse_urgency(fields["urgency"]) is None:
        return 'ninjs "urgency" must be a whole number from 1 to 9'
    return ""


def _kind(value):
    names = {dict: "an object", list: "an array", str: "a string", bool: "true or false"}
    if value is None:
        return "null"
    return names.get(type(value), "a number")


def _is_picture(obj):
    fields = _fields(obj)
    return fields.get("type", "") in pictures.PICTURE_TYPES and fields.get("pubstatus", "") not in WITHHELD


def _associated_pictures(fields):
    """The pictures a story carries: ninjs 1.x/2.x name them in an object, 3.x list them."""
    found = fields.get("associations") or []
    found = list(found.values()) if isinstance(found, dict) else found
    return [
        pictures.from_ninjs(_fields(picture))
        for picture in found
        if isinstance(picture, dict) and _is_picture(picture) and picture.get("uri")
    ]


def _is_story(obj):
    fields = _fields(obj)
    return fields.get("type", "") in STORY_TYPES and fields.get("pubstatus", "") not in WITHHELD


def _item(obj):
    fields = _fields(obj)
    item = WireItem(format=_version(obj), guid=fields["uri"].strip())
    item.version = parse_version(fields.get("version"))
    item.headline = _headline(fields)
    item.standfirst = _description(fields)
    text, is_html = _body(fields)
    if is_html:
        item.html = markup.from_html(text)
    else:
        item.paragraphs = _paragraphs(text)
    item.bylines = split_byline(fields.get("byline") or fields.get("by") or "")
    item.tags = _tags(fields)
    item.urgency = parse_urgency(fields.get("urgency"))
    set_embargo(item, fields.get("embargoed") or fields.get("embargoeduntil"))
    item.first_created = parse_time(fields.get("firstcreated") or fields.get("contentcreated"))
    item.version_created = parse_time(fields.get("versioncreated"))
    item.located = clean(fields.get("located", ""))
    item.slugline = clean(fields.get("slugline", ""))
    item.alt_ids = _alt_ids(fields.get("altids"))
    item.pictures = _associated_pictures(fields)
    item.language = clean(fields.get("language") or "")
    return item


def _alt_ids(value):
    """1.x: {"role": "id", ...}; 2.x and 3.x: [{"role": ..., "value": "id"}, ...]."""
    if isinstance(value, dict):
        values = list(value.values())
    elif isinstance(value, list):
        values = [entry.get("value") for entry in value if isinstance(entry, dict)]
    else:
        values = []
    return [v.strip() for v in values if isinstance(v, str) and v.strip()]


def _version(obj):
    standard = obj.get("standard") or obj.get("$standard")
    if isinstance(standard, dict) and str(standard.get("version", ""))[:1].isdigit():
        return f"ninjs {str(standard['version'])[0]}"
    if set(obj) & CAMEL_CASE:
        return "ninjs 3"
    return "ninjs 2" if set(obj) & VERSION_2 else "ninjs 1"


def _entries(fields, name):
    """The {role, contenttype, value} entries of a 2.x/3.x list, keys made lower case."""
    entries = [_fields(e) for e in fields.get(name, []) if isinstance(e, dict)]
    return [e for e in entries if isinstance(e.get("value"), str) and e["value"].strip()]


def _prefixed(fields, prefix):
    """1.x's headline_main, body_text, description_richtext...: [(suffix, value)]."""
    return [(k[len(prefix) :], v) for k, v in fields.items() if k.startswith(prefix) and v.strip()]


def _headline(fields):
    if fields.get("headline", "").strip():
        return clean(fields["headline"])
    entries = _entries(fields, "headlines")
    main = [e for e in entries if e.get("role", "main") == "main"]
    if main or entries:
        return clean((main or entries)[0]["value"])
    prefixed = sorted(_prefixed(fields, "headline_"), key=lambda kv: kv[0] != "main")
    return clean(prefixed[0][1]) if prefixed else ""


def _description(fields):
    entries = [(e.get("contenttype", ""), e["value"]) for e in _entries(fields, "descriptions")]
    entries += _prefixed(fields, "description_")
    entries.sort(key=lambda kv: _is_html(*kv))  # plain text first
    return markup.plain_text(entries[0][1]) if entries else ""


def _body(fields):
    """The richest body: (value, is_html), HTML preferred over plain text."""
    entries = [(e.get("contenttype", ""), e["value"]) for e in _entries(fields, "bodies")]
    entries += _prefixed(fields, "body_")
    if not entries:
        return "", False
    entries.sort(key=lambda kv: not _is_html(*kv))
    kind, value = entries[0]
    return value, _is_html(kind, value)


def _is_html(kind, value):
    kind = kind.lower()
    if "html" in kind or kind in ("richtext", "xhtml"):
        return True
    if kind in ("text", "text/plain"):
        return False
    return bool(_HTML.search(value))


def _paragraphs(text):
    separator = "\n\n" if "\n\n" in text.replace("\r\n", "\n") else "\n"
    return [clean(p) for p in text.replace("\r\n", "\n").split(separator) if p.strip()]


def _tags(fields):
    subjects = fields.get("subjects") or fields.get("subject") or []
    names = [s.get("name") for s in subjects if isinstance(s, dict)]
    names += [k for k in fields.get("keywords", []) if isinstance(k, str)]
    return [clean(name) for name in names if isinstance(name, str) and name.strip()]
