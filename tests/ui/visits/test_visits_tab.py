"""The visits tab driven as a rep would: plan from the customer list, record what came of
it with the next visit and a stage move, postpone, cancel, delete and undo, two windows
on one plan, repeating plans, the due list, the day plan; then what is on screen and what
reached the database."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialogButtonBox

from crmdesk.core.visits import fields as V
from crmdesk.core.models import Customer, Visit
from crmdesk.core.customers import archive as customers
from crmdesk.core.visits import planning as visit_planning, visits
from crmdesk.ui.visits.form import to_qdatetime
from tests.conftest import PINNED_NOW
from tests.ui.conftest import type_text

# From the pinned "now", not from the clock at import time (collection runs before the pin).
TOMORROW = dt.datetime.combine(PINNED_NOW.date() + dt.timedelta(days=1), dt.time(10))


@pytest.fixture
def vtab(window, monkeypatch):
    shown = window.errors_shown
    monkeypatch.setattr("crmdesk.ui.visits.tab.show_error", lambda parent, error: shown.append(error.code))
    return window.visits_tab


@pytest.fixture
def minghua(window) -> int:
    from crmdesk.core.changes import Changes
    cid = customers.create({"name": "上海明华贸易有限公司", "province": "上海", "city": "上海", "district": "浦东新区",
                            "address": "张江路 88 号", "owner": "张伟", "tier": "key", "stage": "prospect",
                            "contact_person": "王经理", "mobile": "13812345678"})[0]
    window.bus.publish(Changes.reset())
    return cid


def save(qtbot, dialog) -> None:
    box = dialog.findChild(QDialogButtonBox)
    button = box.button(QDialogButtonBox.StandardButton.Save) or box.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def planned(customer_id: int, start=TOMORROW, **extra) -> int:
    return visits.create({"customer_id": customer_id, "starts_at": start, "ends_at": start + dt.timedelta(hours=1),
                          "objective": "了解需求", **extra}).visit_id


def select(vtab, visit_id: int) -> None:
    vtab.model.refresh()  # the visit may come from a service call, not from the tab
    vtab.model.wait_loaded()
    row = vtab.model.row_of(visit_id)
    assert row >= 0
    vtab.table.selectRow(row)
    assert vtab.current_id() == visit_id


def test_plan_a_visit_from_the_customer_list(qtbot, window, vtab, minghua):
    ctab = window.customers_tab
    ctab.select_id(minghua)
    ctab.plan_visit_action.trigger()
    assert window.tabs.currentWidget() is vtab
    dialog = vtab.dialog
    assert dialog.place.text() == "上海浦东新区张江路 88 号"
    assert dialog.rep.currentText() == "张伟" and dialog.contacts.text() == "王经理"
    assert dialog.kind.currentData() == "first_visit"  # a prospect: the first visit
    dialog.starts_at.setDateTime(to_qdatetime(TOMORROW))
    type_text(qtbot, dialog.objective, "了解采购计划")
    type_text(qtbot, dialog.materials, "产品目录")
    save(qtbot, dialog)
    assert not dialog.isVisible()
    visit = Visit.get()
    assert (visit.starts_at, visit.ends_at, visit.objective, visit.materials) == (
        TOMORROW, TOMORROW + dt.timedelta(hours=1), "了解采购计划", "产品目录")
    vtab.model.wait_loaded()
    assert vtab.model.rowCount() == 1
    assert vtab.details.visit_id == visit.id
    assert "了解采购计划" in vtab.details.toPlainText()
    assert Customer.get_by_id(minghua).next_visit_at == TOMORROW


def test_end_before_start_is_marked_as_typed_and_nothing_saved(qtbot, vtab, minghua):
    dialog = vtab.plan_visit(customer_id=minghua)
    type_text(qtbot, dialog.objective, "谈价格")
    dialog.ends_at.setDateTime(to_qdatetime(TOMORROW - dt.timedelta(days=2)))
    assert "ends before it starts" in dialog.form.shown()["ends_at"]
    save(qtbot, dialog)
    assert dialog.isVisible() and dialog.objective.text() == "谈价格"
    assert "ends before it starts" in dialog.form.shown()["ends_at"]
    assert Visit.select().count() == 0


def test_a_plan_needs_a_customer_found_by_typing(qtbot, vtab, minghua):
    dialog = vtab.plan_visit()
    save(qtbot, dialog)
    assert dialog.isVisible() and "Choose the customer" in dialog.form.shown()["customer_id"]
    type_text(qtbot, dialog.customer, "明华")
    dialog.customer.search()
    [shown] = dialog.customer.matches.stringList()
    assert shown.startswith("上海明华贸易有限公司")
    dialog.customer.completer().activated[str].emit(shown)
    assert dialog.customer.customer_id == minghua and dialog.place.text().startswith("上海")
    save(qtbot, dialog)
    assert not dialog.isVisible() and Visit.select().count() == 1


def test_a_clash_with_the_reps_other_visit_is_flagged(qtbot, vtab, minghua):
    planned(minghua)
    dialog = vtab.plan_visit(customer_id=minghua, start=TOMORROW + dt.timedelta(minutes=30))
    assert dialog.clash.isVisible() and "张伟" in dialog.clash.text()
    dialog.starts_at.setDateTime(to_qdatetime(TOMORROW + dt.timedelta(hours=3)))
    assert not dialog.clash.isVisible()


def test_record_with_objections_next_visit_and_stage(qtbot, vtab, minghua):
    visit_id = planned(minghua)
    select(vtab, visit_id)
    vtab.record_action.trigger()
    dialog = vtab.dialog
    dialog.ask = False
    type_text(qtbot, dialog.outcome, "见到了采购经理，对样品满意")
    dialog.objections.item(0, 0).setText("价格太高")
    dialog.objections.item(0, 1).setText("给出阶梯报价")
    assert dialog.objections.rowCount() == 2  # a fresh empty row for the next one
    dialog.rating.setCurrentIndex(dialog.rating.findData(4))
    type_text(qtbot, dialog.follow_up, "周五前发报价")
    dialog.next_box.setChecked(True)
    next_start = TOMORROW + dt.timedelta(days=7)
    dialog.next_start.setDateTime(to_qdatetime(next_start))
    dialog.next_kind.setCurrentIndex(dialog.next_kind.findData("presentation"))
    assert dialog.stage.isVisible()
    dialog.stage.setChecked(True)
    save(qtbot, dialog)
    assert not dialog.isVisible()
    visit = visits.get(visit_id)
    assert visit.state == V.DONE and visit.rating == 4
    assert visits.objections(visit) == [("价格太高", "给出阶梯报价")]
    following = visits.get(visit.next_visit_id)
    assert following.starts_at == next_start and following.kind == "presentation"
    assert Customer.get_by_id(minghua).stage == "developing"
    vtab.model.wait_loaded()
    states = [vtab.model.index(r, vtab.model.keys.index("state")).data() for r in range(vtab.model.rowCount())]
    assert sorted(states) == ["Done", "Planned"]


def test_log_a_visit_from_the_profile(qtbot, window, vtab, minghua):
    window.customers_tab.select_id(minghua)
    profile = window.customers_tab.profile
    qtbot.mouseClick(profile.log_button, Qt.MouseButton.LeftButton)
    dialog = vtab.dialog
    assert dialog.windowTitle() == "Log a visit"
    type_text(qtbot, dialog.outcome, "路过拜访，送了新品样册")
    save(qtbot, dialog)
    visit = Visit.get()
    assert visit.state == V.DONE and visit.outcome == "路过拜访，送了新品样册"
    window.tabs.setCurrentWidget(window.customers_tab)
    assert profile.visits.rowCount() == 1 and profile.visits.item(0, 2).text() == "Done"
    assert "(1)" in profile.tabs.tabText(profile.tabs.indexOf(profile.visits))


@pytest.mark.parametrize("to,action", [(V.POSTPONED, "postpone_action"), (V.CANCELLED, "cancel_action"),
                                       (V.MISSED, "missed_action")])
def test_close_a_visit_with_a_reason(qtbot, vtab, minghua, to, action):
    visit_id = planned(minghua)
    select(vtab, visit_id)
    getattr(vtab, action).trigger()
    dialog = vtab.dialog
    type_text(qtbot, dialog.reason, "客户临时出差")
    save(qtbot, dialog)
    assert not dialog.isVisible()
    visit = visits.get(visit_id)
    assert visit.state == to and visit.reason == "客户临时出差"
    if to == V.POSTPONED:
        assert visits.get(dialog.next_id).state == V.PLANNED
    select(vtab, visit_id)
    assert not vtab.record_action.isEnabled() and not vtab.postpone_action.isEnabled()


def test_a_plan_edited_from_two_windows(qtbot, vtab, minghua):
    visit_id = planned(minghua)
    select(vtab, visit_id)
    first = vtab.edit_current()
    from crmdesk.ui.visits.dialog import VisitDialog
    second = VisitDialog(vtab.bus, visit_id=visit_id, parent=vtab)
    qtbot.addWidget(second)
    first.objective.setText("谈合同")
    save(qtbot, first)
    second.objective.setText("送样品")
    second.show()
    save(qtbot, second)
    assert second.isVisible() and second.objective.text() == "送样品"
    assert "changed elsewhere since you opened it" in second.summary.text()
    assert visits.get(visit_id).objective == "谈合同"


def test_delete_and_undo(qtbot, window, vtab, minghua):
    visit_id = planned(minghua)
    select(vtab, visit_id)
    vtab.delete_action.trigger()
    vtab.model.wait_loaded()
    assert vtab.model.rowCount() == 0 and Visit.get_by_id(visit_id).deleted_at is not None
    window.undo_action.trigger()
    vtab.model.wait_loaded()
    assert vtab.model.rowCount() == 1 and Visit.get_by_id(visit_id).deleted_at is None


def test_repeating_plan_from_the_dialog(qtbot, window, vtab, minghua):
    dialog = vtab.plan_visit(customer_id=minghua, start=TOMORROW)
    dialog.repeat.setChecked(True)
    dialog.end_count.setChecked(True)
    dialog.count.setValue(3)
    save(qtbot, dialog)
    assert Visit.select().count() == 3
    dialog = vtab.plan_visit(customer_id=minghua, start=TOMORROW + dt.timedelta(hours=4))
    dialog.repeat.setChecked(True)
    dialog.unit.setCurrentIndex(dialog.unit.findData("day"))
    dialog.end_never.setChecked(True)
    save(qtbot, dialog)
    assert Visit.select().count() == 3 + 52
    assert "first 52 visits" in window.statusBar().currentMessage()


def test_a_repeat_that_ends_before_it_starts_is_refused(qtbot, vtab, minghua):
    dialog = vtab.plan_visit(customer_id=minghua, start=TOMORROW)
    dialog.repeat.setChecked(True)
    dialog.until.setDate(dialog.until.date().addYears(-2))
    save(qtbot, dialog)
    assert dialog.isVisible() and "ends before the first visit" in dialog.repeat_error.text()
    assert Visit.select().count() == 0


def test_reschedule_refused_when_the_visit_changed_meanwhile(vtab, window, minghua):
    visit_id = planned(minghua)
    visits.update_plan(visit_id, {"objective": "changed by the CLI"})
    assert not vtab.reschedule(visit_id, 1, TOMORROW + dt.timedelta(days=1))
    assert window.errors_shown == ["visit_changed_elsewhere"]
    assert visits.get(visit_id).starts_at == TOMORROW
    assert vtab.reschedule(visit_id, 2, TOMORROW + dt.timedelta(days=1))
    assert visits.get(visit_id).starts_at == TOMORROW + dt.timedelta(days=1)


def test_due_list_plans_and_sets_a_frequency(qtbot, window, vtab, minghua):
    other = customers.create({"name": "杭州恒通机械", "tier": "relationship", "owner": "李娜"})[0]
    last = dt.datetime.combine(dt.date.today() - dt.timedelta(days=40), dt.time(10))
    for cid in (minghua, other):
        visits.log_visit({"customer_id": cid, "starts_at": last, "ends_at": last + dt.timedelta(hours=1)}, {})
    qtbot.mouseClick(vtab.view_buttons.button(2), Qt.MouseButton.LeftButton)
    due = vtab.due
    due.model.wait_loaded()
    assert [due.model.id_at(r) for r in range(due.model.rowCount())] == [minghua, other]
    assert due.model.index(0, 0).data() == "26 days" and due.count_label.text() == "2 customers are due for a visit."
    due.table.selectRow(1)
    assert due.set_frequency(90, ask=False)
    due.model.wait_loaded()
    assert due.model.rowCount() == 1 and Customer.get_by_id(other).visit_every_days == 90
    due.table.selectRow(0)
    qtbot.mouseClick(due.plan_button, Qt.MouseButton.LeftButton)
    assert vtab.dialog.customer.customer_id == minghua
    save(qtbot, vtab.dialog)
    due.model.wait_loaded()
    assert due.model.rowCount() == 0  # a visit is planned now
    vtab.rep.setCurrentIndex(vtab.rep.findData("李娜"))
    assert due.query().owner == "李娜"


def test_visit_frequencies_dialog(qtbot, window):
    dialog = window.visit_settings()
    dialog.spins["key"].setValue(7)
    dialog.spins["transactional"].setValue(0)
    save(qtbot, dialog)
    assert visit_planning.frequencies()["key"] == 7 and visit_planning.frequencies()["transactional"] is None


def test_day_plan_prints_exports_and_says_when_empty(qtbot, vtab, minghua, tmp_path):
    planned(minghua, talking_points="新品报价", materials="样品")
    dialog = vtab.open_day_plan(TOMORROW.date())
    assert dialog.stops() == 1
    text = dialog.preview.toPlainText()
    assert "上海 浦东新区" in text and "13812345678" in text and "样品" in text
    pdf = dialog.save_pdf(tmp_path / "plan.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    xlsx = dialog.export_excel(tmp_path / "plan.xlsx")
    assert xlsx.exists()
    png = dialog.render_png(tmp_path / "plan.png")
    assert png.stat().st_size > 1000
    dialog.day_edit.setDate(dialog.day_edit.date().addDays(30))
    assert dialog.stops() == 0 and "Nothing is planned for this day." in dialog.preview.toPlainText()
    assert dialog.save_pdf(tmp_path / "empty.pdf").exists()


def test_ctrl_n_plans_a_visit_on_the_visits_tab(qtbot, window, vtab):
    window.tabs.setCurrentWidget(vtab)
    assert vtab.plan_action.shortcut() == QKeySequence(QKeySequence.StandardKey.New)
    assert window.customers_tab.new_action.shortcut().isEmpty()
    window.tabs.setCurrentWidget(window.customers_tab)
    assert vtab.plan_action.shortcut().isEmpty()


def test_export_visits_from_the_menu(qtbot, window, vtab, minghua, tmp_path):
    from openpyxl import load_workbook
    planned(minghua, objective="=HYPERLINK(\"http://x\")")
    target = tmp_path / "visits.xlsx"
    task = window.export_visits(target)
    qtbot.waitUntil(lambda: task.done)
    assert window.statusBar().currentMessage() == f"Exported 1 visit to {target}."
    sheet = load_workbook(target).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][1] == "上海明华贸易有限公司" and "=HYPERLINK" in str(rows[1][9])
    assert sheet.cell(2, 10).data_type == "s"


def test_export_visits_to_a_folder_that_is_missing_says_so(qtbot, window, vtab, minghua, tmp_path):
    target = tmp_path / "missing-folder" / "v.xlsx"
    assert window.export_visits(target) is None  # refused before any work starts
    assert window.errors_shown == ["output_folder_missing"]
    assert not target.parent.exists()
