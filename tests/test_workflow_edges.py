"""
The edges of the workflow: moves checked against the row as stored, not a
stale copy; every change of when a story is public on the record; times
typed where they cannot apply said so.
"""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Article, ArticleEvent, Status
from tests.factories import article_form_data, make_article, make_editor, make_live

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def history(story):
    return list(ArticleEvent.objects.filter(article=story).order_by("id").values_list("action", flat=True))


# Moves are checked against the locked row


def test_a_stale_copy_cannot_publish_a_story_already_live():
    editor = make_editor()
    story = make_article()
    stale = Article.objects.get(pk=story.pk)  # read while it was a draft
    workflow.publish(story, by=editor)
    live_since = Article.objects.get(pk=story.pk).published_at

    with pytest.raises(workflow.TransitionError, match="is published"):
        workflow.publish(stale, by=editor, at=timezone.now() + HOUR)

    story.refresh_from_db()
    assert story.published_at == live_since and story.is_live
    assert history(story) == ["publish"]


def test_a_stale_copy_does_not_carry_its_old_time_into_a_move():
    editor = make_editor()
    story = make_live(published_at=timezone.now() - 2 * HOUR)
    stale = Article.objects.get(pk=story.pk)
    workflow.reschedule(story, by=editor, at=timezone.now() - HOUR)
    moved_to = Article.objects.get(pk=story.pk).published_at

    workflow.withdraw(stale, by=editor, reason="Legal")

    story.refresh_from_db()
    assert story.status == Status.WITHDRAWN and story.published_at == moved_to


def test_a_stale_copy_of_another_reporters_draft_cannot_be_edited_after_it_went_to_the_desk():
    from tests.factories import make_reporter

    reporter = make_reporter()
    story = make_article(created_by=reporter)
    stale = Article.objects.get(pk=story.pk)
    workflow.submit(story, by=reporter)

    def save():
        stale.headline = "Changed behind the desk's back"
        stale.save()

    with pytest.raises(workflow.PermissionDenied):
        workflow.edit(stale, by=reporter, save=save)
    assert Article.objects.get(pk=story.pk).headline != "Changed behind the desk's back"


# When a story is public: every change recorded


def test_setting_moving_and_lifting_an_embargo_by_an_edit_are_recorded():
    editor = make_editor()
    story = make_live()
    first, second = timezone.now() + HOUR, timezone.now() + 2 * HOUR

    for until in [first, second, None]:
        story.embargo_until = until
        workflow.edit(story, by=editor, save=story.save)

    events = ArticleEvent.objects.filter(article=story, action="embargo").order_by("id")
    notes = [event.note for event in events]
    assert [note.split(" ")[0] for note in notes] == ["Embargoed", "Embargo", "Embargo"]
    assert "moved from" in notes[1] and notes[2].startswith("Embargo lifted")
    assert all(event.by == editor for event in events)


def test_an_edit_that_moves_the_publication_time_is_recorded():
    editor = make_editor()
    story = make_live(published_at=timezone.now() - 2 * HOUR)

    story.published_at = timezone.now() - HOUR
    workflow.edit(story, by=editor, save=story.save)

    event = ArticleEvent.objects.get(article=story, action="reschedule")
    assert event.note.startswith("Publication time moved from")
    assert event.publication_time == story.published_at


def test_an_embargo_on_a_draft_is_not_a_public_change():
    editor = make_editor()
    story = make_article()

    story.embargo_until = timezone.now() + HOUR
    workflow.edit(story, by=editor, save=story.save)

    assert history(story) == []


def test_clearing_an_embargo_in_the_admin_writes_history(client):
    editor = make_editor()
    client.force_login(editor)
    story = make_live(embargo_until=timezone.now() + HOUR)
    data = article_form_data(story, embargo_until_0="", embargo_until_1="")

    response = client.post(reverse("admin:articles_article_change", args=[story.pk]), data)

    assert response.status_code == 302
    event = ArticleEvent.objects.get(article=story, action="embargo")
    assert event.note.startswith("Embargo lifted") and event.by == editor


# A time typed where it cannot apply


def test_a_time_typed_on_a_draft_and_saved_is_not_dropped_silently(client):
    client.force_login(make_editor())
    story = make_article()
    when = timezone.localtime(timezone.now() + HOUR)
    data = article_form_data(story, publish_at_0=f"{when:%Y-%m-%d}", publish_at_1=f"{when:%H:%M}")

    response = client.post(reverse("admin:articles_article_change", args=[story.pk]), data)

    assert response.status_code == 302
    (message,) = [
        str(m) for m in get_messages(response.wsgi_request) if "is not applied" in str(m)
    ]
    assert "is not applied until the story is published" in message
    assert f"{when:%Y-%m-%d %H:%M}" in message
    story.refresh_from_db()
    assert story.status == Status.DRAFT and story.published_at is None
