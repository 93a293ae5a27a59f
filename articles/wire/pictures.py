"""
Pictures from the wire: NewsML-G2 and ninjs picture items, and the pictures
a ninjs story carries in its ``associations``, into the picture library
(articles/media/) with their caption, credit, photographer, rights and
usage terms, known by their id so that a new version updates them.

The file is taken only when it is delivered with the item: a rendition
whose address is a file beside the item's own (``./GYI0062134533.jpg``,
``file:///./photo.jpg``), never a file elsewhere on the machine and never
a download. A picture whose file is not there is skipped, and says why.
"""

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.files import File
from django.db import transaction

from .. import media
from ..models import Picture
from .markup import attr, child, children, text_of

PICTURE_TYPES = {"picture", "graphic"}


@dataclass
class WirePicture:
    guid: str
    caption: str = ""
    headline: str = ""
    credit: str = ""
    byline: str = ""
    copyright_notice: str = ""
    usage_terms: str = ""
    source: str = ""
    renditions: list = field(default_factory=list)  # (address, width), as the item lists them
    format: str = ""
    folder: Path | None = None  # where the item's file lies: its pictures' files are beside it

    @property
    def alt_text(self):
        return self.headline or self.caption[:300]

    @property
    def title(self):
        """What a report calls it."""
        return self.headline or self.caption[:80] or self.guid

    def fingerprint(self):
        """A short hash of what an import writes: same picture, same fingerprint."""
        content = [self.caption, self.headline, self.credit, self.byline, self.copyright_notice,
                   self.usage_terms, [address for address, _ in self.renditions]]  # fmt: skip
        return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()[:12]

    def local_file(self):
        """The largest rendition delivered beside the item, or None."""
        if self.folder is None:
            return None
        for address, _width in sorted(self.renditions, key=lambda r: -(r[1] or 0)):
            path = beside(self.folder, address)
            if path is not None:
                return path
        return None


def beside(folder, address):
    """The file ``address`` names if it is one in ``folder`` (or below), else None."""
    parts = urlsplit(address.strip())
    if parts.scheme not in ("", "file") or (parts.scheme == "file" and parts.netloc):
        return None
    relative = unquote(parts.path).strip()
    relative = relative.removeprefix("/") if relative.startswith("/./") else relative
    if not relative or Path(relative).is_absolute():
        return None
    root = Path(folder).resolve()
    path = root / relative
    if path.is_symlink() or not path.is_file():
        return None
    return path if path.resolve().is_relative_to(root) else None


# Reading


def from_newsml(element, item_meta, meta):
    """A NewsML-G2 picture newsItem."""
    rights = child(element, "rightsInfo")
    creators = [text_of(child(c, "name")) for c in children(meta, "creator")]
    captions = [d for d in children(meta, "description") if "caption" in attr(d, "role")]
    provider = text_of(child(child(item_meta, "provider"), "name"))
    return WirePicture(
        guid=attr(element, "guid"),
        format="NewsML-G2",
        headline=text_of(child(meta, "headline")),
        caption=text_of((captions or children(meta, "description") or [None])[0]),
        credit=text_of(child(meta, "creditline")) or provider,
        byline=", ".join(name for name in creators if name),
        copyright_notice=text_of(child(rights, "copyrightNotice")),
        usage_terms=text_of(child(rights, "usageTerms")),
        source=provider,
        renditions=[
            (attr(content, "href"), _number(attr(content, "width")))
            for content in children(child(element, "contentSet"), "remoteContent")
        ],
    )


def from_ninjs(fields):
    """A ninjs picture item (its fields with lower-case keys), or an association of one."""
    descriptions = {
        str(d.get("role", "")).lower(): d.get("value", "")
        for d in fields.get("descriptions", []) or []
        if isinstance(d, dict)
    }
    headlines = [h.get("value", "") for h in fields.get("headlines", []) or [] if isinstance(h, dict)]
    renditions = fields.get("renditions") or []
    if isinstance(renditions, dict):  # 1.x: {"name": {...}}
        renditions = list(renditions.values())
    return WirePicture(
        guid=str(fields.get("uri", "")).strip(),
        format="ninjs",
        headline=_text(fields.get("headline")) or _text(headlines[0] if headlines else ""),
        caption=_text(descriptions.get("caption") or fields.get("description_text") or fields.get("body_text")),
        credit=_text(descriptions.get("creditline") or fields.get("copyrightholder")),
        byline=_text(fields.get("byline") or fields.get("by")),
        copyright_notice=_text(fields.get("copyrightnotice")),
        usage_terms=_text(fields.get("usageterms")),
        renditions=[
            (r.get("href", ""), _number(r.get("width")))
            for r in renditions
            if isinstance(r, dict) and isinstance(r.get("href"), str)
        ],
    )


def _text(value):
    return " ".join(value.split()) if isinstance(value, str) else ""


def _number(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# Importing


def plan(picture):
    """What importing ``picture`` would do, writing nothing: (action, Picture or None, reason)."""
    existing = Picture.objects.filter(source_id=picture.guid).first()
    if existing is None and picture.local_file() is None:
        return "skip", None, _no_file(picture)
    if existing is not None and all(getattr(existing, k) == v for k, v in _texts(picture).items()):
        return "skip", existing, "already in the picture library"
    return ("create" if existing is None else "update"), existing, ""


def _no_file(picture):
    shown = ", ".join(address.strip() for address, _ in picture.renditions[:2]) or "none named"
    return f"a picture whose file did not come with it: {shown}, and none is downloaded"


def ingest(picture):
    """
    The library picture for ``picture``: (action, Picture or None, reason).
    Created when new, its texts updated when they changed, skipped when its
    file did not come with it.
    """
    existing = Picture.objects.filter(source_id=picture.guid).first()
    path = picture.local_file()
    if existing is None and path is None:
        return "skip", None, _no_file(picture)
    target = existing or Picture(source_id=picture.guid[:255])
    texts = _texts(picture)
    if existing is not None and all(getattr(target, k) == v for k, v in texts.items()):
        return "skip", existing, "already in the picture library"
    for name, value in texts.items():
        setattr(target, name, value)
    with transaction.atomic():
        if existing is None:
            with path.open("rb") as opened:
                target.file = File(opened, name=path.name)
                _save(target)
        else:
            _save(target)
    return ("create" if existing is None else "update"), target, ""


def _texts(picture):
    fields = {
        "caption": picture.caption[:300],
        "alt_text": picture.alt_text[:300],
        "credit": picture.credit[:150],
        "byline": picture.byline[:150],
        "copyright_notice": picture.copyright_notice[:250],
        "usage_terms": picture.usage_terms,
        "source": (picture.source or picture.credit)[:100],
    }
    return fields


def _save(target):
    media.save(target)  # the file is checked and stored as a clean copy on save
