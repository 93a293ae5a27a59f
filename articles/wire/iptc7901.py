"""
IPTC 7901, the framing dpa and other European agencies send text in.

    SOH eca062 4 i 211 ...          source and number, priority, category, words
    Germany-politics/               keywords, each line ending with /
    STX Germany Social ... fail =   the headline, ending with =
       Berlin (dpa) - Negotia...    paragraphs, indented, lines wrapped
    # dpa NOTEBOOK ... not for publication ...   notes to editors: left out
    ETX 131137 GMT Nov 13           day, hour, minute sent (no year: not used)
"""

import re

from .item import WireError, WireItem, clean, decode_text, parse_urgency

_HEADER = re.compile(
    r"\x01(?P<source>[a-z]*)(?P<number>\d*) (?P<priority>\d) (?P<category>[a-z]{1,3}) (?P<words>\d+)",
    re.IGNORECASE,
)
# Where the publishable text ends and the notes to editors begin.
_NOTES = re.compile(
    r"^(?:#|\*\s*\*\s*\*)|the following information is (?:not|not intended) for publication",
    re.IGNORECASE,
)


def read(data):
    text = decode_text(data).replace("\r\n", "\n").replace("\r", "\n")
    header = _HEADER.match(text)
    start = text.find("\x02")
    if header is None or start < 0:
        raise WireError("IPTC 7901 framing, but its header or text start (STX) is missing")
    end = text.find("\x03", start)
    keywords = [line.strip().rstrip("/") for line in text[header.end() : start].split("\n")[1:]]
    blocks = _blocks(text[start + 1 : end if end > 0 else None])
    if not blocks:
        raise WireError("IPTC 7901 framing with no text between STX and ETX")
    item = WireItem(format="IPTC 7901", urgency=parse_urgency(header["priority"]))
    item.slugline = " ".join(k for k in keywords if k)
    item.headline = blocks[0].rstrip("=").strip()
    item.paragraphs = blocks[1:]
    return [item]


def _blocks(text):
    """
    The headline (up to its closing =) and the paragraphs (blank-line
    separated, wrapped lines joined) up to the notes to editors.
    """
    blocks, lines = [], []
    for line in text.split("\n") + [""]:
        if _NOTES.search(line.strip()):
            break
        if line.strip():
            lines.append(line)
        if lines and (not line.strip() or (not blocks and line.rstrip().endswith("="))):
            blocks.append(clean(" ".join(lines)))
            lines = []
    if lines:
        blocks.append(clean(" ".join(lines)))
    return blocks
