"""
The dateline: a small value object, rendered late in a house style.

An article stores its place and agency; the text ``MOSCOW, September 14.
/TASS/.`` is produced here from those and the publication date in the
place's own time zone. ``parse`` reads the same text back into a
``Dateline``, so that ``render(parse(text)) == text`` for every style.

House styles are data: adding one means adding a ``HouseStyle`` to
``STYLES``, not a new code path.
"""

import re
from dataclasses import dataclass

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True)
class Dateline:
    place: str  # as printed: "MOSCOW"
    region: str = ""  # qualifier as printed: "Ill."
    date: object = None  # a datetime.date, in the place's own time zone
    agency: str = ""  # the agency's mark as printed: "/TASS/"
    date_text: str = ""  # the date as a source printed it, when there is no date


@dataclass(frozen=True)
class HouseStyle:
    name: str
    template: str  # with {place}, {date} and {agency} filled from the parts below
    region: str  # how a region qualifier follows the place, with {region}
    date: str  # how the date follows, with {date}
    day: str  # the date itself, with {month} and {day}
    agency: str  # with {agency}, the agency's mark
    months: tuple = MONTHS


STYLES = {
    # MOSCOW, September 14. /TASS/.
    "tass": HouseStyle(
        name="TASS",
        template="{place}{date}.{agency}",
        region=", {region}",
        date=", {date}",
        day="{month} {day}",
        agency=" {agency}.",
    ),
}
DEFAULT_STYLE = "tass"


def render(dateline, style=DEFAULT_STYLE):
    """The dateline as printed in the given house style."""
    house = STYLES[style]
    place = dateline.place
    if dateline.region:
        place += house.region.format(region=dateline.region)
    day = dateline.date_text
    if dateline.date:
        month = house.months[dateline.date.month - 1]
        day = house.day.format(month=month, day=dateline.date.day)
    date = house.date.format(date=day) if day else ""
    agency = house.agency.format(agency=dateline.agency) if dateline.agency else ""
    return house.template.format(place=place, date=date, agency=agency)


# A place as wire copy prints it: capitals, possibly several words, with
# dots, apostrophes, hyphens and non-ASCII capitals (ST. PETERSBURG,
# N'DJAMENA, SÃO PAULO).
_PLACE = r"[^\W\d_a-z][^\W\da-z]*(?:[ .'’-]+[^\W\da-z]+)*\.?"
_MONTH = "|".join(MONTHS)
_TASS = re.compile(
    rf"(?P<place>{_PLACE})"
    r"(?:, (?P<region>[A-Z][\w.]*(?: [A-Z][\w.]*)*?))?"
    rf", (?P<date>(?:{_MONTH}) \d{{1,2}})\."
    r"(?: (?P<agency>/[^/\s][^/]*/)\.)?"
    r"\s*"
)


def parse(text):
    """
    Split the dateline off the start of a story's text.

    Returns ``(dateline, rest)``; ``dateline`` is None, and ``rest`` the text
    unchanged, when the text does not open with a dateline.
    """
    match = _TASS.match(text)
    if not match:
        return None, text
    dateline = Dateline(
        place=match["place"],
        region=match["region"] or "",
        agency=match["agency"] or "",
        date_text=match["date"],
    )
    return dateline, text[match.end() :]
