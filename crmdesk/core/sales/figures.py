"""The sales figures (the Sales tab's report page and ``crmdesk report``): what was sold by
month and by season (the month of the year, over the years: when customers buy), by
product and by category, by source channel (the customer's source), by owner (the sale's)
and by region (the customer's province); and the churn rate month by month.

All of it is read from the lines (``transactions``), so a refund (a sale of kind "refund"
whose lines are negative) nets out of every sum. A line counts when it and its customer are
live and its date falls in the period and not after ``today`` (an order booked ahead is not
a sale yet). Every function takes the ``Period`` and ``today``; none reads the clock.
Amounts are in yuan. The pipeline's figures (funnel, forecast) are in ``figures_pipeline``."""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Optional

from crmdesk.core.analytics import facts
from crmdesk.core.analytics.churn import CHURN_FACTOR
from crmdesk.core.models import database

FIRST_DAY = dt.date(1900, 1, 1)
# The sales among the lines: those with a positive line (not refunds); a line without a sale
# (written before sales existed, or by an older import) is a sale of its own.
SALES_COUNT = "count(DISTINCT CASE WHEN t.amount > 0 THEN COALESCE(t.sale_id, -t.id) END)"


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


# ---------------------------------------------------------------- by month and season

@dataclass(frozen=True)
class Month:
    month: str  # "2026-11"
    amount: float  # net of refunds
    sales: int  # sales (not refunds) with a line that month; a line with no sale is a sale of its own
    customers: int  # customers who bought


def by_month(period: Period, today: dt.date) -> list[Month]:
    """Every month of the period (from its first sale when it has no start), empty ones
    included, so that a chart's gaps are gaps."""
    start, end = period.bounds(today)
    chosen, params = period.customers()
    rows = {month: (amount, sales, customers) for month, amount, sales, customers in database.execute_sql(
        f"SELECT substr(t.date, 1, 7), sum(t.amount), {SALES_COUNT}, count(DISTINCT t.customer_id) "
        "FROM transactions t JOIN customer c ON c.id = t.customer_id "
        f"WHERE t.deleted_at IS NULL AND c.deleted_at IS NULL AND t.date >= ? AND t.date < ?{chosen} GROUP BY 1",
        [start, end, *params])}
    if not rows:
        return []
    first = period.start or dt.date.fromisoformat(min(rows) + "-01")
    last = dt.date.fromisoformat(end) - dt.timedelta(days=1)
    return [Month(m, yuan(rows.get(m, (0,))[0]), *(rows.get(m, (0, 0, 0))[1:])) for m in months(first, last)]


@dataclass(frozen=True)
class Season:
    month: int  # 1..12
    amount: float  # all the years' sales in this month of the year
    years: int  # years with a sale in this month
    sales: int

    @property
    def per_year(self) -> float:
        return round(self.amount / self.years, 2) if self.years else 0.0


def by_season(period: Period, today: dt.date) -> list[Season]:
    """The twelve months of the year, January first: what was sold in each over the years."""
    start, end = period.bounds(today)
    chosen, params = period.customers()
    rows = {int(month): (amount, years, sales) for month, amount, years, sales in database.execute_sql(
        "SELECT substr(t.date, 6, 2), sum(t.amount), count(DISTINCT substr(t.date, 1, 4)), "
        f"{SALES_COUNT} FROM transactions t "
        "JOIN customer c ON c.id = t.customer_id WHERE t.deleted_at IS NULL AND c.deleted_at IS NULL "
        f"AND t.date >= ? AND t.date < ?{chosen} GROUP BY 1", [start, end, *params])}
    return [Season(m, yuan(rows[m][0]), rows[m][1], rows[m][2]) if m in rows else Season(m, 0.0, 0, 0)
            for m in range(1, 13)]


# ---------------------------------------------------------------- shares

@dataclass(frozen=True)
class Share:
    key: str  # the product, category, source key, owner or province ("": none recorded)
    amount: float
    sales: int
    customers: int
    quantity: Optional[float] = None  # products only
    share: float = 0.0  # of the total amount (0..1)


# What each breakdown groups by (the lines ``t``, their customer ``c``, their sale ``s``,
# their product ``p`` and the product it was merged into ``m``).
_PRODUCT = "COALESCE(m.name, p.name, t.product, '')"
_GROUPS = {
    "product": (_PRODUCT, "LEFT JOIN product p ON p.id = t.product_id LEFT JOIN product m ON m.id = p.merged_into_id"),
    "category": ("COALESCE(NULLIF(t.category, ''), m.category, p.category, '')",
                 "LEFT JOIN product p ON p.id = t.product_id LEFT JOIN product m ON m.id = p.merged_into_id"),
    "channel": ("COALESCE(c.source, '')", ""),
    "owner": ("COALESCE(s.owner, '')", "LEFT JOIN sale s ON s.id = t.sale_id"),
    "region": ("COALESCE(c.province, '')", ""),
}
KINDS = tuple(_GROUPS)


def shares(kind: str, period: Period, today: dt.date) -> list[Share]:
    """The period's sales by ``kind`` (product, category, channel, owner, region), the
    largest first; each with its share of the total."""
    key, joins = _GROUPS[kind]
    start, end = period.bounds(today)
    chosen, params = period.customers()
    quantity = "sum(t.quantity)" if kind == "product" else "NULL"
    rows = list(database.execute_sql(
        f"SELECT {key}, sum(t.amount), {SALES_COUNT}, "
        f"count(DISTINCT t.customer_id), {quantity} FROM transactions t JOIN customer c ON c.id = t.customer_id "
        f"{joins} WHERE t.deleted_at IS NULL AND c.deleted_at IS NULL AND t.date >= ? AND t.date < ?{chosen} "
        "GROUP BY 1", [start, end, *params]))
    total = sum(r[1] for r in rows)
    found = [Share(k, yuan(amount), sales, customers, None if q is None else round(q, 3),
                   amount / total if total > 0 else 0.0) for k, amount, sales, customers, q in rows]
    return sorted(found, key=lambda s: (-s.amount, s.key))


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


# ---------------------------------------------------------------- churn rate

@dataclass(frozen=True)
class ChurnMonth:
    month: str
    customers: int  # customers at the start of the month: bought before it, not lost yet
    lost: int  # of them, lost during the month
    new: int  # first purchase in the month

    @property
    def rate(self) -> Optional[float]:
        return self.lost / self.customers if self.customers else None


def lost_on(c: facts.CustomerFacts, marked: Optional[dt.date], today: dt.date) -> Optional[dt.date]:
    """The day a customer was lost: the day the churn warning's rule (no purchase for more
    than 1.5 × the usual interval, from three days of purchase) first held, or the day the
    customer was marked lost, whichever came first. A customer marked lost with neither
    (too few purchases, no record of when) is lost the day after the last purchase."""
    found = []
    if c.days >= 3 and c.first and c.last:
        interval = (c.last - c.first).days / (c.days - 1)
        day = c.last + dt.timedelta(days=math.ceil(CHURN_FACTOR * interval) + 1)
        if day <= today:
            found.append(day)
    if c.stage == "lost":
        if marked is not None:
            found.append(marked)
        elif not found and c.last is not None:
            found.append(c.last + dt.timedelta(days=1))
    return min(found) if found else None


def churn_by_month(period: Period, today: dt.date) -> list[ChurnMonth]:
    """Month by month of the period (up to today's): how many customers there were at its
    start (a first purchase before it, not lost before it), how many of them were lost in
    it, and how many bought for the first time. The rate is lost / customers."""
    people = facts.load(today, facts.Filter(owner=period.owner, region=period.region, tier=period.tier))
    marked = {cid: dt.date.fromisoformat(str(at)[:10]) for cid, at in database.execute_sql(
        "SELECT record_id, max(at) FROM change_log WHERE entity = 'customer' AND field = 'stage' AND new = 'lost' "
        "GROUP BY record_id")}
    firsts: dict[str, int] = {}  # month → customers whose first purchase it was
    gones: dict[str, int] = {}  # month → customers lost in it
    lost_after_first: dict[str, int] = {}  # of those, the ones who bought before the month
    earliest = None
    for c in people.values():
        if c.first is None:
            continue
        earliest = c.first if earliest is None else min(earliest, c.first)
        firsts[month_key(c.first)] = firsts.get(month_key(c.first), 0) + 1
        gone = lost_on(c, marked.get(c.id), today)
        if gone is not None:
            gone = max(gone, c.first + dt.timedelta(days=1))
            gones[month_key(gone)] = gones.get(month_key(gone), 0) + 1
            if month_key(gone) != month_key(c.first):
                lost_after_first[month_key(gone)] = lost_after_first.get(month_key(gone), 0) + 1
    if earliest is None:
        return []
    first = period.start or earliest
    last = min(period.end - dt.timedelta(days=1), today) if period.end else today
    shown = months(first, last)
    found, bought_before, gone_before = [], 0, 0
    for month in sorted(set(firsts) | set(gones) | set(shown)):
        if month in shown:
            found.append(ChurnMonth(month, bought_before - gone_before, lost_after_first.get(month, 0),
                                    firsts.get(month, 0)))
        bought_before += firsts.get(month, 0)
        gone_before += gones.get(month, 0)
    return found
