"""The profile's Transactions page records, corrects and deletes sales (Del, then Ctrl+Z
brings the sale back), shows what the customer owes, and the timeline says so; a visit
recorded with "Record a sale from this visit" opens the sale dialog for its customer,
linked to the visit."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from crmdesk.core.models import Customer, Sale, Visit
from crmdesk.core.sales import sales
from crmdesk.core.sales.sale_check import LineDraft, SaleDraft
from crmdesk.ui.visits.record_dialog import RecordDialog
from crmdesk.ui.sales import sale_lines as L
from tests.ui.conftest import type_text
from tests.ui.sales.test_sale_dialog import type_cell


def page_of(tab, customer_id):
    tab.select_id(customer_id)
    profile = tab.profile
    profile.tabs.setCurrentWidget(profile.sales)
    return profile.sales


def test_record_a_sale_from_the_profile(qtbot, window, tab, some_customers, english):
    cid = some_customers[0]
    page = page_of(tab, cid)
    assert page.totals.text() == "No transactions yet." and not page.edit_button.isEnabled()
    opened = []

    def fill_and_save(dialog):
        opened.append(dialog)
        dialog.show()
        type_cell(qtbot, dialog.lines, 0, L.PRODUCT, "纸箱")
        type_cell(qtbot, dialog.lines, 0, L.QUANTITY, "10")
        type_cell(qtbot, dialog.lines, 0, L.PRICE, "120")
        type_text(qtbot, dialog.paid, "200")
        type_text(qtbot, dialog.terms, "10")
        assert dialog.save()
    page.open_dialog = fill_and_save
    qtbot.mouseClick(page.record_button, Qt.MouseButton.LeftButton)
    assert opened[0].customer.customer_id == cid
    sale = Sale.get()
    assert (sale.customer_id, sale.paid, sale.payment_terms_days) == (cid, Decimal(200), 10)
    # the profile heard of it through the bus: the line, the totals, what is owed, the timeline
    assert page.table.rowCount() == 1 and page.table.item(0, 1).text() == "纸箱"
    assert "total ¥1,200.00, paid ¥200.00" in page.totals.text()
    assert page.owed.text() == "Owes ¥1,000.00 on 1 sale"
    timeline = tab.profile.timeline
    assert [timeline.item(0, c).text() for c in (2, 5)] == ["Sale recorded", f"{sale.date.isoformat()} ¥1,200 纸箱"]


def test_edit_by_double_click_and_delete_with_del_then_undo(qtbot, window, tab, some_customers, english):
    cid = some_customers[0]
    sale_id = sales.record(SaleDraft(cid, "2026-11-01", lines=[LineDraft("胶带", amount="300")])).sale_id
    page = page_of(tab, cid)
    assert page.table.rowCount() == 1

    def correct(dialog):
        assert dialog.sale_id == sale_id
        dialog.show()
        type_cell(qtbot, dialog.lines, 0, L.AMOUNT, "350")
        dialog.paid.clear()
        assert dialog.save()
    page.open_dialog = correct
    rect = page.table.visualItemRect(page.table.item(0, 1))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.edit_button.isEnabled()
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert sales.total_of(sale_id) == Decimal(350)
    assert page.table.item(0, 4).text() == "¥350.00"
    page.table.selectRow(0)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert Sale.get_by_id(sale_id).deleted_at is not None
    assert page.table.rowCount() == 0
    assert Customer.get_by_id(cid).deleted_at is None  # Del in the profile's sales is not "delete customer"
    window.undo_action.trigger()  # Ctrl+Z
    QApplication.processEvents()
    assert Sale.get_by_id(sale_id).deleted_at is None
    assert page.table.rowCount() == 1 and page.table.item(0, 4).text() == "¥350.00"


def test_what_is_owed_and_overdue_shows_on_the_profile(qtbot, window, tab, some_customers, english):
    cid = some_customers[0]
    sales.record(SaleDraft(cid, "2026-10-01", lines=[LineDraft("阀门", amount="1000")], paid="400",
                           payment_terms_days=30))
    sales.record(SaleDraft(cid, "2026-12-01", lines=[LineDraft("阀门", amount="500")], payment_terms_days=30))
    page = page_of(tab, cid)
    tab.profile.refresh()
    assert page.owed.text() == "Owes ¥1,100.00 on 2 sales, of which ¥600.00 overdue"


def test_a_deleted_customers_page_records_nothing(qtbot, window, tab, some_customers):
    from crmdesk.core.customers import archive as customers
    cid = some_customers[0]
    page = page_of(tab, cid)
    customers.delete([cid])
    page.show_customer(cid, live=False)
    assert not page.record_button.isEnabled()


def test_record_a_sale_from_a_visit(qtbot, window, some_customers, english):
    cid = some_customers[0]
    dialog = RecordDialog(window.bus, customer_id=cid, parent=window, now=dt.datetime(2026, 12, 4, 10))
    qtbot.addWidget(dialog)
    dialog.ask = False
    opened = []

    def fill_and_save(sale_dialog):
        opened.append(sale_dialog)
        sale_dialog.show()
        type_cell(qtbot, sale_dialog.lines, 0, L.PRODUCT, "打印机")
        type_cell(qtbot, sale_dialog.lines, 0, L.AMOUNT, "2,999")
        assert sale_dialog.save()
    dialog.open_sale = fill_and_save
    type_text(qtbot, dialog.outcome, "签单")
    qtbot.mouseClick(dialog.sale, Qt.MouseButton.LeftButton)
    assert dialog.sale.isChecked()
    assert dialog.save()
    visit = Visit.get_by_id(dialog.saved_id)
    assert opened[0].customer.customer_id == cid and opened[0].visit_id == visit.id
    sale = Sale.get()
    assert (sale.customer_id, sale.visit_id, sales.total_of(sale.id)) == (cid, visit.id, Decimal(2999))


def test_a_payment_due_reminder_reads_in_the_care_words(qapp, english):
    from crmdesk.ui.care import labels as CL
    assert CL.label("kind", "payment_due") == "Payment due"
    assert CL.about("payment_due", "", {"sale_id": 1, "date": "2026-10-01", "due_on": "2026-10-31", "owed": 600.0},
                    "", "") == "Collect ¥600.00: the sale of 10/1/2026, due 10/31/2026"
