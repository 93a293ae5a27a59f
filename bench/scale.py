"""
Every public page and desk screen, timed on a small and a large archive in one run.

    .venv/bin/python bench/scale.py \\
        --small postgres://postgres@127.0.0.1:5432/newsroom_bench_small \\
        --large postgres://postgres@127.0.0.1:5432/newsroom_bench_large [--runs 7]

Seed the databases first (manage.py seed_archive; docs/PERFORMANCE.md). One
child process serves each database; requests alternate between them page by
page, so a busy machine slows both alike. Each page is opened once to warm
up, then --runs times, through Django's test client and the whole middleware
stack, with every cache emptied before each request (the page as its first
reader gets it): anonymous for public pages, a superuser for the desk.
Prints a Markdown table (median and worst time, the large-to-small ratio,
SQL counts, the large archive's query plans in a few words) and writes it,
with a JSON file of everything measured, to --out. A page that errors or
passes the statement timeout is recorded as such and the run goes on.
"""

import argparse
import datetime
import json
import os
import selectors
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
# Targets from docs/PERFORMANCE.md: public pages under 50 ms at a million
# stories and within 1.2 times their time at ten thousand; desk under 300 ms.
READER_MS, READER_RATIO, DESK_MS = 50, 1.2, 300


def main():
    args = arguments()
    out = Path(args.out or HERE / "results" / datetime.datetime.now(datetime.UTC).strftime("scale-%Y%m%dT%H%M%SZ"))
    out.mkdir(parents=True, exist_ok=True)
    children = {name: Child(name, url, args, out) for name, url in args.databases.items()}
    load_before = os.getloadavg()[1]
    try:
        for child in children.values():
            child.start()  # both find their pages at once
        kinds = ordered_kinds([child.ready() for child in children.values()], args)
        rows = [measure(kind, children, args) for kind in kinds]
    finally:
        for child in children.values():
            child.stop()
    meta = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "runs": args.runs,
        # The machine's load (5-minute average) as the run began and ended.
        "load": [round(load_before, 1), round(os.getloadavg()[1], 1)],
        "statement_timeout_s": args.timeout,
        "databases": {name: child.facts for name, child in children.items()},
        "missing": {name: child.missing for name, child in children.items()},
    }
    report = markdown(meta, rows)
    (out / "scale.md").write_text(report)
    (out / "scale.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=1))
    print(report)
    print(f"\nwritten to {out}/scale.md and scale.json", file=sys.stderr)


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--small", help="database URL of the small archive (e.g. 10,000 stories)")
    parser.add_argument("--large", help="database URL of the large archive (e.g. 1,000,000)")
    parser.add_argument("--runs", type=int, default=7, help="measured requests per page and database")
    parser.add_argument("--timeout", type=float, default=10, help="statement timeout, seconds")
    parser.add_argument("--budget", type=float, default=30, help="seconds per page and database, at most")
    parser.add_argument("--only", default="", help="comma-separated kinds to measure (default: all)")
    parser.add_argument("--skip", default="", help="comma-separated kinds to leave out")
    parser.add_argument("--common", default="budget", help="a word most stories contain")
    parser.add_argument("--rare", help="a word few stories contain (default: found in the copy)")
    parser.add_argument("--out", help="folder for scale.md, scale.json and the children's logs")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.databases = {name: url for name in ("small", "large") if (url := getattr(args, name))}
    if not args.databases and not args.serve:
        parser.error("give --small, --large or both")
    return args


def ordered_kinds(found, args):
    """The kinds every database has (the first one's order), less --skip, or --only."""
    kinds = [kind for kind in found[0] if all(kind in other for other in found)]
    if args.only:
        kinds = [kind for kind in kinds if kind in args.only.split(",")]
    return [kind for kind in kinds if kind not in args.skip.split(",")]


def measure(kind, children, args):
    """Warm up, then alternate runs between the databases; summary per database."""
    runs = {name: [] for name in children}
    for name, child in children.items():
        runs[name].append(child.ask("open", kind))  # the warm-up, kept apart below
    for n in range(args.runs):
        order = list(children) if n % 2 == 0 else list(reversed(children))
        for name in order:
            done = runs[name]
            if ok(done[-1]) and sum(r["ms"] for r in done) < args.budget * 1000:
                done.append(children[name].ask("open", kind))
    row = {"kind": kind}
    for name, child in children.items():
        row[name] = summarised(runs[name], child.ask("explain", kind), child.paths[kind])
    if len(children) == 2 and row["small"].get("median_ms") and row["large"].get("median_ms"):
        row["ratio"] = round(row["large"]["median_ms"] / row["small"]["median_ms"], 2)
    print(f"{kind}: " + ", ".join(f"{n} {row[n].get('median_ms', row[n]['status'])}" for n in children), file=sys.stderr)
    return row


def ok(result):
    return isinstance(result["status"], int) and result["status"] < 500


def summarised(results, plans, path_who):
    warm_up, measured = results[0], results[1:] or results[:1]
    times = [r["ms"] for r in measured if ok(r)]
    last = measured[-1]
    summary = {
        "path": path_who[0],
        "who": path_who[1],
        "status": last["status"],
        "sql": last["sql"],
        "bytes": last["bytes"],
        "first_ms": warm_up["ms"],
        "runs": len(times),
        "plans": plans,
    }
    if times and ok(last):
        summary.update(median_ms=round(statistics.median(times), 1), worst_ms=round(max(times), 1))
    return summary


def git_commit():
    done = subprocess.run(["git", "-C", str(PROJECT), "log", "-1", "--format=%h %s"], capture_output=True, text=True)
    return done.stdout.strip()


# The children: one process per database


class Hung(Exception):
    """The child said nothing in time, or died."""


class Child:
    """A process serving one database: finds its pages, opens them, explains them."""

    def __init__(self, name, url, args, out):
        self.name, self.url, self.args, self.out = name, url, args, out
        self.process = self.paths = None
        self.missing, self.facts = {}, {}

    def start(self):
        env = {**os.environ, **CHILD_ENV, "DATABASE_URL": self.url}
        env.pop("REDIS_URL", None)  # local memory, emptied before every request anyway
        command = [sys.executable, __file__, "--serve", "--timeout", str(self.args.timeout)]
        command += ["--common", self.args.common] + (["--rare", self.args.rare] if self.args.rare else [])
        log = open(self.out / f"{self.name}.log", "a")
        self.process = subprocess.Popen(
            command, cwd=PROJECT, env=env, text=True, bufsize=1,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
        )  # fmt: skip
        log.close()

    def ready(self):
        """Wait for the child's pages (finding them can take a while on a big archive)."""
        hello = self._read(timeout=900)
        self.paths = {kind: tuple(found) for kind, found in hello["paths"].items()}
        self.missing, self.facts = hello["missing"], hello["facts"]
        return self.paths

    def ask(self, do, kind):
        try:
            self.process.stdin.write(json.dumps({"do": do, "kind": kind}) + "\n")
            self.process.stdin.flush()
            return self._read(timeout=self.args.timeout * 3 + 60)
        except (Hung, BrokenPipeError):
            self.stop()
            self.start()
            self.ready()
            return {"summary": "", "plans": []} if do == "explain" else {"ms": 0, "status": "hung", "bytes": 0, "sql": 0}

    def _read(self, timeout):
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            if not selector.select(timeout):
                raise Hung(f"{self.name}: no answer in {timeout:.0f} s")
        line = self.process.stdout.readline()
        if not line:
            raise Hung(f"{self.name}: the child ended (see {self.name}.log)")
        return json.loads(line)

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


CHILD_ENV = {
    "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    "DEBUG": "0",
    "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only-" + "x" * 50,
    "ALLOWED_HOSTS": "testserver",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "SECURE_HSTS_SECONDS": "0",
    "CONN_MAX_AGE": "600",
    "NEWSROOM_PAGE_CACHE_SECONDS": "0",
}


def serve(args):
    """The child: answer the parent's requests, one JSON line each, until stdin ends."""
    answer = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1)
    sys.stdout = sys.stderr  # whatever else prints must not garble the answers
    setup_django(args.timeout)
    import pages
    import plans

    kinds = pages.discover(args.common, args.rare)
    browser = pages.Browser()
    answer.write(json.dumps({"paths": kinds.paths, "missing": kinds.missing, "facts": facts()}) + "\n")
    for line in sys.stdin:
        request = json.loads(line)
        kind = request["kind"]
        if request["do"] == "open":
            result = browser.open(kind, *kinds.paths[kind])
        else:
            found = plans.explain(browser.queries.get(kind, []))
            result = {"summary": plans.summary(found), "plans": found}
        answer.write(json.dumps(result, default=str) + "\n")


def setup_django(timeout):
    sys.path.insert(0, str(PROJECT))
    from django.conf import settings

    # Static addresses without the manifest collectstatic would write.
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    settings.STORAGES = {**settings.STORAGES, "staticfiles": static}
    database = settings.DATABASES["default"]
    if "postgresql" in database["ENGINE"]:
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"-c statement_timeout={int(timeout * 1000)}"
    import django

    django.setup()


def facts():
    from django.db import connection

    from articles.models import Article

    found = {
        "vendor": connection.vendor,
        "stories": Article.objects.count(),
        "live": Article.objects.live().count(),
        "search_index": Article.objects.exclude(search_document="").exists(),
    }
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database())), version()")
            found["size"], found["server"] = cursor.fetchone()
            found["server"] = " ".join(found["server"].split()[:2])
    return found


# The report


def markdown(meta, rows):
    names = list(meta["databases"])
    lines = [
        f"# Scale benchmark, {meta['when']}",
        "",
        f"Project at `{meta['commit']}`. Each page opened once to warm up, then {meta['runs']} more times "
        f"per database, alternating; every cache emptied before each request; statement timeout "
        f"{meta['statement_timeout_s']:g} s; machine load {meta['load'][0]:g} to {meta['load'][1]:g} "
        "(5-minute average). Times in ms (median / worst); SQL: queries per request; "
        "plan: the large archive's costliest query, with warnings in bold.",
        "",
        "| database | stories | live | search index | size | server |",
        "|---|---:|---:|---|---:|---|",
    ]
    for name, db in meta["databases"].items():
        searchable = "yes" if db["search_index"] else "**none**"
        server = db.get("server", db["vendor"])
        lines.append(f"| {name} | {db['stories']:,} | {db['live']:,} | {searchable} | {db.get('size', '')} | {server} |")
    lines += ["", "| kind | path | " + " | ".join(f"{n} ms" for n in names) + " | ratio | SQL | plan | target |"]
    lines.append("|---|---|" + "---:|" * len(names) + "---:|---|---|---|")
    lines += [table_row(row, names) for row in rows]
    for name, missing in meta["missing"].items():
        lines += [f"- not measured on {name}: {kind} ({why})" for kind, why in missing.items()]
    return "\n".join(lines) + "\n"


def table_row(row, names):
    last = row[names[-1]]
    times = [cell(row[name]) for name in names]
    sql = " / ".join(str(row[name]["sql"]) for name in names)
    plan = last["plans"]["summary"] if isinstance(last["plans"], dict) else ""
    return f"| {row['kind']} | `{last['path']}` | {' | '.join(times)} | {row.get('ratio', '')} | {sql} | {plan} | {target(row, last)} |"


def cell(result):
    if "median_ms" not in result:
        return f"**{result['status']}**"
    status = "" if result["status"] == 200 else f" ({result['status']})"
    return f"{result['median_ms']:g} / {result['worst_ms']:g}{status}"


def target(row, last):
    """Whether the page meets its target: "yes", or what misses it."""
    if "median_ms" not in last:
        return "no"
    if last["who"] == "desk":
        return "yes" if last["median_ms"] < DESK_MS else f"no (> {DESK_MS} ms)"
    misses = [f"> {READER_MS} ms"] if last["median_ms"] >= READER_MS else []
    if row.get("ratio", 0) > READER_RATIO:
        misses.append(f"> {READER_RATIO}x")
    return f"no ({', '.join(misses)})" if misses else "yes"


if __name__ == "__main__":
    if "--serve" in sys.argv:
        sys.path.insert(0, str(HERE))
        serve(arguments())
    else:
        main()
