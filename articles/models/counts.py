"""Counts of published stories per listing and period, kept so no page counts the archive."""

from django.db import models


class StoryCount(models.Model):
    """
    How many published stories one listing has in one period: the river
    (kind "day", a row a day) and each place, section, tag and author (a row
    a month), in the newsroom's time zone. Published includes stories whose
    time or embargo is still to come; readers' counts subtract those when
    they are read (articles/counts.py), so no job has to run when they fall
    due. Kept by ``articles.counts.refresh()`` in the transaction of every
    editorial change; ``manage.py rebuild_counts`` recounts from scratch.
    """

    class Kind(models.TextChoices):
        DAY = "day", "All news, by day"
        PLACE = "place", "Dateline place, by month"
        SECTION = "section", "Section, by month"
        TAG = "tag", "Tag, by month"
        AUTHOR = "author", "Author, by month"

    kind = models.CharField(max_length=10, choices=Kind)
    key = models.PositiveBigIntegerField(default=0, help_text="The place, section, tag or author; 0 for days.")
    period = models.DateField(help_text="The day, or the first day of the month.")
    published = models.PositiveIntegerField(default=0)
    changed_at = models.DateTimeField(
        help_text="When the stories of this period, or what readers see of them, last changed."
    )
    # Plain text, not JSON: the river reads a row a day on every page.
    pending = models.TextField(
        default="",
        blank=True,
        help_text="Times still to come at which a story of this period becomes public "
        "(ISO 8601, space-separated).",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key", "period"], name="unique_story_count")
        ]

    def __str__(self):
        return f"{self.kind} {self.key} {self.period}: {self.published}"


class PageGeneration(models.Model):
    """
    How many changes readers' pages have seen, counted in the database (one
    row). Every change that renders pages again adds one in its own
    transaction, and the page cache notes the number it has caught up with:
    a cache that missed changes (unreachable meanwhile, or restarted from an
    old snapshot) is found out by it and starts afresh.
    """

    number = models.BigIntegerField(default=0)

    def __str__(self):
        return f"Page generation {self.number}"
