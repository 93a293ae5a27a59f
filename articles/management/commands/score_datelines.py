"""
`manage.py score_datelines [FILE]`: how many lines of a dateline corpus the
parser reads right, by kind, as a Markdown table.

The corpus is tab-separated with a header: kind, text, place, region, date,
agency, source. A line is right when ``datelines.parse`` finds exactly the
parts given (agency without its marks), or finds no dateline where the
parts are all empty. By default: the corpus the tests use.
"""

import csv
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand

from articles import datelines

CORPUS = Path(__file__).resolve().parents[3] / "tests" / "data" / "datelines" / "corpus.tsv"


def read_corpus(path=CORPUS):
    with open(path, encoding="utf-8", newline="") as corpus:
        return list(csv.DictReader(corpus, delimiter="\t", quoting=csv.QUOTE_NONE))


def found(text):
    """The parts ``parse`` finds in ``text``: (place, region, date, agency), or None."""
    dateline, _rest = datelines.parse(text)
    if dateline is None:
        return None
    return (dateline.place, dateline.region, dateline.date_text, dateline.agency_name)


def expected(row):
    parts = tuple(row[key] or "" for key in ("place", "region", "date", "agency"))
    return parts if any(parts) else None


def scores(rows):
    """{kind: (right, total)}, and the misses as (kind, text, expected, found)."""
    right, total, misses = Counter(), Counter(), []
    for row in rows:
        total[row["kind"]] += 1
        got = found(row["text"])
        if got == expected(row):
            right[row["kind"]] += 1
        else:
            misses.append((row["kind"], row["text"], expected(row), got))
    return {kind: (right[kind], total[kind]) for kind in sorted(total)}, misses


def table(by_kind):
    lines = ["| kind | right | lines | score |", "|---|---:|---:|---:|"]
    for kind, (right, total) in by_kind.items():
        lines.append(f"| {kind} | {right} | {total} | {100 * right / total:.1f} % |")
    right = sum(r for r, _ in by_kind.values())
    total = sum(t for _, t in by_kind.values())
    lines.append(f"| **all** | {right} | {total} | {100 * right / total:.1f} % |")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Score the dateline parser on a corpus of real story openings, by kind."

    def add_arguments(self, parser):
        parser.add_argument("corpus", nargs="?", default=str(CORPUS), help="a TSV corpus")
        parser.add_argument("--misses", action="store_true", help="list the lines read wrong")

    def handle(self, *args, corpus, misses, **options):
        by_kind, missed = scores(read_corpus(corpus))
        self.stdout.write(table(by_kind))
        if misses:
            for kind, text, want, got in missed:
                self.stdout.write(f"{kind}\t{text}\twanted {want}\tfound {got}")
