"""Articles, their bylines, and the QuerySet that defines what is public."""

import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, FilteredRelation, Prefetch, ProtectedError, Q
from django.db.models.functions import Coalesce, Greatest
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django_prose_editor.fields import ProseEditorField, create_sanitizer
from taggit.managers import TaggableManager

from .. import body, datelines, languages
from .fields import PlainCharField, PlainTextField, xml_safe
from .media import Rendition
from .picture_references import keep_references_only
from .taxonomy import Agency, Author, ListedAtField, Place, Section, TaggedArticle, make_slug


BODY_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "ListItem": True,
    "OrderedList": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    # Tables, pull quotes and embeds: articles/body.py.
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "PullQuote": True,
    "Embed": body.editor_config(),
    "LibraryPicture": True,  # static/articles/library_picture.js
}


# A long story is 30,000 characters; this leaves room for transcripts and
# documents, and keeps every save within what the search index and a
# request can carry.
BODY_MAX_LENGTH = 1_000_000


class SanitizedHTMLField(ProseEditorField):
    """
    Story text: edited with ProseMirror in the admin and cleaned by nh3 down
    to what the editor can produce, on every save, whatever wrote it (admin,
    importer, shell), not only in forms; then each embed is rebuilt from its
    address, or reduced to a plain link (articles/body.py).
    """

    def __init__(self, *args, **kwargs):
        kwargs["config"] = {"extensions": dict(BODY_EXTENSIONS)}
        # nh3 to the editor's allow-list (the last runs first); library pictures down to
        # their references (and nh3 again); embeds rebuilt from their addresses.
        kwargs["sanitize"] = [body.normalise, create_sanitizer, keep_references_only, create_sanitizer]
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        value = xml_safe(self.sanitize(getattr(model_instance, self.attname) or ""))
        if self.max_length is not None and len(value) > self.max_length:
            # The form says so before saving; the importer and the shell hear it here,
            # and the save (its transaction) writes nothing.
            raise ValidationError(
                f"The story's text is {len(value):,} characters long; a story holds at most "
                f"{self.max_length:,}."
            )
        setattr(model_instance, self.attname, value)
        return value

    def get_prep_value(self, value):
        return xml_safe(super().get_prep_value(value))


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


# What includes/story_card.html (and the front page's lead picture) reads of a story.
CARD_FIELDS = [
    "headline", "slug", "standfirst", "published_at", "version", "picture",
    "section__name", "section__slug", "place__name", "place__region", "place__slug",
]  # fmt: skip


# What pages read of a lead picture and its renditions.
PICTURE_FIELDS = [
    "file", "width", "height", "caption", "alt_text", "credit", "byline", "usage_expires",
    "focal_x", "focal_y", "updated_at",
]  # fmt: skip
RENDITION_FIELDS = ["picture", "shape", "width", "height", "format", "file", "size"]


# A newsroom keeps what it published: such stories are withdrawn, never deleted.
KEPT = [Status.PUBLISHED, Status.WITHDRAWN]
KEPT_MESSAGE = "Published stories are kept: withdraw them (workflow.withdraw) instead of deleting them."


def published_condition():
    """Published, whether public yet or scheduled (or embargoed): never for readers."""
    return Q(status=Status.PUBLISHED)


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_condition())

    def delete(self):
        kept = list(self.filter(status__in=KEPT)[:10])
        if kept:
            raise ProtectedError(KEPT_MESSAGE, set(kept))
        return super().delete()

    def live(self, at=None):
        """
        Public: published, the publication time has come and the embargo (if
        any) has passed. Every public page, feed and listing starts here.
        """
        return self.filter(live_condition(at))

    def scheduled(self, at=None):
        """Published but held back: its time or its embargo is still to come."""
        at = at or timezone.now()
        return self.published().filter(Q(published_at__gt=at) | Q(embargo_until__gt=at))

    def in_review(self):
        return self.filter(status=Status.IN_REVIEW)

    def withdrawn(self):
        return self.filter(status=Status.WITHDRAWN)

    def for_listing(self):
        """Everything a list or article page shows, in a fixed number of queries."""
        return (
            self.select_related("section", "place", "agency", "picture")
            .prefetch_related(*listing_prefetches())
            .defer("search_document", "search_vector")  # for search only, and large
        )

    def for_cards(self):
        """What a story card shows (lists of stories), and no more: no body, tags or bylines."""
        return (
            self.select_related("section", "place", "picture")
            .only(*CARD_FIELDS, *(f"picture__{name}" for name in PICTURE_FIELDS))
            .prefetch_related(picture_prefetch())
        )

    def for_detail(self):
        """for_listing() and the corrections, which only the story's own page shows."""
        return self.for_listing().prefetch_related("corrections")

    # The listings by taxonomy, newest first, each reading one index in its
    # own order (articles/counts.py knows which column that order follows).

    def datelined(self, place):
        return self.filter(place=place).order_by("-published_at", "-id")

    def in_section(self, section):
        return self.filter(section=section).order_by("-published_at", "-id")

    def in_language(self, code):
        return self.filter(language=code).order_by("-published_at", "-id")

    def tagged(self, tag):
        return self._through("taggedarticle", "content_object", tag=tag)

    def by_author(self, author):
        return self._through("bylines", "article", author=author)

    def _through(self, relation, story, **match):
        # The tagging or byline carries the story's publication time
        # (listed_at): filter and order on it, and the tag or author listing
        # index serves the page however large the archive.
        # Named once (listed, listed_story), so later filters on them reuse
        # the one join rather than adding another.
        condition = Q(**{f"{relation}__{name}": value for name, value in match.items()})
        return (
            self.alias(listing=FilteredRelation(relation, condition=condition))
            .alias(listed=F("listing__listed_at"), listed_story=F(f"listing__{story}_id"))
            .filter(listed__isnull=False)
            .order_by("-listed", "-listed_story")
        )


def story_path(day, slug):
    """
    The address of the story ``slug`` published on ``day``: what
    reverse("articles:detail", ...) gives, from a pattern made once, since
    sitemaps and feeds print thousands of addresses a page.
    """
    return _story_pattern(get_script_prefix()).format(day=day, slug=slug)


def story_paths():
    """
    story_path() for a page of many stories, as ``path(published_at, slug)``:
    the time zone and the script prefix are looked up once, not per story.
    """
    pattern, zone = _story_pattern(get_script_prefix()), timezone.get_current_timezone()

    def path(published_at, slug):
        return pattern.format(day=published_at.astimezone(zone), slug=slug)

    return path


def becomes_public(published_at, embargo_until):
    """When a story published at ``published_at`` becomes public: then, or at its embargo if later."""
    if published_at is None:
        return None
    return max(filter(None, [published_at, embargo_until]))


def modified_expression():
    """A story's last change readers saw, as an expression: publication, embargo or revision."""
    published = F("published_at")
    return Greatest(published, Coalesce("embargo_until", published), Coalesce("revised_at", published))


@functools.lru_cache(maxsize=16)
def _story_pattern(prefix):
    sample = reverse(
        "articles:detail", kwargs={"year": 1970, "month": "01", "day": "01", "slug": "slug"}
    )
    return sample.replace("{", "{{").replace("}", "}}").replace(
        "1970/01/01/slug/", "{day:%Y/%m/%d}/{slug}/"
    )


def listing_prefetches():
    """What for_listing() prefetches: for lists of stories put together by hand."""
    return [
        "tags",
        Prefetch("bylines", queryset=Byline.objects.select_related("author")),
        picture_prefetch(),
    ]


def picture_prefetch():
    """The renditions of the stories' lead pictures: one query for a whole list (none without pictures)."""
    return Prefetch("picture__renditions", queryset=Rendition.objects.only(*RENDITION_FIELDS))


def live_condition(at=None, prefix=""):
    """
    What public means, as a condition on a story (reached through ``prefix``,
    such as "article__"): published, its time come and its embargo, if any,
    passed. ``ArticleQuerySet.live()`` is this condition; other models' pages
    (corrections) join it rather than ask for ``IN (every live story)``.
    """
    at = at or timezone.now()
    return Q(
        Q(**{f"{prefix}status": Status.PUBLISHED, f"{prefix}published_at__lte": at}),
        Q(**{f"{prefix}embargo_until__isnull": True}) | Q(**{f"{prefix}embargo_until__lte": at}),
    )



class Article(models.Model):
    headline = PlainCharField(max_length=250)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        blank=True,
        help_text="The last part of the story's address. Left blank, it is made "
        "from the headline (in Latin letters, whatever the headline's script).",
    )
    standfirst = PlainTextField(
        blank=True, help_text="The one- or two-sentence summary under the headline."
    )
    body = SanitizedHTMLField(
        blank=True,
        max_length=BODY_MAX_LENGTH,
        help_text="Start with the story itself: the dateline is added from the "
        "place and agency below. Up to a million characters, markup included.",
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        db_index=False,  # led by the section listing index below
    )
    tags = TaggableManager(through=TaggedArticle, blank=True)
    authors = models.ManyToManyField(Author, through="Byline", related_name="articles")

    place = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        db_index=False,  # led by the dateline listing index below
        help_text="Where the story was reported from: the dateline place.",
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        help_text="For agency copy: its mark is printed in the dateline.",
    )

    picture = models.ForeignKey(
        "Picture",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name="lead picture",
        help_text="Chosen from the picture library; + uploads a new one. Its caption, "
        "credit and alt text are the picture's own (edit them in Pictures).",
    )

    language = models.CharField(
        max_length=8,
        default=languages.default,
        validators=[languages.validate],
        help_text="The language the story is written in: its page, feeds, the API and "
        "search follow it. Wire copy keeps the language its agency gave it.",
    )
    # For search engines and social networks; the headline and standfirst
    # stand in when they are blank. The lengths are what they show.
    seo_title = PlainCharField(
        "SEO title",
        max_length=120,
        blank=True,
        help_text="The title search results and shared links show, when it should differ "
        "from the headline. Keep it under 60 characters: longer ones are cut off.",
    )
    seo_description = PlainTextField(
        "SEO description",
        max_length=300,
        blank=True,
        help_text="The summary search results and shared links show; blank uses the "
        "standfirst. Aim for 120 to 155 characters: longer ones are cut off.",
    )

    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    dateline_override = PlainCharField(
        max_length=200,
        blank=True,
        help_text="Printed instead of the dateline built from place and agency, for odd "
        "ones: ABOARD AIR FORCE ONE, Beijing/Moscow.",
    )
    dateline_date_text = PlainCharField(
        max_length=40,
        blank=True,
        help_text="For wire copy: the date as the source printed it in its dateline.",
    )
    guid = models.CharField(
        "source id",
        max_length=255,
        unique=True,
        null=True,
        blank=True,
        help_text="The wire item's GUID or URI; re-importing it updates this story.",
    )
    wire_key = models.CharField(
        max_length=32,
        blank=True,
        default="",
        db_index=True,
        editable=False,
        help_text="The agency, headline and opening the story last arrived with from the wire: "
        "the same story sent again under another id is recognised by it.",
    )
    source_version = models.PositiveIntegerField(
        null=True, blank=True, help_text="The wire item's version: older ones never overwrite newer."
    )
    urgency = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Wire urgency, 1 (flash) to 9 (lowest)."
    )
    embargo_until = models.DateTimeField(
        "embargo",
        null=True,
        blank=True,
        help_text="Held back from every public page until this time, even if it is "
        "published earlier. In the newsroom's time zone.",
    )
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Goes up with every save; guards against lost updates."
    )
    published_at = models.DateTimeField(
        "publication time",
        null=True,
        blank=True,
        help_text="The story is public from this time on.",
    )
    revised_at = models.DateTimeField(
        "updated",
        null=True,
        blank=True,
        editable=False,
        help_text="When readers were last shown a change to the published story.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField("last updated", auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # Search: kept up to date by articles.search.index(), which workflow calls
    # after every save (tags and bylines included). The vector is filled on
    # PostgreSQL only, where migration 0006 gives it a GIN index; SQLite
    # matches against the document.
    search_document = models.TextField(
        blank=True,
        default="",
        editable=False,
        help_text="Standfirst, body text, tags, bylines and place, as plain text.",
    )
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        get_latest_by = "published_at"
        permissions = [("publish_article", "Can publish, schedule and unpublish articles")]
        # Each public listing reads one of these in its own order (newest
        # first, id breaking ties), so a page costs the same at any archive size.
        indexes = [
            models.Index(fields=["status", "-published_at", "-id"], name="article_live_idx"),
            models.Index(
                fields=["place", "status", "-published_at", "-id"], name="article_place_idx"
            ),
            models.Index(
                fields=["section", "status", "-published_at", "-id"], name="article_section_idx"
            ),
            # Held-back stories (scheduled() and the counts that subtract them),
            # the news sitemap and the API's ?since= find embargoes and updates here.
            models.Index(
                fields=["embargo_until"],
                name="article_embargo_idx",
                condition=Q(embargo_until__isnull=False),
            ),
            models.Index(
                fields=["revised_at"],
                name="article_revised_idx",
                condition=Q(revised_at__isnull=False),
            ),
            # The desk's date drill-down and dated lists, over every status.
            models.Index(fields=["-published_at", "-id"], name="article_published_idx"),
            models.Index(fields=["-updated_at"], name="article_updated_idx"),
            models.Index(fields=["status", "-updated_at"], name="article_status_updated_idx"),
            # A language's river (/ru/news/).
            models.Index(
                fields=["language", "status", "-published_at", "-id"], name="article_language_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED) | Q(published_at__isnull=False),
                name="published_article_has_time",
            )
        ]

    def __str__(self):
        return self.headline

    def delete(self, *args, **kwargs):
        # Whatever deletes it (workflow, the shell, a cascade): checked against the row.
        if type(self)._base_manager.filter(pk=self.pk, status__in=KEPT).exists():
            raise ProtectedError(KEPT_MESSAGE, {self})
        return super().delete(*args, **kwargs)

    def save(self, *args, update_fields=None, **kwargs):
        if not self.slug:
            self.slug = self._unique_slug()
        if self.pk is not None:
            self.version += 1
            if update_fields is not None:
                update_fields = {*update_fields, "version"}
        super().save(*args, update_fields=update_fields, **kwargs)

    def _unique_slug(self):
        base = make_slug(self.headline) or "story"
        # Numbered slugs start with the shortened stem, not the whole base.
        stem = base[:190].rstrip("-")
        taken = set(
            Article.objects.filter(slug__startswith=stem)
            .exclude(pk=self.pk)
            .values_list("slug", flat=True)
        )
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{stem}-{n}", n + 1
        return slug

    def get_absolute_url(self):
        if self.published_at is None:
            return None
        return story_path(timezone.localdate(self.published_at), self.slug)

    @property
    def page_title(self):
        """What <title>, Open Graph and Twitter cards call the story."""
        return self.seo_title.strip() or self.headline

    @property
    def page_description(self):
        """What the meta description, Open Graph and Twitter cards say of the story."""
        return self.seo_description.strip() or self.standfirst

    @property
    def has_embeds(self):
        """Whether the body holds an embed, so its page needs the script that loads them."""
        return body.has_embeds(self.body)

    @property
    def is_live(self):
        now = timezone.now()
        return (
            self.status == Status.PUBLISHED
            and self.published_at <= now
            and not self.is_embargoed
        )

    @property
    def is_scheduled(self):
        return self.status == Status.PUBLISHED and not self.is_live

    @property
    def is_embargoed(self):
        return self.embargo_until is not None and self.embargo_until > timezone.now()

    @property
    def public_from(self):
        """When a published story becomes public: its time, or its embargo if later."""
        return becomes_public(self.published_at, self.embargo_until)

    @property
    def lead_picture(self):
        """The lead picture, when its usage terms allow showing it now; else None."""
        picture = self.picture
        return picture if picture is not None and picture.is_usable() else None

    @property
    def dateline(self):
        """The structured dateline, or None when the story has no place."""
        if self.place is None:
            return None
        agency = self.agency.mark if self.agency else ""
        if self.published_at is None and self.dateline_date_text:
            # Imported copy not yet scheduled: the date its source printed.
            return datelines.Dateline(
                place=self.place.name,
                region=self.place.region,
                agency=agency,
                date_text=self.dateline_date_text,
            )
        when = self.published_at or timezone.now()
        return datelines.Dateline(
            place=self.place.name,
            region=self.place.region,
            date=timezone.localtime(when, self.place.zone).date(),
            agency=agency,
        )

    @property
    def dateline_text(self):
        """The dateline as printed: the override, else in the agency's house style or the site's."""
        if self.dateline_override.strip():
            return self.dateline_override
        dateline = self.dateline
        if dateline is None:
            return ""
        agency_style = self.agency.dateline_style if self.agency else ""
        style = datelines.style_for(
            agency_style, settings.NEWSROOM_DATELINE_STYLE, language=self.language
        )
        return datelines.render(dateline, style)

    def byline_groups(self):
        """[("By", [author, ...]), ("Photos by", [...])], from prefetched bylines."""
        # One group per role, in order of first appearance, even when the
        # positions interleave roles.
        groups = {}
        for byline in self.bylines.all():
            groups.setdefault(byline.role or "By", []).append(byline.author)
        return list(groups.items())


class Byline(models.Model):
    # Both lookups are served by the two composite indexes below.
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="bylines", db_index=False
    )
    author = models.ForeignKey(
        Author, on_delete=models.PROTECT, related_name="bylines", db_index=False
    )
    role = models.CharField(
        max_length=60,
        blank=True,
        help_text='Printed before the name, such as "Reporting by" or "Photos by". '
        'Blank means "By".',
    )
    position = models.PositiveSmallIntegerField(default=0)
    listed_at = ListedAtField(story_field="article")

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="unique_byline")
        ]
        indexes = [
            models.Index(fields=["author", "-listed_at", "-article"], name="byline_listing_idx")
        ]

    def __str__(self):
        return f"{self.role or 'By'} {self.author}"
