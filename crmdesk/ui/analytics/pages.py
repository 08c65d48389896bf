"""What each page of the analytics tab shows of a built ``report.Report``: its chart, the
table of the figures behind it, and a line saying what the chart means."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from crmdesk.core.analytics import loyalty as L
from crmdesk.core.analytics.churn import CAUSES
from crmdesk.core.analytics.report import Report
from crmdesk.ui.analytics import labels as AL
from crmdesk.ui.common import formatting
from crmdesk.ui.common.charts import bar_chart, share_curve
from crmdesk.ui.common import plural
from crmdesk.ui.common.labels import choice_label
from crmdesk.ui.common.chart_table import ChartTable


translate = QCoreApplication.translate


def money_or_text(_column: int, value) -> str:
    if value is None:
        return "—"  # no data (a loyalty index of a customer who never bought, a factor without data)
    if isinstance(value, float):
        return formatting.number(value, 2)
    return str(value)


def fill_abc(page: ChartTable, built: Report) -> None:
    abc = built.abc
    a, b, _c = built.settings.abc
    chart = share_curve(translate("AnalyticsPages", "Revenue by share of customers (Pareto)"), abc.curve,
                        translate("AnalyticsPages", "Customers"), translate("AnalyticsPages", "Revenue"),
                        (a, a + b))
    rows = []
    for rank, (cid, revenue, share) in enumerate(abc.ranked, 1):
        c = built.customers[cid]
        rows.append([rank, c.code, c.name, choice_label("tier", c.tier), revenue, round(100 * share, 1),
                     abc.classes[cid]])
    note = translate("AnalyticsPages", "A: {a} customers, {ra} of revenue · B: {b}, {rb} · C: {c}, {rc}. Total {total}.").format(
        a=abc.counts["A"], b=abc.counts["B"], c=abc.counts["C"], total=formatting.money(abc.total),
        **{f"r{k.lower()}": f"{100 * abc.revenue[k] / abc.total:.0f} %" if abc.total else "0 %" for k in "ABC"})
    page.set(chart, [translate("AnalyticsPages", "Rank"), translate("AnalyticsPages", "Customer No."),
                     translate("AnalyticsPages", "Customer"), translate("AnalyticsPages", "Tier"),
                     translate("AnalyticsPages", "Revenue"),
                     translate("AnalyticsPages", "Cumulative share %"),
                     translate("AnalyticsPages", "Class")], rows, note)


def fill_value(page: ChartTable, built: Report) -> None:
    totals: dict[str, list[float]] = {}
    rows = []
    for cid, value in built.values.items():
        c = built.customers[cid]
        key = choice_label("tier", c.tier) or translate("AnalyticsPages", "No tier")
        sums = totals.setdefault(key, [0.0, 0.0, 0.0])
        sums[0] += value.historical
        sums[1] += value.current
        sums[2] += value.potential
        rows.append([c.code, c.name, choice_label("tier", c.tier), value.historical, value.current, value.potential,
                     round(value.total, 2), built.scores.get(cid)])
    rows.sort(key=lambda r: -r[6])
    names = sorted(totals)
    chart = bar_chart(translate("AnalyticsPages", "Lifetime value by tier (yuan)"), names,
                      [(translate("AnalyticsPages", "Historical"), [round(totals[n][0]) for n in names]),
                       (translate("AnalyticsPages", "Current"), [round(totals[n][1]) for n in names]),
                       (translate("AnalyticsPages", "Potential"), [round(totals[n][2]) for n in names])], horizontal=True, top_first=True)
    s = built.settings
    note = translate("AnalyticsPages", "Margin {margin} %, discount {discount} % a year, {years} years ahead: see docs/analytics.md.").format(
        margin=f"{100 * s.margin:g}", discount=f"{100 * s.discount:g}", years=s.horizon)
    page.set(chart, [translate("AnalyticsPages", "Customer No."), translate("AnalyticsPages", "Customer"),
                     translate("AnalyticsPages", "Tier"), translate("AnalyticsPages", "Historical"),
                     translate("AnalyticsPages", "Current"),
                     translate("AnalyticsPages", "Potential"), translate("AnalyticsPages", "Total"),
                     translate("AnalyticsPages", "Evaluation score")], rows, note)


def fill_loyalty(page: ChartTable, built: Report) -> None:
    bands = built.loyalty_histogram()
    chart = bar_chart(translate("AnalyticsPages", "Customers by loyalty index"), [f"{low}–{low + 10}" for low, _n in bands],
                      [(translate("AnalyticsPages", "Customers"), [n for _low, n in bands])])
    factors = list(built.settings.loyalty)
    rows = []
    for cid, value in built.loyalty.items():
        c = built.customers[cid]
        rows.append([c.code, c.name, choice_label("tier", c.tier), value.index,
                     *[None if value.factors.get(f) is None else round(100 * value.factors[f]) for f in factors]])
    no_tier = translate("AnalyticsPages", "No tier")
    by_tier = " · ".join(f"{choice_label('tier', t) or no_tier} {mean:g}"
                         for t, (mean, _n) in sorted(built.loyalty_by_tier().items()))
    note = translate("AnalyticsPages", "Mean by tier: {means}. No data in the archive for: {missing}.").format(
        means=by_tier or "—", missing=", ".join(AL.label("factor", f) for f in L.NO_DATA))
    page.set(chart, [translate("AnalyticsPages", "Customer No."), translate("AnalyticsPages", "Customer"),
                     translate("AnalyticsPages", "Tier"), translate("AnalyticsPages", "Loyalty index"),
                     *[AL.label("factor", f) for f in factors]], rows, note)


def fill_rfm(page: ChartTable, built: Report) -> None:
    counts = built.segments()
    chart = bar_chart(translate("AnalyticsPages", "Customers by RFM segment"), [AL.label("segment", k) for k in counts],
                      [(translate("AnalyticsPages", "Customers"), list(counts.values()))], horizontal=True, top_first=True)
    rows = [[built.customers[cid].code, built.customers[cid].name, v.r, v.f, v.m, AL.label("segment", v.segment)]
            for cid, v in built.rfm.items()]
    page.set(chart, [translate("AnalyticsPages", "Customer No."),
                     translate("AnalyticsPages", "Customer"), "R", "F", "M",
                     translate("AnalyticsPages", "Segment")], rows,
             translate("AnalyticsPages", "Recency, frequency and monetary value scored 1-5 by quintiles of the customers who bought."))


def churn_rows(built: Report) -> list[list]:
    rows = []
    for risk in built.at_risk:
        c = built.customers[risk.customer_id]
        rows.append([c.code, c.name, c.owner, choice_label("tier", c.tier), len(risk.signs),
                     "; ".join(AL.sign_text(s.reason, s.figures) for s in risk.signs),
                     c.id])  # past the headers: not shown, sorted with its row
    return rows


def fill_lost(page: ChartTable, built: Report) -> None:
    keys = [*CAUSES, ""]
    chart = bar_chart(translate("AnalyticsPages", "Lost customers by cause"), [AL.label("cause", k) for k in keys],
                      [(translate("AnalyticsPages", "Customers"), [built.lost.get(k, 0) for k in keys])])
    rows = [[c.code, c.name, c.owner, AL.label("cause", c.churn_cause or ""), c.id]  # the id: not shown
            for c in built.customers.values() if c.stage == "lost"]
    lost = sum(built.lost.values())
    page.set(chart, [translate("AnalyticsPages", "Customer No."), translate("AnalyticsPages", "Customer"),
                     translate("AnalyticsPages", "Owner"), translate("AnalyticsPages", "Cause")], rows,
             plural.translate("AnalyticsPages", "Lost: %n customer(s).", "", lost))


def fill_satisfaction(page: ChartTable, built: Report) -> None:
    months = built.satisfaction
    chart = bar_chart(translate("AnalyticsPages", "Satisfaction by month (1-{top})").format(top=built.scale), [m for m, _v, _n in months],
                      [(translate("AnalyticsPages", "Mean"), [v for _m, v, _n in months])], label_every=max(1, len(months) // 6),
                      lines=len(months) > 1)
    page.set(chart, [translate("AnalyticsPages", "Month"), translate("AnalyticsPages", "Mean (1-{top})").format(top=built.scale),
                     translate("AnalyticsPages", "Answers")],
             [[m, v, n] for m, v, n in months],
             translate("AnalyticsPages", "From complaints closed with a survey and satisfaction surveys done with a level.") if months
             else translate("AnalyticsPages", "No answers yet: close complaints with a survey, or record the level when a survey is done."))
