"""Atom and RSS feeds with full text, read as wire copy (no database needed)."""

import datetime
from pathlib import Path

import pytest

from articles import wire

DATA = Path(__file__).parent / "data" / "wire" / "feeds"
UTC = datetime.UTC


def test_an_atom_feed_gives_a_story_per_entry_with_its_dateline_taken_out():
    first, second = wire.read(DATA / "atom.xml")

    assert first.format == "Atom"
    assert first.guid == "urn:example:wire:story:1001"
    assert first.headline == "Talks on grain exports to resume next week"
    assert first.standfirst == "Negotiators will meet in Istanbul on Tuesday."
    assert first.body == (
        "<p>Talks on grain exports will resume next week, the ministry said.</p>"
        "<p>The last round ended without a deal.</p>"
    )
    assert (first.dateline.place, first.dateline.agency) == ("ISTANBUL", "/TASS/")
    assert first.bylines == ["Anna Petrova"]
    assert first.tags == ["Trade"]
    assert first.first_created == datetime.datetime(2026, 11, 30, 8, 55, tzinfo=UTC)
    assert first.version_created == datetime.datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    # An HTML title is text; XHTML content is read as markup.
    assert second.headline == "Storm closes Baltic ports"
    assert second.body == "<p>Ports along the coast closed as winds reached 30 metres a second.</p>"
    assert second.dateline.place == "RIGA"


def test_an_rss_feed_reads_its_full_text_and_drops_entries_without_any():
    (item,) = wire.read(DATA / "rss.xml")

    assert item.format == "RSS 2.0"
    assert item.guid == "city-2026-11-30-tram"
    assert item.standfirst == "The line will link the station with the university."
    assert item.body == (
        "<p>The city council approved a new tram line on Monday.</p><p>Building starts in spring.</p>"
    )
    assert "script" not in item.body and "alert" not in item.body
    assert item.dateline.place == "KAZAN"
    assert item.bylines == ["Ivan Sokolov", "Maria Lebedeva"]
    assert item.tags == ["Transport"]
    assert item.first_created == datetime.datetime(2026, 11, 30, 7, 15, tzinfo=UTC)


def test_an_rss_item_without_a_guid_is_known_by_its_link():
    feed = b"""<rss version="2.0"><channel><title>T</title><item><title>Bridge reopens</title>
    <link>https://wire.example.org/bridge</link><description>&lt;p&gt;The bridge reopened.&lt;/p&gt;</description>
    <author>desk@example.org (Olga Ivanova)</author><pubDate>not a date</pubDate></item></channel></rss>"""

    (item,) = wire.read_bytes(feed)

    assert item.guid == "https://wire.example.org/bridge"
    assert item.body == "<p>The bridge reopened.</p>"
    assert item.bylines == ["Olga Ivanova"]
    assert item.first_created is None


def test_a_feed_of_headlines_only_has_nothing_to_import():
    feed = b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
    <entry><id>urn:x:1</id><title>Only a headline</title></entry></feed>"""

    with pytest.raises(wire.NothingToImport, match="no entries that carry their text"):
        wire.read_bytes(feed)
