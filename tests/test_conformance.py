"""
``manage.py check_outputs``: the site's outputs read by independent
clients and held to their standards (articles/conformance.py).
"""

import io
import xml.etree.ElementTree as ElementTree

import feedparser
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from articles import conformance
from tests.factories import make_agency, make_author, make_live, make_place, make_section

pytestmark = pytest.mark.django_db

ATOM_WITHOUT_AUTHORS = b"""<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:f</id><title>F</title>
<updated>2017-09-14T09:00:00Z</updated><entry><id>urn:e</id><title>E</title>
<updated>2017-09-14T09:00:00Z</updated><link href="http://localhost/e/"/></entry></feed>"""


def newsroom():
    """Stories with and without bylines, agencies, places and standfirsts, one of them today's."""
    place = make_place(name="MOSCOW", slug="moscow", country="Russia", time_zone="Europe/Moscow")
    tass = make_agency(name="TASS", mark="/TASS/", website="https://tass.com")
    section = make_section(name="Politics", slug="politics")
    make_live(headline="Talks resume", standfirst="In Geneva.", place=place, agency=tass, section=section,
              authors=[make_author(name="Ivan Petrov", slug="ivan-petrov")], tags=["Diplomacy"])  # fmt: skip
    make_live(headline="Wire copy", place=place, agency=tass, section=section, language="ru")
    make_live(headline="Our own story", body="<p>Text of our own.</p>",
              published_at=timezone.now() - timezone.timedelta(days=400))  # fmt: skip


def test_every_output_of_a_small_newsroom_meets_its_standard():
    newsroom()
    out, err = io.StringIO(), io.StringIO()

    call_command("check_outputs", "--minimum", "20", stdout=out, stderr=err)

    table = out.getvalue().splitlines()
    assert table[0] == "| output | documents | violations |"
    kinds = {line.split(" | ")[0].strip("| ") for line in table[2:-1]}
    assert {"Atom feed", "RSS feed", "sitemap", "news sitemap", "ninjs item", "story page",
            "story JSON-LD", "listing page"} <= kinds  # fmt: skip
    assert table[-1].endswith("| 0 |") and err.getvalue() == ""


def test_too_few_documents_fail_the_check():
    make_live(headline="The only story")
    with pytest.raises(CommandError, match="fewer than 1000"):
        call_command("check_outputs", "--minimum", "1000", stdout=io.StringIO())


def test_an_atom_entry_without_an_author_anywhere_is_a_violation():
    crawler = conformance.Crawler("testserver")

    crawler.atom("/feed/", feedparser.parse(ATOM_WITHOUT_AUTHORS), ElementTree.fromstring(ATOM_WITHOUT_AUTHORS))

    assert crawler.report.violations == [
        ("Atom feed", "/feed/", "entry urn:e: no author (RFC 4287 §4.1.2: nor has the feed one)")
    ]


def test_json_ld_without_a_publisher_logo_or_image_is_a_violation():
    crawler = conformance.Crawler("testserver")
    article = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": "H",
        "datePublished": "2017-09-14T09:00:00Z", "dateModified": "2017-09-14T09:00:00Z",
        "author": [{"@type": "Person", "name": "A", "url": "http://testserver/a/"}],
        "publisher": {"@type": "Organization", "name": "P"}, "dateline": "MOSCOW",
    }  # fmt: skip

    crawler.json_ld("/story/", [article])

    assert crawler.report.violations == [
        ("story JSON-LD", "/story/", "no image, locationCreated"),
        ("story JSON-LD", "/story/", "a publisher without a logo"),
    ]


def test_a_page_without_open_graph_or_canonical_is_a_violation():
    crawler = conformance.Crawler("testserver")

    crawler.open_graph("listing page", "/x/", [])
    crawler.head("listing page", "/x/", "<html><head></head></html>")

    assert [problem for _, _, problem in crawler.report.violations] == [
        "Open Graph: no og:title, og:type, og:image, og:url",
        "0 canonical links, not one",
        "no meta description",
    ]
