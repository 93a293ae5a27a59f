"""
Two editors on one story: the later save is refused rather than silently
overwriting the earlier one, and each sees who else has the story open.
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from articles import workflow
from articles.models import Article, ArticleRevision, EditingSession, Status
from tests.factories import article_form_data, make_article, make_user

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
PUBLISHED = datetime.datetime(2017, 9, 14, 9, 0, tzinfo=UTC)
# Times of the morning the two editors work on the story, in UTC. The desk
# reads them in the newsroom's time (Moscow, three hours ahead).
A_OPENS = datetime.datetime(2017, 9, 14, 10, 2, tzinfo=UTC)
B_OPENS = datetime.datetime(2017, 9, 14, 10, 5, tzinfo=UTC)
A_SAVES = datetime.datetime(2017, 9, 14, 10, 15, 42, tzinfo=UTC)
B_SAVES = datetime.datetime(2017, 9, 14, 10, 20, tzinfo=UTC)
PRESENCE = "has had this story open"


@pytest.fixture(autouse=True)
def newsroom_in_moscow(settings):
    settings.TIME_ZONE = "Europe/Moscow"


@pytest.fixture
def anna():
    return make_user("anna", "Editor", first_name="Anna", last_name="Ivanova")


@pytest.fixture
def boris():
    return make_user("boris", "Editor")  # no full name: known by his username


def browser(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def story():
    return make_article(
        headline="Floods in Yakutia",
        body="<p>The river rose overnight.</p>",
        status=Status.PUBLISHED,
        published_at=PUBLISHED,
    )


def change_url(story):
    return reverse("admin:articles_article_change", args=[story.pk])


def form_of(response):
    return response.context["adminform"].form


def open_story(client, story):
    """GET the change page: the response, and the form data as it was opened."""
    response = client.get(change_url(story))
    assert response.status_code == 200
    opened = Article.objects.get(pk=story.pk)
    data = article_form_data(opened, base_version=form_of(response)["base_version"].value())
    return response, data


# Two saves: the later one is refused, nothing is lost


def test_second_save_from_an_older_version_is_refused_and_nothing_is_lost(
    story, anna, boris, time_machine
):
    a, b = browser(anna), browser(boris)
    time_machine.move_to(A_OPENS, tick=False)
    _, a_data = open_story(a, story)
    time_machine.move_to(B_OPENS, tick=False)
    _, b_data = open_story(b, story)
    assert a_data["base_version"] == b_data["base_version"] == story.version

    time_machine.move_to(A_SAVES, tick=False)
    a_data.update(headline="Floods in Yakutsk", body="<p>Anna: water reached the city.</p>")
    assert a.post(change_url(story), a_data).status_code == 302

    time_machine.move_to(B_SAVES, tick=False)
    b_data.update(headline="Yakutia floods spread", body="<p>Boris: three villages cut off.</p>")
    refused = b.post(change_url(story), b_data)

    assert refused.status_code == 200
    form = form_of(refused)
    assert [error.code for error in form.errors.as_data()["__all__"]] == ["conflict"]
    assertContains(refused, "Anna Ivanova saved this story at 13:15:42 MSK (2017-09-14)")
    # His text is still in front of him, ready to merge and save again.
    assertContains(refused, 'value="Yakutia floods spread"')
    assertContains(refused, "Boris: three villages cut off.")
    story.refresh_from_db()
    assert (story.headline, story.body) == (
        "Floods in Yakutsk", "<p>Anna: water reached the city.</p>"
    )  # fmt: skip
    # Beside his form: what Anna saved, field by field.
    assert {row.label for row in form.conflict["rows"]} == {"Headline", "Body"}
    assertContains(refused, "What they saved (version")
    assertContains(refused, "Floods in Yakutsk")
    assertContains(refused, f'name="conflict_version" value="{story.version}"')

    # Save pressed again without merging: refused again, nothing written.
    blind = b.post(change_url(story), {**b_data, "conflict_version": story.version})
    assert blind.status_code == 200
    assert [e.code for e in form_of(blind).errors.as_data()["__all__"]] == ["conflict"]
    story.refresh_from_db()
    assert story.headline == "Floods in Yakutsk"

    merged = {**b_data, "conflict_version": story.version, "merged": "on"}
    assert b.post(change_url(story), merged).status_code == 302

    story.refresh_from_db()
    assert (story.headline, story.body) == (
        "Yakutia floods spread", "<p>Boris: three villages cut off.</p>"
    )  # fmt: skip
    assert story.updated_by == boris
    # Anna's text is overwritten on the page but kept as a revision.
    saved = ArticleRevision.objects.filter(article=story).order_by("number")
    assert [(r.created_by, r.data["headline"]) for r in saved] == [
        (anna, "Floods in Yakutsk"),
        (boris, "Yakutia floods spread"),
    ]
    assert saved[0].data["body"] == "<p>Anna: water reached the city.</p>"


def test_refused_save_writes_nothing(story, anna, boris):
    a, b = browser(anna), browser(boris)
    _, a_data = open_story(a, story)
    _, b_data = open_story(b, story)
    a_data.update(headline="Floods in Yakutsk")
    a.post(change_url(story), a_data)
    story.refresh_from_db()
    after_a = (story.version, story.updated_at, story.revisions.count(), story.events.count())

    b_data.update(headline="Yakutia floods spread", _action="withdraw", note="Duplicate")
    assert b.post(change_url(story), b_data).status_code == 200

    story.refresh_from_db()
    assert (story.headline, story.status) == ("Floods in Yakutsk", Status.PUBLISHED)
    assert (story.version, story.updated_at, story.revisions.count(), story.events.count()) == (
        after_a
    )


def test_conflict_names_the_editor_by_username_without_a_full_name(story, anna, boris):
    a, b = browser(anna), browser(boris)
    _, a_data = open_story(a, story)
    _, b_data = open_story(b, story)
    b_data.update(headline="Yakutia floods spread")
    b.post(change_url(story), b_data)

    refused = a.post(change_url(story), a_data)

    assert refused.status_code == 200
    assertContains(refused, "boris saved this story at")


def test_saves_one_after_the_other_do_not_conflict(story, anna, boris):
    a, b = browser(anna), browser(boris)
    _, a_data = open_story(a, story)
    a_data.update(headline="Floods in Yakutsk")
    assert a.post(change_url(story), a_data).status_code == 302

    _, b_data = open_story(b, story)  # opened after Anna's save
    b_data.update(headline="Yakutia floods spread")

    assert b.post(change_url(story), b_data).status_code == 302
    story.refresh_from_db()
    assert story.headline == "Yakutia floods spread"


# workflow.edit checks the version too, for every caller


def test_edit_from_a_stale_version_raises_and_writes_nothing(story, anna, boris):
    opened_by_boris = Article.objects.get(pk=story.pk)
    version = opened_by_boris.version

    story.headline = "Floods in Yakutsk"
    workflow.edit(story, by=anna, save=story.save, expected_version=version)
    story.refresh_from_db()
    before = (story.version, story.updated_at, story.revisions.count())

    saves = []

    def save():
        saves.append(True)
        opened_by_boris.save()

    opened_by_boris.headline = "Yakutia floods spread"
    with pytest.raises(workflow.ConflictError, match="Anna Ivanova saved this story"):
        workflow.edit(opened_by_boris, by=boris, save=save, expected_version=version)

    assert saves == []
    story.refresh_from_db()
    assert story.headline == "Floods in Yakutsk"
    assert (story.version, story.updated_at, story.revisions.count()) == before


def test_edit_from_the_current_version_saves(story, anna):
    story.headline = "Floods in Yakutsk"
    workflow.edit(story, by=anna, save=story.save, expected_version=story.version)
    story.refresh_from_db()
    assert story.headline == "Floods in Yakutsk"
    assert story.revisions.get().created_by == anna


# Who else has the story open


def test_second_editor_is_told_who_has_the_story_open_and_since_when(
    story, anna, boris, time_machine
):
    a, b = browser(anna), browser(boris)
    time_machine.move_to(A_OPENS, tick=False)
    a_page, _ = open_story(a, story)
    time_machine.move_to(B_OPENS, tick=False)
    b_page, _ = open_story(b, story)

    assertNotContains(a_page, PRESENCE)  # alone with it, Anna is not warned
    assertContains(b_page, f"Anna Ivanova {PRESENCE} since 13:02 MSK")


def test_editor_is_never_warned_about_herself(story, anna, boris, time_machine):
    a, b = browser(anna), browser(boris)
    time_machine.move_to(A_OPENS, tick=False)
    open_story(a, story)
    time_machine.move_to(B_OPENS, tick=False)
    open_story(b, story)

    reloaded, _ = open_story(a, story)

    # The admin capitalises the first letter of every message.
    assertContains(reloaded, f"Boris {PRESENCE} since 13:05 MSK")
    assertNotContains(reloaded, "Anna Ivanova")
    # Reloading keeps the time she first opened it.
    assert EditingSession.objects.get(user=anna).opened_at == A_OPENS


def test_saving_clears_the_editors_presence(story, anna, boris, time_machine):
    a, b = browser(anna), browser(boris)
    time_machine.move_to(A_OPENS, tick=False)
    _, a_data = open_story(a, story)
    time_machine.move_to(B_OPENS, tick=False)
    open_story(b, story)

    time_machine.move_to(A_SAVES, tick=False)
    assert a.post(change_url(story), a_data).status_code == 302

    assert not EditingSession.objects.filter(user=anna).exists()
    time_machine.move_to(B_SAVES, tick=False)
    b_page, _ = open_story(b, story)
    assertNotContains(b_page, PRESENCE)


def test_refused_save_keeps_the_editor_present(story, anna, boris):
    a, b = browser(anna), browser(boris)
    _, a_data = open_story(a, story)
    _, b_data = open_story(b, story)
    b.post(change_url(story), b_data)

    assert a.post(change_url(story), a_data).status_code == 200  # refused

    # She still has the story open, merging: Boris is told so.
    assertContains(open_story(b, story)[0], f"Anna Ivanova {PRESENCE}")


def test_page_left_open_for_over_half_an_hour_is_not_reported(story, anna, boris, time_machine):
    a, b = browser(anna), browser(boris)
    time_machine.move_to(A_OPENS, tick=False)
    open_story(a, story)

    time_machine.move_to(A_OPENS + datetime.timedelta(minutes=31), tick=False)
    b_page, _ = open_story(b, story)

    assertNotContains(b_page, PRESENCE)


def test_a_merge_ticked_against_a_version_since_replaced_is_refused_again(story, anna, boris):
    a, b = browser(anna), browser(boris)
    _, a_data = open_story(a, story)
    _, b_data = open_story(b, story)
    a.post(change_url(story), {**a_data, "headline": "Floods in Yakutsk"})
    story.refresh_from_db()
    shown = story.version
    b.post(change_url(story), {**b_data, "headline": "Yakutia floods spread"})  # refused
    _, a_again = open_story(a, story)
    a.post(change_url(story), {**a_again, "headline": "Floods reach Yakutsk"})  # saved since

    late = {**b_data, "headline": "Yakutia floods spread", "conflict_version": shown, "merged": "on"}
    refused = b.post(change_url(story), late)

    assert refused.status_code == 200
    story.refresh_from_db()
    assert story.headline == "Floods reach Yakutsk"
    assert form_of(refused).conflict["version"] == story.version
