"""
Caching public pages, without ever serving a story early or a change late.

Every cached page is filed under a *generation*. A new generation begins
when editorial state changes (``changed()``, which workflow and the staff
screens call once their transaction commits) and when the next scheduled
story or embargo falls due, so no cached page outlives the moment it would
change. Readers who are logged in, and anything but a plain 200 answer, go
around the cache. Uses Django's cache: Redis in production, local memory
in the embedded set-up.
"""

import functools
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from .models import Article

STATE_KEY = "newsroom:pages:state"
PAGE_KEY = "newsroom:page:{generation}:{host}:{path}"


def changed():
    """Start a new generation once the current transaction commits."""
    transaction.on_commit(lambda: cache.delete(STATE_KEY))


def generation(now=None):
    """The current generation; a new one when the next scheduled story is due."""
    now = now or timezone.now()
    state = cache.get(STATE_KEY)
    if state is None or (state["due"] is not None and now >= state["due"]):
        state = {"generation": uuid.uuid4().hex, "due": next_due(now)}
        cache.set(STATE_KEY, state, timeout=None)
    return state["generation"]


def next_due(now):
    """When the next published story becomes public (its time, or its embargo if later)."""
    held_back = Article.objects.scheduled(at=now).values_list("published_at", "embargo_until")
    return min((max(filter(None, times)) for times in held_back), default=None)


def public_page(view):
    """Serve a public view from the cache for anonymous readers."""

    @functools.wraps(view)
    def cached_view(request, *args, **kwargs):
        seconds = settings.NEWSROOM_PAGE_CACHE_SECONDS
        if not seconds or request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = PAGE_KEY.format(
            generation=generation(), host=request.get_host(), path=request.get_full_path()
        )
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            if response.status_code == 200 and not response.cookies and not response.streaming:
                cache.set(key, response, seconds)
        return response

    return cached_view
