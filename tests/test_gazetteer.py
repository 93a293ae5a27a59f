"""The gazetteer: GeoNames lookups, place_for(), Place.save() filling places, the Place admin."""

import pytest
from django.urls import reverse

from articles import gazetteer
from articles.models import Place
from tests.factories import make_place, make_user

MOSCOW_ID = 524901


# lookup: no database


@pytest.mark.parametrize(
    ("name", "region", "country", "time_zone"),
    [
        ("MOSCOW", "", "Russia", "Europe/Moscow"),
        ("PORTLAND", "Ore.", "United States", "America/Los_Angeles"),
        ("PORTLAND", "Maine", "United States", "America/New_York"),
        ("PORTLAND", "Oregon", "United States", "America/Los_Angeles"),
        ("PORTLAND", "ME", "United States", "America/New_York"),
        ("PORTLAND", "Victoria", "Australia", "Australia/Melbourne"),
        ("ROCKFORD", "Ill.", "United States", "America/Chicago"),
        ("MOSCOW", "Idaho", "United States", "America/Los_Angeles"),
        ("ST. PETERSBURG", "Fla.", "United States", "America/New_York"),
        ("WASHINGTON", "D.C.", "United States", "America/New_York"),
        ("ATLANTA", "Georgia", "United States", "America/New_York"),
        ("TBILISI", "Georgia", "Georgia", "Asia/Tbilisi"),
        ("KYIV", "Ukraine", "Ukraine", "Europe/Kyiv"),
        ("BUENOS AIRES", "Argentina", "Argentina", "America/Argentina/Buenos_Aires"),
        ("GROSSETO", "Italy", "Italy", "Europe/Rome"),
        ("HALIFAX", "Nova Scotia", "Canada", "America/Halifax"),
        ("LONDON", "England", "United Kingdom", "Europe/London"),
        ("BRAZZAVILLE", "Congo", "Republic of the Congo", "Africa/Brazzaville"),
    ],
)
def test_lookup_chooses_among_same_named_cities_by_region(name, region, country, time_zone):
    found = gazetteer.lookup(name, region)
    assert (found.country, found.time_zone, found.certain) == (country, time_zone, True)


@pytest.mark.parametrize(
    ("name", "country", "time_zone"),
    [
        ("PORTLAND", "United States", "America/Los_Angeles"),  # Oregon's is the largest
        ("ST. PETERSBURG", "Russia", "Europe/Moscow"),
        ("WASHINGTON", "United States", "America/New_York"),
        ("BEIJING", "China", "Asia/Shanghai"),
    ],
)
def test_lookup_without_region_takes_the_most_populous(name, country, time_zone):
    found = gazetteer.lookup(name)
    assert (found.country, found.time_zone) == (country, time_zone)


def test_lookup_fills_coordinates_and_geonames_id():
    found = gazetteer.lookup("MOSCOW")
    assert found.geonames_id == MOSCOW_ID
    assert (round(found.latitude), round(found.longitude)) == (56, 38)


@pytest.mark.parametrize(
    ("spellings", "city"),
    [
        (["KYIV", "KIEV", "Kyiv", "Kiev"], "Kyiv"),
        (["SÃO PAULO", "SAO PAULO", "São Paulo"], "São Paulo"),
        (["N'DJAMENA", "N’DJAMENA", "NDJAMENA"], "N'Djamena"),
        (["ST. PETERSBURG", "SAINT PETERSBURG", "ST PETERSBURG"], "Saint Petersburg"),
        (["MOSCOW", "МОСКВА", "MOSKVA"], "Moscow"),
        (["ŁÓDŹ", "LODZ"], "Łódź"),
        (["COLOGNE", "KÖLN", "KOLN"], "Köln"),
    ],
)
def test_lookup_knows_accents_apostrophes_abbreviations_and_other_names(spellings, city):
    found = {gazetteer.lookup(name) for name in spellings}
    assert len(found) == 1
    assert found.pop().name == city


def test_lookup_of_an_unknown_place_finds_nothing():
    assert gazetteer.lookup("ABOARD AIR FORCE ONE") is None
    assert gazetteer.lookup("") is None


def test_lookup_finds_nothing_when_no_city_of_that_name_is_in_the_region():
    assert gazetteer.lookup("MOSCOW", "Ukraine") is None
    assert gazetteer.lookup("PORTLAND", "Wyo.") is None


def test_a_region_it_does_not_understand_is_set_aside_and_the_answer_marked_uncertain():
    found = gazetteer.lookup("GROSSETO", "Tuscany")
    assert (found.country, found.certain) == ("Italy", False)


def test_country_named_only_when_the_region_names_one():
    assert gazetteer.country_named("Ukraine") == "Ukraine"
    assert gazetteer.country_named("Ill.") == "United States"
    assert gazetteer.country_named("Georgia") == ""  # the state or the country
    assert gazetteer.country_named("Tuscany") == ""


def test_indexes_are_built_once_per_process(monkeypatch):
    built = gazetteer._indexes()

    def build_again():
        raise AssertionError("the gazetteer was indexed again")

    monkeypatch.setattr(gazetteer, "_build", build_again)
    assert gazetteer._indexes() is built
    assert gazetteer.lookup("PORTLAND", "Maine").time_zone == "America/New_York"


# place_for


@pytest.mark.django_db
def test_place_for_creates_a_place_filled_from_geonames():
    place = gazetteer.place_for("MOSCOW")
    place.refresh_from_db()
    assert (place.name, place.region, place.country) == ("MOSCOW", "", "Russia")
    assert (place.time_zone, place.geonames_id, place.needs_review) == (
        "Europe/Moscow", MOSCOW_ID, False
    )  # fmt: skip
    assert round(place.latitude) == 56 and round(place.longitude) == 38
    assert place.slug == "moscow"


@pytest.mark.django_db
def test_place_for_returns_the_existing_place():
    first = gazetteer.place_for("MOSCOW")
    assert gazetteer.place_for(" moscow ") == first
    assert Place.objects.count() == 1


@pytest.mark.django_db
def test_place_for_keeps_a_place_staff_already_set_up():
    staff = make_place(name="MOSCOW", time_zone="Europe/Moscow", country="Russian Federation")
    assert gazetteer.place_for("MOSCOW") == staff
    staff.refresh_from_db()
    assert (staff.country, staff.geonames_id) == ("Russian Federation", None)


@pytest.mark.django_db
def test_place_for_tells_same_named_places_apart_by_region():
    oregon = gazetteer.place_for("PORTLAND", "Ore.")
    maine = gazetteer.place_for("PORTLAND", "Maine")
    assert oregon != maine
    assert (oregon.time_zone, maine.time_zone) == ("America/Los_Angeles", "America/New_York")
    assert (oregon.slug, maine.slug) == ("portland-ore", "portland-maine")


@pytest.mark.django_db
def test_place_for_keeps_the_name_as_printed_with_its_gazetteer_entry():
    kiev, kyiv = gazetteer.place_for("KIEV"), gazetteer.place_for("KYIV")
    assert (kiev.name, kyiv.name) == ("KIEV", "KYIV")
    assert kiev.geonames_id == kyiv.geonames_id
    assert gazetteer.place_for("SÃO PAULO").time_zone == "America/Sao_Paulo"


@pytest.mark.django_db
def test_place_for_an_unknown_place_creates_it_for_review():
    place = gazetteer.place_for("ABOARD AIR FORCE ONE")
    place.refresh_from_db()
    assert (place.time_zone, place.country, place.needs_review) == ("", "", True)
    assert str(place.zone) == "UTC"


@pytest.mark.django_db
def test_an_unknown_place_still_gets_the_country_its_region_names():
    place = gazetteer.place_for("ZZYZXVILLE", "Ukraine")
    assert (place.country, place.time_zone, place.needs_review) == ("Ukraine", "", True)


@pytest.mark.django_db
def test_a_place_found_despite_an_unknown_region_is_filled_and_flagged():
    place = gazetteer.place_for("GROSSETO", "Tuscany")
    assert (place.country, place.time_zone, place.needs_review) == ("Italy", "Europe/Rome", True)


@pytest.mark.django_db
def test_place_for_finds_a_slug_not_taken():
    make_place(name="OTHER", slug="moscow")
    assert gazetteer.place_for("MOSCOW").slug == "moscow-2"


# Place.save()


@pytest.mark.django_db
def test_a_place_with_a_time_zone_is_not_looked_up():
    place = make_place(name="MOSCOW", time_zone="Europe/Kaliningrad")
    assert (place.country, place.geonames_id, place.needs_review) == ("", None, False)


@pytest.mark.django_db
def test_save_keeps_what_staff_filled_in():
    place = make_place(name="PORTLAND", region="Maine", time_zone="", country="USA", latitude=1.0)
    assert (place.time_zone, place.country) == ("America/New_York", "USA")
    assert (place.latitude, place.longitude) == (1.0, None)


@pytest.mark.django_db
def test_the_country_qualifies_a_place_without_region():
    place = make_place(name="TORONTO", time_zone="", country="Australia")
    assert place.time_zone == "Australia/Sydney"


@pytest.mark.django_db
def test_saving_some_fields_only_looks_nothing_up():
    place = make_place(name="ABOARD AIR FORCE ONE", time_zone="")
    place.name = "MOSCOW"
    place.needs_review = False
    place.save(update_fields=["name", "needs_review"])
    place.refresh_from_db()
    assert (place.time_zone, place.needs_review) == ("", False)


@pytest.mark.django_db
def test_a_place_left_without_time_zone_stays_flagged():
    place = make_place(name="ABOARD AIR FORCE ONE", time_zone="")
    place.needs_review = False
    place.save()
    assert place.needs_review is True


# The Place admin


def admin_url(name, *args):
    return reverse(f"admin:articles_{name}", args=args)


@pytest.fixture
def librarian(client):
    client.force_login(make_user("librarian", "Taxonomy staff"))
    return client


def add_place(client, **fields):
    # The slug is what the add page fills in from name and region as staff type.
    data = {"name": "", "region": "", "slug": "", "country": "", "time_zone": ""}
    data.update(fields)
    return client.post(admin_url("place_add"), data)


@pytest.mark.django_db
def test_staff_add_a_place_by_name_and_region_and_get_the_rest(librarian):
    response = add_place(librarian, name="PORTLAND", region="Maine", slug="portland-maine")
    assert response.status_code == 302
    place = Place.objects.get()
    assert (place.country, place.time_zone, place.needs_review) == (
        "United States", "America/New_York", False
    )  # fmt: skip
    assert place.geonames_id is not None and place.latitude is not None


@pytest.mark.django_db
def test_staff_add_an_unknown_place_and_it_is_flagged(librarian):
    assert add_place(librarian, name="ABOARD AIR FORCE ONE", slug="af1").status_code == 302
    assert Place.objects.get().needs_review is True


@pytest.mark.django_db
def test_staff_can_set_the_time_zone_themselves(librarian):
    add_place(librarian, name="MOSCOW", slug="moscow", time_zone="Europe/Kaliningrad")
    assert (Place.objects.get().time_zone, Place.objects.get().geonames_id) == (
        "Europe/Kaliningrad", None
    )  # fmt: skip


@pytest.mark.django_db
def test_staff_filter_places_that_need_review(librarian):
    make_place(name="MOSCOW", time_zone="Europe/Moscow")
    gazetteer.place_for("ABOARD AIR FORCE ONE")
    page = librarian.get(admin_url("place_changelist"), {"needs_review__exact": "1"})
    assert page.status_code == 200
    assert [place.name for place in page.context["cl"].result_list] == ["ABOARD AIR FORCE ONE"]
    assert "By needs review" in page.content.decode()


@pytest.mark.django_db
def test_place_add_page_explains_the_gazetteer(librarian):
    page = librarian.get(admin_url("place_add")).content.decode()
    assert "filled from the gazetteer" in page
