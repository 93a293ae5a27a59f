import datetime
import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry

from articles.models import Status
from tests.factories import (
    make_agency,
    make_article,
    make_author,
    make_correction,
    make_live,
    make_picture,
    make_place,
    make_section,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
PUBLISHED = datetime.datetime(2017, 9, 14, 9, 0, tzinfo=UTC)
HOUR = datetime.timedelta(hours=1)
LIST = "/api/ninjs/items/"

# The official ninjs 2.2 schema, byte for byte. An empty registry: validation
# never fetches a remote schema (the geojson one is used by no item here).
SCHEMA = json.loads((Path(__file__).parent.parent / "articles" / "schemas" / "ninjs-schema_2.2.json").read_text())
FORMATS = FormatChecker(formats=())


@FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(value):
    return datetime.datetime.fromisoformat(value).tzinfo is not None


@FORMATS.checks("uri")
def _is_uri(value):
    parts = urlsplit(value)
    return bool(parts.scheme) and bool(parts.netloc or parts.path)


NINJS = Draft202012Validator(SCHEMA, format_checker=FORMATS, registry=Registry())


def valid(item):
    errors = sorted(NINJS.iter_errors(item), key=str)
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]
    return item


def get_items(client, **params):
    response = client.get(LIST, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    page = response.json()
    for item in page["items"]:
        valid(item)
    return page


def headlines(page):
    return [item["headlines"][0]["value"] for item in page["items"]]



def make_full_story():
    story = make_live(
        headline="Russia will restore relations with NATO",
        standfirst="Moscow is ready for dialogue.",
        body="<p>Russia will restore relations.</p><p>Second paragraph.</p>",
        published_at=PUBLISHED,
        section=make_section(name="Politics", slug="politics"),
        place=make_place(name="MOSCOW", slug="moscow", time_zone="Europe/Moscow", country="Russia"),
        authors=[make_author(name="Ivan Petrov", slug="ivan-petrov")],
        bylines=more_bylines(),
        tags=["NATO", "Diplomacy"],
        urgency=2,
        guid="urn:newsml:tass.ru:20170914:123",
    )
    return story


def more_bylines():
    return [
        (make_author(name="Anna Ivanova", slug="anna-ivanova"), ""),
        (make_author(name="Olga Smirnova", slug="olga-smirnova"), "Photos by"),
    ]


# One item


def test_item_maps_the_whole_story_to_ninjs(client):
    story = make_full_story()

    item = valid(client.get(f"{LIST}{story.pk}/").json())

    assert item["uri"] == f"tag:testserver,{story.created_at:%Y-%m-%d}:article:{story.pk}"
    assert item["standard"]["version"] == "2.2"
    assert (item["type"], item["pubstatus"], item["language"]) == ("text", "usable", "en")
    assert item["version"] == str(story.version)
    assert item["firstcreated"] == item["versioncreated"] == "2017-09-14T09:00:00Z"
    assert item["headlines"] == [
        {"role": "main", "value": "Russia will restore relations with NATO"}
    ]
    assert item["descriptions"][0]["value"] == "Moscow is ready for dialogue."
    body = item["bodies"][0]
    assert body["contenttype"] == "text/html"
    assert body["value"].startswith('<p><span class="dateline">MOSCOW, September 14.')
    assert body["value"].endswith("<p>Second paragraph.</p>")
    assert item["by"] == "By Ivan Petrov and Anna Ivanova; Photos by Olga Smirnova"
    assert [person["name"] for person in item["people"]] == [
        "Ivan Petrov", "Anna Ivanova", "Olga Smirnova"
    ]  # fmt: skip
    assert item["people"][0]["uri"] == "http://testserver/authors/ivan-petrov/"
    section, *tags = [(s["rel"], s["name"]) for s in item["subjects"]]
    assert section == ("section", "Politics")
    assert sorted(tags) == [("about", "Diplomacy"), ("about", "NATO")]
    assert item["located"] == "MOSCOW, Russia"
    assert item["urgency"] == 2
    assert {"role": "source", "value": "urn:newsml:tass.ru:20170914:123"} in item["altids"]
    assert {"role": "url", "value": f"http://testserver{story.get_absolute_url()}"} in item[
        "altids"
    ]


def test_item_without_optional_parts_is_still_valid(client):
    story = make_live(headline="Bare", body="<p>Text.</p>", published_at=PUBLISHED)
    item = valid(client.get(f"{LIST}{story.pk}/").json())
    for absent in ("descriptions", "located", "urgency", "people", "subjects", "associations"):
        assert absent not in item
    assert item["bodies"][0]["value"] == "<p>Text.</p>"


def test_agency_copy_without_a_byline_names_its_agency_as_creator(client):
    agency = make_agency(name="TASS", mark="/TASS/", website="https://tass.com")
    story = make_live(headline="Wire copy", body="<p>Text.</p>", published_at=PUBLISHED, agency=agency)

    item = valid(client.get(f"{LIST}{story.pk}/").json())

    assert item["by"] == "TASS"
    assert item["organisations"] == [{"name": "TASS", "rel": "creator", "uri": "https://tass.com"}]


def test_lead_image_is_a_picture_association(client):
    story = make_live(
        headline="Kremlin",
        picture=make_picture(
            size=(4, 3),
            alt_text="The Kremlin at dusk",
            caption="The Kremlin, Moscow",
            credit="Ivan Petrov / TASS",
            usage_terms="For news reporting only.",
        ),
    )
    picture = valid(client.get(f"{LIST}{story.pk}/").json())["associations"][0]
    assert picture["type"] == "picture"
    lead = story.picture.renditions.get(shape="lead", format="jpeg")
    assert picture["uri"] == f"http://testserver{lead.file.url}"
    assert {"name": "lead-4-jpeg", "href": picture["uri"], "contenttype": "image/jpeg",
            "width": 4, "height": 2, "sizeinbytes": lead.size} in picture["renditions"]  # fmt: skip
    assert picture["by"] == "Ivan Petrov / TASS"
    assert picture["usageterms"] == "For news reporting only."
    assert {"role": "caption", "value": "The Kremlin, Moscow"} in picture["descriptions"]


def test_versioncreated_follows_the_latest_correction(client):
    story = make_live(headline="Corrected", published_at=PUBLISHED)
    story.revised_at = PUBLISHED + datetime.timedelta(hours=1)
    story.save()
    note_time = PUBLISHED + datetime.timedelta(hours=2)
    make_correction(story, "A name was misspelt.", at=note_time)

    item = valid(client.get(f"{LIST}{story.pk}/").json())

    assert item["firstcreated"] == "2017-09-14T09:00:00Z"
    assert item["versioncreated"] == "2017-09-14T11:00:00Z"


def test_embargoed_story_is_first_created_when_its_embargo_lifted(client):
    lifted = PUBLISHED + datetime.timedelta(hours=3)
    story = make_live(headline="Embargo over", published_at=PUBLISHED, embargo_until=lifted)
    item = valid(client.get(f"{LIST}{story.pk}/").json())
    assert item["firstcreated"] == item["versioncreated"] == "2017-09-14T12:00:00Z"


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW, Status.WITHDRAWN])
def test_item_that_is_not_live_is_not_found(client, status):
    story = make_article(headline="Hidden", status=status, published_at=PUBLISHED)
    response = client.get(f"{LIST}{story.pk}/")
    assert response.status_code == 404
    assert response.json() == {"error": "No public story has this id."}


def test_unknown_item_is_not_found(client):
    assert client.get(f"{LIST}999999/").status_code == 404
    assert client.get(f"{LIST}not-a-number/").status_code == 404


def test_api_is_read_only(client):
    assert client.post(LIST).status_code == 405


# The list


def make_stories(count, start=PUBLISHED):
    return [
        make_live(headline=f"Story {n:03d}", published_at=start - datetime.timedelta(minutes=n))
        for n in range(count)
    ]


def test_list_is_newest_first_twenty_a_page_with_a_cursor(client):
    make_stories(25)

    first = get_items(client)
    second = client.get(first["next"]).json()

    assert headlines(first) == [f"Story {n:03d}" for n in range(20)]
    assert headlines(second) == [f"Story {n:03d}" for n in range(20, 25)]
    assert second["next"] is None
    assert first["next"].startswith("http://testserver/api/ninjs/items/?cursor=")


def test_cursor_pages_do_not_shift_when_a_story_is_published_meanwhile(client):
    make_stories(6)
    first = get_items(client, limit=3)
    make_live(headline="Breaking", published_at=PUBLISHED + datetime.timedelta(minutes=5))
    second = client.get(first["next"]).json()
    assert headlines(second) == ["Story 003", "Story 004", "Story 005"]


def test_stories_with_the_same_time_are_paged_by_id(client):
    same = [make_live(headline=f"Same {n}", published_at=PUBLISHED) for n in range(5)]
    seen, url = [], LIST + "?limit=2"
    while url:
        page = client.get(url).json()
        seen += headlines(page)
        url = page["next"]
    assert seen == [story.headline for story in reversed(same)]


def test_limit_goes_up_to_one_hundred(client):
    make_stories(101)
    assert len(get_items(client, limit=100)["items"]) == 100
    assert len(get_items(client, limit=1)["items"]) == 1


def test_next_link_keeps_the_filters(client):
    make_stories(3)
    page = get_items(client, limit=2, since="2017-09-01T00:00:00Z")
    query = parse_qs(urlsplit(page["next"]).query)
    assert query["limit"] == ["2"]
    assert query["since"] == ["2017-09-01T00:00:00Z"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"limit": "0"}, "limit must be a whole number from 1 to 100."),
        ({"limit": "101"}, "limit must be a whole number from 1 to 100."),
        ({"limit": "ten"}, "limit must be a whole number from 1 to 100."),
        ({"limit": "-5"}, "limit must be a whole number from 1 to 100."),
        ({"since": "yesterday"}, "since must be an ISO 8601"),
        ({"since": "2017-09-14T09:00:00"}, "since must be an ISO 8601"),  # no offset
        ({"since": "2017-09-14 09:00:00 03:00"}, "since must be an ISO 8601"),  # "+" unescaped
        ({"since": "2017-02-30T09:00:00Z"}, "since must be an ISO 8601"),
        ({"cursor": "nonsense"}, "cursor is not one this API gave out"),
    ],
)
def test_bad_parameters_answer_400_with_a_clear_error(client, params, message):
    response = client.get(LIST, params)
    assert response.status_code == 400
    assert response.json()["error"].startswith(message)


def test_tampered_cursor_is_refused(client):
    make_stories(3)
    cursor = parse_qs(urlsplit(get_items(client, limit=1)["next"]).query)["cursor"][0]
    response = client.get(LIST, {"cursor": cursor[:-2] + "xx"})
    assert response.status_code == 400


def test_since_finds_stories_published_or_updated_since(client):
    since = PUBLISHED + datetime.timedelta(days=1)
    later = since + datetime.timedelta(hours=1)
    make_live(headline="Old and untouched", published_at=PUBLISHED)
    make_live(headline="New", published_at=later)
    revised = make_live(headline="Old, edited", published_at=PUBLISHED)
    revised.revised_at = later
    revised.save()
    corrected = make_live(headline="Old, corrected", published_at=PUBLISHED)
    make_correction(corrected, "Fixed.", at=later)
    make_live(headline="Old, embargo lifted", published_at=PUBLISHED, embargo_until=later)

    page = get_items(client, since="2017-09-15T12:00:00+03:00")

    assert sorted(headlines(page)) == [
        "New", "Old, corrected", "Old, edited", "Old, embargo lifted"
    ]  # fmt: skip


def test_since_pages_through_new_and_changed_stories_newest_first(client):
    since = PUBLISHED + datetime.timedelta(days=1)
    later = since + datetime.timedelta(hours=1)
    make_live(headline="Old and untouched", published_at=PUBLISHED)
    make_live(headline="Newest", published_at=later + datetime.timedelta(hours=1))
    make_live(headline="New", published_at=later)
    corrected = make_live(headline="Old, corrected", published_at=PUBLISHED)
    make_correction(corrected, at=later)
    make_live(headline="Oldest, embargo lifted", published_at=PUBLISHED - HOUR, embargo_until=later)

    seen, url, params = [], LIST, {"since": "2017-09-15T09:00:00Z", "limit": 1}
    while url:
        page = client.get(url, params).json()
        seen += headlines(page)
        url, params = page["next"], {}
    assert seen == ["Newest", "New", "Old, corrected", "Oldest, embargo lifted"]


def test_list_without_stories_is_empty(client):
    assert get_items(client) == {"items": [], "next": None}


# Query counts

# The stories, their tags, their bylines.
API_QUERIES = 3


def add_ten_more_stories():
    for n in range(10):
        story = make_live(
            headline=f"More {n}",
            published_at=PUBLISHED - datetime.timedelta(hours=n + 1),
            section=make_section(),
            place=make_place(),
            authors=[make_author(), make_author()],
            tags=[f"Topic {n}", f"Region {n}"],
        )
        make_correction(story, "Fixed.")


@pytest.mark.parametrize("which", ["list", "item"])
def test_api_query_count_stays_the_same_with_ten_more_stories(
    client, django_assert_num_queries, which
):
    story = make_full_story()
    url = LIST if which == "list" else f"{LIST}{story.pk}/"
    with django_assert_num_queries(API_QUERIES):
        client.get(url)

    add_ten_more_stories()

    with django_assert_num_queries(API_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    if which == "list":
        assert len(response.json()["items"]) == 11


def test_url_names():
    assert reverse("articles:api_items") == LIST
    assert reverse("articles:api_item", args=[7]) == f"{LIST}7/"


def test_permanent_ids_use_the_configured_domain_whatever_the_host(client, settings):
    settings.NEWSROOM_ID_DOMAIN = "news.example.org"
    settings.ALLOWED_HOSTS = ["testserver", "mirror.example.org"]
    story = make_full_story()
    uris = {
        client.get(f"{LIST}{story.pk}/", HTTP_HOST=host).json()["uri"]
        for host in ("testserver", "mirror.example.org")
    }
    assert uris == {f"tag:news.example.org,{story.created_at:%Y-%m-%d}:article:{story.pk}"}
