"""File ▸ Import products: the import wizard for a product list (header synonyms, a bad
row marked and left out), the Products page hearing of it; and its Undo button taking the
import back."""
from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWizard

from crmdesk.core.models import Product
from crmdesk.core.sales import products
from tests.ui.imports.test_import_wizard import click, do_import, open_file, write_xlsx


def test_import_products_through_the_wizard_and_undo_it(qtbot, window, tmp_path, english, monkeypatch):
    products.create({"name": "不锈钢阀", "code": "V1", "list_price": "100"})
    page = window.show_sales().products_page
    window.show_sales().pages.setCurrentWidget(page)
    path = write_xlsx(tmp_path / "产品.xlsx", [["货号", "品名", "分类", "售价"],
                                              ["V1", "不锈钢球阀", "阀门", 120],
                                              ["F9", "法兰", "管件", "35.5"],
                                              ["X1", "坏价格", None, "lots"]], title="产品")
    wizard = open_file(qtbot, window, path, window.import_products_action)
    assert wizard.windowTitle() == "Import products"
    assert wizard.file_page.message.text() == ""
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert [c.currentText() for c in wizard.mapping_page.combos] == ["Code", "Name", "Category", "List price"]
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    preview = wizard.preview_page
    qtbot.waitUntil(lambda: preview.loaded and not wizard.busy)
    assert preview.model.rowCount() == 3
    result = do_import(qtbot, wizard)
    assert result.text.text() == "Products created: 1; updated: 1; unchanged: 0; rejected: 1."
    assert result.undo_button.isVisible() and result.undo_button.isEnabled()
    assert [(p.code, p.name, p.category, p.list_price) for p in Product.select().order_by(Product.id)] == [
        ("V1", "不锈钢球阀", "阀门", Decimal(120)), ("F9", "法兰", "管件", Decimal("35.5"))]
    assert [page.model.index(r, 0).data() for r in range(page.model.rowCount())] == ["不锈钢球阀", "法兰"]

    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda parent, title, text, *a: asked.append(text) or QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(result.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(result.undo_text.text()))
    assert asked == ["Take back this import? The products it added go to the trash and the ones it changed get "
                     "their earlier values back."]
    assert result.undo_text.text() == "Import undone: 1 product moved to the trash, 1 product put back as it was."
    assert [(p.code, p.name, p.category, p.list_price, p.deleted_at is None)
            for p in Product.select().order_by(Product.id)] == [
        ("V1", "不锈钢阀", "", Decimal(100), True), ("F9", "法兰", "管件", Decimal("35.5"), False)]
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)  # the list heard of it
    assert page.model.index(0, 0).data() == "不锈钢阀"
    assert not result.undo_button.isEnabled()
