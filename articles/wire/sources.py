"""
The ingest service's work: ``check(source, by=user)`` takes in what one
WireSource has (a drop folder's delivered files, an HTTP feed's items)
and records on the source how it went. ``due()`` and ``claim()`` say
which source to check next, so that several services share the sources.

Every item is taken in its own transaction, which also claims its
receipt (the item's guid and content hash, unique): a service killed
mid-item leaves nothing half-written, and the same item, from a feed that
repeats it or from two services reading it at once, is imported once.
"""

import base64
import datetime
import hashlib
import http.client
import json
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from ..models import WireReceipt, WireSource
from . import folders
from .. import workflow
from .ingest import DONE, REFUSALS, ingest, refusal
from .item import NothingToImport, WireError
from .pictures import WirePicture
from .reader import read_bytes

MAX_BACKOFF = datetime.timedelta(hours=1)
MAX_FEED_BYTES = 20 * 1024 * 1024
FEED_TIMEOUT = 30  # seconds
USER_AGENT = "newsroom-ingest"
# Refusals that are the item's own doing; the other REFUSALS stop a check.
ITEM_REFUSALS = (ValidationError, workflow.TransitionError, workflow.ConflictError)


class SourceError(Exception):
    """A source that could not be checked at all: the message says why."""


@dataclass
class Report:
    """What one check did: items by action ("create", "update", "skip"), lines to log."""

    source: WireSource
    actions: Counter = field(default_factory=Counter)
    lines: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    stopped: bool = False  # the source could not be checked (to the end)

    def took(self, where, outcome):
        self.actions[outcome.action] += 1
        reason = f" ({outcome.reason})" if outcome.reason else ""
        self.lines.append(f"{DONE[outcome.action]}: {where}: {outcome.item.title}{reason}")

    def problem(self, line):
        self.problems.append(line)
        self.lines.append(f"failed: {line}")


# Which source next


def due(now=None):
    """The enabled sources whose next check has come, the longest waiting first."""
    now = now or timezone.now()
    waiting = Q(next_check_at__isnull=True) | Q(next_check_at__lte=now)
    order = F("next_check_at").asc(nulls_first=True)  # never checked first
    return list(WireSource.objects.filter(waiting, enabled=True).order_by(order, "pk"))


def claim(source, now=None):
    """
    Take ``source``'s next check for this service: False when another
    service took it first. Compare-and-set on the time of the next check,
    so it works the same on every database, row locks or not.
    """
    now = now or timezone.now()
    later = now + datetime.timedelta(seconds=source.interval)
    claimed = WireSource.objects.filter(pk=source.pk, next_check_at=source.next_check_at)
    if source.next_check_at is None:
        claimed = WireSource.objects.filter(pk=source.pk, next_check_at__isnull=True)
    return claimed.update(next_check_at=later, last_checked_at=now) == 1


# Checking


def check(source, *, by, keep_going=lambda: True):
    """Take in what ``source`` has; the Report. The source records success or error."""
    report = Report(source)
    try:
        if source.kind == WireSource.Kind.FOLDER:
            _check_folder(source, by, report, keep_going)
        else:
            _check_feed(source, by, report)
    except SourceError as error:
        report.problem(str(error))
        report.stopped = True
    _record(source, report)
    return report


def record_failure(source, problem):
    """A check that failed in a way no one foresaw: recorded, and tried again later and later."""
    report = Report(source, stopped=True)
    report.problem(problem)
    _record(source, report)
    return report


def _record(source, report):
    """
    How the check went. One that could not reach the source (or was
    stopped by the database) counts as a failure: the next check waits
    twice as long each time, up to an hour. Items that failed are the
    last error, but the source itself is fine and is checked as usual.
    """
    now = timezone.now()
    fields = {"last_checked_at": now, "failures": 0, "last_success_at": now}
    wait = datetime.timedelta(seconds=source.interval)
    if report.problems:
        error = "; ".join(report.problems[:3])
        more = len(report.problems) - 3
        fields.update(last_error_at=now, last_error=error + (f"; and {more} more" if more > 0 else ""))
    if report.stopped:
        fields.update(failures=source.failures + 1, last_success_at=source.last_success_at)
        wait = min(wait * 2 ** fields["failures"], MAX_BACKOFF)
    fields["next_check_at"] = now + wait
    # An update of these fields alone: an editor may be saving the source's settings.
    WireSource.objects.filter(pk=source.pk).update(**fields)
    for name, value in fields.items():
        setattr(source, name, value)


def take(item, source, *, by):
    """
    Import ``item`` unless some service already has (its receipt exists):
    the Outcome, or None. Two services importing two versions of a new
    story at once meet on its guid; the one that loses tries once more,
    and then finds the story.
    """
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                receipt, created = _receipt(item, source, WireReceipt.Action.SKIP)
                if not created:
                    return None
                outcome = ingest(
                    item,
                    by=by,
                    publish=source.publish,
                    agency=source.agency,
                    section=source.section,
                )
                receipt.action, receipt.article = outcome.action, outcome.article
                receipt.save(update_fields=["action", "article"])
                return outcome
        except IntegrityError:
            if attempt == 2:
                raise
    return None


def _receipt(item, source, action):
    key = hashlib.sha256(f"{item.guid}\n{item.fingerprint()}".encode()).hexdigest()
    defaults = {"source": source, "guid": item.guid[:255], "action": action}
    return WireReceipt.objects.get_or_create(key=key, defaults=defaults)


def _take_all(items, source, by, report, where):
    """
    Each item in turn; [(item, why)] for the items refused for what they are
    (invalid, or a move the story's state forbids). A refusal that is not
    the item's fault (the import's user may not save, the database failed)
    stops the check: the next one tries again.
    """
    refusals = []
    for number, item in enumerate(items, 1):
        place = f"{where} (item {number})" if len(items) > 1 else where
        try:
            outcome = take(item, source, by=by)
        except ITEM_REFUSALS as error:
            report.problem(f"{place}: not imported: {refusal(error)}")
            refusals.append((item, f"{place}: {error}"))
            continue
        except REFUSALS as error:
            raise SourceError(f"{place}: not imported: {refusal(error)}") from None
        if outcome is not None:
            report.took(place, outcome)
    return refusals


# Drop folders


def _check_folder(source, by, report, keep_going):
    folder = Path(source.address)
    if not folder.is_dir():
        raise SourceError(f"{folder} is not a folder this service can read")
    files, links = folders.folder_files(folder, skip={folders.PROCESSED, folders.FAILED})
    for link in links:
        report.problem(f"{link}: a symbolic link, not followed")
    settle = settings.NEWSROOM_INGEST_SETTLE_SECONDS
    for path in files:
        if not keep_going():
            break
        if folders.is_picture_file(path):
            continue  # read with the picture item that names it, and moved with it
        stat = folders.delivered(path, settle)
        if stat is not None:
            _take_file(path, stat, folder, source, by, report)


def _take_file(path, stat, folder, source, by, report):
    """One delivered file: its items imported, then the file moved out of the way."""
    name = path.relative_to(folder)
    try:
        data = path.read_bytes()
    except FileNotFoundError:  # another service took it
        return
    except OSError as error:
        report.problem(f"{name}: cannot be read ({error.strerror})")
        return
    if not folders.unchanged(path, stat):
        return  # still being written after all: next time
    try:
        items = read_bytes(data, path.name, folder=path.parent)
    except NothingToImport as reason:
        report.lines.append(f"skipped: {name}: nothing to import, {reason}")
        folders.move(path, folder, folders.PROCESSED)
        return
    except WireError as problem:
        report.problem(f"{name}: {problem} (moved to {folders.FAILED})")
        folders.move(path, folder, folders.FAILED, why=str(problem))
        return
    refusals = _take_all(items, source, by, report, str(name))
    if refusals:  # the others went in; the file is kept, with why
        folders.move(path, folder, folders.FAILED, why="\n".join(why for _, why in refusals))
    else:
        folders.move(path, folder, folders.PROCESSED)
        for picture in _picture_files(items):
            folders.move(picture, folder, folders.PROCESSED)


def _picture_files(items):
    """The picture files beside the items that the items took in."""
    found = [item for item in items if isinstance(item, WirePicture)]
    found += [picture for item in items for picture in getattr(item, "pictures", [])]
    return {path for path in (picture.local_file() for picture in found) if path is not None}


# HTTP feeds


def _check_feed(source, by, report):
    data = _fetch(source)
    if data is None:
        return  # not modified since the last check
    try:
        items = read_bytes(data)
    except NothingToImport as reason:
        report.lines.append(f"skipped: {source}: nothing to import, {reason}")
        return
    except WireError as problem:
        raise SourceError(f"its answer cannot be read: {problem}") from None
    for item, _why in _take_all(items, source, by, report, source.name):
        _receipt(item, source, WireReceipt.Action.REFUSE)  # the feed repeats it: once is enough
    # Reached only when no check-stopping failure: "not modified" hides nothing.
    WireSource.objects.filter(pk=source.pk).update(
        etag=source.etag, last_modified=source.last_modified
    )


def _fetch(source):
    """The feed's answer as bytes; None when unchanged since the last check."""
    if not source.address.lower().startswith(("http://", "https://")):
        raise SourceError(f"{source.address!r} is not an http:// or https:// address")
    request = urllib.request.Request(source.address, headers=_headers(source))
    try:
        with urllib.request.urlopen(request, timeout=FEED_TIMEOUT) as response:
            data = response.read(MAX_FEED_BYTES + 1)
            missing = response.length  # of the bytes its Content-Length promised, if it gave one
            etag, modified = response.headers.get("ETag"), response.headers.get("Last-Modified")
    except urllib.error.HTTPError as error:
        if error.code == 304:
            return None
        raise SourceError(f"the feed answered {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        raise SourceError(f"the feed cannot be reached: {error.reason}") from None
    except (TimeoutError, OSError, http.client.HTTPException) as error:
        # Cut off mid-answer (IncompleteRead), a garbled answer, a reset connection.
        raise SourceError(f"the feed cannot be read: {error!r}") from None
    if len(data) > MAX_FEED_BYTES:
        raise SourceError(f"the feed's answer is larger than {MAX_FEED_BYTES // 2**20} MB")
    if missing:
        raise SourceError(f"the feed's answer was cut off: {len(data)} of {len(data) + missing} bytes came")
    source.etag, source.last_modified = (etag or "")[:200], (modified or "")[:100]
    return _unwrapped(data) if source.kind == WireSource.Kind.NINJS else data


def _headers(source):
    headers = {"User-Agent": USER_AGENT}
    try:
        credentials = source.credentials()
    except ValueError as problem:
        raise SourceError(str(problem)) from None
    if ":" in credentials:
        headers["Authorization"] = "Basic " + base64.b64encode(credentials.encode()).decode()
    elif credentials:
        headers["Authorization"] = f"Bearer {credentials}"
    if source.etag:
        headers["If-None-Match"] = source.etag
    if source.last_modified:
        headers["If-Modified-Since"] = source.last_modified
    return headers


def _unwrapped(data):
    """
    ninjs APIs send their items in an envelope, {"items": [...]} or
    {"data": {"items": [...]}}: the items alone, as a JSON array.
    """
    try:
        answer = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return data  # the reader says what is wrong with it
    for envelope in (answer, answer.get("data") if isinstance(answer, dict) else None):
        if isinstance(envelope, dict) and "uri" not in envelope:
            if isinstance(envelope.get("items"), list):
                return json.dumps(envelope["items"]).encode()
    return data


def wait(seconds, keep_going):
    """Sleep up to ``seconds``, waking early when asked to stop."""
    end = time.monotonic() + seconds
    while keep_going() and time.monotonic() < end:
        time.sleep(min(0.2, end - time.monotonic()))
