"""
Deleting stories: only what was never published, through the workflow on
every path (admin, bulk action, shell), with its history kept on the record.
"""

import datetime

import pytest
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Article, ArticleEvent, ArticleRevision, Status
from tests.factories import make_article, make_live, make_reporter, make_user

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def chief():
    return make_user("chief", "Editor", is_superuser=True)


def drafted(by):
    story = make_article(headline="Never sent")

    def save():
        story.body = "<p>Second thoughts.</p>"
        story.save()

    workflow.edit(story, by=by, save=save)
    return story


def test_deleting_a_draft_keeps_its_history_with_who_deleted_it(chief):
    story = drafted(chief)
    workflow.submit(story, by=chief)
    pk = story.pk

    workflow.delete(story, by=chief)

    assert not Article.objects.filter(pk=pk).exists()
    events = ArticleEvent.objects.filter(article__isnull=True).order_by("id")
    assert [event.action for event in events] == ["submit", "delete"]
    assert events.last().by == chief and events.last().note == f"Deleted “Never sent” (story {pk})."
    assert ArticleRevision.objects.filter(article__isnull=True).count() == 2  # as made, as edited


STATES = {
    "live": lambda: make_live(),
    "withdrawn": lambda: make_article(status=Status.WITHDRAWN, published_at=timezone.now() - HOUR),
    "scheduled": lambda: make_article(status=Status.PUBLISHED, published_at=timezone.now() + HOUR),
    "embargoed": lambda: make_live(embargo_until=timezone.now() + HOUR),
}


@pytest.mark.parametrize("state", STATES)
def test_a_published_story_is_not_deleted_by_the_workflow(chief, state):
    story = STATES[state]()

    with pytest.raises(workflow.TransitionError) as refused:
        workflow.delete(story, by=chief)

    assert Article.objects.filter(pk=story.pk).exists()
    expected = "withdraw it instead" if state in ("live", "withdrawn") else "unpublish it first"
    assert expected in str(refused.value)


@pytest.mark.parametrize("state", STATES)
def test_nor_from_the_shell(state):
    story = STATES[state]()

    with pytest.raises(ProtectedError):
        story.delete()
    with pytest.raises(ProtectedError):
        Article.objects.filter(pk=story.pk).delete()

    assert Article.objects.filter(pk=story.pk).exists()


def test_the_shell_still_deletes_drafts():
    story = make_article()

    Article.objects.filter(pk=story.pk).delete()

    assert not Article.objects.exists()


# The admin


def test_a_published_story_has_no_delete_link_and_its_delete_page_is_refused(client):
    client.force_login(make_user("chief", "Editor", is_superuser=True))
    story = make_live()

    page = client.get(reverse("admin:articles_article_change", args=[story.pk]))
    refused = client.post(reverse("admin:articles_article_delete", args=[story.pk]), {"post": "yes"})

    assert reverse("admin:articles_article_delete", args=[story.pk]) not in page.content.decode()
    assert refused.status_code == 403
    assert Article.objects.filter(pk=story.pk).exists()


def test_the_bulk_delete_action_names_what_cannot_go_and_deletes_nothing(client, chief):
    client.force_login(chief)
    draft, live = make_article(), make_live(headline="On the front page")
    data = {"action": "delete_selected", "_selected_action": [draft.pk, live.pk], "post": "yes"}

    response = client.post(reverse("admin:articles_article_changelist"), data)

    assert response.status_code == 200
    assert "“On the front page” was published" in response.content.decode()
    assert Article.objects.count() == 2


def test_the_bulk_delete_action_deletes_drafts_through_the_workflow(client, chief):
    client.force_login(chief)
    drafts = [drafted(chief), drafted(chief)]
    data = {"action": "delete_selected", "_selected_action": [d.pk for d in drafts], "post": "yes"}

    response = client.post(reverse("admin:articles_article_changelist"), data)

    assert response.status_code == 302
    assert not Article.objects.exists()
    assert ArticleEvent.objects.filter(action="delete", by=chief).count() == 2


def test_a_reporter_cannot_delete_even_their_own_draft():
    reporter = make_reporter()
    story = make_article(created_by=reporter)

    with pytest.raises(workflow.PermissionDenied):
        workflow.delete(story, by=reporter)
