"""
The picture library: pictures as records of their own, reused across
stories, and the renditions made of each (articles/media/ makes them).
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ..images import WebImageField
from .fields import PlainCharField, PlainTextField


def picture_path(instance, filename):
    """
    pictures/2026/11/<random>/name.jpg: a picture stored before its story is
    public cannot be found by guessing its address from its name.
    """
    return f"pictures/{timezone.now():%Y/%m}/{secrets.token_hex(8)}/{filename}"


class PictureQuerySet(models.QuerySet):
    def usable(self, at=None):
        """Pictures whose usage terms allow showing them now (no expiry, or not yet reached)."""
        at = at or timezone.now()
        return self.filter(Q(usage_expires__isnull=True) | Q(usage_expires__gt=at))


def unit_interval():
    return [MinValueValidator(0.0), MaxValueValidator(1.0)]


class Picture(models.Model):
    file = WebImageField(
        "picture",
        upload_to=picture_path,
        max_length=255,
        width_field="width",
        height_field="height",
        help_text="JPEG, PNG, GIF, WebP or AVIF. What is stored is a clean copy, "
        "without the camera's location or serial number.",
    )
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    caption = PlainCharField(max_length=300, blank=True, help_text="Printed under the picture.")
    alt_text = PlainCharField(
        "alt text",
        max_length=300,
        blank=True,
        help_text="What the picture shows, for readers who cannot see it.",
    )
    credit = PlainCharField(
        max_length=150, blank=True, help_text="As printed: Ivan Petrov / TASS."
    )
    byline = PlainCharField(
        "photographer", max_length=150, blank=True, help_text="Who took or made the picture."
    )
    copyright_notice = PlainCharField(max_length=250, blank=True)
    usage_terms = PlainTextField(
        blank=True, help_text="What the licence or the agency allows: where, how long, what not."
    )
    usage_expires = models.DateTimeField(
        "usable until",
        null=True,
        blank=True,
        help_text="After this time the picture is shown nowhere public (stories keep "
        "their text). Blank: no limit. In the newsroom's time zone.",
    )
    source = PlainCharField(
        max_length=100, blank=True, help_text="Where it came from: an agency, a staff photographer."
    )
    source_id = models.CharField(
        "source id",
        max_length=255,
        unique=True,
        null=True,
        blank=True,
        help_text="The wire item's id; importing it again updates this picture.",
    )
    focal_x = models.FloatField(
        default=0.5, validators=unit_interval(), help_text="Click the picture to set it."
    )
    focal_y = models.FloatField(default=0.5, validators=unit_interval())
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = PictureQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="picture_newest_idx"),
            # The page cache looks up the next expiry (articles/pagecache/versions.py).
            models.Index(
                fields=["usage_expires"],
                name="picture_expires_idx",
                condition=Q(usage_expires__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="picture_focal_point_inside",
            )
        ]

    def __str__(self):
        return self.caption or self.alt_text or self.file.name.rsplit("/", 1)[-1] or f"Picture {self.pk}"

    def is_usable(self, at=None):
        return self.usage_expires is None or self.usage_expires > (at or timezone.now())


class Rendition(models.Model):
    """
    One stored rendition of a picture: a shape, cropped around the focal
    point, at one width, in one format. Made once (articles/media/), read
    with the stories that show the picture.
    """

    class Shape(models.TextChoices):
        CARD = "card", "Card (3:2)"
        LEAD = "lead", "Lead (16:9)"

    class Format(models.TextChoices):
        AVIF = "avif", "AVIF"
        WEBP = "webp", "WebP"
        JPEG = "jpeg", "JPEG"

    picture = models.ForeignKey(Picture, on_delete=models.CASCADE, related_name="renditions")
    shape = models.CharField(max_length=10, choices=Shape)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    format = models.CharField(max_length=10, choices=Format)
    # Made from this picture file and focal point: another one makes new renditions.
    source_key = models.CharField(max_length=32)
    file = models.FileField(max_length=255)
    size = models.PositiveIntegerField(help_text="Bytes.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["shape", "width", "format"]
        constraints = [
            models.UniqueConstraint(
                fields=["picture", "shape", "width", "format"], name="unique_rendition"
            )
        ]

    def __str__(self):
        return f"{self.shape} {self.width}w {self.format}"
