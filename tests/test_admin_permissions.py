"""
The permission matrix through the admin: every role against every workflow
button, including requests forged for buttons the role is not shown.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Status
from tests.factories import (
    article_form_data,
    make_article,
    make_author,
    make_editor,
    make_reporter,
    make_user,
)

pytestmark = pytest.mark.django_db

PAST = datetime.datetime(2017, 9, 14, 9, 0, tzinfo=datetime.UTC)
FUTURE = datetime.datetime(2100, 1, 1, 6, 0, tzinfo=datetime.UTC)

STATES = {
    "draft": dict(status=Status.DRAFT),
    "in_review": dict(status=Status.IN_REVIEW),
    "live": dict(status=Status.PUBLISHED, published_at=PAST),
    "scheduled": dict(status=Status.PUBLISHED, published_at=FUTURE),
    "withdrawn": dict(status=Status.WITHDRAWN, published_at=PAST),
}

# button -> (a state it applies to, the status it leads to)
BUTTONS = {
    "submit": ("draft", Status.IN_REVIEW),
    "send_back": ("in_review", Status.DRAFT),
    "publish": ("in_review", Status.PUBLISHED),
    "unpublish": ("scheduled", Status.DRAFT),
    "withdraw": ("live", Status.WITHDRAWN),
    "restore": ("withdrawn", Status.PUBLISHED),
}

ROLES = ["own reporter", "other reporter", "editor", "taxonomy staff"]
MAY = {"own reporter": {"submit"}, "editor": set(BUTTONS)}


def user_for(role, owner):
    return {
        "own reporter": lambda: owner,
        "other reporter": lambda: make_reporter("other"),
        "editor": make_editor,
        "taxonomy staff": lambda: make_user("tax", "Taxonomy staff"),
    }[role]()


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("button", BUTTONS)
def test_button_matrix_including_forged_posts(client, role, button):
    state, after = BUTTONS[button]
    owner = make_reporter("owner")
    article = make_article(created_by=owner, headline="Budget talks", **STATES[state])
    before = article.status
    client.force_login(user_for(role, owner))

    page = client.get(change_url(article))
    data = article_form_data(article, _action=button, note="Because")
    response = client.post(change_url(article), data)
    article.refresh_from_db()

    if button in MAY.get(role, set()):
        assert f'value="{button}"' in page.content.decode()
        assert article.status == after
        assert article.events.filter(action=button).exists()
    else:
        # Shown no button; the forged request changes nothing.
        if page.status_code == 200:
            assert f'name="_action" value="{button}"' not in page.content.decode()
        assert response.status_code in (302, 403)
        assert article.status == before
        assert not article.events.exists()


def test_reporter_cannot_edit_someone_else_s_draft(client):
    article = make_article(created_by=make_reporter("owner"), headline="Mine")
    client.force_login(make_reporter("other"))
    response = client.post(change_url(article), article_form_data(article, headline="Theirs"))
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.headline == "Mine"


def test_reporter_edits_and_resubmits_a_sent_back_story(client):
    reporter = make_reporter()
    article = make_article(created_by=reporter, headline="First try", status=Status.IN_REVIEW)
    workflow.send_back(article, by=make_editor(), note="Needs a second source")
    client.force_login(reporter)
    page = client.get(change_url(article)).content.decode()
    assert "Needs a second source" in page  # the note is in the story's history

    article.refresh_from_db()
    client.post(change_url(article), article_form_data(article, headline="Second try", _action="submit"))
    article.refresh_from_db()
    assert (article.headline, article.status) == ("Second try", Status.IN_REVIEW)


def test_taxonomy_staff_cannot_write_stories(client):
    client.force_login(make_user("tax", "Taxonomy staff"))
    assert client.get(reverse("admin:articles_article_add")).status_code == 403
    assert client.post(reverse("admin:articles_article_add"), article_form_data(headline="x")).status_code == 403


def test_scheduled_time_is_shown_with_its_zone(client, settings):
    settings.TIME_ZONE = "Europe/Moscow"
    make_article(status=Status.PUBLISHED, published_at=timezone.now() + datetime.timedelta(hours=3))
    client.force_login(make_editor())
    page = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "Scheduled for" in page and "MSK" in page


def test_history_times_carry_their_zone(client, settings):
    settings.TIME_ZONE = "Europe/Moscow"
    editor = make_editor()
    article = make_article()
    workflow.publish(article, by=editor, at=PAST)
    client.force_login(editor)
    page = client.get(change_url(article)).content.decode()
    assert "Sept. 14, 2017, noon MSK" in page  # 09:00 UTC, in Moscow


# Others' embargoed copy, and the list of staff accounts


def test_a_reporter_sees_the_budget_but_not_another_reporters_embargoed_copy(client):
    from django.utils import timezone

    from articles.models import Article

    owner, other = make_reporter("owner"), make_reporter("other")
    until = timezone.now() + datetime.timedelta(hours=2)
    embargoed = Article.objects.create(headline="Central bank cuts rates", created_by=owner, embargo_until=until)
    plain = Article.objects.create(headline="Bridge opens", created_by=owner)
    client.force_login(other)

    listing = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "Central bank cuts rates" in listing and "Bridge opens" in listing  # the budget
    for name in ["change", "preview", "revisions"]:
        url = reverse(f"admin:articles_article_{name}", args=[embargoed.pk])
        assert client.get(url).status_code in (403, 404), name
    assert client.get(reverse("admin:articles_article_change", args=[plain.pk])).status_code == 200

    client.force_login(owner)
    assert client.get(reverse("admin:articles_article_change", args=[embargoed.pk])).status_code == 200
    client.force_login(make_editor("desk"))
    assert client.get(reverse("admin:articles_article_change", args=[embargoed.pk])).status_code == 200


def test_taxonomy_staff_see_an_authors_account_but_not_the_list_of_accounts(client):
    from django.contrib.auth.models import User

    User.objects.create_user("secret-editor-account", is_staff=True)
    author = make_author(name="Ivan Petrov")
    client.force_login(make_user("keeper", "Taxonomy staff"))

    page = client.get(reverse("admin:articles_author_change", args=[author.pk])).content.decode()

    assert page.count("Ivan Petrov") and 'name="user"' not in page
    assert "secret-editor-account" not in page
