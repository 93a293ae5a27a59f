"""
``manage.py ingest`` as it runs for real: in processes of its own, on the
test database, against a drop folder and a local HTTP feed. It takes in
what arrives while it runs, loses and repeats nothing when killed, and two
of it at once import each item once.
"""

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db import connection

from articles.models import Article, ArticleRevision, WireReceipt, WireSource

pytestmark = pytest.mark.django_db(transaction=True)

MANAGE = Path(__file__).resolve().parent.parent / "manage.py"
WAIT = 30  # seconds: the longest any step may take before the test gives up


def database_url():
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def start(*args, log):
    """The ingest service in a process of its own, logging to ``log``."""
    env = {**os.environ, "DATABASE_URL": database_url(), "DEBUG": "1"}
    env["NEWSROOM_INGEST_SETTLE_SECONDS"] = "0"  # the tests deliver each file whole, by renaming
    command = [sys.executable, str(MANAGE), "ingest", "--user", "chief", *args]
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_for(condition, what, log=None):
    deadline = time.monotonic() + WAIT
    while not condition():
        said = log.read_text() if log else ""
        assert time.monotonic() < deadline, f"waited {WAIT} s for {what}; the service said:\n{said}"
        time.sleep(0.05)


def deliver(folder, name, data):
    """As an FTP server does: written under a temporary name, then renamed."""
    (folder / f"{name}.part").write_bytes(data)
    (folder / f"{name}.part").rename(folder / name)


def ninjs(uri, headline):
    return {"uri": uri, "type": "text", "headline": headline, "body_text": f"{headline}. Text."}


def atom(*entries):
    body = "".join(
        f"<entry><id>urn:feed:{n}</id><title>Feed story {n}</title><updated>2026-11-30T09:00:00Z"
        f"</updated><content type='html'>&lt;p&gt;Story {n}.&lt;/p&gt;</content></entry>"
        for n in entries
    )
    return f'<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>{body}</feed>'.encode()


@pytest.fixture
def chief():
    # Transactional tests start without the groups the migrations make.
    return User.objects.create_superuser("chief", password="pw")


@pytest.fixture
def inbox(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    return folder


def each_story_once(expected):
    """Every expected headline once, each story with one revision and one receipt."""
    assert sorted(Article.objects.values_list("headline", flat=True)) == sorted(expected)
    assert set(ArticleRevision.objects.values_list("article", flat=True).order_by()) == set(
        Article.objects.values_list("pk", flat=True)
    )
    assert ArticleRevision.objects.count() == len(expected)
    assert WireReceipt.objects.filter(action="create").count() == len(expected)


def test_the_service_takes_in_what_arrives_while_it_runs(chief, inbox, feed_server, tmp_path):
    feed_server.serve("/wire.atom", atom(1))
    WireSource.objects.create(name="Folder", address=str(inbox), interval=1)
    WireSource.objects.create(name="Feed", kind="feed", address=feed_server.url("/wire.atom"), interval=1)
    with open(tmp_path / "log", "w") as log:
        service = start(log=log)
        try:
            said = tmp_path / "log"
            wait_for(lambda: Article.objects.filter(headline="Feed story 1").exists(), "the feed", said)
            deliver(inbox, "ferry.json", json.dumps(ninjs("urn:ferry", "Ferry resumes")).encode())
            wait_for(lambda: Article.objects.filter(headline="Ferry resumes").exists(), "the file", said)
            feed_server.serve("/wire.atom", atom(1, 2))
            wait_for(lambda: Article.objects.filter(headline="Feed story 2").exists(), "the new entry", said)
            wait_for(lambda: not (inbox / "ferry.json").exists(), "the file to be moved", said)
        finally:
            service.send_signal(signal.SIGTERM)
            code = service.wait(WAIT)

    assert code == 0
    each_story_once(["Feed story 1", "Feed story 2", "Ferry resumes"])
    log = (tmp_path / "log").read_text()
    assert "Folder: created: ferry.json: Ferry resumes" in log
    assert log.rstrip().endswith("ingest service stopped")


def test_a_service_killed_mid_file_loses_nothing_and_repeats_nothing(chief, inbox, tmp_path):
    headlines = [f"Story {n}" for n in range(120)]
    batch = [ninjs(f"urn:batch:{n}", headline) for n, headline in enumerate(headlines[:100])]
    deliver(inbox, "batch.json", json.dumps(batch).encode())
    for n, headline in enumerate(headlines[100:], 100):
        deliver(inbox, f"single-{n}.json", json.dumps(ninjs(f"urn:single:{n}", headline)).encode())
    WireSource.objects.create(name="Folder", address=str(inbox), interval=1)

    with open(tmp_path / "log", "w") as log:
        service = start(log=log)
        wait_for(lambda: WireReceipt.objects.count() >= 3, "the first items")
        service.kill()  # SIGKILL: no chance to tidy up
        service.wait(WAIT)
        killed_with = Article.objects.count()
        # Whatever it had done is whole: a story for each receipt, a receipt for each story.
        assert killed_with == WireReceipt.objects.filter(article__isnull=False).count()
        assert (inbox / "batch.json").exists()  # the file it was reading stays to be read again

        again = start("--once", log=log)
        assert again.wait(WAIT * 4) == 0, (tmp_path / "log").read_text()

    assert 3 <= killed_with < len(headlines)  # it really was stopped part way
    each_story_once(headlines)
    assert sorted(p.name for p in inbox.iterdir()) == ["_PROCESSED"]


def test_two_services_at_once_import_each_item_once(chief, inbox, feed_server, tmp_path):
    names = [f"File story {n}" for n in range(30)]
    for n, headline in enumerate(names):
        deliver(inbox, f"story_{n}.json", json.dumps(ninjs(f"urn:file:{n}", headline)).encode())
    feed_server.serve("/wire.atom", atom(*range(10)))
    WireSource.objects.create(name="Folder", address=str(inbox))
    WireSource.objects.create(name="Feed", kind="feed", address=feed_server.url("/wire.atom"))

    with open(tmp_path / "log", "w") as log:
        services = [start("--once", log=log) for _ in range(2)]
        codes = [service.wait(WAIT * 4) for service in services]

    assert codes == [0, 0], (tmp_path / "log").read_text()
    each_story_once(names + [f"Feed story {n}" for n in range(10)])
    # A file both read may be filed twice (story_7.json, story_7-1.json): a copy, never a loss.
    filed = {re.sub(r"-\d+\.json$", ".json", p.name) for p in (inbox / "_PROCESSED").rglob("*.json")}
    assert filed == {f"story_{n}.json" for n in range(30)}
    assert sorted(p.name for p in inbox.iterdir()) == ["_PROCESSED"]
