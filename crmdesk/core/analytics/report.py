"""Every analytics figure at once, for the tab, the Excel report and ``crmdesk report``:
read the facts (a few grouped SQL passes), then work out ABC, the evaluation scores and
suggested tiers, lifetime values, loyalty, RFM, churn and satisfaction in Python.
``progress(done, total, step)`` is called between the steps and may raise ``Cancelled``.
One customer's figures (``for_customer``) are worked out against the same population, so
that a profile shows the class and scores the report gives."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional

from crmdesk.core.analytics import churn, figures, loyalty
from crmdesk.core.analytics import settings as analytics_settings
from crmdesk.core.analytics.facts import CustomerFacts, Filter, load
from crmdesk.core.models import database
from crmdesk.core.progress import Progress, report

STEPS = ("facts", "abc", "value", "loyalty", "rfm", "churn", "satisfaction")


@dataclass
class Report:
    today: dt.date
    where: Filter
    settings: analytics_settings.Settings
    customers: dict = field(default_factory=dict)  # id → CustomerFacts
    abc: Optional[figures.Abc] = None
    scores: dict = field(default_factory=dict)  # id → evaluation score or None
    suggestions: list = field(default_factory=list)  # figures.Suggestion, those that differ
    values: dict = field(default_factory=dict)  # id → figures.Value
    loyalty: dict = field(default_factory=dict)  # id → loyalty.Loyalty
    rfm: dict = field(default_factory=dict)  # id → loyalty.Rfm
    at_risk: list = field(default_factory=list)  # churn.AtRisk
    lost: dict = field(default_factory=dict)  # cause → count
    satisfaction: list = field(default_factory=list)  # (month, mean on ``scale``, answers)
    scale: int = 5  # the satisfaction scale of the complaint settings
    market: Optional[figures.Market] = None  # per category: share of buyers, yearly revenue
    population: Optional[tuple] = None  # loyalty's full frequency and the categories sold

    def loyalty_by_tier(self) -> dict[str, tuple[float, int]]:
        """tier ("" : none) → (mean index, customers with one)."""
        found: dict[str, list[float]] = {}
        for cid, value in self.loyalty.items():
            if value.index is not None:
                found.setdefault(self.customers[cid].tier or "", []).append(value.index)
        return {tier: (round(sum(v) / len(v), 1), len(v)) for tier, v in found.items()}

    def loyalty_histogram(self, width: int = 10) -> list[tuple[int, int]]:
        """(lower bound, customers) per band of ``width`` index points, 0..100."""
        bands = {low: 0 for low in range(0, 100, width)}
        for value in self.loyalty.values():
            if value.index is not None:
                bands[max(0, min(int(value.index // width) * width, 100 - width))] += 1
        return sorted(bands.items())

    def segments(self) -> dict[str, int]:
        counts = {name: 0 for name in loyalty.SEGMENTS}
        for value in self.rfm.values():
            counts[value.segment] += 1
        return counts


SHOWN_NAMES = 8  # known owners or regions named in the sentence for an unknown one


def _some(names) -> str:
    names = sorted(names)
    return "、".join(names[:SHOWN_NAMES]) + ("…" if len(names) > SHOWN_NAMES else "")


def check_filter(where: Filter) -> None:
    """Refuse an owner, region or tier nobody in the database has (a report of nobody,
    written and exit 0, looks like an answer): one sentence naming some that exist."""
    from crmdesk.core.customers import fields as F
    from crmdesk.core.errors import CrmError
    from crmdesk.core.complaints import settings as complaint_settings
    if where.owner:
        known = complaint_settings.people()  # the analytics tab's own list of owners
        if where.owner not in known:
            raise CrmError("report_owner_unknown", owner=where.owner, known=_some(known) or "—")
    if where.region:
        hit = database.execute_sql("SELECT 1 FROM customer WHERE deleted_at IS NULL AND (province = ? OR city = ?) "
                                   "LIMIT 1", (where.region, where.region)).fetchone()
        if hit is None:
            regions = {r[0] for r in database.execute_sql(
                "SELECT DISTINCT province FROM customer WHERE deleted_at IS NULL AND COALESCE(province, '') != ''")}
            raise CrmError("report_region_unknown", region=where.region, known=_some(regions) or "—")
    if where.tier and where.tier not in {c.key for c in F.TIER}:
        raise CrmError("report_tier_unknown", tier=where.tier, known=", ".join(c.key for c in F.TIER))


def build(today: dt.date, where: Filter = Filter(), progress: Optional[Progress] = None,
          settings: Optional[analytics_settings.Settings] = None) -> Report:
    settings = settings or analytics_settings.load()
    result = Report(today, where, settings)
    total = len(STEPS)
    report(progress, 0, total, STEPS[0])
    with database.atomic("DEFERRED"):  # one consistent snapshot
        result.customers = load(today, where)
        people = list(result.customers.values())
        report(progress, 1, total, STEPS[1])
        result.abc = figures.abc(people, settings.abc)
        result.scores = {c.id: figures.evaluation(c.scores, settings.weights) for c in people}
        result.suggestions = figures.suggestions(people, result.abc.classes, settings, result.scores, differing=True)
        report(progress, 2, total, STEPS[2])
        known = result.market = figures.market(people, today)
        everything = known.everything
        result.values = {c.id: figures.lifetime_value(c, settings, known, everything) for c in people}
        report(progress, 3, total, STEPS[3])
        result.population = loyalty.population(people, today)
        result.loyalty = loyalty.loyalty_all(people, today, settings.loyalty, result.population)
        report(progress, 4, total, STEPS[4])
        result.rfm = loyalty.rfm(people, today)
        report(progress, 5, total, STEPS[5])
        result.at_risk = churn.at_risk(people, today)
        result.lost = churn.lost_causes(people)
        report(progress, 6, total, STEPS[6])
        from crmdesk.core.complaints import settings as complaint_settings
        result.scale = complaint_settings.load().options.satisfaction_scale  # 5 or 7, as the complaint desk asks
        result.satisfaction = churn.satisfaction_trend(where.start, where.end, result.scale, owner=where.owner,
                                                       region=where.region, tier=where.tier, team=where.team)
    from crmdesk.core.analytics import snapshot
    from crmdesk.core.db import transaction
    from crmdesk.core.errors import CrmError
    try:
        with transaction():
            snapshot.keep(result)  # for one customer's figures on the profile
    except CrmError:  # the database busy with another program's write: the figures stand, the profile waits
        pass
    report(progress, total, total, "")
    return result


@dataclass(frozen=True)
class CustomerFigures:
    facts: CustomerFacts
    abc_class: str
    score: Optional[float]
    suggestion: figures.Suggestion
    value: figures.Value
    loyalty: loyalty.Loyalty
    rfm: Optional[loyalty.Rfm]
    signs: tuple


def for_customer(customer_id: int, built: Report) -> Optional[CustomerFigures]:
    """A customer's figures out of a built report (None if the report left them out)."""
    c = built.customers.get(customer_id)
    if c is None:
        return None
    cls = built.abc.classes.get(customer_id, "C")
    score = built.scores.get(customer_id)
    tier, kind = figures.suggest(cls, score, c.relationship)
    suggestion = figures.Suggestion(c.id, c.tier, c.relationship, tier, kind, cls)
    return CustomerFigures(c, cls, score, suggestion, built.values[customer_id], built.loyalty[customer_id],
                           built.rfm.get(customer_id), churn.signs(c, built.today))
