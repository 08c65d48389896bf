"""One customer's figures in milliseconds, for the profile: the figures that need the
whole population (where the A and B classes end, what each category sells and to how
many, the frequency counted as full, the RFM quintiles' bounds) are kept from the last
report of all customers; the customer's own facts are read by its id. The profile says
when the population figures were worked out."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Optional

from crmdesk.core.analytics import churn, figures, loyalty
from crmdesk.core.analytics import settings as analytics_settings
from crmdesk.core.analytics.facts import Filter, load
from crmdesk.core.models import Setting

KEY = "analytics.snapshot"


def keep(built) -> None:
    """Keep the population figures of a report of every customer (a filtered one is not kept)."""
    w = built.where
    if w.owner or w.region or w.tier or w.customer_id is not None:
        return
    people = list(built.customers.values())
    ranked = built.abc.ranked
    cut = {}  # the last of each class in the ranking, as (revenue, id): ties are ranked by id
    for cls in "AB":
        in_class = [(revenue, cid) for cid, revenue, _s in ranked if built.abc.classes[cid] == cls]
        cut[cls] = list(in_class[-1]) if in_class else None
    known = built.market or figures.market(people, built.today)
    full, categories = built.population or loyalty.population(people, built.today)
    bought = [c for c in people if c.last is not None]
    data = {"today": built.today.isoformat(), "start": w.start and w.start.isoformat(),
            "end": w.end and w.end.isoformat(), "cut": cut, "share": known.share, "yearly": known.yearly,
            "full_frequency": full, "categories": categories,
            "rfm": loyalty.rfm_bounds(bought, built.today)}
    Setting.insert(key=KEY, value=json.dumps(data, ensure_ascii=False)).on_conflict_replace().execute()


@dataclass(frozen=True)
class Figures:
    worked_out: dt.date  # when the population figures were
    abc_class: str
    score: Optional[float]
    suggestion: tuple[str, str]  # tier, relationship
    value: figures.Value
    loyalty: loyalty.Loyalty
    rfm: Optional[loyalty.Rfm]
    signs: tuple


def for_customer(customer_id: int, today: dt.date) -> Optional[Figures]:
    """None when no report of all customers was worked out yet, or the customer is gone."""
    row = Setting.get_or_none(Setting.key == KEY)
    if row is None:
        return None
    try:
        data = json.loads(row.value)
    except ValueError:
        return None
    start = data.get("start") and dt.date.fromisoformat(data["start"])
    end = data.get("end") and dt.date.fromisoformat(data["end"])
    c = load(today, Filter(start=start, end=end, customer_id=customer_id)).get(customer_id)
    if c is None:
        return None
    settings = analytics_settings.load()
    revenue = max(c.revenue, 0.0)
    cut = data["cut"]

    def within(last) -> bool:  # ranked at or before the class's last customer
        return last is not None and revenue > 0 and (-revenue, customer_id) <= (-last[0], last[1])
    cls = "A" if within(cut.get("A")) else "B" if within(cut.get("B")) else "C"
    score = figures.evaluation(c.scores, settings.weights)
    known = figures.Market(data["share"], data["yearly"])
    rfm = None
    if c.last is not None and data["rfm"][0]:
        r, f, m = loyalty.rfm_scores(data["rfm"], c, today)
        rfm = loyalty.Rfm(r, f, m, loyalty.segment(r, f))
    return Figures(dt.date.fromisoformat(data["today"]), cls, score, figures.suggest(cls, score, c.relationship),
                   figures.lifetime_value(c, settings, known),
                   loyalty.loyalty(c, today, data["full_frequency"], data["categories"], settings.loyalty), rfm,
                   churn.signs(c, today))
