"""
``read(path)``: which format a file is in, decided by its content (the
name only breaks the tie for plain text), and its stories as WireItems,
finished the same way whatever the format: the dateline taken out of the
text, a guid for sources without one.
"""

import hashlib
import json
import re
from pathlib import Path
from xml.etree import ElementTree

from defusedxml import DefusedXmlException, EntitiesForbidden
from defusedxml import ElementTree as SafeElementTree
from django.utils.text import Truncator

from . import anpa, iptc7901, markup, newsml, newsml1, ninjs, nitf, pictures, plaintext, syndication
from .item import NothingToImport, WireError, clean, content_guid, place_dateline, split_dateline
from .item import without_continuation

_ANPA = re.compile(rb"\x16*\x01[a-z]\d{4}\x1f", re.IGNORECASE)
_CONTROL = set(range(32)) - {9, 10, 12, 13} | {127}
_POSITION = re.compile(r": line \d+, column \d+$")
_SURROGATE = re.compile("[\ud800-\udfff]")


def read(path):
    """The stories in the file at ``path``, all read before any is returned."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise WireError(f"cannot be read ({error.strerror})") from None
    return read_bytes(data, path.name, folder=path.parent)


def read_bytes(data, name="", folder=None):
    """
    The items in ``data``: stories and pictures. ``folder`` is where the
    data's file lies: pictures take their files from there, and only there.
    """
    try:
        items = _read(data, name)
    except RecursionError:  # a format's reader walking a tree Python cannot recurse through
        raise WireError("nested too deeply to read") from None
    for picture in _pictures(items):
        picture.folder = folder
    return items


def _pictures(items):
    for item in items:
        if isinstance(item, pictures.WirePicture):
            yield item
        else:
            yield from item.pictures


def _read(data, name):
    kind = sniff(data)
    if kind == "xml":
        items = _xml(data)
    elif kind == "json":
        items = ninjs.read(_json(data))
    elif kind == "anpa":
        items = anpa.read(data)
    elif kind == "iptc7901":
        items = iptc7901.read(data)
    else:
        items = plaintext.read(data, name)
    delivered = [item for item in items if isinstance(item, pictures.WirePicture)]
    stories = [item for item in items if not isinstance(item, pictures.WirePicture)]
    items = [_finish(item) for item in stories if _has_content(item)] + delivered
    if not items:
        raise NothingToImport("no headline or text in it")
    return items


def sniff(data):
    """ "xml", "json", "anpa", "iptc7901" or "text"; WireError for empty and binary files."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    head = data[:4096]
    if not data.strip():
        raise WireError("empty file")
    if _ANPA.match(head):
        return "anpa"
    if head.startswith(b"\x01"):
        return "iptc7901"
    if head.lstrip().startswith(b"<"):
        return "xml"
    if head.lstrip()[:1] in (b"{", b"["):
        return "json"
    if b"\x00" in head or sum(byte in _CONTROL for byte in head) > len(head) / 20:
        raise WireError("binary data, not wire copy in a known format")
    return "text"


def _xml(data):
    # defusedxml refuses entity declarations (billion laughs, quadratic
    # blow-up, external entities reading files or URLs) whatever the expat
    # version; a DOCTYPE's DTD is never fetched.
    try:
        root = SafeElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise WireError(_xml_problem(error, data)) from None
    except DefusedXmlException as error:
        raise WireError(_refused_xml(error)) from None
    name = markup.local(root.tag)
    if name == "nitf":
        return [nitf.read(root)]
    if name in syndication.ROOTS:
        return syndication.read(root)
    if name == "NewsML":
        return newsml1.read(root)
    return newsml.read(root)


def _refused_xml(error):
    if isinstance(error, EntitiesForbidden):
        where = f" pointing to {error.sysid}, not fetched" if error.sysid else ""
        return (
            f"XML declaring the entity '{error.name}'{where}: refused, as entities can "
            "read files or grow without end (wire copy needs none)"
        )
    return f"XML refused: {error}"


def _xml_problem(error, data):
    line, column = error.position
    reason = _POSITION.sub("", str(error))
    last_line = data.rstrip().count(b"\n") + 1
    if reason in ("no element found", "unclosed token") and line >= last_line:
        return f"truncated XML: it stops at line {line}, column {column + 1}, before its end"
    if reason == "unclosed token":  # expat names where the token it was reading began
        return (
            f"truncated XML: it stops at line {last_line}, before its end, inside the "
            f"element opened at line {line}, column {column + 1}"
        )
    return f"malformed XML at line {line}, column {column + 1}: {reason}"


def _json(data):
    try:
        return _without_surrogates(json.loads(data.decode("utf-8-sig")))
    except UnicodeDecodeError:
        raise WireError("JSON that is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        position = f"line {error.lineno}, column {error.colno}"
        reason = error.msg.removesuffix(" at")  # "Invalid control character at"
        raise WireError(f"invalid JSON at {position}: {reason}") from None
    except RecursionError:
        raise WireError("invalid JSON: nested too deeply") from None


def _without_surrogates(value):
    """JSON may escape half a character ("\\ud800"): it is dropped, as no text can hold it."""
    if isinstance(value, str):
        return _SURROGATE.sub("", value)
    if isinstance(value, list):
        return [_without_surrogates(part) for part in value]
    if isinstance(value, dict):
        return {_without_surrogates(key): _without_surrogates(part) for key, part in value.items()}
    return value


def _has_content(item):
    text = item.headline + item.standfirst + markup.plain_text(item.body) + item.located
    return item.dateline is not None or any(c.isalnum() for c in text)


def _finish(item):
    _take_dateline(item)
    if item.dateline is None and item.located:
        item.dateline = place_dateline(item.located)
    item.headline = without_continuation(clean(item.headline)) or _headline_from_text(item)
    item.standfirst = clean(item.standfirst)
    item.tags = _unique(clean(tag)[:100] for tag in item.tags)
    item.bylines = _unique(clean(name)[:150] for name in item.bylines)
    item.section = clean(item.section)[:100]
    guid = item.guid.strip()
    if len(guid) > 255:  # a URI longer than the field: its hash stands for it
        guid = "urn:newsroom:wire:" + hashlib.sha256(guid.encode()).hexdigest()[:32]
    item.guid = guid or content_guid(item)
    return item


def _take_dateline(item):
    """A dateline opening the text comes out of it; the source's own field wins."""
    if item.html:
        dateline, item.html, printed = markup.split_html_dateline(item.html)
    elif item.paragraphs:
        dateline, first, printed = split_dateline(item.paragraphs[0])
        item.paragraphs = ([first] if first.strip() else []) + item.paragraphs[1:]
    else:
        return
    if dateline is not None and item.dateline is None:
        item.dateline, item.dateline_text = dateline, printed


def _headline_from_text(item):
    """For items sent without one: the first sentence, else the dateline as printed."""
    text = item.standfirst or markup.plain_text(item.body)
    if text:
        return Truncator(re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]).chars(120)
    return item.dateline_text or (item.dateline.place if item.dateline else "")


def _unique(values):
    seen, result = set(), []
    for value in values:
        if value and value.lower() not in seen:
            seen.add(value.lower())
            result.append(value)
    return result
