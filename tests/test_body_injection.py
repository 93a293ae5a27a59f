"""
Tables, pull quotes and embeds cannot inject markup, whatever writes the
body: each is tried with scripts, event-handler attributes, javascript: and
data: addresses, style, srcdoc, nested frames and attribute break-outs,
through every path that writes a story (the shell, bulk_create, the admin's
form, the workflow, the wire), and must come out inert, both as stored and
on the story's public page.
"""

import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from articles import body, wire, workflow
from articles.models import Article
from tests.factories import article_form_data, make_article, make_editor, make_live

pytestmark = pytest.mark.django_db

VIDEO = "https://youtu.be/dQw4w9WgXcQ"
ALERT = "<script>alert(1)</script>"
HOSTILE = {
    "table, script": f"<table><tbody><tr><td>{ALERT}Cell</td></tr></tbody></table>",
    "table, handlers and style": (
        '<table onmouseover="alert(1)"><tr onclick="alert(1)"><th onfocus="alert(1)" tabindex="0" '
        'colspan="2" style="background:url(javascript:alert(1))">H</th></tr></table>'
    ),
    "table, span break-out": """<table><tr><td colspan='2" onmouseover="alert(1)'>x</td></tr></table>""",
    "table, javascript and data links": (
        '<table><tr><td><a href="javascript:alert(1)">x</a>'
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">y</a></td></tr></table>'
    ),
    "table, nested frames": (
        '<table><tr><td><iframe src="https://evil.example/">'
        f'<iframe srcdoc="{ALERT}"></iframe></iframe></td></tr></table>'
    ),
    "pull quote, handlers and style": (
        '<aside class="pull-quote" onclick="alert(1)" style="position:fixed;inset:0">'
        '<p onmouseover="alert(1)">Q</p></aside>'
    ),
    "pull quote, script and image": (
        f'<aside class="pull-quote">{ALERT}<p>Q<img src=x onerror="alert(1)"></p></aside>'
    ),
    "pull quote, javascript link": '<aside class="pull-quote"><p><a href="JaVaScRiPt:alert(1)">Q</a></p></aside>',
    "pull quote, svg": f'<aside class="pull-quote"><svg onload="alert(1)">{ALERT}</svg></aside>',
    "embed, javascript address": (
        '<figure class="embed" data-embed="youtube" data-url="javascript:alert(1)">'
        '<a href="javascript:alert(1)">Play</a></figure>'
    ),
    "embed, data address": f'<figure class="embed" data-embed="youtube" data-url="data:text/html,{ALERT}"></figure>',
    "embed, srcdoc frame": (
        f'<figure class="embed" data-embed="youtube" data-url="{VIDEO}"><iframe srcdoc="{ALERT}" '
        'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"></iframe></figure>'
    ),
    "embed, handlers and style": (
        '<figure class="embed" onmouseover="alert(1)" style="position:fixed" data-embed="x" '
        'data-url="https://x.com/AP/status/1"><a href="https://x.com" onclick="alert(1)">x</a></figure>'
    ),
    "embed, attribute break-out": (
        f"""<figure class="embed" data-embed="youtube" data-url='{VIDEO}" onmouseover="alert(1)'></figure>"""
    ),
    "embed, markup in its address": f'<figure class="embed" data-url=\'{VIDEO}">{ALERT}\'></figure>',
    "embed, look-alike host": (
        '<figure class="embed" data-url="https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ"></figure>'
    ),
    "embed, nested embeds and frames": (
        f'<figure class="embed" data-url="{VIDEO}"><figure class="embed" data-url="javascript:alert(1)">'
        '<iframe src="javascript:alert(1)"></iframe></figure></figure>'
    ),
    "embed, object and a provider's script": (
        '<figure class="embed" data-url="https://vimeo.com/1"><object data="https://evil.example/x.swf">'
        '<embed src="https://evil.example/x.swf"></object>'
        '<script src="https://platform.twitter.com/widgets.js"></script></figure>'
    ),
    "base, meta and link": (
        '<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=javascript:alert(1)">'
        '<link rel="stylesheet" href="https://evil.example/x.css"><p>Text</p>'
    ),
}

# What a stored body may hold: tag -> its attributes (any tag may have a title or lang).
ALLOWED = {
    **dict.fromkeys(["p", "h2", "h3", "strong", "em", "s", "sub", "sup", "ul", "li"], set()),
    **dict.fromkeys(["blockquote", "hr", "br", "table", "thead", "tbody", "tr"], set()),
    "ol": {"start", "type", "data-type"},
    "a": {"href", "rel"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "aside": {"class"},
    "figure": {"class", "data-embed", "data-url"},
}
CLASSES = {"aside": "pull-quote", "figure": "embed"}
SAFE_ADDRESS = re.compile(r"(https?://|mailto:|/|#)", re.IGNORECASE)


class Elements(HTMLParser):
    def __init__(self, markup):
        super().__init__()
        self.found = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def assert_stored_inert(markup):
    for tag, attrs in Elements(markup).found:
        assert tag in ALLOWED, tag
        assert set(attrs) <= ALLOWED[tag] | {"title", "lang"}, (tag, attrs)
        if "class" in attrs:
            assert attrs["class"] == CLASSES[tag]
        if "href" in attrs:
            assert SAFE_ADDRESS.match(attrs["href"]), attrs
        if "data-url" in attrs:
            assert body.find(attrs["data-url"]), attrs
        for span in ("colspan", "rowspan"):
            assert attrs.get(span, "1").isdigit()


def assert_page_inert(page):
    """The story's text on its page is inert, and the page runs no script but its own."""
    (text,) = re.findall(r'<div class="body">(.*?)</div>', page, re.DOTALL)
    for tag, attrs in Elements(text).found:
        assert tag not in {"iframe", "frame", "object", "embed", "base", "svg", "math", "img"}, tag
        assert tag not in {"script", "style", "link", "meta"}, tag
        for name, value in attrs.items():
            assert not name.startswith("on") and name not in {"style", "srcdoc"}, (tag, name)
            if name in {"href", "src", "action", "data"} and value:
                assert SAFE_ADDRESS.match(value), (tag, name, value)
    for tag, attrs in Elements(page).found:
        assert tag != "iframe"
        if tag == "script":
            assert attrs in (
                {"type": "application/ld+json"},
                {"type": "module", "src": "/static/articles/embeds.js"},
            )  # fmt: skip


# The paths that write a body. Each returns the story, saved.


def by_shell(payload, editor, client):
    return Article.objects.create(headline="Shell", body=payload)


def by_shell_update(payload, editor, client):
    story = make_article()
    story.body = payload
    story.save(update_fields=["body"])
    return story


def by_bulk_create(payload, editor, client):
    (story,) = Article.objects.bulk_create([Article(headline="Bulk", slug="bulk", body=payload)])
    return story


def by_admin_form(payload, editor, client):
    client.force_login(editor)
    data = article_form_data(headline="From the form", body=payload)
    response = client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return Article.objects.get(headline="From the form")


def by_workflow(payload, editor, client):
    story = make_article()
    story.body = payload
    workflow.edit(story, by=editor, save=story.save)
    return story


def by_wire(payload, editor, client, tmp_path):
    path = tmp_path / "item.json"
    path.write_text(json.dumps({"uri": "urn:test:hostile", "type": "text", "headline": "Hostile", "body_html": payload}))
    (item,) = wire.read(path)
    return wire.ingest(item, by=editor).article


PATHS = [by_shell, by_shell_update, by_bulk_create, by_admin_form, by_workflow, by_wire]


@pytest.mark.parametrize("payload", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.parametrize("write", PATHS, ids=[p.__name__ for p in PATHS])
def test_hostile_markup_comes_out_inert_stored_and_on_the_page(client, tmp_path, write, payload):
    editor = make_editor()
    extra = (tmp_path,) if write is by_wire else ()

    story = write(payload, editor, client, *extra)

    stored = Article.objects.get(pk=story.pk).body
    assert_stored_inert(stored)
    workflow.publish(Article.objects.get(pk=story.pk), by=editor)
    client.logout()
    page = client.get(Article.objects.get(pk=story.pk).get_absolute_url())
    assert page.status_code == 200
    assert_page_inert(page.content.decode())


def test_a_provider_embed_survives_every_path_as_a_placeholder(client, tmp_path):
    editor = make_editor()
    payload = f'<p>Lead.</p><figure class="embed" data-url="{VIDEO}"></figure>'
    for write in [by_shell, by_admin_form, by_workflow]:
        story = write(payload, editor, client)
        assert 'data-embed="youtube"' in Article.objects.get(pk=story.pk).body, write.__name__


def test_the_checks_would_catch_what_they_look_for():
    with pytest.raises(AssertionError):
        assert_stored_inert('<p onclick="alert(1)">x</p>')
    with pytest.raises(AssertionError):
        assert_stored_inert('<figure class="embed" data-url="https://evil.example/"></figure>')
    for planted in ['<iframe src="https://evil.example/"></iframe>', '<a href="javascript:x">x</a>']:
        with pytest.raises(AssertionError):
            assert_page_inert(f'<div class="body">{planted}</div>')
    shown = body.for_readers(make_live(body=HOSTILE["embed, srcdoc frame"]).body)
    assert 'data-embed="youtube"' in shown
    assert_page_inert(f'<div class="body">{shown}</div>')
