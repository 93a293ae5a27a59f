"""
ANPA 1312, the framing AP's wire has used since teletypes.

    SYN SYN SOH  W2870 US asian                      service, story number, selectors
    f l DC3 DC1 BC-LT--Argentina-CancerB  11-13 1049   priority, category, keyword, date, words
    STX ^BC-LT--Argentina-Cancer Beauty,466<         header lines start with ^ and end with <
        ^For Argentine chemo patients, mirrors can hurt <        the headline
        ^By PAUL BYRNE and ALMUDENA CALATRAVA=        byline lines end with =
        TAB   BUENOS AIRES, Argentina (AP) _ For ...  paragraphs start with a tab
    ETX AP-WF-11-13-13 1509GMT<  EOT                 when it was sent

DC2 instead of DC1 marks preserved (tabular) copy: its lines are kept as lines.
"""

import datetime
import re

from django.utils.html import escape

from .item import WireError, WireItem, clean, decode_text, split_byline, split_dateline

_HEADER = re.compile(
    r"\x16*\x01(?P<service>[a-z])(?P<number>\d{4})\x1f[^\n]*\n"
    r"(?P<priority>[a-z]) (?P<category>[a-z])[\x13\x14](?P<mode>[\x11\x12])",
    re.IGNORECASE,
)
_SENT = re.compile(r"\x03.*?(\d\d)-(\d\d)-(\d\d) (\d\d)(\d\d)GMT", re.DOTALL)
_KEYWORD = re.compile(r"^[A-Z]{2}-[A-Z]{1,4}--(?P<slug>[^,<]*)")
_LABEL = re.compile(
    r"^(?:AP (?:Photos?|Video|Audio|Graphics?)\b|Eds?:|EDITOR'?S NOTE|END$|With AP\b"
    r"|Photos?:|Graphics?:|Video:|Audio:)",
    re.IGNORECASE,
)
# ANPA has no curly quotes or dashes: `` and '' open and close quotes, _ is a dash.
_TYPOGRAPHY = [("``", "“"), ("''", "”"), (" _ ", " — ")]
PRIORITY = {"f": 1, "b": 2, "u": 3, "r": 5, "d": 6}


def read(data):
    text = decode_text(data).replace("\r\n", "\n")
    header = _HEADER.match(text)
    start, end = text.find("\x02"), text.find("\x03")
    if header is None or start < 0:
        raise WireError("ANPA 1312 framing, but its header or text start (STX) is missing")
    lines = text[start + 1 : end if end > start else None].split("\n")
    item = WireItem(format="ANPA 1312", urgency=PRIORITY.get(header["priority"].lower()))
    _header_lines(item, [_strip(line) for line in lines if line.lstrip("\x02").startswith("^")])
    paragraphs = _paragraphs(lines)
    if paragraphs:
        item.dateline, paragraphs[0], item.dateline_text = split_dateline(paragraphs[0])
    if header["mode"] == "\x12":
        item.html = _preserved(paragraphs)
    else:
        item.paragraphs = [_typography(p) for p in paragraphs if p.strip()]
    item.version_created = _sent(text)
    return [item]


def _strip(line):
    return line.lstrip("\x02^").rstrip().rstrip("<").rstrip()


def _header_lines(item, lines):
    """Keyword, headline, standfirst and byline from the ^ lines."""
    rest = []
    for line in lines:
        keyword = _KEYWORD.match(line)
        if keyword and not item.slugline:
            item.slugline = clean(keyword["slug"])
        elif line.endswith("="):
            if line.lower().startswith("by "):
                item.bylines += split_byline(line.rstrip("="))
        elif line and not _LABEL.match(line):
            rest.append(clean(line))
    item.headline = rest[0] if rest else item.slugline
    item.standfirst = _typography(rest[1]) if len(rest) > 1 else ""


def _paragraphs(lines):
    """Tab-indented lines start paragraphs; other text lines continue them."""
    paragraphs = []
    for line in lines:
        if line.startswith("\t"):
            paragraphs.append(line.strip().rstrip("<").rstrip())
        elif line.strip() and not line.lstrip("\x02").startswith("^") and paragraphs:
            paragraphs[-1] += "\n" + line.strip().rstrip("<").rstrip()
    return paragraphs


def _preserved(lines):
    """Tabular copy: the opening paragraph, then its lines (table rows) kept as lines."""
    lines = [escape(_typography(line)) for line in lines if line.strip()]
    if not lines:
        return ""
    first, rows = lines[0], lines[1:]
    return f"<p>{first}</p>" + (f"<p>{'<br>'.join(rows)}</p>" if rows else "")


def _typography(text):
    text = clean(text)
    for plain, typeset in _TYPOGRAPHY:
        text = text.replace(plain, typeset)
    return text


def _sent(text):
    match = _SENT.search(text)
    if match is None:
        return None
    month, day, year, hour, minute = (int(n) for n in match.groups())
    try:
        return datetime.datetime(2000 + year, month, day, hour, minute, tzinfo=datetime.UTC)
    except ValueError:
        return None
