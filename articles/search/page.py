"""
What stands between the search page and the database: a rate limit per
client and a short cache of anonymous readers' results.

Search is the public page on which a reader makes the database work with
text of their choosing. Each client address may search
``NEWSROOM_SEARCH_RATE`` times (django-ratelimit counts in the cache) and is
then shown a 429 page saying when to try again. Anonymous readers' result
pages are kept ``NEWSROOM_SEARCH_CACHE_SECONDS``, keyed by the cleaned query
and the page number, under the page cache's current generation, so any
editorial change (a publication, a withdrawal) starts them afresh. Both fail
open: when the cache cannot be reached, search answers from the database.
"""

import functools
import hashlib
import ipaddress

from django.conf import settings
from django.core.cache import cache
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django_ratelimit.core import get_usage
from redis.exceptions import RedisError

from .. import pagecache
from .query import clean

# What Django's cache raises when its Redis server cannot be reached.
CACHE_ERRORS = (RedisError, OSError)
RESULTS_KEY = "newsroom:search:{generation}:{digest}"


def protected(view):
    """The search view, limited per client and cached for anonymous readers."""
    return rate_limited(cached(view))


def rate_limited(view):
    @functools.wraps(view)
    def limited_view(request, *args, **kwargs):
        wait = _wait(request)
        if wait is not None:
            return _too_many_searches(request, wait)
        return view(request, *args, **kwargs)

    return limited_view


def cached(view):
    @functools.wraps(view)
    def cached_view(request, *args, **kwargs):
        seconds = settings.NEWSROOM_SEARCH_CACHE_SECONDS
        # Staff are never served a cached page, nor is one kept from theirs.
        if not seconds or request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        try:
            key = _results_key(request)
            response = cache.get(key)
        except CACHE_ERRORS:
            return view(request, *args, **kwargs)
        if response is None:
            response = view(request, *args, **kwargs)
            _keep(key, response, seconds)
        return response

    return cached_view


def client_address(request):
    """
    The address searches are counted by. Behind ``NEWSROOM_TRUSTED_PROXIES``
    proxies, each of which appends the address it was reached from to
    X-Forwarded-For, it is the entry that many places from the end: the
    entries before it are whatever the client sent, so could be forged.
    """
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.NEWSROOM_TRUSTED_PROXIES
    if proxies:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        forwarded = [entry.strip() for entry in forwarded if entry.strip()]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return "0.0.0.0"  # no usable address: such clients share one count


# Internals


def _wait(request):
    """Seconds before this client may search again; None if it may search now."""
    rate = settings.NEWSROOM_SEARCH_RATE
    if not rate or not clean(request.GET.get("q")):
        return None  # the empty form costs the database nothing
    try:
        usage = get_usage(request, group="search", key="ip", rate=rate, increment=True)
    except CACHE_ERRORS:
        return None  # better an unlimited search than none
    if usage is None or not usage["should_limit"]:
        return None
    return max(usage["time_left"], 1)


def _too_many_searches(request, wait):
    context = {"retry_after": wait, "query": clean(request.GET.get("q"))}
    response = TemplateResponse(request, "articles/search_limited.html", context, status=429)
    response["Retry-After"] = str(wait)
    add_never_cache_headers(response)
    return response


def _results_key(request):
    q, page = clean(request.GET.get("q")), request.GET.get("page", "").strip() or "1"
    digest = hashlib.sha256(f"{request.get_host()}\n{page}\n{q}".encode()).hexdigest()
    return RESULTS_KEY.format(generation=pagecache.generation(), digest=digest)


def _keep(key, response, seconds):
    if hasattr(response, "render"):
        response.render()
    if response.status_code != 200 or response.cookies or response.streaming:
        return
    try:
        cache.set(key, response, seconds)
    except CACHE_ERRORS:
        pass  # the reader has the page; the next one is made afresh
