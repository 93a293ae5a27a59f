"""
The page cache under a busy wire desk: stories keep coming while readers
keep reading, every page shows a change within 2 s, most reads are hits,
and a page many readers want at once is rendered once.
"""

import datetime
import random
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test.signals import template_rendered

from articles import workflow
from tests.factories import make_article, make_editor, make_live, make_place

START = datetime.datetime(2026, 6, 20, 9, 0, tzinfo=datetime.UTC)
TAGS, PLACES = ["rates", "harvest", "derby"], ["moscow", "kazan"]

pytestmark = pytest.mark.usefixtures("page_cache")


def showing(story, tag, place):
    """The pages a new story must appear on."""
    return [
        "/", "/news/", "/feeds/rss/", "/feeds/atom/", "/api/ninjs/items/", "/sitemap-news.xml",
        f"/tags/{tag}/", f"/datelines/{place}/", "/2026/06/20/", story.get_absolute_url(),
    ]  # fmt: skip


@pytest.mark.django_db
def test_a_busy_desk_shows_every_story_within_two_seconds_from_the_cache(
    client, django_capture_on_commit_callbacks
):
    rng = random.Random(7)
    editor = make_editor()
    places = {slug: make_place(slug=slug) for slug in PLACES}
    archive = [
        make_live(published_at=START - datetime.timedelta(hours=5 * n), place=places[PLACES[n % 2]],
                  tags=[TAGS[n % 3]])
        for n in range(1, 30)
    ]  # fmt: skip
    reading = sorted({url for story in archive[:3] for url in showing(story, "rates", "moscow")})
    reading += [story.get_absolute_url() for story in archive[3:12]]
    reading += ["/datelines/", "/2026/06/19/", "/2026/06/", "/sitemap.xml", "/tags/derby/"]
    published, reads, hits = [], 0, 0
    with time_machine.travel(START, tick=False) as clock:
        for n in range(6):  # a story every 6 s
            tag, place = TAGS[n % 3], PLACES[n % 2]
            story = make_article(headline=f"Flash {n}", place=places[place], tags=[tag])
            with django_capture_on_commit_callbacks(execute=True):
                workflow.publish(story, by=editor)
            published.append((time.time(), story, showing(story, tag, place)))
            reading.append(story.get_absolute_url())
            for _ in range(300):  # 50 reads a second
                clock.shift(0.02)
                url = rng.choice(reading + published[-1][2])
                response = client.get(url)
                assert response.status_code == 200, url
                reads, hits = reads + 1, hits + (response["X-Page-Cache"] == "hit")
                text = response.content.decode()
                for at, older, pages in published:
                    if url in pages and time.time() - at >= 2:
                        assert older.headline in text, (url, older.headline)
    assert hits / reads >= 0.9, f"{hits} hits in {reads} reads"


# Many readers at once, against a running server


@pytest.fixture
def slow_render():
    """Each render of All news takes `seconds`, and is counted."""
    state = {"seconds": 0.0, "renders": 0, "started": threading.Event()}

    def render(sender, template, **kwargs):
        if template.name == "articles/article_archive.html":
            state["renders"] += 1
            state["started"].set()
            time.sleep(state["seconds"])

    template_rendered.connect(render)
    yield state
    template_rendered.disconnect(render)


def read(url):
    """When the request began, how the cache answered, the page, its Cache-Control."""
    started = time.time()
    with urllib.request.urlopen(url, timeout=10) as response:
        headers = response.headers
        return started, headers["X-Page-Cache"], response.read().decode(), headers["Cache-Control"]


def readers(url, count, *, wait=0.0):
    pool = ThreadPoolExecutor(count)
    barrier = threading.Barrier(count)

    def one(n):
        barrier.wait()
        time.sleep(wait * n)
        return read(url)

    return pool, [pool.submit(one, n) for n in range(count)]


@pytest.mark.django_db(transaction=True)
def test_many_readers_of_a_page_nobody_has_cached_render_it_once(live_server, slow_render):
    make_live(headline="Only story")
    read(f"{live_server.url}/")  # the very first request starts every page afresh
    # A process's first render of a template loads and compiles it, which on a
    # busy machine can outlast the readers' wait: done here, on another address.
    read(f"{live_server.url}/news/?warm=1")
    slow_render.update(seconds=0.5, renders=0)
    pool, answers = readers(f"{live_server.url}/news/", 8)
    results = [answer.result() for answer in answers]
    pool.shutdown()

    assert slow_render["renders"] == 1
    assert sorted(outcome for _, outcome, _, _ in results) == ["hit"] * 7 + ["miss"]
    assert all("Only story" in text for _, _, text, _ in results)


@pytest.mark.django_db(transaction=True)
def test_while_a_changed_page_renders_readers_get_the_last_copy_for_a_second_at_most(
    live_server, slow_render
):
    url = f"{live_server.url}/news/"
    make_live(headline="First story")
    read(url)
    assert read(url)[1] == "hit"

    # Transactional tests start without the roles the migrations make.
    chief = User.objects.create_superuser("chief", password="pw")
    workflow.publish(make_article(headline="Second story"), by=chief)  # commits: outdated
    changed = time.time()
    slow_render.update(seconds=2.0, renders=0)
    slow_render["started"].clear()
    renderer = ThreadPoolExecutor(1).submit(read, url)
    assert slow_render["started"].wait(5)
    pool, answers = readers(url, 8, wait=0.2)  # one every 0.2 s while it renders
    results = [answer.result() for answer in answers] + [renderer.result()]
    pool.shutdown()

    assert slow_render["renders"] == 1
    for started, outcome, text, cache_control in results:
        if started - changed >= 1.0:
            assert "Second story" in text, f"stale {started - changed:.2f} s after the change"
        elif outcome == "stale":
            assert "First story" in text and "Second story" not in text
            assert cache_control == "no-cache"  # no edge keeps it longer
    early = [outcome for started, outcome, _, _ in results if started - changed < 0.8]
    assert "stale" in early and "Second story" in results[-1][2]
