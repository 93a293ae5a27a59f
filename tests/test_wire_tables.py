"""
Wire copy keeps its tables and lists, cleaned by the body's own allow-list;
a picture keeps only its words (articles/wire/markup.py says why).

No public sample we hold has a table, so nitf/minimal_table_nitf.xml is one
written for these tests; the list and the pictures come from the agencies'
own samples (Business Wire's NewsML 1.2 release, NTB's NITF).
"""

from pathlib import Path

import pytest

from articles import wire, workflow
from articles.models import Article
from articles.wire import markup
from tests.factories import make_editor

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "wire"
TABLE = (
    "<p>Turnout by region, per cent</p><table><thead><tr><th>Region</th><th>2019</th>"
    "<th>2024</th></tr></thead><tbody><tr><td>North</td><td>61.2</td><td>64.0</td></tr>"
    '<tr><td rowspan="2">South</td><td colspan="2">no count yet</td></tr>'
    "<tr><td>58.1</td><td>60.3</td></tr></tbody></table>"
)


def body_of(name):
    (item,) = wire.read(DATA / name)
    return item.body


def test_an_nitf_table_keeps_its_rows_header_spans_and_caption_but_no_style():
    body = body_of("nitf/minimal_table_nitf.xml")

    assert TABLE in body
    assert "style" not in body and "alert" not in body and "border" not in body


def test_an_nitf_list_keeps_its_items():
    assert (
        "<ul><li>longer opening hours;</li><li>postal voting, <em>for the first time</em>;</li>"
        "<li>more polling stations.</li></ul>"
    ) in body_of("nitf/minimal_table_nitf.xml")


def test_a_business_wire_list_keeps_its_items():
    (release,) = wire.read(DATA / "newsml-1.2/businesswire-newsml-20130731006140.xml")

    assert release.body.count("<li>") == 4
    assert "<ul><li>The<strong> Classic Turkey Breast Sandwich </strong> is thick" in release.body


def test_a_picture_keeps_its_caption_and_credit_but_never_its_address():
    body = body_of("nitf/minimal_table_nitf.xml")

    assert body.endswith(
        "<p><em>Picture: Voters queue outside a polling station in the north. "
        "(Photo: Test Desk)</em></p>"
    )
    assert "photos.example" not in body and "<img" not in body


def test_ntbs_picture_keeps_its_caption():
    assert body_of("nitf/NTB_nitf_sample.xml").endswith(
        "<p>(©NTB)</p><p><em>Picture: Kremasjonsbål for koronaofre brenner i Indias hovedstad "
        "New Delhi. Foto: Amit Sharma / AP / NTB</em></p>"
    )


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<p>A <img src="https://x.example/a.jpg" alt="The harbour"> B</p>', "<p>A <em>Picture: The harbour</em> B</p>"),
        ('<img src="https://x.example/pixel.gif" alt="">', ""),
        (
            '<figure><img src="x.jpg" alt="Alt" onerror="alert(1)"><figcaption>The <b>port</b></figcaption></figure>',
            "<p><em>Picture: The port</em></p>",
        ),
        ('<picture><source srcset="a.webp"><img src="a.jpg" alt="Port"></picture>', "<p><em>Picture: Port</em></p>"),
    ],
)
def test_html_pictures_keep_their_words(html, expected):
    assert markup.from_html(html) == expected


def test_a_ninjs_table_is_kept_and_a_hostile_one_is_cleaned():
    html = markup.from_html(
        '<table style="x"><tr><th onclick="alert(1)" colspan="2">A</th></tr>'
        '<tr><td><script>alert(1)</script>1</td><td><a href="javascript:alert(1)">2</a></td></tr></table>'
    )
    assert html == (
        '<table><tbody><tr><th colspan="2">A</th></tr><tr><td>1</td><td><a>2</a></td></tr></tbody></table>'
    )


def test_an_imported_table_reaches_readers(client):
    (item,) = wire.read(DATA / "nitf/minimal_table_nitf.xml")
    editor = make_editor()
    wire.ingest(item, by=editor)
    story = Article.objects.get()
    workflow.publish(story, by=editor)

    page = client.get(story.get_absolute_url()).content.decode()

    assert TABLE in page
    assert "<li>more polling stations.</li>" in page
