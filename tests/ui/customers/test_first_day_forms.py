"""Issue 18, everyday friction (forms): a closed complaint leaves the "Open" view at once,
an undone delete selects the restored record again."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from crmdesk.core.complaints import fields as K
from crmdesk.core.complaints import flow as complaint_flow, complaints
from tests.ui.complaints.test_complaints_tab import D, ctab, logged, minghua, save, step  # noqa: F401 (fixtures)


def test_a_resolved_complaint_leaves_the_open_view_and_the_count_drops(qtbot, ctab, minghua):
    first, second = logged(minghua), logged(minghua)
    for action, at in (("acknowledge", D(2026, 11, 2, 9, 30)), ("investigate", D(2026, 11, 2, 10))):
        getattr(complaint_flow, action)(first, at=at)
    complaint_flow.propose(first, {"facts": "延误", "solution": "补发"}, at=D(2026, 11, 3, 9))
    ctab.view.setCurrentIndex(ctab.view.findData("open"))
    ctab.apply_filters()
    ctab.model.refresh()
    ctab.model.wait_loaded()
    assert ctab.model.row_of(first) >= 0 and ctab.model.row_of(second) >= 0
    assert ctab.count_label.text() == "2 complaints"
    ctab.table.selectRow(ctab.model.row_of(first))
    assert ctab.current_id() == first
    save(qtbot, step(qtbot, ctab, "resolve", D(2026, 11, 4, 10), note="客户确认"))
    assert complaints.get(first).state == K.RESOLVED
    ctab.model.wait_loaded()
    assert ctab.model.row_of(first) < 0 and ctab.model.row_of(second) >= 0
    assert ctab.count_label.text() == "1 complaint"


def test_undoing_a_customer_delete_selects_the_restored_customer(qtbot, window, some_customers):
    tab = window.customers_tab
    middle = some_customers[1]
    assert tab.select_id(middle)
    tab.view.setFocus()
    qtbot.keyClick(tab.view, Qt.Key.Key_Delete)
    assert tab.model.row_of(middle) < 0 and tab.current_id() != middle
    window.undo_action.trigger()
    tab.model.wait_loaded()
    assert tab.current_id() == middle
    assert tab.profile.customer_id == middle


def test_undoing_a_complaint_delete_selects_it_again(qtbot, window, ctab, minghua):
    first, second = logged(minghua), logged(minghua)
    ctab.view.setCurrentIndex(ctab.view.findData("all"))
    ctab.apply_filters()
    ctab.model.refresh()
    ctab.model.wait_loaded()
    ctab.table.selectRow(ctab.model.row_of(second))
    ctab.delete_selected()
    ctab.model.wait_loaded()
    assert ctab.model.row_of(second) < 0
    ctab.table.selectRow(ctab.model.row_of(first))
    window.undo_action.trigger()
    ctab.model.wait_loaded()
    assert ctab.current_id() == second
    assert ctab.table.currentIndex().row() == ctab.model.row_of(second)


def test_a_customer_changed_elsewhere_names_the_changed_fields_and_overwrites_nothing(
        qtbot, window, some_customers, db_path, monkeypatch, time_machine):
    import hashlib

    from PySide6.QtWidgets import QDialogButtonBox

    from crmdesk.core.customers import archive as customers
    from crmdesk.ui.errors import error_text
    shown = []
    monkeypatch.setattr("crmdesk.ui.customers.dialog.show_error",
                        lambda parent, error: shown.append(error_text(error)))
    tab = window.customers_tab
    tab.select_id(some_customers[0])
    dialog = tab.edit_current()
    time_machine.shift(dt.timedelta(minutes=3))
    customers.update(some_customers[0], {"owner": "张伟", "phone": "010-88889999"})  # an import, the CLI
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()
    dialog.editors["city"].widget.setText("天津")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert shown == ["北京华润商贸有限公司 was changed elsewhere since you opened it (owner, phone): "
                     "reopen it to see the changes, then make yours again."]
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before
    customer = customers.get(some_customers[0])
    assert (customer.city, customer.owner) == ("北京", "张伟")
    dialog.reject()


def test_a_bad_contact_mobile_is_said_beside_the_table_and_its_cell_selected(qtbot, window, db_path):
    import hashlib

    from PySide6.QtWidgets import QDialogButtonBox

    from crmdesk.core.models import Contact, Customer
    from tests.ui.conftest import type_text
    tab = window.customers_tab
    dialog = tab.new_customer()
    type_text(qtbot, dialog.editors["name"].widget, "联系人有误公司")
    editor = dialog.contacts_editor
    table = editor.table
    editor.add_button.click()
    table.item(0, 0).setText("宗庆后")
    table.item(0, 2).setText("13900001111")
    editor.add_button.click()
    table.item(1, 0).setText("王经理")
    table.item(1, 2).setText("123")
    table.selectRow(1)
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert editor.error_label.isVisible()
    assert editor.error_label.text().startswith("Contact 2, Mobile: ")
    assert "5 digits" in editor.error_label.text()
    current = table.currentIndex()
    assert (current.row(), current.column()) == (1, 2)
    assert dialog.focusWidget() is table
    assert not table.item(1, 2).icon().isNull(), "the mark shows on a selected row too"
    assert table.item(1, 2).text() == "123"
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before
    assert Customer.select().count() == 0 and Contact.select().count() == 0
    table.item(1, 2).setText("13700002222")
    assert not editor.error_label.isVisible()
    dialog.reject()


def test_recording_a_visit_before_it_starts_asks_and_cancel_keeps_everything(qtbot, window, monkeypatch, db_path):
    import hashlib

    from PySide6.QtWidgets import QMessageBox

    from crmdesk.core.visits import fields as V
    from crmdesk.core.customers import archive as customers
    from crmdesk.core.visits import visits
    from crmdesk.ui.visits.record_dialog import RecordDialog
    from tests.ui.conftest import type_text
    cid = customers.create({"name": "上海明华贸易有限公司", "owner": "张伟"})[0]
    # planned for Monday 7 December; "now" is pinned to Friday 4 December
    visit_id = visits.create({"customer_id": cid, "starts_at": dt.datetime(2026, 12, 7, 10),
                            "ends_at": dt.datetime(2026, 12, 7, 11)}).visit_id
    asked, answers = [], [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question",
                        lambda parent, title, text, *rest: (asked.append(text), answers.pop(0))[1])
    dialog = RecordDialog(window.bus, visit_id, parent=window)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(qtbot, dialog.outcome, "见到了采购经理")
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()
    assert dialog.save() is False
    assert asked == ["This visit is planned for Mon 7 Dec, after now: record it as done anyway?"]
    assert dialog.isVisible() and dialog.outcome.toPlainText() == "见到了采购经理"
    assert visits.get(visit_id).state != V.DONE
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before
    assert dialog.save() is True
    assert visits.get(visit_id).state == V.DONE


def test_recording_a_past_visit_asks_nothing(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from crmdesk.core.visits import fields as V
    from crmdesk.core.customers import archive as customers
    from crmdesk.core.visits import visits
    from crmdesk.ui.visits.record_dialog import RecordDialog
    cid = customers.create({"name": "上海明华贸易有限公司", "owner": "张伟"})[0]
    visit_id = visits.create({"customer_id": cid, "starts_at": dt.datetime(2026, 12, 3, 10),
                            "ends_at": dt.datetime(2026, 12, 3, 11)}).visit_id
    monkeypatch.setattr(QMessageBox, "question", lambda *a: pytest.fail("asked"))
    dialog = RecordDialog(window.bus, visit_id, parent=window)
    qtbot.addWidget(dialog)
    assert dialog.save() is True and visits.get(visit_id).state == V.DONE


def test_a_seven_digit_mobile_is_refused_in_the_form_with_its_sentence(qtbot, window, db_path):
    import hashlib

    from PySide6.QtWidgets import QDialogButtonBox

    from crmdesk.core.models import Contact, Customer
    from tests.ui.conftest import type_text
    dialog = window.customers_tab.new_customer()
    type_text(qtbot, dialog.editors["name"].widget, "七位手机公司")
    type_text(qtbot, dialog.editors["mobile"].widget, "1381234")
    assert dialog.error_labels["mobile"].text() == ("A Chinese mobile number has 11 digits starting with 1: "
                                                    "check for a missing or an extra digit.")
    editor = dialog.contacts_editor
    editor.add_button.click()
    editor.table.item(0, 0).setText("王经理")
    editor.table.item(0, 2).setText("010-88889999")
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and set(dialog.errors_shown()) == {"mobile"}
    assert editor.error_label.text().startswith("Contact 1, Mobile: This is not a mobile number")
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before
    assert Customer.select().count() == 0 and Contact.select().count() == 0
    dialog.reject()


def test_undoing_a_visit_delete_selects_it_again(qtbot, window):
    from crmdesk.core.customers import archive as customers
    from crmdesk.core.visits import visits
    from tests.ui.visits.test_visits_tab import TOMORROW
    cid = customers.create({"name": "上海明华贸易有限公司", "owner": "张伟"})[0]
    first, second = (visits.create({"customer_id": cid, "starts_at": TOMORROW + dt.timedelta(hours=h),
                                    "ends_at": TOMORROW + dt.timedelta(hours=h, minutes=30)}).visit_id
                     for h in (0, 2))
    vtab = window.show_visits()
    vtab.model.refresh()
    vtab.model.wait_loaded()
    vtab.table.selectRow(vtab.model.row_of(second))
    assert vtab.current_id() == second
    vtab.delete_selected()
    vtab.model.wait_loaded()
    assert vtab.model.row_of(second) < 0
    vtab.table.selectRow(vtab.model.row_of(first))
    window.undo_action.trigger()
    assert vtab.current_id() == second
    assert vtab.table.currentIndex().row() == vtab.model.row_of(second)
