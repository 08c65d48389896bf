"""What the analytics know of each customer, read in a few grouped passes (no row-by-row
work in Python over the transactions): the archive's classification and scores, and from
the live purchases the revenue in the period and in all, the first and last day, the days
of purchase (a day with several lines is one purchase), the last twelve months against the
twelve before, refunds (negative amounts), the categories bought and the revenue in each;
and from the complaints the ones still open that came in lately. A purchase dated after
``today`` (an order booked ahead, or a year typed wrong) is left out of every figure.

``Filter`` narrows the customers (owner, team, region, tier); ``today`` is given, never read."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional

from crmdesk.core.bulk_indexes import indexed_by
from crmdesk.core.customers import fields as F
from crmdesk.core.models import database

RECENT_COMPLAINT_DAYS = 90


@dataclass(frozen=True)
class Filter:
    start: Optional[dt.date] = None  # the period for revenue (ABC); None: from the first purchase
    end: Optional[dt.date] = None  # exclusive; None: up to today
    owner: str = ""
    team: str = ""  # the customers of a sales team (customer.team)
    region: str = ""  # a province or a city
    tier: str = ""
    customer_id: Optional[int] = None


@dataclass(slots=True)
class CustomerFacts:
    id: int
    code: str
    name: str
    tier: Optional[str]
    stage: Optional[str]
    relationship: Optional[str]
    owner: str
    province: str
    city: str
    source: Optional[str]
    scores: dict  # evaluation factor → 1..5 or None
    satisfaction: Optional[float]  # 1..5 after complaints
    churn_cause: Optional[str]
    created: dt.date
    revenue: float = 0.0  # in the period, yuan
    revenue_total: float = 0.0
    refunds: float = 0.0  # negative amounts, as a positive sum
    first: Optional[dt.date] = None
    last: Optional[dt.date] = None
    days: int = 0  # days of purchase
    days_12m: int = 0
    days_prev_12m: int = 0
    revenue_12m: float = 0.0
    categories: dict = field(default_factory=dict)  # category → revenue (all time)
    open_complaints: int = 0  # open, received in the last RECENT_COMPLAINT_DAYS days


def _day(text) -> Optional[dt.date]:
    return None if text is None else dt.date.fromisoformat(str(text)[:10])


def load(today: dt.date, where: Filter = Filter()) -> dict[int, CustomerFacts]:
    conditions, params = ["c.deleted_at IS NULL"], []
    if where.owner:
        conditions.append("c.owner = ?")
        params.append(where.owner)
    if where.team:
        conditions.append("c.team = ?")
        params.append(where.team)
    if where.region:
        conditions.append("(c.province = ? OR c.city = ?)")
        params += [where.region, where.region]
    if where.tier:
        conditions.append("c.tier = ?")
        params.append(where.tier)
    if where.customer_id is not None:
        conditions.append("c.id = ?")
        params.append(where.customer_id)
    chosen = " AND ".join(conditions)
    scores = ", ".join(f"c.{k}" for k in F.SCORE_KEYS)
    found: dict[int, CustomerFacts] = {}
    for row in database.execute_sql(
            f"SELECT c.id, c.code, c.name, c.tier, c.stage, c.relationship, c.owner, c.province, c.city, c.source, "
            f"c.satisfaction, c.churn_cause, c.created_at, {scores} FROM customer c WHERE {chosen}", params):
        (cid, code, name, tier, stage, relationship, owner, province, city, source, satisfaction, cause,
         created) = row[:13]
        found[cid] = CustomerFacts(cid, code, name, tier, stage, relationship, owner, province, city, source,
                                   dict(zip(F.SCORE_KEYS, row[13:])), satisfaction, cause, _day(created))
    if not found:
        return found
    year_ago = today - dt.timedelta(days=365)
    two_years_ago = today - dt.timedelta(days=730)
    start = (where.start or dt.date(1900, 1, 1)).isoformat()
    end = (where.end or today + dt.timedelta(days=1)).isoformat()
    one = where.customer_id is not None
    restrict = "AND t.customer_id = ?" if one else ""
    extra = [where.customer_id] if one else []
    for (cid, total, refunds, first, last, days, revenue, revenue_12m, days_12m, days_prev) in database.execute_sql(
            "SELECT t.customer_id, sum(t.amount), sum(CASE WHEN t.amount < 0 THEN -t.amount ELSE 0 END), "
            "min(t.date), max(t.date), count(DISTINCT t.date), "
            "sum(CASE WHEN t.date >= ? AND t.date < ? THEN t.amount ELSE 0 END), "
            "sum(CASE WHEN t.date >= ? AND t.date <= ? THEN t.amount ELSE 0 END), "
            "count(DISTINCT CASE WHEN t.date >= ? AND t.date <= ? THEN t.date END), "
            "count(DISTINCT CASE WHEN t.date >= ? AND t.date < ? THEN t.date END) "
            f"FROM transactions t {indexed_by('transactions_live')}WHERE t.deleted_at IS NULL AND t.date <= ? {restrict} "
            "GROUP BY t.customer_id",
            [start, end, year_ago.isoformat(), today.isoformat(), year_ago.isoformat(), today.isoformat(),
             two_years_ago.isoformat(), year_ago.isoformat(), today.isoformat(), *extra]):
        facts = found.get(cid)
        if facts is None:
            continue
        facts.revenue_total, facts.refunds = total / 100, refunds / 100
        facts.first, facts.last, facts.days = _day(first), _day(last), days
        facts.revenue, facts.revenue_12m = revenue / 100, revenue_12m / 100
        facts.days_12m, facts.days_prev_12m = days_12m, days_prev
    for cid, category, amount in database.execute_sql(
            f"SELECT t.customer_id, t.category, sum(t.amount) FROM transactions t {indexed_by('transactions_live_category')}"
            f"WHERE t.deleted_at IS NULL AND t.category != '' AND t.date <= ? {restrict} "
            "GROUP BY t.customer_id, t.category", [today.isoformat(), *extra]):
        facts = found.get(cid)
        if facts is not None:
            facts.categories[category] = amount / 100
    since = dt.datetime.combine(today - dt.timedelta(days=RECENT_COMPLAINT_DAYS), dt.time()).isoformat(" ")
    for cid, count in database.execute_sql(
            "SELECT m.customer_id, count(*) FROM complaint m WHERE m.deleted_at IS NULL "
            f"AND m.state NOT IN ('resolved', 'closed') AND m.received_at >= ? {restrict.replace('t.', 'm.')} "
            "GROUP BY m.customer_id", [since, *extra]):
        if cid in found:
            found[cid].open_complaints = count
    return found
