import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import sitemaps, workflow
from articles.models import Status
from tests.factories import (
    make_article,
    make_author,
    make_correction,
    make_editor,
    make_live,
    make_place,
    make_section,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
PUBLISHED = datetime.datetime(2017, 9, 14, 9, 0, tzinfo=UTC)
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
NS = {"s": SITEMAP, "news": NEWS}
OFFSET = re.compile(r"\bOFFSET\s+(\d+)", re.IGNORECASE)


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


def test_sections_and_news_are_listed_only_when_they_list_a_story(client):
    make_live(headline="Old and without a section", published_at=PUBLISHED)

    assert [loc for loc, _lastmod in index_entries(client)] == [
        absolute("/sitemap-pages.xml"),
        absolute("/sitemap-2017-09.xml"),
    ]
    assert client.get("/sitemap-news.xml").status_code == 404  # an empty urlset is no sitemap


def test_index_lists_pages_sections_news_and_each_month_newest_first(client, time_machine):
    time_machine.move_to(PUBLISHED, tick=False)
    make_live(headline="September", published_at=PUBLISHED, section=make_section())
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
    # The pages, sections and news list the newest stories: they changed with the newest.
    assert [datetime.datetime.fromisoformat(lastmod) for _loc, lastmod in entries[:3]] == [PUBLISHED] * 3


# A part's lastmod is the last time readers saw it change: a story added,
# edited, corrected, withdrawn, or falling due at its scheduled time.


@pytest.fixture
def editor():
    return make_editor()


def month_lastmod(client):
    (_loc, lastmod) = index_entries(client)[-1]
    return datetime.datetime.fromisoformat(lastmod)


def test_month_lastmod_in_the_index_follows_corrections_and_revisions(client, editor, time_machine):
    time_machine.move_to(PUBLISHED, tick=False)
    story = make_live(headline="Corrected", published_at=PUBLISHED)
    make_live(headline="Revised", published_at=PUBLISHED)
    note_time = PUBLISHED + datetime.timedelta(days=20)
    time_machine.move_to(note_time, tick=False)
    workflow.add_correction(story, by=editor, kind="correction", text="Fixed.")
    assert month_lastmod(client) == note_time


def test_month_lastmod_follows_a_withdrawal(client, editor, time_machine):
    time_machine.move_to(PUBLISHED, tick=False)
    make_live(headline="Stays", published_at=PUBLISHED)
    story = make_live(headline="Goes", published_at=PUBLISHED)
    later = PUBLISHED + datetime.timedelta(days=2)
    time_machine.move_to(later, tick=False)
    workflow.withdraw(story, by=editor, reason="Legal")
    assert month_lastmod(client) == later


def test_month_lastmod_follows_a_scheduled_story_falling_due(client, editor, time_machine):
    time_machine.move_to(PUBLISHED, tick=False)
    make_live(headline="Out", published_at=PUBLISHED)
    due = PUBLISHED + datetime.timedelta(hours=5)
    workflow.publish(make_article(headline="Later"), by=editor, at=due)
    assert month_lastmod(client) == PUBLISHED  # nothing new for readers yet
    time_machine.move_to(due + datetime.timedelta(minutes=1), tick=False)
    assert month_lastmod(client) == due


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
    monkeypatch.setattr(sitemaps, "PART_SIZE", 2)
    for n in range(5):
        make_live(headline=f"Story {n}", published_at=PUBLISHED + datetime.timedelta(minutes=n))

    locations = [loc for loc, _lastmod in index_entries(client)]

    month = absolute("/sitemap-2017-09.xml")
    assert locations[-3:] == [month, f"{month}?p=2", f"{month}?p=3"]
    assert len(urls(client, "/sitemap-2017-09.xml", p=3)) == 1
    assert client.get("/sitemap-2017-09.xml", {"p": 4}).status_code == 404


def test_each_part_of_a_busy_month_starts_at_the_day_of_its_first_story(client, monkeypatch):
    monkeypatch.setattr(sitemaps, "PART_SIZE", 2)
    stories = [
        make_live(published_at=PUBLISHED + datetime.timedelta(days=day, minutes=n))
        for day in range(3)
        for n in range(3)
    ]
    everything = [(absolute(story.get_absolute_url())) for story in stories]
    for part in range(1, 6):
        with CaptureQueriesContext(connection) as queries:
            listed = [loc for loc, _lastmod in urls(client, "/sitemap-2017-09.xml", p=part)]
        assert listed == everything[(part - 1) * 2 : part * 2]
        offsets = [int(n) for q in queries.captured_queries for n in OFFSET.findall(q["sql"])]
        assert all(n < 3 for n in offsets)  # never past one day's stories


# The parts


def test_month_part_lists_its_live_stories_oldest_first_with_their_latest_change(client):
    first = make_live(headline="First", published_at=PUBLISHED)
    second = make_live(headline="Second", published_at=PUBLISHED + datetime.timedelta(days=1))
    make_live(headline="October", published_at=datetime.datetime(2017, 10, 1, 9, tzinfo=UTC))
    make_article(headline="Draft", status=Status.DRAFT, published_at=PUBLISHED)
    make_correction(first, "Fixed.", at=PUBLISHED + datetime.timedelta(days=3))

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


def test_news_language_is_the_story_s_own_where_it_has_one(client, settings):
    settings.LANGUAGE_CODE = "en-us"
    make_live(headline="Russian", language="ru")
    make_live(headline="English", published_at=timezone.now() - datetime.timedelta(hours=1))
    entries = {entry["title"]: entry["language"] for entry in news_entries(client)}
    assert entries == {"Russian": "ru", "English": "en"}


def test_news_sitemap_stops_at_its_limit(client, monkeypatch):
    monkeypatch.setattr(sitemaps, "NEWS_LIMIT", 2)
    for n in range(3):
        make_live(
            headline=f"Story {n}", published_at=timezone.now() - datetime.timedelta(minutes=n + 1)
        )
    assert [entry["title"] for entry in news_entries(client)] == ["Story 0", "Story 1"]


# Query counts

QUERIES = {
    # the river's day counts; whether a section has a live story; whether a story became
    # public in the last 48 hours (published in the window; an embargo lifted in it)
    "/sitemap.xml": 4,
    "/sitemap-pages.xml": 0,
    # paginator count; sections
    "/sitemap-sections.xml": 2,
    # the month's day counts; the part's stories
    "/sitemap-2017-09.xml": 2,
    # stories published in the window; older stories whose embargo lifted in it
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
        make_correction(story, "Fixed.")


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


def test_robots_txt_points_to_the_index_and_keeps_the_desk_previews_and_search_out(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert {"Disallow: /admin/", "Disallow: /preview/", "Disallow: /search/"} <= set(lines)
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert not any(line == "Disallow: /" for line in lines)  # the site itself stays open
