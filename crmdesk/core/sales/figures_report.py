"""Every sales figure at once, for the report page and ``crmdesk report``: the sales by
month, season, product, category, channel, owner and region of the period, the funnel of
the deals opened in it (with why the lost ones were lost and what customers objected:
``figures_reasons``), the forecast looking ahead from this month (``figures_pipeline
.ahead``) and the churn rate by month. ``progress(done, total, step)`` is called between the
steps and may raise ``Cancelled``; everything is read in one consistent snapshot."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional

from crmdesk.core.models import database
from crmdesk.core.progress import Progress, report
from crmdesk.core.sales import figures as F
from crmdesk.core.sales import figures_pipeline as P
from crmdesk.core.sales import figures_reasons as R
from crmdesk.core.sales.figures_churn import churn_by_month
from crmdesk.core.sales import stages as S

STEPS = ("sales", "funnel", "forecast")

@dataclass
class SalesFigures:
    today: dt.date
    period: F.Period
    months: list = field(default_factory=list)  # F.Month
    seasons: list = field(default_factory=list)  # F.Season, January to December
    shares: dict = field(default_factory=dict)  # kind (F.KINDS) → [F.Share], the largest first
    funnel: Optional[P.Funnel] = None
    forecast: Optional[P.Forecast] = None
    forecast_period: Optional[F.Period] = None
    churn: list = field(default_factory=list)  # figures_churn.ChurnMonth
    lost_reasons: R.LostReasons = field(default_factory=R.LostReasons)
    objections: list = field(default_factory=list)  # figures_reasons.ObjectionRow

    @property
    def total(self) -> float:
        return round(sum(m.amount for m in self.months), 2)

    @property
    def sales(self) -> int:
        return sum(m.sales for m in self.months)


def build(period: F.Period, today: dt.date, progress: Optional[Progress] = None) -> SalesFigures:
    result = SalesFigures(today, period)
    total = len(STEPS)
    with database.atomic("DEFERRED"):  # one consistent snapshot
        listed = S.load()
        report(progress, 0, total, STEPS[0])
        summary = F.everything(period, today)
        result.months, result.seasons, result.shares = summary.months, summary.seasons, summary.shares
        result.churn = churn_by_month(period, today, summary.people)
        report(progress, 1, total, STEPS[1])
        result.funnel = P.funnel(period, today, listed)
        result.lost_reasons = R.lost_reasons(period, today, listed)
        result.objections = R.objection_figures(period, today, listed)
        report(progress, 2, total, STEPS[2])
        result.forecast_period = P.ahead(period, today)
        result.forecast = P.forecast(result.forecast_period, today, listed)
    report(progress, total, total, "")
    return result
