"""
Import wire copy: ``manage.py import_wire PATH...``, files or folders (read
recursively), in any format ``articles.wire`` reads. Stories arrive as
drafts (``--publish`` publishes them); each is saved in its own
transaction through the workflow, so every import keeps a revision.

A file that cannot be read gets one line on standard error saying what is
wrong; the others are still imported, and the command exits with status 1
at the end. ``--dry-run`` writes nothing; with ``--json`` each item is one
JSON object on standard output (and no progress bar is drawn).
"""

import json
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles import wire, workflow

DONE = wire.DONE
WOULD = {"create": "would create", "update": "would update", "skip": "would skip"}


class Command(BaseCommand):
    help = "Import wire copy (NewsML-G2, NITF, ninjs, ANPA 1312, IPTC 7901, plain text)."

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", metavar="PATH", help="Files or folders (read recursively)."
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help='The editor the import is saved by. Default: the system user "wire", '
            "made on first use (no password, Editor group).",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish new stories at the agency's time if it has passed, else now.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would be imported; write nothing."
        )
        parser.add_argument(
            "--json", action="store_true", help="Print one JSON object per item (no progress bar)."
        )

    def handle(self, *args, **options):
        self.as_json, self.dry_run = options["json"], options["dry_run"]
        files, failures = self.collect(options["paths"])
        explicit = {Path(name) for name in options["paths"]}
        self.username, self.user = options["user"], None
        if self.username:
            self.importer()  # refuse an unknown or unfit user before reading anything
        counts = Counter()
        # Drawn on a terminal only, and only once a run has taken a second.
        progress = tqdm(
            files,
            file=self.stderr._out,  # the stream itself: the wrapper would add line ends
            disable=True if self.as_json else None,
            delay=1,
            unit="file",
        )
        for path in progress:
            if wire.is_picture_file(path) and path not in explicit:
                continue  # taken in by the picture item that names it
            failures += self.import_file(path, options["publish"], counts)
        progress.close()
        self.summary(counts, failures)
        if failures:
            raise CommandError(f"Import failed for {failures} of the files or items (see above).")

    def collect(self, paths):
        """
        The files named and the regular files in the folders named, hidden
        ones left out. Inside a folder no symbolic link is followed: one
        could point anywhere on the machine, and its target would become a
        story.
        """
        files, failures = {}, 0
        for name in paths:
            path = Path(name)
            if path.is_dir():
                found, links = wire.folder_files(path)
                files.update(dict.fromkeys(found))
                for link in links:
                    self.problem(f"{link}: a symbolic link, not followed")
                failures += len(links)
            elif path.is_file():
                files[path] = None
            else:
                what = "not a regular file" if path.exists() else "no such file or folder"
                self.problem(f"{name}: {what}")
                failures += 1
        return list(files), failures

    def importer(self):
        """Who saves the import; the system user is only made when a story is to be saved."""
        if self.user is not None:
            return self.user
        try:
            user = wire.importer(self.username)
        except ValueError as problem:
            raise CommandError(str(problem)) from None
        self.user = user
        return user

    def import_file(self, path, publish, counts):
        """Read one file and import its items; the number of failures."""
        try:
            items = wire.read(path)
        except wire.NothingToImport as reason:
            self.notice(f"{path}: nothing to import, {reason}")
            return 0
        except wire.WireError as problem:
            self.problem(f"{path}: {problem}")
            return 1
        failures = 0
        for number, item in enumerate(items, 1):
            where = f"{path} (item {number})" if len(items) > 1 else str(path)
            try:
                if self.dry_run:
                    outcome = wire.plan(item)
                else:
                    outcome = wire.ingest(item, by=self.importer(), publish=publish)
            except wire.REFUSALS as error:
                self.problem(f"{where}: not imported: {wire.refusal(error)}")
                failures += 1
                continue
            counts[outcome.action] += 1
            self.report(path, number, outcome)
        return failures

    def report(self, path, number, outcome):
        if self.as_json:
            data = {"file": str(path), "item": number, **wire.describe(outcome)}
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        verb = (WOULD if self.dry_run else DONE)[outcome.action]
        reason = f" ({outcome.reason})" if outcome.reason else ""
        self.say(f"{verb}: {path}: {outcome.item.title}{reason}")

    def summary(self, counts, failures):
        verbs = WOULD if self.dry_run else DONE
        parts = [f"{verbs[action]} {counts[action]}" for action in DONE]
        line = ", ".join(parts) + (f", {failures} failed" if failures else "")
        line = (
            line[0].upper() + line[1:] + (" (dry run: nothing written)." if self.dry_run else ".")
        )
        if self.as_json:
            self.stderr.write(line)
        else:
            self.say(line)

    def say(self, line):
        with tqdm.external_write_mode():
            self.stdout.write(line)

    def notice(self, line):
        with tqdm.external_write_mode():
            (self.stderr if self.as_json else self.stdout).write(line)

    def problem(self, line):
        with tqdm.external_write_mode():
            self.stderr.write(line)

