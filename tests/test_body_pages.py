"""
How readers get tables, pull quotes and embeds: on the story's page an
embed is a link that loads the provider's player only when clicked, so the
page asks nothing of any provider before that; the page's
Content-Security-Policy frames only the players of the embeds it holds.
Feeds and the API carry embeds as links.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import body
from tests.factories import make_article, make_live
from tests.test_security_headers import policy

pytestmark = pytest.mark.django_db

VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
CHART = "https://datawrapper.dwcdn.net/Ab1Cd/3/"
# Where the players live: none of them may be named by a page before a click.
PLAYERS = [re.escape(provider.frame.split("{")[0]) for provider in body.PROVIDERS.values()]


def embed(url):
    return f'<figure class="embed" data-url="{url}"></figure>'


def story_with(*parts):
    return make_live(body="<p>Lead.</p>" + "".join(parts))


def test_an_embed_is_a_link_to_the_original_until_a_reader_asks_for_it(client):
    story = story_with(embed(VIDEO), '<aside class="pull-quote"><p>Quote.</p></aside>')

    page = client.get(story.get_absolute_url()).content.decode()

    (placeholder,) = re.findall(r'<figure class="embed".*?</figure>', page)
    assert placeholder.startswith('<figure class="embed" data-embed="youtube" data-embed-id="dQw4w9WgXcQ">')
    assert f'<a class="embed-load" href="{VIDEO}">Show the YouTube video</a>' in placeholder
    assert '<aside class="pull-quote"><p>Quote.</p></aside>' in page
    assert "<iframe" not in page
    assert not [player for player in PLAYERS if re.search(player, page)]
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert '<script type="module" src="/static/articles/embeds.js">' in scripts
    assert not [tag for tag in scripts if "https://" in tag]


def test_a_story_without_embeds_loads_no_script_and_frames_nothing(client):
    story = story_with("<table><tbody><tr><td>1</td></tr></tbody></table>")

    response = client.get(story.get_absolute_url())

    assert "<table><tbody><tr><td>1</td></tr></tbody></table>" in response.content.decode()
    assert "embeds.js" not in response.content.decode()
    assert "frame-src" not in policy(response)  # default-src 'self': no frames from elsewhere


def test_the_page_may_frame_the_players_of_its_embeds_and_no_others(client):
    story = story_with(embed(VIDEO), embed(CHART), embed(VIDEO.replace("dQw4w9WgXcQ", "aaaaaaaaaaa")))

    found = policy(client.get(story.get_absolute_url()))

    assert found["frame-src"] == {"https://www.youtube-nocookie.com", "https://datawrapper.dwcdn.net"}
    assert found["script-src"] == {"'self'"}
    for listing in ["/", "/news/"]:  # the story's card, not its body
        assert "frame-src" not in policy(client.get(listing)), listing


def test_a_page_from_the_page_cache_frames_the_same_players(client, page_cache):
    story = story_with(embed(CHART))
    client.get(story.get_absolute_url())

    hit = client.get(story.get_absolute_url())

    assert hit["X-Page-Cache"] == "hit"
    assert policy(hit)["frame-src"] == {"https://datawrapper.dwcdn.net"}


def test_a_preview_shows_embeds_as_readers_will(admin_client):
    story = make_article(body=embed(CHART))

    response = admin_client.get(reverse("admin:articles_article_preview", args=[story.pk]))

    assert response.status_code == 200
    assert 'data-embed="datawrapper"' in response.content.decode()
    assert policy(response)["frame-src"] == {"https://datawrapper.dwcdn.net"}


def test_feeds_and_the_api_carry_an_embed_as_a_link(client):
    story = story_with(embed(VIDEO))
    link = f'<a href="{VIDEO}">{VIDEO}</a>'

    feed = client.get("/feeds/atom/").content.decode()
    item = client.get(f"/api/ninjs/items/{story.pk}/").json()

    assert "embed-load" not in feed and link.replace("<", "&lt;").replace(">", "&gt;") in feed
    assert link in item["bodies"][0]["value"] and "embed-load" not in item["bodies"][0]["value"]


def page_queries(client, story):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(story.get_absolute_url()).status_code == 200
    return len(queries)


def test_embeds_cost_the_story_page_no_query(client):
    plain = story_with("<p>More.</p>")
    rich = story_with(embed(VIDEO), embed(CHART), "<table><tbody><tr><td>1</td></tr></tbody></table>")

    page_queries(client, plain)  # what a process reads once and keeps, read
    assert page_queries(client, rich) == page_queries(client, plain)
