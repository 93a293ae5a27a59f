"""
Test-only settings. The suite runs on SQLite by default and on PostgreSQL
when DATABASE_URL is set, with the same code.
"""

import tempfile

import pytest


def pytest_configure(config):
    from django.conf import settings

    settings.SECRET_KEY = "django-insecure-test-key"
    settings.SECURE_SSL_REDIRECT = False
    # Most tests change stories behind workflow's back (factories); the page
    # cache has tests of its own (test_pagecache.py) that switch it on.
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    # For the same reason, no process remembers counts, sections or banners
    # between requests; test_recent.py switches it on.
    settings.NEWSROOM_REMEMBER_MS = 0
    # Many tests search more often than a reader may; test_search_page.py
    # switches the limit and the results cache on.
    settings.NEWSROOM_SEARCH_RATE = None
    settings.NEWSROOM_SEARCH_CACHE_SECONDS = 0
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STATIC_ROOT = tempfile.mkdtemp(prefix="newsroom-static-")
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # A file, not memory: the ingest service's tests run it in processes
        # of its own, which must see the test database (tests/test_ingest_service.py).
        folder = tempfile.mkdtemp(prefix="newsroom-db-")
        database["TEST"] = {**database.get("TEST", {}), "NAME": f"{folder}/test.sqlite3"}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads go to a fresh folder per test, never into the project."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def fresh_cache(monkeypatch):
    from django.core.cache import cache

    from articles import recent
    from articles.pagecache import versions

    recent.forget()
    # The cache is checked against the database once per test, on its first
    # use, not once a second: pinned query counts must not depend on timing.
    monkeypatch.setattr(versions, "IN_STEP_SECONDS", float("inf"))
    monkeypatch.setattr(versions.InStep, "checked", float("-inf"))
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def page_cache(settings, monkeypatch):
    """The public page cache on, as in production, remembering nothing of earlier tests."""
    from articles.pagecache import middleware, versions

    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300
    monkeypatch.setattr(middleware, "hints", {})
    monkeypatch.setattr(versions.InStep, "checked", float("-inf"))
    monkeypatch.setattr(versions, "database_down", versions.DatabaseDown())
    monkeypatch.setattr(middleware, "recent", middleware.Recent())
    monkeypatch.setattr(versions, "outage", versions.Outage())


@pytest.fixture
def desk(django_capture_on_commit_callbacks):
    """An editor whose workflow actions commit (and so reach the page cache) as they would for real."""
    from tests.factories import make_editor

    editor = make_editor()

    def act(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, by=editor, **kwargs)

    return act


@pytest.fixture
def feed_server():
    """
    A local HTTP server for wire feeds: ``serve(path, body, **headers)``
    sets what a path answers; ``answers`` holds (path, status) for paths
    answering an error instead; ``requests`` records each request's path
    and headers.
    """
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        pages, answers, requests = {}, {}, []

        def serve(self, path, body, **headers):
            self.pages[path] = (body, headers)

        def url(self, path):
            return f"http://127.0.0.1:{self.server_port}{path}"

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            server = self.server
            server.requests.append((self.path, dict(self.headers)))
            if self.path in server.answers:
                self.send_error(server.answers[self.path])
                return
            if self.path not in server.pages:
                self.send_error(404)
                return
            body, headers = server.pages[self.path]
            etag = headers.get("ETag")
            if etag and self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            headers = {"Content-Length": str(len(body)), **headers}  # a page may claim more than it sends
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = Server(("127.0.0.1", 0), Handler)
    server.pages, server.answers, server.requests = {}, {}, []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
