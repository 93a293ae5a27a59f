"""Where wire copy comes from, for the ingest service, and what it has taken in."""

import os
import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator, URLValidator
from django.db import models
from django.utils import timezone

from .fields import PlainCharField

ENVIRONMENT_NAME = re.compile(r"\A[A-Z_][A-Z0-9_]*\Z")


class WireSource(models.Model):
    """
    A drop folder an agency delivers to, or an HTTP feed to poll, checked by
    ``manage.py ingest`` every ``interval`` seconds. The fields after
    ``enabled`` are the service's own record of how the checks went.
    """

    class Kind(models.TextChoices):
        FOLDER = "folder", "Drop folder (files delivered by FTP or SFTP)"
        NINJS = "ninjs", "ninjs API (HTTP)"
        FEED = "feed", "Atom or RSS feed with full text (HTTP)"

    name = PlainCharField(max_length=100, unique=True, help_text="For example: TASS English, by FTP.")
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.FOLDER)
    address = PlainCharField(
        max_length=500,
        help_text="For a drop folder, its full path on the server the ingest service runs on "
        "(/srv/wire/tass). For a feed, its http:// or https:// address.",
    )
    credentials_variable = models.CharField(
        max_length=100,
        blank=True,
        validators=[RegexValidator(ENVIRONMENT_NAME, "Capital letters, digits and _ only.")],
        help_text="For a feed that needs signing in: the name of an environment variable of "
        "the ingest service that holds the credentials (user:password for a user name and "
        "password, anything else is sent as a token). The credentials themselves are never "
        "stored here, so a database dump or backup cannot leak them.",
    )
    interval = models.PositiveIntegerField(
        default=60,
        validators=[MinValueValidator(5)],
        help_text="Seconds between checks. After errors the service waits longer, up to an hour.",
    )
    agency = models.ForeignKey(
        "Agency",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        help_text="For stories whose dateline names no agency.",
    )
    section = models.ForeignKey(
        "Section",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        help_text="For stories that arrive without a section.",
    )
    publish = models.BooleanField(
        default=False,
        help_text="Publish new stories as they arrive (at the agency's time). Unticked, they "
        "wait as drafts for the desk. An embargoed or held story is never published early.",
    )
    enabled = models.BooleanField(default=True, help_text="Untick to stop checking this source.")

    next_check_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True, editable=False)
    failures = models.PositiveIntegerField(
        default=0, editable=False, help_text="Checks failed in a row."
    )
    # What an HTTP feed last answered, so that an unchanged feed is not sent again.
    etag = models.CharField(max_length=200, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.kind == self.Kind.FOLDER:
            if not Path(self.address).is_absolute():
                raise ValidationError({"address": "A drop folder's full path, starting with /."})
            if self.credentials_variable:
                raise ValidationError(
                    {"credentials_variable": "A drop folder needs no credentials."}
                )
        else:
            try:
                URLValidator(schemes=["http", "https"])(self.address)
            except ValidationError:
                raise ValidationError(
                    {"address": "A feed's address, starting with http:// or https://."}
                ) from None

    def credentials(self):
        """The credentials from the environment; ValueError when the variable is not set."""
        if not self.credentials_variable:
            return ""
        value = os.environ.get(self.credentials_variable, "")
        if not value:
            raise ValueError(
                f"the environment variable {self.credentials_variable} holding its "
                "credentials is not set for the ingest service"
            )
        return value


class WireReceipt(models.Model):
    """
    One item the ingest service has taken in. Its key (the item's guid and
    the hash of its content) is unique, and is claimed in the transaction
    that imports the item: however many services run, and however often a
    feed repeats the item, it is imported once.
    """

    class Action(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Updated"
        SKIP = "skip", "Skipped"
        REFUSE = "refuse", "Refused"

    key = models.CharField(max_length=64, unique=True)
    source = models.ForeignKey(
        WireSource, on_delete=models.SET_NULL, null=True, related_name="receipts"
    )
    guid = models.CharField(max_length=255)
    action = models.CharField(max_length=10, choices=Action)
    article = models.ForeignKey("Article", on_delete=models.SET_NULL, null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["source", "received_at"])]

    def __str__(self):
        return f"{self.get_action_display()} {self.guid}"


class SourceId(models.Model):
    """
    Another id a story arrived under from the wire: the same story sent by a
    second feed, or in a second format. A later version sent under this id
    updates the same story.
    """

    guid = models.CharField(max_length=255, unique=True)
    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="source_ids")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.guid
