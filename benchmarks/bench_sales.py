"""The sales figures at 100,000 customers, 2,000,000 sales and 110,000 opportunities (run on
demand, on an otherwise idle machine).

    .venv/bin/python benchmarks/bench_sales.py [--customers 100000] [--sales 2000000]
                                               [--opportunities 110000] [--runs 3] [--profile]

Builds (or reuses) ``/tmp/crmdesk-bench/sales-C-S-O.sqlite``: C customers (owners among 20
names, province and city among 30, a source channel, a tier, a lifecycle stage), a product
list of 200 in 12 categories, S sales over three years (skewed: a tenth of the customers
never buy, the rest by Pareto-like weights; a fifth stop buying part way; 1 % refunds with
negative lines; a fifth of the sales with a second line; payment terms, what was paid), and
O opportunities (10,000 open in the four open stages with expected close dates from a month
ago to six months ahead, the rest won or lost over the three years, 45 / 55), each with its
stage history (lead, some steps skipped, to where it is); inserted with ``executemany`` in
chunks, the indexes of the filled tables dropped meanwhile and made again after, then
ANALYZE. Then, on a fresh copy each run, measures:

- the sales report, ``figures_report.build``: every figure of the page and of ``crmdesk
  report`` (by month, season, product, category, channel, owner, region; funnel; forecast;
  churn rate), for all time and for the last twelve months, with its time per step;
- the forecast, ``figures_pipeline.forecast`` over the next twelve months;
- the funnel, ``figures_pipeline.funnel``, for all time and the last twelve months;

each against bare SQL in the same run: for the report, the lines' ``sum(amount)`` grouped by
month, by product and by customer, and the sales' count by owner (what the figures read, by
SQL alone, without names, joins or distinct counts); for the forecast, the open deals'
``sum(amount * probability)`` by expected close month and owner; for the funnel, the deals'
count and amount by stage and the stage history's deals by stage. Prints the figures and the
ratios. Targets (issue 19): the sales report under 5 s, the forecast and the funnel under
300 ms. ``--profile`` prints where the first report build spends its time."""
from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import itertools
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
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_rows import inserter  # noqa: E402
DATA = Path("/tmp/crmdesk-bench")
DAY = dt.date(2026, 11, 23)
TARGET_REPORT = 5.0
TARGET_PIPELINE = 0.300
OPEN_SHARE = 11  # one deal in eleven is open: 10,000 of 110,000
CHUNK = 20_000
OWNERS = tuple(f"销售{i:02d}" for i in range(20))
PLACES = (("北京", "北京"), ("上海", "上海"), ("天津", "天津"), ("重庆", "重庆"), ("广东", "广州"), ("广东", "深圳"),
          ("广东", "东莞"), ("浙江", "杭州"), ("浙江", "宁波"), ("浙江", "温州"), ("江苏", "南京"), ("江苏", "苏州"),
          ("江苏", "无锡"), ("山东", "济南"), ("山东", "青岛"), ("福建", "福州"), ("福建", "厦门"), ("湖北", "武汉"),
          ("湖南", "长沙"), ("四川", "成都"), ("河南", "郑州"), ("河北", "石家庄"), ("陕西", "西安"), ("辽宁", "沈阳"),
          ("辽宁", "大连"), ("安徽", "合肥"), ("江西", "南昌"), ("云南", "昆明"), ("广西", "南宁"), ("黑龙江", "哈尔滨"))
CATEGORIES = ("办公设备", "耗材", "电脑", "网络设备", "软件", "家具", "安防", "通讯", "维修服务", "培训", "打印服务", "配件")
SOURCES = ("referral", "advertising", "exhibition", "internet", "cold_call", "network", "other")
STAGES = ("prospect", "developing", "mature", "mature", "declining", "lost")
OPEN = ("lead", "qualified", "proposal", "negotiation")
PROBABILITY = {"lead": 10, "qualified": 30, "proposal": 50, "negotiation": 75, "won": 100, "lost": 0}
LOST_REASONS = ("price", "product", "competitor", "timing", "no_decision", "no_budget")
TERMS = (0, 30, 30, 60, 90)
TABLES = ("customer", "product", "sale", "transactions", "opportunity", "stage_change")


class _Writer:
    """Rows of one table, written ``CHUNK`` at a time; the rows of ``parent`` first (a row
    naming one not yet in would make SQLite look for it, without the dropped index, row by
    row through the whole table)."""

    def __init__(self, table: str, names: tuple[str, ...], parent: "_Writer | None" = None):
        from crmdesk.core.models import database
        self.sql, self.row = inserter(table, names)
        self.rows: list[tuple] = []
        self.connection = database.connection()
        self.count = 0
        self.parent = parent

    def add(self, *values) -> None:
        self.rows.append(self.row(*values))
        if len(self.rows) == CHUNK:
            self.flush()

    def flush(self) -> None:
        if self.parent is not None:
            self.parent.flush()
        if self.rows:
            self.connection.executemany(self.sql, self.rows)
            self.count += len(self.rows)
            self.rows = []


def fill(customers: int, sales: int, opportunities: int) -> None:
    from crmdesk.core.db import transaction
    from crmdesk.core.models import database
    rng = random.Random(20261205)
    r = rng.random
    start = DAY - dt.timedelta(days=3 * 365)
    span = (DAY - start).days
    days = [(start + dt.timedelta(days=d)).isoformat() for d in range(span + 1)]
    with transaction():
        database.execute_sql("PRAGMA defer_foreign_keys = ON")
        indexes = database.execute_sql(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({', '.join('?' * len(TABLES))})", TABLES).fetchall()
        for name, _sql in indexes:
            database.execute_sql(f'DROP INDEX "{name}"')
        people = _Writer("customer", ("id", "uuid", "created_at", "updated_at", "code", "name", "kind", "owner",
                                      "province", "city", "source", "tier", "stage", "birthday_calendar", "sort_name"))
        owner_of, weights, spans = [], [], []
        for cid in range(1, customers + 1):
            draw = r()
            tier = "key" if draw < 0.10 else "relationship" if draw < 0.40 else "transactional"
            province, city = PLACES[int(r() * len(PLACES))]
            created = (start - dt.timedelta(days=int(r() * 700))).isoformat() + " 09:00:00"
            owner = OWNERS[int(r() * len(OWNERS))]
            stage = STAGES[int(r() * len(STAGES))]
            people.add(cid, f"c-{cid}", created, created, f"C{cid:06d}", f"客户{cid:06d}", "company", owner, province,
                       city, SOURCES[int(r() * len(SOURCES))], tier, stage, "solar", f"kehu{cid:06d}")
            owner_of.append(owner)
            weights.append(0.0 if r() < 0.10 else min(rng.paretovariate(1.16) * (3 if tier == "key" else 1), 2000.0))
            spans.append(int(span * (0.3 + 0.6 * r())) if stage == "lost" or r() < 0.2 else span)
        people.flush()
        goods = _Writer("product", ("id", "uuid", "created_at", "updated_at", "code", "name", "category", "unit",
                                    "list_price", "active", "sort_name"))
        products = []
        for pid in range(1, 201):
            category = CATEGORIES[(pid - 1) % len(CATEGORIES)]
            price = 100 * min(int(100 * rng.paretovariate(1.3)), 50_000)
            goods.add(pid, f"p-{pid}", "2023-01-01 08:00:00", "2023-01-01 08:00:00", f"P{pid:04d}",
                      f"{category}产品{pid:03d}", category, "个", price, 1, f"chanpin{pid:03d}")
            products.append((pid, f"{category}产品{pid:03d}", category, price))
        goods.flush()
        sold = _Writer("sale", ("id", "uuid", "created_at", "updated_at", "customer_id", "date", "kind", "owner",
                                "payment_terms_days", "due_on", "paid", "paid_on", "version"))
        lines = _Writer("transactions", ("id", "uuid", "created_at", "updated_at", "customer_id", "date", "product",
                                         "category", "quantity", "amount", "paid", "sale_id", "product_id",
                                         "unit_price", "discount", "line_no"), parent=sold)
        cumulative = list(itertools.accumulate(weights))
        ids = range(1, customers + 1)
        sid = lid = 0
        recent_sales: dict[int, tuple[int, str, int]] = {}  # customer → a sale (id, day, total) for a won deal
        while sid < sales:
            for cid in rng.choices(ids, cum_weights=cumulative, k=min(CHUNK, sales - sid)):
                sid += 1
                day = days[int(r() * spans[cid - 1])]
                stamp = day + " 10:00:00"
                refund = r() < 0.01
                total = 0
                for line_no in range(1, 3 if r() < 0.2 else 2):
                    pid, name, category, price = products[min(int(rng.expovariate(0.02)), 199)]
                    quantity = 1 + int(r() * r() * 20)
                    unit = price * (85 + int(r() * 16)) // 100
                    amount = -unit * quantity if refund else unit * quantity
                    lid += 1
                    lines.add(lid, f"t-{lid}", stamp, stamp, cid, day, name, category, float(quantity), amount, None,
                              sid, pid, unit, round(100 - 100 * unit / price, 1), line_no)
                    total += amount
                terms = TERMS[int(r() * len(TERMS))]
                due = (dt.date.fromisoformat(day) + dt.timedelta(days=terms)).isoformat()
                paid = total if refund or due < "2026-09-01" or r() < 0.6 else None
                sold.add(sid, f"s-{sid}", stamp, stamp, cid, day, "refund" if refund else "sale", owner_of[cid - 1],
                         terms, due, paid, day if paid is not None else None, 1)
                if not refund:
                    recent_sales[cid] = (sid, day, total)
        sold.flush()
        lines.flush()
        deals = _Writer("opportunity", ("id", "uuid", "created_at", "updated_at", "customer_id", "title", "amount",
                                        "stage", "probability", "expected_close", "owner", "lost_reason",
                                        "stage_since", "closed_on", "version"))
        history = _Writer("stage_change", ("id", "uuid", "created_at", "updated_at", "opportunity_id", "stage",
                                           "entered_at", "left_at"), parent=deals)
        won_links: list[tuple[int, int]] = []
        hid = 0
        for oid in range(1, opportunities + 1):
            cid = 1 + int(r() * customers)
            amount = 100 * (1000 + int(rng.paretovariate(1.2) * 5000))
            if oid <= opportunities // OPEN_SHARE:
                stage = OPEN[min(int(rng.expovariate(0.9)), 3)]
                created = DAY - dt.timedelta(days=5 + int(r() * 200))
                closed = None
                close = (DAY + dt.timedelta(days=int(r() * 210) - 30)).isoformat()
            else:
                stage = "won" if r() < 0.45 else "lost"
                created = DAY - dt.timedelta(days=30 + int(r() * (span - 30)))
                closed = min(created + dt.timedelta(days=5 + int(r() * 120)), DAY - dt.timedelta(days=1))
                close = closed.isoformat()
                if stage == "won" and cid in recent_sales:
                    won_links.append((recent_sales[cid][0], oid))
            reached = OPEN.index(stage) if stage in OPEN else (3 if stage == "won" else int(r() * 4))
            steps = [s for i, s in enumerate(OPEN[:reached + 1]) if i in (0, reached) or r() > 0.15]
            if stage not in OPEN:
                steps.append(stage)
            end = closed or DAY
            moments = sorted(created + dt.timedelta(days=int(r() * max(1, (end - created).days))) for _ in steps[1:])
            entered = [created.isoformat() + " 09:00:00"] + [m.isoformat() + " 15:00:00" for m in moments]
            if closed:
                entered[-1] = closed.isoformat() + " 15:00:00"
            for i, step in enumerate(steps):
                hid += 1
                left = entered[i + 1] if i + 1 < len(steps) else None
                history.add(hid, f"h-{hid}", entered[i], left or entered[i], oid, step, entered[i], left)
            deals.add(oid, f"o-{oid}", entered[0], entered[-1], cid, f"商机{oid}", amount, stage, PROBABILITY[stage],
                      close, owner_of[cid - 1], LOST_REASONS[int(r() * len(LOST_REASONS))] if stage == "lost" else None,
                      entered[-1], closed.isoformat() if closed else None, 1)
        deals.flush()
        history.flush()
        database.connection().executemany("UPDATE sale SET opportunity_id = ? WHERE id = ?",
                                          [(oid, sid) for sid, oid in won_links])
        for _name, sql in indexes:
            database.execute_sql(sql)
    database.execute_sql("ANALYZE")
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def ensure_database(customers: int, sales: int, opportunities: int) -> Path:
    from crmdesk.core.db import close_database, open_database
    from crmdesk.core.models import database
    DATA.mkdir(exist_ok=True)
    os.environ["CRMDESK_DATA_DIR"] = str(DATA / "data")
    path = DATA / f"sales-{customers}-{sales}-{opportunities}.sqlite"
    if path.exists():
        open_database(path)
        have = tuple(database.execute_sql(f"SELECT count(*) FROM {t}").fetchone()[0]
                     for t in ("customer", "sale", "opportunity"))
        close_database()
        if have == (customers, sales, opportunities):
            return path
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    open_database(path)
    began = time.perf_counter()
    fill(customers, sales, opportunities)
    from crmdesk.core.models import database as db
    lines = db.execute_sql("SELECT count(*) FROM transactions").fetchone()[0]
    print(f"built {path}: {customers:,} customers, {sales:,} sales ({lines:,} lines), {opportunities:,} "
          f"opportunities in {time.perf_counter() - began:.1f} s")
    close_database()
    return path


BARE_REPORT = {
    "lines by month": "SELECT substr(date, 1, 7), sum(amount) FROM transactions WHERE deleted_at IS NULL GROUP BY 1",
    "lines by product": "SELECT product_id, sum(amount) FROM transactions WHERE deleted_at IS NULL GROUP BY 1",
    "lines by customer": "SELECT customer_id, sum(amount) FROM transactions WHERE deleted_at IS NULL GROUP BY 1",
    "sales by owner": "SELECT owner, count(*) FROM sale WHERE deleted_at IS NULL GROUP BY 1",
}
BARE_FORECAST = {
    "open deals by close month and owner":
        "SELECT substr(expected_close, 1, 7), owner, sum(amount * probability) FROM opportunity "
        "WHERE deleted_at IS NULL AND stage IN ('lead', 'qualified', 'proposal', 'negotiation') GROUP BY 1, 2",
}
BARE_FUNNEL = {
    "deals by stage": "SELECT stage, count(*), sum(amount) FROM opportunity WHERE deleted_at IS NULL GROUP BY stage",
    "stage history: deals by stage":
        "SELECT stage, count(DISTINCT opportunity_id) FROM stage_change WHERE deleted_at IS NULL GROUP BY stage",
}


def bare(queries: dict[str, str]) -> dict[str, float]:
    from crmdesk.core.models import database
    found = {}
    for name, sql in queries.items():
        began = time.perf_counter()
        database.execute_sql(sql).fetchall()
        found[name] = time.perf_counter() - began
    return found


def timed(fn, profile: cProfile.Profile | None = None):
    began = time.perf_counter()
    if profile:
        profile.enable()
    result = fn()
    if profile:
        profile.disable()
    return result, time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--sales", type=int, default=2_000_000)
    parser.add_argument("--opportunities", type=int, default=110_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="profile the first report build (all time)")
    args = parser.parse_args()
    from crmdesk.core.db import close_database, open_database
    from crmdesk.core.sales import figures_pipeline as P
    from crmdesk.core.sales import figures_report
    from crmdesk.core.sales.figures import Period
    source = ensure_database(args.customers, args.sales, args.opportunities)
    work = DATA / (source.stem + "-run.sqlite")
    back = DAY.year * 12 + DAY.month - 1 - 11  # the first of the month eleven months before DAY's
    year = Period(dt.date(back // 12, back % 12 + 1, 1))
    ahead = P.ahead(Period(), DAY)
    took: dict[str, list[float]] = {}
    bares: dict[str, list[float]] = {}
    steps_seen: list[dict[str, float]] = []
    profile = cProfile.Profile() if args.profile else None
    built = forecast = funnel = None
    for attempt in range(args.runs):
        for suffix in ("", "-wal", "-shm"):
            Path(str(work) + suffix).unlink(missing_ok=True)
        shutil.copyfile(source, work)
        open_database(work)
        for group, queries in (("report", BARE_REPORT), ("forecast", BARE_FORECAST), ("funnel", BARE_FUNNEL)):
            for name, seconds in bare(queries).items():
                bares.setdefault(f"{group}: {name}", []).append(seconds)
        marks: list[tuple[str, float]] = []
        built, seconds = timed(lambda: figures_report.build(Period(), DAY, lambda d, t, s: marks.append(
            (s, time.perf_counter()))), profile if attempt == 0 else None)
        took.setdefault("sales report, all time", []).append(seconds)
        steps_seen.append({step: after - at for (step, at), (_n, after) in zip(marks, marks[1:])})
        _r, seconds = timed(lambda: figures_report.build(year, DAY))
        took.setdefault("sales report, last 12 months", []).append(seconds)
        forecast, seconds = timed(lambda: P.forecast(ahead, DAY))
        took.setdefault("forecast, next 12 months", []).append(seconds)
        funnel, seconds = timed(lambda: P.funnel(Period(), DAY))
        took.setdefault("funnel, all time", []).append(seconds)
        _f, seconds = timed(lambda: P.funnel(year, DAY))
        took.setdefault("funnel, last 12 months", []).append(seconds)
        close_database()
    for suffix in ("", "-wal", "-shm"):
        Path(str(work) + suffix).unlink(missing_ok=True)

    def ms(seconds: float) -> str:
        return f"{seconds * 1000:9.1f} ms"
    median = {name: statistics.median(v) for name, v in {**took, **bares}.items()}
    base = {group: sum(v for k, v in median.items() if k.startswith(group + ":"))
            for group in ("report", "forecast", "funnel")}
    print(f"customers {args.customers:,}  sales {args.sales:,}  opportunities {args.opportunities:,}  "
          f"(day {DAY}, {args.runs} runs, each on a fresh copy)")
    print(f"report: {built.sales:,} sales for {built.total:,.2f}, {len(built.months)} months, "
          f"{len(built.shares['product'])} products, {len(built.shares['owner'])} owners, "
          f"{len(built.churn)} churn months; funnel: {funnel.deals:,} deals, win rate "
          f"{funnel.win_rate:.1%}, cycle {funnel.cycle_days} days, deal size {funnel.deal_size:,.2f}; forecast: "
          f"{forecast.weighted:,.2f} weighted of {forecast.amount:,.2f}, {forecast.overdue:,} overdue")
    print("bare SQL (median):")
    for name in bares:
        print(f"  {name:58s} {ms(median[name])}")
    for group in base:
        print(f"  {'baseline ' + group + ' (their sum)':58s} {ms(base[group])}")
    print("the figures (median; first run):")
    for name in took:
        group = "report" if name.startswith("sales report") else name.split(",")[0]
        print(f"  {name:58s} {ms(median[name])}  = {median[name] / base[group]:6.1f} x bare   "
              f"(first {ms(took[name][0]).strip()})")
    print("  sales report per step (median, all time):")
    for step in steps_seen[0]:
        seconds = statistics.median(s[step] for s in steps_seen)
        print(f"    {step:56s} {ms(seconds)}")
    worst_report = max(max(took["sales report, all time"]), max(took["sales report, last 12 months"]))
    worst_pipeline = max(max(took[k]) for k in took if not k.startswith("sales report"))
    print(f"target: the sales report under {TARGET_REPORT:.0f} s: {'met' if worst_report < TARGET_REPORT else 'NOT met'}"
          f" (worst {worst_report:.2f} s)")
    print(f"target: forecast and funnel under {TARGET_PIPELINE * 1000:.0f} ms: "
          f"{'met' if worst_pipeline < TARGET_PIPELINE else 'NOT met'} (worst {worst_pipeline * 1000:.1f} ms)")
    if profile:
        print("\nprofile of the first report build (all time):")
        pstats.Stats(profile, stream=sys.stdout).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()
