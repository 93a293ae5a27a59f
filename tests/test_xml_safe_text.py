"""
Characters XML 1.0 forbids (a vertical tab pasted into a headline, "&#1;" in
wire HTML) are dropped on every write path, and feeds and sitemaps stay
well-formed even for rows that hold one from before.
"""

import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command
from django.db import connection

from articles.models import Article, Correction, Section, Tag
from tests.factories import (
    article_form_data,
    make_article,
    make_author,
    make_editor,
    make_live,
    make_picture,
    make_place,
    make_section,
)

pytestmark = pytest.mark.django_db

DIRTY = "Bridge\x0b opens\x01 at\x1f dawn\x0c"
CLEAN = "Bridge opens at dawn"


def test_xml_safe_keeps_tabs_newlines_and_every_allowed_character():
    from articles.models.fields import xml_safe

    allowed = "tab\there\nline\r\nÅ ё 中 \ud7ff\ue000\ufffd 😀"
    assert xml_safe(allowed) == allowed
    assert xml_safe("a\x00b\x08c\x0bd\x0ce\x0ef\x1fg\ufffeh\uffffi\ud800j") == "abcdefghij"


def test_a_save_drops_them_from_every_text_a_reader_sees():
    story = make_article(
        headline=DIRTY,
        standfirst=DIRTY,
        body="<p>Cars&#1; cross\x0b the river.</p>",
        dateline_override=DIRTY,
        tags=[DIRTY],
    )
    story.refresh_from_db()

    assert story.headline == story.standfirst == CLEAN
    assert story.dateline_override == CLEAN
    assert story.body == "<p>Cars cross the river.</p>"
    assert list(story.tags.names()) == [CLEAN]


def test_the_saved_instance_holds_what_was_written():
    story = make_article(headline=DIRTY)

    assert story.headline == CLEAN


def test_update_and_bulk_create_drop_them_too():
    story = make_article()
    Article.objects.filter(pk=story.pk).update(headline=DIRTY, standfirst=DIRTY)
    Section.objects.bulk_create([Section(name=DIRTY, slug="dirty")])

    story.refresh_from_db()
    assert (story.headline, story.standfirst) == (CLEAN, CLEAN)
    assert Section.objects.get(slug="dirty").name == CLEAN


@pytest.mark.parametrize(
    "make",
    [
        lambda: make_section(name=DIRTY, description=DIRTY),
        lambda: make_author(name=DIRTY, job_title=DIRTY, bio=DIRTY),
        lambda: make_place(name=DIRTY, region=DIRTY, country=DIRTY),
        lambda: Tag.objects.create(name=DIRTY),
    ],
    ids=["section", "author", "place", "tag"],
)
def test_taxonomy_names_drop_them(make):
    thing = make()
    thing.refresh_from_db()

    shown = {key: value for key, value in vars(thing).items() if key != "slug"}
    texts = [value for value in shown.values() if isinstance(value, str) and "dawn" in value]
    assert texts and set(texts) == {CLEAN}


def test_a_correction_note_drops_them():
    story = make_live()
    note = Correction.objects.create(article=story, text=DIRTY)

    note.refresh_from_db()
    assert note.text == CLEAN


def test_the_admin_form_saves_them_away(client):
    client.force_login(make_editor())
    data = article_form_data(None, headline=DIRTY, standfirst=DIRTY)

    response = client.post("/admin/articles/article/add/", data)

    assert response.status_code == 302
    assert Article.objects.get().headline == CLEAN


def test_the_wire_importer_drops_them(tmp_path):
    item = {
        "uri": "urn:newsroom:test:1",
        "headline": DIRTY,
        "body_html": "<p>Cars&#1; cross\u000b the river.</p>",
    }
    path = tmp_path / "item.json"
    path.write_text(json.dumps(item))

    call_command("import_wire", str(path), stdout=io.StringIO(), stderr=io.StringIO())

    story = Article.objects.get(guid="urn:newsroom:test:1")
    assert story.headline == CLEAN
    assert story.body == "<p>Cars cross the river.</p>"


# Rows from before: written behind the models' back


def spoil(table, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [DIRTY, pk])


@pytest.fixture
def old_rows():
    section, place, author = make_section(slug="world"), make_place(slug="moscow"), make_author(slug="ivan")
    story = make_live(section=section, place=place, authors=[author], tags=["Bridges"], standfirst="x")
    for column in ["headline", "standfirst", "body"]:
        spoil("articles_article", column, story.pk)
    spoil("articles_section", "name", section.pk)
    spoil("articles_place", "name", place.pk)
    spoil("articles_author", "name", author.pk)
    spoil("articles_tag", "name", Tag.objects.get().pk)
    return story


FEEDS = [
    "/feeds/rss/",
    "/feeds/atom/",
    "/sections/world/feed/rss/",
    "/sections/world/feed/atom/",
    "/datelines/moscow/feed/rss/",
    "/authors/ivan/feed/atom/",
    "/tags/bridges/feed/rss/",
]


@pytest.mark.parametrize("path", [*FEEDS, "/sitemap-news.xml"])
def test_feeds_and_the_news_sitemap_stay_well_formed(client, old_rows, path):
    response = client.get(path)

    assert response.status_code == 200
    root = ET.fromstring(response.content)  # raises on a character XML forbids
    assert "Bridge opens at dawn" in ET.tostring(root, encoding="unicode")


def test_a_library_picture_keeps_none_in_its_texts():
    picture = make_picture(size=(64, 48), caption=DIRTY, credit=DIRTY, alt_text=DIRTY)
    picture.refresh_from_db()
    assert picture.caption == picture.credit == picture.alt_text == CLEAN
