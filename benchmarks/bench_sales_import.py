"""Sales (transaction) import speed and memory at a million rows, against the bare pipeline
in the same run (issue 21: "1,000,000 sales rows, .xlsx and .csv, under 2 minutes, peak
memory under 500 MB").

    .venv/bin/python benchmarks/bench_sales_import.py [--rows 1000000] [--customers 50000]
                                                      [--existing 30000] [--repeat 3]
                                                      [--formats xlsx csv] [--profile]

Writes (or reuses) under ``/tmp/crmdesk-bench/``:

- a sales sheet of N rows in the transactions template's columns (客户编号 客户名称 日期 产品
  产品类别 数量 金额 已付款), as .xlsx (as Excel writes one: shared strings, dates in the
  short-date style) and as UTF-8-with-BOM .csv: buyers among C customers
  with skewed weights (a few buy often, most now and then), ten years of dates (real dates
  in the .xlsx, 2019-03-05 text in the .csv), 2,000 products in 30 categories, quantities,
  amounts (1 % refunds), paid (mostly left empty: paid in full; some 0; some part); 2 % of
  the rows name an existing customer by name alone; 1 row in 2,000 has a bad date or amount;
- a database with the first E of those customers (``import customers`` of their number,
  name, city and mobile), copied afresh for every run: the rest are new to it.

Then, each in its own process so that peak memory is its own (``ru_maxrss``):

1. the import: ``transaction_import.import_file`` end to end (open and check the file,
   detect the header, read, check every row, link to customers and create the missing ones,
   write lines, sales, change log, products, one transaction);
2. the baseline: python-calamine (or ``csv``) reading every row, plus raw ``executemany``
   of the rows, as they are, into the same two tables every line goes to (``sale`` and
   ``transactions``, 10,000 rows a call, the customer id from a dict of the existing
   numbers), in one transaction.

It prints seconds, rows/s, peak RSS and the ratio import / baseline per format: the median
of ``--repeat`` runs (import and baseline taking turns). ``--profile`` runs one import of
the first format under cProfile instead and prints where the time goes.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import itertools
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATA = Path("/tmp/crmdesk-bench")
HEADERS = ["客户编号", "客户名称", "日期", "产品", "产品类别", "数量", "金额", "已付款"]
TARGET_SECONDS, TARGET_MB = 120, 500
VERSION = 3  # of the generated files: a change to the generator changes their names
CITIES = ["上海", "北京", "广州", "深圳", "杭州", "成都", "南京", "武汉", "西安", "苏州", "天津", "重庆"]
WORDS = ["华润", "明华", "东方", "金桥", "长城", "海天", "新星", "宏达", "恒通", "瑞丰", "永昌", "丰源"]
KINDS = ["贸易有限公司", "商贸有限公司", "五金店", "建材经营部", "机电设备有限公司", "商行"]
CATEGORIES = [f"{w}类" for w in ("阀门", "管件", "法兰", "水泵", "电机", "轴承", "紧固件", "密封件", "仪表", "线缆",
                                 "开关", "照明", "工具", "油漆", "胶粘剂", "劳保", "焊材", "管材", "板材", "型材",
                                 "五金", "电器", "水暖", "消防", "安防", "包装", "化工", "清洁", "办公", "杂项")]
BAD_EVERY = 2_000


def customer(n: int) -> tuple[str, str]:
    """The number and name of customer n (1-based)."""
    rng = random.Random(n)
    return f"K{n:06d}", f"{rng.choice(CITIES)}{rng.choice(WORDS)}{rng.choice(KINDS)}{n}"


def products(seed: int = 7) -> list[tuple[str, str, float]]:
    rng = random.Random(seed)
    found = []
    for k in range(2_000):
        category = CATEGORIES[k % len(CATEGORIES)]
        found.append((f"{category[:-1]} {rng.choice('ABCDEFGH')}{k:04d} DN{rng.choice((15, 20, 25, 50, 100))}",
                      category, round(rng.uniform(2, 2_000), 2)))
    return found


def make_rows(count: int, customers: int, existing: int, csv_text: bool, seed: int = 21):
    """The sheet's rows as cells: real dates and numbers (.xlsx), or text (.csv)."""
    rng = random.Random(seed)
    items = products()
    start = dt.date(2016, 1, 1)
    for n in range(1, count + 1):
        who = 1 + int(customers * rng.random() ** 2)  # skewed: the low numbers buy most
        code, name = customer(who)
        if who <= existing and rng.random() < 0.02:
            code = None  # an existing customer named, not numbered
        product, category, price = rng.choice(items)
        quantity = rng.randrange(1, 50)
        amount = round(quantity * price, 2) * (-1 if rng.random() < 0.01 else 1)
        draw = rng.random()
        paid = None if draw < 0.7 else (amount if draw < 0.9 else (0 if draw < 0.95 else round(amount / 2, 2)))
        day = start + dt.timedelta(days=rng.randrange(3_650))
        when: object = day.isoformat() if csv_text else dt.datetime.combine(day, dt.time())
        if n % BAD_EVERY == 0:
            when, amount = ("2019-13-45", amount) if n % (2 * BAD_EVERY) else (when, "约一千")
        if csv_text:
            yield [code or "", name, when, product, category, str(quantity), str(amount), "" if paid is None else str(paid)]
        else:
            yield [code, name, when, product, category, quantity, amount, paid]


def sheet_paths(rows: int, customers: int, existing: int) -> tuple[Path, Path]:
    stem = f"sales-v{VERSION}-{rows}-{customers}-{existing}"
    return DATA / f"{stem}.xlsx", DATA / f"{stem}.csv"


def write_files(rows: int, customers: int, existing: int) -> tuple[Path, Path]:
    """The .xlsx (openpyxl write-only) and the .csv, unless written before."""
    xlsx, csv_path = sheet_paths(rows, customers, existing)
    if not csv_path.exists():
        part = csv_path.with_suffix(".part")
        with part.open("w", encoding="utf-8-sig", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow(HEADERS)
            writer.writerows(make_rows(rows, customers, existing, True))
        part.rename(csv_path)
    if not xlsx.exists():
        part = xlsx.with_suffix(".part")
        write_xlsx(part, itertools.chain([HEADERS], make_rows(rows, customers, existing, False)), rows + 1)
        part.rename(xlsx)
    return xlsx, csv_path


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_xlsx(path: Path, rows, count: int) -> None:
    """The sheet as Excel saves one: text in the shared-strings table, dates as serials in
    the built-in short-date style (numFmtId 14), numbers as they are. openpyxl's write-only
    mode writes inline strings, which Excel never does."""
    import zipfile
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    strings: dict[str, int] = {}
    epoch = dt.datetime(1899, 12, 30)
    letters = "ABCDEFGHIJ"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {ns}>'
                        f'<dimension ref="A1:H{count}"/><sheetData>'.encode())
            for number, row in enumerate(rows, 1):
                cells = []
                for column, value in zip(letters, row):
                    ref = f"{column}{number}"
                    if value is None:
                        continue
                    if isinstance(value, str):
                        cells.append(f'<c r="{ref}" t="s"><v>{strings.setdefault(value, len(strings))}</v></c>')
                    elif isinstance(value, dt.datetime):
                        cells.append(f'<c r="{ref}" s="1"><v>{(value - epoch).days}</v></c>')
                    else:
                        cells.append(f'<c r="{ref}"><v>{value}</v></c>')
                sheet.write(f'<row r="{number}">{"".join(cells)}</row>'.encode())
            sheet.write(b"</sheetData></worksheet>")
        zf.writestr("xl/sharedStrings.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst {ns} '
                    f'count="{len(strings)}" uniqueCount="{len(strings)}">'
                    + "".join(f"<si><t>{_escape(s)}</t></si>" for s in strings) + "</sst>")
        zf.writestr("xl/styles.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet {ns}>'
                    '<fonts count="1"><font><sz val="11"/><name val="等线"/></font></fonts><fills count="1"><fill>'
                    '<patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders>'
                    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
                    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
                    '</styleSheet>')
        zf.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {ns} '
                    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                    '<sheet name="销售明细" sheetId="1" r:id="rId1"/></sheets></workbook>')
        rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        zf.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                    f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
                    f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
                    f'<Relationship Id="rId3" Type="{rel}/styles" Target="styles.xml"/></Relationships>')
        zf.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                    f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        zf.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                    '<Default Extension="xml" ContentType="application/xml"/>'
                    f'<Override PartName="/xl/workbook.xml" ContentType="{kind}.sheet.main+xml"/>'
                    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{kind}.worksheet+xml"/>'
                    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kind}.sharedStrings+xml"/>'
                    f'<Override PartName="/xl/styles.xml" ContentType="{kind}.styles+xml"/></Types>')


def seed_database(existing: int) -> Path:
    """A database holding customers 1..E, imported as a user would."""
    path = DATA / f"sales-seed-v1-{existing}.sqlite"
    if path.exists():
        return path
    from crmdesk.core.db import close_database, open_database
    from crmdesk.core.imports import customer_import
    from crmdesk.core.imports.options import ImportOptions
    sheet = DATA / f"sales-seed-{existing}.csv"
    with sheet.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["客户编号", "客户名称", "城市", "手机"])
        for n in range(1, existing + 1):
            code, name = customer(n)
            writer.writerow([code, name, name[:2], f"1{(38, 39, 50, 86)[n % 4]}{n:08d}"])
    part = path.with_suffix(".part")
    part.unlink(missing_ok=True)
    open_database(part)
    result, _ = customer_import.import_file(sheet, ImportOptions())
    close_database()
    assert result.created == existing, (result.created, result.rejected)
    sheet.unlink()
    for suffix in ("-wal", "-shm"):
        Path(str(part) + suffix).unlink(missing_ok=True)
    part.rename(path)
    return path


def _fresh_copy(seed: str, db: str) -> None:
    shutil.copyfile(seed, db)


def child_import(path: str, seed: str, db: str) -> dict:
    from crmdesk.core.db import close_database, open_database
    from crmdesk.core.models import database
    from crmdesk.core.imports import transaction_import
    from crmdesk.core.imports.options import ImportOptions
    _fresh_copy(seed, db)
    open_database(Path(db))
    start = time.perf_counter()
    result, _ = transaction_import.import_file(path, ImportOptions())
    seconds = time.perf_counter() - start
    stored = database.execute_sql("SELECT count(*) FROM transactions").fetchone()[0]
    close_database()
    return {"seconds": seconds, "rows": result.created, "rejected": result.rejected,
            "new_customers": result.customers_created, "stored": stored}


def _rows(path: str):
    if path.endswith(".csv"):
        with open(path, encoding="utf-8-sig", newline="") as stream:
            reader = csv.reader(stream)
            next(reader)
            yield from reader
    else:
        from python_calamine import CalamineWorkbook
        rows = CalamineWorkbook.from_path(path).get_sheet_by_index(0).iter_rows()
        next(rows)
        yield from rows


SALE = ('INSERT INTO "sale" ("id", "uuid", "created_at", "updated_at", "customer_id", "date", "kind", "owner", '
        '"paid", "notes", "version") VALUES (?, ?, ?, ?, ?, ?, \'sale\', \'\', ?, \'\', 1)')
LINE = ('INSERT INTO "transactions" ("uuid", "created_at", "updated_at", "customer_id", "date", "product", '
        '"category", "quantity", "amount", "paid", "notes", "sale_id", "line_no") '
        'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, \'\', ?, 1)')


def child_bare(path: str, seed: str, db: str) -> dict:
    from crmdesk.core.db import close_database, open_database
    from crmdesk.core.models import database
    _fresh_copy(seed, db)
    open_database(Path(db))
    start = time.perf_counter()
    now = str(dt.datetime.now())
    ids = dict(database.execute_sql("SELECT code, id FROM customer").fetchall())
    fallback = min(ids.values())
    count = 0
    with database.atomic():
        cursor = database.cursor()
        next_id = (database.execute_sql("SELECT max(id) FROM sale").fetchone()[0] or 0) + 1
        chunk: list = []
        for row in _rows(path):
            chunk.append(row)
            if len(chunk) == 10_000:
                next_id = _bare_chunk(cursor, chunk, ids, fallback, next_id, now)
                count += len(chunk)
                chunk = []
        _bare_chunk(cursor, chunk, ids, fallback, next_id, now)
        count += len(chunk)
    seconds = time.perf_counter() - start
    close_database()
    return {"seconds": seconds, "rows": count, "rejected": 0, "new_customers": 0, "stored": count}


def _bare_chunk(cursor, chunk, ids, fallback, next_id, now) -> int:
    if not chunk:
        return next_id
    sales, lines = [], []
    for n, (code, _name, date, product, category, quantity, amount, paid) in enumerate(chunk, next_id):
        cid = ids.get(code, fallback)
        date = str(date)
        sales.append((n, str(uuid.uuid4()), now, now, cid, date, paid))
        lines.append((str(uuid.uuid4()), now, now, cid, date, product, category, quantity, amount, paid, n))
    cursor.executemany(SALE, sales)
    cursor.executemany(LINE, lines)
    return next_id + len(chunk)


def child_profile(path: str, seed: str, db: str) -> dict:
    import cProfile
    import pstats
    profile = cProfile.Profile()
    figures = profile.runcall(child_import, path, seed, db)
    pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(45)
    pstats.Stats(profile, stream=sys.stderr).sort_stats("tottime").print_stats(30)
    return figures


def measure(kind: str, path: Path, seed: Path) -> dict:
    db = DATA / f"run-{kind}-{path.suffix[1:]}-{uuid.uuid4().hex[:6]}.sqlite"
    try:
        done = subprocess.run([sys.executable, __file__, "--child", kind, str(path), str(seed), str(db)],
                              check=True, capture_output=True, text=True)
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
    if kind == "profile":
        print(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _median(runs: list[dict]) -> dict:
    """The run with the median time (its peak memory with it)."""
    return sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]


def _load() -> str:
    return f"load average {os.getloadavg()[0]:.2f}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=50_000)
    parser.add_argument("--existing", type=int, default=30_000, help="of the customers, in the database already")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each measure, import and bare taking turns; the median is reported")
    parser.add_argument("--formats", nargs="+", default=["xlsx", "csv"], choices=["xlsx", "csv"])
    parser.add_argument("--only", choices=["import", "bare"], help="measure only this one")
    parser.add_argument("--profile", action="store_true", help="one import under cProfile, the first format")
    parser.add_argument("--child", nargs=4, metavar=("KIND", "FILE", "SEED", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, path, seed, db = args.child
        figures = {"import": child_import, "bare": child_bare, "profile": child_profile}[kind](path, seed, db)
        figures["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(figures))
        return 0
    DATA.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    xlsx, csv_path = write_files(args.rows, args.customers, args.existing)
    seed = seed_database(args.existing)
    print(f"{args.rows:,} rows among {args.customers:,} customers ({args.existing:,} in the database): "
          f".xlsx {xlsx.stat().st_size / 1e6:.1f} MB, .csv {csv_path.stat().st_size / 1e6:.1f} MB "
          f"(ready in {time.perf_counter() - start:.1f} s)")
    paths = {"xlsx": xlsx, "csv": csv_path}
    if args.profile:
        figures = measure("profile", paths[args.formats[0]], seed)
        print(json.dumps(figures))
        return 0
    for name in args.formats:
        path = paths[name]
        fulls, bares = [], []
        for _ in range(args.repeat):
            print(f"  {_load()}", flush=True)
            if args.only != "bare":
                fulls.append(measure("import", path, seed))
            if args.only != "import":
                bares.append(measure("bare", path, seed))
        if fulls:
            full = _median(fulls)
            runs = ", ".join(f"{f['seconds']:.1f}" for f in fulls)
            print(f".{name}: import {full['rows']:,} rows ({full['rejected']:,} rejected, {full['new_customers']:,} new "
                  f"customers, {full['stored']:,} stored) in {full['seconds']:.2f} s = "
                  f"{full['rows'] / full['seconds']:,.0f} rows/s, peak {full['peak_mb']:.0f} MB (runs: {runs} s; "
                  f"peaks {', '.join(str(round(f['peak_mb'])) for f in fulls)} MB)", flush=True)
        if bares:
            bare = _median(bares)
            runs = ", ".join(f"{b['seconds']:.1f}" for b in bares)
            print(f".{name}: bare read + executemany {bare['rows']:,} rows in {bare['seconds']:.2f} s = "
                  f"{bare['rows'] / bare['seconds']:,.0f} rows/s, peak {bare['peak_mb']:.0f} MB (runs: {runs} s)",
                  flush=True)
        if fulls and bares:
            print(f".{name}: ratio import / bare: {full['seconds'] / bare['seconds']:.2f}x", flush=True)
        if fulls and args.rows >= 1_000_000:
            met = full["seconds"] < TARGET_SECONDS and full["peak_mb"] < TARGET_MB
            print(f".{name}: target (a million rows under {TARGET_SECONDS} s and {TARGET_MB} MB): "
                  f"{'met' if met else 'NOT met'}", flush=True)
    print(f"  {_load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
