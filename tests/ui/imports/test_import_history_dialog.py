"""Edit ▸ Import history: every recent import with what it did; any one of them undone,
after a confirmation saying what will happen; undone ones shown as such and not undoable."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWizard

from crmdesk.core.models import Customer, Transaction
from crmdesk.core.imports import customer_import as CI
from crmdesk.core.imports import transaction_import as TI
from crmdesk.core.imports import undo
from crmdesk.core.imports.options import ImportOptions
from crmdesk.ui.imports.history_dialog import DID, FILE, KIND, STATE, WHEN, local_time
from tests.ui.imports.test_import_wizard import HEADERS, ROWS, click, do_import, open_file, to_preview, write_xlsx

pytest.importorskip("crmdesk.core.io.sheet_read", reason="the spreadsheet reader is not in this tree yet")


def open_history(qtbot, window):
    edit_menu = window.menuBar().actions()[1].menu()
    assert window.import_history_action in edit_menu.actions()
    window.import_history_action.trigger()
    dialog = window.import_history_window
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.loaded and not dialog.busy)
    return dialog


def cells(dialog, column):
    return [dialog.table.item(row, column).text() for row in range(dialog.table.rowCount())]


def click_row(qtbot, dialog, row):
    rect = dialog.table.visualRect(dialog.table.model().index(row, FILE))
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


@pytest.fixture
def three_imports(window, tmp_path, qtbot):
    """Customers (a.xlsx), then sales for two of them and a new one (sales.xlsx), then a
    change of one customer's city (b.xlsx); the first through the wizard."""
    wizard = open_file(qtbot, window, write_xlsx(tmp_path / "a.xlsx", [HEADERS] + ROWS))
    to_preview(qtbot, wizard)
    do_import(qtbot, wizard)
    click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    sales, _ = TI.import_file(write_xlsx(tmp_path / "sales.xlsx", [
        ["客户名称", "日期", "金额"], ["北京华润商贸有限公司", "2024-05-05", 100],
        ["第四家", "2024-05-06", 50]]), ImportOptions())
    moved = ["深圳天虹百货", "张伟", "13711112222", "广州", ""]
    change, _ = CI.import_file(write_xlsx(tmp_path / "b.xlsx", [HEADERS, moved]), ImportOptions())
    from crmdesk.core.changes import Changes
    window.bus.publish(Changes.reset())  # the command line's imports, as a restart would show them
    return Customer.get(Customer.name == "北京华润商贸有限公司").created_at, sales.batch_id, change.batch_id


def test_the_history_lists_each_import_and_undoes_an_older_one(qtbot, window, three_imports, monkeypatch):
    when, sales_batch, change_batch = three_imports
    assert window.customers_tab.model.rowCount() == 4
    dialog = open_history(qtbot, window)
    assert dialog.windowTitle() == "Import history"
    assert cells(dialog, FILE) == ["b.xlsx", "sales.xlsx", "a.xlsx"]
    assert cells(dialog, KIND) == ["Customers", "Transactions", "Customers"]
    assert cells(dialog, DID) == ["1 customer changed", "2 transactions added, 1 new customer", "3 customers added"]
    assert cells(dialog, WHEN)[2] == local_time(when)
    assert cells(dialog, STATE) == ["", "", ""]
    assert dialog.selected().batch_id == change_batch and dialog.undo_button.isEnabled()

    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda parent, title, text, *a: asked.append(text) or QMessageBox.StandardButton.Yes)
    click_row(qtbot, dialog, 2)
    assert dialog.selected().description == "a.xlsx"
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.loaded and not dialog.busy and bool(dialog.status.text()))
    assert asked == [f"Take back the import of a.xlsx made {local_time(when)} (3 customers added)? The customers it "
                     "added are removed (one edited since goes to the trash instead), and the customers it changed "
                     "get their earlier values back unless they were changed again since."]
    # 上海申通物流 goes; 北京华润 (a sale since) and 深圳天虹 (changed since) go to the trash.
    sentence = ("Import undone: 1 customer removed, 2 moved to the trash because they were edited since, "
                "0 customers put back as they were.")
    assert dialog.status.text() == sentence
    assert window.statusBar().currentMessage() == sentence
    assert sorted(c.name for c in Customer.select().where(Customer.deleted_at.is_null())) == ["第四家"]
    assert Customer.select().count() == 3
    assert Transaction.select().count() == 2  # the sales stay: they belong to the later import
    assert window.customers_tab.model.rowCount() == 1  # the list heard of the undo

    assert cells(dialog, STATE)[2] != "" and cells(dialog, STATE)[:2] == ["", ""]
    assert dialog.selected().description == "a.xlsx" and not dialog.undo_button.isEnabled()
    assert dialog.table.item(2, FILE).toolTip() == "This import was undone already."
    click_row(qtbot, dialog, 1)
    assert dialog.undo_button.isEnabled()
    asked.clear()
    monkeypatch.setattr(QMessageBox, "question",
                        lambda parent, title, text, *a: asked.append(text) or QMessageBox.StandardButton.No)
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    assert asked[0].startswith("Take back the import of sales.xlsx made ")
    assert "(2 transactions added, 1 new customer)? The transactions it added are removed" in asked[0]
    assert Transaction.select().count() == 2 and not dialog.busy  # No: nothing happened
    dialog.close()


def test_an_import_undone_elsewhere_meanwhile_says_so(qtbot, window, three_imports, monkeypatch):
    _when, sales_batch, _change = three_imports
    dialog = open_history(qtbot, window)
    click_row(qtbot, dialog, 1)
    undo.undo_import(str(sales_batch))  # from the command line, while the dialog is open
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.loaded and not dialog.busy and bool(cells(dialog, STATE)[1]))
    assert dialog.status.text() == f"Import {sales_batch} was undone already."
    assert not dialog.undo_button.isEnabled()
    assert Transaction.select().count() == 0


def test_a_transaction_import_undone_from_the_history(qtbot, window, tmp_path, monkeypatch):
    TI.import_file(write_xlsx(tmp_path / "sales.xlsx", [["客户名称", "日期", "金额"], ["甲", "2024-05-05", 1],
                                                         ["乙", "2024-05-06", 2]]), ImportOptions())
    from crmdesk.core.changes import Changes
    window.bus.publish(Changes.reset())
    assert window.customers_tab.model.rowCount() == 2
    dialog = open_history(qtbot, window)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.loaded and not dialog.busy and bool(dialog.status.text()))
    assert dialog.status.text() == ("Import undone: 2 customers removed, 0 moved to the trash because they were "
                                    "edited since, 0 customers put back as they were. 2 transactions were removed.")
    assert Transaction.select().count() == 0 and Customer.select().count() == 0
    assert window.customers_tab.model.rowCount() == 0
    assert window.count_label.text() == "Customers: 0"


def test_no_imports_yet(qtbot, window):
    dialog = open_history(qtbot, window)
    assert dialog.table.rowCount() == 0
    assert dialog.status.text() == ("No imports yet: File ▸ Import customers… and File ▸ Import transactions… add "
                                    "them here.")
    assert not dialog.undo_button.isEnabled()
    assert dialog.undo_selected() is None
    assert isinstance(local_time(dt.datetime(2024, 5, 5, 8, 30)), str)
