import datetime

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from articles import workflow
from articles.models import Article, ArticleEvent, Status
from tests.factories import make_article, make_editor, make_reporter, make_user

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
PAST = datetime.datetime(2017, 9, 14, 9, 0, tzinfo=UTC)
# A publication time still to come whenever the suite runs.
FUTURE = datetime.datetime(2100, 1, 1, 6, 0, tzinfo=UTC)


def only_event(article):
    [event] = ArticleEvent.objects.filter(article=article)
    return event


def assert_event(article, *, action, from_status, to_status, by, publication_time, note=""):
    event = only_event(article)
    assert (event.action, event.from_status, event.to_status) == (action, from_status, to_status)
    assert (event.by, event.publication_time, event.note) == (by, publication_time, note)


# publish


def test_publish_now_makes_a_draft_live():
    story, editor = make_article(), make_editor()
    before = timezone.now()
    workflow.publish(story, by=editor)
    after = timezone.now()

    story.refresh_from_db()
    assert story.status == Status.PUBLISHED
    assert before <= story.published_at <= after
    assert story.updated_by == editor
    assert list(Article.objects.live()) == [story]
    assert_event(
        story,
        action="publish",
        from_status=Status.DRAFT,
        to_status=Status.PUBLISHED,
        by=editor,
        publication_time=story.published_at,
    )


def test_publish_at_a_past_time_backdates_the_story():
    story, editor = make_article(), make_editor()
    workflow.publish(story, by=editor, at=PAST)

    story.refresh_from_db()
    assert (story.status, story.published_at) == (Status.PUBLISHED, PAST)
    assert list(Article.objects.live(at=PAST)) == [story]
    assert_event(
        story,
        action="publish",
        from_status=Status.DRAFT,
        to_status=Status.PUBLISHED,
        by=editor,
        publication_time=PAST,
    )


def test_publish_at_a_future_time_schedules_the_story():
    story, editor = make_article(status=Status.IN_REVIEW), make_editor()
    workflow.publish(story, by=editor, at=FUTURE)

    story.refresh_from_db()
    assert (story.status, story.published_at) == (Status.PUBLISHED, FUTURE)
    assert list(Article.objects.scheduled()) == [story]
    assert not Article.objects.live().exists()
    assert_event(
        story,
        action="schedule",
        from_status=Status.IN_REVIEW,
        to_status=Status.PUBLISHED,
        by=editor,
        publication_time=FUTURE,
    )


def test_publishing_a_published_story_reschedules_it():
    story, editor = make_article(status=Status.PUBLISHED, published_at=FUTURE), make_editor()
    workflow.publish(story, by=editor, at=PAST)

    story.refresh_from_db()
    assert (story.status, story.published_at) == (Status.PUBLISHED, PAST)
    assert_event(
        story,
        action="reschedule",
        from_status=Status.PUBLISHED,
        to_status=Status.PUBLISHED,
        by=editor,
        publication_time=PAST,
    )


def test_publishing_a_published_story_without_a_time_keeps_its_time_and_address():
    story, editor = make_article(status=Status.PUBLISHED, published_at=PAST), make_editor()
    address = story.get_absolute_url()
    workflow.publish(story, by=editor)

    story.refresh_from_db()
    assert (story.published_at, story.get_absolute_url()) == (PAST, address)


def test_withdrawn_story_cannot_be_published_again():
    story = make_article(status=Status.WITHDRAWN, published_at=PAST)
    with pytest.raises(workflow.TransitionError):
        workflow.publish(story, by=make_editor(), at=FUTURE)

    assert story.status == Status.WITHDRAWN  # the instance is left as it was
    story.refresh_from_db()
    assert (story.status, story.published_at) == (Status.WITHDRAWN, PAST)
    assert not ArticleEvent.objects.exists()


# unpublish


@pytest.mark.parametrize("published_at", [PAST, FUTURE], ids=["live", "scheduled"])
def test_unpublish_takes_a_published_story_back_to_draft(published_at):
    story, editor = make_article(status=Status.PUBLISHED, published_at=published_at), make_editor()
    workflow.unpublish(story, by=editor, note="Wrong figures in the third paragraph.")

    story.refresh_from_db()
    assert (story.status, story.published_at, story.updated_by) == (Status.DRAFT, None, editor)
    assert not Article.objects.published().exists()
    assert_event(
        story,
        action="unpublish",
        from_status=Status.PUBLISHED,
        to_status=Status.DRAFT,
        by=editor,
        publication_time=None,
        note="Wrong figures in the third paragraph.",
    )


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW, Status.WITHDRAWN])
def test_only_a_published_story_can_be_unpublished(status):
    story = make_article(status=status)
    with pytest.raises(workflow.TransitionError):
        workflow.unpublish(story, by=make_editor())

    story.refresh_from_db()
    assert story.status == status
    assert not ArticleEvent.objects.exists()


def test_republishing_an_unpublished_story_leaves_both_events():
    story, editor = make_article(), make_editor()
    workflow.publish(story, by=editor, at=PAST)
    workflow.unpublish(story, by=editor)
    workflow.publish(story, by=editor, at=FUTURE)

    story.refresh_from_db()
    assert (story.status, story.published_at) == (Status.PUBLISHED, FUTURE)
    # Events come newest first.
    history = ArticleEvent.objects.filter(article=story).values_list(
        "action", "from_status", "to_status", "publication_time"
    )
    assert list(history) == [
        ("schedule", Status.DRAFT, Status.PUBLISHED, FUTURE),
        ("unpublish", Status.PUBLISHED, Status.DRAFT, None),
        ("publish", Status.DRAFT, Status.PUBLISHED, PAST),
    ]


# Who may do it


@pytest.mark.parametrize(
    ("groups", "is_superuser", "allowed"),
    [
        (["Reporter"], False, False),
        (["Taxonomy staff"], False, False),
        ([], False, False),
        (["Editor"], False, True),
        (["Reporter", "Editor"], False, True),
        ([], True, True),
    ],
    ids=["reporter", "taxonomy staff", "no group", "editor", "reporter and editor", "superuser"],
)
def test_who_may_publish_and_unpublish(groups, is_superuser, allowed):
    user = make_user("someone", *groups, is_superuser=is_superuser)
    assert workflow.can_publish(user) is allowed
    published = make_article(status=Status.PUBLISHED, published_at=PAST)
    draft = make_article()

    if allowed:
        workflow.publish(draft, by=user, at=PAST)
        workflow.unpublish(published, by=user)
        assert ArticleEvent.objects.count() == 2
    else:
        with pytest.raises(PermissionDenied):
            workflow.publish(draft, by=user, at=PAST)
        with pytest.raises(PermissionDenied):
            workflow.unpublish(published, by=user)
        assert not ArticleEvent.objects.exists()
        assert Article.objects.get(pk=draft.pk).status == Status.DRAFT
        assert Article.objects.get(pk=published.pk).status == Status.PUBLISHED


def test_reporter_is_refused_before_the_transition_is_checked():
    story = make_article(status=Status.WITHDRAWN)
    with pytest.raises(PermissionDenied):
        workflow.publish(story, by=make_reporter())


def test_inactive_editor_may_not_publish():
    editor = make_editor()
    editor.is_active = False
    editor.save()
    with pytest.raises(PermissionDenied):
        workflow.publish(make_article(), by=User.objects.get(pk=editor.pk), at=PAST)
