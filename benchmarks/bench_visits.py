"""Visit planning speed at 100,000 customers and about a million visits (run on demand).

    .venv/bin/python benchmarks/bench_visits.py [--customers 100000] [--runs 9] [--plans]

Builds (or reuses, when it has the customers and visits of the current demo) a demo database
``bench-data/visits-N.sqlite``, then measures, each several times with the median and the
95th percentile, against a bare SQL query of the same rows in the same run:

- the due and overdue list: ``first_due_ids`` (the first screen of 200), the full
  ``due_ids`` and ``due_count``; baseline: a plain ``SELECT id FROM customer WHERE ...
  ORDER BY`` on the precomputed last visit, no frequency arithmetic;
- the month view: ``in_range`` for a month (every rep, and one rep), items with the clash
  flags; baseline: a plain ``SELECT ... FROM visit JOIN customer WHERE starts_at BETWEEN``
  of the same columns, fetched as tuples;
- the day plan and the agenda (``day_agenda.agenda``) for one day.

The database is used as the app finds it: no ANALYZE (the app never runs one). ``--plans``
prints the query plans (EXPLAIN QUERY PLAN)."""
from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT / "bench-data"
TODAY = dt.date(2026, 11, 23)  # the Monday after the demo's last day: plans ahead, a due list
MONTH = (dt.date(2026, 11, 1), dt.date(2026, 12, 1))
TARGET = 0.200  # for the due list and the month view, which the app shows as the user clicks
UNTARGETED = ("agenda",)  # the command line's agenda: measured, no target


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def ensure_database(count: int) -> Path:
    from crmdesk.core.db import close_database, open_database
    from crmdesk.core.models import database
    from crmdesk.core.customers import archive as customers
    from crmdesk.core import demo
    DATA.mkdir(exist_ok=True)
    path = DATA / f"visits-{count}.sqlite"
    os.environ["CRMDESK_DATA_DIR"] = str(DATA / "data")
    open_database(path)
    visits = database.execute_sql("SELECT count(*) FROM visit").fetchone()[0]
    if customers.count() != count or visits == 0:
        close_database()
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        open_database(path)
        start = time.perf_counter()
        result = demo.generate(count)
        seconds = time.perf_counter() - start
        print(f"  demo --customers {count}: {seconds:.1f} s, {result.visits:,} visits, "
              f"{result.rows / seconds:,.0f} rows/s")
        visits = result.visits
    print(f"  {path.name}: {count:,} customers, {visits:,} visits, "
          f"{path.stat().st_size / 1e6:,.0f} MB")
    close_database()
    return path


def timed(function: Callable[[], object], runs: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return times, result


def plans(database, label: str, sql: str, params: list) -> None:
    print(f"  plan of {label}:")
    for row in database.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params).fetchall():
        print(f"    {row[-1]}")


def measure(path: Path, runs: int, show_plans: bool) -> dict[str, tuple[list[float], list[float], str]]:
    from crmdesk.core.db import open_database
    from crmdesk.core.models import database
    from crmdesk.core import agenda as day_agenda
    from crmdesk.core.visits import planning as P
    from crmdesk.core.visits.planning import DueQuery

    open_database(path)
    results: dict[str, tuple[list[float], list[float], str]] = {}
    query = DueQuery(TODAY)
    now = dt.datetime.combine(TODAY, dt.time(8))
    midnight = dt.datetime.combine(TODAY, dt.time()).isoformat(" ")
    # The bare due list: the customers not seen for 14 days, on the stored last visit.
    bare_due = ("SELECT id FROM customer WHERE deleted_at IS NULL AND (stage IS NULL OR stage != 'lost') "
                "AND COALESCE(last_visit_at, created_at) < ? AND (next_visit_at IS NULL OR next_visit_at < ?) "
                "ORDER BY COALESCE(last_visit_at, created_at), id")
    since = (TODAY - dt.timedelta(days=14)).isoformat()
    bare_params = [since, midnight]

    ours, first = timed(lambda: P.first_due_ids(query, 200), runs)
    bare, _ = timed(lambda: database.execute_sql(bare_due + " LIMIT 200", bare_params).fetchall(), runs)
    results["due list: first screen (200)"] = (ours, bare, f"{len(first)} ids")
    ours, ids = timed(lambda: P.due_ids(query), runs)
    bare, bare_ids = timed(lambda: database.execute_sql(bare_due, bare_params).fetchall(), runs)
    results["due list: all ids"] = (ours, bare, f"{len(ids):,} ids (bare {len(bare_ids):,})")
    ours, count = timed(lambda: P.due_count(query), runs)
    bare, _ = timed(lambda: database.execute_sql(
        bare_due.replace("SELECT id", "SELECT count(*)").split(" ORDER BY")[0], bare_params).fetchone(), runs)
    results["due list: count"] = (ours, bare, f"{count:,}")
    ours, rows = timed(lambda: P.due_rows(first, TODAY), runs)
    marks = ",".join("?" * len(first))
    bare, _ = timed(lambda: database.execute_sql(
        f"SELECT id, code, name, tier, city, district, owner, mobile, last_visit_at FROM customer "
        f"WHERE id IN ({marks})", list(first)).fetchall(), runs)
    results["due list: rows of the first screen"] = (ours, bare, f"{len(rows)} rows")

    start, end = (dt.datetime.combine(d, dt.time()).isoformat(" ") for d in MONTH)
    # The same columns as the calendar's items, plain SQL, the planner's own choices.
    bare_month = (f"SELECT {P.CALENDAR_LIGHT_COLUMNS} FROM visit v JOIN customer c ON c.id = v.customer_id "
                  "WHERE v.starts_at >= ? AND v.starts_at < ? AND v.deleted_at IS NULL AND c.deleted_at IS NULL")
    bare_details = bare_month.replace(P.CALENDAR_LIGHT_COLUMNS, P.CALENDAR_COLUMNS)
    ours, items = timed(lambda: P.in_range(*MONTH, at=now), runs)
    bare, bare_rows = timed(lambda: database.execute_sql(bare_month, [start, end]).fetchall(), runs)
    clashes = sum(1 for i in items if i.clash)
    results["month view: every rep"] = (ours, bare, f"{len(items):,} visits, {clashes:,} clashes")
    rep = database.execute_sql("SELECT owner FROM customer GROUP BY owner ORDER BY count(*) DESC").fetchone()[0]
    ours, items = timed(lambda: P.in_range(*MONTH, rep=rep, at=now), runs)
    bare, _ = timed(lambda: database.execute_sql(bare_month + " AND v.rep = ?", [start, end, rep]).fetchall(), runs)
    results[f"month view: one rep ({rep})"] = (ours, bare, f"{len(items):,} visits")

    day = TODAY + dt.timedelta(days=1)
    day_start, day_end = (dt.datetime.combine(d, dt.time()).isoformat(" ") for d in (day, day + dt.timedelta(days=1)))
    ours, groups = timed(lambda: P.day_plan(day, at=now), runs)
    bare, _ = timed(lambda: database.execute_sql(bare_details, [day_start, day_end]).fetchall(), runs)
    results["day plan: every rep"] = (ours, bare, f"{sum(len(g.stops) for g in groups):,} stops, {len(groups)} areas")
    ours, agenda = timed(lambda: day_agenda.agenda(TODAY, 7, at=now), runs)
    bare, _ = timed(lambda: database.execute_sql(
        bare_details, [midnight, dt.datetime.combine(TODAY + dt.timedelta(days=7), dt.time()).isoformat(" ")]).fetchall(),
        runs)
    results["agenda: 7 days, missed, due top 20"] = (
        ours, bare, f"{len(agenda.visits):,} visits, {len(agenda.missed):,} missed, {agenda.due_count:,} due")

    if show_plans:
        sql, params = P._due_sql(query, "id")
        plans(database, "first_due_ids / due_ids", sql, params)
        sql, params = P._due_sql(query, "count(*)", order=False)
        plans(database, "due_count", sql, params)
        plans(database, "the bare due list", bare_due, bare_params)
        plans(database, "the bare month", bare_month, [start, end])
        month_sql = (f"SELECT {P.CALENDAR_LIGHT_COLUMNS} FROM visit v INDEXED BY visit_live_calendar JOIN customer c "
                     "INDEXED BY customer_live_calendar ON c.id = v.customer_id WHERE v.starts_at >= ? AND "
                     "v.starts_at < ? AND v.deleted_at IS NULL AND c.deleted_at IS NULL ORDER BY v.starts_at, v.id")
        plans(database, "in_range (month)", month_sql, [start, end])
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--plans", action="store_true", help="print EXPLAIN QUERY PLAN of the queries")
    args = parser.parse_args()
    print(f"== {args.customers:,} customers ==")
    path = ensure_database(args.customers)
    results = measure(path, args.runs, args.plans)
    print(f"  {'measure':40} {'median':>9} {'p95':>9} {'bare med':>9} {'bare p95':>9} {'ratio':>7}  rows")
    for label, (ours, bare, note) in results.items():
        median, bare_median = statistics.median(ours), statistics.median(bare)
        flag = "  MISSED" if pct(ours, 0.95) > TARGET and not label.startswith(UNTARGETED) else ""
        print(f"  {label:40} {median * 1000:7.1f}ms {pct(ours, 0.95) * 1000:7.1f}ms "
              f"{bare_median * 1000:7.1f}ms {pct(bare, 0.95) * 1000:7.1f}ms "
              f"{median / bare_median if bare_median else float('nan'):6.1f}x  {note}{flag}")
    print(f"  target: p95 under {TARGET * 1000:.0f} ms for the due list, the month view and the day plan")


if __name__ == "__main__":
    main()
