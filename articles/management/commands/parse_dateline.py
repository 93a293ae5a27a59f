"""
Read story openings, one a line, on standard input and print the dateline of
each as a line of JSON, every value exactly as found in the line. This:

    $ echo 'BEIJING, Sept. 14 (Xinhua) -- China will...' | python manage.py parse_dateline

prints, on one line:

    {"raw": "BEIJING, Sept. 14 (Xinhua) --", "place": "BEIJING", "region": null,
     "date": "Sept. 14", "agency": "Xinhua"}

``raw`` is the whole dateline with its closing dash or full stop; ``agency``
is the agency's name without its brackets or slashes; a part the dateline
lacks is null. A line without a dateline (or an empty one) prints
``{"raw": null}``. Input and output are UTF-8.
"""

import json
import sys

from django.core.management.base import BaseCommand

from articles import datelines


class Command(BaseCommand):
    help = "Print the dateline of each story opening read from standard input, as JSON lines."
    stealth_options = ("stdin",)

    def handle(self, *args, **options):
        lines = options.get("stdin")
        if lines is None:
            sys.stdin.reconfigure(encoding="utf-8", errors="replace")
            lines = sys.stdin
        if options.get("stdout") is None and hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(encoding="utf-8")
        for line in lines:
            self.stdout.write(json.dumps(describe(line.rstrip("\r\n")), ensure_ascii=False))


def describe(line):
    """The parts of the dateline opening ``line``, as printed; {"raw": None} when it has none."""
    dateline, _ = datelines.parse(line)
    if dateline is None:
        return {"raw": None}
    return {
        "raw": dateline.raw,
        "place": dateline.place or None,
        "region": dateline.region or None,
        "date": dateline.date_text or None,
        "agency": dateline.agency_name or None,
    }
