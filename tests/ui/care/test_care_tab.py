"""The care tab driven as a rep would: today's reminders, Done with a result in two clicks,
snooze from the menu or to a chosen day, skip with a reason (refused without one), a whole
selection at once, copy a personalised greeting (an unknown placeholder pointed out), plan
one by hand, delete and undo, the settings refusing 0 days, what fell due while the app
was closed, and 50,000 reminders due at once as one notice. The day is pinned."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from crmdesk.core.care import fields as C
from crmdesk.core.changes import Changes
from crmdesk.core.models import CareEvent, Contact, Setting, database
from crmdesk.core.care import events as care, reminders as care_reminders, settings as care_settings
from crmdesk.core.customers import archive as customers
from crmdesk.core import history
from tests.ui.conftest import type_text

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def minghua(window) -> int:
    cid = customers.create({"name": "上海明华贸易有限公司", "owner": "张伟", "contact_person": "王伟",
                            "title": "经理", "mobile": "13812345678"})[0]
    window.bus.publish(Changes.reset())
    return cid


@pytest.fixture
def ctab(qtbot, window, monkeypatch):
    shown = window.errors_shown
    monkeypatch.setattr("crmdesk.ui.care.tab.show_error", lambda parent, error: shown.append(error.code))
    qtbot.waitUntil(lambda: window.reminder.last_day is not None)  # the start's own wake has begun...
    window.tasks.wait()
    QApplication.processEvents()  # ...and ended
    window.reminder.stop()
    tab = window.show_care()
    tab.set_today(TODAY)
    return tab


def plan(cid, due=TODAY, kind=C.ROUTINE, **raw) -> int:
    return care.create({"customer_id": cid, "kind": kind, "due_on": due, **raw}).id


def publish(window) -> None:
    window.bus.publish(Changes.reset("care_event"))


def select(ctab, event_id: int) -> None:
    ctab.model.wait_loaded()
    row = ctab.model.row_of(event_id)
    assert row >= 0, event_id
    ctab.table.selectRow(row)
    assert ctab.details.current.id == event_id


def wake(qtbot, window) -> None:
    """A new day for the reminders (the rules run off the GUI thread)."""
    window.reminder.today = lambda: TODAY
    window.reminder.last_day = None
    with qtbot.waitSignal(window.reminder.woke, timeout=20000):
        window.reminder.check()


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def save(qtbot, dialog) -> None:
    click(qtbot, dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save))


def test_mark_done_with_the_result_in_two_clicks(qtbot, window, ctab, minghua):
    eid = plan(minghua, kind=C.BIRTHDAY)
    publish(window)
    assert ctab.view_buttons.button(0).text().endswith("(1)")
    select(ctab, eid)
    click(qtbot, ctab.buttons["careDoneButton"])  # one
    dialog = ctab.dialog
    type_text(qtbot, dialog.result_edit, "已发微信祝福")
    save(qtbot, dialog)  # two
    event = CareEvent.get_by_id(eid)
    assert (event.state, event.result) == (C.DONE, "已发微信祝福")
    assert ctab.model.rowCount() == 0 and ctab.view_buttons.button(0).text().endswith("(0)")
    assert "1 reminder changed" in window.statusBar().currentMessage()
    entry = history.timeline(minghua)[0]
    assert (entry.entity, entry.field, entry.new) == ("care_event", C.DONE, "已发微信祝福")


def test_done_without_a_result_is_fine(qtbot, window, ctab, minghua):
    eid = plan(minghua)
    publish(window)
    select(ctab, eid)
    click(qtbot, ctab.buttons["careDoneButton"])
    save(qtbot, ctab.dialog)
    assert CareEvent.get_by_id(eid).state == C.DONE


def test_snooze_from_the_menu_moves_it_to_later_this_week(qtbot, window, ctab, minghua):
    eid = plan(minghua)
    publish(window)
    select(ctab, eid)
    next(a for a in ctab.snooze_menu.actions() if a.objectName() == "snooze3").trigger()
    event = CareEvent.get_by_id(eid)
    assert (event.state, event.snoozed_until) == (C.SNOOZED, TODAY + dt.timedelta(days=3))
    assert ctab.model.rowCount() == 0
    ctab.show_view(1)
    ctab.model.wait_loaded()
    assert ctab.model.rowCount() == 1
    assert "Snoozed to" in ctab.model.index(0, 5).data()


def test_snooze_to_a_chosen_day(qtbot, window, ctab, minghua):
    eid = plan(minghua)
    publish(window)
    select(ctab, eid)
    next(a for a in ctab.snooze_menu.actions() if a.objectName() == "snoozeChoose").trigger()
    dialog = ctab.dialog
    assert dialog.calendar.minimumDate() == QDate(2026, 11, 24)  # never today or before
    dialog.calendar.setSelectedDate(QDate(2026, 12, 15))
    save(qtbot, dialog)
    assert CareEvent.get_by_id(eid).snoozed_until == dt.date(2026, 12, 15)


def test_skip_without_a_reason_is_refused_and_nothing_changes(qtbot, window, ctab, minghua):
    eid = plan(minghua)
    publish(window)
    select(ctab, eid)
    click(qtbot, ctab.buttons["careSkipButton"])
    dialog = ctab.dialog
    save(qtbot, dialog)
    assert dialog.isVisible() and "why" in dialog.findChild(type(dialog.summary), "careActionSummary").text() + \
        dialog.form.errors["result"].text()
    assert CareEvent.get_by_id(eid).state == C.DUE
    type_text(qtbot, dialog.result_edit, "客户出国")
    save(qtbot, dialog)
    assert (CareEvent.get_by_id(eid).state, CareEvent.get_by_id(eid).result) == (C.SKIPPED, "客户出国")


def test_a_selection_is_done_at_once(qtbot, window, ctab, minghua):
    ids = [plan(minghua, due=TODAY - dt.timedelta(days=n)) for n in range(3)]
    publish(window)
    ctab.show_view(3)  # all open
    ctab.model.wait_loaded()
    ctab.table.setFocus()
    ctab.table.selectAll()
    assert len(ctab.selected_ids()) == 3
    click(qtbot, ctab.buttons["careDoneButton"])
    assert "3 reminders selected" in ctab.dialog.findChild(type(ctab.dialog.summary), "careActionIntro").text()
    type_text(qtbot, ctab.dialog.result_edit, "春节前统一致电")
    save(qtbot, ctab.dialog)
    assert {e.state for e in CareEvent.select()} == {C.DONE}
    assert "3 reminders changed" in window.statusBar().currentMessage()


def test_copy_the_personalised_greeting(qtbot, window, ctab, minghua):
    eid = plan(minghua, kind=C.BIRTHDAY)
    publish(window)
    select(ctab, eid)
    ctab.details.lang.setCurrentIndex(ctab.details.lang.findData("zh"))
    click(qtbot, ctab.details.copy_button)
    text = QApplication.clipboard().text()
    assert text.startswith("王经理，祝您生日快乐") and "上海明华贸易有限公司" in text
    ctab.details.lang.setCurrentIndex(ctab.details.lang.findData("en"))
    click(qtbot, ctab.details.copy_button)
    assert QApplication.clipboard().text().startswith("Dear 王伟, happy birthday!")
    assert "clipboard" in window.statusBar().currentMessage()


def test_an_unknown_placeholder_is_pointed_out_not_crashed(qtbot, window, ctab, minghua):
    care_settings.save_templates({C.BIRTHDAY: {"zh": "{称呼}，{生日祝福}！", "en": "Hi {salutation}"}})
    eid = plan(minghua, kind=C.BIRTHDAY)
    publish(window)
    select(ctab, eid)
    ctab.details.lang.setCurrentIndex(ctab.details.lang.findData("zh"))
    assert ctab.details.greeting.toPlainText() == "王经理，{生日祝福}！"
    assert ctab.details.warning.isVisible() and "{生日祝福}" in ctab.details.warning.text()
    click(qtbot, ctab.details.copy_button)
    assert QApplication.clipboard().text() == "王经理，{生日祝福}！"


def test_plan_a_reminder_by_hand(qtbot, window, ctab, minghua):
    contact = Contact.create(customer=minghua, name="李娜", title="采购主管")
    ctab.new_action.trigger()
    dialog = ctab.dialog
    dialog.customer.set_customer(minghua)
    dialog._fill_contacts(minghua)
    dialog.contact.setCurrentIndex(dialog.contact.findData(contact.id))
    dialog.kind.setCurrentIndex(dialog.kind.findData(C.SURVEY))
    dialog.due.setDate(QDate(2026, 11, 23))
    type_text(qtbot, dialog.title_edit, "年度满意度调查")
    save(qtbot, dialog)
    event = CareEvent.get(CareEvent.title == "年度满意度调查")
    assert (event.kind, event.contact_id, event.due_on) == (C.SURVEY, contact.id, TODAY)
    assert ctab.details.current is not None and ctab.details.current.id == event.id


def test_plan_without_a_customer_is_refused(qtbot, window, ctab):
    ctab.new_action.trigger()
    dialog = ctab.dialog
    save(qtbot, dialog)
    assert dialog.isVisible() and dialog.form.errors["customer_id"].isVisible()
    assert CareEvent.select().count() == 0


def test_delete_and_undo(qtbot, window, ctab, minghua):
    eid = plan(minghua)
    publish(window)
    select(ctab, eid)
    ctab.delete_action.trigger()
    assert CareEvent.get_by_id(eid).deleted_at is not None and ctab.model.rowCount() == 0
    window.undo_stack.undo()
    assert CareEvent.get_by_id(eid).deleted_at is None
    ctab.model.wait_loaded()
    assert ctab.model.rowCount() == 1


def test_settings_refuse_0_days_and_keep_what_was_typed(qtbot, window, ctab):
    before = care_settings.load()
    dialog = ctab.open_settings()
    dialog.rule_days["birthdays"].setValue(0)
    save(qtbot, dialog)
    assert dialog.isVisible()
    assert "turn the rule off" in dialog.form.errors["birthdays.days"].text()
    assert care_settings.load() == before
    dialog.rule_days["birthdays"].setValue(3)
    dialog.custom.setPlainText("店庆 2-30")
    save(qtbot, dialog)
    assert dialog.isVisible() and dialog.tabs.currentIndex() == 1
    assert "店庆" in dialog.form.errors["custom_festivals"].text()
    dialog.custom.setPlainText("店庆 6-18")
    save(qtbot, dialog)
    rules = care_settings.load()
    assert rules.birthdays.days == 3 and rules.custom_festivals == (("店庆", 6, 18),)


def test_template_with_unknown_placeholder_is_flagged_as_typed(qtbot, window, ctab):
    dialog = ctab.open_settings()
    dialog.template_kind.setCurrentIndex(dialog.template_kind.findData(C.FESTIVAL))
    dialog.template_edits["zh"].setPlainText("{称呼}，{节日快乐}")
    assert not dialog.template_warning.isHidden() and "{节日快乐}" in dialog.template_warning.text()
    save(qtbot, dialog)
    assert care_settings.templates()[C.FESTIVAL]["zh"] == "{称呼}，{节日快乐}"


def test_reminders_that_fell_due_while_closed_are_shown_at_start(qtbot, window, ctab, minghua):
    Setting.insert(key=care_reminders.LAST_SEEN_KEY, value='"2026-11-18"').on_conflict_replace().execute()
    plan(minghua, due=dt.date(2026, 11, 20))
    plan(minghua, due=dt.date(2026, 11, 21))
    wake(qtbot, window)
    assert ctab.notice.isVisible() and "2 reminders fell due" in ctab.notice.text()
    assert window.reminder.notices == ["2 overdue."]
    assert ctab.view_buttons.button(2).text().endswith("(2)")


def test_a_clock_set_back_says_so_and_creates_nothing(qtbot, window, ctab, minghua):
    Setting.insert(key=care_reminders.LAST_SEEN_KEY, value='"2026-12-01"').on_conflict_replace().execute()
    wake(qtbot, window)
    assert "earlier than when crmdesk last ran" in ctab.notice.text()
    assert CareEvent.select().count() == 0


def test_fifty_thousand_due_at_once_are_one_notice(qtbot, window, ctab, minghua):
    database.execute_sql(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000) "
        "INSERT INTO care_event (uuid, created_at, updated_at, customer_id, kind, due_on, channel, title, message, "
        "state, result, response, version, occasion, facts) SELECT 'u' || i, '2026-11-23', '2026-11-23', ?, "
        "'routine', ?, 'phone', '', '', 'due', '', '', 1, '', '' FROM n", (minghua, TODAY.isoformat()))
    wake(qtbot, window)
    assert window.reminder.check() is None  # the same day again: nothing more
    assert window.reminder.notices == ["50000 care reminders due today."]
    assert ctab.view_buttons.button(0).text() == "Today (50000)"
    ctab.model.wait_loaded()
    assert ctab.model.rowCount() == 50000
    assert ctab.model.index(49999, 2).data() == "上海明华贸易有限公司"


def test_export_the_selections_greetings_for_a_mail_merge(qtbot, window, ctab, minghua, tmp_path):
    from openpyxl import load_workbook
    ids = [plan(minghua, kind=C.BIRTHDAY), plan(minghua, kind=C.FESTIVAL)]
    CareEvent.update(occasion="spring").where(CareEvent.id == ids[1]).execute()
    publish(window)
    ctab.model.wait_loaded()
    ctab.table.selectAll()
    ctab.details.lang.setCurrentIndex(ctab.details.lang.findData("zh"))
    target = tmp_path / "祝福语.xlsx"
    assert ctab.export_greetings(target) == 2
    sheet = load_workbook(target).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("客户编号", "客户名称", "收件人")
    texts = [r[-1] for r in rows[1:]]
    assert any(t.startswith("王经理，祝您生日快乐") for t in texts)
    assert any("春节快乐" in t for t in texts)
    assert "Exported 2 greetings" in window.statusBar().currentMessage()


def test_export_the_care_history_off_the_gui_thread(qtbot, window, ctab, minghua, tmp_path):
    from openpyxl import load_workbook
    care.mark_done([plan(minghua, kind=C.SURVEY)], "已完成问卷", "很满意")
    target = tmp_path / "care.xlsx"
    task = window.export_care(target)
    qtbot.waitUntil(lambda: target.exists() and "Exported" in window.statusBar().currentMessage(), timeout=10000)
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert len(rows) == 2 and "已完成问卷" in rows[1]
    assert task is not None


def test_the_buttons_count_for_the_owner_chosen(qtbot, window, ctab, minghua):
    other = customers.create({"name": "宁波瑞丰", "owner": "李娜"})[0]
    plan(minghua)
    plan(other)
    plan(other)
    publish(window)
    assert ctab.view_buttons.button(0).text() == "Today (3)"
    ctab.owner.setCurrentIndex(ctab.owner.findData("张伟"))
    ctab.model.wait_loaded()
    assert ctab.view_buttons.button(0).text() == "Today (1)" and ctab.model.rowCount() == 1


def test_a_survey_done_with_the_customers_satisfaction(qtbot, window, ctab, minghua):
    import json
    eid = plan(minghua, kind=C.SURVEY)
    publish(window)
    select(ctab, eid)
    click(qtbot, ctab.buttons["careDoneButton"])
    dialog = ctab.dialog
    dialog.satisfaction.setCurrentIndex(dialog.satisfaction.findData(4))
    save(qtbot, dialog)
    assert json.loads(CareEvent.get_by_id(eid).facts)["satisfaction"] == 4


def test_a_flood_of_inactivity_checks_is_spread_and_said(qtbot, window, ctab):
    """A first run or an import over a book of quiet customers: the tray and the care tab
    say how many checks were added, over how many weeks, key accounts first."""
    from crmdesk.core.care import spread as S
    from crmdesk.core.models import Customer
    for i in range(60):
        Customer.create(code=f"Q{i:05d}", name=f"沉默客户{i}", owner=("王伟", "李娜")[i % 2],
                        created_at="2026-01-05 09:00:00")
    wake(qtbot, window)
    said = ctab.notice.text()
    assert ctab.notice.isVisible()
    assert said.startswith("60 customers have had no contact or purchase for a long time: spread over the next 2 weeks, "
                           "key accounts first, at most 5 a day per rep.")
    assert "at once" in said
    assert said in window.reminder.notices[-1]
    due_today = CareEvent.select().where(CareEvent.kind == C.INACTIVE, CareEvent.due_on == TODAY).count()
    assert due_today == 2 * S.DAILY_QUOTA
    assert CareEvent.select().where(CareEvent.kind == C.INACTIVE).count() == 60


def test_the_rules_wait_for_the_indexes_a_team_download_left(qtbot, window, ctab, monkeypatch):
    """Just after a team download: without the sales' due-date index, withdrawing paid
    payment reminders at 30,000 customers ran for minutes holding the write lock. The rules
    wake once the indexes are built (the window's team controller builds them)."""
    from crmdesk.core import bulk_indexes
    from crmdesk.core.models import database
    from crmdesk.ui.care import reminder as reminder_module
    monkeypatch.setattr(reminder_module, "INDEXES_POLL_MS", 10)
    sql = database.execute_sql("SELECT sql FROM sqlite_master WHERE name = 'sale_live_due'").fetchone()[0]
    with database.atomic():
        database.execute_sql('DROP INDEX "sale_live_due"')
        bulk_indexes.later([sql])
    woke = []
    window.reminder.woke.connect(woke.append)
    window.reminder.today = lambda: TODAY
    window.reminder.last_day = None
    assert window.reminder.check() is None
    assert window.reminder.last_day is None and woke == []  # not yet: it looks again soon
    assert window.reminder.check() is None and woke == []  # its next look: the index still waits
    with qtbot.waitSignal(window.reminder.woke, timeout=20000):
        bulk_indexes.build_later()
    assert window.reminder.last_day == TODAY and len(woke) == 1
