"""
Plain-text wire copy, laid out like the seed story: blocks separated by
blank lines, which are an optional section line, the headline, the
standfirst, then the paragraphs, the first opening with the dateline:

    All news

    Russian Defense Ministry confident relations with NATO will be restored

    Moscow can restore the former format of relations with NATO ...

    MOSCOW, September 14. /TASS/. Russia will restore ...
"""

import re
from pathlib import Path

from .item import WireError, WireItem, clean, decode_text, split_dateline

TEXT_SUFFIXES = {".txt", ".text"}
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def read(data, name=""):
    """The story in a plain-text file (any text file with a dateline, or named .txt)."""
    blocks = [clean(b) for b in _BLANK_LINE.split(decode_text(data).replace("\r\n", "\n"))]
    blocks = [b for b in blocks if b]
    start = _body_start(blocks)
    if start is None and Path(name).suffix.lower() not in TEXT_SUFFIXES:
        raise WireError("unknown format: not XML, JSON, ANPA or IPTC 7901, and no dateline")
    item = WireItem(format="text")
    front, body = _layout(blocks, start)
    if len(front) == 3:
        item.section = front.pop(0)
    item.headline = front[0] if front else ""
    item.standfirst = front[1] if len(front) > 1 else ""
    if body:
        item.dateline, body[0], item.dateline_text = split_dateline(body[0])
    item.paragraphs = [p for p in body if p]
    return [item]


def read_story(path):
    """The story in a plain-text file at ``path``, as a WireItem."""
    return read(Path(path).read_bytes(), Path(path).name)[0]


def _body_start(blocks):
    """The index of the block opening with a dateline (the body's first), or None."""
    for index in range(1, min(len(blocks), 4)):
        if split_dateline(blocks[index])[0] is not None:
            return index
    return None


def _layout(blocks, start):
    """(section?, headline, standfirst), body."""
    if start is None:
        # No dateline: a short first block of four or more is the section line.
        if len(blocks) >= 4 and len(blocks[0].split()) <= 3:
            start = 3
        else:
            start = 2 if len(blocks) >= 3 else 1
    return blocks[:start], blocks[start:]
