"""
The ingest service: ``manage.py ingest`` runs until stopped (Ctrl-C, or
SIGTERM from systemd or a container), checking each Wire source set up in
the admin when its interval has passed. Several may run at once, on one
machine or several: they share the sources, and no item is imported
twice. ``--once`` checks every source now, once, and exits (status 1 if
any check failed), for cron or a first try.

The database going away is waited out: the service logs it, tries again
with growing pauses, and goes on once it is back.
"""

import signal
import traceback

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

from articles import wire
from articles.models import WireSource
from articles.wire import sources

TICK = 1.0  # seconds between looks at which sources are due
MAX_PAUSE = 60.0  # the longest wait for a database that is down


class Command(BaseCommand):
    help = "Take in wire copy from the Wire sources set up in the admin, until stopped."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Check every source once, now, then stop."
        )
        parser.add_argument(
            "--source",
            action="append",
            metavar="NAME",
            help="Only this source (by name); may be given more than once.",
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help='The editor imports are saved by. Default: the system user "wire".',
        )

    def handle(self, *args, **options):
        self.names = options["source"] or []
        self.stopping = False
        try:
            self.user = wire.importer(options["user"])
        except ValueError as problem:
            raise CommandError(str(problem)) from None
        if options["once"]:
            self.once()
            return
        for signal_number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signal_number, self.stop)
        self.log("ingest service started; stop it with Ctrl-C or SIGTERM")
        self.serve()
        self.log("ingest service stopped")

    def stop(self, signal_number, frame):
        self.stopping = True

    def keep_going(self):
        return not self.stopping

    def once(self):
        chosen = self.chosen(WireSource.objects.filter(enabled=True))
        if not chosen:
            raise CommandError(self.nothing_to_check())
        failed = [source for source in chosen if self.check_source(source).problems]
        if failed:
            names = ", ".join(source.name for source in failed)
            raise CommandError(f"{len(failed)} of {len(chosen)} sources failed: {names}")

    def serve(self):
        pause, told_idle = TICK, False
        while not self.stopping:
            try:
                close_old_connections()  # a connection the database dropped is not reused
                due = self.chosen(sources.due())
                if not due and not told_idle and not WireSource.objects.filter(enabled=True).exists():
                    self.log(self.nothing_to_check() + "; waiting for one")
                    told_idle = True
                for source in due:
                    if self.stopping:
                        break
                    if sources.claim(source):
                        told_idle = False
                        self.check_source(source)
                pause = TICK
            except DatabaseError as error:
                self.log(f"the database failed ({' '.join(str(error).split())}); "
                         f"trying again in {pause:.0f} s")
                pause = min(pause * 2, MAX_PAUSE)
            sources.wait(pause, self.keep_going)

    def chosen(self, candidates):
        if not self.names:
            return list(candidates)
        chosen = [source for source in candidates if source.name in self.names]
        unknown = set(self.names) - set(WireSource.objects.values_list("name", flat=True))
        if unknown:
            raise CommandError(f"No wire source called {', '.join(sorted(unknown))}.")
        return chosen

    def check_source(self, source):
        try:
            report = sources.check(source, by=self.user, keep_going=self.keep_going)
        except DatabaseError:
            raise  # the loop waits the database out
        except Exception as error:  # noqa: BLE001
            # A failure no one foresaw in one source must not stop the others:
            # it is logged whole, kept as the source's error, and retried later.
            self.log(f"{source}: unexpected failure\n{traceback.format_exc()}", error=True)
            report = sources.record_failure(source, f"unexpected failure: {error!r}")
        for line in report.lines:
            self.log(f"{source}: {line}")
        if report.problems:
            retry = timezone.localtime(source.next_check_at)
            self.log(f"{source}: {len(report.problems)} failed; next check at {retry:%H:%M:%S}",
                     error=True)
        return report

    def nothing_to_check(self):
        which = f" called {', '.join(self.names)}" if self.names else ""
        return (f"No enabled wire source{which}: add one in the admin "
                "(Articles > Wire sources)")

    def log(self, line, error=False):
        stamp = timezone.localtime().replace(microsecond=0).isoformat(sep=" ")
        (self.stderr if error else self.stdout).write(f"{stamp} {line}")

