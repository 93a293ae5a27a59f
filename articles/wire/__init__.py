"""
News in from the wire. Each format module turns bytes into neutral
``WireItem`` objects; ``read(path)`` picks the module by the file's
content; ``ingest(item, by=user)`` creates or updates the Article.

Formats: plain text laid out like the seed story (``plaintext``), IPTC
NewsML-G2 with inline NITF or XHTML (``newsml``, ``nitf``), NewsML 1.2
(``newsml1``), ninjs 1.x to 3.x (``ninjs``), Atom and RSS with full text
(``syndication``), ANPA 1312 (``anpa``) and IPTC 7901 (``iptc7901``).
Picture items and the pictures stories carry become ``WirePicture``s,
taken into the picture library (``pictures``).
"""

from .folders import folder_files, is_picture_file
from .ingest import DONE, REFUSALS, Outcome, describe, importer, ingest, plan, refusal, system_user
from .item import NothingToImport, WireError, WireItem
from .reader import read, read_bytes

__all__ = [
    "DONE",
    "REFUSALS",
    "NothingToImport",
    "Outcome",
    "WireError",
    "WireItem",
    "describe",
    "folder_files",
    "is_picture_file",
    "importer",
    "ingest",
    "plan",
    "read",
    "read_bytes",
    "refusal",
    "system_user",
]
