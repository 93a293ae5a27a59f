"""
Query plans in a few words: what each page's SQL asks PostgreSQL to do.

``explain(queries)`` EXPLAINs every SELECT a page ran (estimates only: no
query is run again) and sums each plan up as its main path, "Limit <- Index
Scan Backward on article_live_idx", with warnings for what grows with the
archive: a Seq Scan of a big table, a Sort or COUNT over many rows, an
OFFSET past a thousand rows, a scan reading many rows.
"""

import json
import re

from django.db import DatabaseError, connection, transaction

BIG = 100_000  # rows: a table this size is not read whole for one page
MANY = 10_000  # rows: more than any page shows, sorted or counted
SHOWN = 4  # warnings in a page's summary line; the JSON has them all
OFFSET = re.compile(r"\bOFFSET\s+(\d+)", re.I)
COUNT = re.compile(r"\bCOUNT\(", re.I)
LOCAL_SETTING = re.compile(r"^\s*SELECT\s+set_config\(.*\btrue\)", re.I | re.S)
# Nodes that read all their input before giving the first row.
BLOCKING = {"Sort", "Aggregate", "Hash", "SetOp", "WindowAgg"}


def explain(queries):
    """
    [{sql, cost, shape, warnings}] for each SELECT in ``queries``, costliest
    first. Settings a page made for the rest of its transaction
    (``set_config(..., true)``, as search does to choose how it reads) are
    made again before each later query of that transaction is explained.
    """
    if connection.vendor != "postgresql":
        return []
    plans, local_settings = [], []
    for sql in queries:
        statement = sql.lstrip().upper()
        if statement.startswith(("COMMIT", "ROLLBACK")):
            local_settings = []
        if not statement.startswith(("SELECT", "WITH")):
            continue
        if LOCAL_SETTING.search(sql):
            local_settings.append(sql)
            continue
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                for setting in local_settings:
                    cursor.execute(setting)
                cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
                plan = _loaded(cursor.fetchone()[0])[0]["Plan"]
        except DatabaseError as error:
            plans.append({"sql": sql[:500], "cost": 0, "shape": f"not explained: {error}"[:200], "warnings": []})
            continue
        warnings = warnings_of(plan, sql)
        plans.append({"sql": sql[:500], "cost": plan["Total Cost"], "shape": shape(plan), "warnings": warnings})
    return sorted(plans, key=lambda p: -p["cost"])


def summary(plans):
    """One line for a page: its costliest query's shape, then every warning once."""
    if not plans:
        return ""
    warnings = list(dict.fromkeys(w for plan in plans for w in plan["warnings"]))
    shown = [f"**{w}**" for w in warnings[:SHOWN]]
    if len(warnings) > SHOWN:
        shown.append(f"{len(warnings) - SHOWN} more")
    return "; ".join([plans[0]["shape"], *shown])


def shape(plan, depth=4):
    """The plan's main path: each node, then its costliest child, ``depth`` nodes deep."""
    steps = []
    while plan is not None and len(steps) < depth:
        steps.append(_node(plan))
        children = plan.get("Plans", [])
        plan = max(children, key=lambda child: child["Total Cost"]) if children else None
    return " <- ".join(steps)


def warnings_of(plan, sql):
    found = list(_warnings(plan, sql, limited=False))
    found += [f"OFFSET {int(n):,}" for n in OFFSET.findall(sql) if int(n) > 1000]
    return list(dict.fromkeys(found))


def _warnings(node, sql, *, limited):
    """
    What in ``node`` and below grows with the archive. Under a Limit, with
    nothing in between that must read all its input first, a scan stops
    early: its estimate of all the rows it could return is no warning, nor
    is a Seq Scan that keeps every row it reads (no Filter), since it reads
    only what the Limit takes.
    """
    kind, rows, relation = node["Node Type"], node["Plan Rows"], node.get("Relation Name")
    cut_short = limited and "Filter" not in node
    if kind.endswith("Seq Scan") and relation and _table_rows(relation) >= BIG and not cut_short:
        yield f"Seq Scan on {relation} ({_rows(_table_rows(relation))})"
    elif "Scan" in kind and rows >= BIG and not limited:
        yield f"{_node(node)} reads {_rows(rows)}"
    if kind == "Sort" and _input_rows(node) >= MANY:
        yield f"Sort of {_rows(_input_rows(node))}"
    if kind == "Aggregate" and COUNT.search(sql) and _input_rows(node) >= MANY:
        yield f"COUNT over {_rows(_input_rows(node))}"
    limited = kind == "Limit" or (limited and kind not in BLOCKING)
    for child in node.get("Plans", []):
        yield from _warnings(child, sql, limited=limited)


def _node(node):
    name = node["Node Type"]
    if node.get("Scan Direction") == "Backward":
        name += " Backward"
    if node.get("Index Name"):
        name += f" on {node['Index Name']}"
    elif node.get("Relation Name"):
        name += f" on {node['Relation Name']}"
    if node.get("Strategy") in ("Hashed", "Sorted") and name == "Aggregate":
        name = f"{node['Strategy']} Aggregate"
    return name


def _nodes(plan):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _input_rows(node):
    return sum(child["Plan Rows"] for child in node.get("Plans", [])) or node["Plan Rows"]


_sizes = {}


def _table_rows(relation):
    """The planner's idea of a table's size (pg_class.reltuples), looked up once."""
    if relation not in _sizes:
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [relation])
            row = cursor.fetchone()
        _sizes[relation] = int(row[0]) if row else 0
    return _sizes[relation]


def _rows(n):
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f}M rows"
    return f"{n / 1000:.0f}k rows" if n >= 1000 else f"{n} rows"


def _loaded(value):
    return json.loads(value) if isinstance(value, str) else value
