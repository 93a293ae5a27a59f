"""
Tables, pull quotes and embeds in the story body: what every save keeps,
and what the editor in the browser accepts, from the same lists.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from articles import body
from articles.models import Article, BODY_EXTENSIONS
from tests.factories import make_article

pytestmark = pytest.mark.django_db

STATIC = Path(settings.BASE_DIR) / "static" / "articles"

# One address of each kind each provider gives, and what it embeds.
EMBEDDABLE = [
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "youtube", "dQw4w9WgXcQ"),
    ("https://www.youtube.com/watch?feature=share&v=dQw4w9WgXcQ&t=42s", "youtube", "dQw4w9WgXcQ"),
    ("https://youtu.be/dQw4w9WgXcQ?si=abc", "youtube", "dQw4w9WgXcQ"),
    ("https://www.youtube.com/shorts/dQw4w9WgXcQ", "youtube", "dQw4w9WgXcQ"),
    ("https://vimeo.com/76979871", "vimeo", "76979871"),
    ("https://x.com/Reuters/status/1798325423145423222", "x", "1798325423145423222"),
    ("https://twitter.com/AP/status/1798325423145423222?s=20", "x", "1798325423145423222"),
    ("https://www.instagram.com/p/C7xQ2abN_-Z/", "instagram", "C7xQ2abN_-Z"),
    ("https://www.facebook.com/nasa/posts/pfbid02abcXYZ", "facebook", "pfbid02abcXYZ"),
    ("https://www.tiktok.com/@scout2015/video/6718335390845095173", "tiktok", "6718335390845095173"),
    ("https://datawrapper.dwcdn.net/Ab1Cd/3/", "datawrapper", "Ab1Cd/3"),
    ("https://www.datawrapper.de/_/Ab1Cd/", "datawrapper", "Ab1Cd"),
    ("https://public.flourish.studio/visualisation/17012345/", "flourish", "17012345"),
    (
        "https://www.google.com/maps/embed?pb=!1m18!1m12!1m3!1d2245.3!2d37.61!3d55.75!2m3!1f0!2f0!3f0",
        "googlemaps",
        "!1m18!1m12!1m3!1d2245.3!2d37.61!3d55.75!2m3!1f0!2f0!3f0",
    ),
]
# Near misses: another host, a look-alike host, plain http, a page that is not a post.
NOT_EMBEDDABLE = [
    "https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
    "https://evil.example/?https://youtu.be/dQw4w9WgXcQ",
    "https://youtu.be@evil.example/dQw4w9WgXcQ",
    "http://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com/watch?v=short",
    "https://x.com/Reuters",
    "https://www.facebook.com/nasa",
    "https://www.google.com/maps/place/Moscow",
    "https://evil.example/embed.html",
]


def saved(markup):
    return Article.objects.get(pk=make_article(body=markup).pk).body


def embed(url, provider="youtube"):
    return f'<figure class="embed" data-embed="{provider}" data-url="{url}"></figure>'


# Tables


def test_a_table_keeps_its_rows_header_cells_and_spans_but_no_style_or_classes():
    stored = saved(
        '<table class="grid" style="width:100%" border="1"><thead><tr><th colspan="2" '
        'style="color:red">Party</th></tr></thead><tbody><tr><td rowspan="2" width="50">A</td>'
        '<td colspan="x2">12%</td></tr><tr><td colspan="1000">B</td></tr></tbody></table>'
    )

    assert stored == (
        '<table><thead><tr><th colspan="2">Party</th></tr></thead><tbody><tr>'
        '<td rowspan="2">A</td><td>12%</td></tr><tr><td>B</td></tr></tbody></table>'
    )


def test_a_table_as_the_editor_writes_it_is_kept_as_it_is():
    edited = (
        "<table><tbody><tr><th><p>Year</p></th><th><p>Votes</p></th></tr>"
        '<tr><td colspan="2"><p>2024: <strong>51%</strong></p></td></tr></tbody></table>'
    )
    assert saved(edited) == edited


# Pull quotes


def test_a_pull_quote_keeps_its_class_and_nothing_else():
    stored = saved(
        '<aside class="pull-quote wide" id="q" data-x="1"><p>"We will rebuild."</p></aside>'
        '<aside class="sidebar"><p>Not a pull quote.</p></aside>'
    )
    assert stored == (
        '<aside class="pull-quote"><p>"We will rebuild."</p></aside>'
        "<aside><p>Not a pull quote.</p></aside>"
    )


# Embeds


@pytest.mark.parametrize(("url", "provider", "id"), EMBEDDABLE)
def test_an_address_from_an_allow_listed_provider_is_kept_as_an_embed(url, provider, id):
    stored = saved(embed(url.replace("&", "&amp;"), provider="anything"))

    escaped = url.replace("&", "&amp;")
    assert stored == (
        f'<figure class="embed" data-embed="{provider}" data-url="{escaped}">'
        f'<a href="{escaped}">{escaped}</a></figure>'
    )
    assert body.find(url) == (provider, id)


@pytest.mark.parametrize("url", NOT_EMBEDDABLE)
def test_any_other_web_address_is_kept_only_as_a_plain_link(url):
    escaped = url.replace("&", "&amp;")
    assert saved(embed(url)) == f'<p><a href="{escaped}">{escaped}</a></p>'


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,hi", "ftp://x/y", ""])
def test_an_embed_without_a_web_address_is_dropped(url):
    assert saved(f"<p>Before.</p>{embed(url)}<p>After.</p>") == "<p>Before.</p><p>After.</p>"


def test_an_embed_is_rebuilt_from_its_address_whatever_it_held():
    stored = saved(
        '<figure class="embed" data-embed="vimeo" data-url="https://youtu.be/dQw4w9WgXcQ">'
        '<a href="https://evil.example/">Click</a><strong>Text</strong>'
        '<figure class="embed" data-url="https://vimeo.com/1"></figure></figure><p>After.</p>'
    )
    assert stored == (
        '<figure class="embed" data-embed="youtube" data-url="https://youtu.be/dQw4w9WgXcQ">'
        '<a href="https://youtu.be/dQw4w9WgXcQ">https://youtu.be/dQw4w9WgXcQ</a></figure><p>After.</p>'
    )


def test_saving_a_saved_body_again_changes_nothing():
    first = saved(
        "<p>Lead.</p><table><tbody><tr><td>1</td></tr></tbody></table>"
        '<aside class="pull-quote"><p>Quote.</p></aside>'
        + embed("https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=1")
    )
    assert saved(first) == first


def test_the_editor_loads_the_extensions_and_their_script():
    field = Article._meta.get_field("body")
    config = field.formfield().widget.get_config()

    assert {"Table", "TableRow", "TableHeader", "TableCell", "PullQuote", "Embed"} <= set(
        config["extensions"]
    )
    assert config["js_modules"] == ["/static/articles/body_editor.js", "/static/articles/library_picture.js"]
    assert (STATIC / "body_editor.js").exists()
    names = set(re.findall(r"export const (\w+) =", (STATIC / "body_editor.js").read_text()))
    assert {"PullQuote", "Embed"} <= names


def test_the_readers_script_frames_exactly_the_providers_players():
    script = (STATIC / "embeds.js").read_text()
    frames = dict(re.findall(r'^  (\w+): "([^"]+)",$', script, re.MULTILINE))
    assert frames == {name: provider.frame for name, provider in body.PROVIDERS.items()}


# CI has node: there the test fails rather than skips without it.
@pytest.mark.skipif(
    not shutil.which("node") and not os.environ.get("CI"), reason="needs node to run the editor's patterns"
)
def test_the_editor_accepts_the_same_addresses_as_the_server():
    providers = BODY_EXTENSIONS["Embed"]["providers"]
    urls = [url for url, _, _ in EMBEDDABLE] + NOT_EMBEDDABLE
    script = (
        "const [providers, urls] = JSON.parse(process.argv[1]);"
        "console.log(JSON.stringify(urls.map((url) => Object.keys(providers).find((name) =>"
        " providers[name].patterns.some((p) => new RegExp(p).test(url))) || null)))"
    )
    found = subprocess.run(
        ["node", "-e", script, json.dumps([providers, urls])],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    expected = [provider for _, provider, _ in EMBEDDABLE] + [None] * len(NOT_EMBEDDABLE)
    assert json.loads(found) == expected
