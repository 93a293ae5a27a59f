"""NewsML 1.2, as AFP and Business Wire send it: read, and imported once however often it comes."""

import datetime
from pathlib import Path

import pytest

from articles import wire
from articles.models import Article
from tests.factories import make_editor

DATA = Path(__file__).parent / "data" / "wire" / "newsml-1.2"
AFP = DATA / "afp.com_newsml1.2_sample.xml"
UTC = datetime.UTC


def test_an_afp_item_reads_with_its_dateline_bylines_keywords_and_nitf_text():
    (item,) = wire.read(AFP)

    assert item.format == "NewsML 1.2"
    assert item.guid == "urn:newsml:afp.com:20210516T080625Z:TX-PAR-WGF71"
    assert item.version == 1 and item.urgency == 4
    assert item.headline == "Israel strikes key Hamas targets as UN Security Council to meet"
    line = item.dateline
    assert (line.place, line.region, line.date_text, line.agency) == (
        "Gaza City", "Palestinian Territories", "May 16, 2021", "(AFP)"
    )  # fmt: skip
    assert item.bylines == ["Adel Zaanoun", "Guillaume Lavallee"]
    assert item.tags == ["Israel", "Palestinians", "conflict"]  # not the people pictured
    assert item.first_created == datetime.datetime(2021, 5, 16, 8, 6, 25, tzinfo=UTC)
    assert item.body.startswith("<p>Israel's army said Sunday it had bombed the home")
    assert "said in a statement.</p><h2>- Media offices destroyed -</h2><p>The civilian" in item.body


def test_a_business_wire_release_reads_its_body_not_its_logo_contact_or_style_sheet():
    (item,) = wire.read(DATA / "businesswire-newsml-20130731006140.xml")

    assert item.headline.startswith("Lunch Taking a Toll?")
    assert (item.dateline.place, item.dateline.region) == ("KANSAS CITY", "Mo.")
    assert "bwalignc" not in item.body and "text-align" not in item.body
    assert "@" not in item.body.split("</p>")[0]  # the contact is not the lead


def test_a_release_in_chinese_keeps_its_text_and_dateline():
    (item,) = wire.read(DATA / "businesswire-newsml-20130605006126.xml")

    assert item.headline == "Cambrios被Gartner評選為「最酷供應商」"
    assert item.dateline.place == "加州桑尼維爾"
    assert "Cambrios Technologies Corporation今天宣布" in item.body


def test_a_withheld_item_has_nothing_to_import():
    data = AFP.read_bytes().replace(b'<Status FormalName="Usable"/>', b'<Status FormalName="Withheld"/>')

    with pytest.raises(wire.NothingToImport, match="status is withheld"):
        wire.read_bytes(data)


@pytest.mark.django_db
def test_a_newsml_item_imports_once_and_its_revision_updates_it():
    editor = make_editor()
    (item,) = wire.read(AFP)
    wire.ingest(item, by=editor)
    assert wire.ingest(wire.read(AFP)[0], by=editor).action == "skip"

    revised = AFP.read_bytes().replace(b'PreviousRevision="0" Update="N">1<', b'PreviousRevision="1" Update="N">2<')
    outcome = wire.ingest(wire.read_bytes(revised.replace(b"174 lives", b"181 lives"))[0], by=editor)

    story = Article.objects.get()
    assert outcome.action == "update" and "181 lives" in story.body
    assert (story.agency.name, story.place.name) == ("AFP", "GAZA CITY")
