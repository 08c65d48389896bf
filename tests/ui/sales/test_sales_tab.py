"""The Sales tab in the main window: built when first opened, its Sales page lists the
sales (newest first, sorted in SQL), filters owing and overdue, searches, makes a new sale
with Ctrl+N, deletes with Del and brings back with Ctrl+Z; pages from outside go beside
it; the Sales menu lists its actions."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from crmdesk.core.models import Sale
from crmdesk.core.sales import sales
from crmdesk.core.sales.sale_check import LineDraft, SaleDraft
from crmdesk.ui.common import formatting
from crmdesk.ui.sales import sale_lines as L
from tests.ui.sales.test_sale_dialog import type_cell

TODAY = dt.date(2026, 12, 4)


@pytest.fixture
def recorded(window, some_customers):
    a, b, _ = some_customers
    ids = [sales.record(SaleDraft(a, "2026-10-01", lines=[LineDraft("阀门", amount="1000")], paid="400",
                                  payment_terms_days=30), TODAY).sale_id,
           sales.record(SaleDraft(b, "2026-11-20", lines=[LineDraft("管件", amount="500")], payment_terms_days=30),
                        TODAY).sale_id,
           sales.record(SaleDraft(a, "2026-12-01", lines=[LineDraft("法兰", amount="80")]), TODAY).sale_id]
    return ids


def shown(page) -> list[list[str]]:
    model = page.model
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_the_tab_is_built_when_opened_and_lists_the_sales(qtbot, window, recorded, english):
    assert window.tabs.tabText(window.tabs.count() - 1) == "Sales"
    assert not window.lazy.is_built("sales")
    tab = window.show_sales()
    page = tab.sales_page
    assert [tab.pages.tabText(i) for i in range(tab.pages.count())] == ["Sales", "Pipeline", "Products", "Report"]
    assert [page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(page.model.columnCount())] == [
        "Date", "Customer", "Products", "Amount", "Paid", "Owed", "Due", "Owner"]
    rows = shown(page)
    assert [r[2] for r in rows] == ["法兰", "管件", "阀门"]  # the newest first
    assert rows[2][3:] == ["¥1,000.00", "¥400.00", "¥600.00", formatting.date(dt.date(2026, 10, 31)), "王芳"]
    assert page.count_label.text().startswith("3 sales")
    page.filter.setCurrentIndex(page.filter.findData("owing"))
    assert [r[2] for r in shown(page)] == ["管件", "阀门"]
    page.filter.setCurrentIndex(page.filter.findData("overdue"))
    assert [r[2] for r in shown(page)] == ["阀门"]
    assert page.model.index(0, 5).data(Qt.ItemDataRole.ForegroundRole) is not None  # overdue in red
    page.filter.setCurrentIndex(page.filter.findData("all"))
    page.search.setText("管")
    page.apply_filters()
    assert [r[2] for r in shown(page)] == ["管件"]
    page.search.clear()
    page.apply_filters()
    page.model.sort(3, Qt.SortOrder.AscendingOrder)  # by amount, in SQL
    assert [r[2] for r in shown(page)] == ["法兰", "管件", "阀门"]


def test_ctrl_n_records_a_new_sale_and_the_list_hears_of_it(qtbot, window, some_customers, english):
    tab = window.show_sales()
    page = tab.sales_page
    opened = []

    def fill(dialog):
        opened.append(dialog)
        dialog.show()
        dialog.customer.set_customer(some_customers[1])
        type_cell(qtbot, dialog.lines, 0, L.PRODUCT, "快递箱")
        type_cell(qtbot, dialog.lines, 0, L.AMOUNT, "66")
        assert dialog.save()
    page.open_dialog = fill
    window.activateWindow()
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert len(opened) == 1
    assert Sale.get().customer_id == some_customers[1]
    assert [r[1:4] for r in shown(page)] == [["上海申通物流", "快递箱", "¥66.00"]]


def test_del_deletes_and_ctrl_z_brings_back(qtbot, window, recorded, english):
    page = window.show_sales().sales_page
    page.table.selectRow(0)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert Sale.get_by_id(recorded[2]).deleted_at is not None
    assert len(shown(page)) == 2
    window.undo_action.trigger()
    QApplication.processEvents()
    assert Sale.get_by_id(recorded[2]).deleted_at is None and len(shown(page)) == 3


def test_edit_opens_the_sale(qtbot, window, recorded, english):
    page = window.show_sales().sales_page
    page.table.selectRow(2)
    seen = []
    page.open_dialog = lambda dialog: seen.append((dialog.sale_id, dialog.paid.text()))
    qtbot.mouseClick(page.findChild(QPushButton, "saleEdit"), Qt.MouseButton.LeftButton)
    assert seen == [(recorded[0], "400")]


def test_the_four_pages_and_the_sales_menu(qtbot, window, english):
    tab = window.show_sales()
    assert [tab.pages.tabText(i) for i in range(tab.pages.count())] == ["Sales", "Pipeline", "Products", "Report"]
    texts = [a.text() for a in window.sales_menu.actions() if not a.isSeparator()]
    assert texts == ["&New sale…", "&New opportunity…", "&Edit sale…", "&Delete sale", "Pipeline &stages…"]
    assert window.sales_menu.title() == "&Sales"
    window.sales_menu.actions()[-1].trigger()
    assert tab.stages_dialog.isVisible() and tab.stages_dialog.table.rowCount() == 6
    tab.stages_dialog.reject()


def test_ctrl_n_makes_what_the_page_shows(qtbot, window, some_customers, english, monkeypatch):
    tab = window.show_sales()
    made = []
    monkeypatch.setattr(tab.sales_page, "new_sale", lambda customer_id=None: made.append("sale"))
    monkeypatch.setattr(tab.pipeline_page, "new_opportunity", lambda customer_id=None: made.append("deal"))
    tab.sales_page.table.setFocus()
    qtbot.keyClick(tab.sales_page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    tab.show_page(tab.pipeline_page)
    tab.pipeline_page.setFocus()
    qtbot.keyClick(tab.pipeline_page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert made == ["sale", "deal"]


def test_a_deal_won_asks_for_its_sale_prefilled_and_linked(qtbot, window, some_customers, english):
    from crmdesk.core.models import Opportunity
    from crmdesk.core.sales import opportunities as O
    tab = window.show_sales()
    deal = O.create({"customer_id": some_customers[0], "title": "不锈钢阀门年度框架", "amount": "12800",
                     "stage": "negotiation"}).opportunity_id
    O.win(deal, Opportunity.get_by_id(deal).version)
    tab.pipeline_page.won_requested.emit(deal)  # as the board does after the drop on Won
    dialog = tab.won_dialog
    assert dialog.isVisible() and "不锈钢阀门年度框架" in dialog.windowTitle()
    assert dialog.customer.customer_id == some_customers[0] and dialog.owner.currentText() == "王芳"
    line = dialog.lines.lines()[0]
    assert (line.product, str(line.quantity), str(line.unit_price)) == ("不锈钢阀门年度框架", "1", "12800")
    dialog.tried = True
    assert dialog.save()
    sale = Sale.get_by_id(dialog.saved_id)
    assert sale.opportunity_id == deal and sum(t.amount for t in sale.lines) == 12800
    assert sale.customer_id == some_customers[0]


def test_owed_totals_in_the_count(qtbot, window, recorded, english):
    page = window.show_sales().sales_page
    page.pinned_today = TODAY
    page.update_count()
    assert page.count_label.text() == "3 sales  ·  owed ¥1,100.00, overdue ¥600.00"


def test_a_refund_says_so_in_the_list(qtbot, window, some_customers, english):
    sales.record(SaleDraft(some_customers[0], "2026-12-01", "refund", lines=[LineDraft("阀门", amount="75")]), TODAY)
    page = window.show_sales().sales_page
    assert shown(page)[0][2:5] == ["Refund: 阀门", "¥-75.00", "¥-75.00"]
