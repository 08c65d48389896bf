"""The sales figures (the Sales tab's report page and ``crmdesk report``): what was sold by
month and by season (the month of the year, over the years: when customers buy), by
product and by category, by source channel (the customer's source), by owner (the sale's)
and by region (the customer's province). The churn rate month by month is in
``figures_churn``, the pipeline's figures (funnel, forecast) in ``figures_pipeline``.

All of it is read from the lines (``transactions``), so a refund (a sale of kind "refund"
whose lines are negative) nets out of every sum. A line counts when it and its customer are
live and its date falls in the period and not after ``today`` (an order booked ahead is not
a sale yet). A sale counted is a purchase, a customer's lines of one day that are not a
refund, as the analytics count them. Every function takes the ``Period`` and ``today``;
none reads the clock. Amounts are in yuan.

Speed (``benchmarks/bench_sales.py``): each figure is a grouped pass over a covering index
(the lines by day, by customer, by product; the sales' owners by customer, migration 0014),
rolled up in Python from at most a row per day, customer or product."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Optional

from crmdesk.core.bulk_indexes import indexed_by
from crmdesk.core.models import database

FIRST_DAY = dt.date(1900, 1, 1)


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end`` (exclusive); None: from the first sale, or up to today.
    ``owner``, ``region`` (province or city) and ``tier`` narrow the customers, as the
    analytics' filter does ("": all)."""
    start: Optional[dt.date] = None
    end: Optional[dt.date] = None
    owner: str = ""
    region: str = ""
    tier: str = ""

    def customers(self, alias: str = "c") -> tuple[str, list]:
        """The SQL conditions on the customer ``alias`` (starting with AND) and their values."""
        conditions, params = "", []
        if self.owner:
            conditions += f" AND {alias}.owner = ?"
            params.append(self.owner)
        if self.region:
            conditions += f" AND ({alias}.province = ? OR {alias}.city = ?)"
            params += [self.region, self.region]
        if self.tier:
            conditions += f" AND {alias}.tier = ?"
            params.append(self.tier)
        return conditions, params

    @property
    def narrowed(self) -> bool:
        return bool(self.owner or self.region or self.tier)

    def bounds(self, today: dt.date) -> tuple[str, str]:
        """The first day and the day after the last, as SQL compares them (never past today)."""
        last = today + dt.timedelta(days=1)
        end = min(self.end, last) if self.end else last
        return (self.start or FIRST_DAY).isoformat(), end.isoformat()


def month_key(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def months(first: dt.date, last: dt.date) -> list[str]:
    """The months "2026-01" .. from ``first``'s to ``last``'s, both included."""
    found, day = [], dt.date(first.year, first.month, 1)
    while day <= last:
        found.append(month_key(day))
        day = next_month(day)
    return found


def yuan(cents) -> float:
    return round((cents or 0) / 100, 2)


# ---------------------------------------------------------------- the customers

@dataclass(frozen=True)
class Buyer:
    """A live customer of the period's choice, with what the breakdowns group by."""
    source: str
    province: str
    owner: str
    stage: str


def buyers(period: Period) -> dict[int, Buyer]:
    chosen, params = period.customers()
    return {cid: Buyer(source or "", province or "", owner or "", stage or "") for cid, source, province, owner, stage
            in database.execute_sql(f"SELECT c.id, c.source, c.province, c.owner, c.stage FROM customer c "
                                    f"WHERE c.deleted_at IS NULL{chosen}", params)}


def _lines_of(period: Period, column: str = "customer_id") -> tuple[str, list]:
    """SQL keeping the lines of the period's customers (live, and chosen when it narrows)."""
    if period.narrowed:
        chosen, params = period.customers()
        return f" AND {column} IN (SELECT c.id FROM customer c WHERE c.deleted_at IS NULL{chosen})", params
    return f" AND {column} NOT IN (SELECT id FROM customer WHERE deleted_at IS NOT NULL)", []


# ---------------------------------------------------------------- by month and season

@dataclass(frozen=True)
class Month:
    month: str  # "2026-11"
    amount: float  # net of refunds
    sales: int  # purchases: a customer's lines of one day (not refunds) are one sale, as in the analytics


def _days(period: Period, today: dt.date) -> list[tuple[str, int, int]]:
    """(day, amount in cents, purchases) for each day of the period with lines, read in one
    pass over the lines' covering index by day."""
    start, end = period.bounds(today)
    kept, params = _lines_of(period)
    return database.execute_sql(
        "SELECT date, sum(amount), count(DISTINCT CASE WHEN amount > 0 THEN customer_id END) "
        f"FROM transactions {indexed_by('transactions_live_date')}WHERE deleted_at IS NULL AND date >= ? AND date < ?"
        f"{kept} GROUP BY date", [start, end, *params]).fetchall()


def _months(period: Period, today: dt.date, days: list) -> list[Month]:
    totals: dict[str, list] = {}
    for day, amount, sales in days:
        row = totals.setdefault(str(day)[:7], [0, 0])
        row[0] += amount
        row[1] += sales
    if not totals:
        return []
    first = period.start or dt.date.fromisoformat(min(totals) + "-01")
    last = dt.date.fromisoformat(period.bounds(today)[1]) - dt.timedelta(days=1)
    return [Month(m, yuan(totals.get(m, (0,))[0]), totals.get(m, (0, 0))[1]) for m in months(first, last)]


def by_month(period: Period, today: dt.date) -> list[Month]:
    """Every month of the period (from its first sale when it has no start), empty ones
    included, so that a chart's gaps are gaps."""
    return _months(period, today, _days(period, today))


@dataclass(frozen=True)
class Season:
    month: int  # 1..12
    amount: float  # all the years' sales in this month of the year
    years: int  # years with a sale in this month
    sales: int

    @property
    def per_year(self) -> float:
        return round(self.amount / self.years, 2) if self.years else 0.0


def _seasons(days: list) -> list[Season]:
    amounts, years, sales = [0] * 13, [set() for _ in range(13)], [0] * 13
    for day, amount, count in days:
        month = int(str(day)[5:7])
        amounts[month] += amount
        sales[month] += count
        years[month].add(str(day)[:4])
    return [Season(m, yuan(amounts[m]), len(years[m]), sales[m]) for m in range(1, 13)]


def by_season(period: Period, today: dt.date) -> list[Season]:
    """The twelve months of the year, January first: what was sold in each over the years."""
    return _seasons(_days(period, today))


# ---------------------------------------------------------------- shares

@dataclass(frozen=True)
class Share:
    key: str  # the product, category, source key, owner or province ("": none recorded)
    amount: float
    sales: int  # purchases (a customer's day); for a product or category, the lines that sold it
    customers: int
    quantity: Optional[float] = None  # products only
    share: float = 0.0  # of the total amount (0..1)


KINDS = ("product", "category", "channel", "owner", "region")


def _ranked(rows: dict[str, list]) -> list[Share]:
    """Shares from key → [cents, sales, customers, quantity], the largest first."""
    total = sum(r[0] for r in rows.values())
    found = [Share(k, yuan(r[0]), r[1], r[2], None if r[3] is None else round(r[3], 3),
                   r[0] / total if total > 0 else 0.0) for k, r in rows.items()]
    return sorted(found, key=lambda s: (-s.amount, s.key))


def _products(period: Period, today: dt.date) -> dict[str, list[Share]]:
    """By product (the product a line points at, or the one it was merged into, else the
    name on the line) and by category, in one pass over the lines' product index."""
    start, end = period.bounds(today)
    kept, params = _lines_of(period)
    names = {pid: (name, category) for pid, name, category in database.execute_sql(
        "SELECT p.id, COALESCE(m.name, p.name), COALESCE(m.category, p.category) FROM product p "
        "LEFT JOIN product m ON m.id = p.merged_into_id")}
    products: dict[str, list] = {}
    categories: dict[str, list] = {}
    for pid, product, category, amount, quantity, sold, customers in database.execute_sql(
            "SELECT product_id, product, category, sum(amount), sum(quantity), count(CASE WHEN amount > 0 THEN 1 END), "
            f"count(DISTINCT customer_id) FROM transactions {indexed_by('transactions_live_product')}"
            f"WHERE deleted_at IS NULL AND date >= ? AND date < ?{kept} GROUP BY product_id, product, category",
            [start, end, *params]):
        listed = names.get(pid)
        name = listed[0] if listed else product or ""
        kind = category or (listed[1] if listed else "") or ""
        for bucket, key in ((products, name), (categories, kind)):
            row = bucket.setdefault(key, [0, 0, 0, 0.0])
            row[0] += amount
            row[1] += sold
            row[2] += customers  # a customer buying under two spellings counts twice: rare, and said so
            row[3] += quantity or 0
    for row in categories.values():
        row[3] = None
    return {"product": _ranked(products), "category": _ranked(categories)}


def _per_customer(period: Period, today: dt.date) -> dict[int, tuple[int, int]]:
    """customer → (amount in cents, purchases) in the period, in one pass over the lines'
    covering index by customer."""
    start, end = period.bounds(today)
    return {cid: (amount, sales) for cid, amount, sales in database.execute_sql(
        "SELECT customer_id, sum(amount), count(DISTINCT CASE WHEN amount > 0 THEN date END) "
        f"FROM transactions {indexed_by('transactions_live')}WHERE deleted_at IS NULL AND date >= ? AND date < ? "
        "GROUP BY customer_id", [start, end])}


def _by_customer(kind: str, people: dict[int, Buyer], spent: dict[int, tuple[int, int]]) -> list[Share]:
    rows: dict[str, list] = {}
    for cid, (amount, sales) in spent.items():
        who = people.get(cid)
        if who is None:
            continue
        row = rows.setdefault(who.source if kind == "channel" else who.province, [0, 0, 0, None])
        row[0] += amount
        row[1] += sales
        row[2] += 1
    return _ranked(rows)


def _owners(period: Period, today: dt.date, people: dict[int, Buyer], spent: dict[int, tuple[int, int]]) -> list[Share]:
    """By the sale's owner. Most customers' sales in a period are all one owner's: their
    lines go to that owner whole (read from the sales' owner index); the lines of the few
    whose sales had several owners are summed by their sale's owner; lines without a sale
    are nobody's ("")."""
    start, end = period.bounds(today)
    single: dict[int, str] = {}
    mixed: set[int] = set()
    for cid, low, high in database.execute_sql(
            f"SELECT customer_id, min(owner), max(owner) FROM sale {indexed_by('sale_live_owner')}"
            "WHERE deleted_at IS NULL AND date >= ? AND date < ? GROUP BY customer_id", [start, end]):
        if cid in people:
            if low == high:
                single[cid] = low
            else:
                mixed.add(cid)
    rows: dict[str, list] = {}
    for cid, (amount, sales) in spent.items():
        if cid in people and cid not in mixed:
            row = rows.setdefault(single.get(cid, ""), [0, 0, 0, None])
            row[0] += amount
            row[1] += sales
            row[2] += 1
    if mixed:
        for owner, amount, sales, customers in database.execute_sql(
                "SELECT COALESCE(s.owner, ''), sum(t.amount), "
                "count(DISTINCT CASE WHEN t.amount > 0 THEN t.customer_id || ' ' || t.date END), "
                "count(DISTINCT t.customer_id) FROM transactions t LEFT JOIN sale s ON s.id = t.sale_id "
                "WHERE t.deleted_at IS NULL AND t.date >= ? AND t.date < ? "
                "AND t.customer_id IN (SELECT value FROM json_each(?)) GROUP BY 1",
                [start, end, json.dumps(sorted(mixed))]):
            row = rows.setdefault(owner, [0, 0, 0, None])
            row[0] += amount
            row[1] += sales
            row[2] += customers
    return _ranked(rows)


def shares(kind: str, period: Period, today: dt.date) -> list[Share]:
    """The period's sales by ``kind`` (product, category, channel, owner, region), the
    largest first; each with its share of the total."""
    if kind in ("product", "category"):
        return _products(period, today)[kind]
    people = buyers(period)
    spent = _per_customer(period, today)
    if kind == "owner":
        return _owners(period, today, people, spent)
    return _by_customer(kind, people, spent)


def by_product(period: Period, today: dt.date) -> list[Share]:
    return shares("product", period, today)


def by_category(period: Period, today: dt.date) -> list[Share]:
    return shares("category", period, today)


def by_channel(period: Period, today: dt.date) -> list[Share]:
    return shares("channel", period, today)


def by_owner(period: Period, today: dt.date) -> list[Share]:
    return shares("owner", period, today)


def by_region(period: Period, today: dt.date) -> list[Share]:
    return shares("region", period, today)


# ---------------------------------------------------------------- all at once

@dataclass(frozen=True)
class SalesSummary:
    months: list
    seasons: list
    shares: dict  # kind → [Share]
    people: dict  # the period's customers (``buyers``), for the churn rate (``figures_churn``)


def everything(period: Period, today: dt.date) -> SalesSummary:
    """Every figure of this module, each pass over the lines made once."""
    days = _days(period, today)
    people = buyers(period)
    spent = _per_customer(period, today)
    found = {**_products(period, today), "channel": _by_customer("channel", people, spent),
             "owner": _owners(period, today, people, spent), "region": _by_customer("region", people, spent)}
    return SalesSummary(_months(period, today, days), _seasons(days), found, people)
