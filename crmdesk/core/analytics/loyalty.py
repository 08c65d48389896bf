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
the factors without data are named, never counted as 0. A customer who never bought has no
index (None: "no data", shown as "—", sorted last, left out of every mean): loyalty is first
of all buying again, and a same-day customer whose only data is a closed complaint's
satisfaction would otherwise score 100.

RFM scores recency (days since the last purchase), frequency (days of purchase) and
monetary value (revenue) from 1 to 5 by quintiles of the customers who bought, 5 the best,
and names the usual segments."""
from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from typing import Iterable, Mapping, Optional

from crmdesk.core.analytics.facts import CustomerFacts

DURATION_FULL_YEARS = 5
NO_DATA = ("wallet_share", "mentions", "price_sensitivity", "voluntariness")  # nothing in the archive says


@dataclass(frozen=True)
class Loyalty:
    index: Optional[float]  # 0..100, None when no factor has data
    factors: dict  # factor → 0..1 (unrounded), or None (no data for this customer)


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
            weights: Mapping[str, float], blank: Optional[dict] = None) -> Loyalty:
    """``blank``: every factor as None, made once for many customers."""
    factors: dict[str, Optional[float]] = blank.copy() if blank is not None else dict.fromkeys(weights)
    if c.first is not None:
        years = (today - c.first).days / 365.25
        factors["duration"] = min(1.0, max(0.0, years / DURATION_FULL_YEARS))
        if full_frequency:
            factors["frequency"] = min(1.0, c.days / max(1.0, years) / full_frequency)
        if c.days_12m or c.days_prev_12m:
            change = (c.days_12m - c.days_prev_12m) / max(c.days_12m, c.days_prev_12m)
            factors["frequency_trend"] = 0.5 + 0.5 * change
        if categories:
            factors["cross_buying"] = min(1.0, len(c.categories) / categories)
    if c.satisfaction is not None:
        factors["satisfaction"] = (c.satisfaction - 1) / 4
    total = weight = 0.0
    for key, value in factors.items():
        if value is not None:
            w = weights.get(key, 0.0)
            total += w * value
            weight += w
    if c.first is None:  # no purchase: attitude alone is no loyalty (satisfaction 5 would be 100)
        return Loyalty(None, factors)
    return Loyalty(round(100 * total / weight, 1) if weight else None, factors)


def population(customers: Iterable[CustomerFacts], today: dt.date) -> tuple[float, int]:
    """What loyalty measures a customer against: the purchase frequency counted as full
    (the 90th percentile) and how many categories are sold."""
    customers = list(customers)
    rates = [f for f in (frequency(c, today) for c in customers) if f]
    return percentile(rates, 0.9), len({k for c in customers for k in c.categories})


def loyalty_all(customers: Iterable[CustomerFacts], today: dt.date, weights: Mapping[str, float],
                measured: Optional[tuple[float, int]] = None) -> dict[int, Loyalty]:
    """``measured``: ``population(customers, today)`` if it was worked out already."""
    customers = list(customers)
    full, categories = measured or population(customers, today)
    blank = dict.fromkeys(weights)
    return {c.id: loyalty(c, today, full, categories, weights, blank) for c in customers}


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


def quintile_bounds(values: list[float]) -> list[tuple[float, bool]]:
    """The values at the four fifths of the customers sorted (positions ⌊kn/5⌋), each with
    whether it is the first of its equals there."""
    ordered = sorted(values)
    n = len(ordered)
    found: list[tuple[float, bool]] = []
    for k in range(1, 5 if n else 1):
        position = min(n - 1, (k * n) // 5)
        value = ordered[position]
        found.append((value, bisect.bisect_left(ordered, value) == position))
    return found


def quintile(bounds: list[tuple[float, bool]], value: float) -> int:
    """1..5 by rank: 1 plus the fifths' positions at or below the value's first place among
    equals. Equal values score alike and low (most customers buying once are F 1, not 4);
    the best of a few distinct values scores 5."""
    count = 0
    for bound, first in bounds:  # ascending: stop at the first bound past the value
        if bound < value or (bound == value and first):
            count += 1
        elif bound > value:
            break
    return 1 + count


def rfm(customers: Iterable[CustomerFacts], today: dt.date) -> dict[int, Rfm]:
    """For every customer who ever bought (others have no RFM)."""
    bought = [c for c in customers if c.last is not None]
    if not bought:
        return {}
    found = {}
    bounds = rfm_bounds(bought, today)
    for c in bought:
        r, f, m = rfm_scores(bounds, c, today)
        found[c.id] = Rfm(r, f, m, segment(r, f))
    return found


def rfm_bounds(bought: list[CustomerFacts], today: dt.date) -> list:
    """The quintile bounds of recency, frequency and money among the customers who bought
    (money among those whose purchases come to more than 0)."""
    return [quintile_bounds([-(today - c.last).days for c in bought]), quintile_bounds([c.days for c in bought]),
            quintile_bounds([c.revenue_total for c in bought if c.revenue_total > 0])]


def rfm_scores(bounds: list, c: CustomerFacts, today: dt.date) -> tuple[int, int, int]:
    r = quintile(bounds[0], -(today - c.last).days)
    f = quintile(bounds[1], c.days)
    m = quintile(bounds[2], c.revenue_total) if c.revenue_total > 0 else 1  # refunds only: the lowest
    return r, f, m
