"""The sale dialog: a line typed in its table (the product picked from the completer by
pinyin initials, the amount computed and then typed over), paid and terms with the due date
shown, problems marked as typed, a refused save keeping the form open, a sale corrected."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from crmdesk.core.models import Product, Sale, Transaction
from crmdesk.core.sales import sales
from crmdesk.core.sales.sale_check import LineDraft, SaleDraft
from crmdesk.core.customers import archive as customers
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.sales import sale_lines as L
from crmdesk.ui.sales.sale_dialog import SaleDialog
from tests.ui.conftest import type_text

TODAY = dt.date(2026, 12, 4)


@pytest.fixture
def bus(qapp):
    return ChangeBus()


@pytest.fixture
def cid(db) -> int:
    return customers.create({"name": "北京华润", "code": "C001", "owner": "王芳"})[0]


def make(qtbot, bus, **kwargs) -> SaleDialog:
    dialog = SaleDialog(bus, today=TODAY, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def open_editor(table, row: int, column: int) -> QLineEdit:
    table.setCurrentCell(row, column)
    table.editItem(table.item(row, column))
    [editor] = [w for w in table.viewport().findChildren(QLineEdit) if w.isVisible()]
    return editor


def type_cell(qtbot, table, row: int, column: int, text: str) -> None:
    """Double-click the cell open, type, press Enter, as a user does."""
    editor = open_editor(table, row, column)
    editor.selectAll()
    type_text(qtbot, editor, text)
    press_return(editor)


def press_return(editor) -> None:
    """Enter commits the cell; the view does so from the event loop (a queued call)."""
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()


def test_a_sale_typed_line_by_line_is_recorded(qtbot, bus, cid, english):
    Product.create(name="不锈钢阀", code="V-100", category="阀门", list_price=Decimal("6400"),
                   sort_name="buxiugangfa", name_initials="bxgf")
    published = []
    bus.changed.connect(published.append)
    dialog = make(qtbot, bus, customer_id=cid)
    assert dialog.customer.text() == "北京华润 · C001" and dialog.owner.currentText() == "王芳"
    assert dialog.problem_texts() == {}  # a form just opened is not wrong yet
    table = dialog.lines
    editor = open_editor(table, 0, L.PRODUCT)
    type_text(qtbot, editor, "bxgf")  # the initials find it
    completer = editor.completer()
    assert completer.model_.stringList() == ["不锈钢阀 · V-100 · 阀门"]
    completer.activated[str].emit("不锈钢阀 · V-100 · 阀门")
    press_return(editor)
    assert [table.item(0, c).text() for c in range(6)] == ["不锈钢阀", "阀门", "", "6400", "", "6400"]
    type_cell(qtbot, table, 0, L.QUANTITY, "2")
    type_cell(qtbot, table, 0, L.DISCOUNT, "10")
    assert table.item(0, L.AMOUNT).text() == "11520"  # 2 × 6400 less 10 %
    assert table.rowCount() == 2  # a blank row for the next line
    type_cell(qtbot, table, 1, L.PRODUCT, "安装费")
    type_cell(qtbot, table, 1, L.AMOUNT, "480")
    assert dialog.total.text() == "¥12,000.00"
    type_text(qtbot, dialog.paid, "2000")
    type_text(qtbot, dialog.terms, "30")
    assert dialog.total.text() == "¥12,000.00  ·  owed ¥10,000.00"
    assert dialog.due.text() == "due " + dialog.date.date().addDays(30).toString(dialog.date.displayFormat())
    assert dialog.save()
    sale = Sale.get_by_id(dialog.saved_id)
    assert (sale.customer_id, sale.date, sale.paid, sale.payment_terms_days, sale.due_on, sale.owner) == (
        cid, TODAY, Decimal(2000), 30, dt.date(2027, 1, 3), "王芳")
    assert [(t.product, t.product_id is not None, t.quantity, t.discount, t.amount)
            for t in sales.lines_of(sale.id)] == [("不锈钢阀", True, 2.0, 10.0, Decimal("11520")),
                                                   ("安装费", True, None, None, Decimal("480"))]
    assert {c.entity for c in published} == {"sale", "transaction", "customer"}


def test_problems_show_as_typed_and_a_refused_save_keeps_the_form(qtbot, bus, cid, english):
    dialog = make(qtbot, bus, customer_id=cid)
    type_cell(qtbot, dialog.lines, 0, L.PRODUCT, "阀门")
    type_cell(qtbot, dialog.lines, 0, L.AMOUNT, "100")
    type_text(qtbot, dialog.paid, "150")
    assert dialog.problem_texts() == {"paid": "Paid (150.00) is more than the sale's amount (100.00): correct what "
                                              "was paid; nothing was saved."}
    assert not dialog.save()
    assert dialog.isVisible() and dialog.summary.text().startswith("Paid (150.00) is more")
    assert Sale.select().count() == 0 and dialog.paid.text() == "150"  # nothing lost, nothing saved
    type_cell(qtbot, dialog.lines, 0, L.QUANTITY, "-1")
    assert dialog.lines.item(0, L.QUANTITY).toolTip().startswith("Line 1 has a negative quantity")
    assert "lines" in dialog.problem_texts()
    dialog.paid.clear()
    type_cell(qtbot, dialog.lines, 0, L.QUANTITY, "1")
    assert dialog.problem_texts() == {} and dialog.save()
    assert Sale.select().count() == 1


def test_an_empty_form_says_what_is_missing_on_save(qtbot, bus, db, english):
    dialog = make(qtbot, bus)
    assert not dialog.save()
    assert dialog.problem_texts() == {"customer": "Choose the customer who bought; nothing was saved.",
                                      "lines": "A sale needs at least one line with a product and an amount: add "
                                               "one; nothing was saved."}
    assert Sale.select().count() == 0


def test_a_sale_is_corrected_and_a_stale_one_refused(qtbot, bus, cid, english):
    sale_id = sales.record(SaleDraft(cid, "2026-12-01", lines=[LineDraft("阀门", quantity=2, unit_price="50")]),
                           TODAY).sale_id
    dialog = make(qtbot, bus, sale_id=sale_id)
    assert [dialog.lines.item(0, c).text() for c in range(6)] == ["阀门", "", "2", "50", "", "100"]
    assert dialog.paid.text() == "100"
    type_cell(qtbot, dialog.lines, 0, L.QUANTITY, "3")
    assert dialog.lines.item(0, L.AMOUNT).text() == "150"
    dialog.paid.clear()
    type_text(qtbot, dialog.paid, "150")
    assert dialog.save()
    assert [t.amount for t in sales.lines_of(sale_id)] == [Decimal(150)] and Sale.get_by_id(sale_id).version == 2
    stale = make(qtbot, bus, sale_id=sale_id)
    sales.update(sale_id, SaleDraft(cid, "2026-12-01", lines=[LineDraft("阀门", amount="1")]), None, TODAY)
    type_text(qtbot, stale.notes, "x")
    assert not stale.save()
    assert "was changed elsewhere since you opened it" in stale.summary.text()
    assert Sale.get_by_id(sale_id).notes == ""


def test_a_refund_shows_negative_and_is_stored_so(qtbot, bus, cid, english):
    dialog = make(qtbot, bus, customer_id=cid)
    dialog.kind.setCurrentIndex(dialog.kind.findData("refund"))
    type_cell(qtbot, dialog.lines, 0, L.PRODUCT, "阀门")
    type_cell(qtbot, dialog.lines, 0, L.AMOUNT, "300")
    assert dialog.total.text() == "¥-300.00"
    assert dialog.save()
    assert [(t.amount, t.paid) for t in Transaction.select()] == [(Decimal(-300), Decimal(-300))]
    assert Sale.get().kind == "refund"


def test_del_removes_a_line_in_the_table(qtbot, bus, cid):
    dialog = make(qtbot, bus, customer_id=cid)
    type_cell(qtbot, dialog.lines, 0, L.PRODUCT, "甲")
    type_cell(qtbot, dialog.lines, 1, L.PRODUCT, "乙")
    dialog.lines.setCurrentCell(0, L.CATEGORY)
    dialog.lines.setFocus()
    qtbot.keyClick(dialog.lines, Qt.Key.Key_Delete)
    assert [line.product for line in dialog.lines.lines()] == ["乙"]
