"""
The seeded stories themselves, as plain records in publication order.

Three years of copy at an agency's pace: fewer stories at weekends, most of
them in working hours, the archive growing a little year on year. Most are
published; the last days carry the drafts and stories in review a desk
has open; some are withdrawn, corrected or revised; a few are scheduled or
under embargo past the present moment.
"""

import datetime
import itertools
import re
import collections
from dataclasses import dataclass, field

from django.utils import timezone

from ..models import Correction, Status, make_slug
from ..models.article import story_path
from . import pools
from .pools import lines
from .text import between

# Stories filed per hour of the newsroom's day, relative.
HOURS = [1, 1, 1, 1, 2, 3, 5, 7, 9, 10, 10, 10, 9, 9, 9, 9, 8, 8, 7, 6, 5, 4, 2, 1]
WEEKDAY = [1.0, 1.0, 1.0, 1.0, 0.95, 0.55, 0.5]
# Bylines per story and how often: one (60 %), two (30 %), three (10 %).
BYLINE_COUNTS = [1, 2, 3]
BYLINE_SHARES = [0.6, 0.3, 0.1]
NOT_SLUG = re.compile(r"[^a-z0-9]+")
# Plain strings, as the rows are written past the ORM.
DRAFT, IN_REVIEW, PUBLISHED, WITHDRAWN = (status.value for status in Status)


@dataclass(slots=True)
class Story:
    id: int
    headline: str
    slug: str
    standfirst: str
    body: str
    section_id: int
    place_id: int
    agency_id: int | None
    status: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    published_at: datetime.datetime | None = None
    embargo_until: datetime.datetime | None = None
    revised_at: datetime.datetime | None = None
    guid: str | None = None
    urgency: int | None = None
    version: int = 1
    created_by_id: int | None = None
    updated_by_id: int | None = None
    author_ids: list = field(default_factory=list)
    tag_ids: list = field(default_factory=list)
    correction: tuple | None = None  # (kind, text, at)
    events: list = field(default_factory=list)  # (action, from, to, by, at, note)

    @property
    def listed_at(self):
        """What its taggings and bylines carry: its time while it is published."""
        return self.published_at if self.status == PUBLISHED else None


class Popular:
    """Items drawn by popularity: ~1/(rank + offset), or the weights given."""

    def __init__(self, items, *, offset=0, weights=None):
        self.items = list(items)
        weights = weights or [1 / (rank + offset) for rank in range(1, len(self.items) + 1)]
        self.cumulative = list(itertools.accumulate(weights))

    def one(self, rng):
        return rng.choices(self.items, cum_weights=self.cumulative)[0]

    def distinct(self, rng, k):
        chosen = []
        while len(chosen) < k:
            for item in rng.choices(self.items, cum_weights=self.cumulative, k=k - len(chosen)):
                if item not in chosen:
                    chosen.append(item)
        return chosen


def publication_times(rng, count, first_day, last_day, zone):
    """``count`` times from the first to the last day (in ``zone``), in order."""
    days = [first_day + datetime.timedelta(n) for n in range((last_day - first_day).days + 1)]
    weights = [WEEKDAY[d.weekday()] * (0.85 + 0.3 * n / len(days)) for n, d in enumerate(days)]
    quotas = collections.Counter(rng.choices(range(len(days)), weights=weights, k=count))
    for n, day in enumerate(days):
        quota = quotas[n]
        midnight = datetime.datetime.combine(day, datetime.time(), tzinfo=zone)
        hours = rng.choices(range(24), weights=HOURS, k=quota)
        for second in sorted(h * 3600 + rng.randrange(3600) for h in hours):
            yield (midnight + datetime.timedelta(seconds=second)).astimezone(datetime.UTC)


class Newsroom:
    """Makes the stories, one at a time, from the seeded taxonomy and desk."""

    def __init__(self, rng, writer, taxonomy, desk, *, recent_from, now):
        self.rng, self.writer, self.now = rng, writer, now
        self.desk = desk
        # Stories from this id on are the desk's last days: many still open.
        self.recent_from = recent_from
        places = [(place.pk, place.name.title()) for place in taxonomy["places"]]
        self.places = Popular(places, offset=5)
        self.authors = Popular([author.pk for author in taxonomy["authors"]], offset=10)
        self.tags = Popular([tag.pk for tag in taxonomy["tags"]], offset=20)
        self.sections = Popular(
            [section.pk for section in taxonomy["sections"]], weights=taxonomy["section_weights"]
        )
        shares = taxonomy["agency_shares"]
        agencies = [agency.pk for agency in taxonomy["agencies"]]
        self.agencies = Popular([*agencies, None], weights=[*shares, 1 - sum(shares)])
        self.bylines = Popular(BYLINE_COUNTS, weights=BYLINE_SHARES)
        self.earlier = collections.deque(maxlen=2000)  # addresses of recent stories, for links
        self.zone = timezone.get_current_timezone()
        self.objects, self.actors = lines(pools.OBJECTS), lines(pools.ACTORS)

    def story(self, story_id, when):
        """A story first filed at ``when``: published, or still on the desk if recent."""
        # States go by the story's number, not by chance, so that even a
        # small archive has every one of them, in the same proportions.
        story = self._filed(story_id, when)
        recent = story_id >= self.recent_from
        if story_id % (20 if recent else 100) == 3:
            self._draft(story)  # 5 % of the last days' stories, 1 % of the rest
        elif story_id % (10 if recent else 2000) == 6:
            self._in_review(story)  # 10 % of the last days', and a few forgotten
        else:
            live = when <= self.now
            self._publish(story, when, live=live)
            if story_id % 100 == 37 and live:
                self._withdraw(story)
        return story

    def future(self, story_id, *, embargoed):
        """A story published ahead of readers: scheduled, or held by an embargo."""
        rng, now = self.rng, self.now
        if embargoed:
            story = self._filed(story_id, now - datetime.timedelta(minutes=rng.randint(5, 300)))
            self._publish(story, story.created_at + datetime.timedelta(minutes=2), live=False)
            story.embargo_until = now + datetime.timedelta(minutes=rng.randint(60, 2880))
        else:
            story = self._filed(story_id, now - datetime.timedelta(minutes=rng.randint(5, 600)))
            at = now + datetime.timedelta(minutes=rng.randint(30, 7 * 1440))
            self._publish(story, at, live=False)
        return story

    def _filed(self, story_id, when):
        rng, writer = self.rng, self.writer
        place_id, place_name = self.places.one(rng)
        agency_id = self.agencies.one(rng)
        headline = writer.headline(place_name)
        words = max(200, min(1500, int(rng.gauss(600, 150))))
        earlier = rng.choice(self.earlier) if self.earlier else None
        reporter = rng.choice(self.desk["reporters"]).pk
        return Story(
            id=story_id, headline=headline, slug=f"{_slug(headline)}-{story_id}",
            standfirst=writer.sentences_of(between(rng, 18, 40))[0],
            body=writer.body(words, place_name, earlier)[0],
            section_id=self.sections.one(rng), place_id=place_id, agency_id=agency_id,
            status=DRAFT, created_at=when - datetime.timedelta(minutes=between(rng, 5, 180)),
            updated_at=when, created_by_id=reporter, updated_by_id=reporter,
            author_ids=self.authors.distinct(rng, self.bylines.one(rng)),
            tag_ids=self.tags.distinct(rng, between(rng, 3, 6)),
            guid=f"urn:newsroom:seed:{story_id}" if agency_id else None,
            urgency=rng.choice([3, 4, 4, 5, 5, 5]) if agency_id else None,
            version=between(rng, 2, 6),
        )  # fmt: skip

    def address(self, at, slug):
        return story_path(at.astimezone(self.zone).date(), slug)

    def _draft(self, story):
        story.updated_at = story.created_at + datetime.timedelta(minutes=self.rng.randint(1, 90))

    def _in_review(self, story):
        self._draft(story)
        story.status = IN_REVIEW
        story.events.append(("submit", DRAFT, IN_REVIEW, story.created_by_id,
                             story.updated_at, ""))  # fmt: skip

    def _publish(self, story, at, live=True):
        rng, editor = self.rng, self.rng.choice(self.desk["editors"])
        self._in_review(story)
        story.status, story.published_at = PUBLISHED, at
        story.updated_at, story.updated_by_id = min(at, self.now), editor.pk
        action = "publish" if at <= self.now else "schedule"
        story.events.append((action, IN_REVIEW, PUBLISHED, editor.pk,
                             story.updated_at, ""))  # fmt: skip
        if not live:
            return
        self.earlier.append(self.address(at, story.slug))
        if story.id % 100 == 53:  # 1 % held by an embargo for a while
            story.embargo_until = at + datetime.timedelta(minutes=rng.randint(30, 360))
        if story.id % 100 == 71:  # 1 % corrected
            self._correct(story, editor)
        elif story.id % 12 == 5:  # 8 % revised after publication
            story.revised_at = at + datetime.timedelta(minutes=rng.randint(10, 2880))
        if story.revised_at:
            story.updated_at = story.revised_at = min(story.revised_at, self.now)

    def _correct(self, story, editor):
        rng = self.rng
        kind = rng.choices(list(Correction.Kind), weights=[6, 2, 2])[0]
        subject = rng.choice(self.objects)
        text = {
            Correction.Kind.CORRECTION: f"An earlier version of this story misstated {subject}.",
            Correction.Kind.CLARIFICATION: f"This story has been updated to clarify {subject}.",
            Correction.Kind.UPDATE: f"Updated with comment from {rng.choice(self.actors)}.",
        }[kind]
        at = story.published_at + datetime.timedelta(minutes=rng.randint(60, 4320))
        story.correction = (kind.value, text, at)
        story.revised_at = at
        story.events.append(("correct", PUBLISHED, PUBLISHED, editor.pk, at,
                             f"{kind.label}: {text}"))  # fmt: skip

    def _withdraw(self, story):
        editor = self.rng.choice(self.desk["editors"])
        at = min(story.published_at + datetime.timedelta(hours=self.rng.randint(1, 48)), self.now)
        story.status, story.updated_at, story.updated_by_id = WITHDRAWN, at, editor.pk
        story.events.append(("withdraw", PUBLISHED, WITHDRAWN, editor.pk, at,
                             "Withdrawn at the source's request."))  # fmt: skip


def _slug(headline):
    # Most headlines are plain ASCII: a regular expression is enough, and fast.
    if not headline.isascii():
        return make_slug(headline, max_length=80)
    return NOT_SLUG.sub("-", headline.lower())[:80].strip("-")




