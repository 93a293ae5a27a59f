"""
``manage.py check_outputs``: every public output the sitemaps, pages and
API lead to, read by independent clients and held to its standard
(articles/conformance.py). Prints a table of the documents checked and
each violation; exits with status 1 if there is any. Needs the
development requirements (feedparser, xmlschema, extruct, PyLD).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Check feeds, sitemaps, the ninjs API and pages against their standards."

    def add_arguments(self, parser):
        parser.add_argument("--host", help="The host name to ask for (default: the first of ALLOWED_HOSTS).")
        parser.add_argument("--minimum", type=int, default=0, help="Fail unless at least this many documents are checked.")

    def handle(self, *args, host, minimum, **options):
        try:
            from articles import conformance
        except ImportError as missing:
            raise CommandError(f"{missing.name} is missing: install requirements-dev.txt") from None
        if not host:
            named = [h for h in settings.ALLOWED_HOSTS if h and "*" not in h and not h.startswith(".")]
            host = named[0] if named else "localhost"
        report = conformance.Crawler(host).run()
        for line in report.table():
            self.stdout.write(line)
        for kind, url, problem in report.violations:
            self.stderr.write(f"{kind}: {url}: {problem}")
        checked = sum(report.checked.values())
        if report.violations:
            raise CommandError(f"{len(report.violations)} violations in {checked} documents.")
        if checked < minimum:
            raise CommandError(f"Only {checked} documents checked, fewer than {minimum}.")
