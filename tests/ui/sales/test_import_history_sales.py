"""Edit ▸ Import history lists the imports of opportunities and products (issue 19) with
their kind and what they did, and takes either back after a confirmation."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from crmdesk.core.changes import Changes
from crmdesk.core.models import Opportunity, Product
from crmdesk.core.sales import opportunities_io, product_io, products
from crmdesk.core.customers import archive as customers
from crmdesk.core.imports.options import ImportOptions
from crmdesk.ui.imports.history_dialog import DID, FILE, KIND, STATE
from tests.ui.imports.test_import_history_dialog import cells, click_row, open_history
from tests.ui.imports.test_import_wizard import write_xlsx


def test_opportunities_and_products_imports_listed_and_undone(qtbot, window, tmp_path, monkeypatch, english):
    customers.create({"code": "C001", "name": "北京华润"})
    products.create({"name": "不锈钢阀", "code": "V1", "list_price": "100"})
    opportunities_io.import_opportunities(write_xlsx(tmp_path / "deals.xlsx", [
        ["客户编号", "商机名称"], ["C001", "管道改造"], ["C001", "水泵"]]), now=dt.datetime(2026, 11, 20, 9))
    product_io.import_file(write_xlsx(tmp_path / "products.xlsx", [
        ["产品编号", "产品名称", "标准价格"], ["V1", "不锈钢阀", 120], ["N1", "新法兰", 30]]), ImportOptions())
    window.bus.publish(Changes.reset())  # the command line's imports, as a restart would show them
    dialog = open_history(qtbot, window)
    assert cells(dialog, FILE) == ["products.xlsx", "deals.xlsx"]
    assert cells(dialog, KIND) == ["Products", "Opportunities"]
    assert cells(dialog, DID) == ["1 product added, 1 product changed", "2 opportunities added"]

    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda parent, title, text, *a: asked.append(text) or QMessageBox.StandardButton.Yes)
    click_row(qtbot, dialog, 1)
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.loaded and not dialog.busy and bool(dialog.status.text()))
    assert asked[0].startswith("Take back the import of deals.xlsx made ")
    assert asked[0].endswith("(2 opportunities added)? The opportunities it added go to the trash.")
    assert dialog.status.text() == "Import undone: 2 opportunities moved to the trash."
    assert window.statusBar().currentMessage() == dialog.status.text()
    assert Opportunity.select().where(Opportunity.deleted_at.is_null()).count() == 0
    assert Opportunity.select().count() == 2  # in the trash
    assert cells(dialog, STATE)[1] != "" and not dialog.undo_button.isEnabled()

    click_row(qtbot, dialog, 0)
    assert dialog.undo_button.isEnabled()
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.loaded and not dialog.busy and bool(cells(dialog, STATE)[0]))
    assert "The products it added go to the trash, and the products it changed get their earlier values back" \
        in asked[1]
    assert dialog.status.text() == "Import undone: 1 product moved to the trash, 1 product put back as it was."
    assert [(p.code, p.list_price) for p in Product.select().where(Product.deleted_at.is_null())] == \
        [("V1", Decimal(100))]
    dialog.close()


def test_edit_undo_import_takes_back_the_last_opportunities_import(qtbot, window, tmp_path, monkeypatch, english):
    customers.create({"code": "C001", "name": "北京华润"})
    opportunities_io.import_opportunities(write_xlsx(tmp_path / "deals.xlsx", [
        ["客户编号", "商机名称"], ["C001", "管道改造"]]), now=dt.datetime(2026, 11, 20, 9))
    asked, told = [], []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda parent, title, text, *a: asked.append(text) or QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text, *a: told.append(text))
    window.undo_import_action.trigger()
    qtbot.waitUntil(lambda: bool(told))
    assert asked[0].startswith("Take back the import of deals.xlsx made ")
    assert asked[0].endswith("? The records it added go to the trash and the ones it changed get their earlier "
                             "values back.")
    assert told == ["Import undone: 1 opportunity moved to the trash."]
    assert Opportunity.select().where(Opportunity.deleted_at.is_null()).count() == 0
    window.undo_import_action.trigger()  # nothing left to undo
    assert window.errors_shown == ["no_import_to_undo"]
