import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import sitemaps
from articles.models import Correction, Status
from tests.factories import make_article, make_author, make_live, make_place, make_section

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
PUBLISHED = datetime.datetime(2017, 9, 14, 9, 0, tzinfo=UTC)
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
NS = {"s": SITEMAP, "news": NEWS}


def fetch(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/xml"
    assert response["X-Robots-Tag"].startswith("noindex")
    return ET.fromstring(response.content)


def index_entries(client):
    root = fetch(client, "/sitemap.xml")
    assert root.tag == f"{{{SITEMAP}}}sitemapindex"
    return [
        (entry.findtext("s:loc", namespaces=NS), entry.findtext("s:lastmod", namespaces=NS))
        for entry in root.findall("s:sitemap", NS)
    ]


def urls(client, url, **params):
    root = fetch(client, url, **params)
    assert root.tag == f"{{{SITEMAP}}}urlset"
    return [
        (entry.findtext("s:loc", namespaces=NS), entry.findtext("s:lastmod", namespaces=NS))
        for entry in root.findall("s:url", NS)
    ]


def absolute(path):
    return f"http://testserver{path}"


# The index


def test_index_lists_pages_sections_news_and_each_month_newest_first(client):
    make_live(headline="September", published_at=PUBLISHED)
    make_live(headline="July", published_at=datetime.datetime(2017, 7, 1, 12, tzinfo=UTC))
    make_article(headline="Draft in August", published_at=datetime.datetime(2017, 8, 1, tzinfo=UTC))

    entries = index_entries(client)

    assert [loc for loc, _lastmod in entries] == [
        absolute("/sitemap-pages.xml"),
        absolute("/sitemap-sections.xml"),
        absolute("/sitemap-news.xml"),
        absolute("/sitemap-2017-09.xml"),
        absolute("/sitemap-2017-07.xml"),
    ]
    assert datetime.datetime.fromisoformat(entries[3][1]) == PUBLISHED


def test_month_lastmod_in_the_index_follows_corrections_and_revisions(client):
    story = make_live(headline="Corrected", published_at=PUBLISHED)
    other = make_live(headline="Revised", published_at=PUBLISHED)
    other.revised_at = PUBLISHED + datetime.timedelta(hours=1)
    other.save()
    note_time = PUBLISHED + datetime.timedelta(days=20)
    Correction.objects.create(article=story, text="Fixed.", created_at=note_time)

    (_loc, lastmod) = index_entries(client)[-1]

    assert datetime.datetime.fromisoformat(lastmod) == note_time


def test_index_follows_the_newsroom_time_zone(client, settings):
    settings.TIME_ZONE = "Europe/Moscow"
    # 21:30 UTC on 31 August is already September in Moscow.
    make_live(
        headline="First of September",
        published_at=datetime.datetime(2017, 8, 31, 21, 30, tzinfo=UTC),
    )
    assert index_entries(client)[-1][0] == absolute("/sitemap-2017-09.xml")
    assert urls(client, "/sitemap-2017-09.xml")[0][0].endswith("/2017/09/01/first-of-september/")
    assert client.get("/sitemap-2017-08.xml").status_code == 404


def test_busy_month_is_split_into_pages(client, monkeypatch):
    monkeypatch.setattr(sitemaps.MonthSitemap, "limit", 2)
    for n in range(5):
        make_live(headline=f"Story {n}", published_at=PUBLISHED + datetime.timedelta(minutes=n))

    locations = [loc for loc, _lastmod in index_entries(client)]

    month = absolute("/sitemap-2017-09.xml")
    assert locations[-3:] == [month, f"{month}?p=2", f"{month}?p=3"]
    assert len(urls(client, "/sitemap-2017-09.xml", p=3)) == 1
    assert client.get("/sitemap-2017-09.xml", {"p": 4}).status_code == 404


# The parts


def test_month_part_lists_its_live_stories_oldest_first_with_their_latest_change(client):
    first = make_live(headline="First", published_at=PUBLISHED)
    second = make_live(headline="Second", published_at=PUBLISHED + datetime.timedelta(days=1))
    make_live(headline="October", published_at=datetime.datetime(2017, 10, 1, 9, tzinfo=UTC))
    make_article(headline="Draft", status=Status.DRAFT, published_at=PUBLISHED)
    Correction.objects.create(
        article=first, text="Fixed.", created_at=PUBLISHED + datetime.timedelta(days=3)
    )

    assert urls(client, "/sitemap-2017-09.xml") == [
        (absolute(first.get_absolute_url()), "2017-09-17T09:00:00Z"),
        (absolute(second.get_absolute_url()), "2017-09-15T09:00:00Z"),
    ]


@pytest.mark.parametrize("month", ["2017-08", "2017-13", "2017-00", "1999-01"])
def test_month_without_live_stories_is_not_found(client, month):
    make_live(headline="September", published_at=PUBLISHED)
    make_article(headline="Draft", published_at=datetime.datetime(2017, 8, 1, tzinfo=UTC))
    assert client.get(f"/sitemap-{month}.xml").status_code == 404


def test_pages_part_lists_the_listing_pages(client):
    assert [loc for loc, _lastmod in urls(client, "/sitemap-pages.xml")] == [
        absolute("/"),
        absolute("/news/"),
        absolute("/datelines/"),
        absolute("/corrections/"),
    ]


def test_sections_part_lists_sections_with_live_stories(client):
    politics = make_section(name="Politics", slug="politics", position=1)
    sport = make_section(name="Sport", slug="sport", position=2)
    hidden = make_section(name="Hidden", slug="hidden")
    make_section(name="Empty", slug="empty")
    make_live(section=politics)
    make_live(section=sport)
    make_live(section=sport)
    make_article(section=hidden, status=Status.DRAFT)

    assert [loc for loc, _lastmod in urls(client, "/sitemap-sections.xml")] == [
        absolute("/sections/politics/"),
        absolute("/sections/sport/"),
    ]


# Google News


def news_entries(client):
    root = fetch(client, "/sitemap-news.xml")
    entries = []
    for url in root.findall("s:url", NS):
        news = url.find("news:news", NS)
        entries.append(
            {
                "loc": url.findtext("s:loc", namespaces=NS),
                "name": news.findtext("news:publication/news:name", namespaces=NS),
                "language": news.findtext("news:publication/news:language", namespaces=NS),
                "date": news.findtext("news:publication_date", namespaces=NS),
                "title": news.findtext("news:title", namespaces=NS),
            }
        )
    return entries


def test_news_sitemap_lists_stories_of_the_last_48_hours(client, settings):
    settings.NEWSROOM_NAME = "The Daily Planet"
    now = timezone.now().replace(microsecond=0)
    fresh = make_live(headline="Fresh & new", published_at=now - datetime.timedelta(hours=47))
    make_live(headline="Too old", published_at=now - datetime.timedelta(hours=49))
    lifted = make_live(
        headline="Embargo lifted",
        published_at=now - datetime.timedelta(days=5),
        embargo_until=now - datetime.timedelta(hours=1),
    )
    make_live(headline="Scheduled", published_at=now + datetime.timedelta(hours=1))
    make_article(headline="Draft", status=Status.DRAFT, published_at=now)

    entries = {entry["title"]: entry for entry in news_entries(client)}

    assert sorted(entries) == ["Embargo lifted", "Fresh & new"]
    assert entries["Fresh & new"] == {
        "loc": absolute(fresh.get_absolute_url()),
        "name": "The Daily Planet",
        "language": "en",
        "date": f"{now - datetime.timedelta(hours=47):%Y-%m-%dT%H:%M:%S}Z",
        "title": "Fresh & new",
    }
    assert entries["Embargo lifted"]["date"] == f"{lifted.embargo_until:%Y-%m-%dT%H:%M:%S}Z"


def test_news_sitemap_declares_the_news_namespace(client):
    make_live(headline="Fresh")
    text = client.get("/sitemap-news.xml").content.decode()
    assert f'xmlns:news="{NEWS}"' in text


@pytest.mark.parametrize(
    ("language_code", "language"),
    [("en-us", "en"), ("ru", "ru"), ("pt-br", "pt"), ("zh-tw", "zh-tw")],
)
def test_news_language_comes_from_the_language_code(client, settings, language_code, language):
    settings.LANGUAGE_CODE = language_code
    make_live(headline="Fresh")
    assert news_entries(client)[0]["language"] == language


def test_news_sitemap_stops_at_its_limit(client, monkeypatch):
    monkeypatch.setattr(sitemaps, "NEWS_LIMIT", 2)
    for n in range(3):
        make_live(
            headline=f"Story {n}", published_at=timezone.now() - datetime.timedelta(minutes=n + 1)
        )
    assert [entry["title"] for entry in news_entries(client)] == ["Story 0", "Story 1"]


# Query counts

# Every XML page is rendered with the request, so the site context processor
# reads the navigation's sections too.
QUERIES = {
    # navigation; months with their counts and latest changes
    "/sitemap.xml": 2,
    # navigation
    "/sitemap-pages.xml": 1,
    # paginator count; sections; navigation
    "/sitemap-sections.xml": 3,
    # paginator count; stories (with their latest correction's time); navigation
    "/sitemap-2017-09.xml": 3,
    # stories; navigation
    "/sitemap-news.xml": 2,
}


def add_ten_more_stories(day):
    for n in range(10):
        story = make_live(
            published_at=day - datetime.timedelta(minutes=n + 1),
            section=make_section(),
            place=make_place(),
            authors=[make_author()],
            tags=[f"Topic {n}"],
        )
        Correction.objects.create(article=story, text="Fixed.")


@pytest.mark.parametrize("url", QUERIES)
def test_sitemap_query_count_stays_the_same_with_ten_more_stories(
    client, django_assert_num_queries, url
):
    # The news sitemap needs fresh stories; the month part needs September 2017.
    day = timezone.now() if url == "/sitemap-news.xml" else PUBLISHED
    make_live(headline="First", published_at=day, section=make_section())
    with django_assert_num_queries(QUERIES[url]):
        client.get(url)

    add_ten_more_stories(day)

    with django_assert_num_queries(QUERIES[url]):
        response = client.get(url)
    assert response.status_code == 200


def test_url_names():
    assert reverse("articles:sitemap") == "/sitemap.xml"
    assert reverse("articles:sitemap_news") == "/sitemap-news.xml"
    assert reverse("articles:sitemap_part", args=["2017-09"]) == "/sitemap-2017-09.xml"
