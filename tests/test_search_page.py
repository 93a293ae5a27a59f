"""
The search page's guards: anonymous results are cached briefly, yet an
editorial change shows at once and staff always search afresh; each client
address may search so often, then gets a 429 saying when to retry; and with
the cache down, search still works. Runs on the cache the settings name:
local memory by default, Redis when REDIS_URL is set (CI).
"""

import pytest
from django.test import override_settings
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from articles import search, workflow
from articles.models import Status
from tests.factories import make_article
from tests.test_search import SEARCH_QUERIES

pytestmark = pytest.mark.django_db

SEARCH = reverse("articles:search")
# Nothing listens on port 1: every cache call fails, as with Redis stopped.
REDIS_DOWN = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
    }
}


@pytest.fixture
def results_cache(settings):
    settings.NEWSROOM_SEARCH_CACHE_SECONDS = 60


def headlines(response):
    assert response.status_code == 200
    return [story.headline for story in response.context["object_list"]]


def shows(response, headline):
    """For pages that may come from the cache, which keeps no template context."""
    assert response.status_code == 200
    return headline in response.content.decode()


def published(desk, headline):
    story = make_article(headline=headline)
    desk(workflow.publish, story)
    return story


# The results cache


def test_a_repeated_search_is_served_from_the_cache(
    client, results_cache, desk, django_assert_num_queries
):
    published(desk, "Grain deal signed")
    assert headlines(client.get(SEARCH, {"q": "grain"})) == ["Grain deal signed"]

    with django_assert_num_queries(0):
        response = client.get(SEARCH, {"q": "  grain "})  # the same query, cleaned
    assertContains(response, "Grain deal signed")


def test_each_query_and_page_is_cached_apart(client, results_cache, django_assert_num_queries):
    for n in range(21):
        search.index(make_article(headline=f"Grain deal {n}", status=Status.PUBLISHED))
    client.get(SEARCH, {"q": "grain"})
    for params in [{"q": "deal"}, {"q": "Grain"}, {"q": "grain", "page": "2"}]:
        with django_assert_num_queries(SEARCH_QUERIES):
            assert client.get(SEARCH, params).status_code == 200


def test_publication_and_withdrawal_show_at_once_in_cached_results(client, results_cache, desk):
    first = published(desk, "Grain deal signed")
    assert shows(client.get(SEARCH, {"q": "grain"}), "Grain deal signed")

    published(desk, "Grain deal ratified")
    assert shows(client.get(SEARCH, {"q": "grain"}), "Grain deal ratified")

    desk(workflow.withdraw, first, reason="Wrong figures")
    assert not shows(client.get(SEARCH, {"q": "grain"}), "Grain deal signed")


def test_staff_are_never_served_cached_results(client, admin_client, results_cache, desk):
    published(desk, "Grain deal signed")
    client.get(SEARCH, {"q": "grain"})
    # Published behind workflow's back, so the cache has not heard of it.
    search.index(make_article(headline="Grain deal ratified", status=Status.PUBLISHED))

    assert not shows(client.get(SEARCH, {"q": "grain"}), "Grain deal ratified")
    assert shows(admin_client.get(SEARCH, {"q": "grain"}), "Grain deal ratified")


def test_a_page_made_for_staff_is_not_kept_for_readers(
    client, admin_client, results_cache, desk, django_assert_num_queries
):
    published(desk, "Grain deal signed")
    client.get(SEARCH, {"q": "deal"})
    admin_client.get(SEARCH, {"q": "grain"})
    with django_assert_num_queries(SEARCH_QUERIES):
        client.get(SEARCH, {"q": "grain"})


# The rate limit


@pytest.fixture
def limit(settings):
    settings.NEWSROOM_SEARCH_RATE = "3/m"


def search_from(client, address, forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return client.get(SEARCH, {"q": "grain"}, REMOTE_ADDR=address, **headers)


def test_too_many_searches_get_a_429_saying_when_to_retry(client, limit):
    for _ in range(3):
        assert search_from(client, "203.0.113.7").status_code == 200

    response = search_from(client, "203.0.113.7")

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assertTemplateUsed(response, "base.html")
    assertContains(response, "Too many searches", status_code=429)
    assertContains(response, f"try again in {response['Retry-After']} second", status_code=429)
    assertContains(response, 'href="/search/?q=grain"', status_code=429)


def test_the_limit_is_per_client_address(client, limit):
    for _ in range(4):
        search_from(client, "203.0.113.7")
    assert search_from(client, "203.0.113.8").status_code == 200
    assert search_from(client, "2001:db8::1").status_code == 200


def test_the_empty_form_is_not_counted(client, limit):
    for _ in range(5):
        assert client.get(SEARCH, REMOTE_ADDR="203.0.113.7").status_code == 200
    assert search_from(client, "203.0.113.7").status_code == 200


def test_forwarded_addresses_are_ignored_without_a_trusted_proxy(client, limit):
    for n in range(3):
        search_from(client, "203.0.113.7", forwarded=f"198.51.100.{n}")
    assert search_from(client, "203.0.113.7", forwarded="198.51.100.9").status_code == 429


def test_behind_a_trusted_proxy_each_reader_is_counted_apart(client, limit, settings):
    settings.NEWSROOM_TRUSTED_PROXIES = 1
    proxy = "10.0.0.2"
    for _ in range(3):
        search_from(client, proxy, forwarded="198.51.100.1")
    # What a reader puts before the proxy's entry changes nothing.
    assert search_from(client, proxy, forwarded="192.0.2.5, 198.51.100.1").status_code == 429
    assert search_from(client, proxy, forwarded="198.51.100.2").status_code == 200


# With the cache down


def test_search_still_works_with_the_cache_down(client, limit, results_cache, desk):
    published(desk, "Grain deal signed")
    with override_settings(CACHES=REDIS_DOWN):
        for _ in range(5):  # more than the limit allows, which cannot be counted
            assert headlines(client.get(SEARCH, {"q": "grain"})) == ["Grain deal signed"]
    assertNotContains(client.get(SEARCH, {"q": "grain"}), "Too many searches")
