"""Custom fields in the customer list at 100,000 customers (issue 21: "stored so that sorting
and filtering stay SQL"). Run on demand, on an otherwise idle machine:

    .venv/bin/python benchmarks/bench_custom_fields.py [--customers 100000] [--runs 5]

Builds (or reuses) ``/tmp/crmdesk-bench/custom-N.sqlite``: a demo database of N customers
(no visits) with three custom fields filled for every customer (a number 1-8, a choice of
高/中/低, a text among 12 religions and blanks), written with one executemany. Then
measures, through ``customer_list`` as the list calls it, the median of ``--runs``:

- the first screen (50 rows) sorted by the custom number, and every id in that order;
- the filter on the custom choice: its count and its first screen;
- a search word found only in the custom text: the first screen;
- the rows of a screen with three custom columns;

each against the same operation on a built-in column in the same run (annual revenue for
the sort, the tier for the filter, a city word for the search, three built-in columns for
the rows), with the ratio."""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = Path("/tmp/crmdesk-bench")
RELIGIONS = ["佛教", "道教", "基督教", "天主教", "伊斯兰教", "无", "", "", "", "", "", ""]


def build(count: int) -> Path:
    from crmdesk.core import custom_fields as CF
    from crmdesk.core.custom_fields import values as V
    from crmdesk.core.db import close_database, open_database
    from crmdesk.core.models import database, utcnow
    from crmdesk.core.customers import archive as customers
    from crmdesk.core import demo
    DATA.mkdir(exist_ok=True)
    path = Path(os.environ.get("BENCH_CF_DB", DATA / f"custom-{count}.sqlite"))
    os.environ["CRMDESK_DATA_DIR"] = str(DATA / "data")
    open_database(path)
    if customers.count() == count and CF.all_fields():
        close_database()
        return path
    close_database()
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    open_database(path)
    start = time.perf_counter()
    demo.generate(count, visits=False)
    CF.add("家庭人数", CF.NUMBER)
    CF.add("收入水平", CF.CHOICE, ("高", "中", "低"))
    CF.add("宗教信仰", CF.TEXT)
    rng = random.Random(20261207)
    now = utcnow()
    rows = []
    with database.atomic():
        for cid, cuuid in database.execute_sql("SELECT id, uuid FROM customer").fetchall():
            values = {"cf:家庭人数": rng.randint(1, 8), "cf:收入水平": rng.choice(["高", "中", "中", "低"])}
            religion = rng.choice(RELIGIONS)
            if religion:
                values["cf:宗教信仰"] = religion
            rows += V.insert_rows(cid, cuuid, values, now)
        database.cursor().executemany(V.INSERT_HEAD + " (?, ?, ?, ?, ?, ?)", rows)
        ids = [r[0] for r in database.execute_sql("SELECT id FROM customer").fetchall()]
        for start_at in range(0, len(ids), 500):
            for cid in ids[start_at:start_at + 500]:
                customers.refresh_search(cid)
    database.execute_sql("ANALYZE")
    print(f"built {path.name}: {count:,} customers, {len(rows):,} custom values in {time.perf_counter() - start:.1f} s")
    close_database()
    return path


def timed(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    path = build(args.customers)
    from crmdesk.core.db import close_database, open_database
    from crmdesk.core.customers import list as L
    open_database(path)
    q = L.ListQuery
    cases = [
        ("first screen, sorted by a number", lambda: L.first_ids(q(sort="cf:家庭人数"), 50),
         lambda: L.first_ids(q(sort="annual_revenue"), 50)),
        ("every id, sorted by a number", lambda: L.ids(q(sort="cf:家庭人数")),
         lambda: L.ids(q(sort="annual_revenue"))),
        ("filter: count", lambda: L.count(q(filters=(("cf:收入水平", "高"),))),
         lambda: L.count(q(filters=(("tier", "key"),)))),
        ("filter: first screen", lambda: L.first_ids(q(filters=(("cf:收入水平", "高"),)), 50),
         lambda: L.first_ids(q(filters=(("tier", "key"),)), 50)),
        ("search a word of the custom text", lambda: L.first_ids(q(search="天主教"), 50),
         lambda: L.first_ids(q(search="杭州市"), 50)),
    ]
    screen = L.first_ids(q(), 50)
    cases.append(("rows of a screen, three columns", lambda: L.rows(screen, ["cf:家庭人数", "cf:收入水平", "cf:宗教信仰"]),
                  lambda: L.rows(screen, ["city", "tier", "owner"])))
    print(f"{args.customers:,} customers, median of {args.runs}")
    print(f"{'':40} {'custom field':>14} {'built-in':>12} {'ratio':>7}")
    for name, custom, builtin in cases:
        a, b = timed(custom, args.runs), timed(builtin, args.runs)
        print(f"{name:40} {a * 1000:11.2f} ms {b * 1000:9.2f} ms {a / b:6.2f}x")
    print("matches:", L.count(q(filters=(("cf:收入水平", "高"),))), "高;",
          len(L.ids(q(search="天主教"))), "天主教")
    close_database()


if __name__ == "__main__":
    main()
