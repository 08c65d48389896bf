"""Issue 18 in the import wizard: the template's example row imports nothing and the
result says why; a customer number of a customer with another name is a rejected row
shown in the preview, with its reason in the error workbook."""
from __future__ import annotations

from PySide6.QtCore import Qt
from python_calamine import CalamineWorkbook

from crmdesk.core.models import Customer, Transaction
from crmdesk.core.customers import archive as customers, export
from crmdesk.ui.imports.preview_model import ERROR_BACKGROUND
from tests.ui.imports.test_import_wizard import do_import, open_file, to_preview, write_xlsx

MISMATCH = ("C000001 is 合肥协和五金有限公司, not Minghua Trading: correct the customer number or the name "
            "in this row; nothing of it was imported.")


def test_the_untouched_template_adds_nothing_and_says_so(qtbot, window, tmp_path):
    path = export.template_customers(tmp_path / "template.xlsx", "en")
    wizard = open_file(qtbot, window, path)
    preview = to_preview(qtbot, wizard)
    assert preview.summary.text() == "The only row has errors."
    assert "example row, which is never imported" in preview.model.data(
        preview.model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    result = do_import(qtbot, wizard)
    assert result.text.text() == "Created 0, updated 0, skipped 0, rejected 0."
    assert "only the template's example row, which is never imported" in result.notes.text()
    assert not result.undo_button.isEnabled()  # no empty import in the history
    assert Customer.select().count() == 0


def test_a_number_of_another_customer_is_a_row_error_in_the_wizard(qtbot, window, tmp_path):
    customers.create({"name": "合肥协和五金有限公司"})
    path = write_xlsx(tmp_path / "sales.xlsx", [["客户编号", "客户名称", "日期", "金额"],
                                                ["C000001", "Minghua Trading", "2026-01-02", 12800],
                                                ["C000001", "合肥协和五金", "2026-01-03", 7]])
    wizard = open_file(qtbot, window, path, window.import_transactions_action)
    preview = to_preview(qtbot, wizard)
    assert "1 has errors" in preview.summary.text()
    qtbot.mouseClick(preview.errors_only, Qt.MouseButton.LeftButton)
    model = preview.model
    assert model.rowCount() == 1 and model.headerData(0, Qt.Orientation.Vertical) == "2"
    name = model.index(0, 1)
    assert model.data(name) == "Minghua Trading"
    assert model.data(name, Qt.ItemDataRole.BackgroundRole).color() == ERROR_BACKGROUND
    assert MISMATCH in model.data(name, Qt.ItemDataRole.ToolTipRole)  # the sentence, on the cell
    result = do_import(qtbot, wizard)
    assert result.text.text() == "Transactions added: 1; new customers: 0; skipped: 0; rejected: 1."
    book = tmp_path / "sales-errors.xlsx"
    assert str(book) in result.notes.text()
    sheet = CalamineWorkbook.from_path(str(book)).get_sheet_by_index(0).to_python()
    assert sheet[1][1] == "Minghua Trading" and any(MISMATCH in str(cell) for cell in sheet[1])
    assert [int(t.amount) for t in Transaction.select()] == [7]
