"""The analytics tab at 100,000 customers and 2,000,000 transactions (run on demand).

    .venv/bin/python benchmarks/bench_analytics.py [--customers 100000] [--transactions 2000000]
                                                   [--runs 3] [--profile]

Builds (or reuses) ``bench-data/analytics-N.sqlite``: N customers (tiers key / relationship /
transactional 10/30/60 %, the five evaluation scores 1-5 for ~70 %, owners among 20 names,
province and city among 30, satisfaction for ~10 %, stage "lost" for 3 % with a churn cause
for half of them), T transactions over three years (skewed: a tenth of the customers never
buy, the rest by Pareto-like weights, so a few buy a lot; Pareto-like amounts; ~1 % negative
amounts, refunds; 12 categories; a fifth of the customers stop buying part way), and N / 5
complaints (every state; the closed ones with a satisfaction on the 5- or 7-level scale),
inserted with ``executemany`` in chunks (the transactions' indexes dropped meanwhile and
made again after), then ANALYZE. Then, on a fresh copy of it each run, measures:

- ``report.build(day)``: every figure, no filter (the first run of the process, cold, and
  the median of the runs), its time per step (from the progress callback);
- ``report.build(day, Filter(owner=...))``: one owner's twentieth;
- one customer's figures: ``facts.load(day, Filter(customer_id=X))`` (the per-customer SQL
  path), ``report.for_customer(X, built)`` on a built report, and ``snapshot.for_customer``
  (what the profile calls: its facts and the kept population figures), for 20 customers (the top
  buyers, middling ones and some who never bought);

against baselines in the same run: bare SQL aggregates of the same tables (``SELECT count(*)
FROM customer``; the live transactions' ``sum(amount), count(*)`` by customer and ``sum(amount)``
by customer and category, through the covering indexes facts.py reads; the same without
``WHERE deleted_at IS NULL`` is shown apart, as the planner then reads every row) for the
whole report, and ``SELECT sum(amount) FROM transactions WHERE customer_id = ?`` for one
customer. ``--profile`` prints where the first ``report.build``
spends its time. Targets: every figure under 5 s, one customer's figures under 100 ms."""
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
DATA = ROOT / "bench-data"
DAY = dt.date(2026, 11, 23)
TARGET = 5.0
TARGET_ONE = 0.100
CHUNK = 20_000
OWNERS = tuple(f"销售{i:02d}" for i in range(20))
PLACES = (("北京", "北京"), ("上海", "上海"), ("天津", "天津"), ("重庆", "重庆"), ("广东", "广州"), ("广东", "深圳"),
          ("广东", "东莞"), ("浙江", "杭州"), ("浙江", "宁波"), ("浙江", "温州"), ("江苏", "南京"), ("江苏", "苏州"),
          ("江苏", "无锡"), ("山东", "济南"), ("山东", "青岛"), ("福建", "福州"), ("福建", "厦门"), ("湖北", "武汉"),
          ("湖南", "长沙"), ("四川", "成都"), ("河南", "郑州"), ("河北", "石家庄"), ("陕西", "西安"), ("辽宁", "沈阳"),
          ("辽宁", "大连"), ("安徽", "合肥"), ("江西", "南昌"), ("云南", "昆明"), ("广西", "南宁"), ("黑龙江", "哈尔滨"))
CATEGORIES = ("办公设备", "耗材", "电脑", "网络设备", "软件", "家具", "安防", "通讯", "维修服务", "培训", "打印服务", "配件")
RELATIONSHIPS = ("transactional", "preferred_supplier", "partner", "strategic_alliance")
SOURCES = ("referral", "advertising", "exhibition", "internet", "cold_call", "network", "other")
STAGES = ("prospect", "developing", "mature", "mature", "declining")
CAUSES = ("product", "service", "staff", "image", "customer", "competitor")
COMPLAINT_STATES = ("new", "acknowledged", "investigating", "proposed", "resolved", "closed", "closed", "closed")


def fill(customers: int, transactions: int) -> None:
    from crmdesk.core.customers import fields as F
    from crmdesk.core.db import transaction
    from crmdesk.core.models import database
    rng = random.Random(20261123)
    r = rng.random
    connection = database.connection()
    start = DAY - dt.timedelta(days=3 * 365)
    span = (DAY - start).days
    c_sql, c_row = inserter("customer", (
        "id", "uuid", "created_at", "updated_at", "code", "name", "kind", "owner", "province", "city", "source",
        "tier", "stage", "relationship", "satisfaction", "churn_cause", *F.SCORE_KEYS, "birthday_calendar",
        "sort_name"))
    t_sql, t_row = inserter("transactions", (
        "id", "uuid", "created_at", "updated_at", "customer_id", "date", "product", "category", "amount"))
    m_sql, m_row = inserter("complaint", (
        "id", "uuid", "created_at", "updated_at", "number", "customer_id", "received_at", "state", "owner",
        "closed_at", "resolved_at", "satisfaction", "satisfaction_scale"))
    weights, spans = [], []
    with transaction():
        rows = []
        for cid in range(1, customers + 1):
            draw = r()
            tier = "key" if draw < 0.10 else "relationship" if draw < 0.40 else "transactional"
            scored = r() < 0.70
            scores = tuple(1 + int(r() * 5) if scored else None for _ in F.SCORE_KEYS)
            lost = r() < 0.03
            stage = "lost" if lost else STAGES[int(r() * len(STAGES))]
            cause = CAUSES[int(r() * len(CAUSES))] if lost and r() < 0.5 else None
            satisfaction = round(1 + 4 * r(), 1) if r() < 0.10 else None
            province, city = PLACES[int(r() * len(PLACES))]
            created = (start - dt.timedelta(days=int(r() * 700))).isoformat() + " 09:00:00"
            name = f"客户{cid:06d}"
            rows.append(c_row(cid, f"c-{cid}", created, created, f"C{cid:06d}", name, "company",
                              OWNERS[int(r() * len(OWNERS))], province, city, SOURCES[int(r() * len(SOURCES))],
                              tier, stage, RELATIONSHIPS[int(r() * 4)] if r() < 0.8 else None, satisfaction, cause,
                              *scores, "solar", name))
            # a tenth never buy; the rest by Pareto-like weights (key accounts heavier), capped
            weight = 0.0 if r() < 0.10 else min(rng.paretovariate(1.16) * (3 if tier == "key" else 1), 2000.0)
            weights.append(weight)
            # a fifth (and the lost ones) stop buying part way through the three years
            spans.append(int(span * (0.3 + 0.6 * r())) if lost or r() < 0.2 else span)
            if len(rows) == CHUNK:
                connection.executemany(c_sql, rows)
                rows = []
        connection.executemany(c_sql, rows)
        rows = []
        # the transactions' indexes are made again after the rows, in one sorted pass each
        indexes = database.execute_sql("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                                       "AND tbl_name = 'transactions' AND sql IS NOT NULL").fetchall()
        for name, _sql in indexes:
            database.execute_sql(f'DROP INDEX "{name}"')
        cumulative = list(itertools.accumulate(weights))
        ids = range(1, customers + 1)
        days = [(start + dt.timedelta(days=d)).isoformat() for d in range(span)]
        tid = 0
        while tid < transactions:
            size = min(CHUNK, transactions - tid)
            for cid in rng.choices(ids, cum_weights=cumulative, k=size):
                tid += 1
                date = days[int(r() * spans[cid - 1])]
                amount = 100 * min(int(200 * rng.paretovariate(1.5)), 500_000)
                if r() < 0.01:
                    amount = -amount
                category = CATEGORIES[min(int(rng.expovariate(0.35)), 11)]
                stamp = date + " 10:00:00"
                rows.append(t_row(tid, f"t-{tid}", stamp, stamp, cid, date, category + "产品", category, amount))
            connection.executemany(t_sql, rows)
            rows = []
        for _name, sql in indexes:
            database.execute_sql(sql)
        for mid in range(1, customers // 5 + 1):
            cid = 1 + int(r() * customers)
            received = dt.datetime.combine(start, dt.time(9)) + dt.timedelta(minutes=int(r() * span * 1440))
            if received.date() >= DAY:
                received -= dt.timedelta(days=2)
            state = COMPLAINT_STATES[int(r() * len(COMPLAINT_STATES))]
            if received.date() < DAY - dt.timedelta(days=120) and state not in ("resolved", "closed") and r() < 0.8:
                state = "closed"  # the old ones are mostly done with
            resolved = closed = level = scale = None
            if state in ("resolved", "closed"):
                moment = received + dt.timedelta(hours=2 + int(r() * 200))
                resolved = moment.isoformat(" ")
                if state == "closed":
                    closed = (moment + dt.timedelta(hours=int(r() * 72))).isoformat(" ")
                    if r() < 0.8:
                        scale = 7 if r() < 0.2 else 5
                        level = 1 + int(r() * scale)
            stamp = received.isoformat(" ")
            rows.append(m_row(mid, f"m-{mid}", stamp, stamp, f"TS{mid:07d}", cid, stamp, state,
                              OWNERS[int(r() * len(OWNERS))], closed, resolved, level, scale))
            if len(rows) == CHUNK:
                connection.executemany(m_sql, rows)
                rows = []
        connection.executemany(m_sql, rows)
    database.execute_sql("ANALYZE")
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def ensure_database(customers: int, transactions: int) -> Path:
    from crmdesk.core.db import close_database, open_database
    from crmdesk.core.models import database
    DATA.mkdir(exist_ok=True)
    os.environ["CRMDESK_DATA_DIR"] = str(DATA / "data")
    path = DATA / f"analytics-{customers}.sqlite"
    if path.exists():
        open_database(path)
        have = (database.execute_sql("SELECT count(*) FROM customer").fetchone()[0],
                database.execute_sql("SELECT count(*) FROM transactions").fetchone()[0])
        close_database()
        if have == (customers, transactions):
            return path
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    open_database(path)
    began = time.perf_counter()
    fill(customers, transactions)
    print(f"built {path.name}: {customers:,} customers, {transactions:,} transactions, {customers // 5:,} "
          f"complaints in {time.perf_counter() - began:.1f} s")
    close_database()
    return path


BARE = {  # the baseline: the same tables' rows, aggregated by SQL alone, through the indexes facts.py reads
    "SELECT count(*) FROM customer": "SELECT count(*) FROM customer",
    "live transactions GROUP BY customer_id (sum, count)":
        "SELECT customer_id, sum(amount), count(*) FROM transactions WHERE deleted_at IS NULL GROUP BY customer_id",
    "live transactions GROUP BY customer_id, category":
        "SELECT customer_id, category, sum(amount) FROM transactions WHERE deleted_at IS NULL "
        "GROUP BY customer_id, category",
}
# shown apart, not in the baseline: without "deleted_at IS NULL" the planner walks
# transactions_customer_id_date and reads every row from the table (non-covering, ~20 x slower)
ASIDE = {"transactions GROUP BY customer_id, no WHERE (aside)":
         "SELECT customer_id, sum(amount), count(*) FROM transactions GROUP BY customer_id"}


def bare_aggregates() -> dict[str, float]:
    from crmdesk.core.models import database
    found = {}
    for name, sql in {**BARE, **ASIDE}.items():
        began = time.perf_counter()
        database.execute_sql(sql).fetchall()
        found[name] = time.perf_counter() - began
    return found


def timed_build(day: dt.date, where=None, profile: cProfile.Profile | None = None):
    """(report, seconds, {step: seconds}) from the progress callback's calls."""
    from crmdesk.core.analytics import report
    from crmdesk.core.analytics.facts import Filter
    marks: list[tuple[str, float]] = []

    def progress(done: int, total: int, step: str) -> None:
        marks.append((step, time.perf_counter()))
    began = time.perf_counter()
    if profile:
        profile.enable()
    built = report.build(day, where or Filter(), progress=progress)
    if profile:
        profile.disable()
    took = time.perf_counter() - began
    steps = {step: after - at for (step, at), (_next, after) in zip(marks, marks[1:])}
    return built, took, steps


def chosen_customers(built) -> list[int]:
    """20 customers: the 5 top buyers, 10 middling ones, 5 who never bought."""
    people = sorted(built.customers.values(), key=lambda c: -c.revenue_total)
    buyers = [c.id for c in people if c.days]
    never = [c.id for c in people if not c.days]
    middle = buyers[len(buyers) // 4: 3 * len(buyers) // 4]
    step = max(1, len(middle) // 10)
    return buyers[:5] + middle[::step][:10] + never[:5]


def one_customer(built, ids: list[int]) -> dict[str, list[float]]:
    from crmdesk.core.analytics import facts, report
    from crmdesk.core.analytics.facts import Filter
    from crmdesk.core.models import database
    from crmdesk.core.analytics import snapshot
    found: dict[str, list[float]] = {"facts.load(Filter(customer_id=X))": [], "report.for_customer(X, built)": [],
                                     "snapshot.for_customer (the profile)": [],
                                     "bare: SELECT sum(amount) ... WHERE customer_id = ?": []}
    for cid in ids:
        began = time.perf_counter()
        one = facts.load(DAY, Filter(customer_id=cid))
        found["facts.load(Filter(customer_id=X))"].append(time.perf_counter() - began)
        assert one[cid].revenue_total == built.customers[cid].revenue_total, cid
        began = time.perf_counter()
        figures = report.for_customer(cid, built)
        found["report.for_customer(X, built)"].append(time.perf_counter() - began)
        assert figures is not None
        began = time.perf_counter()
        kept = snapshot.for_customer(cid, DAY)
        found["snapshot.for_customer (the profile)"].append(time.perf_counter() - began)
        assert kept is not None and kept.abc_class == figures.abc_class, cid
        began = time.perf_counter()
        database.execute_sql("SELECT sum(amount) FROM transactions WHERE customer_id = ?", [cid]).fetchone()
        found["bare: SELECT sum(amount) ... WHERE customer_id = ?"].append(time.perf_counter() - began)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--transactions", type=int, default=None, help="default: 20 per customer")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="profile the first report.build (no filter)")
    args = parser.parse_args()
    transactions = args.transactions if args.transactions is not None else 20 * args.customers
    from crmdesk.core.analytics.facts import Filter
    from crmdesk.core.db import close_database, open_database
    source = ensure_database(args.customers, transactions)
    work = DATA / f"analytics-{args.customers}-run.sqlite"
    owner = OWNERS[7]
    builds, owned, bares, steps_seen = [], [], [], []
    ones = None
    built = owned_report = None
    profile = cProfile.Profile() if args.profile else None
    for attempt in range(args.runs):
        for suffix in ("", "-wal", "-shm"):
            Path(str(work) + suffix).unlink(missing_ok=True)
        shutil.copyfile(source, work)
        open_database(work)
        bares.append(bare_aggregates())
        built, took, steps = timed_build(DAY, profile=profile if attempt == 0 else None)
        builds.append(took)
        steps_seen.append(steps)
        owned_report, took, _ = timed_build(DAY, Filter(owner=owner))
        owned.append(took)
        if attempt == 0:
            ones = one_customer(built, chosen_customers(built))
        close_database()
    for suffix in ("", "-wal", "-shm"):
        Path(str(work) + suffix).unlink(missing_ok=True)

    def ms(seconds: float) -> str:
        return f"{seconds * 1000:9.1f} ms"
    bare_each = {name: statistics.median(b[name] for b in bares) for name in BARE}
    bare = sum(bare_each.values())
    warm = statistics.median(builds)
    print(f"customers {args.customers:,}  transactions {transactions:,}  complaints {args.customers // 5:,}  "
          f"(day {DAY}, {args.runs} runs, each on a fresh copy)")
    print(f"report: {len(built.customers):,} customers, A/B/C {sum(1 for v in built.abc.classes.values() if v == 'A'):,}"
          f"/{sum(1 for v in built.abc.classes.values() if v == 'B'):,}"
          f"/{sum(1 for v in built.abc.classes.values() if v == 'C'):,}, {len(built.suggestions):,} suggestions, "
          f"{len(built.at_risk):,} at risk, lost {dict(built.lost)}, {len(built.satisfaction)} satisfaction months")
    print("bare SQL aggregates (median):")
    for name, seconds in bare_each.items():
        print(f"  {name:52s} {ms(seconds)}")
    print(f"  {'baseline (their sum)':52s} {ms(bare)}")
    for name in ASIDE:
        aside = statistics.median(b[name] for b in bares)
        print(f"  {name:52s} {ms(aside)}  = {aside / bare:6.1f} x baseline")
    print("every figure, report.build(day):")
    print(f"  {'no filter, first of the process (cold)':52s} {ms(builds[0])}  = {builds[0] / bare:6.1f} x bare")
    print(f"  {f'no filter, median of {len(builds)}':52s} {ms(warm)}  = {warm / bare:6.1f} x bare")
    o = statistics.median(owned)
    print(f"  {f'owner {owner} ({len(owned_report.customers):,} customers), median':52s} {ms(o)}  "
          f"= {o / bare:6.1f} x bare")
    print("  per step (median over the runs, no filter):")
    for step in steps_seen[0]:
        seconds = statistics.median(s[step] for s in steps_seen)
        print(f"    {step:50s} {ms(seconds)}  {seconds / warm * 100:5.1f} %")
    print(f"one customer's figures ({len(next(iter(ones.values())))} customers: 5 top buyers, 10 middling, "
          f"5 who never bought), the top buyer / median / max:")
    bare_one = statistics.median(ones["bare: SELECT sum(amount) ... WHERE customer_id = ?"])
    for name, times in ones.items():
        median = statistics.median(times)
        print(f"  {name:52s} {ms(times[0])} / {ms(median)} / {ms(max(times))}  = {median / bare_one:7.1f} x bare")
    worst_one = max(ones["snapshot.for_customer (the profile)"])
    print(f"target: every figure under {TARGET:.0f} s: {'met' if max(builds) < TARGET else 'NOT met'} "
          f"(worst {max(builds):.2f} s)")
    print(f"target: one customer's figures under {TARGET_ONE * 1000:.0f} ms (snapshot.for_customer): "
          f"{'met' if worst_one < TARGET_ONE else 'NOT met'} (worst {worst_one * 1000:.1f} ms)")
    if profile:
        print("\nprofile of the first report.build (no filter):")
        pstats.Stats(profile, stream=sys.stdout).sort_stats("cumulative").print_stats(35)
        pstats.Stats(profile, stream=sys.stdout).sort_stats("tottime").print_stats(20)


if __name__ == "__main__":
    main()
