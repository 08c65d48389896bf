"""Customer import speed and memory against the bare pipeline, in the same run (DESIGN §5).

    .venv/bin/python benchmarks/bench_import.py [--rows 100000]

Writes a customer sheet of N rows x 25 spec columns (Chinese headers; phones partly as
numbers, dates as real dates and as text, 1.2万-style money, enum labels, tags) as .xlsx and
as .csv (UTF-8 with BOM), then, each in its own process so that peak memory is its own:

1. ``import customers`` end to end into an empty database: open, detect the header, read,
   normalise, match, write, in one transaction;
2. the baseline: python-calamine (or ``csv``) reading every row, plus one raw
   ``executemany`` of the same rows, as they are, into the customer table (its search
   triggers still run) in one transaction.

It prints seconds, rows/s, peak RSS and the ratio import / baseline for both formats: the
median of ``--repeat`` runs of each (3), import and baseline taking turns, as single runs
on this machine vary by 10-20 %.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

KEYS = ["code", "name", "kind", "contact_person", "title", "mobile", "phone", "email", "wechat",
        "province", "city", "district", "address", "postal_code", "industry", "annual_revenue",
        "source", "owner", "tier", "stage", "credit_rating", "need_score", "birthday", "tags", "notes"]


def make_rows(count: int, seed: int = 5):
    from crmdesk.core.customers import fields as F
    rng = random.Random(seed)
    labels = {f.key: [c.zh for c in f.choices] for f in F.CUSTOMER_FIELDS if f.choices}
    cities = [("上海", "上海", "徐汇区"), ("北京", "北京", "朝阳区"), ("广东", "广州", "天河区"),
              ("浙江", "杭州", "西湖区"), ("四川", "成都", "武侯区")]
    words = ["华润", "明华", "东方", "金桥", "长城", "海天", "新星", "宏达", "恒通", "瑞丰"]
    for n in range(1, count + 1):
        province, city, district = rng.choice(cities)
        mobile = 13800000000 + rng.randrange(10**8)
        yield [
            f"K{n:07d}", f"{city}{rng.choice(words)}贸易有限公司{n}", rng.choice(labels["kind"]),
            rng.choice("王李张刘陈") + rng.choice("伟芳娜敏静"), "采购经理",
            float(mobile) if n % 3 == 0 else str(mobile), f"021-{rng.randrange(10**8):08d}",
            f"user{n}@example.com", f"wx{n}", province, city, district, f"{rng.choice(words)}路{n % 999}号",
            f"{rng.randrange(10**6):06d}", "批发零售", f"{rng.randrange(1, 900)}万" if n % 2 else rng.randrange(10**7),
            rng.choice(labels["source"]), rng.choice("王李张") + "经理", rng.choice(labels["tier"]),
            rng.choice(labels["stage"]), rng.choice("ABCD"), rng.randrange(1, 6),
            dt.date(1960 + n % 40, 1 + n % 12, 1 + n % 28) if n % 2 else f"{1 + n % 12}月{1 + n % 28}日",
            "华东, 老客户", "按时付款",
        ]


def write_files(folder: Path, count: int) -> tuple[Path, Path]:
    from openpyxl import Workbook
    from crmdesk.core.customers import fields as F
    headers = [F.BY_KEY[k].zh for k in KEYS]
    xlsx, csv_path = folder / "customers.xlsx", folder / "customers.csv"
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("客户")
    ws.append(headers)
    with csv_path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(headers)
        for row in make_rows(count):
            ws.append(row)
            writer.writerow(["" if v is None else (v.isoformat() if isinstance(v, dt.date) else
                             (str(int(v)) if isinstance(v, float) else v)) for v in row])
    wb.save(xlsx)
    return xlsx, csv_path


def child_import(path: str, db: str) -> dict:
    from crmdesk.core.db import close_database, open_database
    from crmdesk.core.imports import customer_import
    from crmdesk.core.imports.options import ImportOptions
    open_database(Path(db))
    start = time.perf_counter()
    result, _ = customer_import.import_file(path, ImportOptions())
    seconds = time.perf_counter() - start
    close_database()
    return {"seconds": seconds, "rows": result.created + result.updated + result.skipped,
            "rejected": result.rejected}


def child_bare(path: str, db: str) -> dict:
    from crmdesk.core.db import close_database, open_database
    from crmdesk.core.models import database
    open_database(Path(db))
    start = time.perf_counter()
    if path.endswith(".csv"):
        with open(path, encoding="utf-8-sig", newline="") as stream:
            rows = list(csv.reader(stream))[1:]
    else:
        from python_calamine import CalamineWorkbook
        rows = CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()[1:]
    now = dt.datetime.now()
    columns = ["uuid", "created_at", "updated_at", *KEYS, "sort_name", "name_initials", "search_text"]
    columns = [c if c != "birthday" else "birthday_month" for c in columns]
    text = ("fax", "website", "ownership", "company_size", "hometown", "education", "hobbies", "preferences",
            "delivery_preference", "payment_terms", "bank_name", "bank_account", "tax_id")
    sql = (f"INSERT INTO customer ({', '.join(columns + list(text))}, birthday_calendar) "
           f"VALUES ({', '.join('?' * (len(columns) + len(text)))}, 'solar')")
    with database.atomic():
        database.cursor().executemany(sql, ([str(uuid.uuid4()), now, now,
                                            *(str(v) if isinstance(v, (dt.date, float)) else v for v in row),
                                            row[1], "", row[1]] + [""] * len(text) for row in rows))
    seconds = time.perf_counter() - start
    close_database()
    return {"seconds": seconds, "rows": len(rows), "rejected": 0}


def measure(kind: str, path: Path, folder: Path) -> dict:
    db = folder / f"{kind}-{path.suffix[1:]}-{uuid.uuid4().hex[:6]}.sqlite"
    output = subprocess.run([sys.executable, __file__, "--child", kind, str(path), str(db)],
                            check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def _median(runs: list[dict]) -> dict:
    """The run with the median time (its peak memory with it)."""
    return sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each measure, import and bare taking turns; the median is reported")
    parser.add_argument("--child", nargs=3, metavar=("KIND", "FILE", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, path, db = args.child
        figures = (child_import if kind == "import" else child_bare)(path, db)
        figures["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(figures))
        return 0
    with tempfile.TemporaryDirectory(prefix="crmdesk-bench-") as folder:
        folder = Path(folder)
        start = time.perf_counter()
        xlsx, csv_path = write_files(folder, args.rows)
        print(f"wrote {args.rows:,} rows x {len(KEYS)} columns as .xlsx ({xlsx.stat().st_size / 1e6:.1f} MB) "
              f"and .csv ({csv_path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - start:.1f} s")
        for path in (xlsx, csv_path):
            fulls, bares = [], []
            for _ in range(args.repeat):
                fulls.append(measure("import", path, folder))
                bares.append(measure("bare", path, folder))
            full, bare = _median(fulls), _median(bares)
            runs = ", ".join(f"{f['seconds']:.1f}" for f in fulls)
            print(f"{path.suffix}: import {full['rows']:,} rows ({full['rejected']} rejected) in {full['seconds']:.2f} s "
                  f"= {full['rows'] / full['seconds']:,.0f} rows/s, peak {full['peak_mb']:.0f} MB (runs: {runs} s)")
            runs = ", ".join(f"{b['seconds']:.1f}" for b in bares)
            print(f"{path.suffix}: bare read + executemany {bare['rows']:,} rows in {bare['seconds']:.2f} s "
                  f"= {bare['rows'] / bare['seconds']:,.0f} rows/s, peak {bare['peak_mb']:.0f} MB (runs: {runs} s)")
            print(f"{path.suffix}: ratio import / bare: {full['seconds'] / bare['seconds']:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
