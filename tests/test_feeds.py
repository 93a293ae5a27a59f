import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertInHTML

from articles.feeds import ITEMS
from articles.models import Byline, Status, Tag
from tests.factories import (
    make_agency,
    make_article,
    make_author,
    make_correction,
    make_live,
    make_place,
    make_section,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
PUBLISHED = datetime.datetime(2017, 9, 14, 9, 0, tzinfo=UTC)
NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
}
KINDS = ["rss", "atom"]
OWNERS = ["section", "tag", "author", "place"]


def make_world():
    return {
        "section": make_section(name="Politics", slug="politics"),
        "place": make_place(name="MOSCOW", slug="moscow", time_zone="Europe/Moscow"),
        "author": make_author(name="Ivan Petrov", slug="ivan-petrov"),
    }


def make_story(world, headline="Russia will restore relations with NATO", **fields):
    fields = {"section": world["section"], "place": world["place"], **fields}
    fields.setdefault("published_at", PUBLISHED)
    fields.setdefault("tags", ["NATO", "Diplomacy"])
    return make_live(headline=headline, authors=[world["author"]], **fields)


def make_full_story(world):
    return make_story(
        world,
        standfirst="Moscow is ready for dialogue.",
        body="<p>Russia will restore relations.</p><p>Second paragraph.</p>",
        bylines=[
            (make_author(name="Anna Ivanova", slug="anna-ivanova"), ""),
            (make_author(name="Olga Smirnova", slug="olga-smirnova"), "Photos by"),
        ],
    )


def feed_url(kind, owner=None, world=None):
    if owner is None:
        return reverse(f"articles:feed_{kind}")
    slug = "nato" if owner == "tag" else world[owner].slug
    return reverse(f"articles:{owner}_feed_{kind}", args=[slug])


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response, ET.fromstring(response.content)


def rss_items(root):
    return root.findall("channel/item")


def atom_entries(root):
    return root.findall("atom:entry", NS)


def titles(kind, root):
    if kind == "rss":
        return [item.findtext("title") for item in rss_items(root)]
    return [entry.findtext("atom:title", namespaces=NS) for entry in atom_entries(root)]


# What an entry carries


def test_rss_item_carries_the_whole_story(client):
    story = make_full_story(make_world())

    response, root = fetch(client, "/feeds/rss/")
    (item,) = rss_items(root)

    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert item.findtext("title") == "Russia will restore relations with NATO"
    assert item.findtext("link") == f"http://testserver{story.get_absolute_url()}"
    guid = item.find("guid")
    assert guid.text == f"tag:testserver,{story.created_at:%Y-%m-%d}:article:{story.pk}"
    assert guid.get("isPermaLink") == "false"
    assert item.findtext("description") == "Moscow is ready for dialogue."
    assert item.findtext("content:encoded", namespaces=NS) == (
        f'<p><span class="dateline">{story.dateline_text}</span> Russia will restore '
        "relations.</p><p>Second paragraph.</p>"
    )
    assert story.dateline_text.startswith("MOSCOW, September 14")
    assert [c.text for c in item.findall("dc:creator", NS)] == [
        "Ivan Petrov", "Anna Ivanova", "Olga Smirnova"
    ]  # fmt: skip
    categories = [c.text for c in item.findall("category")]
    assert categories[0] == "Politics"
    assert sorted(categories[1:]) == ["Diplomacy", "NATO"]
    assert item.findtext("pubDate") == "Thu, 14 Sep 2017 09:00:00 +0000"
    assert item.findtext("dcterms:modified", namespaces=NS) == "2017-09-14T09:00:00Z"


def test_rss_declares_its_namespaces_once_on_the_root(client):
    make_full_story(make_world())
    text = client.get("/feeds/rss/").content.decode()
    assert text.count("xmlns:dc=") == text.count("xmlns:content=") == 1
    assert '<rss version="2.0" xmlns:atom=' in text


def test_atom_entry_carries_the_whole_story(client):
    story = make_full_story(make_world())

    response, root = fetch(client, "/feeds/atom/")
    (entry,) = atom_entries(root)

    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"

    def text(path):
        return entry.findtext(path, namespaces=NS)

    assert text("atom:title") == "Russia will restore relations with NATO"
    assert text("atom:id") == f"tag:testserver,{story.created_at:%Y-%m-%d}:article:{story.pk}"
    assert entry.find("atom:link", NS).get("href") == f"http://testserver{story.get_absolute_url()}"
    assert text("atom:summary") == "Moscow is ready for dialogue."
    content = entry.find("atom:content", NS)
    assert content.get("type") == "html"
    assert content.text.startswith('<p><span class="dateline">MOSCOW')
    authors = [
        (a.findtext("atom:name", namespaces=NS), a.findtext("atom:uri", namespaces=NS))
        for a in entry.findall("atom:author", NS)
    ]
    assert authors == [
        ("Ivan Petrov", "http://testserver/authors/ivan-petrov/"),
        ("Anna Ivanova", "http://testserver/authors/anna-ivanova/"),
        ("Olga Smirnova", "http://testserver/authors/olga-smirnova/"),
    ]
    terms = [c.get("term") for c in entry.findall("atom:category", NS)]
    assert terms[0] == "Politics" and sorted(terms[1:]) == ["Diplomacy", "NATO"]
    assert text("atom:published").startswith("2017-09-14T09:00:00")
    assert text("atom:updated").startswith("2017-09-14T09:00:00")


def test_titles_are_plain_text_and_the_rss_description_html(client):
    make_story(make_world(), headline="Q&A: <NATO> talks", standfirst="Tom & Jerry")
    _response, rss = fetch(client, "/feeds/rss/")
    _response, atom = fetch(client, "/feeds/atom/")
    # RSS allows (entity-encoded) HTML only in descriptions; titles are text.
    assert titles("rss", rss) == ["Q&A: <NATO> talks"]
    assert titles("atom", atom) == ["Q&A: <NATO> talks"]
    assert rss_items(rss)[0].findtext("description") == "Tom &amp; Jerry"


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("owner", OWNERS)
def test_owner_feed_titles_carry_names_as_plain_text(client, kind, owner):
    world = make_world()
    make_story(world, headline="Ours")
    named = Tag.objects.get(slug="nato") if owner == "tag" else world[owner]
    named.name = "R&D <Desk>"
    named.save()

    _response, root = fetch(client, feed_url(kind, owner, world))

    title = root.findtext("channel/title" if kind == "rss" else "atom:title", namespaces=NS)
    assert title == "Newsroom: R&D <Desk>"


# Updated times: the latest of publication, revision and correction notes

MINUTE = datetime.timedelta(minutes=1)
LATER, LATEST = PUBLISHED + datetime.timedelta(hours=1), PUBLISHED + datetime.timedelta(hours=2)


@pytest.mark.parametrize(
    ("revised", "corrected", "expected"),
    [
        (None, None, PUBLISHED),
        (LATER, None, LATER),
        (LATER, LATEST, LATEST),
        (LATEST, LATER, LATEST),
    ],
)
def test_updated_time_is_the_latest_change(client, revised, corrected, expected):
    story = make_story(make_world())
    if revised:
        story.revised_at = revised
        story.save()
    if corrected:
        make_correction(story, "Fixed a name.", at=corrected)

    _response, atom = fetch(client, "/feeds/atom/")
    _response, rss = fetch(client, "/feeds/rss/")

    updated = atom_entries(atom)[0].findtext("atom:updated", namespaces=NS)
    assert datetime.datetime.fromisoformat(updated) == expected
    assert atom.findtext("atom:updated", namespaces=NS) == updated  # the feed's own
    modified = rss_items(rss)[0].findtext("dcterms:modified", namespaces=NS)
    assert modified == f"{expected:%Y-%m-%dT%H:%M:%S}Z"
    assert rss.findtext("channel/lastBuildDate") == f"{expected:%a, %d %b %Y %H:%M:%S} +0000"


def test_embargoed_story_is_dated_when_its_embargo_lifted(client):
    lifted = PUBLISHED + datetime.timedelta(hours=3)
    make_story(make_world(), embargo_until=lifted)
    _response, rss = fetch(client, "/feeds/rss/")
    assert rss_items(rss)[0].findtext("pubDate") == "Thu, 14 Sep 2017 12:00:00 +0000"


# Which stories


@pytest.mark.parametrize("kind", KINDS)
def test_feed_lists_the_twenty_newest_live_stories(client, kind):
    world = make_world()
    for n in range(ITEMS + 1):
        make_story(world, headline=f"Story {n:02d}", published_at=PUBLISHED - n * MINUTE)
    make_article(headline="Draft", status=Status.DRAFT)

    _response, root = fetch(client, feed_url(kind))

    assert ITEMS == 20
    assert titles(kind, root) == [f"Story {n:02d}" for n in range(20)]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("owner", OWNERS)
def test_owner_feed_lists_only_its_own_stories(client, kind, owner):
    world = make_world()
    make_story(world, headline="Ours")
    make_live(
        headline="Someone else's",
        section=make_section(),
        place=make_place(),
        authors=[make_author()],
        tags=["Sport"],
    )

    response, root = fetch(client, feed_url(kind, owner, world))

    assert titles(kind, root) == ["Ours"]
    name = "NATO" if owner == "tag" else str(world[owner])
    assert f"Newsroom: {name}</title>" in response.content.decode()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("owner", OWNERS)
def test_unknown_owner_has_no_feed(client, kind, owner):
    response = client.get(reverse(f"articles:{owner}_feed_{kind}", args=["nobody"]))
    assert response.status_code == 404


@pytest.mark.parametrize("kind", KINDS)
def test_tag_on_no_public_story_has_no_feed(client, kind):
    make_article(headline="Secret merger", status=Status.DRAFT, tags=["Project Falcon"])
    response = client.get(reverse(f"articles:tag_feed_{kind}", args=["project-falcon"]))
    assert response.status_code == 404


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("owner", OWNERS)
def test_an_owner_with_no_public_story_has_no_feed_yet(client, kind, owner):
    world = make_world()
    make_article(section=world["section"], place=world["place"], authors=[world["author"]], tags=["NATO"])

    assert client.get(feed_url(kind, owner, world)).status_code == 404


# Autodiscovery


def test_every_page_links_the_all_news_feeds(client):
    html = client.get("/").content.decode()
    assertInHTML(
        '<link rel="alternate" type="application/rss+xml" title="Newsroom: All news (RSS)"'
        ' href="/feeds/rss/">',
        html,
    )
    assertInHTML(
        '<link rel="alternate" type="application/atom+xml" title="Newsroom: All news (Atom)"'
        ' href="/feeds/atom/">',
        html,
    )


@pytest.mark.parametrize("owner", OWNERS)
def test_listing_page_links_its_own_feeds(client, owner):
    world = make_world()
    make_story(world)
    page = reverse(f"articles:{owner}", args=["nato" if owner == "tag" else world[owner].slug])
    response = client.get(page)
    assertContains(response, f'href="{feed_url("rss", owner, world)}"')
    assertContains(response, f'href="{feed_url("atom", owner, world)}"')


def test_listing_without_stories_links_no_feed_of_its_own(client):
    make_article(headline="Secret merger", status=Status.DRAFT, tags=["Project Falcon"])
    response = client.get(reverse("articles:tag", args=["project-falcon"]))
    assert "/feed/" not in response.content.decode()


# Query counts

QUERIES = {
    # stories; their tags; their bylines with authors
    "all": 3,
    # the owner with its count of public stories; then as above
    "section": 4,
    "tag": 4,
    "author": 4,
    "place": 4,
}


def add_ten_more_stories(world):
    for n in range(10):
        story = make_story(
            world,
            headline=f"More {n}",
            published_at=PUBLISHED - datetime.timedelta(minutes=n + 1),
            tags=["NATO", f"Topic {n}", f"Region {n}"],
        )
        for role in ("", "Photos by"):
            Byline.objects.create(article=story, author=make_author(), role=role, position=1)
        make_correction(story, "Fixed.")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("feed", QUERIES)
def test_feed_query_count_stays_the_same_with_ten_more_stories(
    client, django_assert_num_queries, kind, feed
):
    world = make_world()
    make_full_story(world)
    url = feed_url(kind, None if feed == "all" else feed, world)
    with django_assert_num_queries(QUERIES[feed]):
        client.get(url)

    add_ten_more_stories(world)

    with django_assert_num_queries(QUERIES[feed]):
        _response, root = fetch(client, url)
    assert len(titles(kind, root)) == 11


# Who wrote it: RFC 4287 §4.1.2 wants an author for every Atom entry


def test_atom_entries_without_a_byline_name_their_agency_and_the_feed_names_the_newsroom(client):
    agency = make_agency(name="dpa", mark="(dpa)", website="https://www.dpa.com")
    make_live(headline="Wire copy", published_at=PUBLISHED, agency=agency)
    make_live(headline="Our own", published_at=PUBLISHED - datetime.timedelta(hours=1))

    _response, root = fetch(client, feed_url("atom"))

    assert root.findtext("atom:author/atom:name", namespaces=NS) == "Newsroom"
    authors = [
        [(a.findtext("atom:name", namespaces=NS), a.findtext("atom:uri", namespaces=NS)) for a in entry.findall("atom:author", NS)]
        for entry in atom_entries(root)
    ]
    assert authors == [[("dpa", "https://www.dpa.com")], [("Newsroom", "http://testserver/")]]
