"""
Story cards kept rendered in the cache, so a list of stories is not
rendered again for every reader. A card's key is made of everything it
shows: the story's version (every save raises it) and the names and
addresses of its section and place. An edit or a rename therefore finds no
stale card, in any process, with nothing to purge; a cache that is down
only means rendering afresh.
"""

import hashlib

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

CARD = "includes/story_card.html"
LIFETIME = 24 * 60 * 60  # seconds: keys make cards right; this keeps them few

try:  # the errors of the cache a production site runs on
    from redis.exceptions import RedisError as CacheError
except ImportError:  # pragma: no cover - redis is a pinned requirement
    CacheError = OSError


def cards(stories):
    """The rendered card of each of ``stories`` (from ``for_cards()``), from the cache where it is."""
    keys = [_key(story) for story in stories]
    found = _safely(cache.get_many, keys, default={})
    fresh = {}
    rendered = []
    for key, story in zip(keys, stories):
        card = found.get(key)
        if card is None:
            card = fresh[key] = render_to_string(CARD, {"article": story})
        rendered.append(mark_safe(card))
    if fresh:
        _safely(cache.set_many, fresh, LIFETIME)
    return rendered


def _key(story):
    section, place = story.section, story.place
    shown = [
        section and (section.name, section.slug),
        place and (place.name, place.region, place.slug),
    ]
    digest = hashlib.blake2b(repr(shown).encode(), digest_size=8).hexdigest()
    return f"newsroom:card:{story.pk}:{story.version}:{digest}"


def _safely(call, *args, default=None):
    try:
        return call(*args)
    except CacheError:
        return default
