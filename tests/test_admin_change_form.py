"""The story's change page: a fixed number of queries, however long its history."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleEvent, Byline, Correction, PreviewLink, Status, Tag
from tests.factories import (
    article_form_data,
    make_agency,
    make_article,
    make_author,
    make_place,
    make_section,
    make_user,
)

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def filed_story():
    return make_article(
        status=Status.PUBLISHED,
        published_at=timezone.now() - datetime.timedelta(hours=1),
        section=make_section(),
        place=make_place(name="VLADIVOSTOK"),
        agency=make_agency(),
        authors=[make_author(name="Anna Ivanova")],
        tags=[Tag.objects.create(name="Ports")],
    )


def add_history(article, user, n):
    """n more of everything the page lists: bylines, tags, history, notes, links."""
    for i in range(n):
        Byline.objects.create(article=article, author=make_author(), position=i + 1)
        article.tags.add(Tag.objects.create(name=f"Topic {i}"))
        ArticleEvent.objects.create(
            article=article, action="reschedule", from_status="published",
            to_status="published", by=make_user(f"editor{i}"), note=f"Moved {i}",
        )  # fmt: skip
        Correction.objects.create(article=article, text=f"Note {i}", created_by=user)
        tomorrow = timezone.now() + datetime.timedelta(days=1)
        PreviewLink.objects.create(article=article, expires_at=tomorrow, created_by=user)


# session, user; the story with its section, place, agency, creator and last
# editor; its tags (the form's initial data); its corrections; its history,
# with who did each step; its bylines with their authors; its preview links;
# this editor's presence noted (one upsert); others with the story open.
CHANGE_FORM_QUERIES = 10


def test_change_form_queries_do_not_grow_with_bylines_tags_and_history(
    admin_client, admin_user, django_assert_num_queries
):
    article = filed_story()
    ContentType.objects.get_for_model(Article)  # the admin caches it once per process
    with django_assert_num_queries(CHANGE_FORM_QUERIES):
        assert admin_client.get(change_url(article)).status_code == 200
    add_history(article, admin_user, 10)
    with django_assert_num_queries(CHANGE_FORM_QUERIES):
        response = admin_client.get(change_url(article))
    page = response.content.decode()
    assert page.count("Moved ") == 10 and "editor9" in page  # each step, and who took it


def test_chosen_place_author_and_tags_are_shown_by_name(admin_client):
    article = filed_story()
    page = admin_client.get(change_url(article)).content.decode()
    for name, pk in [
        ("VLADIVOSTOK", article.place_id),
        ("Anna Ivanova", article.bylines.get().author_id),
        ("Ports", article.tags.get().pk),
    ]:
        assert f'<option value="{pk}" selected>{name}</option>' in page, name


def test_a_refused_save_shows_the_place_and_tags_the_editor_chose(admin_client):
    article = filed_story()
    other = make_place(name="NAKHODKA")
    # Saved by someone else meanwhile: the form comes back with the editor's choices,
    # tags typed as plain names included.
    stale = article_form_data(
        article, place=other.pk, tags="Ports, Fisheries", base_version=article.version - 1
    )
    page = admin_client.post(change_url(article), stale).content.decode()
    assert "Please correct the error below." in page
    assert f'<option value="{other.pk}" selected>NAKHODKA</option>' in page
    assert '<option value="Ports, Fisheries" selected>Ports, Fisheries</option>' in page


def long_body(characters):
    """Story HTML of at least ``characters`` characters, in Cyrillic (two bytes a letter)."""
    paragraph = "<p>" + "Длинный текст стенограммы заседания. " * 50 + "</p>"
    return paragraph * (characters // len(paragraph) + 1)


def test_a_body_over_the_limit_is_refused_by_the_form_with_the_text_kept(admin_client):
    article = filed_story()
    body = long_body(1_000_001)

    response = admin_client.post(change_url(article), article_form_data(article, body=body))

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "at most 1000000 characters" in str(form.errors["body"])
    assert form["body"].value() == body  # nothing typed is lost
    article.refresh_from_db()
    assert "стенограммы" not in article.body


def test_a_body_near_the_limit_saves(admin_client):
    article = filed_story()
    body = long_body(900_000)[:900_000].rsplit("<p>", 1)[0]

    response = admin_client.post(change_url(article), article_form_data(article, body=body))

    assert response.status_code == 302
    article.refresh_from_db()
    assert len(article.body) > 850_000


# Search and sharing, and the language


def test_the_form_says_how_long_seo_fields_should_be_and_saves_them(admin_client):
    article = filed_story()
    page = admin_client.get(change_url(article)).content.decode()
    assert "Keep it under 60 characters" in page
    assert "Aim for 120 to 155 characters" in page

    data = article_form_data(
        article, seo_title="Talks again", seo_description="A summary.", language="ru"
    )
    assert admin_client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert (article.seo_title, article.seo_description, article.language) == (
        "Talks again",
        "A summary.",
        "ru",
    )


def test_too_long_an_seo_title_is_refused_with_the_text_kept(admin_client):
    article = filed_story()
    title = "Talks " * 25
    response = admin_client.post(change_url(article), article_form_data(article, seo_title=title))
    form = response.context["adminform"].form
    assert "at most 120 characters" in str(form.errors["seo_title"])
    assert form["seo_title"].value() == title


def test_a_wire_story_s_language_is_offered_even_when_the_site_does_not_list_it(
    admin_client, settings
):
    settings.LANGUAGES = [("en-us", "English"), ("en-gb", "British English")]
    article = filed_story()
    Article.objects.filter(pk=article.pk).update(language="ru")
    page = admin_client.get(change_url(article)).content.decode()
    assert '<option value="en">English</option>' in page
    assert '<option value="ru" selected>Russian (Русский)</option>' in page
