"""
Story cards (and the dateline index) kept rendered in the cache, so a list
is not rendered again for every reader. A card's key is made of everything it
shows: the story's version (every save raises it) and the names and
addresses of its section and place, read without loading the stories. An edit or a rename therefore finds no
stale card, in any process, with nothing to purge; a cache that is down
only means rendering afresh.
"""

import hashlib

from django.core.cache import cache
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from .models import Article

CARD = "includes/story_card.html"
LIFETIME = 24 * 60 * 60  # seconds: keys make cards right; this keeps them few

try:  # the errors of the cache a production site runs on
    from redis.exceptions import RedisError as CacheError
except ImportError:  # pragma: no cover - redis is a pinned requirement
    CacheError = OSError


# What a card shows of its section, place and picture: part of its key. A
# picture is known by its last change (renditions made included) and by
# when its usage terms expire: a card never shows an expired one.
SHOWN = [
    "section__name", "section__slug", "place__name", "place__region", "place__slug",
    "picture_id", "picture__updated_at", "picture__usage_expires",
]  # fmt: skip


class Rows(list):
    """Stories as their cards are known: (pk, version, *SHOWN) each, without loading them."""


def rows(stories):
    """The Rows of a queryset of stories, in its order: one lean query."""
    return Rows(stories.values_list("pk", "version", *SHOWN))


def cards(stories):
    """
    The rendered card of each of ``stories`` (a queryset, Rows or stories),
    from the cache where it is. A queryset is read lean first (ids, versions
    and the names shown), and only the stories whose cards are missing are
    read whole.
    """
    if isinstance(stories, Rows):
        shown = stories
    elif isinstance(stories, QuerySet):
        shown = rows(stories)
    else:
        shown = [(s.pk, s.version, *_names(s)) for s in stories]
    keys = [_key(row) for row in shown]
    found = _safely(cache.get_many, keys, default={})
    missing = [row[0] for key, row in zip(keys, shown) if key not in found]
    if missing:
        whole = _whole(stories, missing)
        fresh = {key: render_to_string(CARD, {"article": whole[row[0]]})
                 for key, row in zip(keys, shown) if key not in found and row[0] in whole}  # fmt: skip
        _safely(cache.set_many, fresh, LIFETIME)
        found = {**found, **fresh}
    # Rows kept a moment (articles/recent.py) may name a story deleted since: it has no card.
    return [mark_safe(found[key]) for key in keys if key in found]


def rendered(template, context, shown):
    """``template`` rendered with ``context``, kept in the cache under ``shown``: everything it shows."""
    digest = hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()
    key = f"newsroom:piece:{template}:{digest}"
    html = _safely(cache.get, key)
    if html is None:
        html = render_to_string(template, context)
        _safely(cache.set, key, html, LIFETIME)
    return mark_safe(html)


def _whole(stories, pks):
    if isinstance(stories, (QuerySet, Rows)):
        return Article.objects.for_cards().in_bulk(pks)
    return {story.pk: story for story in stories}


def _names(story):
    section, place, picture = story.section, story.place, story.picture
    return (
        *((section.name, section.slug) if section else (None, None)),
        *((place.name, place.region, place.slug) if place else (None, None, None)),
        *((picture.pk, picture.updated_at, picture.usage_expires) if picture else (None, None, None)),
    )


def _key(row):
    pk, version, *names = row
    expires = names[-1]
    if expires is not None and expires <= timezone.now():
        names[-3:] = [None, None, None]  # shown as a story without a picture
    digest = hashlib.blake2b(repr(names).encode(), digest_size=8).hexdigest()
    return f"newsroom:card:{pk}:{version}:{digest}"


def _safely(call, *args, default=None):
    try:
        return call(*args)
    except CacheError:
        return default
