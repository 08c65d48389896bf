"""The customer list and form, driven as a user would: click, type, press keys; then
check what is on screen and what reached the database."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from crmdesk.core.models import Customer
from tests.ui.conftest import type_text
from crmdesk.core.customers import archive as customers


def visible_names(tab) -> list[str]:
    column = tab.model.keys.index("name")
    return [tab.model.index(r, column).data() for r in range(tab.model.rowCount())]


def click_save(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)


def test_create_customer_through_the_form(qtbot, window, tab):
    window.customers_tab.new_action.trigger()
    dialog = tab.dialog
    assert dialog.isVisible()
    type_text(qtbot, dialog.editors["name"].widget, "杭州  娃哈哈 集团")
    type_text(qtbot, dialog.editors["mobile"].widget, "138-0013-8000")
    type_text(qtbot, dialog.editors["city"].widget, "杭州")
    tier = dialog.editors["tier"].widget
    tier.setCurrentIndex(tier.findData("key"))
    dialog.contacts_editor.add_button.click()
    table = dialog.contacts_editor.table
    table.item(0, 0).setText("宗庆后")
    table.item(0, 2).setText("13900001111")
    click_save(qtbot, dialog)
    assert not dialog.isVisible()

    saved = Customer.get(Customer.name == "杭州 娃哈哈 集团")
    assert (saved.mobile, saved.city, saved.tier, saved.code) == ("+8613800138000", "杭州", "key", "C000001")
    assert [c.name for c in saved.contacts] == ["宗庆后"]
    assert visible_names(tab) == ["杭州 娃哈哈 集团"]
    assert tab.profile.customer_id == saved.id
    assert "宗庆后" in tab.profile.contacts.item(0, 0).text()
    # stored in E.164, shown as dialled: in the list, the contacts and the form opened again
    assert tab.model.index(0, tab.model.keys.index("mobile")).data() == "13800138000"
    assert saved.contacts[0].mobile == "+8613900001111" and tab.profile.contacts.item(0, 2).text() == "13900001111"
    again = tab.edit_current()
    assert again.editors["mobile"].widget.text() == "13800138000"
    again.reject()
    assert window.count_label.text().endswith("1")


def test_bad_phone_is_marked_and_nothing_is_saved_or_lost(qtbot, window, tab):
    dialog = tab.new_customer()
    type_text(qtbot, dialog.editors["name"].widget, "坏号码公司")
    type_text(qtbot, dialog.editors["mobile"].widget, "123")
    error = dialog.error_labels["mobile"]
    assert error.isVisible() and "5 digits" in error.text()
    type_text(qtbot, dialog.editors["email"].widget, "not-an-email")
    click_save(qtbot, dialog)

    assert dialog.isVisible(), "a failed save keeps the form open"
    assert dialog.summary.isVisible()
    assert set(dialog.errors_shown()) == {"mobile", "email"}
    assert dialog.editors["mobile"].widget.text() == "123"
    assert dialog.editors["name"].widget.text() == "坏号码公司"
    assert Customer.select().count() == 0

    dialog.editors["mobile"].widget.clear()
    type_text(qtbot, dialog.editors["mobile"].widget, "13812345678")
    assert not error.isVisible()
    dialog.editors["email"].widget.clear()
    click_save(qtbot, dialog)
    assert not dialog.isVisible()
    assert Customer.get().mobile == "+8613812345678"


def test_duplicate_code_and_out_of_range_score_are_refused(qtbot, window, tab, some_customers):
    dialog = tab.new_customer()
    type_text(qtbot, dialog.editors["name"].widget, "重复编号")
    type_text(qtbot, dialog.editors["code"].widget, "C000001")
    assert "already used" in dialog.error_labels["code"].text()
    type_text(qtbot, dialog.editors["birthday"].widget, "2023-02-30")
    click_save(qtbot, dialog)
    assert dialog.isVisible()
    assert set(dialog.errors_shown()) == {"code", "birthday"}
    assert Customer.select().count() == 3


def test_edit_customer_and_see_it_in_list_and_timeline(qtbot, window, tab, some_customers):
    assert tab.select_id(some_customers[1])
    qtbot.keyClick(tab.view, Qt.Key.Key_Return)
    dialog = tab.dialog
    assert dialog.editors["name"].widget.text() == "上海申通物流"
    dialog.editors["city"].widget.clear()
    type_text(qtbot, dialog.editors["city"].widget, "苏州")
    click_save(qtbot, dialog)
    assert customers.get(some_customers[1]).city == "苏州"
    row = tab.model.row_of(some_customers[1])
    assert tab.model.index(row, tab.model.keys.index("city")).data() == "苏州"
    timeline = tab.profile.timeline
    texts = [[timeline.item(r, c).text() for c in range(timeline.columnCount())] for r in range(timeline.rowCount())]
    assert any(t[4] == "上海" and t[5] == "苏州" for t in texts)


def test_edit_conflict_from_two_windows_overwrites_nothing(qtbot, window, tab, some_customers, monkeypatch):
    shown = []
    monkeypatch.setattr("crmdesk.ui.customers.dialog.show_error", lambda parent, error: shown.append(error.code))
    tab.select_id(some_customers[0])
    first = tab.edit_current()
    customers.update(some_customers[0], {"city": "天津"})  # another window saves first
    first.editors["city"].widget.clear()
    type_text(qtbot, first.editors["city"].widget, "广州")
    click_save(qtbot, first)
    assert shown == ["record_changed_elsewhere"]
    assert first.isVisible() and first.editors["city"].widget.text() == "广州"
    assert customers.get(some_customers[0]).city == "天津"


def test_search_by_pinyin_initials_and_short_text(qtbot, tab, some_customers):
    type_text(qtbot, tab.search, "bjhr")
    qtbot.keyClick(tab.search, Qt.Key.Key_Return)
    assert visible_names(tab) == ["北京华润商贸有限公司"]
    tab.search.clear()
    type_text(qtbot, tab.search, "李")
    qtbot.waitUntil(lambda: visible_names(tab) == ["上海申通物流"])
    tab.search.clear()
    type_text(qtbot, tab.search, "shanghai")
    qtbot.waitUntil(lambda: visible_names(tab) == ["上海申通物流"])
    assert "1" in tab.count_label.text() and "3" in tab.count_label.text()


def test_filters(qtbot, tab, some_customers):
    owner = tab.filters["owner"]
    owner.setCurrentIndex(owner.findData("王芳"))
    assert sorted(visible_names(tab)) == ["Acme Trading", "北京华润商贸有限公司"]
    tier = tab.filters["tier"]
    tier.setCurrentIndex(tier.findData("key"))
    assert visible_names(tab) == ["北京华润商贸有限公司"]
    tag = tab.filters["tag"]
    tier.setCurrentIndex(0)
    owner.setCurrentIndex(0)
    tag.setCurrentIndex(tag.findData("VIP"))
    assert visible_names(tab) == ["北京华润商贸有限公司"]


def test_sort_by_clicking_headers(qtbot, tab, some_customers):
    header = tab.view.horizontalHeader()
    name_section = header.logicalIndex(header.visualIndex(tab.model.keys.index("name")))
    assert visible_names(tab) == ["Acme Trading", "北京华润商贸有限公司", "上海申通物流"]  # pinyin order
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=header.rect().topLeft() + _section_center(header, name_section))
    assert visible_names(tab) == ["上海申通物流", "北京华润商贸有限公司", "Acme Trading"]
    city = tab.model.keys.index("city")
    tab.view.sortByColumn(city, Qt.SortOrder.AscendingOrder)
    cities = [tab.model.index(r, city).data() for r in range(3)]
    assert cities == sorted(cities)


def _section_center(header, section):
    from PySide6.QtCore import QPoint
    return QPoint(header.sectionViewportPosition(section) + header.sectionSize(section) // 2, header.height() // 2)


def test_delete_with_del_key_then_undo(qtbot, window, tab, some_customers):
    tab.select_id(some_customers[0])
    tab.view.setFocus()
    qtbot.keyClick(tab.view, Qt.Key.Key_Delete)
    assert "北京华润商贸有限公司" not in visible_names(tab)
    assert customers.get(some_customers[0], include_deleted=True).deleted_at is not None
    assert window.count_label.text().endswith("2")

    window.undo_action.trigger()
    assert "北京华润商贸有限公司" in visible_names(tab)
    assert customers.get(some_customers[0]).deleted_at is None


def test_trash_view_restores(qtbot, window, tab, some_customers):
    customers.delete([some_customers[2]])
    from crmdesk.core.changes import Changes
    window.bus.publish(Changes("customer", "deleted", (some_customers[2],)))
    qtbot.mouseClick(tab.trash_button, Qt.MouseButton.LeftButton)
    assert visible_names(tab) == ["Acme Trading"]
    tab.view.selectAll()
    tab.restore_action.trigger()
    assert visible_names(tab) == []
    tab.trash_button.click()
    assert len(visible_names(tab)) == 3


def test_column_chooser_adds_and_remembers_a_column(qtbot, window, tab, some_customers):
    assert "email" not in tab.model.keys
    tab.set_column("email", True)
    assert "email" in tab.model.keys
    from crmdesk.ui import prefs
    assert "email" in prefs.settings().value("customers/columns")


def test_table_model_passes_qtmodeltester(qtmodeltester, tab, some_customers):
    qtmodeltester.check(tab.model)


def test_profile_shows_sections_contacts_transactions(qtbot, tab, some_customers, window):
    from crmdesk.core.customers import contacts, transactions
    contacts.save_all(some_customers[0], [contacts.ContactData(name="赵敏", title="采购经理", mobile="13700000000",
                                                               is_decision_maker=True)])
    transactions.add(some_customers[0], {"date": "2025-03-01", "product": "纸箱", "amount": "1,200.50"})
    transactions.add(some_customers[0], {"date": "2025-04-01", "product": "胶带", "amount": "300", "paid": "100"})
    tab.select_id(some_customers[1])
    tab.select_id(some_customers[0])
    profile = tab.profile
    assert "北京华润商贸有限公司" in profile.title.text()
    assert "北京" in profile.overview.toPlainText()
    assert profile.contacts.item(0, 0).text() == "赵敏"
    assert profile.transactions.rowCount() == 2
    assert "1,500.50" in profile.totals.text() and "200.00" in profile.totals.text()


def test_keyboard_ctrl_f_searches_and_ctrl_n_opens_the_form(qtbot, window, tab, some_customers):
    window.activateWindow()
    tab.view.setFocus()
    qtbot.keyClick(tab.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert tab.search.hasFocus()
    qtbot.keyClicks(tab.search, "acme")
    qtbot.keyClick(tab.search, Qt.Key.Key_Return)
    assert visible_names(tab) == ["Acme Trading"]
    tab.view.setFocus()
    qtbot.keyClick(tab.view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert tab.dialog.isVisible() and tab.dialog.customer_id is None
    tab.dialog.reject()


def test_double_click_opens_one_form(qtbot, tab, some_customers):
    from PySide6.QtWidgets import QApplication
    from crmdesk.ui.customers.dialog import CustomerDialog
    tab.select_id(some_customers[0])
    rect = tab.view.visualRect(tab.model.index(tab.model.row_of(some_customers[0]), 1))
    viewport, point, button = tab.view.viewport(), rect.center(), Qt.MouseButton.LeftButton
    # the events of a real double click: press, release, double-click, release
    qtbot.mousePress(viewport, button, pos=point)
    qtbot.mouseRelease(viewport, button, pos=point)
    qtbot.mouseDClick(viewport, button, pos=point)
    qtbot.mouseRelease(viewport, button, pos=point)
    forms = [w for w in QApplication.topLevelWidgets() if isinstance(w, CustomerDialog) and w.isVisible()]
    assert len(forms) == 1
    forms[0].reject()


def test_a_customer_saved_in_a_long_list_is_selected(qtbot, window, tab):
    from crmdesk.core.changes import Changes
    for n in range(260):
        customers.create({"name": f"A{n:03d}"})
    window.bus.publish(Changes.reset())
    tab.model.wait_loaded()
    dialog = tab.new_customer()
    type_text(qtbot, dialog.editors["name"].widget, "Zeta")
    with qtbot.waitSignal(tab.model.loaded, timeout=10000):
        click_save(qtbot, dialog)
    assert tab.profile.title.text().startswith("Zeta")


def test_delete_of_a_locked_database_says_so_and_stays_off_the_undo_stack(qtbot, window, tab, some_customers,
                                                                           db_path, monkeypatch):
    import contextlib
    import sqlite3
    from crmdesk.core.models import database
    shown = []
    monkeypatch.setattr("crmdesk.ui.customers.tab.show_error", lambda parent, error: shown.append(error.code))
    database.execute_sql("PRAGMA busy_timeout = 50")
    tab.select_id(some_customers[0])
    with contextlib.closing(sqlite3.connect(db_path, timeout=0)) as other:
        other.execute("BEGIN IMMEDIATE")
        tab.delete_selected()
        other.rollback()
    assert shown == ["db_busy"]
    assert window.undo_stack.count() == 0
    assert customers.get(some_customers[0]).deleted_at is None
