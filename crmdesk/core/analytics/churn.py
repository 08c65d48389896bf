"""Churn and satisfaction.

At risk: a customer who is not lost yet and shows one or more of the signs, each named
with its figures: no purchase for 1.5 × the usual interval (from at least three days of
purchase), falling frequency (the last twelve months' days of purchase at most half the
twelve before, which had at least two), complaints still open that came in lately, low
satisfaction after complaints (2.5 or less on 1-5). Lost: the customers whose stage is
"lost", with the cause recorded for them (product, service, staff, image, the customer,
competitors).

Satisfaction's trend: the mean level of the complaints closed with a survey, month by
month, on the chosen scale (5 or 7 levels; other scales converted)."""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Iterable, Optional

from crmdesk.core.analytics.facts import CustomerFacts
from crmdesk.core.errors import CrmError
from crmdesk.core.models import database

CHURN_FACTOR = 1.5
LOW_SATISFACTION = 2.5
CAUSES = ("product", "service", "staff", "image", "customer", "competitor")


@dataclass(frozen=True)
class Sign:
    reason: str  # no_purchase, falling_frequency, open_complaints, low_satisfaction
    figures: dict


@dataclass(frozen=True)
class AtRisk:
    customer_id: int
    signs: tuple[Sign, ...]


def signs(c: CustomerFacts, today: dt.date) -> tuple[Sign, ...]:
    found = []
    if c.days >= 3 and c.first and c.last:
        interval = (c.last - c.first).days / (c.days - 1)
        threshold = math.ceil(CHURN_FACTOR * interval)
        quiet = (today - c.last).days
        if quiet > threshold:
            found.append(Sign("no_purchase", {"days": quiet, "interval": round(interval, 1),
                                              "threshold": threshold, "last": c.last.isoformat()}))
    if c.days_prev_12m >= 2 and c.days_12m * 2 <= c.days_prev_12m:
        found.append(Sign("falling_frequency", {"last_12m": c.days_12m, "previous_12m": c.days_prev_12m}))
    if c.open_complaints:
        found.append(Sign("open_complaints", {"count": c.open_complaints}))
    if c.satisfaction is not None and c.satisfaction <= LOW_SATISFACTION:
        found.append(Sign("low_satisfaction", {"satisfaction": c.satisfaction}))
    return tuple(found)


def at_risk(customers: Iterable[CustomerFacts], today: dt.date) -> list[AtRisk]:
    """The customers not lost showing a sign, the most signs first."""
    found = [AtRisk(c.id, s) for c in customers if c.stage != "lost" and (s := signs(c, today))]
    return sorted(found, key=lambda a: (-len(a.signs), a.customer_id))


def lost_causes(customers: Iterable[CustomerFacts]) -> dict[str, int]:
    """Lost customers by recorded cause ("" : none recorded)."""
    counts: dict[str, int] = {}
    for c in customers:
        if c.stage == "lost":
            counts[c.churn_cause or ""] = counts.get(c.churn_cause or "", 0) + 1
    return counts


def set_cause(customer_id: int, cause: Optional[str]) -> None:
    """Record why a customer left (None: unknown)."""
    from crmdesk.core.db import transaction
    from crmdesk.core.models import Customer
    from crmdesk.core import history
    if cause is not None and cause not in CAUSES:
        raise CrmError("analytics_cause_invalid")
    with transaction():
        customer = Customer.get_or_none((Customer.id == customer_id) & Customer.deleted_at.is_null())
        if customer is None:
            raise CrmError("customer_not_found")
        if customer.churn_cause != cause:
            Customer.update(churn_cause=cause).where(Customer.id == customer_id).execute()
            history.write([history.Entry("customer", customer.id, customer.uuid, customer.id, "updated",
                                         "churn_cause", customer.churn_cause, cause)])


def satisfaction_trend(start: Optional[dt.date], end: Optional[dt.date], scale: int = 5, owner: str = "",
                       region: str = "", tier: str = "", team: str = "") -> list[tuple[str, float, int]]:
    """(month "2026-11", mean level on ``scale``, answers) for each month with any: the
    complaints closed with a survey (on their own 5- or 7-level scale) and the satisfaction
    surveys done with a level (1-5), for the customers of ``owner``, ``region`` (province or
    city), ``tier`` and ``team``."""
    customers, params = ["c.deleted_at IS NULL"], []
    if owner:
        customers.append("c.owner = ?")
        params.append(owner)
    if team:
        customers.append("c.team = ?")
        params.append(team)
    if region:
        customers.append("(c.province = ? OR c.city = ?)")
        params += [region, region]
    if tier:
        customers.append("c.tier = ?")
        params.append(tier)
    period, period_params = [], []
    if start:
        period.append("at >= ?")
        period_params.append(dt.datetime.combine(start, dt.time()).isoformat(" "))
    if end:
        period.append("at < ?")
        period_params.append(dt.datetime.combine(end, dt.time()).isoformat(" "))
    chosen = " AND ".join(customers)
    answers = (
        "SELECT m.closed_at AS at, 1 + (m.satisfaction - 1) * 4.0 / (m.satisfaction_scale - 1) AS level "
        f"FROM complaint m JOIN customer c ON c.id = m.customer_id WHERE m.deleted_at IS NULL AND {chosen} "
        "AND m.state = 'closed' AND m.satisfaction IS NOT NULL AND m.satisfaction_scale > 1 "
        "UNION ALL SELECT e.done_at, json_extract(e.facts, '$.satisfaction') FROM care_event e "
        f"JOIN customer c ON c.id = e.customer_id WHERE e.deleted_at IS NULL AND {chosen} AND e.kind = 'survey' "
        "AND e.state = 'done' AND json_valid(e.facts) AND json_extract(e.facts, '$.satisfaction') BETWEEN 1 AND 5")
    rows = database.execute_sql(
        f"SELECT substr(at, 1, 7), avg(1 + (level - 1) * (? - 1.0) / 4), count(*) FROM ({answers}) "
        f"{'WHERE ' + ' AND '.join(period) if period else ''} GROUP BY 1 ORDER BY 1",
        [scale, *params, *params, *period_params])
    return [(month, round(mean, 2), count) for month, mean, count in rows]
