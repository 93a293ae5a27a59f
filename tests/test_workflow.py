"""workflow.py: every transition, a forbidden one per state, who may take each, the audit row."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from articles import workflow
from articles.models import ArticleEvent, ArticleRevision, Correction, Status
from tests.factories import make_article, make_editor, make_reporter, make_user

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
PAST = datetime.datetime(2017, 9, 14, 9, 0, tzinfo=UTC)
FUTURE = datetime.datetime(2100, 1, 1, 6, 0, tzinfo=UTC)  # still to come whenever the suite runs

# The five states a story can be in, as the desk sees them.
STATES = {
    "draft": dict(status=Status.DRAFT),
    "in_review": dict(status=Status.IN_REVIEW),
    "live": dict(status=Status.PUBLISHED, published_at=PAST),
    "scheduled": dict(status=Status.PUBLISHED, published_at=FUTURE),
    "withdrawn": dict(status=Status.WITHDRAWN, published_at=PAST),
}

# (action, state) -> status after, for every move the table allows
ALLOWED = {
    ("submit", "draft"): Status.IN_REVIEW,
    ("send_back", "in_review"): Status.DRAFT,
    ("publish", "draft"): Status.PUBLISHED,
    ("publish", "in_review"): Status.PUBLISHED,
    ("reschedule", "live"): Status.PUBLISHED,
    ("reschedule", "scheduled"): Status.PUBLISHED,
    ("unpublish", "scheduled"): Status.DRAFT,
    ("withdraw", "live"): Status.WITHDRAWN,
    ("restore", "withdrawn"): Status.PUBLISHED,
}


def take(action, article, user):
    """Call the workflow function for ``action`` with the arguments it needs."""
    if action == "send_back":
        return workflow.send_back(article, by=user, note="Check the figures")
    if action == "withdraw":
        return workflow.withdraw(article, by=user, reason="Legal asked")
    if action == "reschedule":
        return workflow.reschedule(article, by=user, at=FUTURE + datetime.timedelta(days=1))
    return getattr(workflow, action)(article, by=user)


@pytest.mark.parametrize("action", workflow.ACTIONS)
@pytest.mark.parametrize("state", STATES)
def test_every_action_from_every_state(state, action):
    editor = make_editor()
    article = make_article(created_by=editor, **STATES[state])
    before = Status(article.status)

    if (action, state) not in ALLOWED:
        with pytest.raises(workflow.TransitionError):
            take(action, article, editor)
        article.refresh_from_db()
        assert article.status == before
        assert not ArticleEvent.objects.filter(article=article).exists()
        return

    take(action, article, editor)
    article.refresh_from_db()
    assert article.status == ALLOWED[action, state]
    event = article.events.get()
    assert (event.from_status, event.to_status, event.by) == (before, article.status, editor)
    assert ArticleRevision.objects.filter(article=article).count() == 1


def test_publish_now_makes_a_draft_live_with_an_audit_row():
    article, editor = make_article(), make_editor()
    workflow.publish(article, by=editor)
    article.refresh_from_db()
    assert article.is_live
    event = article.events.get()
    assert (event.action, event.publication_time) == ("publish", article.published_at)


def test_publish_at_a_future_time_schedules():
    article, editor = make_article(), make_editor()
    workflow.publish(article, by=editor, at=FUTURE)
    article.refresh_from_db()
    assert (article.is_scheduled, article.published_at) == (True, FUTURE)
    assert article.events.get().action == "schedule"


def test_rescheduling_a_public_story_keeps_its_old_address_working():
    article = make_article(**STATES["live"])
    old_address = article.get_absolute_url()
    workflow.reschedule(article, by=make_editor(), at=PAST - datetime.timedelta(days=1))
    article.refresh_from_db()
    assert article.get_absolute_url() != old_address
    assert article.redirects.get().old_path == old_address


def test_a_public_story_cannot_be_unpublished_only_withdrawn():
    article = make_article(**STATES["live"])
    with pytest.raises(workflow.TransitionError, match="withdraw"):
        workflow.unpublish(article, by=make_editor())


def test_send_back_and_withdraw_need_a_note():
    editor = make_editor()
    in_review, live = make_article(**STATES["in_review"]), make_article(**STATES["live"])
    with pytest.raises(workflow.TransitionError):
        workflow.send_back(in_review, by=editor, note="  ")
    with pytest.raises(workflow.TransitionError):
        workflow.withdraw(live, by=editor, reason="")
    assert not ArticleEvent.objects.exists()


def test_send_back_records_the_note_for_the_reporter():
    reporter, editor = make_reporter(), make_editor()
    article = make_article(created_by=reporter, **STATES["in_review"])
    workflow.send_back(article, by=editor, note="Second source, please")
    event = article.events.get()
    assert (event.action, event.note, event.by) == ("send_back", "Second source, please", editor)


def test_restore_puts_a_withdrawn_story_back_at_its_time():
    article = make_article(**STATES["withdrawn"])
    workflow.restore(article, by=make_editor())
    article.refresh_from_db()
    assert (article.status, article.published_at, article.is_live) == (Status.PUBLISHED, PAST, True)


# Who may do what: every role against every action


def role_user(role, owner):
    if role == "own reporter":
        return owner
    return {
        "other reporter": lambda: make_reporter("other"),
        "editor": make_editor,
        "taxonomy staff": lambda: make_user("tax", "Taxonomy staff"),
        "superuser": lambda: make_user("root", is_superuser=True),
        "inactive editor": lambda: _inactive(make_editor("gone")),
    }[role]()


def _inactive(user):
    user.is_active = False
    user.save()
    return user


ROLES = ["own reporter", "other reporter", "editor", "taxonomy staff", "superuser", "inactive editor"]
MAY = {
    "own reporter": {"submit"},
    "editor": set(workflow.ACTIONS),
    "superuser": set(workflow.ACTIONS),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action, state", sorted(ALLOWED))
def test_permission_matrix(role, action, state):
    owner = make_reporter("owner")
    article = make_article(created_by=owner, **STATES[state])
    user = role_user(role, owner)

    if action in MAY.get(role, set()):
        take(action, article, user)
        article.refresh_from_db()
        assert article.status == ALLOWED[action, state]
    else:
        with pytest.raises(PermissionDenied):
            take(action, article, user)
        assert not ArticleEvent.objects.filter(article=article).exists()


@pytest.mark.parametrize("role", ROLES)
def test_who_may_edit_a_draft(role):
    owner = make_reporter("owner")
    article = make_article(created_by=owner)
    expected = role in {"own reporter", "editor", "superuser"}
    assert workflow.can_edit(role_user(role, owner), article) is expected


def test_a_reporter_edits_a_sent_back_story_but_not_one_in_review_or_published():
    reporter = make_reporter()
    draft = make_article(created_by=reporter)
    assert workflow.can_edit(reporter, draft)
    for state in ("in_review", "live", "scheduled", "withdrawn"):
        assert not workflow.can_edit(reporter, make_article(created_by=reporter, **STATES[state]))


def test_allowed_actions_are_what_the_buttons_show():
    reporter, editor = make_reporter(), make_editor()
    draft = make_article(created_by=reporter)
    assert workflow.allowed_actions(reporter, draft) == ["submit"]
    assert workflow.allowed_actions(editor, draft) == ["submit", "publish"]
    live = make_article(**STATES["live"])
    assert workflow.allowed_actions(reporter, live) == []
    assert workflow.allowed_actions(editor, live) == ["reschedule", "withdraw"]


# Edits and corrections


def test_edit_keeps_a_revision_and_refuses_a_stale_version():
    editor = make_editor()
    article = make_article(headline="First")
    seen = article.version

    article.headline = "Second"
    workflow.edit(article, by=editor, save=article.save, expected_version=seen)
    assert article.revisions.count() == 1

    stale = type(article).objects.get(pk=article.pk)
    stale.headline = "Third"
    with pytest.raises(workflow.ConflictError, match=editor.username):
        workflow.edit(stale, by=editor, save=stale.save, expected_version=seen)
    article.refresh_from_db()
    assert article.headline == "Second"


def test_editing_a_live_story_marks_it_updated():
    article = make_article(**STATES["live"])
    article.body = "<p>Fixed.</p>"
    workflow.edit(article, by=make_editor(), save=article.save)
    article.refresh_from_db()
    assert article.revised_at is not None


def test_saving_a_live_story_unchanged_does_not_mark_it_updated():
    editor = make_editor()
    article = make_article(**STATES["live"])
    workflow.edit(article, by=editor, save=article.save)  # its first revision
    article.refresh_from_db()
    article.revised_at = None
    article.save()
    workflow.edit(article, by=editor, save=article.save)
    article.refresh_from_db()
    assert article.revised_at is None
    assert article.revisions.count() == 2


def test_correction_is_appended_and_updates_the_story():
    editor = make_editor()
    article = make_article(**STATES["live"])
    before = timezone.now()
    workflow.add_correction(article, by=editor, kind=Correction.Kind.CORRECTION, text="Fomin is deputy minister.")
    article.refresh_from_db()
    assert article.revised_at >= before
    assert article.corrections.get().text == "Fomin is deputy minister."
    assert article.events.get().action == "correct"


def test_corrections_are_for_published_stories_by_editors():
    draft, live = make_article(), make_article(**STATES["live"])
    with pytest.raises(workflow.TransitionError):
        workflow.add_correction(draft, by=make_editor(), kind="correction", text="x")
    with pytest.raises(PermissionDenied):
        workflow.add_correction(live, by=make_reporter(), kind="correction", text="x")
    assert not Correction.objects.exists()
