"""
Where a story's page leads its reader next: related stories (shared tags
and place, newer first), the place's other recent stories, and the previous
and next story in its section.

One query reads every candidate, as a UNION ALL of short walks down the
listing indexes the tag, place and section pages already read: the newest
``CANDIDATES`` live stories of each of the story's tags (the taggings'
listing index) and of its place (the place index), and one story either
side of it in its section (the section index). However large the archive,
the query reads at most ``(MAX_TAGS + 1) * CANDIDATES + 2`` rows, and the
ranking happens here, over those rows. A story that shares two tags but is
not among the newest of either is not found: the price of a fixed cost.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, Value
from django.utils import timezone

from .models import Article

CANDIDATES = 20  # newest live stories read for each tag and for the place
MAX_TAGS = 8  # tags of the story whose stories are read
RELATED = 4  # related stories shown
FROM_PLACE = 5  # the place's other stories shown
PLACE_WEIGHT = 0.5  # a shared place counts half a shared tag
HALF_LIFE = datetime.timedelta(days=14)  # a related story's weight halves with this age

COLUMNS = ["id", "headline", "slug", "published_at", "onward_part", "onward_key"]


@dataclass
class Onward:
    related: list = field(default_factory=list)
    from_place: list = field(default_factory=list)
    previous: Article | None = None
    next: Article | None = None


def read(article, now=None):
    """What ``article``'s page offers next, in one query (none when it has no tag, place or section)."""
    now = now or timezone.now()
    parts = _parts(article, now)
    if not parts:
        return Onward()
    rows = list(Article.objects.raw(*_union(parts)))
    by_part = defaultdict(list)
    for row in rows:
        by_part[row.onward_part].append(row)
    related = _ranked(by_part["tag"], by_part["place"], now)[:RELATED]
    shown = {story.pk for story in related}
    from_place = [story for story in by_part["place"] if story.pk not in shown][:FROM_PLACE]
    return Onward(
        related=related,
        from_place=from_place,
        previous=next(iter(by_part["previous"]), None),
        next=next(iter(by_part["next"]), None),
    )


def _parts(article, now):
    """The candidate querysets, each with the part it answers and a key (the tag)."""
    others = Article.objects.live(now).exclude(pk=article.pk)
    parts = [(others.tagged(tag), "tag", tag.pk) for tag in list(article.tags.all())[:MAX_TAGS]]
    if article.place_id:
        parts.append((others.datelined(article.place_id), "place", article.place_id))
    parts = [(stories[:CANDIDATES], part, key) for stories, part, key in parts]
    if article.section_id and article.published_at:
        at, pk = article.published_at, article.pk
        section = others.in_section(article.section_id)
        # The bound on the time alone lets the index start at the story.
        older = section.filter(Q(published_at__lt=at) | Q(pk__lt=pk), published_at__lte=at)
        newer = section.filter(Q(published_at__gt=at) | Q(pk__gt=pk), published_at__gte=at)
        parts += [(older[:1], "previous", 0), (newer.reverse()[:1], "next", 0)]
    return parts


def _union(parts):
    """One SQL statement (and its parameters) reading every part, each with its own LIMIT."""
    selects, params = [], []
    for stories, part, key in parts:
        columns = stories.annotate(onward_part=Value(part), onward_key=Value(key))
        sql, part_params = columns.values_list(*COLUMNS).query.sql_with_params()
        # A subquery in FROM: SQLite allows no LIMIT on the members of a UNION itself.
        selects.append(f"SELECT * FROM ({sql}) AS onward_{len(selects)}")
        params.extend(part_params)
    return " UNION ALL ".join(selects), params


def _ranked(tagged, placed, now):
    """Stories sharing a tag, by shared tags (and place), halving in weight every HALF_LIFE."""
    shared = defaultdict(float)
    stories = {}
    for row in tagged:
        shared[row.pk] += 1
        stories[row.pk] = row
    for row in placed:
        if row.pk in shared:
            shared[row.pk] += PLACE_WEIGHT

    def weight(story):
        age = max(now - story.published_at, datetime.timedelta(0))
        return (shared[story.pk] * 0.5 ** (age / HALF_LIFE), story.published_at, story.pk)

    return sorted(stories.values(), key=weight, reverse=True)
