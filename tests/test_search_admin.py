"""
The admin's story search: the site's full-text search over every status,
the most recently changed matches up to the limit, plus the story whose
slug, address or source id was typed; never a scan of every headline.
"""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import search
from articles.models import Article, Status
from tests.factories import make_article

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")


def make_story(headline, **fields):
    story = make_article(headline=headline, **fields)
    search.index(story)
    return story


def admin_search(client, q):
    response = client.get(CHANGELIST, {"q": q})
    assert response.status_code == 200
    return response, [story.headline for story in response.context["cl"].result_list]


def test_only_the_most_recently_changed_matches_are_listed(admin_client, settings):
    settings.NEWSROOM_SEARCH_LIMIT = 2
    now = timezone.now()
    for n in range(3):
        story = make_story(f"Caviar quota {n}", status=Status.DRAFT)
        # Changed n hours ago.
        Article.objects.filter(pk=story.pk).update(updated_at=now - datetime.timedelta(hours=n))

    response, headlines = admin_search(admin_client, "caviar")

    assert headlines == ["Caviar quota 0", "Caviar quota 1"]
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Only the 2 most recently changed matching stories are listed: "
        "add words to narrow the search."
    ]


def test_all_matches_within_the_limit_are_listed_without_a_note(admin_client):
    for n in range(3):
        make_story(f"Caviar quota {n}", status=Status.DRAFT)
    response, headlines = admin_search(admin_client, "caviar")
    assert len(headlines) == 3
    assert list(get_messages(response.wsgi_request)) == []


def test_source_id_finds_its_story(admin_client):
    make_story("Caviar quota", guid="urn:newsml:tass.ru:20170914:caviar")
    make_story("Other story")
    assert admin_search(admin_client, "urn:newsml:tass.ru:20170914:caviar")[1] == ["Caviar quota"]


def test_search_reads_no_column_with_like(admin_client):
    make_story("Caviar quota")
    with CaptureQueriesContext(connection) as queries:
        assert admin_search(admin_client, "caviar quota")[1] == ["Caviar quota"]
    assert not [q["sql"] for q in queries if " LIKE " in q["sql"].upper()]

