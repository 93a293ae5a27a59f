"""
Each story has a language: wire copy keeps the one its agency gave it, the
rest take the site's. The page, JSON-LD, feeds, the ninjs API and the news
sitemap say it; dates and a TASS dateline follow it; each language has its
own river, /ru/news/.
"""

import datetime
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles import languages, wire
from articles.models import Agency, Article, Byline, Place
from tests.factories import make_agency, make_author, make_editor, make_live, make_place

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "wire"
PUBLISHED = datetime.datetime(2017, 10, 3, 9, 0, tzinfo=datetime.UTC)
RIVER_SIZE = 20


def russian_story(**fields):
    fields.setdefault("published_at", PUBLISHED)
    fields.setdefault("headline", "Россия восстановит отношения")
    return make_live(
        language="ru",
        place=Place.objects.filter(slug="moscow").first()
        or make_place(name="MOSCOW", slug="moscow", time_zone="Europe/Moscow"),
        agency=Agency.objects.filter(name="TASS").first()
        or make_agency(name="TASS", mark="/TASS/", dateline_style="tass"),
        **fields,
    )


# The language itself


@pytest.mark.parametrize(
    ("given", "stored"),
    [("en-US", "en"), ("RU", "ru"), ("nb_NO", "nb"), ("zh-CN", "zh-cn"), ("", ""), ("x!", "")],
)
def test_language_tags_are_stored_by_their_language(given, stored):
    assert languages.normalise(given) == stored


def test_a_story_takes_the_site_s_language_unless_it_says_its_own(settings):
    settings.LANGUAGE_CODE = "de-at"
    assert make_live().language == "de"
    assert russian_story().language == "ru"


# Wire copy keeps its language


@pytest.mark.parametrize(
    ("sample", "language"),
    [
        ("newsml-g2/LISTING_2_NewsML-G2_Text_Document.xml", "en"),  # <language tag="en-US"/>
        ("ninjs/provider-3.0/dpa_text.json", "de"),  # "language": "de"
        ("ninjs/provider-3.0/ntb_text.json", "nb"),  # "language": "nb-NO"
    ],
)
def test_wire_items_keep_the_language_their_agency_gave_them(sample, language):
    (item,) = wire.read(DATA / sample)
    wire.ingest(item, by=make_editor())
    assert Article.objects.get().language == language


def test_nitf_and_feeds_say_their_language_in_xml_lang_or_language(tmp_path):
    nitf = tmp_path / "story.xml"
    nitf.write_text(
        '<nitf xml:lang="fr"><head><title>Grève</title></head><body><body.head>'
        "<hedline><hl1>Grève à Paris</hl1></hedline></body.head>"
        "<body.content><p>Le texte.</p></body.content></body></nitf>"
    )
    rss = tmp_path / "feed.rss"
    rss.write_text(
        '<rss version="2.0"><channel><title>T</title><language>ru-RU</language>'
        "<item><title>Новость</title><guid>urn:1</guid><description>&lt;p&gt;Текст.&lt;/p&gt;"
        "</description></item></channel></rss>"
    )
    atom = tmp_path / "feed.atom"
    atom.write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en"><title>T</title>'
        '<entry xml:lang="es"><id>urn:2</id><title>Noticia</title>'
        '<content type="html">&lt;p&gt;Texto.&lt;/p&gt;</content></entry></feed>'
    )
    assert [item.language for path in (nitf, rss, atom) for item in wire.read(path)] == [
        "fr",
        "ru-RU",
        "es",
    ]


def test_wire_copy_without_a_language_takes_the_site_s():
    (item,) = wire.read(DATA / "text/000_8ed40d542d1fccef.txt")
    wire.ingest(item, by=make_editor())
    assert Article.objects.get().language == languages.default() == "en"


# What the page and the outputs say


def test_the_story_page_is_in_the_story_s_language(client):
    story = russian_story()
    html = client.get(story.get_absolute_url()).content.decode()
    assert '<html lang="ru">' in html
    assert '"inLanguage": "ru"' in html
    # Dates in Russian, and TASS's Russian edition of its dateline.
    assert "3 октября 2017, 09:00 UTC" in html
    assert '<span class="dateline">MOSCOW, 3 октября. /TASS/.</span>' in html


def test_other_pages_are_in_the_site_s_language(client):
    russian_story()
    assert '<html lang="en">' in client.get("/news/").content.decode()


def test_feeds_api_and_news_sitemap_give_each_story_s_language(client):
    story = russian_story(published_at=timezone.now() - datetime.timedelta(hours=1))
    make_live(headline="An English story")

    rss = ElementTree.fromstring(client.get("/feeds/rss/").content)
    dc = "{http://purl.org/dc/elements/1.1/}language"
    assert rss.find("channel/language").text == "en"
    assert sorted(item.find(dc).text for item in rss.iter("item")) == ["en", "ru"]

    atom = ElementTree.fromstring(client.get("/feeds/atom/").content)
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    entries = atom.findall("{http://www.w3.org/2005/Atom}entry")
    assert sorted(entry.get(lang) for entry in entries) == ["en", "ru"]

    assert client.get(f"/api/ninjs/items/{story.pk}/").json()["language"] == "ru"
    news = client.get("/sitemap-news.xml").content.decode()
    assert news.count("<news:language>ru</news:language>") == 1
    assert news.count("<news:language>en</news:language>") == 1


# A language's river


def test_a_language_s_river_lists_its_stories_newest_first(client):
    older = russian_story(headline="Старая новость", published_at=PUBLISHED - datetime.timedelta(days=1))
    newer = russian_story(headline="Новая новость")
    make_live(headline="An English story")

    response = client.get("/ru/news/")

    assert [s.pk for s in response.context["stories"]] == [newer.pk, older.pk]
    assertContains(response, "News in Russian")
    assertContains(response, '<div lang="ru">')
    assertNotContains(response, "An English story")
    assertContains(client.get("/en/news/"), "An English story")


def test_a_language_s_river_pages_by_cursor(client):
    place = make_place()
    for n in range(RIVER_SIZE + 3):
        make_live(headline=f"Noticia {n:02d}", language="es", place=place,
                  published_at=PUBLISHED - datetime.timedelta(minutes=n))  # fmt: skip
    first = client.get("/es/news/")
    assert len(first.context["stories"]) == RIVER_SIZE
    second = client.get("/es/news/", {"before": first.context["older"]})
    assert [s.headline for s in second.context["stories"]] == [
        "Noticia 20",
        "Noticia 21",
        "Noticia 22",
    ]
    assert second.context["older"] is None
    assert client.get("/es/news/", {"before": "forged"}).status_code == 404


@pytest.mark.parametrize("url", ["/xx/news/", "/RU/news/", "/xx/news/feed/rss/"])
def test_no_river_for_what_is_not_a_language_of_the_newsroom(client, url):
    assert client.get(url).status_code == 404


def test_a_language_s_feed_lists_its_stories_in_its_language(client):
    russian_story(published_at=timezone.now() - datetime.timedelta(hours=1))
    make_live(headline="An English story")
    feed = ElementTree.fromstring(client.get("/ru/news/feed/rss/").content)
    assert feed.find("channel/language").text == "ru"
    assert [item.find("title").text for item in feed.iter("item")] == ["Россия восстановит отношения"]


# navigation; the banner; the language's stories, newest first, with their sections and places
RIVER_QUERIES = 3


def test_river_queries_stay_the_same_with_ten_more_stories(client, django_assert_num_queries):
    russian_story(tags=["НАТО"])
    with django_assert_num_queries(RIVER_QUERIES):
        client.get("/ru/news/")
    for n in range(10):
        more = make_live(
            language="ru", place=make_place(), tags=[f"Тема {n}", "НАТО"],
            published_at=PUBLISHED - datetime.timedelta(minutes=n + 1),
        )  # fmt: skip
        Byline.objects.create(article=more, author=make_author(), position=0)
    with django_assert_num_queries(RIVER_QUERIES):
        response = client.get("/ru/news/")
    assert len(response.context["stories"]) == 11
