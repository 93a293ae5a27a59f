"""
The edited front page: what editors arranged, and what readers see of it.

An ``Arrangement`` is the lead, the top stories and the section blocks, each
with its size and the stories editors chose for it, in order. It is read
from the database (``stored()``), or made from the admin's form for a
preview, and saved only by ``workflow.arrange_front_page``.

``compose()`` turns it into the page readers see: a chosen story shows only
while it is live, every block is filled up with the newest live stories (of
its section, for a section block) and no story is shown twice. Visibility is
decided by the query, so a withdrawn story leaves its slot and a scheduled
one fills it at its time with no job to run; the page cache is told of both
through the names the story touches (articles/pagecache/), and a process
keeps the composed page a moment only until the next held-back story's
time (``front_page()``). The page reads a fixed number of queries, however
many stories and slots.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.db.models.expressions import RawSQL
from django.utils import timezone

from .. import counts, recent
from ..models import Article, Banner, FrontBlock, FrontSlot
from ..models.article import CARD_FIELDS, live_condition

LEAD, TOP, SECTION = FrontBlock.Kind
TOP_SIZE = 4  # top stories before editors choose otherwise
RIVER_SIZE = 15  # "All news" under the blocks
MAX_SIZE = 12  # the most stories one block may show
BANNERS_KEPT = 10  # banners still to end that readers' pages keep at hand

# What a chosen story's card shows, and what the desk sees of it.
SLOT_FIELDS = ["block_id", "position", *(f"article__{name}" for name in [*CARD_FIELDS, "status", "embargo_until"])]


@dataclass
class Block:
    kind: str
    size: int
    section: object = None
    chosen: list = field(default_factory=list)  # the stories editors placed, in order
    stories: list = field(default_factory=list)  # what readers see, once composed

    @property
    def title(self):
        return self.section.name if self.section else FrontBlock.Kind(self.kind).label

    @property
    def missing(self):
        return max(self.size - len(self.stories), 0)


@dataclass
class Arrangement:
    lead: Block = field(default_factory=lambda: Block(LEAD, 1))
    top: Block = field(default_factory=lambda: Block(TOP, TOP_SIZE))
    sections: list = field(default_factory=list)

    @property
    def blocks(self):
        return [self.lead, self.top, *self.sections]

    def snapshot(self):
        """The arrangement as plain data, for the front page's history."""
        return {
            "blocks": [
                {
                    "kind": block.kind,
                    "section": block.section.name if block.section else None,
                    "size": block.size,
                    "stories": [{"id": a.pk, "headline": a.headline} for a in block.chosen],
                }
                for block in self.blocks
            ]
        }


def stored(*, live_at=None):
    """
    The arrangement as saved: blocks in order, each with its chosen stories
    (only those live at ``live_at``, when given). Two queries.
    """
    slots = FrontSlot.objects.select_related("article__section", "article__place").only(*SLOT_FIELDS)
    if live_at is not None:
        slots = slots.filter(live_condition(live_at, prefix="article__"))
    rows = FrontBlock.objects.select_related("section").prefetch_related(
        Prefetch("slots", queryset=slots, to_attr="chosen_slots")
    )
    arrangement = Arrangement()
    for row in rows:
        block = Block(row.kind, row.size, row.section, [slot.article for slot in row.chosen_slots])
        if row.kind == SECTION:
            arrangement.sections.append(block)
        else:
            setattr(arrangement, row.kind, block)
    return arrangement


@dataclass
class FrontPage:
    lead: Block
    top: Block
    sections: list
    river: list


def compose(arrangement, *, at=None, river_size=RIVER_SIZE):
    """
    What readers see at ``at``: chosen stories that are live, then the
    newest live stories, each story once. Two queries (one without section
    blocks), whatever the number of stories and slots.
    """
    at = at or timezone.now()
    shown = set()
    for block in arrangement.blocks:
        block.stories = []
        for story in block.chosen:
            if story.pk not in shown and story.is_live and len(block.stories) < block.size:
                block.stories.append(story)
                shown.add(story.pk)
    lead, top, sections = arrangement.lead, arrangement.top, arrangement.sections
    wanted = lead.missing + top.missing + river_size + sum(block.missing for block in sections)
    newest = list(Article.objects.live(at).for_cards().exclude(pk__in=shown)[:wanted])
    for block in (lead, top):
        fill = [story for story in newest if story.pk not in shown][: block.missing]
        block.stories += fill
        shown.update(story.pk for story in fill)
    _fill_sections(sections, at, shown)
    river = [story for story in newest if story.pk not in shown][:river_size]
    return FrontPage(lead, top, sections, river)


def _fill_sections(blocks, at, shown):
    """Each section block's missing stories: the newest live ones of its section, in one query."""
    wants = [block for block in blocks if block.missing]
    if not wants:
        return
    newest = Article.objects.live(at).exclude(pk__in=shown)
    parts, params = [], []
    for n, block in enumerate(wants):
        sql, part_params = newest.in_section(block.section).values("pk")[: block.missing].query.sql_with_params()
        # Each part reads its section's index newest first and stops: the
        # archive's size does not matter. (UNION of LIMITed selects needs
        # them as derived tables, which the ORM does not write for SQLite.)
        parts.append(f"SELECT * FROM ({sql}) AS section_{n}")
        params.extend(part_params)
    found = Article.objects.for_cards().filter(pk__in=RawSQL(" UNION ALL ".join(parts), params))
    by_section = {}
    for story in sorted(found, key=lambda s: (s.published_at, s.pk), reverse=True):
        by_section.setdefault(story.section_id, []).append(story)
    for block in wants:
        fill = [story for story in by_section.get(block.section.pk, []) if story.pk not in shown]
        block.stories += fill[: block.missing]
        shown.update(story.pk for story in block.stories)


def front_page(at=None):
    """
    The front page readers see now: the stored arrangement, composed. Kept
    a moment (articles/recent.py) under the time the next held-back story
    falls due, so that story takes its place at its time to the second.
    """
    if at is not None or not recent.in_use():
        at = at or timezone.now()
        return compose(stored(live_at=at), at=at)
    at = timezone.now()
    return recent.remembered(("front page", counts.next_due(at)), lambda: compose(stored(live_at=at), at=at))


def banner(at=None):
    """The breaking-news banner showing at ``at``, or None. One query."""
    return Banner.objects.active(at).only("text", "link").first()


def showing():
    """
    The banner readers see now: ``banner()``, with the banners still to end
    kept a moment (articles/recent.py) and each one's start and end honoured
    to the second.
    """
    at = timezone.now()

    def read():
        coming = Banner.objects.filter(ends_at__gt=at).only("text", "link", "starts_at", "ends_at")
        return list(coming.order_by("-starts_at", "-id")[:BANNERS_KEPT])

    coming = recent.remembered("banners", read)
    if len(coming) == BANNERS_KEPT:  # more than are kept: ask the database itself
        return banner(at)
    return next((shown for shown in coming if shown.shows_at(at)), None)
