import datetime

import pytest

from articles import datelines
from articles.datelines import Dateline
from tests.factories import make_agency, make_article, make_place

UTC = datetime.UTC
SEPTEMBER_14 = datetime.date(2017, 9, 14)


# render


def test_render_in_tass_style():
    dateline = Dateline(place="MOSCOW", date=SEPTEMBER_14, agency="/TASS/")
    assert datelines.render(dateline, "tass") == "MOSCOW, September 14. /TASS/."


def test_tass_is_the_default_style():
    dateline = Dateline(place="MOSCOW", date=SEPTEMBER_14, agency="/TASS/")
    assert datelines.render(dateline) == "MOSCOW, September 14. /TASS/."


def test_render_without_agency():
    dateline = Dateline(place="MOSCOW", date=SEPTEMBER_14)
    assert datelines.render(dateline) == "MOSCOW, September 14."


def test_render_with_region_qualifier():
    dateline = Dateline(place="ROCKFORD", region="Ill.", date=SEPTEMBER_14, agency="/TASS/")
    assert datelines.render(dateline) == "ROCKFORD, Ill., September 14. /TASS/."


def test_render_prints_the_day_without_leading_zero():
    dateline = Dateline(place="MINSK", date=datetime.date(2017, 1, 4))
    assert datelines.render(dateline) == "MINSK, January 4."


def test_render_uses_the_date_text_of_a_parsed_dateline():
    dateline = Dateline(place="MOSCOW", date_text="September 14", agency="/TASS/")
    assert datelines.render(dateline) == "MOSCOW, September 14. /TASS/."


def test_render_in_ap_style_prints_no_date():
    dateline = Dateline(place="ROCKFORD", region="Ill.", date=SEPTEMBER_14, agency="(AP)")
    assert datelines.render(dateline, "ap") == "ROCKFORD, Ill. (AP) —"


def test_render_in_ap_style_without_region_or_agency():
    assert (
        datelines.render(Dateline(place="WASHINGTON", agency="(AP)"), "ap") == "WASHINGTON (AP) —"
    )
    assert datelines.render(Dateline(place="WASHINGTON", date=SEPTEMBER_14), "ap") == "WASHINGTON —"


def test_render_in_reuters_style():
    dateline = Dateline(place="LONDON", date=SEPTEMBER_14, agency="(Reuters)")
    assert datelines.render(dateline, "reuters") == "LONDON, Sept 14 (Reuters) -"


def test_render_in_reuters_style_with_region_and_without_agency():
    dateline = Dateline(place="PORTLAND", region="Ore.", date=SEPTEMBER_14)
    assert datelines.render(dateline, "reuters") == "PORTLAND, Ore., Sept 14 -"


@pytest.mark.parametrize(
    ("month", "printed"),
    list(enumerate("Jan Feb March April May June July Aug Sept Oct Nov Dec".split(), start=1)),
)
def test_reuters_spells_out_short_months_and_abbreviates_long_ones(month, printed):
    dateline = Dateline(place="LONDON", date=datetime.date(2017, month, 3))
    assert datelines.render(dateline, "reuters") == f"LONDON, {printed} 3 -"


@pytest.mark.parametrize(
    ("style", "printed"),
    [("tass", "MOSCOW, September 14. /TASS/."), ("ap", "MOSCOW (TASS) —"),
     ("reuters", "MOSCOW, Sept 14 (TASS) -")],
)  # fmt: skip
def test_each_style_prints_the_agency_in_its_own_marks(style, printed):
    for mark in ("/TASS/", "(TASS)", "TASS"):
        dateline = Dateline(place="MOSCOW", date=SEPTEMBER_14, agency=mark)
        assert datelines.render(dateline, style) == printed


def test_render_prints_a_source_date_as_printed_except_in_ap_style():
    dateline = Dateline(place="BEIJING", date_text="Sept. 14", agency="(Xinhua)")
    assert datelines.render(dateline, "tass") == "BEIJING, Sept. 14. /Xinhua/."
    assert datelines.render(dateline, "reuters") == "BEIJING, Sept. 14 (Xinhua) -"
    assert datelines.render(dateline, "ap") == "BEIJING (Xinhua) —"


def test_unknown_style_is_refused_by_render():
    with pytest.raises(KeyError):
        datelines.render(Dateline(place="MOSCOW"), "bbc")


@pytest.mark.parametrize(
    ("names", "style"),
    [
        (("ap", "tass"), "ap"),
        (("", "reuters"), "reuters"),
        (("Reuters ", "tass"), "reuters"),
        (("bbc", "ap"), "ap"),
        (("", ""), "tass"),
        ((None, "nonsense"), "tass"),
    ],
)
def test_style_for_takes_the_first_house_style_named(names, style):
    assert datelines.style_for(*names) == style


# parse(render(dateline, style)): every style reads back into the same parts

ROUND_TRIPS = [
    Dateline(place="MOSCOW", date=SEPTEMBER_14, agency="/TASS/"),
    Dateline(place="ROCKFORD", region="Ill.", date=datetime.date(2017, 3, 1), agency="(AP)"),
    Dateline(place="LONDON", date=datetime.date(2017, 12, 31), agency="(Reuters)"),
    Dateline(place="SÃO PAULO", region="Brazil", date=datetime.date(2017, 6, 9), agency="(AFP)"),
    Dateline(place="ST. PETERSBURG", region="Fla.", date=datetime.date(2017, 2, 28), agency="(AP)"),
    Dateline(place="N'DJAMENA", date=SEPTEMBER_14, agency="(Reuters)"),
    Dateline(place="PORTLAND", region="Maine", date=datetime.date(2017, 7, 4)),
    Dateline(place="KYIV", region="Ukraine", date=datetime.date(2017, 8, 24)),
]


# A style that prints places in title case (dpa's) always prints its agency:
# "Portland, Maine -" alone would be no dateline.
ROUND_TRIP_CASES = [
    (style, dateline)
    for style in sorted(datelines.STYLES)
    for dateline in ROUND_TRIPS
    if dateline.agency or not datelines.STYLES[style].title_case
]


@pytest.mark.parametrize(
    ("style", "dateline"), ROUND_TRIP_CASES, ids=lambda v: v if isinstance(v, str) else v.place
)
def test_parse_reads_back_what_render_prints(style, dateline):
    house = datelines.STYLES[style]
    printed = datelines.render(dateline, style)
    parsed, rest = datelines.parse(f"{printed} The story goes on.")
    assert parsed is not None, printed
    place = datelines.title_case(dateline.place) if house.title_case else dateline.place
    assert (parsed.place, parsed.region) == (place, dateline.region)
    assert parsed.agency_name == dateline.agency_name
    expected_day = dateline.month_day if house.date else None
    assert parsed.month_day == expected_day
    assert parsed.raw == printed
    assert rest == "The story goes on."


@pytest.mark.parametrize(
    ("style", "printed"),
    [
        ("tass", "ROCKFORD, Ill., September 14. /TASS/."),
        ("ap", "ROCKFORD, Ill. (AP) —"),
        ("ap", "BUENOS AIRES, Argentina (AP) —"),
        ("reuters", "LONDON, Sept 14 (Reuters) -"),
        ("reuters", "PORTLAND, Ore., March 3 (Reuters) -"),
        ("dpa", "Hamburg (dpa) -"),
        ("dpa", "Rio de Janeiro (dpa) -"),
        ("afp", "LYON, 3 oct (AFP) -"),
        ("afp", "PARIS, 14 sept (AFP) -"),
    ],
)
def test_render_gives_back_a_parsed_dateline_in_its_own_style(style, printed):
    dateline, _ = datelines.parse(f"{printed} Text.")
    assert datelines.render(dateline, style) == printed


# Article.dateline_text: the date in the place's own time zone


def story_at(when, *, time_zone, name="MOSCOW", agency=True, **place_fields):
    place = make_place(name=name, time_zone=time_zone, **place_fields)
    return make_article(
        place=place,
        agency=make_agency(name=f"TASS {name}", mark="/TASS/") if agency else None,
        published_at=when,
    )


@pytest.mark.django_db
def test_dateline_text_uses_the_place_date_not_the_utc_date():
    story = story_at(datetime.datetime(2017, 9, 13, 23, 30, tzinfo=UTC), time_zone="Europe/Moscow")
    assert story.dateline_text == "MOSCOW, September 14. /TASS/."


@pytest.mark.django_db
def test_same_instant_west_of_greenwich_is_still_the_day_before():
    story = story_at(
        datetime.datetime(2017, 9, 13, 23, 30, tzinfo=UTC),
        time_zone="America/Chicago",
        name="ROCKFORD",
        region="Ill.",
    )
    assert story.dateline_text == "ROCKFORD, Ill., September 13. /TASS/."


@pytest.mark.django_db
def test_dateline_text_without_agency():
    story = story_at(
        datetime.datetime(2017, 9, 14, 9, 0, tzinfo=UTC), time_zone="Europe/Moscow", agency=False
    )
    assert story.dateline_text == "MOSCOW, September 14."


@pytest.mark.django_db
def test_places_either_side_of_the_date_line_print_different_dates():
    instant = datetime.datetime(2017, 9, 13, 12, 0, tzinfo=UTC)
    # UTC+14 and UTC-11: 25 hours apart, two calendar days at once.
    kiritimati = story_at(instant, time_zone="Pacific/Kiritimati", name="KIRITIMATI")
    pago_pago = story_at(instant, time_zone="Pacific/Pago_Pago", name="PAGO PAGO")
    honolulu = story_at(instant, time_zone="Pacific/Honolulu", name="HONOLULU")
    assert kiritimati.dateline_text == "KIRITIMATI, September 14. /TASS/."
    assert pago_pago.dateline_text == "PAGO PAGO, September 13. /TASS/."
    assert honolulu.dateline_text == "HONOLULU, September 13. /TASS/."


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("utc_time", "expected"),
    [
        # Moscow is UTC+3: its midnight is 21:00 UTC.
        (datetime.datetime(2017, 9, 13, 20, 59, 59, tzinfo=UTC), "MOSCOW, September 13. /TASS/."),
        (datetime.datetime(2017, 9, 13, 21, 0, 0, tzinfo=UTC), "MOSCOW, September 14. /TASS/."),
    ],
)
def test_dateline_changes_date_exactly_at_local_midnight(utc_time, expected):
    assert story_at(utc_time, time_zone="Europe/Moscow").dateline_text == expected


@pytest.mark.django_db
def test_dateline_ignores_the_newsroom_time_zone(settings):
    settings.TIME_ZONE = "America/Los_Angeles"
    story = story_at(datetime.datetime(2017, 9, 13, 23, 30, tzinfo=UTC), time_zone="Europe/Moscow")
    assert story.dateline_text == "MOSCOW, September 14. /TASS/."


@pytest.mark.django_db
def test_story_without_place_has_no_dateline():
    story = make_article(published_at=datetime.datetime(2017, 9, 14, tzinfo=UTC))
    assert story.dateline is None
    assert story.dateline_text == ""


# parse


@pytest.mark.parametrize(
    ("text", "place", "region", "agency", "rest"),
    [
        ("MOSCOW, September 14. /TASS/. Russia will", "MOSCOW", "", "/TASS/", "Russia will"),
        ("MOSCOW, September 14. Russia will", "MOSCOW", "", "", "Russia will"),
        ("ST. PETERSBURG, September 4. /TASS/. City", "ST. PETERSBURG", "", "/TASS/", "City"),
        ("SÃO PAULO, September 14. /TASS/. Brazil", "SÃO PAULO", "", "/TASS/", "Brazil"),
        ("N'DJAMENA, September 14. /TASS/. Chad", "N'DJAMENA", "", "/TASS/", "Chad"),
        ("N’DJAMENA, September 14. /TASS/. Chad", "N’DJAMENA", "", "/TASS/", "Chad"),
        ("NEW YORK, September 14. /TASS/. The UN", "NEW YORK", "", "/TASS/", "The UN"),
        ("PORT-AU-PRINCE, September 14. /TASS/. Haiti", "PORT-AU-PRINCE", "", "/TASS/", "Haiti"),
        ("ROCKFORD, Ill., September 14. /TASS/. A town", "ROCKFORD", "Ill.", "/TASS/", "A town"),
        ("WASHINGTON, D.C., September 14. /TASS/. The", "WASHINGTON", "D.C.", "/TASS/", "The"),
    ],
)
def test_parse_splits_the_dateline_from_the_story(text, place, region, agency, rest):
    dateline, remainder = datelines.parse(text)
    assert (dateline.place, dateline.region, dateline.agency) == (place, region, agency)
    assert remainder == rest


def test_a_parsed_dateline_equals_one_built_from_its_parts():
    parsed, _ = datelines.parse("MOSCOW, September 4. /TASS/. Russia will")
    assert parsed == Dateline(place="MOSCOW", date_text="September 4", agency="/TASS/")
    assert parsed.raw == "MOSCOW, September 4. /TASS/."


def test_parse_keeps_the_date_as_printed():
    dateline, _ = datelines.parse("MOSCOW, September 4. /TASS/. Russia will")
    assert dateline.date_text == "September 4"
    assert dateline.date is None


@pytest.mark.parametrize(
    "printed",
    [
        "MOSCOW, September 14. /TASS/.",
        "MOSCOW, September 14.",
        "ST. PETERSBURG, September 4. /TASS/.",
        "SÃO PAULO, December 31. /TASS/.",
        "N'DJAMENA, May 1. /TASS/.",
        "ROCKFORD, Ill., September 14. /TASS/.",
        "ST. PETERSBURG, Fla., September 14.",
    ],
)
def test_render_gives_back_the_parsed_dateline_exactly(printed):
    dateline, rest = datelines.parse(f"{printed} Russia will restore relations.")
    assert datelines.render(dateline) == printed
    assert rest == "Russia will restore relations."


@pytest.mark.parametrize(
    "text",
    [
        "Russia will restore relations with NATO.",
        "NATO said on Thursday that it would meet.",
        "MOSCOW said on September 14 that it would.",
        "The MOSCOW, September 14. /TASS/. story",
        "moscow, September 14. /TASS/. Russia",
        "",
    ],
)
def test_parse_leaves_text_without_a_dateline_unchanged(text):
    assert datelines.parse(text) == (None, text)


# Article.dateline_text: the house style per agency, overrides, printed dates


def rockford_story(*, style="", mark="(AP)", **fields):
    place = make_place(name="ROCKFORD", region="Ill.", time_zone="America/Chicago")
    agency = make_agency(name=f"Agency {mark}", mark=mark, dateline_style=style) if mark else None
    fields.setdefault("published_at", datetime.datetime(2017, 9, 14, 15, 0, tzinfo=UTC))
    return make_article(place=place, agency=agency, **fields)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("ap", "ROCKFORD, Ill. (AP) —"),
        ("reuters", "ROCKFORD, Ill., Sept 14 (AP) -"),
        ("tass", "ROCKFORD, Ill., September 14. /AP/."),
        ("AP", "ROCKFORD, Ill. (AP) —"),
    ],
)
def test_dateline_text_uses_the_agency_house_style(settings, style, expected):
    settings.NEWSROOM_DATELINE_STYLE = "tass"
    assert rockford_story(style=style).dateline_text == expected


@pytest.mark.django_db
def test_agency_without_a_style_uses_the_site_style(settings):
    settings.NEWSROOM_DATELINE_STYLE = "reuters"
    assert rockford_story(style="").dateline_text == "ROCKFORD, Ill., Sept 14 (AP) -"


@pytest.mark.django_db
def test_agency_with_an_unknown_style_uses_the_site_style(settings):
    settings.NEWSROOM_DATELINE_STYLE = "ap"
    assert rockford_story(style="bbc").dateline_text == "ROCKFORD, Ill. (AP) —"


@pytest.mark.django_db
def test_story_without_agency_uses_the_site_style(settings):
    settings.NEWSROOM_DATELINE_STYLE = "ap"
    assert rockford_story(mark="").dateline_text == "ROCKFORD, Ill. —"


@pytest.mark.django_db
def test_reuters_style_prints_the_date_in_the_place_time_zone():
    # 02:00 UTC on the 15th is still the 14th in Illinois.
    when = datetime.datetime(2017, 9, 15, 2, 0, tzinfo=UTC)
    story = rockford_story(style="reuters", mark="(Reuters)", published_at=when)
    assert story.dateline_text == "ROCKFORD, Ill., Sept 14 (Reuters) -"


@pytest.mark.django_db
def test_override_is_printed_as_is():
    story = rockford_story(style="ap", dateline_override="ABOARD AIR FORCE ONE (AP) —")
    assert story.dateline_text == "ABOARD AIR FORCE ONE (AP) —"


@pytest.mark.django_db
def test_override_is_printed_even_without_a_place():
    story = make_article(dateline_override="BEIJING/MOSCOW, September 14. /TASS/.")
    assert story.dateline_text == "BEIJING/MOSCOW, September 14. /TASS/."


@pytest.mark.django_db
def test_blank_override_is_ignored():
    assert (
        rockford_story(style="ap", dateline_override="   ").dateline_text == "ROCKFORD, Ill. (AP) —"
    )


@pytest.mark.django_db
def test_imported_copy_without_publication_time_prints_the_source_date():
    story = rockford_story(
        style="reuters", mark="(Reuters)", published_at=None, dateline_date_text="Sept. 13"
    )
    assert story.dateline.date is None
    assert story.dateline_text == "ROCKFORD, Ill., Sept. 13 (Reuters) -"


@pytest.mark.django_db
def test_once_published_imported_copy_prints_its_publication_date():
    story = rockford_story(style="reuters", mark="(Reuters)", dateline_date_text="Sept. 13")
    assert story.dateline_text == "ROCKFORD, Ill., Sept 14 (Reuters) -"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("style", "mark", "expected"),
    [("dpa", "(dpa)", "Rockford, Ill. (dpa) -"), ("afp", "(AFP)", "ROCKFORD, Ill., 14 sept (AFP) -")],
)
def test_a_dpa_or_afp_story_prints_in_its_agencys_own_style(settings, style, mark, expected):
    settings.NEWSROOM_DATELINE_STYLE = "tass"
    assert rockford_story(style=style, mark=mark).dateline_text == expected


def test_title_case_keeps_particles_and_dotted_names():
    assert datelines.title_case("ST. PETERSBURG") == "St. Petersburg"
    assert datelines.title_case("RIO DE JANEIRO") == "Rio de Janeiro"
    assert datelines.title_case("FRANKFURT AM MAIN") == "Frankfurt am Main"


# TASS's Russian service: МОСКВА, 3 октября. /ТАСС/.


def test_render_in_russian_tass_style():
    dateline = Dateline(place="МОСКВА", date=datetime.date(2025, 10, 3), agency="/ТАСС/")
    assert datelines.render(dateline, "tass_ru") == "МОСКВА, 3 октября. /ТАСС/."


@pytest.mark.parametrize("month", range(1, 13))
def test_russian_tass_style_reads_back_every_month_in_the_genitive(month):
    dateline = Dateline(place="САНКТ-ПЕТЕРБУРГ", date=datetime.date(2025, month, 28), agency="/ТАСС/")
    printed = datelines.render(dateline, "tass_ru")

    parsed, rest = datelines.parse(f"{printed} Президент заявил.")

    assert (parsed.place, parsed.month_day, parsed.agency_name, rest) == ("САНКТ-ПЕТЕРБУРГ", (month, 28), "ТАСС", "Президент заявил.")
    assert datelines.render(parsed, "tass_ru") == printed
