"""Content-Security-Policy and Permissions-Policy on every answer."""

import base64
import hashlib
import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import make_live, make_user

pytestmark = pytest.mark.django_db


def policy(response):
    directives = [part.strip().split() for part in response["Content-Security-Policy"].split(";")]
    return {name: set(sources) for name, *sources in directives if name}


def test_public_pages_allow_no_inline_script_or_style(client):
    story = make_live()
    for url in ["/", "/news/", story.get_absolute_url(), "/feeds/rss/", "/search/?q=x"]:
        found = policy(client.get(url))
        assert found["script-src"] == {"'self'"}, url
        assert found["style-src"] == {"'self'"}, url
        assert found["object-src"] == {"'none'"} and found["frame-ancestors"] == {"'none'"}, url


def test_a_page_from_the_page_cache_carries_the_same_policy(client, page_cache):
    story = make_live()
    client.get(story.get_absolute_url())
    hit = client.get(story.get_absolute_url())

    assert hit["X-Page-Cache"] == "hit"
    assert policy(hit)["script-src"] == {"'self'"}


def test_the_admin_allows_its_style_attributes_and_the_editors_import_map_by_hash(client):
    client.force_login(make_user("chief", "Editor", is_superuser=True))

    response = client.get(reverse("admin:articles_article_add"))

    found = policy(response)
    assert "'unsafe-inline'" in found["style-src"]
    assert "'unsafe-inline'" not in found["script-src"]
    (body,) = re.findall(rb'<script type="importmap"[^>]*>(.*?)</script>', response.content, re.DOTALL)
    digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
    assert f"'sha256-{digest}'" in found["script-src"]


def test_every_answer_turns_off_browser_features_the_site_does_not_use(client):
    for url in ["/", "/news/", "/admin/login/", "/no-such-page/"]:
        features = client.get(url)["Permissions-Policy"]
        assert "camera=()" in features and "geolocation=()" in features and "microphone=()" in features


def test_a_static_file_may_load_nothing_and_opened_alone_runs_sandboxed(settings):
    from django.test import Client

    svg = Path(settings.STATIC_ROOT) / "img" / "mark.svg"
    svg.parent.mkdir(parents=True, exist_ok=True)
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')

    response = Client().get("/static/img/mark.svg")  # a new client: WhiteNoise reads the folder afresh

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "camera=()" in response["Permissions-Policy"]
