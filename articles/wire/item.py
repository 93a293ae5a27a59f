"""
The neutral wire item every format module produces, and the small readers
of values that all formats share: times, versions, bylines and datelines.
"""

import datetime
import hashlib
import json
import re
from dataclasses import dataclass, field

from django.utils.html import escape

from .. import datelines

MAX_VERSION = 2**31 - 1  # what a PositiveIntegerField holds on every database


class WireError(Exception):
    """A file that cannot be read as wire copy; the message says what is wrong with it."""


class NothingToImport(WireError):
    """A well-formed file that holds no story: a photo, an event, a package of references."""


@dataclass
class WireItem:
    """One story as the agency sent it, in no particular format."""

    headline: str = ""
    standfirst: str = ""
    paragraphs: list = field(default_factory=list)  # plain text, one string a paragraph ...
    html: str = ""  # ... or sanitized HTML, when the source has markup
    dateline: datelines.Dateline | None = None
    dateline_text: str = ""  # the dateline as the source printed it
    located: str = ""  # where the story comes from, for sources that print no dateline
    bylines: list = field(default_factory=list)  # authors' names
    section: str = ""
    tags: list = field(default_factory=list)
    urgency: int | None = None  # 1 (flash) to 9
    embargo: datetime.datetime | None = None
    held: str = ""  # why the item must not be published as it comes (an unreadable embargo)
    first_created: datetime.datetime | None = None
    version_created: datetime.datetime | None = None
    guid: str = ""
    pictures: list = field(default_factory=list)  # WirePictures it carries (ninjs associations)
    alt_ids: list = field(default_factory=list)  # other ids the source gives it (NewsML altId, ninjs altids)
    version: int | None = None
    format: str = ""  # "NewsML-G2", "ninjs 3", "ANPA 1312", ...
    slugline: str = ""
    language: str = ""  # as the source gives it ("en-US", "ru"); ingest normalises it

    @property
    def body(self):
        """The body as the article stores it: HTML, text paragraphs escaped into <p>s."""
        if self.html:
            return self.html
        return "".join(f"<p>{escape(p)}</p>" for p in self.paragraphs)

    @property
    def title(self):
        """What a report calls it."""
        return self.headline

    @property
    def published_at(self):
        """When the agency first put the story out, as far as the source says."""
        return self.first_created or self.version_created

    def fingerprint(self):
        """A short hash of everything an import writes: same content, same fingerprint."""
        line = self.dateline
        content = [
            self.headline,
            self.standfirst,
            self.body,
            [line.place, line.region, line.agency, line.date_text] if line else None,
            self.bylines,
            self.tags,
            self.section,
            self.urgency,
            self.embargo.isoformat() if self.embargo else None,
        ]
        digest = hashlib.sha256(json.dumps(content, ensure_ascii=False).encode())
        return digest.hexdigest()[:12]


# Values


def clean(text):
    """Text with its runs of white space (line breaks, tabs) made single spaces."""
    return " ".join((text or "").split())


# The mark of a take that continues another, or is continued, at a
# headline's end: "(2)", "-2-", "=2=", "(continued)", ANSA's "(SEGUE)", AFP's
# "(suite)", dpa's "(Fortsetzung)", "(MORE)".
_CONTINUATION = re.compile(
    r"\s*(?:[(\[](?:\d{1,2}|continued|cont'?d|segue|suite|fortsetzung|продолжение|more)[)\]]"
    r"|-\d{1,2}-|=\d{1,2}=|-+\s*more\s*-+)$",
    re.IGNORECASE,
)


def without_continuation(headline):
    """A headline without the continuation mark of a take: "Budget passed (2)" -> "Budget passed"."""
    return _CONTINUATION.sub("", headline)


def decode_text(data):
    """Bytes as text: UTF-8, else Windows-1252 (which the older wires send)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def parse_time(value):
    """An aware datetime from ISO 8601 text (UTC when the source gives no offset), or None."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment


def set_embargo(item, value):
    """
    The item's embargo from the source's field. A value that is there but
    cannot be read holds the item: published at once, it could break an
    embargo the agency set.
    """
    item.embargo = parse_time(value)
    given = value.strip() if isinstance(value, str) else value
    if item.embargo is None and given not in (None, ""):
        item.held = f"its embargo {str(given)[:60]!r} cannot be read"


def parse_version(value):
    """A version number ("11", 11) as an int, or None when it is not a whole number."""
    text = str(value).strip() if value is not None else ""
    if not text.isdigit() or int(text) > MAX_VERSION:
        return None
    return int(text)


def parse_urgency(value):
    number = parse_version(value)
    return number if number is not None and 1 <= number <= 9 else None


def content_guid(item):
    """For formats without ids: the same headline, text and dateline give the same guid."""
    line = item.dateline
    parts = [clean(item.headline), clean(item.body), line.place if line else ""]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
    return f"urn:newsroom:wire:{digest}"


# Bylines

_BY = re.compile(r"^(?:by|von|par|por|av|af|di)\s+", re.IGNORECASE)
_BYLINE_SPLIT = re.compile(r"\s*(?:[,;&/]|\band\b|\bwith\b|\bund\b|\bog\b|\bet\b)\s*", re.IGNORECASE)
# Where a reporter files from, after the name: "Guillaume Lavallee in Jerusalem".
_FILED_FROM = re.compile(r"\s+(?:in|from|à|en|aus|em)\s+\S.*$", re.IGNORECASE)


def split_byline(text):
    """
    Authors' names from a byline as printed: "By PAUL BYRNE and ALMUDENA
    CALATRAVA" -> ["Paul Byrne", "Almudena Calatrava"]; "Adel Zaanoun with
    Guillaume Lavallee in Jerusalem" -> ["Adel Zaanoun", "Guillaume Lavallee"]. A part of one word
    ("dpa", "NTB") is the agency's, not a person's, and is left out.
    """
    names = []
    for part in _BYLINE_SPLIT.split(_BY.sub("", clean(text))):
        part = _FILED_FROM.sub("", part.strip(" .-"))
        if len(part.split()) < 2 or not any(c.isalpha() for c in part):
            continue
        name = _name_case(part)
        if name not in names:
            names.append(name)
    return names


def _name_case(name):
    """Names in capitals, as wire bylines print them, in ordinary case."""
    if any(c.islower() for c in name):
        return name
    return re.sub(r"\bMc([a-z])", lambda m: "Mc" + m[1].upper(), name.title())


# Datelines

_DATE_WORD = re.compile(
    r"\d|\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|rsday|urday)?\b"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b",
    re.IGNORECASE,
)
_BRACKETED = re.compile(r"\((?P<head>[^()\n]{1,60}?) [-–—] (?P<date>[^()\n]{1,30})\)\s*")
_LEADING_DASH = re.compile(r"^\s*(?:--|[-_–—])\s+")
# Lower-case words a place's name may hold: Mar del Plata, Frankfurt am Main.
_PARTICLES = {"am", "an", "da", "de", "del", "della", "der", "di", "do", "dos", "en", "la", "le"}


def split_dateline(text):
    """
    ``(dateline, rest, printed)``: the dateline at the start of ``text``, the
    text after it and the dateline as printed. ``datelines.parse`` reads every
    agency's style; only NewsML's bracketed form, ``(New York, NY - October
    21)``, which no agency prints in its copy, is read here.
    """
    dateline, rest = datelines.parse(text)
    if dateline is None:
        dateline, rest = _bracketed(text)
    if dateline is None:
        return None, text, ""
    rest = _LEADING_DASH.sub("", rest, count=1)
    printed = text[: len(text) - len(rest)].strip(" -_–—")
    return dateline, rest, printed


def _bracketed(text):
    """(New York, NY - October 21) Et, sent luptat ...: place and date in brackets."""
    match = _BRACKETED.match(text)
    if not match or not _DATE_WORD.search(match["date"]):
        return None, text
    place, _, region = (part.strip() for part in match["head"].partition(","))
    if not _looks_like_place(place):
        return None, text
    dateline = datelines.Dateline(place=place, region=region, date_text=match["date"].strip())
    return dateline, text[match.end() :]


def _looks_like_place(name):
    """BUENOS AIRES, Berlin, Mar del Plata; not the start of a sentence."""
    words = name.split()
    return 0 < len(words) <= 5 and all(w[0].isupper() or w in _PARTICLES for w in words)


def place_dateline(text):
    """A dateline of a place alone, from a location such as "New York, NY" or "Berlin"."""
    text = clean(text)
    if not text or len(text) > 60 or any(c.isdigit() for c in text):
        return None
    place, _, region = (part.strip() for part in text.partition(","))
    return datelines.Dateline(place=place, region=region) if place else None


def dateline_from(text):
    """A dateline printed on its own (a format's dateline field): parsed, else a place."""
    text = clean(text)
    dateline, rest, printed = split_dateline(text)
    if dateline is not None and not rest.strip():
        return dateline, printed
    fallback = place_dateline(text)
    return fallback, (text if fallback else "")
