"""The sales figures (``figures_report.SalesFigures``) out to Excel, one sheet each: 漏斗
Funnel (the stages, then win rate, cycle and deal size), 预测 Forecast (by month, then by
owner), 月度销售 Sales by month, 季节 Seasons, 产品 Products (then the categories), 渠道
Channels, 销售员 Owners, 地区 Regions, 流失率 Churn, 输单原因 Lost reasons (then by owner, a
reason per column) and 异议 Objections.

``write_sheets`` adds them to a workbook being written (``crmdesk report`` puts them after
the analytics sheets); ``export_figures`` writes a workbook of its own, all of them or the
ones named (the report page's "to Excel" of one chart). Same rules as every export
(``core.io.excel_write``): headers in the chosen language, money as numbers in the money
format, rates as percentages, names as text that can never become a formula."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Optional, Sequence

from crmdesk.core.io import excel_write as X
from crmdesk.core.sales import figures_labels as L
from crmdesk.core.sales.figures_report import SalesFigures

MONEY, PERCENT, INTEGER, TEXT, DAYS = X.MONEY_FORMAT, "0.0%", X.INTEGER_FORMAT, X.TEXT_FORMAT, "0.0"
LANGS = ("zh", "en")
SHEETS = tuple(L.SHEETS)  # funnel, forecast, months, seasons, products, channels, owners, regions, churn,
# reasons, objections

AMOUNT = ("金额", "Amount", 14, MONEY)
SHARE = ("占比", "Share", 9, PERCENT)
SALES = ("销售笔数", "Sales", 9, INTEGER)
CUSTOMERS = ("客户数", "Customers", 9, INTEGER)
DEALS = ("商机数", "Deals", 8, INTEGER)


def _sheet(wb, key: str, lang: str, specs: Sequence[tuple], rows: Iterable[Sequence]):
    return X.spec_sheet(wb, L.sheet(key, lang), specs, rows, lang)


def _block(ws, lang: str, specs: Sequence[tuple], rows: Iterable[Sequence]) -> None:
    X.spec_block(ws, specs, rows, lang)


# ---------------------------------------------------------------- the sheets

def _funnel(wb, figs: SalesFigures, lang: str) -> None:
    f = figs.funnel
    specs = [("阶段", "Stage", 16, TEXT), DEALS, AMOUNT, ("到达该阶段", "Reached", 10, INTEGER),
             ("阶段转化率", "Conversion", 10, PERCENT)]
    ws = _sheet(wb, "funnel", lang, specs, ([s.name(lang), s.count, s.amount, s.reached, s.conversion]
                                            for s in f.stages))
    _block(ws, lang, [("项目", "Figure", 16, TEXT), ("数值", "Value", 14, TEXT)], [
        [L.pick(("期间新增商机", "Deals opened"), lang), _number(f.deals, INTEGER)],
        [L.pick(("赢单数", "Won"), lang), _number(f.won, INTEGER)],
        [L.pick(("输单数", "Lost"), lang), _number(f.lost, INTEGER)],
        [L.pick(("赢单率", "Win rate"), lang), _number(f.win_rate, PERCENT)],
        [L.pick(("平均成交周期(天)", "Average cycle (days)"), lang), _number(f.cycle_days, DAYS)],
        [L.pick(("平均成交金额", "Average deal size"), lang), _number(f.deal_size, MONEY)],
        [L.pick(("赢单金额", "Won amount"), lang), _number(f.won_amount, MONEY)]])


def _number(value, number_format: str):
    return None if value is None else X.Formatted(value, number_format)


def _forecast(wb, figs: SalesFigures, lang: str) -> None:
    f = figs.forecast
    weighted = ("加权金额(金额×概率)", "Weighted (amount × probability)", 16, MONEY)
    won = ("去年同期赢单", "Won same months last year", 16, MONEY)
    ws = _sheet(wb, "forecast", lang, [("预计成交月份", "Expected close", 12, TEXT), DEALS, AMOUNT, weighted, won],
                ([r.key, r.deals, r.amount, r.weighted, r.won_last_year] for r in f.months))
    _block(ws, lang, [("销售员", "Owner", 12, TEXT), DEALS, AMOUNT, weighted, won],
           ([r.key or L.pick(L.NONE["owner"], lang), r.deals, r.amount, r.weighted, r.won_last_year]
            for r in f.owners))
    _block(ws, lang, [("项目", "Figure", 12, TEXT), DEALS, AMOUNT], [
        [L.pick(("已过预计成交日", "Past the expected close"), lang), f.overdue, f.overdue_amount],
        [L.pick(("未填预计成交日", "No expected close"), lang), f.undated, None]])


def _months(wb, figs: SalesFigures, lang: str) -> None:
    _sheet(wb, "months", lang, [("月份", "Month", 10, TEXT), AMOUNT, SALES],
           ([m.month, m.amount, m.sales] for m in figs.months))


def _seasons(wb, figs: SalesFigures, lang: str) -> None:
    _sheet(wb, "seasons", lang, [("月份", "Month", 10, TEXT), ("历年合计", "All years", 14, MONEY),
                                 ("年数", "Years", 6, INTEGER), ("每年平均", "Per year", 14, MONEY), SALES],
           ([L.month_of_year(s.month, lang), s.amount, s.years, s.per_year, s.sales] for s in figs.seasons))


def _shares(ws_key: str, kind: str, header: tuple):
    def write(wb, figs: SalesFigures, lang: str):
        specs = [header, AMOUNT, SHARE, *([("数量", "Quantity", 10, "0.###")] if kind == "product" else []),
                 SALES, CUSTOMERS]
        ws = _sheet(wb, ws_key, lang, specs, (
            [L.key_label(kind, s.key, lang), s.amount, s.share, *([s.quantity] if kind == "product" else []),
             s.sales, s.customers] for s in figs.shares[kind]))
        if kind == "product":
            _block(ws, lang, [("产品类别", "Category", 16, TEXT), AMOUNT, SHARE, SALES, CUSTOMERS],
                   ([L.key_label("category", s.key, lang), s.amount, s.share, s.sales, s.customers]
                    for s in figs.shares["category"]))
    return write


def _churn(wb, figs: SalesFigures, lang: str) -> None:
    _sheet(wb, "churn", lang, [("月份", "Month", 10, TEXT), ("月初客户数", "Customers at the start", 12, INTEGER),
                               ("当月流失", "Lost", 8, INTEGER), ("流失率", "Churn rate", 10, PERCENT),
                               ("新客户", "New customers", 10, INTEGER)],
           ([m.month, m.customers, m.lost, m.rate, m.new] for m in figs.churn))


def _reasons(wb, figs: SalesFigures, lang: str) -> None:
    found = figs.lost_reasons
    lost = ("输单数", "Lost deals", 10, INTEGER)
    ws = _sheet(wb, "reasons", lang, [("输单原因", "Reason", 16, TEXT), lost, AMOUNT, SHARE],
                ([L.reason_label(r.key, lang), r.deals, r.amount, r.share] for r in found.reasons))
    if found.owners:
        keys = found.keys
        _block(ws, lang, [("销售员", "Owner", 16, TEXT), lost, AMOUNT,
                          *((*L.REASONS.get(k, (k, k)), 10, INTEGER) for k in keys)],
               ([o.owner or L.pick(L.NONE["owner"], lang), o.deals, o.amount, *(o.count(k) or None for k in keys)]
                for o in found.owners))


def _objections(wb, figs: SalesFigures, lang: str) -> None:
    _sheet(wb, "objections", lang, [("异议类型", "Type", 16, TEXT), ("提出次数", "Raised", 9, INTEGER),
                                    ("已答复", "Answered", 9, INTEGER), ("答复率", "Answered share", 10, PERCENT),
                                    ("涉及商机", "Deals", 9, INTEGER), ("其中输单", "Of them lost", 10, INTEGER),
                                    ("输单比例", "Lost share", 10, PERCENT)],
           ([L.objection_label(r.type, lang), r.raised, r.answered, r.answered_share, r.deals, r.deals_lost,
             r.lost_share] for r in figs.objections))


WRITERS = {
    "funnel": _funnel, "forecast": _forecast, "months": _months, "seasons": _seasons,
    "products": _shares("products", "product", ("产品", "Product", 24, TEXT)),
    "channels": _shares("channels", "channel", ("客户来源", "Channel", 14, TEXT)),
    "owners": _shares("owners", "owner", ("销售员", "Owner", 14, TEXT)),
    "regions": _shares("regions", "region", ("省份", "Province", 12, TEXT)),
    "churn": _churn, "reasons": _reasons, "objections": _objections,
}


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    return lang


def write_sheets(wb, figs: SalesFigures, lang: str, only: Optional[Sequence[str]] = None) -> None:
    """The sheets (all, or those of ``only``, in the usual order) into the write-only ``wb``."""
    _check_lang(lang)
    for key in SHEETS:
        if only is None or key in only:
            WRITERS[key](wb, figs, lang)


def export_figures(path: Path | str, figs: SalesFigures, lang: str = "zh",
                   only: Optional[Sequence[str]] = None) -> Path:
    """The figures into the .xlsx file ``path``; the path written."""
    _check_lang(lang)
    with X.write_only_workbook(path) as wb:
        write_sheets(wb, figs, lang, only)
    return Path(path).expanduser()
