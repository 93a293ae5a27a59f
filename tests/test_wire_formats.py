"""Reading wire copy: each format into WireItems (no database needed)."""

import datetime
import re
from pathlib import Path

import pytest

from articles import wire
from articles.wire import markup
from articles.wire.item import split_byline, split_dateline

DATA = Path(__file__).parent / "data" / "wire"
UTC = datetime.UTC


def read_one(name):
    items = wire.read(DATA / name)
    assert len(items) == 1
    return items[0]


def dateline_parts(item):
    line = item.dateline
    return line.place, line.region, line.agency, line.date_text


# Plain text


def test_seed_story_reads_with_its_section_standfirst_and_tass_dateline():
    item = read_one("text/000_8ed40d542d1fccef.txt")

    assert item.format == "text"
    assert item.section == "All news"
    assert (
        item.headline == "Russian Defense Ministry confident relations with NATO will be restored"
    )
    assert item.standfirst.startswith("Moscow can restore the former format of relations")
    assert dateline_parts(item) == ("MOSCOW", "", "/TASS/", "September 14")
    assert item.dateline_text == "MOSCOW, September 14. /TASS/."
    assert item.paragraphs[0].startswith("Russia will restore the former format")
    assert item.body.startswith("<p>Russia will restore")
    assert len(item.paragraphs) == 8


def test_copy_without_an_id_gets_a_guid_from_its_content():
    first = read_one("text/000_8ed40d542d1fccef.txt")
    again = read_one("text/000_8ed40d542d1fccef.txt")
    other = read_one("wire-formats/anpa-1.tst")

    assert first.guid == again.guid
    assert first.guid.startswith("urn:newsroom:wire:")
    assert first.guid != other.guid
    assert first.version is None


# NewsML-G2


def test_newsml_g2_dateline_element_gives_place_date_and_agency():
    item = read_one("newsml-g2/LISTING_28_Illustrating_Located_Subject_and_Dateline.xml")

    assert dateline_parts(item) == ("MOSCOW", "", "(Reuters)", "Monday")
    assert item.dateline_text == "MOSCOW, Monday (Reuters)"
    # A contentMeta excerpt has no headline: the dateline stands in for one.
    assert item.headline == "MOSCOW, Monday (Reuters)"
    assert item.first_created == datetime.datetime(2016, 2, 9, 6, 17, tzinfo=UTC)
    assert item.bylines == []  # the creator is an organisation (web:thomsonreuters.com)


def test_newsml_g2_text_item_with_inline_nitf():
    item = read_one("newsml-g2/LISTING_2_NewsML-G2_Text_Document.xml")

    assert item.format == "NewsML-G2"
    assert item.headline == 'Fed to halt QE to avert "bubble"'
    assert item.guid == "urn:newsml:acmenews.com:20161121:US-FINANCE-FED"
    assert item.version == 11
    assert item.version_created == datetime.datetime(2018, 11, 21, 21, 25, 32, tzinfo=UTC)
    assert item.bylines == ["Meredith Jameson"]
    assert item.tags == [
        "economy, business and finance",
        "central bank",
        "money and monetary policy",
    ]
    assert dateline_parts(item) == ("New York", "NY", "", "October 21")
    assert item.body.startswith("<p>Et, sent luptat luptat, commy Nim")
    assert item.body.count("<p>") == 2


def test_newsml_g2_item_metadata_embargo_and_located_place():
    item = read_one("newsml-g2/LISTING_1_A_NewsML-G2_News_Item.xml")

    assert item.embargo == datetime.datetime(2018, 10, 23, 12, 0, tzinfo=UTC)
    assert item.first_created == datetime.datetime(2016, 10, 18, 18, 12, 21, tzinfo=UTC)
    assert item.published_at == item.first_created
    assert dateline_parts(item) == ("Berlin", "", "", "")  # from <located>
    assert item.body == ""  # the listing's inline NITF holds only comments


def test_an_empty_message_has_nothing_to_import():
    with pytest.raises(wire.NothingToImport, match="empty"):
        wire.read(DATA / "newsml-g2/LISTING_24_News_Message_conveying_a_complete_News_Package.xml")


def test_nitf_document():
    item = read_one("nitf/NTB_nitf_sample.xml")

    assert item.format == "NITF"
    assert item.headline == "Pandemien herjer på den legeløse indiske landsbygda"
    assert item.guid == "NTB5df9281a-a270-4dc5-a618-869bbc3bbca7_00"
    assert (item.version, item.urgency) == (1, 5)
    assert item.dateline.place == "Unnao"
    assert item.body.startswith("<p>Koronapandemien herjer også i landsbyer")
    assert "<h2>" in item.body  # NITF's hl2 subheads
    assert "india-korona-bygd" not in item.tags  # the slug, repeated as a keyword
    assert item.bylines == []  # "NTB-AFP-DPA" names agencies, not people


# ninjs

GROSSETO = ("GROSSETO", "Italy", "(AP)", "")
CAPTAIN = "Captain of wrecked cruise ship on trial in Italy"


@pytest.mark.parametrize(
    "name, version",
    [
        ("ninjs/provider-1.4/ninjsExMediumText1.json", "ninjs 1"),
        ("ninjs/1.6/001_simple_example.json", "ninjs 1"),
        ("ninjs/2.2/004_simple_text_article.json", "ninjs 2"),
        ("ninjs/3.1/005_complex_text_article.json", "ninjs 3"),
    ],
)
def test_ninjs_versions_read_alike(name, version):
    item = read_one(name)

    assert item.format == version
    assert item.headline == CAPTAIN
    assert dateline_parts(item) == GROSSETO
    assert item.dateline_text == "GROSSETO, Italy (AP)"
    assert item.body.startswith("<p>The trial of the captain of the shipwrecked Costa Concordia")
    assert item.bylines == ["Paulo Santalucia", "Frances d'Emilio"]
    assert item.guid.startswith("http://ninjs.example.com/newsitems/20130709")
    assert item.version_created == datetime.datetime(2013, 7, 9, 10, 37, tzinfo=UTC)


def test_ninjs_prefers_the_html_body_and_the_printed_dateline_over_located():
    item = read_one("ninjs/provider-1.4/ninjsExMediumText1.json")

    assert item.body.count("<p>") == 4  # body_xhtml's paragraphs, not body_text's one
    assert item.located == "Grossetto, Italy"  # sic; the dateline says GROSSETO
    assert item.dateline.place == "GROSSETO"


def test_ninjs_3_dpa_text():
    item = read_one("ninjs/provider-3.0/dpa_text.json")

    assert item.format == "ninjs 3"
    assert item.headline == "Faktencheck Derby-Elfmeter: Hat Schiedsrichter Zwayer recht?"
    assert item.guid == "urn:newsml:dpa.com:20090101:190510-99-167362"
    assert (item.version, item.urgency) == (2, 4)
    assert item.version_created == datetime.datetime(2019, 5, 10, 14, 2, 28, tzinfo=UTC)
    assert item.bylines == ["Christian Hollmann"]  # "Von Christian Hollmann, dpa"
    assert item.body.startswith("<p>Für Lucien Favre war es «der größte Skandal")
    assert "<section" not in item.body
    assert item.dateline is None


def test_ninjs_3_ntb_text():
    item = read_one("ninjs/provider-3.0/ntb_text.json")

    assert item.headline == "Google har kjøpt giganttomt i Skien"
    assert item.standfirst.startswith("IT-giganten Google har kjøpt en tomt")
    assert item.tags == ["Innenriks", "Teknologi", "Industri", "Olje og energi"]
    assert (item.version, item.urgency) == (6, 5)
    assert item.first_created == datetime.datetime(2019, 8, 9, 9, 30, 4, tzinfo=UTC)
    assert item.bylines == []  # "NTB" is the agency


# ANPA 1312 and IPTC 7901


def test_anpa_story():
    item = read_one("wire-formats/anpa-1.tst")

    assert item.format == "ANPA 1312"
    assert item.headline == "For Argentine chemo patients, mirrors can hurt"
    assert dateline_parts(item) == ("BUENOS AIRES", "Argentina", "(AP)", "")
    assert item.body.startswith("<p>For cancer patients dealing with the physical")
    assert "<p>“Look Good Feel Better” is a program" in item.body  # ``...'' quotes
    assert item.bylines == ["Paul Byrne", "Almudena Calatrava"]
    assert item.slugline == "Argentina-Cancer Beauty"
    assert item.urgency == 1
    assert item.version_created == datetime.datetime(2013, 11, 13, 15, 9, tzinfo=UTC)


def test_anpa_writethru_with_crlf_lines_and_a_summary():
    item = read_one("wire-formats/ap_anpa-1.tst")

    assert item.headline == "Deng has 30 points, short-handed Heat beat Hawks 115-111"
    assert item.standfirst.startswith("Luol Deng scored 30 points and Josh McRoberts")
    assert dateline_parts(item) == ("ATLANTA", "", "(AP)", "")
    assert item.body.startswith("<p>Luol Deng scored 30 points and Josh McRoberts had 19 — season")
    assert item.bylines == ["Charles Odum"]
    assert "\r" not in item.body


def test_anpa_tabular_copy_keeps_its_lines():
    item = read_one("wire-formats/anpa-3.tst")

    assert item.headline == "Global Weather-Fahrenheit"  # no headline line: the keyword
    assert item.dateline.place == "NEW YORK"
    assert "<br>Amsterdam;42;50;rn;0.08;39;52;pc;39;48;rn<br>Athens;" in item.body


def test_iptc_7901_dpa_story_leaves_the_notes_to_editors_out():
    item = read_one("wire-formats/IPTC7901.txt")

    assert item.format == "IPTC 7901"
    assert item.headline == "Germany Social Democrats: Coalition talks with Merkel could fail"
    assert dateline_parts(item) == ("Berlin", "", "(dpa)", "")
    assert item.body.startswith("<p>Negotiations between German conservatives headed by Chancellor")
    assert item.body.endswith("sworn in for a third term before Christmas.</p>")
    assert "NOTEBOOK" not in item.body and "Wolfgang Schmidt" not in item.body
    assert (item.urgency, item.slugline) == (4, "Germany-politics")


# Files that are not wire copy

LISTING_2 = (DATA / "newsml-g2/LISTING_2_NewsML-G2_Text_Document.xml").read_bytes()


@pytest.mark.parametrize(
    "name, data, problem",
    [
        ("empty.xml", b"", "empty file"),
        ("blank.json", b" \r\n\t\n", "empty file"),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(200), "binary data"),
        ("cut.xml", LISTING_2[:1500], "truncated XML: it stops at line 37, column 9"),
        ("bad.xml", b"<newsItem>\n<headline>x</title>\n</newsItem>", "malformed XML at line 2"),
        ("feed.xml", b"<rss><channel/></rss>", "a feed with no entries that carry their text"),
        ("page.xml", b"<html><body/></html>", "not NewsML-G2, NITF, Atom or RSS (its root element is <html>)"),
        (
            "bad.json",
            b'{"uri": "x",\n "headline": }',
            "invalid JSON at line 2, column 14: Expecting value",
        ),
        ("list.json", b"[1, 2]", "item 1: JSON, but not ninjs: a ninjs item is an object"),
        ("id.json", b'{"headline": "A story"}', 'without "uri", which every ninjs schema'),
        ("type.json", b'{"uri": "u", "headline": ["A"]}', '"headline" must be a string'),
        ("urgent.json", b'{"uri": "u", "urgency": 12}', '"urgency" must be a whole number'),
        ("anpa.tst", b"\x16\x16\x01W2870\x1fasian\nf l\x13\x11 BC-X", "ANPA 1312 framing, but"),
        ("dpa.txt", b"\x01eca062 4 i 211 x\r\nno text", "IPTC 7901 framing, but"),
        ("notes.csv", b"a,b\n1,2\n", "unknown format"),
    ],
)
def test_a_bad_file_says_what_is_wrong(name, data, problem):
    with pytest.raises(wire.WireError, match=re.escape(problem)):
        wire.read_bytes(data, name)


def test_sample_files_that_are_not_valid_ninjs():
    with pytest.raises(wire.WireError, match="not ninjs"):
        wire.read(DATA / "ninjs/should-fail-1.0/001_no_uri_declared.json")
    with pytest.raises(wire.WireError, match="invalid JSON at line 7, column 9"):
        wire.read(DATA / "ninjs/should-fail-1.0/010_body_must_be_string.json")


# The pieces


@pytest.mark.parametrize(
    "text, parts, rest",
    [
        (
            "BUENOS AIRES, Argentina (AP) _ For cancer",
            ("BUENOS AIRES", "Argentina", "(AP)", ""),
            "For",
        ),
        ("GROSSETO, Italy (AP) -- The trial", ("GROSSETO", "Italy", "(AP)", ""), "The trial"),
        ("Berlin (dpa) - Negotiations", ("Berlin", "", "(dpa)", ""), "Negotiations"),
        ("MOSCOW, Monday (Reuters)", ("MOSCOW", "", "(Reuters)", "Monday"), ""),
        (
            "MOSCOW, September 14. /TASS/. Russia",
            ("MOSCOW", "", "/TASS/", "September 14"),
            "Russia",
        ),
    ],
)
def test_split_dateline(text, parts, rest):
    dateline, after, printed = split_dateline(text)

    assert (dateline.place, dateline.region, dateline.agency, dateline.date_text) == parts
    assert after.startswith(rest)
    assert text.startswith(printed) and parts[2] in printed


@pytest.mark.parametrize(
    "text", ["The president said (AP) - nothing.", "Nothing to see here.", "(Photo - AP) A caption"]
)
def test_text_without_a_dateline_is_left_alone(text):
    assert split_dateline(text) == (None, text, "")


def test_split_byline():
    assert split_byline("By PAUL BYRNE and ALMUDENA CALATRAVA") == [
        "Paul Byrne",
        "Almudena Calatrava",
    ]
    assert split_byline("Von Christian Hollmann, dpa") == ["Christian Hollmann"]
    assert split_byline("By JOSH MCROBERTS & Ann Lee") == ["Josh McRoberts", "Ann Lee"]
    assert split_byline("NTB") == []


def test_markup_is_reduced_to_what_the_body_holds():
    html = markup.from_html(
        '<div>Loose text<script>alert(1)</script><p>A <b>bold</b> <a href="https://x.org/">link</a>'
        '<img src="x.jpg"></p><table><tr><td>1</td><td>2</td></tr></table></div>'
    )

    assert html == (
        '<p>Loose text</p><p>A <strong>bold</strong> <a href="https://x.org/">link</a></p>'
        "<table><tbody><tr><td>1</td><td>2</td></tr></tbody></table>"
    )


def test_a_dateline_comes_out_of_marked_up_text():
    dateline, html, printed = markup.split_html_dateline(
        "<p><strong>GROSSETO, Italy (AP)</strong> -- The <em>trial</em> began.</p><p>More.</p>"
    )

    assert (dateline.place, dateline.agency, printed) == (
        "GROSSETO",
        "(AP)",
        "GROSSETO, Italy (AP)",
    )
    assert html == "<p>The <em>trial</em> began.</p><p>More.</p>"


@pytest.mark.parametrize(
    "opening",
    ["Apple (AAPL) - Shares rose on Monday.", "President Putin said (TASS) - nothing more."],
)
def test_wire_copy_gets_no_dateline_the_house_parser_would_not_give(opening):
    # One dateline reader for the whole product: wire copy is read by
    # datelines.parse, with no looser reader of its own beside it.
    assert split_dateline(opening) == (None, opening, "")


# Plain-text layouts beyond TASS's


def read_text(tmp_path, text, name="story.txt"):
    path = tmp_path / name
    path.write_text(text)
    (only,) = wire.read(path)
    return only


def test_a_dpa_keyword_line_becomes_tags_not_part_of_the_headline(tmp_path):
    story = read_text(
        tmp_path,
        "Germany/politics/coalition/\nCoalition agrees on budget\n\n"
        "The deal ends weeks of talks.\n\nBerlin (dpa) - The governing parties agreed on Friday.\n",
    )

    assert story.headline == "Coalition agrees on budget"
    assert story.tags == ["Germany", "politics", "coalition"]
    assert story.dateline.agency == "(dpa)"


def test_an_agency_prefix_is_taken_off_the_headline(tmp_path):
    story = read_text(tmp_path, ">>>AGI/ Turin mayor resigns\n\n(AGI) - TURIN, MAY 5 - The mayor resigned.\n")

    assert story.headline == "Turin mayor resigns"
    assert story.dateline.place == "TURIN"


def test_a_dateline_standing_alone_first_is_no_headline(tmp_path):
    story = read_text(tmp_path, "OSLO, Monday (Reuters)\n\nNorway's central bank held rates on Monday.\n")

    assert story.dateline.place == "OSLO"
    assert story.headline != "OSLO, Monday (Reuters)"
    assert story.paragraphs == ["Norway's central bank held rates on Monday."]


def test_a_headline_with_a_slash_stays_a_headline(tmp_path):
    story = read_text(tmp_path, "Russia/Ukraine talks resume\n\nMOSCOW, May 5 (Reuters) - Talks resumed.\n")

    assert story.headline == "Russia/Ukraine talks resume" and story.tags == []


def test_section_words_above_the_headline_become_its_section_and_tags(tmp_path):
    story = read_text(
        tmp_path,
        "INTERNACIONAL POLÍTICA\nEl presidente viaja a Lima\n\n"
        "Bogotá, 3 oct (EFE).- El presidente viajará a Lima el lunes.\n",
    )

    assert story.headline == "El presidente viaja a Lima"
    assert (story.section, story.tags) == ("Internacional", ["Política"])
    assert story.dateline.agency == "(EFE)"
