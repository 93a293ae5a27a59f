"""
Library pictures in a story's body: stored as a reference only, whatever
wrote the body; placed with the editor's picture search.
"""

import json
import re

import pytest

from articles import media, wire, workflow
from articles.models import Article
from articles.models.picture_references import referenced_ids
from tests.factories import article_form_data, make_article, make_editor, make_picture

pytestmark = pytest.mark.django_db

# Each figure reference with something it must not keep: (written, stored).
HOSTILE = [
    ('<figure data-picture="7" onclick="steal()"></figure>', '<figure data-picture="7"></figure>'),
    ('<figure data-picture="7" style="x:expression(steal())" class="a" id="b"></figure>', '<figure data-picture="7"></figure>'),
    ('<figure data-picture="7"><img src="x" onerror="steal()"><figcaption>Forged</figcaption></figure>', '<figure data-picture="7"></figure>'),
    ('<figure data-picture="7"><script>steal()</script><p>Forged</p></figure>', '<figure data-picture="7"></figure>'),
    ('<figure data-picture="7"><figure data-picture="8"><p>Forged</p></figure></figure>', '<figure data-picture="7"></figure>'),
    ('<figure data-picture="7 onmouseover=steal()"><p>Forged</p></figure>', ""),
    ('<figure data-picture="javascript:steal()"></figure>', ""),
    ('<figure data-picture="&#55;&quot; onclick=&quot;steal()"></figure>', ""),
    ('<figure data-picture="²"></figure>', ""),
    ('<figure data-picture="0"></figure>', ""),
    ('<figure data-picture="1234567890123456789"></figure>', ""),
    ('<figure data-picture></figure>', ""),
    ('<figure data-gallery="7,8,9" src="x.jpg"><img src="x.jpg"></figure>', '<figure data-gallery="7,8,9"></figure>'),
    ('<figure data-gallery="7,,9"></figure>', ""),
    ('<figure data-gallery="7, 8"></figure>', ""),
    (f'<figure data-gallery="{",".join(["7"] * 51)}"></figure>', ""),
    ('<figure data-picture="7" data-gallery="8,9"></figure>', '<figure data-picture="7"></figure>'),
    ('<svg><figure data-picture="7" onload="steal()"></figure></svg>', ""),
    ('<p title="&lt;figure data-picture=&quot;7&quot;&gt;&lt;/figure&gt;">Text</p>', None),
    ("<p>&lt;figure data-picture=\"7\"&gt;&lt;/figure&gt;</p>", None),
]  # fmt: skip


def assert_clean(stored):
    assert "steal" not in stored and "Forged" not in stored and "<img" not in stored
    assert not re.search(r"\son\w+=|style=|src=|<script", stored)


def assert_inert(stored, expected):
    assert_clean(stored)
    if expected is not None:
        assert stored == expected
    else:  # text that looks like a reference, and is not one
        assert referenced_ids(stored) == []


@pytest.mark.parametrize(("written", "stored"), HOSTILE)
def test_a_shell_save_keeps_only_the_reference(written, stored):
    assert_inert(make_article(body=written).body, stored)


@pytest.mark.parametrize(("written", "stored"), HOSTILE)
def test_a_workflow_save_keeps_only_the_reference(written, stored):
    story = make_article()
    story.body = written
    workflow.edit(story, by=make_editor(), save=story.save)
    assert_inert(Article.objects.get(pk=story.pk).body, stored)


def test_the_admin_form_keeps_only_the_reference(client):
    client.force_login(make_editor())
    story = make_article()
    written = "".join(text for text, _ in HOSTILE)
    response = client.post(f"/admin/articles/article/{story.pk}/change/", article_form_data(story, body=written))
    assert response.status_code == 302
    body = Article.objects.get(pk=story.pk).body
    assert_clean(body)
    assert referenced_ids(body) == [7, 8, 9]


def test_a_wire_item_places_no_library_picture(tmp_path):
    # Wire markup drops figures (articles/wire/markup.py): an agency cannot place our pictures.
    written = "<p>Lede.</p>" + "".join(text for text, _ in HOSTILE)
    path = tmp_path / "item.json"
    path.write_text(json.dumps({"uri": "urn:test:1", "type": "text", "headline": "Wire", "body_html": written}))
    (item,) = wire.read(path)
    wire.ingest(item, by=make_editor())
    body = Article.objects.get(guid="urn:test:1").body
    assert_clean(body)
    assert referenced_ids(body) == [] and "<p>Lede.</p>" in body


def test_figures_that_name_no_picture_are_left_to_the_editors_allow_list():
    assert make_article(body='<figure onclick="steal()"><p>Text</p></figure>').body == (
        "<figure><p>Text</p></figure>"
    )


# The editor


@pytest.fixture
def picture():
    return make_picture(size=(640, 480), caption="Ice breaks on the Neva", credit="Olga Smirnova / TASS",
                        alt_text="Ice floes under a bridge")  # fmt: skip


def test_the_editor_loads_the_library_picture_module_and_may_store_references(client):
    client.force_login(make_editor())
    html = client.get("/admin/articles/article/add/").content.decode()
    config = json.loads(re.search(r'data-django-prose-editor-configurable="([^"]*)"', html).group(1).replace("&quot;", '"'))
    assert "LibraryPicture" in config["extensions"]
    assert any(path.endswith("articles/library_picture.js") for path in config["js_modules"])


def test_the_picture_search_gives_thumbnails_and_finds_a_picture_by_its_number(client, picture):
    make_picture(size=(240, 160), caption="Another")
    client.force_login(make_editor())
    query = {"app_label": "articles", "model_name": "article", "field_name": "picture"}
    (found,) = client.get("/admin/autocomplete/", {**query, "term": str(picture.pk)}).json()["results"]
    assert found["id"] == str(picture.pk) and found["text"] == "Ice breaks on the Neva"
    assert found["thumbnail"] == media.sources(picture, "card").fallback.url
    assert len(client.get("/admin/autocomplete/", {**query, "term": "Neva"}).json()["results"]) == 1
