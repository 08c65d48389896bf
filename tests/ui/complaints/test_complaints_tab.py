"""The complaints tab driven as the service desk would: log a complaint by typing, take it
through every step in the step dialogs, see it turn overdue (red, on the escalation list
with its owner), close it with a survey (the follow-up care event in the database), the
bad inputs as one sentence with nothing lost, two windows on one complaint, delete and
undo, and the customer profile's Log a complaint. Time is pinned: no clock, no sleeping."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from crmdesk.core.complaints import fields as K
from crmdesk.core.changes import Changes
from crmdesk.core.models import CareEvent, Complaint, ComplaintContact
from crmdesk.core.complaints import flow as complaint_flow, complaints
from crmdesk.core.customers import archive as customers
from crmdesk.ui.visits.form import to_qdatetime
from tests.ui.conftest import type_text

D = dt.datetime
RECEIVED = D(2026, 11, 2, 9)  # a Monday
NOW = D(2026, 11, 2, 10)


@pytest.fixture
def ctab(window, monkeypatch):
    shown = window.errors_shown
    monkeypatch.setattr("crmdesk.ui.complaints.tab.show_error", lambda parent, error: shown.append(error.code))
    tab = window.show_complaints()
    tab.set_now(NOW)
    return tab


@pytest.fixture
def minghua(window) -> int:
    cid = customers.create({"name": "上海明华贸易有限公司", "owner": "张伟", "contact_person": "王经理",
                            "mobile": "13812345678"})[0]
    window.bus.publish(Changes.reset())
    return cid


def save(qtbot, dialog) -> None:
    button = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def logged(customer_id: int, **extra) -> int:
    return complaints.create({"customer_id": customer_id, "category": "delivery", "words": "货晚到了三天",
                              "received_at": RECEIVED, **extra}).complaint_id


def select(ctab, complaint_id: int) -> None:
    ctab.view.setCurrentIndex(ctab.view.findData("all"))
    ctab.model.refresh()
    ctab.model.wait_loaded()
    row = ctab.model.row_of(complaint_id)
    assert row >= 0
    ctab.table.selectRow(row)
    assert ctab.current_id() == complaint_id


def step(qtbot, ctab, action: str, at: dt.datetime, **fields):
    """Open the step's dialog from its button, fill it in, save; the dialog."""
    button = ctab.buttons[f"complaint_{action}"]
    assert button.isVisible() and button.isEnabled(), action
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = ctab.dialog
    dialog.when.setDateTime(to_qdatetime(at))
    for name, text in fields.items():
        widget = getattr(dialog, name)
        widget.clear()
        type_text(qtbot, widget, text)
    return dialog


def test_log_a_complaint_by_typing(qtbot, ctab, minghua):
    qtbot.mouseClick(ctab.buttons["newComplaint"], Qt.MouseButton.LeftButton)
    dialog = ctab.dialog
    type_text(qtbot, dialog.customer, "明华")
    dialog.customer.search()
    dialog.customer.set_customer(minghua)
    assert dialog.contact.text() == "王经理" and dialog.owner.currentText() == "张伟"
    dialog.received_at.setDateTime(to_qdatetime(RECEIVED))
    dialog.category.setCurrentIndex(dialog.category.findData("product_quality"))
    dialog.severity.setCurrentIndex(dialog.severity.findData("high"))
    type_text(qtbot, dialog.subcategory, "硒鼓漏粉")
    type_text(qtbot, dialog.words, "新换的硒鼓打印出来全是黑道")
    save(qtbot, dialog)
    complaint = Complaint.get()
    assert (complaint.number, complaint.category, complaint.severity, complaint.owner, complaint.contact_phone) == (
        "CMP-20261102-001", "product_quality", "high", "张伟", "+8613812345678")
    qtbot.waitUntil(lambda: ctab.model.row_of(complaint.id) >= 0)
    assert ctab.current_id() == complaint.id
    assert "CMP-20261102-001" in ctab.details.toPlainText() and "新换的硒鼓" in ctab.details.toPlainText()
    assert "13812345678" in ctab.details.toPlainText() and "+86" not in ctab.details.toPlainText()  # as dialled
    assert ctab.count_label.text() == "1 complaint"


def test_through_every_state_in_the_step_dialogs(qtbot, ctab, minghua):
    cid = logged(minghua)
    select(ctab, cid)
    save(qtbot, step(qtbot, ctab, "acknowledge", D(2026, 11, 2, 9, 30), note="已致电客户，表示歉意"))
    save(qtbot, step(qtbot, ctab, "investigate", D(2026, 11, 2, 10)))
    dialog = step(qtbot, ctab, "propose", D(2026, 11, 3, 10), facts="物流中转延误", solution="补发并减免运费")
    dialog.compensation.setCurrentIndex(dialog.compensation.findData("discount"))
    type_text(qtbot, dialog.amount, "200")
    save(qtbot, dialog)
    save(qtbot, step(qtbot, ctab, "reject", D(2026, 11, 3, 14), note="客户要求全额退运费"))
    assert complaints.get(cid).state == K.INVESTIGATING and complaints.get(cid).accepted is False
    save(qtbot, step(qtbot, ctab, "propose", D(2026, 11, 4, 10), solution="补发并退还全部运费"))
    save(qtbot, step(qtbot, ctab, "resolve", D(2026, 11, 4, 15), note="客户确认"))
    dialog = step(qtbot, ctab, "close", D(2026, 11, 5, 10), note="处理及时")
    assert [b.text() for b in dialog.levels.buttons()] == ["Very dissatisfied", "Dissatisfied", "Neutral",
                                                           "Satisfied", "Very satisfied"]
    dialog.levels.button(4).click()
    save(qtbot, dialog)
    complaint = complaints.get(cid)
    assert (complaint.state, complaint.satisfaction, complaint.compensation_amount) == (K.CLOSED, 4, 200)
    event = CareEvent.get(CareEvent.complaint == cid)
    assert event.due_on == dt.date(2026, 11, 12) and event.kind == "complaint_follow_up"
    assert "follow-up" in ctab.window().statusBar().currentMessage()
    assert ComplaintContact.select().where(ComplaintContact.complaint == cid).count() == 7
    text = ctab.details.toPlainText()
    assert "Satisfied — 处理及时" in text and "☑" in text
    assert [k for k, a in ctab.step_actions.items() if a.isEnabled()] == ["reopen"]
    save(qtbot, step(qtbot, ctab, "reopen", D(2026, 11, 6, 9), note="又坏了"))
    assert complaints.get(cid).state == K.INVESTIGATING and complaints.get(cid).reopened == 1


def test_it_turns_overdue_and_shows_on_the_escalation_list(qtbot, ctab, minghua):
    cid = logged(minghua, severity="critical")  # 1 business hour to respond: 10:00
    select(ctab, cid)
    row = ctab.model.row_of(cid)
    status = ctab.model.index(row, ctab.model.keys.index("status"))
    assert status.data() == "Due soon"  # due at 10:00 sharp: not passed yet
    ctab.set_now(D(2026, 11, 2, 9, 10))
    ctab.model.wait_loaded()
    assert ctab.model.index(ctab.model.row_of(cid), status.column()).data() == "On time"
    ctab.set_now(D(2026, 11, 2, 9, 50))  # three quarters of the hour used
    ctab.model.wait_loaded()
    assert ctab.model.index(ctab.model.row_of(cid), status.column()).data() == "Due soon"
    ctab.set_now(D(2026, 11, 2, 14))
    ctab.model.wait_loaded()
    index = ctab.model.index(ctab.model.row_of(cid), status.column())
    assert index.data() == "Overdue"
    assert index.data(Qt.ItemDataRole.ForegroundRole).color().name() == "#c62828"
    assert "Overdue" in ctab.details.toPlainText()
    qtbot.mouseClick(ctab.view_buttons.button(1), Qt.MouseButton.LeftButton)
    table = ctab.escalation.table
    assert ctab.escalation.title.text() == "1 complaint is late"
    assert [table.item(0, c).text() for c in (0, 1, 3, 5)] == ["4 h", "CMP-20261102-001", "张伟", "First response"]
    assert ctab.escalation.owners.item(0, 0).text() == "张伟"
    ctab.escalation.open_requested.emit(cid)
    assert ctab.pages.currentIndex() == 0 and ctab.current_id() == cid


def test_waiting_for_the_customer_stops_the_clock(qtbot, ctab, minghua):
    cid = logged(minghua)
    complaint_flow.acknowledge(cid, at=D(2026, 11, 2, 9, 30))
    select(ctab, cid)
    save(qtbot, step(qtbot, ctab, "wait", D(2026, 11, 2, 11), note="等客户发照片"))
    ctab.set_now(D(2026, 11, 30, 10))
    ctab.model.wait_loaded()
    assert ctab.model.index(ctab.model.row_of(cid), ctab.model.keys.index("status")).data() == "Waiting for the customer"
    assert ctab.step_actions["resume"].isEnabled() and not ctab.step_actions["wait"].isEnabled()


def test_an_unknown_owner_is_one_sentence_and_nothing_is_lost(qtbot, ctab, minghua):
    qtbot.mouseClick(ctab.buttons["newComplaint"], Qt.MouseButton.LeftButton)
    dialog = ctab.dialog
    dialog.customer.set_customer(minghua)
    dialog.received_at.setDateTime(to_qdatetime(RECEIVED))
    dialog.owner.setCurrentText("不存在的人")
    type_text(qtbot, dialog.words, "发票抬头错了")
    save(qtbot, dialog)
    assert dialog.isVisible() and Complaint.select().count() == 0
    assert "不存在的人 is not someone crmdesk knows" in dialog.form.shown()["owner"]
    assert dialog.words.toPlainText() == "发票抬头错了"


def test_a_complaint_for_a_customer_deleted_meanwhile(qtbot, ctab, minghua):
    qtbot.mouseClick(ctab.buttons["newComplaint"], Qt.MouseButton.LeftButton)
    dialog = ctab.dialog
    dialog.customer.set_customer(minghua)
    dialog.received_at.setDateTime(to_qdatetime(RECEIVED))
    type_text(qtbot, dialog.words, "…")
    customers.delete([minghua])
    save(qtbot, dialog)
    assert dialog.isVisible() and Complaint.select().count() == 0
    assert dialog.summary.text().startswith("That customer no longer exists")


def test_closing_without_a_satisfaction_or_a_solution(qtbot, ctab, minghua):
    cid = logged(minghua)
    for action, at in (("acknowledge", D(2026, 11, 2, 9, 30)), ("investigate", D(2026, 11, 2, 10))):
        getattr(complaint_flow, action)(cid, at=at)
    complaint_flow.propose(cid, {"facts": "延误", "solution": "补发"}, at=D(2026, 11, 3, 9))
    complaint_flow.resolve(cid, at=D(2026, 11, 3, 10))
    complaints.update(cid, {"solution": ""})
    select(ctab, cid)
    dialog = step(qtbot, ctab, "close", D(2026, 11, 4, 10))
    dialog.levels.button(5).click()
    save(qtbot, dialog)
    assert dialog.isVisible() and "has no solution written down" in dialog.summary.text()
    assert complaints.get(cid).state == K.RESOLVED and CareEvent.select().count() == 0
    dialog.reject()
    complaints.update(cid, {"solution": "补发"})
    select(ctab, cid)
    dialog = step(qtbot, ctab, "close", D(2026, 11, 4, 10))
    save(qtbot, dialog)
    assert dialog.isVisible() and dialog.form.shown()["satisfaction"].startswith("Choose how satisfied")
    assert complaints.get(cid).state == K.RESOLVED and CareEvent.select().count() == 0


def test_two_windows_on_one_complaint(qtbot, ctab, minghua):
    cid = logged(minghua)
    select(ctab, cid)
    first = step(qtbot, ctab, "acknowledge", D(2026, 11, 2, 9, 30), note="第一位")
    from crmdesk.ui.complaints.step_dialog import ComplaintStepDialog
    second = ComplaintStepDialog(ctab.bus, cid, "acknowledge", ctab, now=D(2026, 11, 2, 9, 40))
    qtbot.addWidget(second)
    save(qtbot, first)
    type_text(qtbot, second.note, "第二位")
    save(qtbot, second)
    assert second.summary.text().startswith("Complaint CMP-20261102-001 was changed elsewhere since you opened it")
    assert second.note.toPlainText() == "第二位"
    assert [c.note for c in complaints.contacts_of(cid)] == ["第一位"]


def test_delete_and_undo(qtbot, window, ctab, minghua):
    cid = logged(minghua)
    select(ctab, cid)
    qtbot.mouseClick(ctab.buttons["deleteComplaint"], Qt.MouseButton.LeftButton)
    assert Complaint.get_by_id(cid).deleted_at is not None
    qtbot.waitUntil(lambda: ctab.model.row_of(cid) < 0)
    window.undo_action.trigger()
    assert Complaint.get_by_id(cid).deleted_at is None
    qtbot.waitUntil(lambda: ctab.model.row_of(cid) >= 0)


def test_log_a_complaint_from_the_customer_profile(qtbot, window, minghua):
    tab = window.customers_tab
    tab.model.wait_loaded()
    tab.select_id(minghua)
    qtbot.mouseClick(tab.profile.complaint_button, Qt.MouseButton.LeftButton)
    assert window.tabs.currentWidget() is window.complaints_tab
    dialog = window.complaints_tab.dialog
    assert dialog.customer.customer_id == minghua
    cid = logged(minghua)
    window.bus.publish(Changes("complaint", "created", (cid,)))
    window.tabs.setCurrentWidget(tab)
    tab.profile.refresh()
    assert tab.profile.complaints.item(0, 0).text() == "CMP-20261102-001"
    tab.profile.complaints.cellDoubleClicked.emit(0, 0)
    assert window.complaints_tab.current_id() == cid


def test_export_complaints_from_the_menu(qtbot, window, ctab, minghua, tmp_path):
    logged(minghua)
    window.export_complaints(tmp_path / "c.xlsx")
    qtbot.waitUntil(lambda: (tmp_path / "c.xlsx").exists())
    qtbot.waitUntil(lambda: "Exported 1 complaint" in window.statusBar().currentMessage())


def test_the_complaint_names_one_of_the_customers_sales(qtbot, ctab, minghua):
    from crmdesk.core.models import Transaction
    sale = Transaction.create(customer=minghua, date=dt.date(2026, 10, 20), product="激光打印机", amount=1899)
    qtbot.mouseClick(ctab.buttons["newComplaint"], Qt.MouseButton.LeftButton)
    dialog = ctab.dialog
    dialog.customer.set_customer(minghua)
    dialog.received_at.setDateTime(to_qdatetime(RECEIVED))
    assert dialog.sale.count() == 2 and "激光打印机" in dialog.sale.itemText(1)
    dialog.sale.setCurrentIndex(1)
    dialog.sale.activated.emit(1)
    assert dialog.product.text() == "激光打印机"
    type_text(qtbot, dialog.words, "打印机卡纸")
    save(qtbot, dialog)
    complaint = Complaint.get()
    assert (complaint.transaction_id, complaint.product) == (sale.id, "激光打印机")
    from crmdesk.ui.complaints.dialog import ComplaintDialog
    again = ComplaintDialog(ctab.bus, complaint_id=complaint.id, parent=ctab)
    qtbot.addWidget(again)
    assert again.sale.currentData() == sale.id
