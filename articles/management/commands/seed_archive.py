"""
Seed the configured database with a realistic archive of N stories, in bulk.

    manage.py seed_archive 1000000 [--end 2026-06-30] [--seed 42] [--reset] [--no-search]
    manage.py seed_archive --derived-only      # counts, search index, statistics again

For measuring the newsroom at scale (bench/scale.py, docs/PERFORMANCE.md),
never for a newsroom in use: --reset deletes every story, tag, author,
place, section and agency first.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from articles import seeding


class Command(BaseCommand):
    help = "Seed N made-up stories in bulk (three years of an agency's copy), for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("stories", nargs="?", type=int, help="how many stories")
        parser.add_argument(
            "--end",
            type=datetime.date.fromisoformat,
            help="the last day of the archive, YYYY-MM-DD in the newsroom's time zone "
            "(default: yesterday)",
        )
        parser.add_argument("--seed", type=int, default=42, help="the same seed, the same archive")
        parser.add_argument(
            "--reset", action="store_true", help="delete every story and its taxonomy first"
        )
        parser.add_argument(
            "--no-search", action="store_true", help="leave the search index unbuilt"
        )
        parser.add_argument(
            "--derived-only",
            action="store_true",
            help="seed nothing: rebuild counts and the search index of the stories there",
        )

    def handle(self, *args, stories, end, seed, reset, no_search, derived_only, **options):
        say = self.stdout.write
        if derived_only:
            seeding.refresh(search_index=not no_search, out=say)
            return
        if stories is None or stories < 1:
            raise CommandError("Say how many stories to seed: seed_archive 10000.")
        end = end or timezone.localdate() - datetime.timedelta(days=1)
        try:
            seconds = seeding.seed(
                stories, end=end, seed=seed, reset=reset, search_index=not no_search, out=say
            )
        except seeding.NotEmpty as refusal:
            raise CommandError(f"{refusal} Pass --reset to replace them all.") from None
        total = sum(seconds.values())
        say(self.style.SUCCESS(f"Seeded {stories:,} stories in {total:.1f} s."))
