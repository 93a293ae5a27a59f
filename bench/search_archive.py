"""
Search over an archive-sized newsroom, on PostgreSQL.

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_big \
        .venv/bin/python bench/search_archive.py --stories 100000

Meant for a database of its own: migrates it, fills it with synthetic stories
(about 600 words each, 3-6 of 500 tags, 1-3 of 200 authors, 300 dateline
places, three years of dates) written by SQL, builds the search index with
search.rebuild() and prints its rate, then times the public search for a word
in most stories, a word in a few percent, a rare word, a phrase, a prefix and
a word common only in one month two years ago, and the admin's story search,
with the query plan of each. Run again with --reuse to time the searches
over the stories already there, and add --copies 9 to make ten times as
many first (copies of each story, with its search columns, minutes apart:
a quick way to a million). Nothing is ever deleted: drop the database when
done.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from articles import search  # noqa: E402
from articles.models import Article  # noqa: E402
from public_pages import time_url  # noqa: E402  (this folder is on the path)

LATIN = "ka ro mi te su la no vi de pa ri zo be tu ga le si mo fa ne".split()
CYRILLIC = "ка ро ми те су ла но ви де па ри зо бе ту га ле си мо фа не".split()
VOCABULARY = 30_000  # words; a word's frequency falls as 1/rank (Zipf)


def word_sql(rank):
    """SQL for the vocabulary's word of a given rank: Latin for even ranks, Cyrillic for odd."""
    parts = [f"({rank} / 2) %% 20", f"({rank} / 40) %% 20", f"({rank} / 800) %% 20"]
    latin = " || ".join(f"(ARRAY{LATIN})[1 + {p}]" for p in parts)
    cyrillic = " || ".join(f"(ARRAY{CYRILLIC})[1 + {p}]" for p in parts)
    return f"(CASE WHEN {rank} %% 2 = 0 THEN {latin} ELSE {cyrillic} END)"


def word(rank):
    letters = LATIN if rank % 2 == 0 else CYRILLIC
    return "".join(letters[p % 20] for p in (rank // 2, rank // 40, rank // 800))


RANDOM_WORD = word_sql(f"floor(exp(random() * ln({VOCABULARY})))::int")


def text_sql(words, seed):
    # The seed ties the subquery to each row, so PostgreSQL does not run it once for all.
    return (
        f"(SELECT string_agg({RANDOM_WORD}, ' ') FROM generate_series(1, {words} + 0 * {seed}))"
    )


def populate(count):
    days = 3 * 365
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO articles_section (name, slug, description, position) "
            "SELECT 'Section ' || g, 'section-' || g, '', g FROM generate_series(1, 8) g;"
            "INSERT INTO articles_place (name, slug, region, country, time_zone, needs_review) "
            "SELECT 'PLACE ' || g, 'place-' || g, CASE WHEN g % 3 = 0 THEN 'Ore.' ELSE '' END,"
            " '', 'Europe/Moscow', false FROM generate_series(1, 300) g;"
            "INSERT INTO articles_author (name, slug, job_title, bio, photo) "
            "SELECT 'Author ' || g || ' Reporter', 'author-' || g, '', '', '' "
            "FROM generate_series(1, 200) g;"
            "INSERT INTO articles_tag (name, slug) "
            "SELECT 'Topic ' || g, 'topic-' || g FROM generate_series(1, 500) g;"
        )
        started = time.perf_counter()
        cursor.execute(
            f"""
            INSERT INTO articles_article (
                headline, slug, standfirst, body, image, image_caption, image_credit,
                image_alt, status, published_at, created_at, updated_at, version,
                dateline_date_text, dateline_override, search_document, section_id, place_id
            )
            SELECT {text_sql(8, "g")}, 'story-' || g, {text_sql(25, "g")},
                '<p>' || {text_sql(100, "g")} || ' &amp; ' || {text_sql(100, "g")} || '</p><p>'
                || {text_sql(100, "g")} || '</p><h2>' || {text_sql(6, "g")} || '</h2><p>'
                || {text_sql(100, "g")} || '</p><p>' || {text_sql(100, "g")} || '</p><p>'
                || {text_sql(94, "g")} || '</p>',
                '', '', '', '',
                CASE WHEN g %% 50 = 0 THEN 'draft' ELSE 'published' END,
                at, at, at, 1, '', '', '',
                (SELECT id FROM articles_section ORDER BY id LIMIT 1) + g %% 8,
                (SELECT id FROM articles_place ORDER BY id LIMIT 1) + g %% 300
            FROM generate_series(1, %s) g,
                LATERAL (SELECT now() - make_interval(secs => (%s - g) * %s)) t(at)
            """,
            [count, count, days * 86400 / count],
        )
        print(f"{count} stories written in {time.perf_counter() - started:.0f} s")
        cursor.execute(
            """
            INSERT INTO articles_taggedarticle (content_object_id, tag_id)
            SELECT DISTINCT a.id, t.first + (a.id * 7 + k * 131) % 500
            FROM articles_article a, generate_series(0, 2 + a.id % 4) k,
                (SELECT min(id) AS first FROM articles_tag) t;
            INSERT INTO articles_byline (article_id, author_id, role, position)
            SELECT a.id, u.first + (a.id * 13 + k * 37) % 200, '', k
            FROM articles_article a, generate_series(0, a.id % 3) k,
                (SELECT min(id) AS first FROM articles_author) u;
            """
        )
        mark_rare_and_clustered_words(cursor, count)


def mark_rare_and_clustered_words(cursor, count):
    """'unicornfield' in five stories; 'zapadexercise' in 3% of stories, all from one month."""
    cursor.execute(
        "UPDATE articles_article SET body = body || '<p>unicornfield</p>' "
        "WHERE id IN (SELECT id FROM articles_article ORDER BY id LIMIT 5 OFFSET %s)",
        [count // 3],
    )
    cursor.execute(
        "UPDATE articles_article SET body = body || '<p>zapadexercise</p>' WHERE id IN ("
        " SELECT id FROM articles_article ORDER BY id LIMIT %s OFFSET %s)",
        [count * 3 // 100, count // 3],
    )


def grow(copies):
    """
    Multiply the archive for timing searches: each story gets ``copies``
    copies, seconds apart, with its search columns as they are (no reindex),
    and the GIN index is built afresh once.
    """
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM articles_article")
        last = cursor.fetchone()[0]
        cursor.execute("DROP INDEX article_search_idx")
        cursor.execute(
            """
            INSERT INTO articles_article (
                headline, slug, standfirst, body, image, image_caption, image_credit,
                image_alt, status, published_at, created_at, updated_at, version,
                dateline_date_text, dateline_override, search_document, search_vector,
                section_id, place_id
            )
            SELECT headline, slug || '-copy-' || k, standfirst, body, '', '', '', '', status,
                published_at - make_interval(secs => k * 97), created_at,
                updated_at - make_interval(secs => k * 97), 1, '', '', search_document,
                search_vector, section_id, place_id
            FROM articles_article, generate_series(1, %s) k
            WHERE id <= %s
            """,
            [copies, last],
        )
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute("CREATE INDEX article_search_idx ON articles_article USING gin (search_vector)")
        cursor.execute("VACUUM ANALYZE articles_article")
    print(f"{copies} copies of each story in {time.perf_counter() - started:.0f} s")


def rebuild():
    started = time.perf_counter()
    search.rebuild(workers=2, progress=lambda done, total: print(f"  {done}/{total}", end="\r"))
    seconds = time.perf_counter() - started
    total = Article.objects.count()
    rate = total / seconds
    print(f"\nsearch.rebuild(): {total} stories in {seconds:.1f} s, {rate:.0f} a second")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE articles_article")


QUERIES = {
    "common word (most stories)": word(4),
    "word in a few percent": word(1000),
    "rare word": word(29_001),
    "word in five stories": "unicornfield",
    "word of one old month": "zapadexercise",
    "phrase": f'"{word(4)} {word(6)}"',
    "prefix": f"{word(1000)[:4]}*",
    "two common words": f"{word(4)} {word(8)}",
}


def measure(runs):
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.SECURE_SSL_REDIRECT = False
    settings.NEWSROOM_SEARCH_CACHE_SECONDS = 0
    settings.NEWSROOM_SEARCH_RATE = None
    public, staff = Client(), Client()
    user = get_user_model().objects.filter(username="bench").first()
    if user is None:
        user = get_user_model().objects.create_superuser("bench", password="bench")
    staff.force_login(user)
    print(f"\n{'search':<40} {'median ms':>10} {'worst ms':>10} {'queries':>8}")
    for label, q in QUERIES.items():
        for who, client, url in [
            ("site", public, "/search/"),
            ("admin", staff, "/admin/articles/article/"),
        ]:
            median, worst, queries = time_url(client, f"{url}?q={q}", runs)
            print(f"{who + ': ' + label:<40} {median:>10.1f} {worst:>10.1f} {len(queries):>8}")
        explain(q)


def explain(q):
    live = Article.objects.live()
    plan = search.search(live, q).ranking.explain(analyze=True, buffers=True)
    print("  ", plan.replace("\n", "\n   "))


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="time the stories already there")
    parser.add_argument("--no-explain", action="store_true")
    parser.add_argument("--copies", type=int, default=0, help="copy each story so many times")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL to a database of its own.")
    if not args.reuse:
        call_command("migrate", verbosity=0)
        if Article.objects.exists():
            sys.exit("This database has stories already: use --reuse, or a fresh database.")
        populate(args.stories)
        rebuild()
    if args.copies:
        grow(args.copies)
    if args.no_explain:
        global explain
        explain = lambda q: None  # noqa: E731
    measure(args.runs)


if __name__ == "__main__":
    main()
