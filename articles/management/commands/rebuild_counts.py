"""
Recount the published stories of every listing from the stories themselves:

    python manage.py rebuild_counts

Workflow keeps the counts behind the river, the date archives, the dateline
index, the sitemaps and the listings by place, section, tag and author up to
date with every change. Run this after loading stories some other way (in
bulk, by SQL, from a backup), or after changing TIME_ZONE, which decides
where a day begins.
"""

import time

from django.core.management.base import BaseCommand

from articles import counts


class Command(BaseCommand):
    help = "Recount the published stories of every listing (after a bulk load or a new TIME_ZONE)."

    def handle(self, *args, **options):
        started = time.monotonic()
        rows = counts.rebuild()
        took = time.monotonic() - started
        self.stdout.write(f"Recounted {rows} listing periods in {took:.1f} s.")
