"""Edit ▸ Find duplicates…, the side-by-side merge, Edit ▸ Undo of a merge, "Not duplicates",
and the customer form's warning while typing (issue 21): clicks and keys, and what reached
the database."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from crmdesk.core.changes import Changes
from crmdesk.core.models import Customer, Visit, database
from crmdesk.core.customers import archive as customers
from crmdesk.core.visits import visits
from tests.ui.conftest import type_text


@pytest.fixture
def twins(window):
    keep = customers.create({"name": "北京华润商贸有限公司", "city": "北京", "mobile": "13812345678",
                             "code": "C000001", "tags": "重点", "notes": "老客户"})[0]
    other = customers.create({"name": "华润商贸(北京)有限公司", "city": "北京", "mobile": "13812345678",
                              "code": "C000002", "email": "wang@huarun.cn", "tags": "展会", "notes": "展会认识"})[0]
    customers.create({"name": "上海申通物流", "city": "上海", "code": "C000003"})
    visits.create({"customer_id": other, "starts_at": dt.datetime(2026, 12, 10, 10),
                   "ends_at": dt.datetime(2026, 12, 10, 11), "kind": "first_visit", "objective": "了解需求"})
    window.bus.publish(Changes.reset())
    return keep, other


def open_duplicates(qtbot, window):
    action = window.duplicates_action
    assert action in window.menuBar().actions()[1].menu().actions()  # Edit
    action.trigger()
    dialog = window.duplicates_dialog
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: not dialog.busy)
    return dialog


def test_find_review_merge_and_undo(qtbot, window, twins):
    keep, other = twins
    dialog = open_duplicates(qtbot, window)
    assert dialog.status.text() == "1 pair of probable duplicates."
    model = dialog.model
    assert model.rowCount() == 1
    assert model.data(model.index(0, 0)) == 97
    assert model.data(model.index(0, 1)) == "C000001 · 北京华润商贸有限公司 · 北京"
    assert model.data(model.index(0, 3)) == "same phone, same name"

    qtbot.mouseClick(dialog.review_button, Qt.MouseButton.LeftButton)
    merge = dialog.merge_dialog
    qtbot.waitExposed(merge)
    assert merge.keep_combo.currentData() == keep
    rows = {merge.table.verticalHeaderItem(r).text(): r for r in range(merge.table.rowCount())}
    assert {"Customer No.", "Name", "Email", "Notes"} <= set(rows)
    name_row, email_row = rows["Name"], rows["Email"]
    assert merge.table.item(name_row, 0).checkState() == Qt.CheckState.Checked  # the kept one's own
    assert merge.table.item(email_row, 1).checkState() == Qt.CheckState.Checked  # the only one
    assert merge.summary.text() == "Moves to C000001: 1 visit."
    # the user prefers the other name: a click on its cell ticks it and unticks the first
    merge.table.item(name_row, 1).setCheckState(Qt.CheckState.Checked)
    assert merge.table.item(name_row, 0).checkState() == Qt.CheckState.Unchecked
    qtbot.mouseClick(merge.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not merge.isVisible())

    kept = Customer.get_by_id(keep)
    assert (kept.name, kept.email, kept.tags) == ("华润商贸(北京)有限公司", "wang@huarun.cn", "重点, 展会")
    assert kept.notes == "老客户\n展会认识"
    assert Customer.get_by_id(other).deleted_at is not None
    assert Visit.get().customer_id == keep
    assert dialog.model.rowCount() == 0
    assert dialog.status.text() == "No probable duplicates: every customer looks like one of a kind."
    qtbot.waitUntil(lambda: window.customers_tab.model.rowCount() == 2)  # the list heard of it

    assert window.undo_stack.undoText() == "Merge 2 customers"
    window.undo_action.trigger()
    assert Customer.get_by_id(other).deleted_at is None
    assert Customer.get_by_id(keep).name == "北京华润商贸有限公司"
    assert Visit.get().customer_id == other
    qtbot.waitUntil(lambda: window.customers_tab.model.rowCount() == 3)
    window.redo_action.trigger()  # merged again, with the same choices
    assert Customer.get_by_id(keep).name == "华润商贸(北京)有限公司"
    assert Customer.get_by_id(other).deleted_at is not None
    dialog.reject()


def test_not_duplicates_is_remembered(qtbot, window, twins):
    dialog = open_duplicates(qtbot, window)
    qtbot.mouseClick(dialog.dismiss_button, Qt.MouseButton.LeftButton)
    assert dialog.model.rowCount() == 0
    assert database.execute_sql("SELECT count(*) FROM duplicate_dismissed").fetchone()[0] == 1
    dialog.find()
    qtbot.waitUntil(lambda: not dialog.busy)
    assert dialog.model.rowCount() == 0
    dialog.reject()


def test_a_higher_minimum_score_hides_weaker_pairs(qtbot, window, twins):
    customers.create({"name": "申通物流", "city": "杭州", "code": "C000004"})  # same name, another city: 40
    dialog = open_duplicates(qtbot, window)
    assert dialog.model.rowCount() == 1
    dialog.min_score.setValue(40)
    qtbot.waitUntil(lambda: not dialog.busy and dialog.model.rowCount() == 2)
    dialog.min_score.setValue(98)
    qtbot.waitUntil(lambda: not dialog.busy and dialog.model.rowCount() == 0)
    dialog.reject()


def test_the_form_warns_while_typing_and_opens_or_merges(qtbot, window, twins):
    keep, _other = twins
    tab = window.customers_tab
    form = tab.new_customer()
    qtbot.waitExposed(form)
    warning = form.duplicate_warning
    assert warning.isHidden()
    type_text(qtbot, form.editors["name"].widget, "天虹百货")
    warning.check()
    assert warning.isHidden()
    form.editors["mobile"].widget.clear()
    type_text(qtbot, form.editors["mobile"].widget, "13812345678")
    qtbot.waitUntil(lambda: warning.isVisible(), timeout=3000)
    assert "Probably the same customer as C000001 · 北京华润商贸有限公司 · 北京 (same phone)" in warning.text()

    with qtbot.waitSignal(warning.open_requested) as opened:
        warning.linkActivated.emit(f"open:{keep}")
    assert opened.args == [keep]
    assert tab.dialog.customer_id == keep  # the existing customer's form, beside this one
    tab.dialog.reject()

    warning.linkActivated.emit(f"merge:{keep}")  # saves what was typed, then the side-by-side merge
    qtbot.waitUntil(lambda: tab.merge_dialog is not None and tab.merge_dialog.isVisible())
    new = Customer.get(Customer.name == "天虹百货")
    assert tab.merge_dialog.keep_combo.currentData() == keep
    assert [r.id for r in tab.merge_dialog.records] == [keep, new.id]
    tab.merge_dialog.reject()


def test_merge_selected_customers_from_the_list(qtbot, window, twins):
    keep, other = twins
    tab = window.customers_tab
    qtbot.waitUntil(lambda: tab.model.rowCount() == 3)
    from PySide6.QtCore import QItemSelectionModel
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for customer_id in (keep, other):
        row = next(r for r in range(tab.model.rowCount()) if tab.model.id_at(r) == customer_id)
        tab.view.selectionModel().select(tab.model.index(row, 0), flags)
    assert tab.merge_action.isEnabled()
    tab.merge_action.trigger()
    merge = tab.merge_dialog
    qtbot.waitExposed(merge)
    assert [r.id for r in merge.records] == [keep, other]
    merge.merge()
    assert Customer.get_by_id(other).deleted_at is not None


def test_the_import_preview_marks_rows_that_look_like_customers_already_here(qtbot, window, twins, tmp_path):
    from openpyxl import Workbook
    from tests.ui.imports.test_import_wizard import do_import, open_file, to_preview
    wb = Workbook()
    for row in (["客户名称", "城市", "手机"],
                ["北京华润商贸", "北京", "13700000001"],  # the same company, written shorter: a new customer
                ["上海申通物流", "上海", None],  # exactly its name: the import updates it, no warning
                ["深圳天虹百货", "深圳", "13700000002"]):  # nobody like it
        wb.active.append(row)
    path = tmp_path / "more.xlsx"
    wb.save(path)
    wizard = open_file(qtbot, window, path)
    preview = to_preview(qtbot, wizard)
    model = preview.model
    assert [model.headerData(i, Qt.Orientation.Vertical) for i in range(3)] == ["2 ≈", "3", "4"]
    tip = model.headerData(0, Qt.Orientation.Vertical, Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Probably the same customer as C000001 · 北京华润商贸有限公司 · 北京 (same name)")
    assert preview.summary.text() == ("All 3 rows are ready to import. 1 row looks like customers you already have "
                                      "(≈ by the row number: point at it to see which).")
    do_import(qtbot, wizard)
    assert Customer.select().where(Customer.deleted_at.is_null()).count() == 5  # imported as asked


def test_the_merge_shows_custom_fields_and_keeps_the_value_ticked(qtbot, window, twins):
    from crmdesk.core import custom_fields as CF
    keep, other = twins
    CF.add("收入水平", CF.CHOICE, ("高", "中"))
    CF.add("已婚", CF.YESNO)
    customers.update(keep, {"cf:收入水平": "中"})
    customers.update(other, {"cf:收入水平": "高", "cf:已婚": "是"})
    dialog = open_duplicates(qtbot, window)
    qtbot.mouseClick(dialog.review_button, Qt.MouseButton.LeftButton)
    merge = dialog.merge_dialog
    qtbot.waitExposed(merge)
    rows = {merge.table.verticalHeaderItem(r).text(): r for r in range(merge.table.rowCount())}
    income, married = rows["收入水平"], rows["已婚"]
    assert [merge.table.item(income, c).text() for c in (0, 1)] == ["中", "高"]
    assert merge.table.item(married, 1).text() == "Yes"
    assert merge.table.item(married, 1).checkState() == Qt.CheckState.Checked  # the only one
    merge.table.item(income, 1).setCheckState(Qt.CheckState.Checked)  # the other's income
    qtbot.mouseClick(merge.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not merge.isVisible())
    assert CF.read([keep])[keep] == {"cf:收入水平": "高", "cf:已婚": 1}
    window.undo_action.trigger()
    assert CF.read([keep])[keep] == {"cf:收入水平": "中"}
    dialog.reject()
