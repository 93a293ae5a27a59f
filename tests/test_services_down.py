"""
Fault injection: the site with its own Redis stopped, and restarted from an
old snapshot; and with the database gone while pages are cached. A Redis of
the test's own on a free port is started and stopped, never the shared one.
"""

import os
import shutil
import socket
import subprocess
import time

import pytest
from django.core.cache import cache, caches
from django.db import OperationalError
from django.urls import reverse

from articles import workflow
from articles.pagecache import middleware, versions
from tests.factories import article_form_data, make_article, make_live, make_user

pytestmark = pytest.mark.django_db

REDIS_SERVER = shutil.which("redis-server")
if REDIS_SERVER is None:
    if os.environ.get("CI"):
        raise RuntimeError("redis-server is missing: CI runs these tests against a Redis of their own.")
    pytest.skip("redis-server is not installed", allow_module_level=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class OwnRedis:
    """A redis-server process on its own port, keeping its snapshot in ``folder``."""

    def __init__(self, folder):
        self.port, self.folder, self.process = free_port(), folder, None

    def start(self):
        command = [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder)]
        command += ["--dbfilename", "snapshot.rdb", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not self.answers():
            assert time.monotonic() < deadline, "the test's Redis did not start"
            time.sleep(0.05)

    def answers(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def command(self, *words):
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as conn:
            conn.sendall(" ".join(words).encode() + b"\r\n")
            return conn.recv(64)

    def snapshot(self):
        assert self.command("SAVE").startswith(b"+OK")

    def stop(self):
        self.process.kill()  # as a crash would: nothing saved on the way out
        self.process.wait()


@pytest.fixture
def own_redis(settings, tmp_path, page_cache):
    redis = OwnRedis(tmp_path)
    redis.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{redis.port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
    yield redis
    if redis.process.poll() is None:
        redis.stop()
    caches["default"].close()


def cache_answers_again():
    """Until the restarted Redis answers this process, then as if the retry interval had passed."""
    deadline = time.monotonic() + 10
    while True:
        try:
            cache.set("newsroom:test:ping", 1)
            break
        except versions.CACHE_ERRORS:
            assert time.monotonic() < deadline, "the restarted Redis never answered"
            time.sleep(0.05)
    versions.outage.until = 0
    versions.InStep.checked = float("-inf")  # a second has passed


def served(client, url):
    response = client.get(url)
    return response.status_code, response.get("X-Page-Cache"), response.content.decode()


def test_with_its_redis_stopped_pages_come_from_the_database_and_saves_succeed(client, own_redis):
    story = make_live(headline="Harvest record in Kuban")
    for url in ["/", "/news/", story.get_absolute_url()]:
        assert served(client, url)[0] == 200  # cached

    own_redis.stop()

    for url in ["/", "/news/", story.get_absolute_url(), "/feeds/rss/", "/sitemap-news.xml"]:
        status, _how, page = served(client, url)
        assert status == 200, url
        assert "Harvest record" in page, url
    editor = make_user("chief", "Editor", is_superuser=True)
    client.force_login(editor)
    change = reverse("admin:articles_article_change", args=[story.pk])
    response = client.post(change, article_form_data(story, headline="Saved while Redis was down"))
    assert response.status_code == 302
    client.logout()
    assert "Saved while Redis was down" in served(client, story.get_absolute_url())[2]


def test_redis_restarted_from_an_old_snapshot_serves_no_withdrawn_story(client, own_redis, desk):
    story = make_live(headline="Minister resigns")
    url = story.get_absolute_url()
    for address in [url, "/news/"]:
        served(client, address)
        assert served(client, address)[1] == "hit"
    own_redis.snapshot()  # the pages, with the story up
    own_redis.stop()

    desk(workflow.withdraw, story, reason="Wrong figures")  # while Redis is down
    versions.outage.take()  # made on another app server: this one owes the cache nothing

    own_redis.start()  # from the snapshot: the story's pages as they were
    cache_answers_again()

    assert served(client, url)[0] == 410
    status, _how, page = served(client, "/news/")
    assert status == 200 and "Minister resigns" not in page
    assert served(client, "/news/")[1] == "hit"  # the cache works again, in step


def test_cached_pages_are_served_while_the_database_is_down_and_others_say_so(
    client, own_redis, monkeypatch
):
    story = make_live(headline="Harvest record in Kuban")
    served(client, "/news/")
    assert served(client, "/news/")[1] == "hit"
    versions.InStep.checked = float("-inf")

    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    # The database gone: every query fails as a refused connection does.
    from django.db.backends.utils import CursorWrapper

    monkeypatch.setattr(CursorWrapper, "execute", unreachable)
    monkeypatch.setattr(middleware, "recent", middleware.Recent())
    cache.delete(versions.SCHEDULE)  # a scheduled time has fallen due: the cache asks the database

    for _ in range(2):  # the first finds the schedule lost, and every page outdated
        status, how, page = served(client, "/news/")
        assert status == 200 and how in ("hit", "stale") and "Harvest record" in page
    response = client.get(story.get_absolute_url())  # never cached
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "database is not answering" in response.content.decode()


def test_an_outdated_page_is_served_as_it_was_when_the_database_cannot_render_it(
    client, own_redis, monkeypatch
):
    make_live(headline="Harvest record in Kuban")
    served(client, "/news/")
    versions.bump([versions.LIVE])  # changed elsewhere just before the database went
    monkeypatch.setattr(middleware, "recent", middleware.Recent())
    versions.InStep.checked = float("-inf")
    from django.db.backends.utils import CursorWrapper

    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", unreachable)

    status, how, page = served(client, "/news/")

    assert (status, how) == (200, "stale") and "Harvest record" in page
