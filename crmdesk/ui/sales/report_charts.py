"""What each chart of the sales report page shows of a built ``SalesFigures``: the chart,
the table of the figures behind it, and a line saying what the chart means."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from crmdesk.core.sales.figures_labels import month_of_year
from crmdesk.core.sales.figures_report import SalesFigures
from crmdesk.ui.common import formatting
from crmdesk.ui.common.charts import bar_chart
from crmdesk.ui.common import plural
from crmdesk.ui.visits.form import objection_type_label
from crmdesk.ui.common.labels import choice_label
from crmdesk.ui.sales.lost_dialog import reason_label
from crmdesk.ui.common.chart_table import ChartTable

translate = QCoreApplication.translate
TOP = 12  # bars in a breakdown's chart; the table has every row
TOP_HALF = 8  # in a chart sharing its page: more would cut the names to "…"


def shown(_column: int, value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return formatting.number(value, 2)
    return str(value)


def percent(value) -> str:
    return "—" if value is None else f"{100 * value:.1f} %"


def key_label(kind: str, key: str) -> str:
    """A breakdown's key as the page shows it: a source's label, or what none means."""
    if not key:
        return {"product": translate("SalesReportCharts", "No product"),
                "category": translate("SalesReportCharts", "No category"),
                "channel": translate("SalesReportCharts", "No source"),
                "owner": translate("SalesReportCharts", "No owner"),
                "region": translate("SalesReportCharts", "No region")}[kind]
    return choice_label("source", key) if kind == "channel" else key


def wan(value: float) -> float:
    """Yuan in units of 10,000 (万元), as the charts' axes count them: 15000000 is hard to read."""
    return round(value / 10000, 2)


def amount() -> str:
    return translate("SalesReportCharts", "Amount")


def fill_funnel(page: ChartTable, figs: SalesFigures, lang: str) -> None:
    f = figs.funnel
    names = [s.name(lang) for s in f.stages]
    chart = bar_chart(translate("SalesReportCharts", "Deals by stage"), names,
                      [(translate("SalesReportCharts", "In the stage now"), [s.count for s in f.stages]),
                       (translate("SalesReportCharts", "Reached the stage"), [s.reached or 0 for s in f.stages])],
                      horizontal=True, top_first=True)
    rows = [[s.name(lang), s.count, s.amount, s.reached, percent(s.conversion) if s.reached is not None else None]
            for s in f.stages]
    note = translate("SalesReportCharts", "Win rate {rate} ({won} won, {lost} lost) · average cycle {days} · "
                                          "average deal {size} · {deals} deals opened in the period.").format(
        rate=percent(f.win_rate), won=f.won, lost=f.lost, deals=f.deals, size=formatting.money(f.deal_size) or "—",
        days=translate("SalesReportCharts", "{n} days").format(n=f"{f.cycle_days:g}") if f.cycle_days is not None
        else "—")
    page.set(chart, [translate("SalesReportCharts", "Stage"), translate("SalesReportCharts", "Deals"), amount(),
                     translate("SalesReportCharts", "Reached"), translate("SalesReportCharts", "Conversion")],
             rows, note)


def fill_forecast(months: ChartTable, owners: ChartTable, figs: SalesFigures) -> None:
    f = figs.forecast
    weighted = translate("SalesReportCharts", "Weighted (amount × probability)")
    last_year = translate("SalesReportCharts", "Won in the same months last year")
    keys = [r.key for r in f.months]
    months.set(bar_chart(translate("SalesReportCharts", "Forecast by expected close month (10,000 yuan)"), keys,
                         [(weighted, [wan(r.weighted) for r in f.months]),
                          (last_year, [wan(r.won_last_year) for r in f.months])],
                         label_every=max(1, len(keys) // 12)),
               [translate("SalesReportCharts", "Month"), translate("SalesReportCharts", "Deals"), amount(), weighted,
                last_year], [[r.key, r.deals, r.amount, r.weighted, r.won_last_year] for r in f.months],
               translate("SalesReportCharts", "Open deals weighted {weighted} of {amount}; past their expected close: "
                                              "{overdue}; no expected close: {undated}.").format(
                   weighted=formatting.money(f.weighted), amount=formatting.money(f.amount), overdue=f.overdue,
                   undated=f.undated))
    rows = f.owners[:TOP_HALF]
    owners.set(bar_chart(translate("SalesReportCharts", "Forecast by owner (10,000 yuan)"),
                         [r.key or key_label("owner", "") for r in rows],
                         [(weighted, [wan(r.weighted) for r in rows]),
                          (last_year, [wan(r.won_last_year) for r in rows])],
                         horizontal=True, top_first=True),
               [translate("SalesReportCharts", "Owner"), translate("SalesReportCharts", "Deals"), amount(), weighted,
                last_year],
               [[r.key or key_label("owner", ""), r.deals, r.amount, r.weighted, r.won_last_year] for r in f.owners],
               plural.translate("SalesReportCharts", "The chart shows the first %n; the table has them all.", "",
                                TOP_HALF) if len(f.owners) > TOP_HALF else "")


def fill_months(page: ChartTable, figs: SalesFigures) -> None:
    keys = [m.month for m in figs.months]
    count = figs.sales  # a plain name: lupdate skips a call whose count is an attribute
    page.set(bar_chart(translate("SalesReportCharts", "Sales by month (10,000 yuan)"), keys,
                       [(amount(), [wan(m.amount) for m in figs.months])], label_every=max(1, len(keys) // 12),
                       lines=len(keys) > 24),
             [translate("SalesReportCharts", "Month"), amount(), translate("SalesReportCharts", "Sales")],
             [[m.month, m.amount, m.sales] for m in figs.months],
             plural.translate("SalesReportCharts", "%n sale(s), refunds netted out.", "", count)
             + " " + translate("SalesReportCharts", "Total {total}.").format(total=formatting.money(figs.total)))


def fill_seasons(page: ChartTable, figs: SalesFigures, lang: str) -> None:
    names = [month_of_year(s.month, lang)[:3] if lang == "en" else month_of_year(s.month, lang) for s in figs.seasons]
    per_year = translate("SalesReportCharts", "Per year")
    page.set(bar_chart(translate("SalesReportCharts",
                                 "When customers buy: each month of the year, mean per year (10,000 yuan)"),
                       names, [(per_year, [wan(s.per_year) for s in figs.seasons])]),
             [translate("SalesReportCharts", "Month"), translate("SalesReportCharts", "All years"),
              translate("SalesReportCharts", "Years"), per_year, translate("SalesReportCharts", "Sales")],
             [[month_of_year(s.month, lang), s.amount, s.years, s.per_year, s.sales] for s in figs.seasons],
             translate("SalesReportCharts", "The busiest month: {month}.").format(
                 month=month_of_year(max(figs.seasons, key=lambda s: s.per_year).month, lang))
             if any(s.amount for s in figs.seasons) else translate("SalesReportCharts", "No sales in the period."))


def fill_shares(page: ChartTable, figs: SalesFigures, kind: str, title: str, header: str, bars: int = TOP) -> None:
    found = figs.shares[kind]
    top = found[:bars]
    with_quantity = kind == "product"
    headers = [header, amount(), translate("SalesReportCharts", "Share"),
               *([translate("SalesReportCharts", "Quantity")] if with_quantity else []),
               translate("SalesReportCharts", "Sales"), translate("SalesReportCharts", "Customers")]
    rows = [[key_label(kind, s.key), s.amount, percent(s.share), *([s.quantity] if with_quantity else []), s.sales,
             s.customers] for s in found]
    note = ""
    if len(found) > bars:
        note = plural.translate("SalesReportCharts", "The chart shows the first %n; the table has them all.", "", bars)
    page.set(bar_chart(title, [key_label(kind, s.key) for s in top], [(amount(), [wan(s.amount) for s in top])],
                       horizontal=True, top_first=True), headers, rows, note)


def fill_churn(page: ChartTable, figs: SalesFigures) -> None:
    keys = [m.month for m in figs.churn]
    rate = translate("SalesReportCharts", "Churn rate %")
    page.set(bar_chart(translate("SalesReportCharts", "Churn rate by month (%)"), keys,
                       [(rate, [round(100 * (m.rate or 0), 1) for m in figs.churn])],
                       label_every=max(1, len(keys) // 12), lines=len(keys) > 24),
             [translate("SalesReportCharts", "Month"), translate("SalesReportCharts", "Customers at the start"),
              translate("SalesReportCharts", "Lost"), rate, translate("SalesReportCharts", "New customers")],
             [[m.month, m.customers, m.lost, percent(m.rate), m.new] for m in figs.churn],
             translate("SalesReportCharts", "Lost: no purchase for 1.5 × the usual interval, or marked lost; "
                                            "the rate is of the customers at the month's start."))


# ---------------------------------------------------------------- why deals are lost, what customers object

def reason_name(key: str) -> str:
    return reason_label(key) if key else translate("SalesReportCharts", "No reason given")


def objection_name(key: str) -> str:
    return (objection_type_label(key) or key) if key else translate("SalesReportCharts", "No type")


def fill_reasons(page: ChartTable, owners: ChartTable, figs: SalesFigures) -> None:
    found = figs.lost_reasons
    lost_count = found.deals  # a plain name: lupdate skips a call whose count is an attribute
    lost = translate("SalesReportCharts", "Lost deals")
    page.set(bar_chart(translate("SalesReportCharts", "Deals lost in the period, by reason"),
                       [reason_name(r.key) for r in found.reasons], [(lost, [r.deals for r in found.reasons])],
                       horizontal=True, top_first=True),
             [translate("SalesReportCharts", "Reason"), lost, amount(), translate("SalesReportCharts", "Share")],
             [[reason_name(r.key), r.deals, r.amount, percent(r.share)] for r in found.reasons],
             plural.translate("SalesReportCharts", "%n deal(s) lost in the period, for {amount}; the most frequent "
                                                   "reason: {reason}.", "", lost_count).format(
                 amount=formatting.money(found.amount), reason=reason_name(found.reasons[0].key))
             if found.reasons else translate("SalesReportCharts", "No deal lost in the period."))
    keys = found.keys
    top = found.owners[:TOP_HALF]
    sets = [(lost, [o.deals for o in top])]
    if found.reasons:  # beside each owner's lost deals, those lost to the most frequent reason
        first = found.reasons[0].key
        sets.append((translate("SalesReportCharts", "Of them: {reason}").format(reason=reason_name(first)),
                     [o.count(first) for o in top]))
    owners.set(bar_chart(translate("SalesReportCharts", "Deals lost, by owner"),
                         [o.owner or key_label("owner", "") for o in top], sets),  # upright: the legend's order
               [translate("SalesReportCharts", "Owner"), lost, amount(), *(reason_name(k) for k in keys)],
               [[o.owner or key_label("owner", ""), o.deals, o.amount, *(o.count(k) for k in keys)]
                for o in found.owners],
               plural.translate("SalesReportCharts", "The chart shows the first %n; the table has them all.", "",
                                TOP_HALF) if len(found.owners) > TOP_HALF
               else translate("SalesReportCharts", "The table counts each owner's lost deals by reason."))


def most_lost(rows) -> str:
    """The note's sentence on the type raised on the largest share of lost deals."""
    lost = [r for r in rows if r.lost_share]
    if not lost:
        return translate("SalesReportCharts", "None of the deals they were raised on was lost.")
    worst = max(lost, key=lambda r: (r.lost_share, r.deals))
    return translate("SalesReportCharts", "Most often on deals that were lost: {type} ({lost} of {deals} deals, "
                                          "{share}).").format(type=objection_name(worst.type), lost=worst.deals_lost,
                                                              deals=worst.deals, share=percent(worst.lost_share))


def fill_objections(page: ChartTable, figs: SalesFigures) -> None:
    rows = figs.objections
    raised, answered = translate("SalesReportCharts", "Raised"), translate("SalesReportCharts", "Answered")
    total = sum(r.raised for r in rows)
    note = translate("SalesReportCharts", "No objection recorded on the period's visits.")
    if total:
        note = plural.translate("SalesReportCharts", "%n objection(s) on the period's visits, {answered} answered.", "",
                                total).format(answered=percent(sum(r.answered for r in rows) / total)) \
            + " " + most_lost(rows)
    page.set(bar_chart(translate("SalesReportCharts", "Objections met on the period's visits, by type"),
                       [objection_name(r.type) for r in rows],
                       [(raised, [r.raised for r in rows]), (answered, [r.answered for r in rows])]),
             [translate("SalesReportCharts", "Type"), raised, answered, translate("SalesReportCharts", "Answered share"),
              translate("SalesReportCharts", "Deals"), translate("SalesReportCharts", "Of them lost"),
              translate("SalesReportCharts", "Lost share")],
             [[objection_name(r.type), r.raised, r.answered, percent(r.answered_share), r.deals, r.deals_lost,
               percent(r.lost_share)] for r in rows], note)
