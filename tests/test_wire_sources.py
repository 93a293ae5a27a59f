"""
The ingest service's checks (articles/wire/sources.py): drop folders and
HTTP feeds, each item once, files moved when read, errors kept and retried.
"""

import datetime
import json
import os
import shutil
import socket
import time
from pathlib import Path

import pytest
from django.utils import timezone

from articles import wire
from articles.models import Article, ArticleRevision, Status, WireReceipt, WireSource
from articles.wire import sources
from tests.factories import make_agency, make_section

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "wire"
SEED = (DATA / "text" / "000_8ed40d542d1fccef.txt").read_bytes()
NEWSML = (DATA / "newsml-g2" / "LISTING_2_NewsML-G2_Text_Document.xml").read_bytes()
PHOTO = (DATA / "newsml-g2" / "LISTING_3_Photo_in_NewsML-G2.xml").read_bytes()
ATOM = (DATA / "feeds" / "atom.xml").read_bytes()
OSLO = b"Ferry service resumes\n\nThe fjord crossing reopened.\n\nOSLO, Nov 30 - The ferry ran again.\n"


@pytest.fixture
def inbox(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    return folder


def drop(folder, name, data, *, age=60):
    """A file as an agency leaves it; ``age`` seconds since it was last written."""
    path = folder / name
    path.write_bytes(data)
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def folder_source(folder, **fields):
    return WireSource.objects.create(name="Inbox", address=str(folder), **fields)


def check(source):
    return sources.check(source, by=wire.system_user())


def filed(folder, kind):
    """The files moved into the drop folder's _PROCESSED or _ERROR folder, by name."""
    return sorted(p.name for p in (folder / kind).rglob("*") if p.is_file())


def headlines():
    return sorted(Article.objects.values_list("headline", flat=True))


# Drop folders


def test_delivered_files_become_drafts_and_are_moved_out_of_the_way(inbox):
    drop(inbox, "seed.txt", SEED)
    drop(inbox, "fed.xml", NEWSML)
    drop(inbox, "photo.xml", PHOTO)
    source = folder_source(inbox)

    report = check(source)

    assert headlines() == [
        'Fed to halt QE to avert "bubble"',
        "Russian Defense Ministry confident relations with NATO will be restored",
    ]
    assert set(Article.objects.values_list("status", flat=True)) == {Status.DRAFT}
    assert any(line.startswith("skipped: photo.xml: Variety Of Recessionary Forces") for line in report.lines)
    assert [p.name for p in inbox.iterdir()] == ["_PROCESSED"]
    today = timezone.localdate().isoformat()
    assert sorted(p.name for p in (inbox / "_PROCESSED" / today).iterdir()) == [
        "fed.xml", "photo.xml", "seed.txt"
    ]  # fmt: skip
    source.refresh_from_db()
    assert source.last_success_at is not None and source.last_error == ""
    assert WireReceipt.objects.filter(source=source, action="create").count() == 2


def test_a_file_still_being_written_is_left_until_it_is_complete(inbox):
    source = folder_source(inbox)
    half = drop(inbox, "fed.xml", NEWSML[: len(NEWSML) // 2], age=0)  # written a moment ago
    drop(inbox, "seed.txt.part", SEED)  # an upload's temporary name

    assert check(source).problems == []
    assert headlines() == [] and half.exists()

    drop(inbox, "fed.xml", NEWSML)  # the upload finished some time ago
    (inbox / "seed.txt.part").rename(inbox / "seed.txt")
    check(source)

    assert len(headlines()) == 2
    assert filed(inbox, "_PROCESSED") == ["fed.xml", "seed.txt"]


def test_an_unreadable_file_is_kept_with_the_reason_and_the_others_go_in(inbox):
    drop(inbox, "cut.xml", NEWSML[:300])
    drop(inbox, "seed.txt", SEED)
    source = folder_source(inbox, interval=60)

    report = check(source)

    assert len(headlines()) == 1
    assert filed(inbox, "_ERROR") == ["cut.xml", "cut.xml.error.txt"]
    (why,) = (inbox / "_ERROR").rglob("*.error.txt")
    assert why.read_text().startswith("truncated XML: it stops at line")
    assert report.problems == [f"cut.xml: {why.read_text().strip()} (moved to _ERROR)"]
    source.refresh_from_db()
    assert source.last_error.startswith("cut.xml: truncated XML")
    # The source itself is fine: checked again at its usual interval.
    assert source.failures == 0
    assert source.next_check_at - source.last_checked_at == datetime.timedelta(seconds=60)


def ninjs(version, text):
    item = {"uri": "urn:test:ferry", "version": str(version), "headline": "Ferry", "body_text": text}
    return json.dumps(item).encode()


def test_the_same_file_delivered_again_is_not_imported_again_but_a_new_version_is(inbox):
    source = folder_source(inbox)
    drop(inbox, "ferry.json", ninjs(1, "The ferry ran."))
    check(source)
    drop(inbox, "ferry.json", ninjs(1, "The ferry ran."))  # the agency sends it again

    check(source)

    story = Article.objects.get()
    assert ArticleRevision.objects.filter(article=story).count() == 1
    assert filed(inbox, "_PROCESSED") == ["ferry-1.json", "ferry.json"]  # both kept, neither lost

    drop(inbox, "ferry.json", ninjs(2, "The ferry ran again."))
    check(source)

    story.refresh_from_db()
    assert story.body == "<p>The ferry ran again.</p>"
    assert ArticleRevision.objects.filter(article=story).count() == 2
    assert list(source.receipts.values_list("action", flat=True).order_by("pk")) == [
        "create", "update"
    ]  # fmt: skip


def test_a_source_files_its_agency_and_section_and_publishes_when_set(inbox):
    agency = make_agency(name="NTB", mark="(NTB)")
    section = make_section(name="Nordic")
    source = folder_source(inbox, agency=agency, section=section, publish=True)
    drop(inbox, "oslo.txt", OSLO)
    drop(inbox, "seed.txt", SEED)  # has a section and an agency of its own

    check(source)

    oslo = Article.objects.get(headline="Ferry service resumes")
    assert (oslo.agency, oslo.section, oslo.status) == (agency, section, Status.PUBLISHED)
    assert Article.objects.live().filter(pk=oslo.pk).exists()
    seed = Article.objects.exclude(pk=oslo.pk).get()
    assert (seed.agency.name, seed.section.name) == ("TASS", "All news")


def test_a_source_that_publishes_keeps_an_embargoed_story_a_draft(inbox):
    later = (timezone.now() + datetime.timedelta(hours=3)).isoformat()
    item = {"uri": "urn:test:embargo", "headline": "Budget figures", "body_text": "Out at noon.",
            "embargoed": later}  # fmt: skip
    drop(inbox, "budget.json", json.dumps(item).encode())
    source = folder_source(inbox, publish=True)

    check(source)

    story = Article.objects.get()
    assert story.status == Status.PUBLISHED and not story.is_live  # held until the embargo
    assert not Article.objects.live().exists()


def test_a_check_the_importer_may_not_save_stops_and_keeps_the_file(inbox):
    drop(inbox, "seed.txt", SEED)
    source = folder_source(inbox, interval=10)
    user = wire.system_user()
    user.groups.clear()  # someone took the wire account's rights away

    report = sources.check(source, by=type(user).objects.get(pk=user.pk))

    assert report.stopped and "not imported: You may not edit this story" in report.problems[0]
    assert (inbox / "seed.txt").exists() and not Article.objects.exists()
    source.refresh_from_db()
    assert source.failures == 1
    assert source.next_check_at - source.last_checked_at == datetime.timedelta(seconds=20)


def test_a_missing_folder_is_an_error_that_says_where(tmp_path):
    source = folder_source(tmp_path / "gone")

    report = check(source)

    assert report.problems == [f"{tmp_path / 'gone'} is not a folder this service can read"]


def test_symbolic_links_in_a_drop_folder_are_not_followed(inbox, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_bytes(OSLO)
    (inbox / "link.txt").symlink_to(secret)

    report = check(folder_source(inbox))

    assert report.problems == [f"{inbox / 'link.txt'}: a symbolic link, not followed"]
    assert not Article.objects.exists()


# HTTP feeds


def feed_source(url, **fields):
    return WireSource.objects.create(name="Feed", kind=WireSource.Kind.FEED, address=url, **fields)


def test_a_feed_is_imported_once_and_asked_again_only_for_changes(feed_server):
    feed_server.serve("/world.atom", ATOM, ETag='"v1"')
    source = feed_source(feed_server.url("/world.atom"))

    check(source)
    check(source)

    assert headlines() == ["Storm closes Baltic ports", "Talks on grain exports to resume next week"]
    assert feed_server.requests[1][1]["If-None-Match"] == '"v1"'
    assert ArticleRevision.objects.count() == 2

    changed = ATOM.replace(b"30 metres a second", b"35 metres a second")
    changed = changed.replace(b"2026-11-30T09:04:00Z", b"2026-11-30T09:30:00Z")
    feed_server.serve("/world.atom", changed, ETag='"v2"')
    report = check(source)

    assert [line.split(":")[0] for line in report.lines] == ["updated"]
    assert "35 metres a second" in Article.objects.get(headline__startswith="Storm").body


def test_a_ninjs_api_is_read_through_its_envelope_with_a_token(feed_server, monkeypatch):
    items = [
        {"uri": f"urn:test:{n}", "type": "text", "headline": f"Story {n}", "body_text": "Text."}
        for n in (1, 2)
    ]
    feed_server.serve("/v1/items", json.dumps({"data": {"items": items}}).encode())
    source = WireSource.objects.create(
        name="API", kind=WireSource.Kind.NINJS, address=feed_server.url("/v1/items"),
        credentials_variable="WIRE_API_TOKEN",
    )  # fmt: skip
    monkeypatch.delenv("WIRE_API_TOKEN", raising=False)

    assert check(source).problems == [
        "the environment variable WIRE_API_TOKEN holding its credentials is not set "
        "for the ingest service"
    ]
    assert feed_server.requests == []  # nothing sent without them

    monkeypatch.setenv("WIRE_API_TOKEN", "s3cret")
    check(source)

    assert headlines() == ["Story 1", "Story 2"]
    assert feed_server.requests[0][1]["Authorization"] == "Bearer s3cret"


def test_a_user_and_password_are_sent_as_basic_authentication(feed_server, monkeypatch):
    feed_server.serve("/world.atom", ATOM)
    monkeypatch.setenv("WIRE_FEED_LOGIN", "desk:pass word")
    check(feed_source(feed_server.url("/world.atom"), credentials_variable="WIRE_FEED_LOGIN"))

    assert feed_server.requests[0][1]["Authorization"] == "Basic ZGVzazpwYXNzIHdvcmQ="


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_feed_that_fails_is_checked_less_often_until_it_answers(feed_server):
    source = feed_source(f"http://127.0.0.1:{closed_port()}/feed", interval=1000)

    first = check(source)
    check(source)

    assert first.problems[0].startswith("the feed cannot be reached:")
    assert source.failures == 2
    assert source.next_check_at - source.last_checked_at == datetime.timedelta(hours=1)  # 4000 s, capped

    feed_server.serve("/world.atom", ATOM)
    feed_server.answers["/world.atom"] = 503
    source.address = feed_server.url("/world.atom")
    assert check(source).problems == ["the feed answered 503 Service Unavailable"]

    del feed_server.answers["/world.atom"]
    check(source)
    source.refresh_from_db()
    assert source.failures == 0 and len(headlines()) == 2
    assert source.last_success_at > source.last_error_at  # the last error stays on record


def test_a_feed_cut_off_mid_answer_is_an_error_of_that_source(feed_server):
    feed_server.serve("/cut.atom", ATOM[:200], **{"Content-Length": str(len(ATOM))})

    report = check(feed_source(feed_server.url("/cut.atom")))

    assert report.stopped
    assert report.problems == [f"the feed's answer was cut off: 200 of {len(ATOM)} bytes came"]
    assert not Article.objects.exists()


def test_a_feed_answer_that_is_not_wire_copy_says_so(feed_server):
    feed_server.serve("/page", b"<html><body>Login</body></html>")

    report = check(feed_source(feed_server.url("/page")))

    assert report.problems == [
        "its answer cannot be read: XML, but not NewsML-G2, NITF, Atom or RSS (its root element is <html>)"
    ]


# Which source next


def test_due_sources_are_the_enabled_ones_whose_time_has_come(inbox):
    now = timezone.now()
    new = folder_source(inbox)
    waiting = WireSource.objects.create(name="Later", address="/srv/later", next_check_at=now + datetime.timedelta(minutes=1))
    overdue = WireSource.objects.create(name="Overdue", address="/srv/a", next_check_at=now - datetime.timedelta(minutes=1))
    WireSource.objects.create(name="Paused", address="/srv/b", enabled=False)

    assert sources.due(now) == [new, overdue]  # never checked first
    assert waiting not in sources.due(now)


def test_only_one_service_claims_a_check(inbox):
    source = folder_source(inbox)
    other_service_copy = WireSource.objects.get(pk=source.pk)

    assert sources.claim(source) is True
    assert sources.claim(other_service_copy) is False


def test_the_folder_reader_of_import_wire_is_shared_and_skips_the_service_folders(inbox):
    drop(inbox, "seed.txt", SEED)
    shutil.copytree(inbox, inbox / "_PROCESSED")

    files, _ = wire.folder_files(inbox, skip={"_PROCESSED"})

    assert files == [inbox / "seed.txt"]
