"""
Every change of an article's editorial status happens here.

The admin, the importer and management commands call these functions, so
the permission check, the audit row and the save happen in one place and in
one transaction. A published article whose time is still to come *is*
scheduled: ``Article.objects.live()`` decides visibility, no job has to run.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .models import ArticleEvent, Status

# status -> the statuses an article may move to from it
TRANSITIONS = {
    Status.DRAFT: {Status.PUBLISHED},
    Status.IN_REVIEW: {Status.DRAFT, Status.PUBLISHED},
    Status.PUBLISHED: {Status.PUBLISHED, Status.DRAFT},
    Status.WITHDRAWN: set(),
}

PUBLISH_PERMISSION = "articles.publish_article"


class TransitionError(Exception):
    """The article's current status does not allow the requested move."""


def can_publish(user):
    return user.has_perm(PUBLISH_PERMISSION)


def publish(article, *, by, at=None):
    """
    Publish now, or schedule for ``at`` when that is in the future. A story
    that is already published keeps its time (and so its address) unless
    ``at`` is given.
    """
    _require(by, PUBLISH_PERMISSION, "publish stories")
    already = article.status == Status.PUBLISHED
    at = at or (article.published_at if already else None) or timezone.now()
    action = "schedule" if at > timezone.now() else "publish"
    if already:
        action = "reschedule"
    _move(article, Status.PUBLISHED, action=action, by=by, published_at=at)


def unpublish(article, *, by, note=""):
    """Take a published or scheduled story back to draft."""
    _require(by, PUBLISH_PERMISSION, "unpublish stories")
    if article.status != Status.PUBLISHED:
        raise TransitionError(f"“{article}” is not published, so it cannot be unpublished.")
    _move(article, Status.DRAFT, action="unpublish", by=by, published_at=None, note=note)


def _require(user, permission, doing):
    if not user.has_perm(permission):
        raise PermissionDenied(f"You do not have permission to {doing}.")


def _move(article, to_status, *, action, by, published_at, note=""):
    from_status = Status(article.status)
    if to_status not in TRANSITIONS[from_status]:
        raise TransitionError(
            f"“{article}” is {from_status.label.lower()}; it cannot move to "
            f"{Status(to_status).label.lower()}."
        )
    with transaction.atomic():
        article.status = to_status
        article.published_at = published_at
        article.updated_by = by
        article.save(update_fields=["status", "published_at", "updated_by", "updated_at"])
        ArticleEvent.objects.create(
            article=article,
            action=action,
            from_status=from_status,
            to_status=to_status,
            by=by,
            note=note,
            publication_time=published_at,
        )
