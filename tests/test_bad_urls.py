"""
Malformed parameters and impossible dates on public URLs: each is a 400 or a
404 with a reason, never a server error, whatever the newsroom's time zone and
whether or not the page cache is on.
"""

import pytest

from articles.models import Status
from tests.factories import make_article, make_author, make_place, make_section

BAD = [
    # The ninjs API's parameters
    "/api/ninjs/items/?limit=%C2%B2",  # a superscript two: a digit int() refuses
    "/api/ninjs/items/?limit=%D9%A3",  # an Arabic-Indic three
    "/api/ninjs/items/?limit=-1",
    "/api/ninjs/items/?limit=99999999999999999999",
    "/api/ninjs/items/?since=%C2%B2",
    "/api/ninjs/items/?since=99999-01-01T00:00:00Z",
    "/api/ninjs/items/?since=0001-01-01T00:00:00%2B05:00",  # before year 1 in UTC
    "/api/ninjs/items/?since=2017-09-14T09:00:00%2B24:00",
    "/api/ninjs/items/?since=2017-09-14T09:00:00",
    "/api/ninjs/items/?cursor=%00",
    "/api/ninjs/items/?cursor=" + "A" * 5000,
    "/api/ninjs/items/99999999999999999999999/",
    # Dates no story can have
    "/9999/12/31/",
    "/9999/12/",
    "/9999/",
    "/0000/01/01/",
    "/0001/01/01/",
    "/0001/01/",
    "/2023/02/29/",
    "/2024/02/30/",
    "/2024/13/",
    "/2024/00/",
    "/2024/01/00/",
    "/9999/12/31/any-story-1/",
    "/0000/00/00/any-story-1/",
    # Pages past the end, or not numbers
    "/news/?page=%C2%B2",
    "/news/?page=0",
    "/news/?page=-1",
    "/news/?page=99999999999999999999999",
    "/news/?page=last%00",
    "/corrections/?page=99999999999999999999999",
    # Sitemap parts that cannot exist
    "/sitemap-9999-12.xml",
    "/sitemap-1000-00.xml",
    "/sitemap-2024-13.xml",
    "/sitemap-2024-01.xml?part=%C2%B2",
    # Names that are no one's
    "/tags/%C2%B2/",
    "/datelines/no-such-place/",
    "/authors/no-such-author/feed/atom/",
    "/preview/%00/",
    "/preview/" + "x" * 3000 + "/",
]


@pytest.fixture
def newsroom():
    """A live story in every listing, so no page is empty for a lack of stories."""
    make_article(
        status=Status.PUBLISHED,
        section=make_section(slug="world"),
        place=make_place(slug="moscow"),
        authors=[make_author(slug="reporter")],
        tags=["Politics"],
    )


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ["UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago"])
@pytest.mark.parametrize("cached", [False, True], ids=["uncached", "page-cache"])
def test_malformed_public_urls_are_refused_not_server_errors(
    client, settings, request, newsroom, zone, cached
):
    settings.TIME_ZONE = zone
    if cached:
        request.getfixturevalue("page_cache")

    answers = {path[:80]: client.get(path).status_code for path in BAD}

    assert {path: status for path, status in answers.items() if status not in (400, 404)} == {}


@pytest.mark.django_db
def test_the_api_says_what_is_wrong_with_a_limit_of_unusual_digits(client):
    response = client.get("/api/ninjs/items/?limit=%C2%B2")

    assert response.status_code == 400
    assert b"limit must be a whole number from 1 to 100." in response.content


@pytest.mark.django_db
def test_since_with_any_offset_python_reads_is_taken_in_utc(client, newsroom):
    # PostgreSQL refuses offsets past 15:59; the API converts to UTC first.
    response = client.get("/api/ninjs/items/?since=2000-01-01T00:00:00%2B16:00")

    assert response.status_code == 200
    assert len(response.json()["items"]) == 1


@pytest.mark.django_db
def test_the_last_day_of_year_9999_is_simply_not_found(client):
    response = client.get("/9999/12/31/")

    assert response.status_code == 404
