"""
Library pictures in a story's body: stored as a reference only, whatever
wrote the body; rendered from the library (caption, credit, alt text,
renditions) on the page, in feeds and in the API; gone once expired, from
cached pages too; read in two queries however many the body places.
"""

import datetime
import json
import re

import pytest
import time_machine
from django.utils import timezone

from articles import media, wire, workflow
from articles.media import body as body_pictures
from articles.models import Article
from articles.models.picture_references import referenced_ids
from tests.factories import article_form_data, make_article, make_editor, make_live, make_picture, make_user, warm
from tests.test_views import QUERIES, make_full_story, make_world, page_urls

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)

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
    # Wire markup keeps no figure (articles/wire/markup.py): an agency cannot place our pictures.
    written = "<p>Lede.</p>" + "".join(text for text, _ in HOSTILE)
    path = tmp_path / "item.json"
    path.write_text(json.dumps({"uri": "urn:test:1", "type": "text", "headline": "Wire", "body_html": written}))
    (item,) = wire.read(path)
    wire.ingest(item, by=make_editor())
    body = Article.objects.get(guid="urn:test:1").body
    # A figure's caption may stay as words ("Picture: Forged"); no markup does.
    tags = re.findall(r"<[^>]+>", body)
    assert not [tag for tag in tags if re.search(r"^<(?:figure|img|script)|\son\w+=|style=|src=", tag)]
    assert referenced_ids(body) == [] and "<p>Lede.</p>" in body


def test_figures_that_name_no_picture_are_left_to_the_editors_allow_list():
    assert make_article(body='<figure onclick="steal()"><p>Text</p></figure>').body == (
        "<figure><p>Text</p></figure>"
    )


# Rendering


@pytest.fixture
def picture():
    return make_picture(size=(640, 480), caption="Ice breaks on the Neva", credit="Olga Smirnova / TASS",
                        alt_text="Ice floes under a bridge")  # fmt: skip


def body_with(*pictures, gallery=()):
    refs = [f'<figure data-picture="{p.pk}"></figure>' for p in pictures]
    if gallery:
        refs.append(f'<figure data-gallery="{",".join(str(p.pk) for p in gallery)}"></figure>')
    return "<p>The lede.</p>" + "".join(refs) + "<p>The end.</p>"


def test_the_page_shows_the_picture_with_its_caption_and_credit_from_the_library(client, picture):
    story = make_live(body=body_with(picture))
    html = client.get(story.get_absolute_url()).content.decode()
    figure = re.search(r'<figure class="body-picture">.*?</figure>', html, re.DOTALL).group(0)
    assert "<picture>" in figure and 'type="image/webp"' in figure
    assert 'alt="Ice floes under a bridge"' in figure and 'loading="lazy"' in figure
    assert "Ice breaks on the Neva" in figure and '<span class="credit">Olga Smirnova / TASS</span>' in figure
    assert "data-picture" not in html


def test_a_gallery_is_a_list_of_figures(client, picture):
    second = make_picture(size=(320, 240), caption="The second")
    story = make_live(body=body_with(gallery=[picture, second]))
    html = client.get(story.get_absolute_url()).content.decode()
    gallery = re.search(r'<ul class="body-gallery".*?</ul>', html, re.DOTALL).group(0)
    assert gallery.count("<li>") == 2 and gallery.index("Ice breaks") < gallery.index("The second")
    assert "<script" not in gallery


def test_a_reference_to_no_picture_renders_nothing_and_the_admin_warns(client, picture):
    story = make_live(body=body_with(picture) + '<figure data-picture="999999"></figure>')
    html = client.get(story.get_absolute_url()).content.decode()
    assert html.count('class="body-picture"') == 1 and "999999" not in html
    client.force_login(make_editor())
    response = client.post(f"/admin/articles/article/{story.pk}/change/", article_form_data(story), follow=True)
    assert any("999999" in str(m) for m in response.context["messages"])


@pytest.mark.usefixtures("page_cache")
def test_a_caption_edited_in_the_library_reaches_the_cached_page(client, picture, django_capture_on_commit_callbacks):
    story = make_live(body=body_with(picture))
    warm(client, story.get_absolute_url())
    picture.caption = "Ice breaks early on the Neva"
    with django_capture_on_commit_callbacks(execute=True):
        media.save(picture)
    assert "Ice breaks early on the Neva" in client.get(story.get_absolute_url()).content.decode()


@pytest.mark.usefixtures("page_cache")
def test_a_picture_deleted_in_the_admin_leaves_the_cached_page(client, picture, django_capture_on_commit_callbacks):
    story = make_live(body=body_with(picture))
    warm(client, story.get_absolute_url())
    client.force_login(make_user("desk", is_superuser=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/articles/picture/{picture.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    client.logout()

    assert "Ice breaks on the Neva" not in client.get(story.get_absolute_url()).content.decode()


@pytest.mark.usefixtures("page_cache")
def test_an_expired_picture_vanishes_from_the_story_its_feed_and_the_api_cache_included(client, desk):
    now = timezone.now().replace(microsecond=0)
    until = now + datetime.timedelta(minutes=1)
    with time_machine.travel(now, tick=False):
        picture = make_picture(size=(640, 480), caption="Ice breaks on the Neva", usage_expires=until)
        story = make_article(headline="Spring comes early", body=body_with(picture))
        desk(workflow.publish, story, at=now - HOUR)
        urls = [story.get_absolute_url(), "/feeds/rss/", "/api/ninjs/items/", f"/api/ninjs/items/{story.pk}/"]
        for url in urls:
            assert "Ice breaks on the Neva" in client.get(url).content.decode(), url
    with time_machine.travel(until + datetime.timedelta(seconds=1), tick=False):  # within the cache's 300 s
        for url in urls:
            text = client.get(url).content.decode()
            assert "Spring comes early" in text and "Ice breaks on the Neva" not in text, url
            assert "data-picture" not in text, url


def test_feeds_and_the_api_get_a_plain_jpeg_at_an_absolute_address(client, picture):
    story = make_live(body=body_with(picture, gallery=[picture]))
    shared = media.shared(picture)
    expected = (
        f'<figure><img src="http://testserver{shared.url}" width="{shared.width}" height="{shared.height}" '
        'alt="Ice floes under a bridge"><figcaption>Ice breaks on the Neva Olga Smirnova / TASS</figcaption></figure>'
    )
    body = client.get(f"/api/ninjs/items/{story.pk}/").json()["bodies"][0]["value"]
    assert body.count(expected) == 2 and "data-picture" not in body and "data-gallery" not in body
    assert shared.url.endswith(".jpg")
    feed = client.get("/feeds/atom/").content.decode()
    assert f'src="http://testserver{shared.url}"' in feed.replace("&quot;", '"') and "data-picture" not in feed


# Queries: the pictures and their renditions in two, however many


def story_with_pictures(count):
    pictures = [make_picture(size=(240, 160)) for _ in range(count)]
    return make_live(headline="Pictures", body=body_with(*pictures[:1], gallery=pictures[1:]))


@pytest.fixture
def full_story():
    """The story page whose queries tests/test_views.py pins, with two pictures in its body."""
    world = make_world()
    story = make_full_story(world)
    url = page_urls(world, story)["detail"]  # gives it its lead picture
    story.body += body_with(make_picture(size=(240, 160)), gallery=[make_picture(size=(240, 160))])
    story.save()
    return story, url


# QUERIES["detail"], and: the body's pictures; their renditions
DETAIL = QUERIES["detail"] + 2


def test_the_story_page_reads_its_body_pictures_in_two_queries(client, django_assert_num_queries, full_story):
    story, url = full_story
    client.get(url)  # the first reader, who leaves the cards in the cache
    with django_assert_num_queries(DETAIL):
        response = client.get(url)
    assert response.content.decode().count('class="body-picture"') == 2


def test_the_story_page_reads_as_much_with_ten_more_pictures_in_its_body(
    client, django_assert_num_queries, full_story
):
    story, url = full_story
    client.get(url)
    with django_assert_num_queries(DETAIL):
        client.get(url)
    more = [make_picture(size=(240, 160)) for _ in range(10)]
    story.body += body_with(*more[:5], gallery=more[5:])
    story.save()
    client.get(url)
    with django_assert_num_queries(DETAIL):
        response = client.get(url)
    assert response.content.decode().count('class="body-picture"') == 12


def test_a_page_of_stories_reads_their_body_pictures_in_two_queries(django_assert_num_queries):
    stories = [story_with_pictures(2) for _ in range(3)]
    with django_assert_num_queries(2):
        body_pictures.read(stories)
    assert [len(story.body_pictures) for story in stories] == [2, 2, 2]


def test_a_body_without_pictures_costs_no_query(django_assert_num_queries):
    story = make_live()
    with django_assert_num_queries(0):
        body_pictures.read([story])


# The editor


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
    # The number finds the picture (and any whose texts hold the number).
    results = client.get("/admin/autocomplete/", {**query, "term": str(picture.pk)}).json()["results"]
    found = {result["id"]: result for result in results}[str(picture.pk)]
    assert found["text"] == "Ice breaks on the Neva"
    assert found["thumbnail"] == media.sources(picture, "card").fallback.url
    assert len(client.get("/admin/autocomplete/", {**query, "term": "Neva"}).json()["results"]) == 1
