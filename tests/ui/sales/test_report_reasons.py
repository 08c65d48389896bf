"""The sales report page's "Lost reasons" and "Objections": pick a period, see why deals
were lost (by reason, by owner) and the objections per type, send either to Excel; worked
out again when a deal is lost or a visit recorded."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from crmdesk.core.changes import Changes
from crmdesk.core.models import Opportunity, Visit
from crmdesk.core.sales import opportunities as O
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.common.charts import names, values
from crmdesk.ui.sales.report_page import VIEWS, SalesReportPage
from tests.core.sales.figures_data import customer, deal

D = dt.date
TODAY = D(2026, 11, 23)


def lose(cid, amount, closed_on, reason, owner):
    opp_id = deal(cid, "lost", amount, D(2025, 3, 2), ["lead"], closed_on=closed_on, owner=owner)
    Opportunity.update(lost_reason=reason).where(Opportunity.id == opp_id).execute()
    return opp_id


def visit(cid, start, rows, opportunity=None):
    return Visit.create(customer=cid, starts_at=start, ends_at=start + dt.timedelta(hours=1), state="done",
                        objections=json.dumps(rows, ensure_ascii=False), opportunity=opportunity).id


@pytest.fixture
def shop(db):
    a = customer("甲公司", owner="张伟")
    b = customer("乙公司", owner="李娜")
    lost = lose(a, 1000, D(2026, 2, 1), "price", "张伟")
    lose(a, 3000, D(2026, 3, 1), "competitor", "张伟")
    lose(b, 500, D(2026, 4, 1), "price", "李娜")
    lose(b, 800, D(2025, 5, 1), "timing", "李娜")  # last year
    going = deal(b, "proposal", 600, D(2026, 1, 2), ["lead"], owner="李娜")
    visit(a, dt.datetime(2026, 1, 20, 9), [["太贵", "讲价值", "price"], ["老板没点头", "", "authority"]], lost)
    visit(b, dt.datetime(2026, 6, 1, 10), [["比别家贵", "", "price"]], going)
    visit(b, dt.datetime(2025, 6, 1, 10), [["用不上", "", "need"]], going)  # last year
    return {"a": a, "b": b, "going": going}


@pytest.fixture
def page(qtbot, db):
    bus = ChangeBus()
    shown = SalesReportPage(bus)
    shown.bus_ref = bus
    shown.today = TODAY
    qtbot.addWidget(shown)
    shown.resize(1200, 700)
    return shown


def ready(qtbot, page, before=None):
    qtbot.waitUntil(lambda: page.task is None and page.built is not None and page.built is not before,
                    timeout=20000)
    return page.built


def open_view(qtbot, page, key):
    qtbot.mouseClick(page.view_buttons.button(VIEWS.index(key)), Qt.MouseButton.LeftButton)
    assert page.pages.currentIndex() == VIEWS.index(key)


def test_lost_reasons_this_year(qtbot, shop, page):
    page.show()
    ready(qtbot, page)
    assert page.view_buttons.button(VIEWS.index("reasons")).text() == "Lost reasons"
    open_view(qtbot, page, "reasons")
    reasons = page.charts["reasons"]
    assert names(reasons.view.chart()) == ["Price", "Went to a competitor"]
    assert values(reasons.view.chart()) == [[2, 1]]
    assert reasons.note.text() == "3 deals lost in the period, for ¥4,500.00; the most frequent reason: Price."
    qtbot.mouseClick(reasons.toggle, Qt.MouseButton.LeftButton)
    assert reasons.pages.currentIndex() == 1
    assert reasons.model.rows == [["Price", 2, 1500.0, "66.7 %"], ["Went to a competitor", 1, 3000.0, "33.3 %"]]
    owners = page.charts["reasonOwners"]
    assert names(owners.view.chart()) == ["张伟", "李娜"]
    assert values(owners.view.chart()) == [[2, 1], [1, 1]]  # lost, of them to the most frequent reason (price)
    assert owners.view.chart().series()[0].barSets()[1].label() == "Of them: Price"
    assert owners.model.headers == ["Owner", "Lost deals", "Amount", "Price", "Went to a competitor"]
    assert owners.model.rows == [["张伟", 2, 4000.0, 1, 1], ["李娜", 1, 500.0, 1, 0]]


def test_objections_this_year_and_all_time(qtbot, shop, page):
    page.show()
    ready(qtbot, page)
    open_view(qtbot, page, "objections")
    chart = page.charts["objections"]
    assert names(chart.view.chart()) == ["Authority", "Price"]
    assert values(chart.view.chart()) == [[1, 2], [0, 1]]  # raised, answered
    assert chart.model.rows == [["Authority", 1, 0, "0.0 %", 1, 1, "100.0 %"],
                                ["Price", 2, 1, "50.0 %", 2, 1, "50.0 %"]]
    assert chart.note.text() == ("3 objections on the period's visits, 33.3 % answered. Most often on deals that "
                                 "were lost: Authority (1 of 1 deals, 100.0 %).")
    before = page.built
    page.period.setFocus()
    while page.period.currentData() != "all":
        qtbot.keyClick(page.period, Qt.Key.Key_Down)
    ready(qtbot, page, before)
    assert [r[0] for r in chart.model.rows] == ["Need", "Authority", "Price"]
    assert [r[0] for r in page.charts["reasons"].model.rows] == ["Price", "Went to a competitor", "Timing"]


def test_each_to_excel(qtbot, shop, page, tmp_path, monkeypatch):
    page.show()
    ready(qtbot, page)
    chosen = iter([tmp_path / "reasons", tmp_path / "objections"])
    monkeypatch.setattr("crmdesk.ui.common.save_dialog.QFileDialog.getSaveFileName",
                        lambda *args, **kwargs: (str(next(chosen)), "Excel (*.xlsx)"))
    open_view(qtbot, page, "reasons")
    qtbot.mouseClick(page.charts["reasonOwners"].excel, Qt.MouseButton.LeftButton)
    wb = load_workbook(tmp_path / "reasons.xlsx")
    assert wb.sheetnames == ["Lost reasons"]
    assert [r[:3] for r in wb["Lost reasons"].iter_rows(min_row=2, max_row=3, values_only=True)] == [
        ("Price", 2, 1500), ("Competitor", 1, 3000)]  # the export's own words
    assert page.status.text() == f"Wrote {tmp_path / 'reasons.xlsx'}."
    open_view(qtbot, page, "objections")
    qtbot.mouseClick(page.charts["objections"].excel, Qt.MouseButton.LeftButton)
    wb = load_workbook(tmp_path / "objections.xlsx")
    assert wb.sheetnames == ["Objections"]
    assert [r[:3] for r in wb["Objections"].iter_rows(min_row=2, values_only=True)] == [("Authority", 1, 0),
                                                                                      ("Price", 2, 1)]


def test_a_deal_lost_and_a_visit_recorded_work_them_out_again(qtbot, shop, page):
    page.show()
    before = ready(qtbot, page)
    moved = O.lose(shop["going"], None, "no_budget", now=dt.datetime(2026, 11, 20, 15))
    for change in moved.changes:
        page.bus_ref.publish(change)
    before = ready(qtbot, page, before)
    assert page.charts["reasons"].model.rows[-1][:2] == ["No budget", 1]
    assert Opportunity.get_by_id(shop["going"]).lost_reason == "no_budget"
    # The price objection raised on it now counts as one on a deal lost.
    assert page.charts["objections"].model.rows[1][5] == 2
    visit(shop["a"], dt.datetime(2026, 11, 2, 9), [["再等等", "", "timing"]])
    page.bus_ref.publish(Changes("visit", "updated", (1,)))
    ready(qtbot, page, before)
    assert [r[0] for r in page.charts["objections"].model.rows] == ["Authority", "Price", "Timing"]


def test_nothing_lost_nor_objected(qtbot, page):
    page.show()
    ready(qtbot, page)
    assert page.charts["reasons"].model.rows == [] and page.charts["objections"].model.rows == []
    assert page.charts["reasons"].note.text() == "No deal lost in the period."
    assert page.charts["objections"].note.text() == "No objection recorded on the period's visits."
