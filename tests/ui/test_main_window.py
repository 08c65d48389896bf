"""The main window: tabs, menus, status bar, database files, backup and restore,
window state and language."""
from __future__ import annotations

import hashlib
import sqlite3

from crmdesk.__main__ import main
from crmdesk.core.models import Customer
from crmdesk.core.customers import archive as customers


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_tabs_menus_and_status_bar(window, db_path):
    assert window.tabs.tabText(0) == "Customers"
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus == ["&File", "&Edit", "&View", "V&isits", "Com&plaints", "Ca&re", "&Sales", "&Help"]
    assert window.tabs.tabText(1) == "Visits"
    assert window.tabs.tabText(2) == "Complaints"
    assert window.tabs.tabText(3) == "Care"
    assert window.tabs.tabText(4) == "Analytics"
    assert window.tabs.tabText(5) == "Sales"
    assert str(db_path) in window.path_label.text()
    assert window.count_label.text() == "Customers: 0"
    customers.create({"name": "新客户"})
    window.customers_tab.bus.publish(customers.restore([]))  # any change refreshes the count
    assert window.count_label.text() == "Customers: 1"


def test_backup_runs_off_the_gui_thread_and_restore_brings_data_back(qtbot, window, tmp_path):
    customers.create({"name": "备份前的客户"})
    target = tmp_path / "copy.sqlite"
    task = window.run_backup(target)
    with qtbot.waitSignal(task.finished, timeout=10000):
        pass
    with sqlite3.connect(target) as conn:
        assert conn.execute("select name from customer").fetchall() == [("备份前的客户",)]

    customers.create({"name": "备份后的客户"})
    assert window.restore_from(target, confirm=False)
    assert [c.name for c in Customer.select()] == ["备份前的客户"]
    assert window.customers_tab.model.rowCount() == 1
    assert window.count_label.text() == "Customers: 1"


def test_restore_refuses_a_file_that_is_not_a_backup(window, tmp_path):
    customers.create({"name": "留下"})
    bogus = tmp_path / "notes.sqlite"
    bogus.write_text("just text")
    assert not window.restore_from(bogus, confirm=False)
    assert window.errors_shown == ["restore_not_crmdesk"]
    assert [c.name for c in Customer.select()] == ["留下"]


def test_opening_a_file_that_is_not_sqlite_keeps_the_current_database(window, tmp_path, db_path):
    customers.create({"name": "当前"})
    bogus = tmp_path / "report.sqlite"
    bogus.write_bytes(b"PK\x03\x04 this is a zip, not a database")
    before = digest(bogus)
    assert not window.switch_database(bogus, create=False)
    assert window.errors_shown == ["db_not_sqlite"]
    assert digest(bogus) == before
    assert window.db_path == db_path
    assert [c.name for c in Customer.select()] == ["当前"]


def test_new_database_switches_and_empties_the_list(window, tmp_path):
    customers.create({"name": "旧库客户"})
    window.customers_tab.bus.publish(customers.restore([]))
    assert window.switch_database(tmp_path / "second.sqlite", create=True)
    assert window.customers_tab.model.rowCount() == 0
    assert "second.sqlite" in window.path_label.text()


def test_window_geometry_is_restored(qtbot, db_path):
    from crmdesk.ui.app import create_main_window
    first = create_main_window(str(db_path))
    qtbot.addWidget(first)
    first.resize(720, 520)  # the offscreen screen is 800x600
    first.customers_tab.set_column("email", True)
    first.close()
    second = create_main_window(str(db_path))
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (720, 520)
    assert "email" in second.customers_tab.model.keys


def test_chinese_interface(qtbot, db_path):
    from crmdesk.ui import prefs
    from crmdesk.ui.app import create_main_window, install_translations, make_app
    prefs.set_language("zh_CN")
    try:
        main_window = create_main_window(str(db_path))
        qtbot.addWidget(main_window)
        assert main_window.tabs.tabText(0) == "客户"
        assert [a.text() for a in main_window.menuBar().actions()][0] == "文件(&F)"
        tab = main_window.customers_tab
        assert tab.source.header("code") == "客户编号"
        assert tab.source.display("tier", "key") == "重点客户"
        assert tab.source.display("relationship", "transactional") == "买卖关系"
    finally:
        prefs.set_language("system")
        install_translations(make_app(), "en")


def test_gui_refuses_a_database_from_a_newer_crmdesk(tmp_path, monkeypatch, qapp):
    path = tmp_path / "future.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA application_id = 1129467204")
        conn.execute("PRAGMA user_version = 999")
        conn.execute("create table customer (id integer primary key)")
    before = digest(path)
    messages = []
    from PySide6.QtWidgets import QMessageBox
    monkeypatch.setattr(QMessageBox, "exec", lambda self: messages.append(self.text()) or 0)
    assert main(["--db", str(path)]) == 2
    assert "newer crmdesk" in messages[0]
    assert digest(path) == before


def test_settings_dialog_stores_the_language(qtbot, window):
    from crmdesk.ui import prefs
    from crmdesk.ui.settings_dialog import SettingsDialog
    dialog = SettingsDialog(window)
    qtbot.addWidget(dialog)
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.accept()
    assert prefs.language() == "en"


def test_a_daily_automatic_backup_is_made_at_start(qtbot, db_path, data_dir):
    from crmdesk.core.safety import generations
    from crmdesk.ui.app import create_main_window
    first = create_main_window(str(db_path))
    qtbot.addWidget(first)
    first.tasks.wait(10000)
    qtbot.waitUntil(lambda: first.daily_backup.done)
    assert len(generations.list_automatic(db_path)) == 1
    second = create_main_window(str(db_path))  # the same day: no second generation
    qtbot.addWidget(second)
    second.tasks.wait(10000)
    qtbot.waitUntil(lambda: second.daily_backup.done)
    assert len(generations.list_automatic(db_path)) == 1


def test_only_the_customer_list_is_built_at_start(qtbot, window):
    """The window shows with the customer list; the other tabs are built when first opened
    (a click on the title, show_visits(), their menu), their titles there from the start."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QTabBar
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
        "Customers", "Visits", "Complaints", "Care", "Analytics", "Sales"]
    assert list(window.lazy.widgets) == ["customers"]
    assert window.tabs.currentWidget() is window.customers_tab
    bar = window.tabs.findChild(QTabBar)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(2).center())
    assert window.lazy.is_built("complaints") and window.tabs.currentWidget() is window.complaints_tab
    assert not window.lazy.is_built("visits")
    assert window.show_visits() is window.visits_tab and window.tabs.currentIndex() == 1
    assert not window.lazy.is_built("care")
    window.care_menu.aboutToShow.emit()  # opening the Care menu builds its tab and lists its actions
    assert window.lazy.is_built("care") and window.care_tab.new_action in window.care_menu.actions()
    assert window.tabs.currentIndex() == 1  # without leaving the current tab
    assert not window.lazy.is_built("analytics")
    assert window.analytics_tab is window.tabs.widget(4)  # built on access, where its title is


def test_settings_dialog_switches_the_language_at_once(qtbot, window):
    from crmdesk.ui import prefs
    dialog = window.settings_dialog()
    dialog.language.setCurrentIndex(dialog.language.findData("zh_CN"))
    dialog.accept()
    qtbot.waitUntil(lambda: window.retranslations == 1)
    assert prefs.language() == "zh_CN" and window.tabs.tabText(0) != "Customers"
    dialog = window.settings_dialog()
    dialog.language.setCurrentIndex(dialog.language.findData("system"))
    dialog.accept()
    qtbot.waitUntil(lambda: window.retranslations == 2)


def test_the_start_up_benchmark_hook_prints_and_quits(db_path, data_dir):
    """CRMDESK_BENCH_START (benchmarks/bench_start.py): the app prints the seconds to the
    customer list's first rows and quits by itself."""
    import os
    import subprocess
    import sys
    from pathlib import Path
    from crmdesk.core.db import close_database, open_database
    open_database(db_path)
    customers.create({"name": "北京华润商贸有限公司"})
    close_database()
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PYTHONPATH=str(root), QT_QPA_PLATFORM="offscreen", CRMDESK_DATA_DIR=str(data_dir),
               CRMDESK_BENCH_START="0")
    result = subprocess.run([sys.executable, "-m", "crmdesk", "--db", str(db_path)], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    marks = [line.split() for line in result.stdout.splitlines() if line.startswith("CRMDESK_FIRST_ROWS")]
    assert len(marks) == 1 and float(marks[0][1]) > 0
