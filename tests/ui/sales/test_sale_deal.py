"""The sale dialog's "For the deal": the customer's open deals and those won lately, "No
deal" first; the choice saved as the sale's deal, kept while the customer stays, gone when
another customer is chosen; a sale recorded from a won deal shows that deal chosen."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from crmdesk.core.models import Sale
from crmdesk.core.sales import opportunities as O
from crmdesk.core.sales import sales
from crmdesk.core.sales.sale_check import LineDraft, SaleDraft
from crmdesk.core.customers import archive as customers
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.sales import sale_lines as L
from crmdesk.ui.sales.sale_dialog import SaleDialog
from crmdesk.ui.sales.sales_tab import SalesTab
from tests.ui.conftest import type_text

TODAY = dt.date(2026, 12, 4)
T = dt.datetime(2026, 9, 1, 9)


@pytest.fixture
def deals(db):
    """北京华润's deals: open 管道, won lately 阀门 and long ago 旧单, lost 泵; 别家's 别家单."""
    cid = customers.create({"name": "北京华润", "code": "C001", "owner": "王芳"})[0]
    other = customers.create({"name": "上海别家", "code": "C002"})[0]
    ids = {}
    for title, owner_id in (("旧单", cid), ("泵", cid), ("阀门", cid), ("管道", cid), ("别家单", other)):
        ids[title] = O.create({"customer_id": owner_id, "title": title, "stage": "proposal", "amount": "800"},
                              now=T).opportunity_id
    O.win(ids["旧单"], None, closed_on=TODAY - dt.timedelta(days=200), now=T)
    O.win(ids["阀门"], None, closed_on=TODAY - dt.timedelta(days=10), now=T)
    O.lose(ids["泵"], None, "price", closed_on=TODAY - dt.timedelta(days=3), now=T)
    return cid, other, ids


def make(qtbot, **kwargs) -> SaleDialog:
    dialog = SaleDialog(ChangeBus(), today=TODAY, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def shown(dialog) -> list[str]:
    return [dialog.opportunity.itemText(i) for i in range(dialog.opportunity.count())]


def choose(dialog, title: str) -> None:
    """Open the list and pick the deal, as a user does."""
    box = dialog.opportunity
    box.showPopup()
    view = box.view()
    index = box.model().index(box.findText(title), 0)
    view.setCurrentIndex(index)
    QTest.keyClick(view, Qt.Key.Key_Return)
    QApplication.processEvents()


def type_line(qtbot, dialog, product: str, amount: str) -> None:
    for column, text in ((L.PRODUCT, product), (L.AMOUNT, amount)):
        dialog.lines.setCurrentCell(0, column)
        dialog.lines.editItem(dialog.lines.item(0, column))
        [editor] = [w for w in dialog.lines.viewport().findChildren(QLineEdit) if w.isVisible()]
        editor.selectAll()
        type_text(qtbot, editor, text)
        QTest.keyClick(editor, Qt.Key.Key_Return)
        QApplication.processEvents()


def pick_customer(qtbot, dialog, name: str) -> None:
    """Type the name in the picker and take the completer's match."""
    picker = dialog.customer
    picker.selectAll()
    type_text(qtbot, picker, name)
    picker.search()
    [match] = picker.completer().model().stringList()
    picker.completer().activated[str].emit(match)


def test_a_deal_is_chosen_and_saved_as_the_sales_deal(qtbot, deals, english):
    cid, _, ids = deals
    dialog = make(qtbot, customer_id=cid)
    assert shown(dialog) == ["No deal", "管道", "阀门"]  # open and won lately; not lost, not won long ago
    assert dialog.opportunity.currentText() == "No deal" and dialog.opportunity.isEnabled()
    choose(dialog, "阀门")
    type_line(qtbot, dialog, "阀门", "800")
    assert dialog.save()
    assert Sale.get_by_id(dialog.saved_id).opportunity_id == ids["阀门"]
    again = make(qtbot, sale_id=dialog.saved_id)  # correcting it: the deal shows, and can be taken off
    assert again.opportunity.currentText() == "阀门"
    choose(again, "No deal")
    assert again.save()
    assert Sale.get_by_id(dialog.saved_id).opportunity_id is None


def test_the_deal_stays_with_the_customer_and_goes_with_another(qtbot, deals, english):
    cid, other, ids = deals
    dialog = make(qtbot, customer_id=cid)
    choose(dialog, "管道")
    pick_customer(qtbot, dialog, "北京华润")  # the same customer again: the deal stays
    assert dialog.opportunity.currentText() == "管道"
    pick_customer(qtbot, dialog, "上海别家")
    assert shown(dialog) == ["No deal", "别家单"] and dialog.opportunity.currentText() == "No deal"
    type_line(qtbot, dialog, "泵", "300")
    assert dialog.save()
    sale = Sale.get_by_id(dialog.saved_id)
    assert (sale.customer_id, sale.opportunity_id) == (other, None)


def test_a_sale_linked_to_a_closed_deal_keeps_it_when_corrected(qtbot, deals, english):
    cid, _, ids = deals
    sale_id = sales.record(SaleDraft(cid, TODAY, lines=[LineDraft("旧件", amount="50")],
                                     opportunity_id=ids["旧单"]), TODAY).sale_id
    dialog = make(qtbot, sale_id=sale_id)
    assert shown(dialog) == ["No deal", "管道", "阀门", "旧单"] and dialog.opportunity.currentText() == "旧单"
    type_text(qtbot, dialog.notes, "补开发票")
    assert dialog.save()
    assert Sale.get_by_id(sale_id).opportunity_id == ids["旧单"] and Sale.get_by_id(sale_id).notes == "补开发票"


def test_a_sale_of_a_deal_won_shows_that_deal(qtbot, deals, english):
    cid, _, ids = deals
    tab = SalesTab(ChangeBus(), QUndoStack(), today=TODAY)
    qtbot.addWidget(tab)
    tab.pipeline_page.won_requested.emit(ids["阀门"])  # the board's "won": the sale it became
    dialog = tab.won_dialog
    assert dialog.opportunity.currentText() == "阀门" and dialog.opportunity.currentData() == ids["阀门"]
    assert dialog.save()
    assert Sale.get_by_id(dialog.saved_id).opportunity_id == ids["阀门"]
