"""
The dateline: a small value object, rendered late in a house style.

An article stores its place and agency; the text ``MOSCOW, September 14.
/TASS/.`` is produced here from those and the publication date in the
place's own time zone. ``parse`` reads the same text back into a
``Dateline``, so that ``render(parse(text)) == text`` for every style.

House styles are data: adding one means adding a ``HouseStyle`` to
``STYLES``, not a new code path.

``parse`` also reads the datelines of the big agencies and papers (AP,
Reuters, AFP, Xinhua, dpa, Interfax, EFE and others, listed with examples in
the tests) and prefers missing a dateline to inventing one: text it is not
sure about comes back unchanged.
"""

import calendar
import re
from dataclasses import dataclass, field, replace

from . import gazetteer

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
# Reuters spells out months of five letters or fewer, and abbreviates the
# rest without a full point.
REUTERS_MONTHS = (
    "Jan", "Feb", "March", "April", "May", "June",
    "July", "Aug", "Sept", "Oct", "Nov", "Dec",
)  # fmt: skip
# AFP's French service abbreviates as French typography does, without a point.
FRENCH_MONTHS = (
    "janv", "févr", "mars", "avr", "mai", "juin",
    "juil", "août", "sept", "oct", "nov", "déc",
)  # fmt: skip
# Russian months in the genitive, as a date prints them: "3 октября".
RUSSIAN_MONTHS = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Dateline:
    place: str  # as printed: "MOSCOW"
    region: str = ""  # qualifier as printed: "Ill."
    date: object = None  # a datetime.date, in the place's own time zone
    agency: str = ""  # the agency's mark as printed: "/TASS/", "(AP)", "Kyodo"
    date_text: str = ""  # the date as a source printed it, when there is no date
    raw: str = field(default="", compare=False)  # the whole dateline, when parsed from text

    @property
    def agency_name(self):
        """The agency without its marks: "TASS" for "/TASS/"."""
        return agency_name(self.agency)

    @property
    def month_day(self):
        """(month, day) of the date, or of the printed date when it has both; else None."""
        if self.date:
            return self.date.month, self.date.day
        return _month_day(self.date_text)


@dataclass(frozen=True)
class HouseStyle:
    name: str
    template: str  # with {place}, {region}, {date} and {agency}, filled from the parts below
    region: str  # how a region qualifier follows the place, with {region}
    date: str  # how the date follows, with {date}; empty for styles that print none
    day: str  # the date itself, with {month} and {day}
    agency: str  # with {agency}, the agency's name without its marks
    months: tuple = MONTHS
    title_case: bool = False  # places printed "Hamburg", not as stored ("HAMBURG")


# MOSCOW, September 14. /TASS/.
_TASS = HouseStyle(
    name="TASS",
    template="{place}{region}{date}.{agency}",
    region=", {region}",
    date=", {date}",
    day="{month} {day}",
    agency=" /{agency}/.",
)
STYLES = {
    "tass": _TASS,
    # МОСКВА, 3 октября. /ТАСС/.  (TASS's Russian service, for a Russian-language site)
    "tass_ru": replace(_TASS, name="TASS (Russian)", day="{day} {month}", months=RUSSIAN_MONTHS),
    # ROCKFORD, Ill. (AP) —  (AP prints no date; the region as stored, "Ill.")
    "ap": HouseStyle(
        name="AP",
        template="{place}{region}{agency} —",
        region=", {region}",
        date="",
        day="{month} {day}",
        agency=" ({agency})",
    ),
    # LONDON, Sept 14 (Reuters) -
    "reuters": HouseStyle(
        name="Reuters",
        template="{place}{region}{date}{agency} -",
        region=", {region}",
        date=", {date}",
        day="{month} {day}",
        agency=" ({agency})",
        months=REUTERS_MONTHS,
    ),
    # Hamburg (dpa) -  (dpa prints places in title case, and no date)
    "dpa": HouseStyle(
        name="dpa",
        template="{place}{region}{agency} -",
        region=", {region}",
        date="",
        day="{day}. {month}",
        agency=" ({agency})",
        title_case=True,
    ),
    # LYON, 3 oct (AFP) -  (AFP's French service)
    "afp": HouseStyle(
        name="AFP (French)",
        template="{place}{region}{date}{agency} -",
        region=", {region}",
        date=", {date}",
        day="{day} {month}",
        agency=" ({agency})",
        months=FRENCH_MONTHS,
    ),
}
DEFAULT_STYLE = "tass"


def render(dateline, style=DEFAULT_STYLE):
    """The dateline as printed in the given house style."""
    house = STYLES[style]
    day = dateline.date_text
    if dateline.date:
        month = house.months[dateline.date.month - 1]
        day = house.day.format(month=month, day=dateline.date.day)
    return house.template.format(
        place=title_case(dateline.place) if house.title_case else dateline.place,
        region=house.region.format(region=dateline.region) if dateline.region else "",
        date=house.date.format(date=day) if day and house.date else "",
        agency=house.agency.format(agency=dateline.agency_name) if dateline.agency else "",
    )


def title_case(place):
    """ "ST. PETERSBURG" -> "St. Petersburg", "RIO DE JANEIRO" -> "Rio de Janeiro"."""
    words = [word.capitalize() for word in place.split()]
    return " ".join(
        word.lower() if n and word.lower() in _PARTICLES else word for n, word in enumerate(words)
    )


# A house style's edition for stories in another language, where the agency
# has one: TASS's Russian service dates a Russian story МОСКВА, 3 октября.
EDITIONS = {("tass", "ru"): "tass_ru", ("tass_ru", "en"): "tass"}


def style_for(*names, language=""):
    """
    The first of ``names`` that is a house style (an agency's, the site's),
    else the default; its edition in the story's ``language``, if it has one.
    """
    found = next((key for name in names if (key := (name or "").strip().lower()) in STYLES), None)
    style = found or DEFAULT_STYLE
    return EDITIONS.get((style, language), style)


def agency_name(mark):
    """An agency's name from its mark as printed: "/TASS/" -> "TASS", "(AP)" -> "AP"."""
    mark = (mark or "").strip()
    if len(mark) > 2 and (mark[0], mark[-1]) in {("/", "/"), ("(", ")")}:
        return mark[1:-1].strip()
    return mark


# Agencies whose marks are trusted even after a place in lower case (dpa's
# "Berlin (dpa) -") or without a dash (PTI's "NEW DELHI, Sep 14 (PTI)").
# A name with a suffix ("Interfax-Ukraine", "dpa-AFX") counts as its agency.
KNOWN_AGENCIES = frozenset({
    "AA", "AAP", "AFP", "ANSA", "AP", "APA", "Anadolu", "Antara", "BSS", "BTA",
    "BelTA", "Belga", "Bernama", "CNA", "CNN", "CP", "EFE", "IANS", "IRNA",
    "ITAR-TASS", "Interfax", "KUNA", "Kyodo", "Lusa", "MENA", "NTB", "PA", "PAP",
    "PTI", "Prensa Latina", "RIA Novosti", "Reuters", "Sputnik", "TASS", "UNIAN",
    "UPI", "Ukrinform", "WAM", "Xinhua", "Yonhap", "dpa",
    "ТАСС", "РИА Новости", "Интерфакс", "ИНТЕРФАКС", "ПРАЙМ",
    "AGI", "ANP", "ANI", "ATS", "Adnkronos", "Agerpres", "CTK", "Europa Press", "HINA",
    "Jiji", "MTI", "Notimex", "PNA", "Petra", "QNA", "Ritzau", "SPA", "STT", "TT",
    "Tanjug", "Télam", "UNI", "LaPresse", "Bloomberg", "INTERFAX.RU", "askanews", "CNN Business",
})  # fmt: skip
_KNOWN_LOWER = frozenset(name.lower() for name in KNOWN_AGENCIES)
# Agencies that print their name without brackets: "TOKYO, Sept. 14 Kyodo -".
UNMARKED_AGENCIES = ("Kyodo",)

# Lower-case words inside a place or region written in mixed case: Rio de
# Janeiro, Dar es Salaam, Frankfurt am Main, Bosnia and Herzegovina, Côte d'Ivoire.
_PARTICLES = frozenset(
    "de da do dos das del della di du la le les es el al am an der den sur upon on of and the y e"
    .split()
)  # fmt: skip
_ELIDED = re.compile(r"[dl]['’][^\W\d_]")

_S = "[ \u00a0]"  # a space, or a no-break space
# A word of a place: letters with inner apostrophes, hyphens and dots, perhaps
# a closing dot: ST. PETERSBURG, N'DJAMENA, PORT-AU-PRINCE, SÃO PAULO, W.Va.
# A brace or bar inside a word is transmission damage, kept as printed: ME}LBOURNE.
_WORD = r"[^\W\d_]+(?:['’\-.{}|][^\W\d_]+)*\.?"
_NAME = rf"{_WORD}(?:{_S}{_WORD}){{0,5}}"
# Month names as agencies print them, in the newsroom's languages: full
# names (Russian in the genitive, as a date prints it) and abbreviations.
# Read in any letter case: "oct 3", "OCT. 3" and "OCt 3" are all October.
FOREIGN_MONTHS = {
    "ru": RUSSIAN_MONTHS,
    "ru_short": ("янв", "фев", "мар", "апр", "мая", "июн",
                 "июл", "авг", "сен", "окт", "ноя", "дек"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio",
           "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"),
    "es_short": ("ene", "feb", "mar", "abr", "may", "jun",
                 "jul", "ago", "sep", "oct", "nov", "dic"),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni",
           "Juli", "August", "September", "Oktober", "November", "Dezember"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin",
           "juillet", "août", "septembre", "octobre", "novembre", "décembre"),
    "fr_short": FRENCH_MONTHS,
    "it": ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno",
           "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"),
    "it_short": ("gen", "feb", "mar", "apr", "mag", "giu",
                 "lug", "ago", "set", "ott", "nov", "dic"),
    "pt": ("janeiro", "fevereiro", "março", "abril", "maio", "junho",
           "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"),
    "pt_short": ("jan", "fev", "mar", "abr", "mai", "jun",
                 "jul", "ago", "set", "out", "nov", "dez"),
}  # fmt: skip
def _prefixes(names):
    """Shortened months as a desk may print them ("Marc 3", "Febr."), where the letters name one month."""
    found = {}
    for names_ in names:
        for n, name in enumerate(names_, 1):
            for end in range(3, len(name)):
                found.setdefault(name[:end].lower(), set()).add(n)
    return {prefix: months.pop() for prefix, months in found.items() if len(months) == 1}


_MONTH_NUMBERS = {
    **_prefixes([MONTHS, *FOREIGN_MONTHS.values()]),
    **{name.lower(): n for names in FOREIGN_MONTHS.values() for n, name in enumerate(names, 1)},
    **{name.lower(): n for n, name in enumerate(MONTHS, 1)},
    **{name[:3].lower(): n for n, name in enumerate(MONTHS, 1)},
    "sept": 9,
}
_MONTH = "(?i:" + "|".join(sorted(_MONTH_NUMBERS, key=len, reverse=True)) + ")"
# An abbreviated month keeps its full point as part of the date: "8 nov." (LaPresse).
_FULL_MONTHS = {
    name.lower() for key, names in [("en", MONTHS), *FOREIGN_MONTHS.items()] if "_" not in key for name in names
}
_ABBREVIATION = "(?i:" + "|".join(sorted(set(_MONTH_NUMBERS) - _FULL_MONTHS, key=len, reverse=True)) + ")"
_WEEKDAY = "|".join(WEEKDAYS)
_DATE = (
    rf"(?:{_MONTH})\.?{_S}+[0-9]{{1,2}}\b(?:,{_S}[0-9]{{4}}\b)?"  # Sept. 14, May 16, 2021
    rf"|[0-9]{{1,2}}\.?{_S}(?:(?:{_ABBREVIATION})\.(?!\w)|(?:{_MONTH})\b)(?:{_S}[0-9]{{4}}\b)?"  # 14 Sep, 8 nov., 3. Oktober
    rf"|(?:{_WEEKDAY})\b"  # Monday, as Reuters dates some stories
)
# Markers some agencies print before the place: a repeat, a correction, an update.
_NOISE = (
    r"(?:(?:RPT|REPEAT|CORRECTED|REFILE|UPDATE(?: [0-9]{1,2})?|WRAPUP(?: [0-9]{1,2})?) ?- ?"
    r"|\*{3} ?"
    # A feed's credit or a byline in capitals before a place in capitals:
    # "SPACE.com - DENVER, COLORADO --", "By MAY WONG    SAN JOSE, Calif. (AP) --".
    r"|[A-Z][\w.]*(?: [A-Z][\w.]*)? - (?=[A-Z]{2})|By [A-Z][A-Z.' ]+? {2,}(?=[A-Z]{2}))*"
)
_HEAD = (
    # Several places share one dateline: RIGA/VILNIUS, MINNEAPOLIS/ST. PAUL.
    rf"{_NOISE}(?P<place>{_NAME}(?:/{_NAME}){{0,3}})"
    rf"(?:{_S}?,{_S}(?!(?:{_MONTH}|{_WEEKDAY})\b)(?P<region>{_NAME})"
    # ... or in brackets before a comma: GUBBIO (PERUGIA), Beijing [China],
    rf"|{_S}[(\[](?P<bracketed_region>{_NAME})[)\]](?=,))?"
)
_MARK = rf"[^\W_][\w&.'’\-]*(?:{_S}[\w&.'’\-]+){{0,3}}"
# In brackets a credit may be joint or carry a desk: (afp/dpa), (dpa/lno).
_BRACKETED_MARK = rf"[^\W_][\w&.'’\-/]*(?:{_S}[\w&.'’\-/]+){{0,3}}"
_DASH = "(?:--|[-–—])"
_UNMARKED = "|".join(UNMARKED_AGENCIES)
# A known agency's name printed bare, before a closing dash or after one:
# "Москва. 3 октября. ИНТЕРФАКС -", "ПЕТРОЗАВОДСК, 3 окт — РИА Новости."
_BARE = "(?i:" + "|".join(re.escape(name) for name in sorted(KNOWN_AGENCIES, key=len, reverse=True)) + ")"
_END = r"(?=\s|$)"
# ... or a word glued to the closing dash: "NEW YORK, March 2 -The".
_END_GLUED = r"(?=\s|$|(?<=[-–—])[^\W\d_])"
# ... or to the agency's closing bracket, as CNN prints it: "(CNN)The".
_END_MARK = r"(?=\s|$|(?<=\))[^\W\d_])"

# The shapes a dateline takes, most certain first.
_WITH_AGENCY = re.compile(
    rf"\s*(?P<raw>{_HEAD}(?:[,.]{_S}(?P<date>{_DATE}))?\.?{_S}?"
    rf"(?:\((?P<bracketed>{_BRACKETED_MARK})\)|/(?P<slashed>{_MARK})/|(?P<unmarked>{_UNMARKED}))"
    rf"(?P<close>{_S}?{_DASH}|{_S}_|\.[-–—]?|:)?){_END_MARK}"
)
# A site's address printed bare counts as its mark: "Вашингтон, 13 апреля. Letnews.ru-".
_ADDRESS = r"[^\W_][\w\-]*\.(?i:ru|com|net|org)"
_BARE_BEFORE_DASH = re.compile(
    rf"\s*(?P<raw>{_HEAD}(?:[,.]{_S}(?P<date>{_DATE}))?[,.]?{_S}(?P<unmarked>{_BARE}|{_ADDRESS}){_S}?(?P<close>{_DASH}))"
    rf"{_END_GLUED}"
)
_BARE_AFTER_DASH = re.compile(
    rf"\s*(?P<raw>{_HEAD}(?:[,.]{_S}(?P<date>{_DATE}))?{_S}{_DASH}{_S}(?P<unmarked>{_BARE})(?P<close>\.)){_END}"
)
# No place: "(Reuters) -", "Oct 3 (Reuters) -", "AFP -". Only a known agency.
_AGENCY_ONLY = re.compile(
    rf"\s*(?P<raw>(?:(?P<date>{_DATE})\.?{_S})?(?:\((?P<bracketed>{_BRACKETED_MARK})\)|(?P<unmarked>{_BARE}(?:[-.]\w+)*))"
    rf"(?:{_S}?(?P<close>{_DASH})|(?<=\))(?=[^\W\d_]))){_END_MARK}"
)
# A stray comma or dash either side of the date, as some papers print it:
# "TULSA, Okla., - May 2 -", "TULSA, May 2, -".
_WITH_DATE = re.compile(
    rf"\s*(?P<raw>{_HEAD}[,.]{_S}(?:{_DASH}{_S})?(?P<date>{_DATE})(?P<close>\.|:|,?{_S}+{_DASH})){_END_GLUED}"
)
_WITH_DASH = re.compile(rf"\s*(?P<raw>{_HEAD}{_S}{_DASH}){_END_GLUED}")
_ON_ITS_OWN_LINE = re.compile(rf"\s*(?P<raw>{_HEAD})[ \t\u00a0]*(?:\r?\n|$)")
_WITH_COLON = re.compile(rf"\s*(?P<raw>{_HEAD}:){_END}")
# Older Reuters: "LONDON Feb 2 European shares" (no comma, no dash).
_DATE_WITHOUT_DASH = re.compile(
    rf"\s*(?P<raw>{_NOISE}(?P<place>{_NAME}){_S}(?P<date>(?:{_MONTH})\.?{_S}+[0-9]{{1,2}}\b)){_S}(?=[^\W\d_])"
)
# Italian papers print no dash after a date, day first: "Roma, 3 dic Il presidente".
_DAY_FIRST = rf"[0-9]{{1,2}}{_S}(?:(?:{_ABBREVIATION})\.(?!\w)|(?:{_MONTH})\b)(?:{_S}[0-9]{{4}}\b)?"
_DATE_THEN_TEXT = re.compile(rf"\s*(?P<raw>{_HEAD},{_S}(?P<date>{_DAY_FIRST})){_S}(?=[“\"«]?[^\W\d_])")
# The agency first, as AGI and ANSA print it: (ANSA) - MILANO, 3 OTT -
_AGENCY_FIRST = re.compile(
    rf"\s*(?P<raw>\((?P<bracketed>{_BRACKETED_MARK})\){_S}?{_DASH}{_S}{_HEAD}"
    rf"(?:[,.]{_S}(?P<date>{_DATE}))?(?P<close>{_S}?{_DASH}|\.)){_END}"
)


def parse(text):
    """
    Split the dateline off the start of a story's text.

    Returns ``(dateline, rest)``; ``dateline`` is None, and ``rest`` the text
    unchanged, when the text does not open with a dateline.
    """
    for pattern, acceptable in _SHAPES:
        match = pattern.match(text)
        if match and acceptable(match):
            groups = match.groupdict()
            dateline = Dateline(
                place=groups.get("place") or "",
                region=_region(match),
                agency=_printed_mark(match),
                date_text=match.groupdict().get("date") or "",
                raw=match["raw"],
            )
            return dateline, text[match.end() :].lstrip()
    return None, text


def _region(match):
    groups = match.groupdict()
    return groups.get("region") or groups.get("bracketed_region") or ""


def _glued(match):
    """The text goes on with no space after the dateline: "(CNN)The"."""
    return match.string[match.end() : match.end() + 1].isalpha()


def _printed_mark(match):
    groups = match.groupdict()
    if groups.get("bracketed"):
        return f"({groups['bracketed']})"
    if groups.get("slashed"):
        return f"/{groups['slashed']}/"
    return groups.get("unmarked") or ""


def _agency_shape_is_sure(match):
    place, close, date = match["place"], match["close"], match["date"]
    name = match["bracketed"] or match["slashed"] or match["unmarked"]
    if not (_qualifier_ok(_region(match)) and _date_ok(date)):
        return False
    if "/" in name and not _known_agency(name):
        return False  # a photo credit, "(AP Photo/Evan Vucci)", not an agency's mark
    if not place.isupper():
        # Places in mixed case come from agencies that print them so (dpa's
        # "Berlin (dpa) -"): only with a mark we know and its dash.
        # Without a dash only as IANS and PTI print it, with a date, alone
        # or glued to the text (CNN). A date vouches for a mark we do not know.
        alone = not match.string[match.end() :].strip()
        known = _known_agency(name)
        return _in_title_case(place) and (known or bool(date)) and bool(close or date or alone or _glued(match))
    if not close and not _glued(match) and not (date and _known_agency(name)):
        return False  # a mark and no dash only as PTI prints it, with a date
    if match["unmarked"]:
        return bool(close)
    # A mark we do not know (a station's call sign) after a region the
    # gazetteer knows: "NAVAJO COUNTY, Arizona (KNXV) —".
    return _known_agency(name) or _well_known_place(match) or gazetteer.is_area(_region(match))


def _date_shape_is_sure(match):
    # A place, a date and a closing dash or colon: the place may be in any
    # case ("Toronto, Feb 26 -", "New york, March 2 -"), not a weekday.
    place = match["place"]
    closed = match["close"] != "." or place.isupper()
    return (
        closed
        and place[0].isupper()
        and place.split()[0] not in WEEKDAYS
        and _qualifier_ok(_region(match))
        and _month_day(match["date"]) is not None
    )


def _date_then_text_is_sure(match):
    place = match["place"]
    return (
        (place.isupper() or _in_title_case(place))
        and place.split()[0] not in WEEKDAYS
        and _qualifier_ok(_region(match))
        and _month_day(match["date"]) is not None
    )


def _well_known_place(match):
    """
    A dateline with neither agency nor date (WASHINGTON —; KYIV, Ukraine —;
    ANKARA on its own line), or with a mark we do not know, may be a headline
    in capitals: it counts only when the gazetteer knows the place, in the
    region given, or as a city large enough to stand alone.
    """
    place, region = match["place"], _region(match)
    if not place.isupper() or not _qualifier_ok(region):
        return False
    if region in gazetteer.AP_STATES:
        return True  # "HAVEN, Wis. --": AP's own abbreviation of a state is no headline
    if place.startswith("ABOARD ") and not region:
        return True  # a ship's or plane's dateline, ABOARD AIR FORCE ONE: no gazetteer has it
    if "/" in place and not region:
        return all(_well_known(part) for part in place.split("/"))
    found = gazetteer.lookup(place, region)
    if found is None:
        return False
    return found.certain if region else found.population >= gazetteer.WELL_KNOWN


def _well_known(place):
    found = gazetteer.lookup(place, "")
    return found is not None and found.population >= gazetteer.WELL_KNOWN


def _old_reuters_is_sure(match):
    return _well_known(match["place"]) and match["place"].isupper() and _month_day(match["date"]) is not None


def _agency_first_is_sure(match):
    place = match["place"]
    return (
        _known_agency(match["bracketed"])
        and (place.isupper() or _in_title_case(place))
        and _qualifier_ok(_region(match))
        and _date_ok(match["date"])
    )


def _bare_agency_is_sure(match):
    place = match["place"]
    return (
        (place.isupper() or _in_title_case(place))
        and _qualifier_ok(_region(match))
        and _date_ok(match["date"])
    )


def _agency_only_is_sure(match):
    name = match["bracketed"] or match["unmarked"]
    return _known_agency(name) and _date_ok(match["date"])


def _dash_shape_is_sure(match):
    """A dash glued to the text ("DES MOINES, Iowa —The") only after a region."""
    return (bool(_region(match)) or not _glued(match)) and _well_known_place(match)


def _colon_shape_is_sure(match):
    """ "MANILA:", or several places well known in any case: "Singapore/Tokyo:"."""
    place = match["place"]
    if "/" in place and match["raw"].endswith(":") and not _region(match):
        return all(_in_title_case(part) and _well_known(part) for part in place.split("/"))
    return _well_known_place(match)


_SHAPES = (
    (_AGENCY_FIRST, _agency_first_is_sure),
    (_AGENCY_ONLY, _agency_only_is_sure),
    (_WITH_AGENCY, _agency_shape_is_sure),
    (_BARE_BEFORE_DASH, _bare_agency_is_sure),
    (_BARE_AFTER_DASH, _bare_agency_is_sure),
    (_WITH_DATE, _date_shape_is_sure),
    (_WITH_DASH, _dash_shape_is_sure),
    (_WITH_COLON, _colon_shape_is_sure),
    (_DATE_WITHOUT_DASH, _old_reuters_is_sure),
    (_DATE_THEN_TEXT, _date_then_text_is_sure),
    (_ON_ITS_OWN_LINE, _well_known_place),
)


def _known_agency(name):
    """
    A known agency, in any case, perhaps with a suffix (Interfax-Ukraine),
    joint with another (afp/dpa) or with its regional desk (dpa/lno).
    """
    first, *others = name.split("/")
    return _one_known(first) and all(_one_known(o) or re.fullmatch("[a-z]{2,4}", o) for o in others)


def _one_known(name):
    name = name.lower()
    return name in _KNOWN_LOWER or name.split("-")[0] in _KNOWN_LOWER


def _in_title_case(name):
    """Rio de Janeiro, Gaza City: capitalised words and particles, no word in capitals."""
    words = name.split()
    return words[0][0].isupper() and all(
        _particle(word) or (word[0].isupper() and any(c.islower() for c in word)) for word in words
    )


def _qualifier_ok(region):
    """A region starts with a capital; its other words are capitalised or particles."""
    if not region:
        return True
    words = region.split()
    return words[0][0].isupper() and all(w[0].isupper() or _particle(w) for w in words)


def _particle(word):
    return word in _PARTICLES or bool(_ELIDED.match(word))


def _date_ok(date_text):
    return not date_text or date_text in WEEKDAYS or _month_day(date_text) is not None


_MONTH_DAY = re.compile(
    rf"(?P<month>{_MONTH})\.?{_S}+(?P<day>[0-9]{{1,2}})(?:,{_S}[0-9]{{4}})?"
    rf"|(?P<day_first>[0-9]{{1,2}})\.?{_S}(?P<month_after>{_MONTH})\.?(?:{_S}[0-9]{{4}})?"
)


def _month_day(date_text):
    """(month, day) of a printed date such as "Sept. 14" or "14 Sep"; None if it has none."""
    match = _MONTH_DAY.fullmatch(date_text or "")
    if not match:
        return None
    month = _MONTH_NUMBERS[(match["month"] or match["month_after"]).lower()]
    day = int(match["day"] or match["day_first"])
    # Any year: February 29 is a date the wire may print.
    return (month, day) if 1 <= day <= calendar.monthrange(2000, month)[1] else None
