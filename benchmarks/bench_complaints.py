"""The overdue list and the statistics at 200,000 complaints (run on demand).

    .venv/bin/python benchmarks/bench_complaints.py [--complaints 200000] [--runs 9] [--plans]

Builds (or reuses) ``bench-data/complaints-N.sqlite``: 20,000 demo customers without
visits, and N complaints spread over three years, drawn like the demo's (most closed with a
survey, those of the last month on their way, some stuck for months), with the deadlines,
business minutes and satisfaction the services keep. Then measures, each ``--runs`` times
(median and 95th percentile), against a bare SQL aggregate of the same rows in the same run:

- the escalation list (``complaint_list.escalations``: every late complaint with its
  lateness in business hours); bare: the late rows' ids and deadlines;
- the overdue view of the list as the tab opens it: the first 200 ids, their rows, the count;
- the statistics (``complaint_stats.statistics``) of the last 12 months and of all time;
  bare: one ``count(*) ... GROUP BY category`` over the same complaints.

Target: under 300 ms each (the issue's). The database is used as the app finds it."""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT / "bench-data"
NOW = dt.datetime(2026, 11, 23, 10, 0)
CUSTOMERS = 20_000
TARGET = 0.300


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def timed(function: Callable[[], object], runs: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return times, result


def fill(count: int) -> None:
    """``count`` complaints for the customers present, in one transaction."""
    from crmdesk.core.complaints import fields as K
    from crmdesk.core.db import transaction
    from crmdesk.core.models import database
    from crmdesk.core.complaints import settings as complaint_settings
    from crmdesk.core.complaints.complaints import deadlines
    from crmdesk.core.demo.complaints import CATEGORY, CHANNEL, COMPLAINT_COLUMNS, SEVERITY
    rng = random.Random(7)
    r = rng.random
    settings = complaint_settings.load()
    calendar = settings.calendar()
    customers = [row for row in database.execute_sql("SELECT id, owner FROM customer")]
    first = NOW - dt.timedelta(days=3 * 365)
    span = (NOW - first).total_seconds() / 60
    per_day: dict[str, int] = {}
    rows = []
    names = ", ".join(f'"{c}"' for c in COMPLAINT_COLUMNS)
    sql = f'INSERT INTO complaint ({names}) VALUES ({", ".join("?" * len(COMPLAINT_COLUMNS))})'
    with transaction():
        for number in range(1, count + 1):
            cid, owner = customers[int(r() * len(customers))]
            received = (first + dt.timedelta(minutes=int(r() * span))).replace(second=0, microsecond=0)
            severity = SEVERITY(r)
            due = deadlines(severity, received, 0, settings)
            age = NOW - received
            state = K.CLOSED if r() < 0.95 else K.RESOLVED
            if age < dt.timedelta(days=30) or r() < 0.01:
                state = K.STATE_KEYS[int(r() * len(K.STATE_KEYS))]
            acked = calendar.add(received, int(settings.deadlines[severity][0] * 60 * (0.2 + r())))
            resolved = calendar.add(received, int(settings.deadlines[severity][1] * 60 * (0.3 + r())))
            done = state in (K.RESOLVED, K.CLOSED)
            level = 1 + int(r() * 5) if state == K.CLOSED else None
            day = received.strftime("%Y%m%d")
            per_day[day] = per_day.get(day, 0) + 1
            text = lambda m: m.isoformat(" ") if m else None  # noqa: E731
            rows.append((number, f"bench-{number}", text(received), text(received), f"CMP-{day}-{per_day[day]:03d}",
                         cid, "", "", CHANNEL(r), text(received), CATEGORY(r), "", "", severity, "…", "", "",
                         "…" if done else "", "", None, True if done else None, owner, state,
                         text(acked) if state != K.NEW else None, text(resolved) if done else None,
                         text(resolved + dt.timedelta(days=2)) if state == K.CLOSED else None,
                         text(due["response_due_at"]), text(due["resolution_due_at"]), text(due["response_warn_at"]),
                         text(due["resolution_warn_at"]), text(received) if state == K.PROPOSED and r() < 0.1 else None,
                         0, calendar.minutes_between(received, acked) if state != K.NEW else None,
                         calendar.minutes_between(received, resolved) if done else None, level,
                         5 if level else None, "", None, 0, 1))
            if len(rows) == 10_000:
                database.connection().executemany(sql, rows)
                rows = []
        if rows:
            database.connection().executemany(sql, rows)


def ensure_database(count: int) -> Path:
    from crmdesk.core.db import close_database, open_database
    from crmdesk.core.models import database
    from crmdesk.core import demo
    DATA.mkdir(exist_ok=True)
    path = DATA / f"complaints-{count}.sqlite"
    os.environ["CRMDESK_DATA_DIR"] = str(DATA / "data")
    open_database(path)
    have = database.execute_sql("SELECT count(*) FROM complaint").fetchone()[0]
    if have < count:
        close_database()
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        open_database(path)
        start = time.perf_counter()
        demo.generate(CUSTOMERS, visits=False)
        database.execute_sql("DELETE FROM care_event")
        database.execute_sql("DELETE FROM complaint_contact")
        database.execute_sql("DELETE FROM complaint")
        fill(count)
        print(f"  built in {time.perf_counter() - start:.1f} s")
    have = database.execute_sql("SELECT count(*) FROM complaint").fetchone()[0]
    print(f"  {path.name}: {CUSTOMERS:,} customers, {have:,} complaints, {path.stat().st_size / 1e6:,.0f} MB")
    close_database()
    return path


def measure(path: Path, runs: int, show_plans: bool) -> dict[str, tuple[list[float], list[float], str]]:
    from crmdesk.core.db import open_database
    from crmdesk.core.models import database
    from crmdesk.core.complaints import list as L, stats as S

    open_database(path)
    results = {}
    now = NOW.isoformat(" ")
    bare_late = ("SELECT id, response_due_at, resolution_due_at FROM complaint WHERE state NOT IN ('resolved', 'closed') "
                 "AND deleted_at IS NULL AND waiting_since IS NULL AND (resolution_due_at < ? OR "
                 "(state = 'new' AND response_due_at < ?))")
    ours, late = timed(lambda: L.escalations(NOW), runs)
    bare, bare_rows = timed(lambda: database.execute_sql(bare_late, [now, now]).fetchall(), runs)
    results["escalation list (every late complaint)"] = (ours, bare, f"{len(late):,} late (bare {len(bare_rows):,})")

    query = L.ComplaintQuery(view="overdue", now=NOW)
    ours, first = timed(lambda: L.first_ids(query, 200), runs)
    bare, _ = timed(lambda: database.execute_sql(bare_late + " ORDER BY resolution_due_at LIMIT 200",
                                                 [now, now]).fetchall(), runs)
    results["overdue view: first screen (200 ids)"] = (ours, bare, f"{len(first)} ids")
    ours, rows = timed(lambda: L.rows(first, L.DEFAULT_COLUMNS, NOW), runs)
    marks = ",".join("?" * len(first))
    bare, _ = timed(lambda: database.execute_sql(f"SELECT * FROM complaint WHERE id IN ({marks})", list(first))
                    .fetchall(), runs)
    results["overdue view: rows of the first screen"] = (ours, bare, f"{len(rows)} rows")
    ours, count = timed(lambda: L.count(query), runs)
    bare, _ = timed(lambda: database.execute_sql(bare_late.replace("SELECT id, response_due_at, resolution_due_at",
                                                                   "SELECT count(*)"), [now, now]).fetchone(), runs)
    results["overdue view: count"] = (ours, bare, f"{count:,}")

    start, end = S.last_months(NOW.date())
    period = [dt.datetime.combine(start, dt.time()).isoformat(" "), dt.datetime.combine(end, dt.time()).isoformat(" ")]
    bare_stats = ("SELECT category, count(*) FROM complaint WHERE deleted_at IS NULL AND received_at >= ? "
                  "AND received_at < ? GROUP BY category")
    ours, stats = timed(lambda: S.statistics(start, end, now=NOW), runs)
    bare, _ = timed(lambda: database.execute_sql(bare_stats, period).fetchall(), runs)
    results["statistics: last 12 months"] = (ours, bare, f"{stats.total:,} complaints")
    ours, stats = timed(lambda: S.statistics(now=NOW), runs)
    bare, _ = timed(lambda: database.execute_sql(bare_stats, ["", "9999-12-31 23:59:59"]).fetchall(), runs)
    results["statistics: all time"] = (ours, bare, f"{stats.total:,} complaints, on time "
                                                   f"{stats.on_time_share:.0%}")
    if show_plans:
        for label, sql, params in (("escalations", bare_late, [now, now]), ("statistics", bare_stats, period)):
            print(f"  plan of {label}:")
            for row in database.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params).fetchall():
                print(f"    {row[-1]}")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--plans", action="store_true")
    args = parser.parse_args()
    print(f"complaints benchmark: {args.complaints:,} complaints, {args.runs} runs each, now = {NOW:%Y-%m-%d %H:%M}")
    path = ensure_database(args.complaints)
    results = measure(path, args.runs, args.plans)
    print(f"\n  {'what':44} {'median':>9} {'p95':>9} {'bare':>9} {'ratio':>7}  target")
    for label, (ours, bare, note) in results.items():
        median, bare_median = statistics.median(ours), statistics.median(bare)
        verdict = "ok" if pct(ours, 0.95) < TARGET else "OVER"
        print(f"  {label:44} {median * 1000:7.1f}ms {pct(ours, 0.95) * 1000:7.1f}ms {bare_median * 1000:7.1f}ms "
              f"{median / max(bare_median, 1e-9):6.1f}x  {verdict}  ({note})")


if __name__ == "__main__":
    main()
