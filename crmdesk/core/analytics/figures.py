"""Value figures: ABC classes by revenue (the 80/20 rule) with the Pareto curve, the
evaluation score from the five factors, the tier and relationship they suggest, and the
customer lifetime value as historical, current and potential value. Pure functions over
``facts.CustomerFacts``; the formulas, with a worked example, are in ``docs/analytics.md``."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Mapping, Optional

from crmdesk.core.analytics.facts import CustomerFacts
from crmdesk.core.analytics.settings import Settings

PARETO_POINTS = 200  # the curve is drawn from at most this many points


# ---------------------------------------------------------------- ABC / 80-20

@dataclass(frozen=True)
class Abc:
    classes: dict  # customer id → "A", "B" or "C"
    ranked: list  # (customer id, revenue, cumulative share) by revenue, the largest first
    curve: list  # (share of customers, share of revenue): the Pareto curve, from (0, 0)
    total: float
    counts: dict  # class → how many customers
    revenue: dict  # class → revenue


def abc(customers: Iterable[CustomerFacts], shares: tuple[float, float, float]) -> Abc:
    """Rank by revenue in the period. A: the largest customers until their cumulative share
    reaches the A share (the customer that crosses it is an A); B: on to A + B; C: the rest,
    and every customer without revenue (none, or refunds only)."""
    rows = sorted(((c.id, max(c.revenue, 0.0)) for c in customers), key=lambda r: (-r[1], r[0]))
    total = sum(r for _i, r in rows)
    classes, ranked, running = {}, [], 0.0
    for cid, revenue in rows:
        before = running / total if total else 1.0
        running += revenue
        share = running / total if total else 0.0
        if revenue <= 0:
            cls = "C"
        elif before < shares[0] - 1e-12:
            cls = "A"
        elif before < shares[0] + shares[1] - 1e-12:
            cls = "B"
        else:
            cls = "C"
        classes[cid] = cls
        ranked.append((cid, revenue, share))
    n = len(ranked)
    step = max(1, n // PARETO_POINTS)
    curve = [(0.0, 0.0)] + [((i + 1) / n, ranked[i][2]) for i in range(step - 1, n, step)]
    if n and curve[-1][0] < 1.0:
        curve.append((1.0, ranked[-1][2]))
    counts = {k: sum(1 for v in classes.values() if v == k) for k in "ABC"}
    by_class = {k: sum(r for cid, r in rows if classes[cid] == k) for k in "ABC"}
    return Abc(classes, ranked, curve, total, counts, by_class)


# ---------------------------------------------------------------- evaluation and tier

def evaluation(scores: Mapping[str, Optional[int]], weights: Mapping[str, float]) -> Optional[float]:
    """The weighted mean of the factors that have a score (1-5); None when none has."""
    total = weight = 0.0
    for key, score in scores.items():
        if score is not None:
            w = weights.get(key, 0.0)
            if w > 0:
                total += w * score
                weight += w
    return round(total / weight, 2) if weight else None


@dataclass(frozen=True)
class Suggestion:
    customer_id: int
    tier: Optional[str]  # as it is
    relationship: Optional[str]
    suggested_tier: str
    suggested_relationship: str
    why: str  # "A, score 4.2"

    @property
    def differs(self) -> bool:
        return (self.tier, self.relationship) != (self.suggested_tier, self.suggested_relationship)


def suggest(cls: str, score: Optional[float], relationship: Optional[str]) -> tuple[str, str]:
    """The course's classification: key accounts are the A customers who also evaluate well
    (score 3.5 or more, or no score yet); relationship customers are the other A and the B
    customers, and any customer already in a partnership or alliance; the rest are
    transactional. The relationship type follows the tier: a key account scoring 4 or
    more is a strategic alliance, other key accounts partners, relationship customers
    preferred suppliers; a partnership or alliance already recorded is kept."""
    close = relationship in ("partner", "strategic_alliance")
    if cls == "A" and (score is None or score >= 3.5):
        tier = "key"
    elif cls in ("A", "B") or close:
        tier = "relationship"
    else:
        tier = "transactional"
    if tier == "key":
        kind = "strategic_alliance" if (score or 0) >= 4 or relationship == "strategic_alliance" else "partner"
    elif tier == "relationship":
        kind = relationship if close else "preferred_supplier"
    else:
        kind = "transactional"
    return tier, kind


def suggestions(customers: Iterable[CustomerFacts], classes: Mapping[int, str], settings: Settings,
                scores: Optional[Mapping[int, Optional[float]]] = None, differing: bool = False) -> list[Suggestion]:
    """``scores``: the evaluation scores already worked out (id → score), if they were;
    ``differing``: only the customers whose tier or relationship differs from the suggestion."""
    found = []
    for c in customers:
        score = scores[c.id] if scores is not None else evaluation(c.scores, settings.weights)
        cls = classes.get(c.id, "C")
        tier, kind = suggest(cls, score, c.relationship)
        if differing and (c.tier, c.relationship) == (tier, kind):
            continue
        why = cls + (f", {score:.1f}" if score is not None else "")
        found.append(Suggestion(c.id, c.tier, c.relationship, tier, kind, why))
    return found


# ---------------------------------------------------------------- lifetime value

@dataclass(frozen=True)
class Value:
    historical: float  # margin earned so far
    current: float  # the last twelve months' margin, projected over the horizon, discounted
    potential: float  # the margin of categories not bought yet, as likely as the others buy them

    @property
    def total(self) -> float:
        return self.historical + self.current + self.potential


@lru_cache(maxsize=64)
def annuity(discount: float, years: int) -> float:
    """What 1 a year for ``years`` years is worth today: Σ 1 / (1 + d)^t, t = 1..years."""
    return sum(1 / (1 + discount) ** t for t in range(1, years + 1))


@dataclass(frozen=True)
class Market:
    """Per category: the share of customers who buy it, and their mean revenue in it a year."""
    share: dict
    yearly: dict

    @property
    def everything(self) -> float:
        """Σ share × yearly over every category: what a customer buying nothing yet may bring."""
        return sum(self.share[k] * self.yearly[k] for k in self.share)


def market(customers: Iterable[CustomerFacts], today) -> Market:
    customers = list(customers)
    buyers: dict[str, int] = {}
    yearly: dict[str, float] = {}
    for c in customers:
        if not c.categories:
            continue
        years = max(1.0, ((today - c.first).days / 365.25) if c.first else 1.0)
        for category, revenue in c.categories.items():
            buyers[category] = buyers.get(category, 0) + 1
            if revenue > 0:
                yearly[category] = yearly.get(category, 0.0) + revenue / years
    count = sum(1 for c in customers if c.first) or 1
    return Market({k: n / count for k, n in buyers.items()}, {k: yearly.get(k, 0.0) / buyers[k] for k in buyers})


def lifetime_value(c: CustomerFacts, settings: Settings, known: Market, everything: Optional[float] = None) -> Value:
    """``everything``: ``known.everything``, worked out once for many customers."""
    factor = annuity(settings.discount, settings.horizon)
    historical = max(c.revenue_total, 0.0) * settings.margin
    current = max(c.revenue_12m, 0.0) * settings.margin * factor
    potential = 0.0
    if c.first is not None:  # a customer who never bought has no pattern to cross-sell into
        potential = (everything if everything is not None else known.everything) - sum(
            known.share[k] * known.yearly[k] for k in c.categories if k in known.share)
        potential = max(potential, 0.0) * settings.margin * factor
    return Value(round(historical, 2), round(current, 2), round(potential, 2))
