"""
Rebuild every story's search document: ``manage.py rebuild_search``.

For after a change to what the document holds, or to fill it for stories
written behind workflow's back (a bulk load). Each batch of stories is its
own transaction, so the site stays up and searchable throughout and an
interrupted run keeps what it has done; running it again is harmless. On
PostgreSQL the work is done inside the database, on ``--workers``
connections at once.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles import search
from articles.search.documents import BATCH_SIZE


class Command(BaseCommand):
    help = "Rebuild the search document and vector of every story."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH_SIZE,
            help=f"Stories a transaction refreshes (default {BATCH_SIZE}).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=2,
            help="Database connections working at once, on PostgreSQL (default 2).",
        )
        parser.add_argument(
            "--bulk",
            action="store_true",
            help="PostgreSQL: drop the search index and build it again at the end; much "
            "faster for a first build, but searches read no index until it is done.",
        )

    def handle(self, *args, batch_size, workers, bulk, **options):
        if batch_size < 1 or workers < 1:
            raise CommandError("--batch-size and --workers must be at least 1.")
        # Drawn on a terminal only, and only once a run has taken a second.
        bar = tqdm(file=self.stderr._out, delay=1, unit="story")

        def progress(done, total):
            bar.total = total
            bar.update(done - bar.n)

        started = time.monotonic()
        count = search.rebuild(
            batch_size=batch_size, workers=workers, progress=progress, bulk=bulk
        )
        bar.close()
        seconds = time.monotonic() - started
        rate = f", {count / seconds:,.0f} a second" if count and seconds else ""
        stories = "story" if count == 1 else "stories"
        self.stdout.write(f"Reindexed {count:,} {stories} in {seconds:,.1f} s{rate}.")
