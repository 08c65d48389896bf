"""The analytics report (``report.Report``) out to Excel, one sheet per figure: 概览 (the
headline figures), ABC分类, 建议等级, 客户价值, 忠诚度 (with the mean by tier below), RFM (with
the customers per segment below), 流失预警, 流失原因 and 满意度.

Same rules as every export (``core.io.excel_write``): headers in the chosen language, a
frozen bold header row with a filter, money as numbers in the money format, shares as
percentages, codes and names as text that can never become a formula, tiers, segments,
signs and causes as words, the file written atomically. The words are in ``labels``."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from crmdesk.core.customers import fields as F
from crmdesk.core.analytics import labels as L
from crmdesk.core.analytics.churn import CAUSES
from crmdesk.core.analytics.loyalty import SEGMENTS
from crmdesk.core.analytics.report import Report
from crmdesk.core.analytics.settings import LOYALTY_FACTORS
from crmdesk.core.io import excel_write as X

MONEY, PERCENT, INTEGER, TEXT = X.MONEY_FORMAT, "0.0%", X.INTEGER_FORMAT, X.TEXT_FORMAT
SCORE, INDEX, FACTOR = "0.00", "0.0", "0.000"
CODE = ("客户编号", "Code", 12, TEXT)
NAME = ("客户名称", "Customer", 30, TEXT)
TIER = ("客户等级", "Tier", 10, TEXT)


def _sheet(wb, key: str, lang: str, specs: Sequence[tuple], rows: Iterable[Sequence]):
    """A sheet of ``rows`` under the headers of ``specs`` (zh, en, width, format); each
    value is written as its column says: text as text, numbers in the column's format."""
    return X.spec_sheet(wb, L.sheet(key, lang), specs, rows, lang)


def _block(ws, lang: str, specs: Sequence[tuple], rows: Iterable[Sequence]) -> None:
    """A small table under a sheet's own, after a blank row, with its own bold headers."""
    X.spec_block(ws, specs, rows, lang)


def _who(built: Report, cid: int) -> list:
    c = built.customers[cid]
    return [c.code, c.name]


# ---------------------------------------------------------------- the sheets

def _period(built: Report, lang: str) -> str:
    where = built.where
    if where.start is None and where.end is None:
        return "全部" if lang == "zh" else "all time"
    last = where.end - dt.timedelta(days=1) if where.end else built.today
    return f"{where.start.isoformat() if where.start else ''} – {last.isoformat()}"


def _summary(wb, built: Report, lang: str) -> None:
    abc, where = built.abc, built.where
    indices = [v.index for v in built.loyalty.values() if v.index is not None]
    rows = [(("统计期间", "Period"), _period(built, lang), TEXT), (("截至", "As of"), built.today.isoformat(), TEXT)]
    if where.owner:
        rows.append((("负责人", "Owner"), where.owner, TEXT))
    if where.team:
        rows.append((("团队", "Team"), where.team, TEXT))
    if where.region:
        rows.append((("地区", "Region"), where.region, TEXT))
    if where.tier:
        rows.append((("客户等级", "Tier"), L.tier(where.tier, lang), TEXT))
    rows += [(("客户数", "Customers"), len(built.customers), INTEGER),
             (("收入", "Revenue"), abc.total, MONEY)]
    for cls in "ABC":
        rows += [((f"{cls}类客户数", f"{cls} customers"), abc.counts[cls], INTEGER),
                 ((f"{cls}类收入", f"{cls} revenue"), abc.revenue[cls], MONEY)]
    rows += [(("平均忠诚度指数", "Mean loyalty index"),
              round(sum(indices) / len(indices), 1) if indices else None, INDEX),
             (("流失预警客户数", "Customers at risk"), len(built.at_risk), INTEGER),
             (("已流失客户数", "Lost customers"), sum(built.lost.values()), INTEGER)]
    columns = [X.Column("项目" if lang == "zh" else "Figure", 24, TEXT), X.Column("数值" if lang == "zh" else "Value", 16)]
    ws = X.write_only_sheet(wb, L.sheet("summary", lang), columns)
    for label, value, number_format in rows:
        ws.append([X.text_value(ws, L.pick(label, lang)), X.spec_value(ws, value, number_format)])
    X.finish_sheet(ws, 2, len(rows) + 1)


def _abc(wb, built: Report, lang: str) -> None:
    specs = [("排名", "Rank", 6, INTEGER), CODE, NAME, ("收入", "Revenue", 14, MONEY),
             ("累计占比", "Cumulative share", 10, PERCENT), ("分类", "Class", 6, TEXT)]
    _sheet(wb, "abc", lang, specs, ([rank, *_who(built, cid), revenue, share, built.abc.classes[cid]]
                                    for rank, (cid, revenue, share) in enumerate(built.abc.ranked, 1)))


def _suggestions(wb, built: Report, lang: str) -> None:
    specs = [CODE, NAME, ("当前等级", "Tier now", 10, TEXT), ("建议等级", "Suggested tier", 10, TEXT),
             ("当前关系", "Relationship now", 14, TEXT), ("建议关系", "Suggested relationship", 14, TEXT),
             ("依据", "Why", 30, TEXT)]
    found = sorted(built.suggestions, key=lambda s: built.customers[s.customer_id].code)
    _sheet(wb, "suggestions", lang, specs, (
        [*_who(built, s.customer_id), L.tier(s.tier, lang) if s.tier else "", L.tier(s.suggested_tier, lang),
         L.relationship(s.relationship, lang), L.relationship(s.suggested_relationship, lang),
         L.why(built.abc.classes.get(s.customer_id, "C"), built.scores.get(s.customer_id), lang)]
        for s in found))


def _values(wb, built: Report, lang: str) -> None:
    specs = [CODE, NAME, ("历史价值", "Historical", 14, MONEY), ("当前价值", "Current", 14, MONEY),
             ("潜在价值", "Potential", 14, MONEY), ("合计", "Total", 14, MONEY),
             ("评估分", "Evaluation score", 8, SCORE)]
    order = sorted(built.values, key=lambda cid: (-built.values[cid].total, built.customers[cid].code))
    _sheet(wb, "value", lang, specs, (
        [*_who(built, cid), v.historical, v.current, v.potential, round(v.total, 2), built.scores.get(cid)]
        for cid in order for v in (built.values[cid],)))


def _loyalty(wb, built: Report, lang: str) -> None:
    specs = [CODE, NAME, TIER, ("忠诚度指数", "Loyalty index", 10, INDEX),
             *((*L.FACTORS[k], 10, FACTOR) for k in LOYALTY_FACTORS)]

    def key(cid):
        index = built.loyalty[cid].index
        return (index is None, -(index or 0), built.customers[cid].code)
    ws = _sheet(wb, "loyalty", lang, specs, (
        [*_who(built, cid), L.tier(built.customers[cid].tier, lang) if built.customers[cid].tier else "",
         _index(built.loyalty[cid].index, lang), *(_factor(built.loyalty[cid].factors.get(k)) for k in LOYALTY_FACTORS)]
        for cid in sorted(built.loyalty, key=key)))
    by_tier = built.loyalty_by_tier()
    tiers = [c.key for c in F.TIER if c.key in by_tier] + [t for t in by_tier if t not in {c.key for c in F.TIER}]
    _block(ws, lang, [TIER, ("平均忠诚度指数", "Mean loyalty index", 10, INDEX), ("客户数", "Customers", 8, INTEGER)],
           ([L.tier(t, lang), *by_tier[t]] for t in tiers))


def _rfm(wb, built: Report, lang: str) -> None:
    specs = [CODE, NAME, ("R", "R", 4, INTEGER), ("F", "F", 4, INTEGER), ("M", "M", 4, INTEGER),
             ("客户分群", "Segment", 16, TEXT)]
    order = sorted(built.rfm, key=lambda cid: (-built.rfm[cid].r, -built.rfm[cid].f, -built.rfm[cid].m,
                                                built.customers[cid].code))
    ws = _sheet(wb, "rfm", lang, specs, ([*_who(built, cid), v.r, v.f, v.m, L.segment(v.segment, lang)]
                                         for cid in order for v in (built.rfm[cid],)))
    counts = built.segments()
    _block(ws, lang, [("客户分群", "Segment", 16, TEXT), ("客户数", "Customers", 8, INTEGER)],
           ([L.segment(name, lang), counts[name]] for name in SEGMENTS))


def _at_risk(wb, built: Report, lang: str) -> None:
    specs = [CODE, NAME, ("负责人", "Owner", 10, TEXT), ("预警信号数", "Signs", 6, INTEGER),
             ("预警信号", "Warning signs", 60, TEXT)]
    _sheet(wb, "at_risk", lang, specs, (
        [*_who(built, a.customer_id), built.customers[a.customer_id].owner, len(a.signs), L.signs(a.signs, lang)]
        for a in built.at_risk))


def _lost(wb, built: Report, lang: str) -> None:
    specs = [("流失原因", "Cause", 14, TEXT), ("客户数", "Customers", 8, INTEGER)]
    causes = [*CAUSES, *(k for k in built.lost if k and k not in CAUSES), ""]
    _sheet(wb, "lost", lang, specs, ([L.cause(k, lang), built.lost.get(k, 0)] for k in causes))


def _satisfaction(wb, built: Report, lang: str) -> None:
    top = built.scale
    specs = [("月份", "Month", 10, TEXT), (f"平均满意度(1-{top})", f"Mean satisfaction (1-{top})", 12, SCORE),
             ("回答数", "Answers", 10, INTEGER)]
    _sheet(wb, "satisfaction", lang, specs, ([month, mean, count] for month, mean, count in built.satisfaction))


def export_report(path: Path | str, built: Report, lang: str = "zh",
                  more: Sequence[Callable[[Any, str], None]] = ()) -> Path:
    """Every figure of ``built`` into the .xlsx file ``path``, one sheet each; the path
    written. ``more``: writers of further sheets, ``write(wb, lang)``, called after these
    (``crmdesk report`` adds the sales figures)."""
    X.check_lang(lang)
    with X.write_only_workbook(path) as wb:
        for write in (_summary, _abc, _suggestions, _values, _loyalty, _rfm, _at_risk, _lost, _satisfaction):
            write(wb, built, lang)
        for write_more in more:
            write_more(wb, lang)
    return Path(path).expanduser()


def _index(value, lang: str):
    """A loyalty index, or "no data" said so (a customer who never bought), not left blank."""
    return ("无数据" if lang.startswith("zh") else "no data") if value is None else value


def _factor(value):
    """A loyalty factor (0..1) to three places, or empty without data."""
    return None if value is None else round(value, 3)
