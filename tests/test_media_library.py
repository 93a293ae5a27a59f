"""
The picture library at the desk: who may add, choose and change pictures,
choosing one as a story's lead picture (and uploading one from the story
form), the focal point, revisions, and stories' old lead images becoming
library pictures on upgrade.
"""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from articles import media, revisions, workflow
from articles.models import Article, Picture
from tests.factories import (
    article_form_data,
    make_article,
    make_editor,
    make_picture,
    make_reporter,
    make_user,
    photo_bytes,
)

pytestmark = pytest.mark.django_db

ROLES = {
    # role -> (may add, may change)
    "Reporter": (True, False),
    "Editor": (True, False),
    "Picture desk": (True, True),
    "Taxonomy staff": (False, False),
}


def picture_form(**fields):
    data = {"caption": "Ice on the Neva", "alt_text": "Broken ice", "focal_x": "0.5", "focal_y": "0.5"}
    return {**data, **fields}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_adds_and_changes_pictures_as_allowed(client, role):
    may_add, may_change = ROLES[role]
    client.force_login(make_user("someone", role))
    upload = SimpleUploadedFile("neva.jpg", photo_bytes((320, 240)))

    added = client.post(reverse("admin:articles_picture_add"), picture_form(file=upload))
    assert (added.status_code == 302) is may_add
    picture = make_picture(size=(320, 240), caption="Before")
    changed = client.post(
        reverse("admin:articles_picture_change", args=[picture.pk]), picture_form(caption="After")
    )
    picture.refresh_from_db()
    assert (picture.caption == "After") is may_change
    assert changed.status_code == (302 if may_change else 403)


def test_the_library_refuses_a_change_from_a_role_that_may_only_choose():
    picture = make_picture(size=(320, 240))
    picture.caption = "Changed behind the admin's back"
    with pytest.raises(PermissionDenied):
        media.save(picture, by=make_reporter())
    media.save(picture, by=make_user("desk", "Picture desk"))


def test_a_reporter_chooses_a_library_picture_for_their_story(client):
    reporter = make_reporter()
    client.force_login(reporter)
    picture = make_picture(size=(320, 240), caption="Ice on the Neva")
    found = client.get(
        reverse("admin:autocomplete"),
        {"term": "neva", "app_label": "articles", "model_name": "article", "field_name": "picture"},
    )
    assert [row["id"] for row in found.json()["results"]] == [str(picture.pk)]

    response = client.post(
        reverse("admin:articles_article_add"), article_form_data(headline="Ice", picture=picture.pk)
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Article.objects.get().picture == picture


def test_the_story_form_uploads_a_new_picture_in_place(client):
    client.force_login(make_reporter())
    form = client.get(reverse("admin:articles_article_add")).content.decode()
    assert 'id="add_id_picture"' in form  # the "+" beside the picker

    upload = SimpleUploadedFile("neva.jpg", photo_bytes((320, 240)))
    url = reverse("admin:articles_picture_add") + "?_to_field=id&_popup=1"
    response = client.post(url, picture_form(file=upload, _popup="1"))

    picture = Picture.objects.get()
    assert picture.renditions.exists()
    html = response.content.decode()
    # The popup hands the new picture to the story form, with no inline script.
    assert f"&quot;value&quot;: &quot;{picture.pk}&quot;" in html
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", html) is None


def test_the_focal_point_picker_is_a_static_script(client):
    client.force_login(make_user("desk", "Picture desk"))
    picture = make_picture(size=(320, 240))
    page = client.get(reverse("admin:articles_picture_change", args=[picture.pk]))
    html = page.content.decode()
    assert 'data-focal-point' in html and "articles/focal_point.js" in html
    assert "unsafe-inline" not in page["Content-Security-Policy"].split("script-src")[1].split(";")[0]

    before = set(picture.renditions.values_list("file", flat=True))
    client.post(
        reverse("admin:articles_picture_change", args=[picture.pk]),
        picture_form(focal_x="0.9", focal_y="0.2"),
    )
    picture.refresh_from_db()
    assert (picture.focal_x, picture.focal_y) == (0.9, 0.2)
    assert not before & set(picture.renditions.values_list("file", flat=True))


def test_a_revision_keeps_the_lead_picture_and_restoring_brings_it_back():
    editor = make_editor()
    first, second = make_picture(size=(64, 48)), make_picture(size=(64, 48))
    story = make_article(picture=first)
    workflow.edit(story, by=editor, save=story.save)
    story.picture = second
    workflow.edit(story, by=editor, save=story.save)
    old = story.revisions.order_by("number").first()
    assert old.data["picture_id"] == first.pk

    revisions.restore(story, old, by=editor)

    story.refresh_from_db()
    assert story.picture == first


def test_a_picture_in_use_is_not_deleted(client):
    client.force_login(make_user("desk", "Picture desk"))
    picture = make_picture(size=(64, 48))
    make_article(picture=picture)
    response = client.post(reverse("admin:articles_picture_delete", args=[picture.pk]), {"post": "yes"})
    assert Picture.objects.filter(pk=picture.pk).exists()
    assert response.status_code == 200  # the page says which story protects it


@pytest.mark.django_db(transaction=True)
def test_upgrading_turns_lead_images_into_library_pictures(settings, tmp_path):
    executor = MigrationExecutor(connection)
    executor.migrate([("articles", "0017_wire_sources")])
    old = executor.loader.project_state([("articles", "0017_wire_sources")]).apps
    OldArticle = old.get_model("articles", "Article")
    file = tmp_path / "media" / "articles" / "2017" / "09" / "kremlin.jpg"
    file.parent.mkdir(parents=True)
    file.write_bytes(photo_bytes((120, 80)))
    common = {"image": "articles/2017/09/kremlin.jpg", "image_width": 120, "image_height": 80,
              "image_caption": "The Kremlin", "image_credit": "TASS", "image_alt": "Red walls"}  # fmt: skip
    one = OldArticle.objects.create(headline="One", slug="one", **common)
    two = OldArticle.objects.create(headline="Two", slug="two", **common)
    bare = OldArticle.objects.create(headline="Three", slug="three")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    picture = Picture.objects.get()  # one file: one picture, shared
    assert picture.file.name == "articles/2017/09/kremlin.jpg"
    assert (picture.caption, picture.credit, picture.alt_text) == ("The Kremlin", "TASS", "Red walls")
    assert (picture.width, picture.height) == (120, 80)
    stories = Article.objects.in_bulk([one.pk, two.pk, bare.pk])
    assert [stories[pk].picture for pk in (one.pk, two.pk, bare.pk)] == [picture, picture, None]
    # Renditions come from the command the upgrade notes name.
    assert media.make_missing() > 0
    assert picture.renditions.filter(shape="lead").exists()
