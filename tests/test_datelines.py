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
