"""
A realistic archive in bulk, for measuring the newsroom at scale.

``seed(n, end=...)`` fills an empty newsroom with ``n`` stories over three
years ending on ``end``: ~600-word bodies, 3-6 of 500 tags, 1-3 of 200
authors, 300 real dateline places, a status mix like a working desk's.
Rows are written with COPY (PostgreSQL) past the ORM and the workflow;
what workflow would derive from them (counts, the search index) is then
rebuilt by the project's own rebuild functions. ``manage.py seed_archive``
is the way in.
"""

import datetime
import itertools
import random
import time
from contextlib import contextmanager

from django.db import connection, transaction
from django.utils import timezone

from .. import counts, search
from ..models import (
    Agency, Article, ArticleEvent, Author, Byline, Correction, Place, Section, Tag, TaggedArticle,
)  # fmt: skip
from . import load, taxonomy
from .stories import Newsroom, publication_times
from .text import Writer

YEARS = 3
BATCH = 5000
TAXONOMY = [Section, Agency, Place, Author, Tag]
# Everything a story writes, in the order its rows are loaded.
LOADED = [Article, TaggedArticle, Byline, ArticleEvent, Correction]


class NotEmpty(Exception):
    """The newsroom already has stories or taxonomy: seeding would mix with them."""


class Phases:
    """Prints each phase as it starts and its time when it ends; keeps the times."""

    def __init__(self, out):
        self.out, self.seconds = out, {}

    @contextmanager
    def __call__(self, name):
        self.out(f"{name} ...")
        start = time.perf_counter()
        yield
        self.seconds[name] = time.perf_counter() - start
        self.out(f"{name}: {self.seconds[name]:.1f} s")


def seed(n, *, end, seed=42, reset=False, search_index=True, out=print):
    """Seed ``n`` stories ending on the date ``end``; returns the phases' times."""
    phases = Phases(out)
    # COPY FREEZE needs the tables emptied in this very transaction, which
    # an enclosing one (a test's) would not be.
    freeze = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic():
        with phases("empty the newsroom" if reset else "check the newsroom is empty"):
            if reset:
                load.empty([Article, *TAXONOMY])
            else:
                refuse_if_not_empty()
            if freeze:
                load.empty(LOADED)  # empty already: this lets COPY freeze the rows
        load.tune_for_loading()
        with phases("drop indexes and foreign keys"):
            indexes = load.drop_secondary(LOADED)
        rng = random.Random(seed)
        with phases("taxonomy and desk"):
            made, desk = taxonomy.create(rng), taxonomy.desk()
        with phases(f"{n:,} stories"):
            write_stories(rng, n, made, desk, end=end, freeze=freeze, out=out)
        with phases("indexes and foreign keys"):
            load.recreate(indexes)
        load.reset_sequences([Article])
    rebuild_derived(phases, search_index=search_index)
    with phases("statistics"):
        analyze()
    return phases.seconds


def refresh(*, search_index=True, out=print):
    """Rebuild what is derived from the stories, then the planner's statistics."""
    phases = Phases(out)
    rebuild_derived(phases, search_index=search_index)
    with phases("statistics"):
        analyze()
    return phases.seconds


def refuse_if_not_empty():
    present = [
        f"{count:,} {model._meta.verbose_name_plural}"
        for model in [Article, *TAXONOMY]
        if (count := model._base_manager.count())
    ]
    if present:
        raise NotEmpty(
            f"The newsroom already has {', '.join(present)}: seeded stories would mix "
            "with them, and their tags, places and authors would clash."
        )


def future_counts(n):
    """How many stories are scheduled, and how many held by an embargo, past now."""
    least = 1 if n >= 100 else 0
    return max(n // 2000, least), max(n // 5000, least)


def write_stories(rng, n, made, desk, *, end, freeze, out):
    zone = timezone.get_current_timezone()
    scheduled, embargoed = future_counts(n)
    first = end - datetime.timedelta(days=round(YEARS * 365.25) - 1)
    archive = n - scheduled - embargoed
    writer = Writer(rng, people(made), pool_size=min(20000, max(2000, 30 * n)))
    # The last two days or so at a million stories; at least the last twenty.
    recent_from = archive - max(20, archive // 500) + 1
    newsroom = Newsroom(rng, writer, made, desk, recent_from=recent_from, now=timezone.now())
    ids = itertools.count(1)
    times = publication_times(rng, archive, first, end, zone)
    stories = itertools.chain(
        (newsroom.story(next(ids), when) for when in times),
        (newsroom.future(next(ids), embargoed=k < embargoed) for k in range(scheduled + embargoed)),
    )
    tables = {model: load.Table(model, columns, freeze=freeze) for model, columns in COLUMNS.items()}
    done, every, start = 0, max(BATCH, n // 10 // BATCH * BATCH), time.perf_counter()
    while batch := list(itertools.islice(stories, BATCH)):
        for model, table in tables.items():
            table.write([row for story in batch for row in ROWS[model](story)])
        done += len(batch)
        if done % every == 0 or done == n:
            out(f"  {done:,} stories ({done / (time.perf_counter() - start):,.0f} a second)")


def people(made):
    """Names quoted in the copy: every first name with every surname of the authors' pools."""
    first = {a.name.split()[0] for a in made["authors"]}
    last = {a.name.split()[-1] for a in made["authors"]}
    return sorted(f"{f} {l}" for f in first for l in last)


COLUMNS = {
    Article: [
        "id", "headline", "slug", "standfirst", "body", "section_id", "place_id", "agency_id",
        "status", "created_at", "updated_at", "published_at", "embargo_until", "revised_at",
        "guid", "urgency", "version", "created_by_id", "updated_by_id",
    ],
    TaggedArticle: ["content_object_id", "tag_id", "listed_at"],
    Byline: ["article_id", "author_id", "role", "position", "listed_at"],
    ArticleEvent: [
        "article_id", "action", "from_status", "to_status", "by_id", "at", "note",
        "publication_time",
    ],
    Correction: ["article_id", "kind", "text", "created_at", "created_by_id"],
}  # fmt: skip
ROWS = {
    Article: lambda s: [tuple(getattr(s, column) for column in COLUMNS[Article])],
    TaggedArticle: lambda s: [(s.id, tag, s.listed_at) for tag in s.tag_ids],
    Byline: lambda s: [(s.id, author, "", n, s.listed_at) for n, author in enumerate(s.author_ids)],
    ArticleEvent: lambda s: [(s.id, *event, s.published_at) for event in s.events],
    Correction: lambda s: [(s.id, *s.correction, s.updated_by_id)] if s.correction else [],
}


def rebuild_derived(phases, *, search_index=True):
    """Counts and the search index, by the project's own rebuild functions."""
    with phases("story counts"):
        counts.rebuild()
    if not search_index:
        phases.out("search index: skipped")
        return
    with phases("search index"):
        search.rebuild(workers=2, bulk=True)


def analyze():
    """Fresh planner statistics; on PostgreSQL, also clear what rebuilding left dead."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            cursor.execute("VACUUM (ANALYZE)")
        else:
            cursor.execute("ANALYZE")
