"""
The record of editorial work on articles: status history, revisions, who has
a story open, share links for previews, corrections and moved addresses.
"""

from django.conf import settings
from django.core import signing
from django.db import models
from django.urls import reverse
from django.utils import timezone

from .article import Article, Status
from .fields import PlainTextField


class ArticleEvent(models.Model):
    """One row per editorial action: who moved which story from what to what."""

    # A deleted draft's history stays on the record, no longer linked to it.
    article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, related_name="events"
    )
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, choices=Status)
    to_status = models.CharField(max_length=20, choices=Status)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)
    publication_time = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.action}: {self.from_status} → {self.to_status}"


class ArticleRevision(models.Model):
    """A snapshot of an article's text, tags and bylines, kept on every save."""

    article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, related_name="revisions"
    )
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.CharField(max_length=200, blank=True)
    data = models.JSONField()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="unique_revision_number")
        ]

    def __str__(self):
        return f"Revision {self.number} of “{self.article or self.data.get('headline')}”"


class EditingSession(models.Model):
    """Someone has the story open in the admin (refreshed while they work)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="editing_sessions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="unique_editing_session")
        ]


class PreviewLink(models.Model):
    """A signed, expiring, revocable link to read an unpublished story without an account."""

    SALT = "articles.preview-link"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="preview_links")
    label = models.CharField(
        "for", max_length=100, blank=True, help_text="Who the link is for: “Legal”, “the source”."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Preview of “{self.article}” for {self.label or 'anyone with the link'}"

    @property
    def token(self):
        # Signed, not timestamped: the link's address stays the same; expiry
        # and revocation live in the row, where an editor can change them.
        return signing.Signer(salt=self.SALT).sign(str(self.pk))

    @classmethod
    def pk_from_token(cls, token):
        """The link's id, or None when the token was not signed by us."""
        try:
            return int(signing.Signer(salt=cls.SALT).unsign(token))
        except (signing.BadSignature, ValueError):
            return None

    def get_absolute_url(self):
        return reverse("articles:shared_preview", args=[self.token])

    def is_active(self, at=None):
        at = at or timezone.now()
        return self.revoked_at is None and at < self.expires_at


class Correction(models.Model):
    """A note appended to a published story: a correction, clarification or update."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        CLARIFICATION = "clarification", "Clarification"
        UPDATE = "update", "Update"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.CORRECTION)
    text = PlainTextField(help_text="Shown to readers at the end of the story, as written.")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["kind", "-created_at"], name="correction_recent_idx"),
            models.Index(fields=["-created_at"], name="correction_created_idx"),  # API ?since=
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to “{self.article}”"


class ArticleRedirect(models.Model):
    """An address a published story used to have; it redirects permanently."""

    old_path = models.CharField(max_length=300, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.old_path} → {self.article}"
