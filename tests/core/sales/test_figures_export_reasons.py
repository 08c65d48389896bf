"""The lost reasons and the objections out to Excel, in either language, read back."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from openpyxl import load_workbook

from crmdesk.core.models import Opportunity, Visit
from crmdesk.core.sales import figures_report
from crmdesk.core.sales.figures import Period
from crmdesk.core.sales.figures_export import export_figures
from tests.core.sales.figures_data import customer, deal

D = dt.date
TODAY = D(2026, 11, 23)


def lose(cid, amount, closed_on, reason, owner):
    opp_id = deal(cid, "lost", amount, D(2026, 1, 2), ["lead"], closed_on=closed_on, owner=owner)
    Opportunity.update(lost_reason=reason).where(Opportunity.id == opp_id).execute()
    return opp_id


@pytest.fixture
def figs(db):
    a = customer("甲公司")
    b = customer("乙公司")
    first = lose(a, 1000, D(2026, 2, 1), "price", "张伟")
    lose(a, 3000, D(2026, 3, 1), "competitor", "张伟")
    lose(b, 500, D(2026, 4, 1), "price", "=李娜")  # an owner that looks like a formula stays text
    lose(b, 250, D(2026, 5, 1), None, "")
    start = dt.datetime(2026, 3, 2, 9)
    Visit.create(customer=a, starts_at=start, ends_at=start, opportunity=first, state="done",
                 objections=json.dumps([["太贵", "讲价值", "price"], ["问老板", "", "authority"], ["旧的", ""]]))
    return figures_report.build(Period(D(2026, 1, 1)), TODAY)


def rows(ws):
    """The rows without the blank cells after their last value (the block below is wider)."""
    found = []
    for row in ws.iter_rows(values_only=True):
        cells = list(row)
        while cells and cells[-1] is None:
            cells.pop()
        found.append(cells)
    return found


def test_lost_reasons_in_english(figs, tmp_path):
    wb = load_workbook(export_figures(tmp_path / "r.xlsx", figs, "en", only=["reasons"]))
    assert wb.sheetnames == ["Lost reasons"]
    sheet = rows(wb["Lost reasons"])
    assert sheet[0] == ["Reason", "Lost deals", "Amount", "Share"]
    assert sheet[1:4] == [["Price", 2, 1500, 0.5], ["Competitor", 1, 3000, 0.25], ["No reason given", 1, 250, 0.25]]
    assert wb["Lost reasons"]["C2"].number_format == "#,##0.00" and wb["Lost reasons"]["D2"].number_format == "0.0%"
    assert sheet[4] == []
    assert sheet[5] == ["Owner", "Lost deals", "Amount", "Price", "Competitor", "No reason given"]
    assert sheet[6:9] == [["张伟", 2, 4000, 1, 1], ["=李娜", 1, 500, 1],
                          ["No owner", 1, 250, None, None, 1]]
    assert wb["Lost reasons"]["A8"].data_type == "s"


def test_objections_in_english(figs, tmp_path):
    wb = load_workbook(export_figures(tmp_path / "o.xlsx", figs, "en", only=["objections"]))
    sheet = rows(wb["Objections"])
    assert sheet[0] == ["Type", "Raised", "Answered", "Answered share", "Deals", "Of them lost", "Lost share"]
    assert sheet[1:] == [["Authority", 1, 0, 0, 1, 1, 1], ["Price", 1, 1, 1, 1, 1, 1], ["No type", 1, 0, 0, 1, 1, 1]]
    assert wb["Objections"]["D2"].number_format == "0.0%"


def test_both_in_chinese(figs, tmp_path):
    wb = load_workbook(export_figures(tmp_path / "z.xlsx", figs, "zh"))
    assert wb.sheetnames[-2:] == ["输单原因", "异议"]
    reasons = rows(wb["输单原因"])
    assert reasons[0] == ["输单原因", "输单数", "金额", "占比"]
    assert [r[0] for r in reasons[1:4]] == ["价格", "竞争对手", "未填写原因"]
    assert reasons[5] == ["销售员", "输单数", "金额", "价格", "竞争对手", "未填写原因"] and reasons[8][0] == "未指定销售员"
    objections = rows(wb["异议"])
    assert objections[0] == ["异议类型", "提出次数", "已答复", "答复率", "涉及商机", "其中输单", "输单比例"]
    assert [r[0] for r in objections[1:]] == ["权力异议", "价格异议", "未分类"]


def test_nothing_lost_nor_objected(db, tmp_path):
    figs = figures_report.build(Period(D(2026, 1, 1)), TODAY)
    wb = load_workbook(export_figures(tmp_path / "e.xlsx", figs, "en", only=["reasons", "objections"]))
    assert rows(wb["Lost reasons"]) == [["Reason", "Lost deals", "Amount", "Share"]]
    assert len(rows(wb["Objections"])) == 1
