"""File ▸ Import customers: the wizard page by page, with real files, and what reached
the database; Undo import from the result page and from the menu."""
from __future__ import annotations

import threading

import pytest
from openpyxl import Workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QPushButton, QWizard

from crmdesk.core.errors import CrmError
from crmdesk.core.models import Batch, Customer
from crmdesk.core.imports import customer_import as CI
from crmdesk.ui.imports.preview_model import ERROR_BACKGROUND, RowsModel, SampleModel
from crmdesk.ui.errors import error_text
from tests.ui.conftest import type_text

pytest.importorskip("crmdesk.core.io.sheet_read", reason="the spreadsheet reader is not in this tree yet")

HEADERS = ["客户名称", "联系人", "手机", "城市", "邮箱"]
ROWS = [["北京华润商贸有限公司", "王芳", "13812345678", "北京", "wang@huarun.cn"],
        ["上海申通物流", "李强", "13900001111", "上海", "li@sto.cn"],
        ["深圳天虹百货", "张伟", "13711112222", "深圳", "zhang@tianhong.cn"]]


def write_xlsx(path, rows, title="客户"):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def write_csv(path, rows):
    import csv
    with open(path, "w", newline="", encoding="utf-8-sig") as f:
        csv.writer(f).writerows(rows)
    return path


def names():
    return sorted(c.name for c in Customer.select())


def click(qtbot, wizard, which):
    button = wizard.button(which)
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def open_file(qtbot, window, path, action=None):
    """File ▸ Import customers… (or ``action``, from the same menu), type the file's name,
    Enter; wait until it was read."""
    action = action or window.import_action
    assert action in window.menuBar().actions()[0].menu().actions()
    action.trigger()
    wizard = window.import_wizard
    qtbot.waitExposed(wizard)
    page = wizard.file_page
    type_text(qtbot, page.path_edit, str(path))
    qtbot.keyClick(page.path_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not wizard.busy and bool(page.message.text() or wizard.plan is not None))
    return wizard


def to_preview(qtbot, wizard):
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentPage() is wizard.mapping_page
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentPage() is wizard.preview_page
    qtbot.waitUntil(lambda: wizard.preview_page.loaded and not wizard.busy)
    return wizard.preview_page


def do_import(qtbot, wizard):
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    # a bound on waiting, not on speed: 10,000 rows on a machine busy with other work take longer than 5 s
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.result_page, timeout=120_000)
    return wizard.result_page


def test_happy_path_with_chinese_headers(qtbot, window, tmp_path):
    path = write_xlsx(tmp_path / "客户名单.xlsx", [HEADERS] + ROWS)
    wizard = open_file(qtbot, window, path)
    page = wizard.file_page
    assert page.message.text() == ""
    assert page.sheet_combo.currentText() == "客户"
    assert page.header_spin.value() == 1
    assert page.info.text() == "The headers are in row 1."
    assert page.sample.rowCount() == 4 and page.sample.is_header(0) and not page.sample.is_header(1)
    assert page.sample.data(page.sample.index(1, 0)) == "北京华润商贸有限公司"

    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    mapping = wizard.mapping_page
    assert [mapping.table.item(r, 1).text() for r in range(5)] == HEADERS
    assert [c.currentText() for c in mapping.combos] == ["Name", "Contact", "Mobile", "City", "Email"]
    assert mapping.table.item(0, 2).text() == "北京华润商贸有限公司 · 上海申通物流 · 深圳天虹百货"
    assert mapping.note.isHidden()

    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    preview = wizard.preview_page
    qtbot.waitUntil(lambda: preview.loaded and not wizard.busy)
    assert preview.summary.text() == "All 3 rows are ready to import."
    assert preview.model.rowCount() == 3
    assert preview.model.headerData(0, Qt.Orientation.Vertical) == "2"
    assert wizard.button(QWizard.WizardButton.CommitButton).text() == "&Import"

    result = do_import(qtbot, wizard)
    assert result.text.text() == "Created 3, updated 0, skipped 0, rejected 0."
    assert result.open_book_button.isHidden()
    assert names() == sorted(r[0] for r in ROWS)
    huarun = Customer.get(Customer.name == "北京华润商贸有限公司")
    assert (huarun.contact_person, huarun.mobile, huarun.city) == ("王芳", "+8613812345678", "北京")
    assert window.customers_tab.model.rowCount() == 3  # the tab heard of the import
    assert window.count_label.text() == "Customers: 3"
    click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    assert not wizard.isVisible()


def test_a_cell_in_error_is_fixed_in_place_then_imported(qtbot, window, tmp_path):
    rows = [HEADERS] + ROWS[:1] + [["上海申通物流", "李强", "13900001111", "上海", "li-at-sto"]] + ROWS[2:]
    wizard = open_file(qtbot, window, write_csv(tmp_path / "customers.csv", rows))
    preview = to_preview(qtbot, wizard)
    model = preview.model
    assert preview.summary.text() == "2 of 3 rows are ready to import; 1 has errors."

    qtbot.mouseClick(preview.errors_only, Qt.MouseButton.LeftButton)
    assert model.rowCount() == 1
    assert model.headerData(0, Qt.Orientation.Vertical) == "3"  # the file's line number
    bad = model.index(0, 4)
    assert model.data(bad) == "li-at-sto"
    assert model.data(bad, Qt.ItemDataRole.BackgroundRole).color() == ERROR_BACKGROUND
    assert model.data(bad, Qt.ItemDataRole.ToolTipRole)  # the sentence saying why
    assert model.data(model.index(0, 0), Qt.ItemDataRole.BackgroundRole) is None

    view = preview.table
    view.setCurrentIndex(bad)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    type_text(qtbot, editor, "li@sto.cn")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: model.data(bad) == "li@sto.cn")  # the view commits after the key
    assert model.data(bad, Qt.ItemDataRole.BackgroundRole) is None
    assert preview.summary.text() == "All 3 rows are ready to import."

    result = do_import(qtbot, wizard)
    assert result.text.text() == "Created 3, updated 0, skipped 0, rejected 0."
    assert Customer.get(Customer.name == "上海申通物流").email == "li@sto.cn"


def test_rows_left_in_error_are_skipped_and_written_to_an_error_workbook(qtbot, window, tmp_path, monkeypatch):
    from python_calamine import CalamineWorkbook
    rows = [HEADERS] + ROWS[:2] + [["坏邮箱公司", "", "", "", "bad"]]
    path = write_xlsx(tmp_path / "list.xlsx", rows)
    wizard = open_file(qtbot, window, path)
    to_preview(qtbot, wizard)
    result = do_import(qtbot, wizard)
    assert result.text.text() == "Created 2, updated 0, skipped 0, rejected 1."
    book = tmp_path / "list-errors.xlsx"
    assert str(book) in result.notes.text()
    sheet = CalamineWorkbook.from_path(str(book)).get_sheet_by_index(0).to_python()
    assert sheet[1][0] == "坏邮箱公司"
    opened = []
    monkeypatch.setattr("crmdesk.ui.imports.result_page.QDesktopServices.openUrl",
                        lambda url: opened.append(url.toLocalFile()) or True)
    qtbot.mouseClick(result.open_book_button, Qt.MouseButton.LeftButton)
    assert opened == [str(book)]


def test_cancel_during_the_import_leaves_the_database_unchanged(qtbot, window, tmp_path, monkeypatch):
    rows = [HEADERS] + [[f"客户{i:04d}", "", f"139{i:08d}", "北京", ""] for i in range(1000)]
    wizard = open_file(qtbot, window, write_xlsx(tmp_path / "big.xlsx", rows))
    preview = to_preview(qtbot, wizard)
    assert preview.summary.text() == "All 1000 rows are ready to import."

    reached, released = threading.Event(), threading.Event()
    real_run = CI.run

    def run(rows, plan, options, *, progress, **kw):
        def progress_then_wait(done, total, message):
            if done >= 250 and not reached.is_set():  # rows are in the open transaction now
                reached.set()
                released.wait(60)  # until the user pressed Cancel
            progress(done, total, message)
        return real_run(rows, plan, options, progress=progress_then_wait, **kw)
    monkeypatch.setattr(CI, "run", run)

    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    qtbot.waitUntil(reached.is_set)
    dialog = wizard.task.dialog
    cancel = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Cancel")
    cancel.click()
    released.set()
    qtbot.waitUntil(lambda: not wizard.busy)
    assert wizard.currentPage() is preview
    assert preview.message.text() == "The import was cancelled: nothing was imported."
    assert Customer.select().count() == 0
    assert Batch.select().count() == 0
    assert wizard.button(QWizard.WizardButton.CommitButton).isEnabled()  # it can be tried again


def test_a_file_that_is_not_a_spreadsheet_shows_one_sentence_and_next_stays_disabled(qtbot, window, tmp_path):
    path = tmp_path / "photo.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    wizard = open_file(qtbot, window, path)
    text = wizard.file_page.message.text()
    assert text == error_text(CrmError("file_not_spreadsheet", path=str(path)))
    assert "\n" not in text
    assert wizard.plan is None
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert Customer.select().count() == 0


def test_a_missing_file_says_so(qtbot, window, tmp_path):
    wizard = open_file(qtbot, window, tmp_path / "nowhere.xlsx")
    assert "nowhere.xlsx" in wizard.file_page.message.text()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def test_a_mapping_made_by_hand_is_remembered_for_the_next_file(qtbot, window, tmp_path):
    headers = ["单位", "手机", "片区"]
    first = write_xlsx(tmp_path / "一月.xlsx", [headers, ["华润", "13812345678", "北京"]])
    wizard = open_file(qtbot, window, first)
    assert wizard.file_page.message.text()  # does not look like a customer list...
    assert wizard.file_page.info.text() == "You can still map the columns yourself on the next page."
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    mapping = wizard.mapping_page
    assert [c.currentData() for c in mapping.combos] == ["", "mobile", ""]
    assert mapping.problem.text() == ("No column is mapped to a name: map the column with the customer's or the "
                                      "contact's name to one of Name / Contact / First name / Last name.")
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    mapping.set_target(0, "name")
    mapping.set_target(2, "mobile")
    assert mapping.problem.text() == "Two columns are mapped to Mobile: keep one of them."
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    mapping.set_target(2, "city")
    assert [c.currentText() for c in mapping.combos] == ["Name", "Mobile", "City"]
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    qtbot.waitUntil(lambda: wizard.preview_page.loaded and not wizard.busy)
    do_import(qtbot, wizard)
    click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    assert Customer.get(Customer.name == "华润").city == "北京"

    second = write_xlsx(tmp_path / "二月.xlsx", [headers, ["申通", "13900001111", "上海"]])
    wizard = open_file(qtbot, window, second)
    assert wizard.file_page.message.text() == ""
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    mapping = wizard.mapping_page
    assert [c.currentData() for c in mapping.combos] == ["name", "mobile", "city"]
    assert mapping.note.text() == "The columns are mapped as you mapped them last time for a file with these headers."
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    qtbot.waitUntil(lambda: wizard.preview_page.loaded and not wizard.busy)
    do_import(qtbot, wizard)
    assert Customer.get(Customer.name == "申通").city == "上海"


def test_sheet_and_header_row_can_be_chosen(qtbot, window, tmp_path):
    wb = Workbook()
    wb.active.title = "说明"
    wb.active.append(["这个工作表只有说明"])
    ws = wb.create_sheet("名单")
    ws.append(["2024年客户名单"])
    ws.append(HEADERS)
    ws.append(ROWS[0])
    path = tmp_path / "two.xlsx"
    wb.save(path)
    wizard = open_file(qtbot, window, path)
    page = wizard.file_page
    assert page.sheet_combo.currentText() == "名单"
    assert page.header_spin.value() == 2 and page.sample.is_header(1) and not page.sample.is_header(0)
    page.sheet_combo.setCurrentIndex(0)
    page.sheet_combo.activated.emit(0)
    qtbot.waitUntil(lambda: not wizard.busy and bool(page.message.text()))
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    page.sheet_combo.setCurrentIndex(1)
    page.sheet_combo.activated.emit(1)
    qtbot.waitUntil(lambda: not wizard.busy and wizard.plan is not None)
    page.header_spin.setValue(2)
    qtbot.waitUntil(lambda: not wizard.busy and wizard.plan is not None)
    assert wizard.plan.layout.header_row == 2
    to_preview(qtbot, wizard)
    assert wizard.preview_page.summary.text() == "The only row is ready to import."


def test_undo_from_the_result_page(qtbot, window, tmp_path, monkeypatch):
    wizard = open_file(qtbot, window, write_xlsx(tmp_path / "a.xlsx", [HEADERS] + ROWS))
    to_preview(qtbot, wizard)
    result = do_import(qtbot, wizard)
    assert Customer.select().count() == 3
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(result.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(result.undo_text.text()))
    assert result.undo_text.text().startswith("Import undone: 3 customers removed")
    assert Customer.select().count() == 0
    assert window.customers_tab.model.rowCount() == 0
    assert not result.undo_button.isEnabled()


def test_undo_import_from_the_menu(qtbot, window, tmp_path, monkeypatch):
    wizard = open_file(qtbot, window, write_xlsx(tmp_path / "a.xlsx", [HEADERS] + ROWS))
    to_preview(qtbot, wizard)
    do_import(qtbot, wizard)
    click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    assert window.customers_tab.model.rowCount() == 3
    asked, told = [], []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda parent, title, text, *a: asked.append(text) or QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text, *a: told.append(text))
    edit_menu = window.menuBar().actions()[1].menu()
    assert window.undo_import_action in edit_menu.actions()
    window.undo_import_action.trigger()
    qtbot.waitUntil(lambda: bool(told))
    assert "a.xlsx" in asked[0]
    assert told == ["Import undone: 3 customers removed, 0 moved to the trash because they were edited "
                    "since, 0 customers put back as they were."]
    # ...and with every count at one: singular English, and the transactions and conflicts too.
    from crmdesk.core.imports.undo import UndoResult
    from crmdesk.ui.imports.result_page import undo_sentence
    assert undo_sentence(UndoResult(1, removed=1, trashed=1, restored=1, conflicts=1, transactions=1)) == (
        "Import undone: 1 customer removed, 1 moved to the trash because it was edited since, 1 customer put "
        "back as it was. 1 transaction was removed. 1 field was changed again after the import, so it was "
        "left as it is now.")
    assert undo_sentence(UndoResult(1, removed=2, restored=2, conflicts=2, transactions=2)).endswith(
        "2 customers put back as they were. 2 transactions were removed. 2 fields were changed again after "
        "the import, so they were left as they are now.")
    assert Customer.select().count() == 0
    assert window.customers_tab.model.rowCount() == 0

    window.undo_import_action.trigger()  # nothing left to undo
    assert window.errors_shown == ["no_import_to_undo"]


def test_preview_models_pass_the_model_tester(qtmodeltester, tmp_path, db):
    from crmdesk.core.io.sheet_read import open_source
    from crmdesk.core.imports.options import ImportOptions
    path = write_xlsx(tmp_path / "m.xlsx", [HEADERS] + ROWS + [["坏", "", "", "", "bad"]])
    with open_source(path) as source:
        plan = CI.prepare(source, ImportOptions())
        rows = list(CI.sheet_rows(source, plan))
        sample = SampleModel()
        sample.set_rows(source.preview(plan.sheet, 50), (1, 1))
    for row in rows:
        CI.check_row(row, plan, ImportOptions())
    model = RowsModel()
    model.set_rows(rows, plan.layout, plan.width)
    qtmodeltester.check(model)
    assert model.errors == 1
    model.show_errors_only(True)
    qtmodeltester.check(model)
    assert model.rowCount() == 1
    qtmodeltester.check(sample)
