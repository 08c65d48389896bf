"""The sales report page: pick a period, see the figures as charts and tables, send one
chart's sheet or all of them to Excel; worked out again when sales change."""
from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from crmdesk.core.changes import Changes
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.common.charts import names, values
from crmdesk.ui.sales.report_page import SalesReportPage, period_for
from crmdesk.core.sales.figures import Period
from tests.core.sales.figures_data import customer, deal, sell

D = dt.date
TODAY = D(2026, 11, 23)


@pytest.fixture
def shop(db):
    a = customer("甲公司", province="江苏", source="exhibition")
    b = customer("乙公司", province="浙江")
    sell(a, D(2026, 3, 5), ("闸阀", "阀门", 2, 1000), owner="张伟")
    sell(a, D(2026, 9, 5), ("闸阀", "阀门", 1, 500), owner="张伟")
    sell(b, D(2025, 6, 9), ("法兰", "管件", 1, 250), owner="李娜")
    deal(a, "won", 3000, D(2026, 1, 2), ["lead", "qualified"], closed_on=D(2026, 1, 12), owner="张伟")
    deal(b, "lost", 500, D(2026, 2, 2), ["lead"], closed_on=D(2026, 2, 5), owner="李娜")
    deal(b, "proposal", 4000, D(2026, 3, 2), ["lead"], owner="李娜", probability=50, expected_close=D(2026, 12, 10))
    return {"a": a, "b": b}


@pytest.fixture
def page(qtbot, db):
    bus = ChangeBus()
    shown = SalesReportPage(bus)
    shown.bus_ref = bus
    shown.today = TODAY
    qtbot.addWidget(shown)
    shown.resize(1200, 700)
    return shown


def ready(qtbot, page):
    qtbot.waitUntil(lambda: page.task is None and page.built is not None, timeout=20000)
    return page.built


def choose_period(qtbot, page, key):
    before = page.built
    page.period.setFocus()
    while page.period.currentData() != key:  # as the user does: the arrow keys through the choices
        qtbot.keyClick(page.period, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: page.task is None and page.built is not None and page.built is not before,
                    timeout=20000)
    return page.built


def test_shown_it_works_the_figures_out_for_this_year(qtbot, shop, page):
    page.show()
    built = ready(qtbot, page)
    assert built.period == Period(D(2026, 1, 1))
    assert page.status.text() == "2 sales"
    funnel = page.charts["funnel"]
    assert names(funnel.view.chart())[:2] == ["Lead", "Qualified"]
    assert values(funnel.view.chart()) == [[0, 0, 1, 0, 1, 1], [3, 2, 2, 1, 1, 0]]
    assert "Win rate 50.0 % (1 won, 1 lost)" in funnel.note.text() and "10 days" in funnel.note.text()
    qtbot.mouseClick(funnel.toggle, Qt.MouseButton.LeftButton)
    assert funnel.pages.currentIndex() == 1
    assert funnel.model.rows[4][:4] == ["Won", 1, 3000.0, 1]


def test_each_view_shows_its_chart_and_table(qtbot, shop, page):
    page.show()
    ready(qtbot, page)
    qtbot.mouseClick(page.view_buttons.button(2), Qt.MouseButton.LeftButton)
    assert page.pages.currentIndex() == 2
    months = page.charts["months"]
    assert [r[0] for r in months.model.rows] == [f"2026-{m:02d}" for m in range(1, 12)]
    assert values(months.view.chart())[0][2] == 0.1 and values(months.view.chart())[0][8] == 0.05  # 10,000 yuan
    products = page.charts["products"]
    assert products.model.rows[0][:3] == ["闸阀", 1500.0, "100.0 %"]
    assert page.charts["channels"].model.rows[0][0] == "Exhibition"
    assert [r[0] for r in page.charts["regions"].model.rows] == ["江苏"]
    forecast = page.charts["forecast"]
    assert forecast.model.rows[1] == ["2026-12", 1, 4000.0, 2000.0, 0.0]
    assert page.charts["forecastOwners"].model.rows[0][0] == "李娜"
    seasons = page.charts["seasons"]
    assert names(seasons.view.chart())[:3] == ["Jan", "Feb", "Mar"] and "March" in seasons.note.text()


def test_another_period_works_them_out_again(qtbot, shop, page):
    page.show()
    ready(qtbot, page)
    built = choose_period(qtbot, page, "all")
    assert built.period == Period()
    assert page.status.text() == "3 sales"
    assert page.charts["months"].model.rows[0][0] == "2025-06"
    assert [r[0] for r in page.charts["regions"].model.rows] == ["江苏", "浙江"]


def test_one_chart_and_all_of_them_to_excel(qtbot, shop, page, tmp_path, monkeypatch):
    page.show()
    ready(qtbot, page)
    chosen = tmp_path / "funnel"  # typed without .xlsx
    monkeypatch.setattr("crmdesk.ui.common.save_dialog.QFileDialog.getSaveFileName",
                        lambda *args, **kwargs: (str(chosen), "Excel (*.xlsx)"))
    qtbot.mouseClick(page.charts["funnel"].excel, Qt.MouseButton.LeftButton)
    wb = load_workbook(tmp_path / "funnel.xlsx")
    assert wb.sheetnames == ["Funnel"]
    assert [r[0] for r in wb["Funnel"].iter_rows(min_row=2, max_row=7, values_only=True)][4] == "Won"
    assert page.status.text() == f"Wrote {tmp_path / 'funnel.xlsx'}."
    written = page.export(path=tmp_path / "all.xlsx")
    assert load_workbook(written).sheetnames[-1] == "Objections" and len(load_workbook(written).sheetnames) == 11


def test_a_new_sale_works_the_figures_out_again(qtbot, shop, page):
    page.show()
    before = ready(qtbot, page)
    sell(shop["b"], D(2026, 10, 1), ("法兰", "管件", 4, 800), owner="李娜")
    page.bus_ref.publish(Changes("sale", "created", (1,)))
    qtbot.waitUntil(lambda: page.task is None and page.built is not None and page.built is not before,
                    timeout=20000)
    assert page.status.text() == "3 sales"
    assert [r[0] for r in page.charts["owners"].model.rows] == ["张伟", "李娜"]


def test_nothing_sold_yet(qtbot, page):
    page.show()
    built = ready(qtbot, page)
    assert built.months == [] and page.status.text() == "0 sales"
    assert page.charts["seasons"].note.text() == "No sales in the period."
    assert page.charts["products"].model.rows == []


def test_the_period_choices(db):
    assert period_for("12m", TODAY) == Period(D(2025, 12, 1))
    assert period_for("12m", D(2026, 12, 5)) == Period(D(2026, 1, 1))
    assert period_for("quarter", TODAY) == Period(D(2026, 10, 1))
    assert period_for("last_year", TODAY) == Period(D(2025, 1, 1), D(2026, 1, 1))
