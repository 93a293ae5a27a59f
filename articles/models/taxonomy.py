"""The taxonomy: sections, agencies, dateline places, authors and tags."""

import zoneinfo

from anyascii import anyascii
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from taggit.models import TagBase, TaggedItemBase

from .. import gazetteer
from ..images import WebImageField
from .fields import PlainCharField, PlainTextField


class ListedAtField(models.DateTimeField):
    """
    A copy of the story's publication time on its taggings and bylines while
    the story is published (empty otherwise): the tag and author listings
    then read one index in their own order instead of joining the archive.

    Filled on save, ``bulk_create`` included, from the story when it is in
    memory (no query); ``articles.counts.refresh()``, which workflow calls
    after every change, brings it up to date for any other path.
    """

    def __init__(self, *args, story_field, **kwargs):
        self.story_field = story_field
        kwargs.update(null=True, blank=True, editable=False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for fixed in ("null", "blank", "editable"):
            kwargs.pop(fixed, None)
        return name, path, args, {**kwargs, "story_field": self.story_field}

    def pre_save(self, model_instance, add):
        relation = model_instance._meta.get_field(self.story_field)
        if relation.is_cached(model_instance):
            story = relation.get_cached_value(model_instance)
            listed = story.published_at if story and story.status == "published" else None
            setattr(model_instance, self.attname, listed)
        return getattr(model_instance, self.attname)


def make_slug(text, max_length=200):
    """A readable ASCII slug for any script: "Россия и НАТО" -> "rossiya-i-nato"."""
    return slugify(anyascii(text))[:max_length].strip("-")


def validate_time_zone(value):
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            "%(value)s is not a time zone name. Use an IANA name such as "
            "Europe/Moscow or America/Chicago.",
            params={"value": value},
        ) from None


class Section(models.Model):
    name = PlainCharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = PlainTextField(
        blank=True, help_text="One or two sentences shown at the top of the section page."
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order in the site's navigation; lower comes first."
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section", args=[self.slug])


class Agency(models.Model):
    name = PlainCharField(max_length=100, unique=True, help_text="For example: TASS.")
    mark = PlainCharField(
        max_length=40,
        help_text="How the agency appears in a dateline, exactly as printed: /TASS/.",
    )
    dateline_style = models.CharField(
        max_length=20,
        blank=True,
        help_text="House style for this agency's datelines (tass, tass_ru for TASS's Russian "
        "service, ap, reuters, dpa, afp for AFP's French service); blank uses the site's.",
    )
    website = models.URLField(
        blank=True,
        help_text="The agency's own site: structured data names the agency as the author of its "
        "copy that has no byline, with this address.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self):
        return self.name


class Place(models.Model):
    name = PlainCharField(
        max_length=100, help_text="The dateline as printed, in capitals: MOSCOW, ST. PETERSBURG."
    )
    slug = models.SlugField(max_length=120, unique=True)
    region = PlainCharField(
        max_length=50,
        blank=True,
        help_text='Qualifier printed after the name, if any: "Ill." for ROCKFORD, Ill.',
    )
    country = PlainCharField(max_length=100, blank=True)
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text="IANA time zone of the place, such as Europe/Moscow. The dateline "
        "shows the date there, which can differ from the newsroom's. Left blank, it "
        "is looked up in the gazetteer.",
    )

    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    geonames_id = models.PositiveIntegerField(
        null=True, blank=True, help_text="The place's GeoNames id, when it was found there."
    )
    needs_review = models.BooleanField(
        default=False,
        help_text="Created from wire copy or a dateline and not found in the gazetteer: "
        "check its country and time zone.",
    )

    class Meta:
        ordering = ["name", "region"]
        constraints = [
            models.UniqueConstraint(fields=["name", "region", "country"], name="unique_place")
        ]

    def __str__(self):
        return f"{self.name}, {self.region}" if self.region else self.name

    def get_absolute_url(self):
        return reverse("articles:place", args=[self.slug])

    def save(self, *args, update_fields=None, **kwargs):
        # Whoever creates a place (staff in the admin, wire import, the shell)
        # may leave the time zone to the gazetteer: the lookup is in memory,
        # not a query. A place the gazetteer does not know, or knows only by
        # setting aside a region it does not understand, waits for review.
        if not self.time_zone and update_fields is None:
            self.needs_review = not gazetteer.fill(self) or self.needs_review
        super().save(*args, update_fields=update_fields, **kwargs)

    @property
    def zone(self):
        # A place not yet reviewed may have no zone: UTC until staff set one.
        return zoneinfo.ZoneInfo(self.time_zone or "UTC")


class Author(models.Model):
    name = PlainCharField(max_length=150, help_text="As printed in the byline.")
    slug = models.SlugField(max_length=150, unique=True)
    job_title = PlainCharField(max_length=150, blank=True)
    bio = PlainTextField(blank=True)
    photo = WebImageField(upload_to="authors/", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author",
        limit_choices_to={"is_staff": True},
        help_text="The staff account of this author, if they have one. "
        "Contributors need no login to get a byline.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:author", args=[self.slug])


class Tag(TagBase):
    name = PlainCharField(verbose_name="name", unique=True, max_length=100)

    class Meta:
        ordering = ["name"]

    def slugify(self, tag, i=None):
        slug = make_slug(tag, max_length=90) or "tag"
        return f"{slug}-{i}" if i is not None else slug

    def get_absolute_url(self):
        return reverse("articles:tag", args=[self.slug])


class TaggedArticle(TaggedItemBase):
    tag = models.ForeignKey(
        Tag,
        on_delete=models.CASCADE,
        related_name="tagged_articles",
        db_index=False,  # led by the tag listing index below
    )
    content_object = models.ForeignKey("Article", on_delete=models.CASCADE)
    listed_at = ListedAtField(story_field="content_object")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_article_tag")
        ]
        indexes = [
            models.Index(fields=["tag", "-listed_at", "-content_object"], name="tagged_listing_idx")
        ]


class SlugRedirect(models.Model):
    """
    An address a section, place, tag or author had before its slug changed
    or it was merged into another: it redirects permanently to where that
    listing is now (kept by ``articles.taxonomy``).
    """

    class Kind(models.TextChoices):
        SECTION = "section", "Section"
        PLACE = "place", "Place"
        TAG = "tag", "Tag"
        AUTHOR = "author", "Author"

    kind = models.CharField(max_length=10, choices=Kind)
    old_slug = models.CharField(max_length=200)  # as it was: tags' slugs may be in any script
    target_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "old_slug"], name="unique_slug_redirect")
        ]

    def __str__(self):
        return f"{self.kind} {self.old_slug} → {self.target_id}"
