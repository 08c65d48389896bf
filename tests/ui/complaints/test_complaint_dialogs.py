"""The complaint dialog when the work has gone on: the investigation's fields and the
compensation in the same form, a bad amount named under its field with nothing lost, and
two detail windows on one complaint (the second is told, nothing overwritten); the list's
columns and splitter as first shown; Del and Ctrl+Z from the keyboard."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from crmdesk.core.complaints import flow as complaint_flow, complaints
from tests.ui.conftest import type_text
from tests.ui.complaints.test_complaints_tab import ctab, logged, minghua, save, select  # noqa: F401 - fixtures

D = dt.datetime


def proposed(customer_id: int) -> int:
    cid = logged(customer_id)
    complaint_flow.acknowledge(cid, at=D(2026, 11, 2, 9, 30))
    complaint_flow.investigate(cid, at=D(2026, 11, 2, 9, 40))
    complaint_flow.propose(cid, {"facts": "物流延误", "solution": "补发", "compensation_kind": "discount",
                                 "compensation_amount": "200"}, at=D(2026, 11, 2, 9, 50))
    return cid


def open_details(qtbot, ctab, cid: int):
    select(ctab, cid)
    qtbot.mouseClick(ctab.buttons["editComplaint"], Qt.MouseButton.LeftButton)
    return ctab.dialog


def test_a_new_complaint_asks_only_what_the_first_call_tells(qtbot, ctab, minghua):
    qtbot.mouseClick(ctab.buttons["newComplaint"], Qt.MouseButton.LeftButton)
    dialog = ctab.dialog
    assert dialog.words.isVisible() and dialog.owner.isVisible()
    assert not any(w.isVisible() for w in (dialog.facts, dialog.root_cause, dialog.solution, dialog.compensation))


def test_change_the_solution_and_the_compensation(qtbot, ctab, minghua):
    cid = proposed(minghua)
    dialog = open_details(qtbot, ctab, cid)
    assert all(w.isVisible() for w in (dialog.facts, dialog.root_cause, dialog.solution, dialog.compensation))
    assert (dialog.compensation.currentData(), dialog.amount.text()) == ("discount", "200")
    type_text(qtbot, dialog.root_cause, "中转站积压")
    dialog.compensation.setCurrentIndex(dialog.compensation.findData("refund"))
    dialog.amount.clear()
    type_text(qtbot, dialog.amount, "350.5")
    save(qtbot, dialog)
    complaint = complaints.get(cid)
    assert (complaint.root_cause, complaint.compensation_kind, float(complaint.compensation_amount)) == (
        "中转站积压", "refund", 350.5)
    assert "Refund" in ctab.details.toPlainText()


def test_a_bad_amount_is_named_and_nothing_is_lost(qtbot, ctab, minghua):
    cid = proposed(minghua)
    dialog = open_details(qtbot, ctab, cid)
    dialog.amount.clear()
    type_text(qtbot, dialog.amount, "两百")
    type_text(qtbot, dialog.root_cause, "中转站积压")
    save(qtbot, dialog)
    assert dialog.isVisible()
    assert "compensation_kind" in dialog.form.shown()  # the amount's sentence, under the compensation row
    assert (dialog.amount.text(), dialog.root_cause.toPlainText()) == ("两百", "中转站积压")
    complaint = complaints.get(cid)
    assert (complaint.root_cause, float(complaint.compensation_amount)) == ("", 200)


def test_two_detail_windows_on_one_complaint(qtbot, ctab, minghua):
    cid = logged(minghua)
    first = open_details(qtbot, ctab, cid)
    from crmdesk.ui.complaints.dialog import ComplaintDialog
    second = ComplaintDialog(ctab.bus, complaint_id=cid, parent=ctab)
    qtbot.addWidget(second)
    second.show()
    first.subcategory.clear()
    type_text(qtbot, first.subcategory, "晚到三天")
    save(qtbot, first)
    assert not first.isVisible() and complaints.get(cid).subcategory == "晚到三天"
    type_text(qtbot, second.subcategory, "包装破损")
    save(qtbot, second)
    assert second.isVisible()
    assert second.summary.text().startswith("Complaint CMP-20261102-001 was changed elsewhere since you opened it")
    assert second.subcategory.text() == "包装破损" and complaints.get(cid).subcategory == "晚到三天"


def test_the_list_reads_without_widening_columns(qtbot, window, ctab, minghua):
    logged(minghua)
    ctab.model.refresh()
    qtbot.waitUntil(lambda: ctab.model.rowCount() == 1)
    metrics = ctab.table.fontMetrics()
    for key, text in (("number", "CMP-20261102-001"), ("customer_name", "上海明华贸易有限公司"),
                      ("state", "Solution proposed"), ("status", "Waiting for the customer")):
        assert ctab.table.columnWidth(ctab.model.keys.index(key)) > metrics.horizontalAdvance(text), key
    list_width, details_width = ctab.list_splitter.sizes()
    assert list_width > details_width > 0  # the list first, the details beside it


def test_del_deletes_and_ctrl_z_brings_it_back(qtbot, window, ctab, minghua):
    from crmdesk.core.models import Complaint
    cid = logged(minghua)
    select(ctab, cid)
    ctab.table.setFocus()
    qtbot.keyClick(ctab.table, Qt.Key.Key_Delete)
    assert Complaint.get_by_id(cid).deleted_at is not None
    qtbot.waitUntil(lambda: ctab.model.row_of(cid) < 0)
    qtbot.keyClick(ctab.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert Complaint.get_by_id(cid).deleted_at is None
    qtbot.waitUntil(lambda: ctab.model.row_of(cid) >= 0)
