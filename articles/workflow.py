"""
Every change to an article's editorial state happens here.

The admin, the importer and management commands call these functions, so
permission checks, the audit row, the revision snapshot, the kept old
address and the purge of cached public pages happen in one place and in one
transaction. A published article whose time (or embargo) is still to come
*is* scheduled: ``Article.objects.live()`` decides visibility, no job has to
run.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from . import counts, pagecache, revisions, search
from .models import (
    ARRANGE_PERMISSION,
    Article,
    ArticleEvent,
    ArticleRedirect,
    Correction,
    FrontBlock,
    FrontPageEvent,
    FrontSlot,
    Status,
)
from .models.article import published_condition

DRAFT, IN_REVIEW, PUBLISHED, WITHDRAWN = Status

# action -> (statuses it starts from, status it leads to, who may take it)
#   "author": whoever may edit the story (its reporter while it is a draft)
#   "desk":   editors (the publish_article permission)
ACTIONS = {
    "submit": ({DRAFT}, IN_REVIEW, "author"),
    "send_back": ({IN_REVIEW}, DRAFT, "desk"),
    "publish": ({DRAFT, IN_REVIEW}, PUBLISHED, "desk"),
    "reschedule": ({PUBLISHED}, PUBLISHED, "desk"),
    "unpublish": ({PUBLISHED}, DRAFT, "desk"),  # only while not yet public
    "withdraw": ({PUBLISHED}, WITHDRAWN, "desk"),  # only once public
    "restore": ({WITHDRAWN}, PUBLISHED, "desk"),
}

DONE = {
    "submit": "submitted for review",
    "send_back": "sent back",
    "publish": "published",
    "reschedule": "rescheduled",
    "unpublish": "unpublished",
    "withdraw": "withdrawn",
    "restore": "restored",
}

DESK_PERMISSION = "articles.publish_article"


class TransitionError(Exception):
    """The article's current state does not allow the requested action."""


class ConflictError(Exception):
    """Someone else saved the article since this edit began."""


# Who may do what


def is_desk(user):
    return user.is_active and user.has_perm(DESK_PERMISSION)


def can_edit(user, article):
    """Editors edit any story; a reporter edits their own drafts (including sent-back ones)."""
    if not user.is_active:
        return False
    if is_desk(user):
        return user.has_perm("articles.change_article") or user.is_superuser
    if article.pk is None:
        return user.has_perm("articles.add_article")
    return (
        user.has_perm("articles.change_article")
        and article.status == DRAFT
        and article.created_by_id == user.pk
    )


def allowed_actions(user, article):
    """The actions ``user`` may take on ``article`` now, in table order."""
    return [name for name in ACTIONS if _refusal(user, article, name) is None]


def _refusal(user, article, action, at=None):
    """Why ``user`` may not take ``action`` now, or None when they may."""
    sources, _target, who = ACTIONS[action]
    if article.status not in sources:
        state = Status(article.status).label.lower()
        return TransitionError(f"“{article}” is {state}; it cannot be {DONE[action]}.")
    if who == "desk" and not is_desk(user):
        return PermissionDenied(f"Only editors may {action.replace('_', ' ')} stories.")
    if who == "author" and not can_edit(user, article):
        return PermissionDenied("You may only submit your own drafts.")
    if action == "unpublish" and article.is_live:
        return TransitionError(
            f"“{article}” is already public; withdraw it instead of unpublishing it."
        )
    if action == "withdraw" and not article.is_live:
        return TransitionError(f"“{article}” is not public yet; unpublish it instead.")
    return None


# Actions


def submit(article, *, by, note=""):
    """A reporter hands a draft to the desk."""
    _move(article, "submit", by=by, note=note)


def send_back(article, *, by, note):
    """The desk returns a story in review to its reporter, saying why."""
    if not note.strip():
        raise TransitionError("Say what needs doing when sending a story back.")
    _move(article, "send_back", by=by, note=note)


def publish(article, *, by, at=None, note=""):
    """Publish a draft or a story in review now, or schedule it for ``at`` in the future."""
    at = at or timezone.now()
    logged = "schedule" if at > timezone.now() else "publish"
    _move(article, "publish", by=by, note=note, published_at=at, logged_as=logged)


def reschedule(article, *, by, at, note=""):
    """Move a published story's time (a public one that moves keeps its old address)."""
    _move(article, "reschedule", by=by, note=note, published_at=at)


def unpublish(article, *, by, note=""):
    """Take a scheduled story back to draft before it goes public."""
    _move(article, "unpublish", by=by, note=note, published_at=None)


def withdraw(article, *, by, reason):
    """Take a published story down: its address answers 410 Gone."""
    if not reason.strip():
        raise TransitionError("Give the reason for withdrawing the story.")
    with transaction.atomic():
        _move(article, "withdraw", by=by, note=reason)
        # A preview link shared before must not keep showing what was taken down.
        live_links = article.preview_links.filter(revoked_at__isnull=True)
        live_links.update(revoked_at=timezone.now(), revoked_by=by)


def restore(article, *, by, note=""):
    """Put a withdrawn story back up, at its old time and address."""
    _move(article, "restore", by=by, note=note)


def edit(article, *, by, save, expected_version=None, note=""):
    """
    Save an edit: ``save()`` writes the row and its tags and bylines. Keeps a
    revision, marks a public story as updated, and keeps its old address
    working if the edit moved it. ``expected_version`` is the version the
    edit started from: if someone saved since, ConflictError.
    """
    with transaction.atomic():
        before = _lock(article)
        if not can_edit(by, before or article):  # as stored, not as the caller last read it
            raise PermissionDenied("You may not edit this story.")
        if before and expected_version is not None and before.version != expected_version:
            raise ConflictError(conflict_message(before))
        previous = article.revisions.first() if before else None
        counted = counts.buckets([article.pk]) if before else set()
        touched = pagecache.names_for(before)  # before save() changes its tags and authors
        article.updated_by = by
        save()
        search.index(article)  # after save(), which writes the tags and bylines too
        _recount(article, before, counted)
        _audit_timing(before, article, by=by)
        revision = revisions.snapshot(
            article, by=by, note=note or ("Created" if before is None else "")
        )
        if before and before.is_live:
            _keep_address(before, article)
            if previous is None or previous.data != revision.data:
                # Readers see "Updated" only when what they read changed.
                article.revised_at = timezone.now()
                article.save(update_fields=["revised_at", "updated_at"])
        pagecache.changed(*touched, *pagecache.names_for(article))


def delete(article, *, by):
    """
    Delete a story that was never published: a draft or one in review. Its
    history (events and revisions) stays on the record with a last event
    saying who deleted it. A story that was published is kept: withdrawn, it
    answers 410; scheduled, it is unpublished first.
    """
    if not (by.is_active and by.has_perm("articles.delete_article")):
        raise PermissionDenied("You may not delete stories.")
    with transaction.atomic():
        before = _lock(article)
        refusal = deletion_refusal(before)
        if refusal:
            raise TransitionError(refusal)
        touched = pagecache.names_for(before)
        _audit(before, "delete", before.status, by=by, note=f"Deleted “{before}” (story {before.pk}).")
        article.delete()
        pagecache.changed(*touched)


def deletion_refusal(article):
    """Why ``article`` may not be deleted, or "" when it may."""
    if article.status == PUBLISHED and not article.is_live:
        return f"“{article}” is not public yet: unpublish it first, then delete it."
    if article.status in (PUBLISHED, WITHDRAWN):
        return (
            f"“{article}” was published, and a newsroom keeps what it published: "
            "withdraw it instead (its address then answers 410 Gone)."
        )
    return ""


def add_correction(article, *, by, kind, text):
    """Append a correction, clarification or update note to a published story."""
    if not is_desk(by):
        raise PermissionDenied("Only editors may add corrections.")
    if article.status != PUBLISHED:
        raise TransitionError("Corrections are added to published stories.")
    if not text.strip():
        raise TransitionError("Write the text of the correction.")
    with transaction.atomic():
        _lock(article)
        correction = Correction.objects.create(article=article, kind=kind, text=text, created_by=by)
        article.revised_at = correction.created_at
        article.updated_by = by
        article.save(update_fields=["revised_at", "updated_by", "updated_at"])
        counts.refresh([article.pk], visible=article.is_live)  # the sitemaps' last change
        _audit(article, "correct", PUBLISHED, by=by, note=f"{correction.get_kind_display()}: {text}")
        pagecache.changed(*pagecache.names_for(article))
    return correction


# The front page and the breaking-news banner


def can_arrange(user):
    return user.is_active and user.has_perm(ARRANGE_PERMISSION)


def arrange_front_page(arrangement, *, by, note=""):
    """
    Save the front page as ``arrangement`` (articles/frontpage/): its blocks,
    their sizes and the stories chosen for them, in order. A chosen story
    must be published (public or scheduled); readers see it while it is live.
    """
    if not can_arrange(by):
        raise PermissionDenied("Only editors may arrange the front page.")
    chosen = {story.pk for block in arrangement.blocks for story in block.chosen}
    with transaction.atomic():
        list(FrontBlock.objects.select_for_update())  # one arrangement at a time
        unpublished = Article.objects.filter(pk__in=chosen).exclude(published_condition())
        if names := ", ".join(f"“{story}”" for story in unpublished.only("headline")):
            raise TransitionError(f"Only published or scheduled stories go on the front page: {names}.")
        FrontBlock.objects.all().delete()  # and their slots
        for position, block in enumerate(arrangement.blocks):
            row = FrontBlock.objects.create(
                kind=block.kind, section=block.section, size=block.size, position=position
            )
            slots = [FrontSlot(block=row, position=n, article=story) for n, story in enumerate(block.chosen)]
            FrontSlot.objects.bulk_create(slots)
        FrontPageEvent.objects.create(
            action=FrontPageEvent.Action.ARRANGE, by=by, note=note, snapshot=arrangement.snapshot()
        )
        pagecache.changed(pagecache.FRONT)


def set_banner(banner, *, by):
    """Put up or change the breaking-news banner: every public page shows it from its start to its end."""
    if not can_arrange(by):
        raise PermissionDenied("Only editors may set the breaking-news banner.")
    with transaction.atomic():
        banner.created_by = banner.created_by or by
        banner.save()
        _banner_event(banner, FrontPageEvent.Action.BANNER, by=by)
        pagecache.changed()  # every page shows it


def end_banner(banner, *, by):
    """Take the banner down now; it stays on record (one that never showed is deleted)."""
    if not can_arrange(by):
        raise PermissionDenied("Only editors may end the breaking-news banner.")
    now = timezone.now()
    with transaction.atomic():
        _banner_event(banner, FrontPageEvent.Action.END_BANNER, by=by)
        if banner.starts_at >= now:
            banner.delete()
        elif banner.ends_at > now:
            banner.ends_at = now
            banner.save(update_fields=["ends_at"])
        pagecache.changed()


def _banner_event(banner, action, *, by):
    shown = {"text": banner.text, "link": banner.link}
    times = {"starts_at": banner.starts_at.isoformat(), "ends_at": banner.ends_at.isoformat()}
    FrontPageEvent.objects.create(
        action=action, by=by, note=banner.text, snapshot={**shown, **times}
    )


def conflict_message(current):
    when = timezone.localtime(current.updated_at)
    who = "Someone"
    if current.updated_by:
        who = current.updated_by.get_full_name() or current.updated_by.username
    return (
        f"{who} saved this story at {when:%H:%M:%S %Z} ({when:%Y-%m-%d}) while you were "
        "editing it. Your text is still in the form below, beside what they changed: "
        "merge, tick “I have merged their change” and save again."
    )


# Internals


def _move(article, action, *, by, note="", published_at=..., logged_as=None):
    if article.pk is None:
        raise TransitionError("Save the story before changing its status.")
    _sources, target, _who = ACTIONS[action]
    with transaction.atomic():
        # The move is checked against the row as stored, locked, not against
        # the caller's copy, which may be stale: a draft read an hour ago
        # must not "publish" a story that went live since.
        before = _lock(article)
        refusal = _refusal(by, before, action)
        if refusal is not None:
            raise refusal
        counted = counts.buckets([article.pk])
        touched = pagecache.names_for(before)
        from_status = Status(before.status)
        article.status = target
        article.published_at = before.published_at if published_at is ... else published_at
        article.updated_by = by
        article.save(update_fields=["status", "published_at", "updated_by", "updated_at"])
        search.index(article)  # so stories filed without edit() (demo content) are found too
        _recount(article, before, counted)
        if before.is_live:
            _keep_address(before, article)
        _audit(article, logged_as or action, from_status, by=by, note=note)
        revisions.snapshot(article, by=by, note=DONE[action].capitalize())
        pagecache.changed(*touched, *pagecache.names_for(article))


def _lock(article):
    """The article as stored, locked until the transaction ends (None if new)."""
    if article.pk is None:
        return None
    locked = Article.objects.select_for_update(of=("self",))
    return locked.select_related("updated_by").get(pk=article.pk)


def _recount(article, before, counted):
    """Refresh the counts the story was in (``counted``) and is in now; readers saw it if it was or is live."""
    seen = bool(before and before.is_live) or article.is_live
    counts.refresh([article.pk], counted, visible=seen)


def _audit(article, action, from_status, *, by, note=""):
    ArticleEvent.objects.create(
        article=article,
        action=action,
        from_status=from_status,
        to_status=article.status,
        by=by,
        note=note,
        publication_time=article.published_at,
    )


def _audit_timing(before, article, *, by):
    """An edit that changes when readers may see a published story is a recorded event too."""
    if before is None or article.status != PUBLISHED:
        return
    if before.embargo_until != article.embargo_until:
        old, new = before.embargo_until, article.embargo_until
        if new is None:
            note = f"Embargo lifted (it was until {_when(old)})."
        elif old is None:
            note = f"Embargoed until {_when(new)}."
        else:
            note = f"Embargo moved from {_when(old)} to {_when(new)}."
        _audit(article, "embargo", before.status, by=by, note=note)
    if before.published_at != article.published_at:
        note = f"Publication time moved from {_when(before.published_at)} to {_when(article.published_at)}."
        _audit(article, "reschedule", before.status, by=by, note=note)


def _when(moment):
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M %Z}" if moment else "none"


def _keep_address(before, after):
    """A public story that moved (new slug or date) keeps its old address."""
    old, new = before.get_absolute_url(), after.get_absolute_url()
    if old and new and old != new:
        ArticleRedirect.objects.update_or_create(old_path=old, defaults={"article": after})
        ArticleRedirect.objects.filter(old_path=new).delete()
