"""
Which pages the scale benchmark opens, found in the database at hand, and
how one request to one of them is timed. Imported once Django is set up.

Every kind is found the same way in every database (the busiest day, the
most used tag, the last page of All news as the page itself counts it), so
rows line up between a small and a large archive.
"""

import datetime
import json
import re
import time
from urllib.parse import urlencode, urlsplit

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import OperationalError, connection
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import counts, recent, sitemaps
from articles.models import Article, Byline, Place, TaggedArticle

READER, DESK = "reader", "desk"
DESK_USER = "bench-desk"
PAGE_COUNT = re.compile(r"Page\s+[\d,]+\s+of\s+([\d,]+)")
CAPITALISED = re.compile(r"\b[A-Z][a-z]{3,}\b")


class Kinds:
    """The page kinds of one database, in report order: kind -> (path, who) or a reason."""

    def __init__(self):
        self.paths, self.missing = {}, {}

    def add(self, kind, find, who=READER):
        """Add ``kind`` at the path ``find()`` gives; note why when it gives none."""
        try:
            path = find()
        except Exception as error:  # a benchmark notes what it cannot find and goes on
            path, reason = None, f"{type(error).__name__}: {error}"
        else:
            reason = "not found in this database"
        if path:
            self.paths[kind] = (path, who)
        else:
            self.missing[kind] = reason


def discover(common="budget", rare=None):
    """Every page kind this database has, with its path."""
    kinds, facts = Kinds(), Facts()
    reader = Client()
    _reader_pages(kinds, facts, reader)
    _feeds(kinds, facts)
    _news_out(kinds, facts, reader)
    kinds.add("search-common", lambda: _search(common))
    kinds.add("search-middle", lambda: _search(facts.company_word()))
    kinds.add("search-rare", lambda: _search(rare or facts.rare_word()))
    kinds.add("search-800", lambda: _search(facts.place_word(about=800)))
    kinds.add("search-1in200", lambda: _search(facts.place_word(share=1 / 200)))
    _desk_pages(kinds, facts, common)
    return kinds


class Facts:
    """The busiest day, place, tag... of this database, each looked up once."""

    def __init__(self):
        self._found = {}

    def _once(self, name, find):
        if name not in self._found:
            self._found[name] = find()
        return self._found[name]

    def day(self):
        def busiest():
            days = Article.objects.live().annotate(day=TruncDate("published_at")).values("day")
            return days.annotate(n=Count("id")).order_by("-n", "-day")[0]["day"]

        return self._once("day", busiest)

    def busiest(self, field):
        """The id of the place or section with the most live stories."""
        rows = Article.objects.live().exclude(**{field: None}).values(field)
        return self._once(field, lambda: rows.annotate(n=Count("id")).order_by("-n")[0][field])

    def tag(self):
        rows = TaggedArticle.objects.values("tag").annotate(n=Count("id")).order_by("-n")
        return self._once("tag", lambda: rows[0]["tag"])

    def author(self):
        rows = Byline.objects.values("author").annotate(n=Count("id")).order_by("-n")
        return self._once("author", lambda: rows[0]["author"])

    def story(self):
        """A live story from the middle of the archive."""

        def middle():
            ids = Article.objects.live().order_by("pk").values_list("pk", flat=True)
            first, last = ids.first(), ids.last()
            return Article.objects.live().filter(pk__gte=(first + last) // 2).order_by("pk")[0]

        return self._once("story", middle)

    def company_word(self):
        """
        A company name of the seeded copy (articles.seeding) in a story near
        the middle: in a handful of stories at ten thousand, in about 4 % of
        them at a million.
        """
        from articles.seeding.text import company_names

        names = set(company_names())
        bodies = Article.objects.live().filter(pk__gte=self.story().pk).order_by("pk")
        for body in bodies.values_list("body", flat=True)[:2000].iterator():
            found = [word for word in CAPITALISED.findall(body) if word in names]
            if found:
                return found[0]
        return None

    def rare_word(self):
        """
        The name of the dateline place with the fewest live stories: a few
        stories at ten thousand, about one in a thousand at a million.
        """
        return self._once("rare", lambda: self._place_name(lambda count: count))

    def place_word(self, about=None, share=None):
        """
        The name of the place whose live stories are nearest ``about`` in
        number, whatever the archive's size, or nearest ``share`` of them.
        """
        if share is not None:
            about = round(share * sum(counts.totals(counts.PLACE).values()))
        return self._once(f"place-{about}", lambda: self._place_name(lambda count: abs(count - about)))

    def _place_name(self, distance):
        live = counts.totals(counts.PLACE)
        places = Place.objects.filter(pk__in=live).values_list("pk", "name")
        # One word, so that the search reads one lexeme.
        words = [(distance(live[pk]), name) for pk, name in places if re.fullmatch(r"[A-Za-z]+", name)]
        return min(words)[1].capitalize() if words else None


def _owner_path(name, model_path, pk):
    from django.apps import apps

    model = apps.get_model("articles", model_path)
    return reverse(f"articles:{name}", args=[model.objects.get(pk=pk).slug])


def _reader_pages(kinds, facts, reader):
    index = reverse("articles:index")
    kinds.add("front", lambda: reverse("articles:front"))
    kinds.add("river", lambda: index)
    last = _page_count(reader, index)
    kinds.add("river-p50", lambda: f"{index}?page=50" if last and last >= 50 else None)
    kinds.add("river-last", lambda: f"{index}?page={last}" if last else None)
    day = facts.day
    kinds.add("day", lambda: reverse("articles:day", args=[f"{day():%Y}", f"{day():%m}", f"{day():%d}"]))
    kinds.add("month", lambda: reverse("articles:month", args=[f"{day():%Y}", f"{day():%m}"]))
    kinds.add("year", lambda: reverse("articles:year", args=[f"{day():%Y}"]))
    kinds.add("places", lambda: reverse("articles:places"))
    kinds.add("place", lambda: _owner_path("place", "Place", facts.busiest("place")))
    kinds.add("section", lambda: _owner_path("section", "Section", facts.busiest("section")))
    kinds.add("tag", lambda: _owner_path("tag", "Tag", facts.tag()))
    kinds.add("author", lambda: _owner_path("author", "Author", facts.author()))
    kinds.add("story", lambda: facts.story().get_absolute_url())
    kinds.add("corrections", lambda: reverse("articles:corrections"))


def _page_count(reader, path):
    """How many pages a listing has, as its own first page counts them."""
    count = PAGE_COUNT.search(reader.get(path).content.decode())
    return int(count[1].replace(",", "")) if count else None


def _feeds(kinds, facts):
    owners = {
        "section": lambda: ("Section", facts.busiest("section")),
        "tag": lambda: ("Tag", facts.tag()),
        "author": lambda: ("Author", facts.author()),
        "place": lambda: ("Place", facts.busiest("place")),
    }
    for form in ("rss", "atom"):
        kinds.add(f"feed-{form}", lambda form=form: reverse(f"articles:feed_{form}"))
        for owner, find in owners.items():
            name = f"{owner}_feed_{form}"
            kinds.add(f"feed-{form}-{owner}", lambda name=name, find=find: _owner_path(name, *find()))


def _news_out(kinds, facts, reader):
    kinds.add("sitemap", lambda: reverse("articles:sitemap"))
    month = lambda: f"{facts.day():%Y-%m}"  # noqa: E731
    kinds.add("sitemap-month", lambda: reverse("articles:sitemap_part", kwargs={"part": month()}))
    # Only while a story became public in the last 48 hours: an empty news sitemap is none.
    kinds.add("sitemap-news", lambda: reverse("articles:sitemap_news") if sitemaps.news_stories(1) else None)
    items = reverse("articles:api_items")
    kinds.add("api", lambda: items)
    kinds.add("api-since", lambda: f"{items}?{urlencode({'since': _week_before_newest()})}")
    kinds.add("api-cursor", lambda: _next_page(reader, items))


def _week_before_newest():
    newest = Article.objects.live().latest("published_at").published_at
    return timezone.localtime(newest - datetime.timedelta(days=7)).isoformat()


def _next_page(reader, path):
    """The API's second page, from the ``next`` link of its first."""
    following = json.loads(reader.get(path).content).get("next")
    if not following:
        return None
    address = urlsplit(following)
    return f"{address.path}?{address.query}"


def _search(word):
    return f"{reverse('articles:search')}?{urlencode({'q': word})}" if word else None


def _desk_pages(kinds, facts, common):
    stories = reverse("admin:articles_article_changelist")
    day = facts.day
    kinds.add("desk-list", lambda: stories, DESK)
    kinds.add("desk-list-p50", lambda: _desk_page(stories, 50), DESK)
    kinds.add("desk-in-review", lambda: f"{stories}?status__exact=in_review", DESK)
    # The filters as the list's drop-downs send them (articles/admin/filters.py).
    kinds.add("desk-tag", lambda: f"{stories}?tag={facts.tag()}", DESK)
    kinds.add("desk-author", lambda: f"{stories}?author={facts.author()}", DESK)
    kinds.add("desk-place", lambda: f"{stories}?place={facts.busiest('place')}", DESK)
    kinds.add("desk-section", lambda: f"{stories}?section__id__exact={facts.busiest('section')}", DESK)
    drill = lambda: urlencode({"published_at__year": day().year, "published_at__month": day().month})  # noqa: E731
    kinds.add("desk-month", lambda: f"{stories}?{drill()}", DESK)
    kinds.add("desk-search", lambda: f"{stories}?{urlencode({'q': common})}", DESK)
    one_in_200 = lambda: urlencode({"q": facts.place_word(share=1 / 200)})  # noqa: E731
    kinds.add("desk-search-1in200", lambda: f"{stories}?{one_in_200()}", DESK)
    kinds.add("desk-budget", lambda: reverse("admin:index"), DESK)
    change = lambda: reverse("admin:articles_article_change", args=[facts.story().pk])  # noqa: E731
    kinds.add("desk-change", change, DESK)


def _desk_page(path, number):
    """The admin story list's page ``number``, if the list is that long."""
    from django.contrib import admin

    per_page = admin.site.get_model_admin(Article).list_per_page
    return f"{path}?p={number}" if Article.objects.count() >= number * per_page else None


# Timing


class Browser:
    """A reader and a logged-in superuser, each a test client through the whole stack."""

    def __init__(self):
        user, _ = get_user_model().objects.update_or_create(
            username=DESK_USER, defaults={"is_staff": True, "is_superuser": True}
        )
        self.clients = {READER: Client(), DESK: Client()}
        self.clients[DESK].force_login(user)
        self.queries = {}  # kind -> the SQL of its last request

    def open(self, kind, path, who):
        """One request, cache emptied first: its time, status, size and SQL count."""
        cache.clear()  # nothing cached: the page as its first reader gets it
        recent.forget()  # nor the counts, sections and banners a process keeps a moment
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            status, size = self._get(path, who)
            ms = (time.perf_counter() - start) * 1000
        self.queries[kind] = [query["sql"] for query in captured.captured_queries]
        return {"ms": round(ms, 2), "status": status, "bytes": size, "sql": len(captured)}

    def _get(self, path, who):
        try:
            response = self.clients[who].get(path)
        except OperationalError as error:
            connection.close()  # a cancelled statement can leave the connection unusable
            return ("timeout" if "statement timeout" in str(error) else f"error: {error}"), 0
        except Exception as error:  # recorded, and the run goes on
            return f"error: {type(error).__name__}: {error}"[:300], 0
        body = b"".join(response) if response.streaming else response.content
        return response.status_code, len(body)
