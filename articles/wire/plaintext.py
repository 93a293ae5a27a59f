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
# dpa's keyword line above the headline, "Germany/politics/coalition/": words
# joined by slashes, with no spaces, ending in one or with three or more words.
_KEYWORDS = re.compile(r"[^\W\d_][\w\-]*(?:/[\w\-]+)+/|[^\W\d_][\w\-]*(?:/[\w\-]+){2,}")
# An agency's prefix before the headline: ">>>AGI/".
_HEADLINE_PREFIX = re.compile(r">{2,}\s*[^\W\d_]+/\s*")


def read(data, name=""):
    """The story in a plain-text file (any text file with a dateline, or named .txt)."""
    raw_blocks = _BLANK_LINE.split(decode_text(data).replace("\r\n", "\n"))
    keywords = _take_keywords(raw_blocks)
    section, words = _take_section_words(raw_blocks)
    blocks = [b for b in (clean(b) for b in raw_blocks) if b]
    start = _body_start(blocks)
    if start is None and Path(name).suffix.lower() not in TEXT_SUFFIXES:
        raise WireError("unknown format: not XML, JSON, ANPA or IPTC 7901, and no dateline")
    item = WireItem(format="text", tags=keywords + words, section=section)
    front, body = _layout(blocks, start)
    if len(front) == 3:
        item.section = front.pop(0)
    item.headline = _HEADLINE_PREFIX.sub("", front[0], count=1) if front else ""
    item.standfirst = front[1] if len(front) > 1 else ""
    if body:
        item.dateline, body[0], item.dateline_text = split_dateline(body[0])
    item.paragraphs = [p for p in body if p]
    return [item]


def read_story(path):
    """The story in a plain-text file at ``path``, as a WireItem."""
    return read(Path(path).read_bytes(), Path(path).name)[0]


def _take_keywords(blocks):
    """A keyword line opening one of the first blocks, taken out of it: its words, for tags."""
    for index, block in enumerate(blocks[:2]):
        first, _, rest = block.strip().partition("\n")
        if _KEYWORDS.fullmatch(first.strip()):
            blocks[index] = rest
            return [word for word in first.strip().split("/") if word]
    return []


def _take_section_words(blocks):
    """
    Section words in capitals on the headline's first line ("INTERNACIONAL
    POLÍTICA" above a headline), taken out: (the section, the other words as tags).
    """
    first, _, rest = blocks[0].strip().partition("\n") if blocks else ("", "", "")
    words = first.split()
    if rest.strip() and 1 <= len(words) <= 3 and first.isupper() and not rest.strip().isupper():
        if all(word.isalpha() for word in words):
            blocks[0] = rest
            return words[0].capitalize(), [word.capitalize() for word in words[1:]]
    return "", []


def _body_start(blocks):
    """The index of the block opening with a dateline (the body's first), or None."""
    # A dateline standing alone first ("OSLO, Monday (Reuters)") is no headline.
    if blocks and split_dateline(blocks[0])[0] is not None and not split_dateline(blocks[0])[1]:
        return 0
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
