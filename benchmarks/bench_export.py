"""Customer export speed against bare openpyxl, in the same run (DESIGN §5).

    .venv/bin/python benchmarks/bench_export.py [--customers 100000] [--lang zh]

Fills a scratch database with N customers by bulk SQL (all 47 sheet columns filled, like a
well-kept archive), then times

1. ``export.export_customers`` (all live customers sorted by name: ids, chunks of SQL,
   conversions, write-only openpyxl, atomic save), and
2. the baseline: openpyxl write-only appending the same number of rows of 47 plain values
   (no styles, no conversion; rows prepared in memory beforehand) and saving,

and prints rows/s for both and the ratio.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from openpyxl import Workbook  # noqa: E402

from crmdesk.core.customers import fields as F  # noqa: E402
from crmdesk.core.db import close_database, open_database  # noqa: E402
from crmdesk.core.models import database  # noqa: E402
from crmdesk.core.customers import export  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
WORDS = ["华润", "明华", "东方", "金桥", "长城", "海天", "新星", "宏达", "恒通", "瑞丰", "永安", "天成"]
KINDS = ["贸易", "科技", "实业", "物流", "食品", "建材", "电子", "医药"]
CITIES = [("上海", "上海", "徐汇区"), ("北京", "北京", "朝阳区"), ("广东", "广州", "天河区"),
          ("浙江", "杭州", "西湖区"), ("江苏", "南京", "鼓楼区"), ("四川", "成都", "武侯区")]


def fill(count: int, seed: int = 1) -> None:
    """``count`` customers by raw bulk inserts (the FTS triggers still run)."""
    rng = random.Random(seed)
    now = dt.datetime(2024, 5, 1, 8, 30)
    columns = ["uuid", "created_at", "updated_at", "code", "name", "kind", "contact_person",
               "title", "mobile", "phone", "fax", "email", "wechat", "province", "city",
               "district", "address", "postal_code", "website", "industry", "ownership",
               "company_size", "annual_revenue", "fiscal_year_start", "source", "owner", "tier",
               "stage", "relationship", "credit_rating", "need_score", "volume_score",
               "purchasing_power_score", "credit_score", "decision_score", "gender",
               "birthday_year", "birthday_month", "birthday_day", "birthday_calendar",
               "hometown", "education", "hobbies", "preferences", "delivery_preference",
               "payment_terms", "bank_name", "bank_account", "tax_id", "tags", "notes",
               "sort_name", "name_initials", "search_text"]
    sql = (f"INSERT INTO customer ({', '.join(columns)}) "
           f"VALUES ({', '.join('?' * len(columns))})")
    choices = {f.key: [c.key for c in f.choices] for f in F.CUSTOMER_FIELDS if f.choices}
    rows = []
    with database.atomic():
        for n in range(1, count + 1):
            province, city, district = rng.choice(CITIES)
            name = f"{city}{rng.choice(WORDS)}{rng.choice(KINDS)}有限公司{n}"
            person = rng.choice(SURNAMES) + rng.choice("伟芳娜敏静丽强磊军洋")
            created = now - dt.timedelta(days=rng.randrange(2000), seconds=rng.randrange(86400))
            has_year = rng.random() < 0.6
            rows.append((
                str(uuid.uuid4()), created, created, f"C{n:06d}", name, rng.choice(choices["kind"]),
                person, "采购经理", f"138{rng.randrange(10**8):08d}", f"021{rng.randrange(10**8):08d}",
                "", f"user{n}@example.com", f"wx{n}", province, city, district,
                f"{rng.choice(WORDS)}路{rng.randrange(1, 999)}号", f"{rng.randrange(10**6):06d}",
                f"www.example{n}.com", "批发零售", "民营", "50-100人", rng.randrange(10**10),
                rng.randrange(1, 13), rng.choice(choices["source"]), rng.choice(SURNAMES) + "经理",
                rng.choice(choices["tier"]), rng.choice(choices["stage"]),
                rng.choice(choices["relationship"]), rng.choice("ABCD"),
                *(rng.randrange(1, 6) for _ in range(5)), rng.choice(choices["gender"]),
                rng.randrange(1950, 2000) if has_year else None, rng.randrange(1, 13),
                rng.randrange(1, 29), "lunar" if rng.random() < 0.1 else "solar",
                "浙江宁波", "本科", "羽毛球", "喜欢喝茶", "工作日送货", "月结30天", "中国工商银行",
                f"6222{rng.randrange(10**15):015d}", f"91310104{rng.randrange(10**10):010d}",
                "华东, 老客户", "-" if n % 1000 == 0 else "按时付款，年底有大单",
                name.lower(), "", f"{name} {person} {city}",
            ))
            if len(rows) == 5000:
                database.cursor().executemany(sql, rows)
                rows.clear()
        if rows:
            database.cursor().executemany(sql, rows)


def plain_rows(lang: str) -> list[list]:
    """The same rows as 47 plain values each (what a naive export would append)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("x")
    converters = export._converters(ws, lang)
    sql = f"SELECT c.id, {', '.join('c.' + n for n in export.SELECT_COLUMNS)} FROM customer c"
    result = []
    for raw in database.execute_sql(sql):
        values = []
        for convert in converters:
            value = convert(raw)
            values.append(value.value if hasattr(value, "value") else value)
        result.append(values)
    return result


def baseline(path: Path, rows: list[list], headers: list[str]) -> float:
    start = time.perf_counter()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Customers")
    ws.append(headers)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return time.perf_counter() - start


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--lang", choices=export.LANGS, default="zh")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="crmdesk-bench-") as folder:
        folder = Path(folder)
        open_database(folder / "bench.sqlite")
        start = time.perf_counter()
        fill(args.customers)
        print(f"filled {args.customers:,} customers in {time.perf_counter() - start:.1f} s")

        target = folder / "export.xlsx"
        start = time.perf_counter()
        written = export.export_customers(target, args.lang)
        export_seconds = time.perf_counter() - start
        size = target.stat().st_size

        rows = plain_rows(args.lang)
        headers = [export.header(f, args.lang) for f in F.CUSTOMER_FIELDS]
        base_seconds = baseline(folder / "baseline.xlsx", rows, headers)
        base_size = (folder / "baseline.xlsx").stat().st_size
        close_database()

    print(f"export_customers: {written:,} rows x {len(F.CUSTOMER_FIELDS)} columns in "
          f"{export_seconds:.2f} s = {written / export_seconds:,.0f} rows/s ({size / 1e6:.1f} MB)")
    print(f"bare openpyxl write-only: {len(rows):,} rows x {len(headers)} plain values in "
          f"{base_seconds:.2f} s = {len(rows) / base_seconds:,.0f} rows/s ({base_size / 1e6:.1f} MB)")
    print(f"ratio export / bare: {export_seconds / base_seconds:.2f}x the time "
          f"({(written / export_seconds) / (len(rows) / base_seconds):.0%} of the bare speed)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
