"""
Time the public pages over a large synthetic newsroom.

    DEBUG=1 .venv/bin/python bench/public_pages.py [--stories 5000] [--runs 20]

Runs against the configured database (DATABASE_URL, or the SQLite file), adds
the synthetic stories inside a transaction and rolls it back at the end, so
nothing is left behind. Prints, for each page, the median and worst time and
the number of SQL queries, then the query plan of the All news listing.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.models import (  # noqa: E402
    Article, Author, Byline, Place, Section, Status, Tag, TaggedArticle,
)  # fmt: skip


class Rollback(Exception):
    pass


def populate(count):
    sections = [Section.objects.create(name=f"Bench {i}", slug=f"bench-{i}") for i in range(8)]
    places = [
        Place.objects.create(name=f"BENCH {i}", slug=f"bench-{i}", time_zone="Europe/Moscow")
        for i in range(50)
    ]
    authors = [Author.objects.create(name=f"Bench {i}", slug=f"bench-{i}") for i in range(40)]
    tags = [Tag.objects.create(name=f"bench {i}", slug=f"bench-{i}") for i in range(200)]
    start = timezone.now() - datetime.timedelta(days=count // 20 + 1)
    articles = Article.objects.bulk_create(
        Article(
            headline=f"Bench story {n}",
            slug=f"bench-story-{n}",
            standfirst="A synthetic story for timing pages.",
            body="<p>Text.</p>" * 10,
            section=sections[n % len(sections)],
            place=places[n % len(places)],
            status=Status.PUBLISHED if n % 10 else Status.DRAFT,
            published_at=start + datetime.timedelta(minutes=72 * n),
        )
        for n in range(count)
    )
    Byline.objects.bulk_create(
        Byline(article=a, author=authors[(a.pk + k) % len(authors)], position=k)
        for a in articles
        for k in range(2)
    )
    TaggedArticle.objects.bulk_create(
        TaggedArticle(content_object=a, tag=tags[(a.pk * 7 + k) % len(tags)])
        for a in articles
        for k in range(3)
    )
    live = Article.objects.live().latest()
    return [
        "/",
        "/news/",
        "/news/?page=10",
        f"/{live.published_at:%Y}/",
        timezone.localtime(live.published_at).strftime("/%Y/%m/%d/"),
        live.get_absolute_url(),
        "/datelines/",
        f"/datelines/{places[1].slug}/",
        f"/sections/{sections[0].slug}/",
        f"/tags/{tags[0].slug}/",
        f"/authors/{authors[0].slug}/",
        "/feeds/rss/",
        "/feeds/atom/",
        "/sitemap.xml",
        f"/sitemap-{live.published_at:%Y-%m}.xml",
        "/sitemap-news.xml",
        "/api/ninjs/items/",
        "/search/?q=synthetic+story",
    ]


def time_url(client, url, runs):
    """The median and worst time of ``runs`` requests, in ms, and the last one's queries."""
    timings = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings), max(timings), queries


def measure(urls, runs):
    client = Client()
    print(f"{'page':<40} {'median ms':>10} {'worst ms':>10} {'queries':>8}")
    for url in urls:
        median, worst, queries = time_url(client, url, runs)
        print(
            f"{url:<40} {median:>10.1f} {worst:>10.1f}"
            f" {len(queries):>8}"
        )


def explain():
    listing = Article.objects.live().order_by("-published_at")[:20]
    print("\nAll news listing plan:")
    print(listing.explain())
    if connection.vendor == "postgresql":
        from articles import search

        print("\nSearch plan (a selective word; a word in every story is read by a scan):")
        print(search.matching(Article.objects.live(), "Zapad").explain())


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--stories", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.SECURE_SSL_REDIRECT = False
    print(f"{connection.vendor}: {args.stories} stories, {args.runs} runs a page\n")
    try:
        with transaction.atomic():
            urls = populate(args.stories)
            from articles import search

            search.reindex(Article.objects.all())
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            measure(urls, args.runs)
            explain()
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
