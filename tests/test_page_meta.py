"""Listing pages name themselves to search engines and networks: canonical address, description, Open Graph."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import make_live, make_section
from tests.test_structured_data import SOCIAL_IMAGE, Head

pytestmark = pytest.mark.django_db

PUBLISHED = datetime.datetime(2017, 9, 14, 9, 0, tzinfo=datetime.UTC)


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return Head(response.content.decode())


def test_a_listing_page_has_one_canonical_address_a_description_and_open_graph(client):
    make_live(headline="A story", published_at=PUBLISHED)

    head = page(client, reverse("articles:index"))

    assert head.canonical == ["http://testserver/news/"]
    assert head.one("description") == "All news: the latest stories from Newsroom."
    assert head.one("og:type") == "website"
    assert head.one("og:title") == "All news · Newsroom"
    assert head.one("og:url") == "http://testserver/news/"
    assert head.one("og:image") == SOCIAL_IMAGE["url"]


def test_a_later_page_is_its_own_canonical_address_and_other_parameters_are_not(client):
    for n in range(25):
        make_live(headline=f"Story {n}", published_at=PUBLISHED - datetime.timedelta(hours=n))

    head = page(client, reverse("articles:index") + "?page=2&utm_source=mail")

    assert head.canonical == ["http://testserver/news/?page=2"]


def test_a_section_is_described_in_its_own_words(client):
    section = make_section(name="Economy", slug="economy", description="Markets, trade and work.")
    make_live(headline="Markets rise", published_at=PUBLISHED, section=section)

    head = page(client, section.get_absolute_url())

    assert head.one("description") == head.one("og:description") == "Markets, trade and work."
    assert head.one("og:title") == "Economy · Newsroom"


def test_a_page_not_found_has_no_canonical_address(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert Head(response.content.decode()).canonical == []
