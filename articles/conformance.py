"""
The site's public outputs read as independent clients read them, and held
to their standards: feeds with feedparser and RFC 4287's and RSS 2.0's
rules, sitemaps with xmlschema against sitemaps.org's schemas and Google
News's rules, ninjs items against IPTC's schema, and each page's JSON-LD
(extracted with extruct, expanded with PyLD against schema.org's context),
Open Graph tags, description and canonical address.

Documents are found as a crawler finds them: the sitemaps list the pages,
each page's head names its feeds, the API pages itself. Used by
``manage.py check_outputs``; it needs the development requirements.
"""

import datetime
import email.utils
import functools
import json
import re
import xml.etree.ElementTree as ElementTree
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import extruct
import feedparser
import xmlschema
from django.test import Client
from django.utils import timezone
from jsonschema import FormatChecker
from jsonschema.validators import validator_for
from pyld import jsonld

SCHEMAS = Path(__file__).resolve().parent / "schemas"  # each with its source in schemas/README.md
SCHEMA_ORG = "http://schema.org/"
ATOM = "{http://www.w3.org/2005/Atom}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS_HOURS = 48
NEWS_LIMIT = 1000
# Google's Article guidelines, and where the story was written (the dateline).
ARTICLE_FIELDS = ["headline", "image", "datePublished", "dateModified", "author", "publisher"]
OPEN_GRAPH = ["og:title", "og:type", "og:image", "og:url"]


@dataclass
class Report:
    checked: Counter = field(default_factory=Counter)  # documents by kind
    violations: list = field(default_factory=list)  # (kind, address, what is wrong)

    def check(self, kind, url):
        self.checked[kind] += 1

    def violation(self, kind, url, problem):
        self.violations.append((kind, url, problem))

    def table(self):
        broken = Counter(kind for kind, _, _ in self.violations)
        lines = ["| output | documents | violations |", "|---|---:|---:|"]
        for kind in sorted(self.checked):
            lines.append(f"| {kind} | {self.checked[kind]} | {broken[kind]} |")
        total = sum(self.checked.values())
        lines.append(f"| **all** | {total} | {len(self.violations)} |")
        return lines


class Crawler:
    """Reads the site through Django's test client: the whole middleware stack, no server."""

    def __init__(self, host="localhost"):
        self.client = Client(HTTP_HOST=host)
        self.host = host
        self.report = Report()
        self.seen = {}

    def get(self, url, kind):
        """The answer for ``url`` (an address on this site); a violation unless it is 200."""
        path = self.path(url)
        if path not in self.seen:
            self.seen[path] = self.client.get(path)
        response = self.seen[path]
        if response.status_code != 200:
            self.report.violation(kind, path, f"answers {response.status_code}, not 200")
            return None
        return response

    def path(self, url):
        parts = urlsplit(url)
        if parts.netloc and parts.netloc != self.host:
            raise ValueError(f"{url} is not on this site ({self.host})")
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def run(self):
        pages = self.sitemaps()
        feeds, linked = set(), set()
        for url in pages:
            found, links = self.page(url)
            feeds |= found
            linked |= links
        for url in sorted(linked - {self.path(page) for page in pages}):
            feeds |= self.page(url)[0]
        for url in sorted(feeds):
            self.feed(url)
        self.api()
        return self.report

    # Sitemaps

    def sitemaps(self):
        """Every address the sitemaps list, after checking each sitemap."""
        index = self.get("/sitemap.xml", "sitemap")
        if index is None:
            return []
        self.report.check("sitemap", "/sitemap.xml")
        root = self.xml(index, "sitemap", "/sitemap.xml", _schema("siteindex.xsd"))
        pages = []
        for entry in root.iter(f"{SITEMAP}sitemap") if root is not None else []:
            where = entry.findtext(f"{SITEMAP}loc")
            if not entry.findtext(f"{SITEMAP}lastmod"):
                self.report.violation("sitemap", "/sitemap.xml", f"{where}: no lastmod")
            pages += self.urlset(where)
        return list(dict.fromkeys(pages))

    def urlset(self, url):
        kind = "news sitemap" if "news" in url else "sitemap"
        response = self.get(url, kind)
        if response is None:
            return []
        self.report.check(kind, url)
        root = self.xml(response, kind, url, _schema("sitemap.xsd"))
        if root is None:
            return []
        urls = root.findall(f"{SITEMAP}url")
        if kind == "news sitemap":
            self.news(url, urls)
        return [u.findtext(f"{SITEMAP}loc") for u in urls]

    def news(self, url, urls):
        if len(urls) > NEWS_LIMIT:
            self.report.violation("news sitemap", url, f"{len(urls)} addresses, more than {NEWS_LIMIT}")
        oldest = timezone.now() - datetime.timedelta(hours=NEWS_HOURS)
        for entry in urls:
            where = entry.findtext(f"{SITEMAP}loc")
            news = entry.find(f"{NEWS}news")
            publication = news.find(f"{NEWS}publication") if news is not None else None
            missing = [
                name
                for name, value in [
                    ("publication name", publication is not None and publication.findtext(f"{NEWS}name")),
                    ("publication language", publication is not None and publication.findtext(f"{NEWS}language")),
                    ("title", news is not None and news.findtext(f"{NEWS}title")),
                ]
                if not value
            ]
            if missing:
                self.report.violation("news sitemap", url, f"{where}: no {', '.join(missing)}")
            when = _iso(news.findtext(f"{NEWS}publication_date") if news is not None else None)
            if when is None or when < oldest:
                self.report.violation("news sitemap", url, f"{where}: publication date missing or older than 48 hours")

    def xml(self, response, kind, url, schema):
        try:
            schema.validate(response.content)
        except xmlschema.XMLSchemaException as error:
            self.report.violation(kind, url, " ".join(str(error).split())[:300])
        try:
            return ElementTree.fromstring(response.content)
        except ElementTree.ParseError as error:
            self.report.violation(kind, url, f"not well-formed XML: {error}")
            return None

    # Pages

    def page(self, url):
        """Check one HTML page; (the feeds its head names, the tag, author and place pages it links to)."""
        kind = "story page" if re.search(r"/\d{4}/\d{2}/\d{2}/[^/]+/$", self.path(url)) else "listing page"
        response = self.get(url, kind)
        if response is None:
            return set(), set()
        self.report.check(kind, url)
        html = response.content.decode()
        path = self.path(url)
        data = extruct.extract(html, base_url=f"http://{self.host}{path}", syntaxes=["json-ld", "opengraph"])
        self.open_graph(kind, path, data["opengraph"])
        self.head(kind, path, html)
        if kind == "story page":
            self.json_ld(path, data["json-ld"])
        feeds = re.findall(r'<link rel="alternate" type="application/(?:rss|atom)\+xml"[^>]*href="([^"]+)"', html)
        return set(feeds), set(re.findall(r'href="(/(?:tags|authors|datelines)/[^"/]+/)"', html))

    def open_graph(self, kind, path, found):
        tags = {name: value for graph in found for name, value in graph.get("properties", [])}
        missing = [name for name in OPEN_GRAPH if not tags.get(name)]
        if missing:
            self.report.violation(kind, path, f"Open Graph: no {', '.join(missing)}")

    def head(self, kind, path, html):
        canonical = re.findall(r'<link rel="canonical" href="([^"]+)"', html)
        if len(canonical) != 1:
            self.report.violation(kind, path, f"{len(canonical)} canonical links, not one")
        elif self.get(canonical[0], kind) is None:
            self.report.violation(kind, path, f"its canonical address {canonical[0]} does not answer 200")
        if not re.search(r'<meta name="description" content="[^"]+"', html):
            self.report.violation(kind, path, "no meta description")

    def json_ld(self, path, items):
        articles = [item for item in items if "Article" in str(item.get("@type", ""))]
        if len(articles) != 1:
            self.report.violation("story JSON-LD", path, f"{len(articles)} articles, not one")
            return
        self.report.check("story JSON-LD", path)
        article = articles[0]
        try:
            expanded = jsonld.expand(article, {"documentLoader": _schema_org_loader})
        except jsonld.JsonLdError as error:
            self.report.violation("story JSON-LD", path, f"does not expand: {error}")
            return
        node = expanded[0] if expanded else {}
        missing = [name for name in ARTICLE_FIELDS if SCHEMA_ORG + name not in node]
        if "dateline" in article and SCHEMA_ORG + "locationCreated" not in node:
            missing.append("locationCreated")
        if missing:
            self.report.violation("story JSON-LD", path, f"no {', '.join(missing)}")
        for author in node.get(SCHEMA_ORG + "author", []):
            if SCHEMA_ORG + "name" not in author or SCHEMA_ORG + "url" not in author:
                self.report.violation("story JSON-LD", path, "an author without a name and url")
        for publisher in node.get(SCHEMA_ORG + "publisher", []):
            if SCHEMA_ORG + "logo" not in publisher:
                self.report.violation("story JSON-LD", path, "a publisher without a logo")

    # Feeds

    def feed(self, url):
        kind = "Atom feed" if "atom" in url else "RSS feed"
        response = self.get(url, kind)
        if response is None:
            return
        self.report.check(kind, url)
        parsed = feedparser.parse(response.content)
        path = self.path(url)
        if parsed.bozo:
            self.report.violation(kind, path, f"not well-formed: {parsed.bozo_exception}")
            return
        ids = [entry.get("id") for entry in parsed.entries]
        if len(ids) != len(set(ids)) or None in ids:
            self.report.violation(kind, path, "entries without an id or with the same id")
        root = ElementTree.fromstring(response.content)
        (self.atom if kind == "Atom feed" else self.rss)(path, parsed, root)

    def atom(self, path, parsed, root):
        for name in ("id", "title", "updated"):
            if root.find(ATOM + name) is None:
                self.report.violation("Atom feed", path, f"the feed has no atom:{name}")
        feed_author = root.find(ATOM + "author") is not None
        for entry in root.iter(ATOM + "entry"):
            where = entry.findtext(ATOM + "id")
            missing = [name for name in ("id", "title", "updated") if entry.find(ATOM + name) is None]
            if not feed_author and entry.find(ATOM + "author") is None:
                missing.append("author (RFC 4287 §4.1.2: nor has the feed one)")
            if entry.find(ATOM + "link") is None:
                missing.append("link")
            if missing:
                self.report.violation("Atom feed", path, f"entry {where}: no {', '.join(missing)}")

    def rss(self, path, parsed, root):
        channel = root.find("channel")
        for name in ("title", "link", "description"):
            if channel is None or not channel.findtext(name):
                self.report.violation("RSS feed", path, f"the channel has no {name}")
        for item in channel.iter("item") if channel is not None else []:
            where = item.findtext("guid") or item.findtext("link")
            if not (item.findtext("title") or item.findtext("description")):
                self.report.violation("RSS feed", path, f"item {where}: no title or description")
            date = item.findtext("pubDate")
            if date is None or _rfc822(date) is None:
                self.report.violation("RSS feed", path, f"item {where}: no RFC 822 pubDate")

    # The ninjs API

    def api(self):
        schema = json.loads((SCHEMAS / "ninjs-schema_2.2.json").read_text())
        validator = validator_for(schema)(schema, format_checker=FormatChecker())
        url = "/api/ninjs/items/?limit=100"
        while url:
            response = self.get(url, "ninjs page")
            if response is None:
                return
            self.report.check("ninjs page", url)
            page = json.loads(response.content)
            for item in page.get("items", []):
                where = item.get("uri", "?")
                self.report.check("ninjs item", where)
                for error in validator.iter_errors(item):
                    self.report.violation("ninjs item", where, f"{'/'.join(map(str, error.path))}: {error.message}")
            url = page.get("next")


@functools.cache
def _schema(name):
    text = (SCHEMAS / name).read_text()
    # Google News's elements are not in sitemaps.org's schema: read them laxly.
    return xmlschema.XMLSchema(text.replace('processContents="strict"', 'processContents="lax"'))


def _schema_org_loader(url, options=None):
    if urlsplit(url).netloc.removeprefix("www.") != "schema.org":
        raise jsonld.JsonLdError(f"{url}: only schema.org's context is known here", "loading document failed")
    document = json.loads((SCHEMAS / "schemaorgcontext.jsonld").read_text())
    return {"contextUrl": None, "documentUrl": url, "document": document}


def _iso(value):
    try:
        return datetime.datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def _rfc822(value):
    try:
        return email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
