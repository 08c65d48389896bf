"""The care rules at 100,000 customers (run on demand).

    .venv/bin/python benchmarks/bench_care.py [--customers 100000] [--runs 3] [--profile]

Builds (or reuses) ``bench-data/care-N.sqlite``: N customers (10% key accounts, 5%
individuals with a birthday, half solar half lunar), 3 × N contacts (40% with a birthday,
a quarter of them lunar), 5 × N transactions spread over three years, inserted with
``executemany``. Then, on a fresh copy of it each time, measures ``care_rules.run(day)``:

- the first run with the default settings (every birthday, festival, purchase follow-up,
  anniversary, inactivity and churn warning new; points count from the first run's day, so
  no purchase before it earns any);
- a second run on the same day (nothing new: every insert is ignored);
- once, apart: a first run whose settings give points from three years back, so that it
  also credits every one of the 5 × N purchases (a one-off backfill).

against a baseline in the same run: a bare SQL scan reading every row of customer, contact
and transactions (``SELECT count(*), sum(length(name)) ...``). The first run of the process
is also reported apart: lunar-python's tables are computed then, and cached after.
``--profile`` prints where a first run spends its time. Target: a first run under 3 s."""
from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import pstats
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT / "bench-data"
DAY = dt.date(2026, 11, 23)
TARGET = 3.0
CHUNK = 20_000


def _columns(table: str) -> list[tuple[str, str, bool]]:
    from crmdesk.core.models import database
    return [(name, kind.upper(), bool(notnull) and default is None and not pk)
            for _cid, name, kind, notnull, default, pk in database.execute_sql(f'PRAGMA table_info("{table}")')]


def _inserter(table: str, values: dict):
    """(sql, row maker): every NOT NULL column without a default gets '' or 0 unless named."""
    from crmdesk.core.models import database
    names, fixed = [], []
    for name, kind, required in _columns(table):
        if name in values:
            names.append(name)
            fixed.append(None)
        elif required:
            names.append(name)
            fixed.append(0 if "INT" in kind or "REAL" in kind else "")
    sql = (f'INSERT INTO "{table}" ({", ".join(f"{chr(34)}{n}{chr(34)}" for n in names)}) '
           f'VALUES ({", ".join("?" * len(names))})')
    keys = [n if f is None else None for n, f in zip(names, fixed)]

    def row(given: dict) -> tuple:
        return tuple(given[k] if k is not None else f for k, f in zip(keys, fixed))
    return sql, row, database


def fill(customers: int) -> None:
    from crmdesk.core.db import transaction
    from crmdesk.core.models import database
    rng = random.Random(20261123)
    r = rng.random
    connection = database.connection()
    start = DAY - dt.timedelta(days=3 * 365)
    tiers = ("relationship", "transactional", "prospect")
    stages = ("active", "active", "active", "developing", "declining", "lost")
    stamp = "2023-06-01 09:00:00"
    c_sql, c_row, _ = _inserter("customer", dict.fromkeys(
        ("id", "uuid", "created_at", "updated_at", "code", "name", "kind", "owner", "tier", "stage", "gender",
         "birthday_month", "birthday_day", "birthday_calendar", "sort_name")))
    p_sql, p_row, _ = _inserter("contact", dict.fromkeys(
        ("id", "uuid", "created_at", "updated_at", "customer_id", "name", "birthday_month", "birthday_day",
         "birthday_calendar")))
    t_sql, t_row, _ = _inserter("transactions", dict.fromkeys(
        ("id", "uuid", "created_at", "updated_at", "customer_id", "date", "product", "category", "amount")))

    def birthday(lunar: bool) -> tuple[int, int, str]:
        month = 1 + int(r() * 12)
        day = 1 + int(r() * (30 if lunar else 28))
        return month, day, "lunar" if lunar else "solar"

    with transaction():
        rows = []
        for cid in range(1, customers + 1):
            draw = r()
            individual = draw < 0.05
            tier = "key" if 0.05 <= draw < 0.15 else tiers[int(r() * len(tiers))]
            month = day = None
            calendar = "solar"
            if individual:
                month, day, calendar = birthday(r() < 0.5)
            name = f"客户{cid:06d}"
            rows.append(c_row({"id": cid, "uuid": f"c-{cid}", "created_at": stamp, "updated_at": stamp,
                               "code": f"C{cid:06d}", "name": name, "kind": "individual" if individual else "company",
                               "owner": f"销售{cid % 40}", "tier": tier, "stage": stages[int(r() * len(stages))],
                               "gender": ("male", "female")[cid % 2] if individual else None,
                               "birthday_month": month, "birthday_day": day, "birthday_calendar": calendar,
                               "sort_name": name}))
            if len(rows) == CHUNK:
                connection.executemany(c_sql, rows)
                rows = []
        connection.executemany(c_sql, rows)
        rows = []
        for pid in range(1, 3 * customers + 1):
            month = day = None
            calendar = "solar"
            if r() < 0.4:
                month, day, calendar = birthday(r() < 0.25)
            rows.append(p_row({"id": pid, "uuid": f"p-{pid}", "created_at": stamp, "updated_at": stamp,
                               "customer_id": 1 + int(r() * customers), "name": f"联系人{pid}",
                               "birthday_month": month, "birthday_day": day, "birthday_calendar": calendar}))
            if len(rows) == CHUNK:
                connection.executemany(p_sql, rows)
                rows = []
        connection.executemany(p_sql, rows)
        rows = []
        span = (DAY - start).days
        for tid in range(1, 5 * customers + 1):
            date = (start + dt.timedelta(days=int(r() * span))).isoformat()
            rows.append(t_row({"id": tid, "uuid": f"t-{tid}", "created_at": date + " 10:00:00",
                               "updated_at": date + " 10:00:00", "customer_id": 1 + int(r() * customers),
                               "date": date, "product": "激光打印机", "category": "办公设备",
                               "amount": 100 * (50 + int(r() * 20000))}))
            if len(rows) == CHUNK:
                connection.executemany(t_sql, rows)
                rows = []
        connection.executemany(t_sql, rows)
    database.execute_sql("ANALYZE")
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def ensure_database(customers: int) -> Path:
    from crmdesk.core.db import close_database, open_database
    from crmdesk.core.models import database
    DATA.mkdir(exist_ok=True)
    os.environ["CRMDESK_DATA_DIR"] = str(DATA / "data")
    path = DATA / f"care-{customers}.sqlite"
    if path.exists():
        open_database(path)
        have = database.execute_sql("SELECT count(*) FROM customer").fetchone()[0]
        close_database()
        if have == customers:
            return path
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    open_database(path)
    began = time.perf_counter()
    fill(customers)
    print(f"built {path.name}: {customers:,} customers, {3 * customers:,} contacts, {5 * customers:,} "
          f"transactions in {time.perf_counter() - began:.1f} s")
    close_database()
    return path


def bare_scan() -> float:
    from crmdesk.core.models import database
    began = time.perf_counter()
    database.execute_sql("SELECT count(*), sum(length(name)), sum(birthday_month) FROM customer").fetchone()
    database.execute_sql("SELECT count(*), sum(length(name)), sum(birthday_month) FROM contact").fetchone()
    database.execute_sql("SELECT count(*), sum(amount), max(date) FROM transactions NOT INDEXED").fetchone()
    return time.perf_counter() - began


def care_today(lists) -> int:
    return lists["today: every id (the worker's read)"][2]


def list_timings(repeats: int = 9) -> dict[str, tuple[float, float, int]]:
    """The care tab on the day the first run filled (tens of thousands due at once): the
    first screen of today's list, its rows, the counts on the buttons, the whole id list;
    each against a bare ``SELECT id FROM care_event LIMIT 200`` of the same table."""
    from crmdesk.core.models import database
    from crmdesk.core.care import list as care_list
    from crmdesk.core.care.list import CareQuery
    query = CareQuery(view="today", today=DAY)
    ids = care_list.first_ids(query, 200)
    measures = {
        "today: first screen (200 ids)": lambda: care_list.first_ids(query, 200),
        "today: rows of the first screen": lambda: care_list.rows(ids, ("shown_on", "kind", "customer_name",
                                                                        "contact", "channel", "state", "owner")),
        "counts (today, overdue, week)": lambda: care_list.counts(DAY),
        "today: every id (the worker's read)": lambda: care_list.ids(query),
        "bare: SELECT id ... LIMIT 200": lambda: database.execute_sql("SELECT id FROM care_event LIMIT 200").fetchall(),
    }
    found = {}
    for name, fn in measures.items():
        times = []
        for _ in range(repeats):
            began = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - began)
        size = len(result) if hasattr(result, "__len__") else 0
        found[name] = (statistics.median(times), max(times), size)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="profile the first run of the first copy")
    args = parser.parse_args()
    from crmdesk.core.db import close_database, open_database
    from crmdesk.core.care import rules as care_rules, settings as care_settings
    from crmdesk.core.care.settings import Rules
    source = ensure_database(args.customers)
    work = DATA / f"care-{args.customers}-run.sqlite"
    firsts, seconds, bares, created = [], [], [], None
    backfill = None
    for attempt in range(args.runs + 1):
        last = attempt == args.runs  # the backfill run
        for suffix in ("", "-wal", "-shm"):
            Path(str(work) + suffix).unlink(missing_ok=True)
        shutil.copyfile(source, work)
        open_database(work)
        if last:  # points from three years back: the first run credits every purchase too
            care_settings.save({**Rules().as_json(), "points_from": (DAY - dt.timedelta(days=3 * 365)).isoformat()})
            began = time.perf_counter()
            backfill = (care_rules.run(DAY), time.perf_counter() - began)
            close_database()
            break
        bares.append(bare_scan())
        profile = cProfile.Profile() if args.profile and attempt == 0 else None
        began = time.perf_counter()
        if profile:
            profile.enable()
        first = care_rules.run(DAY)
        if profile:
            profile.disable()
        firsts.append(time.perf_counter() - began)
        if attempt == 0:
            lists = list_timings()
        began = time.perf_counter()
        second = care_rules.run(DAY)
        seconds.append(time.perf_counter() - began)
        assert second.total == 0 and second.points == 0, second
        created = first
        close_database()
        if profile:
            pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
    bare = statistics.median(bares)
    print(f"customers {args.customers:,}  contacts {3 * args.customers:,}  transactions {5 * args.customers:,}")
    print(f"first run created {created.total:,} events {dict(created.created)} and {created.points:,} points entries")
    print(f"bare scan of customer, contact, transactions: median {bare * 1000:.0f} ms")
    print(f"first run (cold, this process's first): {firsts[0]:.2f} s  = {firsts[0] / bare:.1f} x bare")
    if len(firsts) > 1:
        warm = statistics.median(firsts[1:])
        print(f"first run (warm, median of {len(firsts) - 1}): {warm:.2f} s  = {warm / bare:.1f} x bare")
    second = statistics.median(seconds)
    print(f"second run (nothing new, median of {len(seconds)}): {second:.2f} s  = {second / bare:.1f} x bare")
    print(f"target: first run under {TARGET:.0f} s: {'met' if max(firsts) < TARGET else 'NOT met'}")
    print(f"the care list with {care_today(lists):,} reminders due today (median / max of 9):")
    bare_list = lists["bare: SELECT id ... LIMIT 200"][0]
    for name, (median, worst, size) in lists.items():
        print(f"  {name:40s} {median * 1000:8.1f} / {worst * 1000:8.1f} ms  = {median / bare_list:7.1f} x bare  ({size:,})")
    run, took = backfill
    print(f"first run crediting {run.points:,} past purchases with points too: {took:.2f} s  = {took / bare:.1f} x bare")
    for suffix in ("", "-wal", "-shm"):
        Path(str(work) + suffix).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
