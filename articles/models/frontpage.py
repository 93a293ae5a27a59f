"""
The edited front page: blocks (the lead, top stories, one per section), the
stories editors chose for them, the breaking-news banner, and the record of
who changed what. Written only by articles/workflow.py.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .article import Article, published_condition
from .fields import PlainCharField
from .taxonomy import Section

ARRANGE_PERMISSION = "articles.arrange_front_page"


class FrontBlock(models.Model):
    """
    One block of the front page and how many stories it shows. Its chosen
    stories (``slots``) come first, in order; the rest of the block is
    filled with the newest live stories (of its section, for a section
    block) that the page does not show already.
    """

    class Kind(models.TextChoices):
        LEAD = "lead", "Lead"
        TOP = "top", "Top stories"
        SECTION = "section", "Section block"

    kind = models.CharField(max_length=10, choices=Kind)
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    size = models.PositiveSmallIntegerField(help_text="How many stories the block shows.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Section blocks run in this order.")

    class Meta:
        ordering = ["position", "id"]
        permissions = [("arrange_front_page", "Can arrange the front page and set the banner")]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=~Q(kind="section"), name="one_lead_and_one_top_block"
            ),
            models.UniqueConstraint(fields=["section"], name="one_block_per_section"),
            models.CheckConstraint(
                condition=Q(kind="section", section__isnull=False)
                | (~Q(kind="section") & Q(section__isnull=True)),
                name="section_blocks_name_their_section",
            ),
            models.CheckConstraint(condition=Q(size__gte=1), name="block_shows_a_story"),
        ]

    def __str__(self):
        return self.section.name if self.section_id else self.get_kind_display()


class FrontSlot(models.Model):
    """
    A story an editor placed in a block. Readers see it only while it is
    live (``Article.objects.live()`` at their request): a withdrawn or
    re-embargoed story leaves its slot by itself, a scheduled one fills it
    at its time, and a deleted draft takes its slot with it.
    """

    block = models.ForeignKey(FrontBlock, on_delete=models.CASCADE, related_name="slots")
    position = models.PositiveSmallIntegerField()
    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="+",
        # The story picker offers what is published, or scheduled to be.
        limit_choices_to=published_condition,
    )

    class Meta:
        ordering = ["block", "position"]
        constraints = [
            models.UniqueConstraint(fields=["block", "position"], name="one_story_per_slot"),
            models.UniqueConstraint(fields=["block", "article"], name="a_story_once_per_block"),
        ]

    def __str__(self):
        return f"{self.block} {self.position + 1}"


def validate_link(value):
    """An address on this site (``/sections/world/``) or a full http(s) address."""
    if value.startswith("/") and not value.startswith("//"):
        return
    URLValidator(schemes=["http", "https"])(value)


class BannerQuerySet(models.QuerySet):
    def active(self, at=None):
        """Banners showing now: started and not yet ended (``Banner.shows_at``). The newest start wins."""
        at = at or timezone.now()
        return self.filter(starts_at__lte=at, ends_at__gt=at).order_by("-starts_at", "-id")


class Banner(models.Model):
    """A breaking-news line across the top of every public page, from its start to its end."""

    text = PlainCharField(max_length=200, help_text="One short line, as readers will see it.")
    link = models.CharField(
        max_length=500,
        blank=True,
        validators=[validate_link],
        help_text="Optional: where the line leads, a story's address on this site "
        "(/2017/09/14/...) or a full https:// address.",
    )
    starts_at = models.DateTimeField(
        default=timezone.now, help_text="When it appears (the newsroom's time zone)."
    )
    ends_at = models.DateTimeField(
        help_text="When it disappears by itself. Every page shows it until then."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BannerQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["ends_at", "starts_at"], name="banner_showing")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="banner_ends_after_it_starts"
            )
        ]

    def shows_at(self, at):
        """Started and not yet ended at ``at``: what ``Banner.objects.active(at)`` asks the database."""
        return self.starts_at <= at < self.ends_at

    def __str__(self):
        return self.text

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The banner must end after it starts."})


class FrontPageEvent(models.Model):
    """The front page's history: who arranged it or set the banner, when, and what they left."""

    class Action(models.TextChoices):
        ARRANGE = "arrange", "Arranged the front page"
        BANNER = "banner", "Set the banner"
        END_BANNER = "end_banner", "Ended the banner"

    action = models.CharField(max_length=20, choices=Action)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)
    snapshot = models.JSONField(
        default=dict, help_text="The arrangement or banner as saved, with headlines as they were."
    )

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_action_display()} ({self.at:%Y-%m-%d %H:%M})"

    @property
    def summary(self):
        """What was left, in a line: "Lead: ...; Top stories (4): ...; Economy (3): ..."."""
        if self.action != self.Action.ARRANGE:
            return self.note
        parts = []
        for block in self.snapshot.get("blocks", []):
            title = block["section"] or FrontBlock.Kind(block["kind"]).label
            chosen = ", ".join(f"“{story['headline']}”" for story in block["stories"]) or "newest"
            parts.append(f"{title} ({block['size']}): {chosen}")
        return "; ".join(parts)
