"""The wizard's "A row with a bad value" choice (issue 21): rows checked again, the kept cells
marked yellow with the reason, and every customer of customers-100.xlsx imported."""
from __future__ import annotations

import shutil

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from crmdesk.core.models import Customer
from crmdesk.ui.imports.preview_model import ERROR_BACKGROUND, KEPT_BACKGROUND
from tests.ui.imports.test_import_wizard import click, do_import, open_file, to_preview


def test_keeping_bad_values_imports_every_row(qtbot, window, tmp_path, shared_data):
    path = tmp_path / "customers-100.xlsx"
    shutil.copyfile(shared_data / "en/customers-100.xlsx", path)
    wizard = open_file(qtbot, window, path)
    preview = to_preview(qtbot, wizard)
    assert preview.summary.text() == "95 of 100 rows are ready to import; 5 have errors."
    combo = preview.bad_values_combo
    assert combo.isVisible() and combo.currentData() == "reject"
    model = preview.model
    row = next(i for i in range(model.rowCount()) if model.row_at(i).errors)
    column = next(iter(model.marks[row]))
    assert model.data(model.index(row, column), Qt.ItemDataRole.BackgroundRole).color() == ERROR_BACKGROUND

    combo.setCurrentIndex(combo.findData("keep"))
    combo.activated.emit(combo.currentIndex())
    qtbot.waitUntil(lambda: preview.loaded and not wizard.busy)
    assert preview.summary.text() == ("All 100 rows are ready to import. 5 rows will keep a bad value in the notes "
                                      "(marked yellow).")
    cell = model.index(row, column)
    assert model.data(cell, Qt.ItemDataRole.BackgroundRole).color() == KEPT_BACKGROUND
    assert model.data(cell, Qt.ItemDataRole.ToolTipRole).endswith("It will be kept in the notes.")

    result = do_import(qtbot, wizard)
    assert result.text.text() == "Created 100, updated 0, skipped 0, rejected 0."
    assert "5 rows went in with a value its field could not take" in result.notes.text()
    assert Customer.select().count() == 100
    assert "Phone 1 (not a phone number): -1199" in Customer.get(Customer.name == "Murillo-Perry").notes
    click(qtbot, wizard, QWizard.WizardButton.FinishButton)


def test_transactions_have_no_such_choice(qtbot, window, tmp_path, shared_data):
    path = tmp_path / "superstore.xls"
    shutil.copyfile(shared_data / "transactions/superstore.xls", path)
    wizard = open_file(qtbot, window, path, window.import_transactions_action)
    preview = to_preview(qtbot, wizard)
    assert not preview.bad_values_combo.isVisible()
