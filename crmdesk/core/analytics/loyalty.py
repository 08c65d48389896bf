"""Loyalty and RFM.

The loyalty index follows the course's three subsystems and nine factors, each scored from
0 to 1 where the data says something:

- purchase behaviour: relationship duration (years since the first purchase, full at 5),
  purchase frequency (days of purchase a year, full at the 90th percentile of all
  customers), its trend (the last twelve months against the twelve before: 0.5 is steady);
- wallet: cross-buying (share of all categories sold that the customer buys); wallet share
  (no data: crmdesk does not know what the customer buys elsewhere);
- attitude: satisfaction after complaints (1-5 as 0-1); mentions, price sensitivity and
  voluntariness of purchase (no data yet).

The index is the weighted mean of the factors that have data for the customer, times 100;
the factors without data are named, never counted as 0.

RFM scores recency (days since the last purchase), frequency (days of purchase) and
monetary value (revenue) from 1 to 5 by quintiles of the customers who bought, 5 the best,
and names the usual segments."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable, Mapping, Optional

from crmdesk.core.analytics.facts import CustomerFacts

DURATION_FULL_YEARS = 5
NO_DATA = ("wallet_share", "mentions", "price_sensitivity", "voluntariness")  # nothing in the archive says


@dataclass(frozen=True)
class Loyalty:
    index: Optional[float]  # 0..100, None when no factor has data
    factors: dict  # factor → 0..1, or None (no data for this customer)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def frequency(c: CustomerFacts, today: dt.date) -> Optional[float]:
    """Days of purchase a year over the relationship (at least a year long)."""
    if c.first is None:
        return None
    return c.days / max(1.0, (today - c.first).days / 365.25)


def loyalty(c: CustomerFacts, today: dt.date, full_frequency: float, categories: int,
            weights: Mapping[str, float]) -> Loyalty:
    factors: dict[str, Optional[float]] = {k: None for k in weights}
    if c.first is not None:
        factors["duration"] = min(1.0, (today - c.first).days / 365.25 / DURATION_FULL_YEARS)
        factors["frequency"] = min(1.0, frequency(c, today) / full_frequency) if full_frequency else None
        if c.days_12m or c.days_prev_12m:
            change = (c.days_12m - c.days_prev_12m) / max(c.days_12m, c.days_prev_12m)
            factors["frequency_trend"] = 0.5 + 0.5 * change
        if categories:
            factors["cross_buying"] = min(1.0, len(c.categories) / categories)
    if c.satisfaction is not None:
        factors["satisfaction"] = (c.satisfaction - 1) / 4
    present = [(weights.get(k, 0.0), v) for k, v in factors.items() if v is not None and weights.get(k, 0.0) > 0]
    weight = sum(w for w, _v in present)
    index = round(100 * sum(w * v for w, v in present) / weight, 1) if weight else None
    return Loyalty(index, {k: (None if v is None else round(v, 3)) for k, v in factors.items()})


def loyalty_all(customers: Iterable[CustomerFacts], today: dt.date, weights: Mapping[str, float]) -> dict[int, Loyalty]:
    customers = list(customers)
    rates = [f for f in (frequency(c, today) for c in customers) if f]
    full = percentile(rates, 0.9)
    categories = len({k for c in customers for k in c.categories})
    return {c.id: loyalty(c, today, full, categories, weights) for c in customers}


# ---------------------------------------------------------------- RFM

@dataclass(frozen=True)
class Rfm:
    r: int
    f: int
    m: int
    segment: str

    @property
    def code(self) -> str:
        return f"{self.r}{self.f}{self.m}"


SEGMENTS = ("champions", "loyal", "potential", "new", "at_risk", "cannot_lose", "hibernating", "lost",
            "need_attention")


def segment(r: int, f: int) -> str:
    if r >= 4 and f >= 4:
        return "champions"
    if f >= 4 and r >= 3:
        return "loyal"
    if r >= 4 and f >= 2:
        return "potential"
    if r >= 4:
        return "new"
    if r <= 2 and f >= 4:
        return "cannot_lose"
    if r <= 2 and f >= 3:
        return "at_risk"
    if r == 1 and f == 1:
        return "lost"
    if r <= 2:
        return "hibernating"
    return "need_attention"


def _quintiles(values: dict[int, float]) -> dict[int, int]:
    """1..5 by rank (ties share the lower rank's score): the top fifth 5, and the best
    customer 5 however few there are."""
    ordered = sorted(values.items(), key=lambda kv: (kv[1], kv[0]))
    n = len(ordered)
    scores, previous, previous_score = {}, None, 1
    for position, (cid, value) in enumerate(ordered):
        score = -(-5 * (position + 1) // n)  # ceil(5 (position + 1) / n)
        if value == previous:
            score = previous_score
        scores[cid] = score
        previous, previous_score = value, score
    return scores


def rfm(customers: Iterable[CustomerFacts], today: dt.date) -> dict[int, Rfm]:
    """For every customer who ever bought (others have no RFM)."""
    bought = [c for c in customers if c.last is not None]
    if not bought:
        return {}
    r = _quintiles({c.id: -(today - c.last).days for c in bought})  # recent is high
    f = _quintiles({c.id: c.days for c in bought})
    m = _quintiles({c.id: c.revenue_total for c in bought})
    return {c.id: Rfm(r[c.id], f[c.id], m[c.id], segment(r[c.id], f[c.id])) for c in bought}
