"""The Products page: built from what was sold when first shown, searched by initials, a
product made in its dialog (a name taken is refused in the form), deactivated, deleted
and brought back with Ctrl+Z, variants merged and the merge undone."""
from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication

from crmdesk.core.models import Product, Transaction
from crmdesk.core.customers import transactions
from tests.ui.conftest import type_text


def shown(page) -> list[str]:
    return [page.model.index(r, 0).data() for r in range(page.model.rowCount())]


def select(page, *rows) -> None:
    page.table.clearSelection()
    for row in rows:
        page.table.selectionModel().select(page.model.index(row, 0), QItemSelectionModel.SelectionFlag.Select
                                           | QItemSelectionModel.SelectionFlag.Rows)


def open_products(window):
    tab = window.show_sales()
    tab.pages.setCurrentWidget(tab.products_page)
    QApplication.processEvents()
    return tab.products_page


def test_built_from_sales_searched_by_initials(qtbot, window, some_customers, english):
    transactions.add(some_customers[0], {"date": "2026-01-02", "amount": "10", "product": "不锈钢阀"})
    transactions.add(some_customers[0], {"date": "2026-01-03", "amount": "10", "product": "安装费"})
    page = open_products(window)
    assert shown(page) == ["安装费", "不锈钢阀"]
    assert page.count_label.text() == "2 products"
    assert page.model.index(1, page.model.keys.index("sold")).data() == "1"
    type_text(qtbot, page.search, "bxg")
    page.apply_filters()
    assert shown(page) == ["不锈钢阀"]


def test_new_product_in_its_dialog_and_a_name_taken(qtbot, window, english):
    page = open_products(window)
    results = []

    def fill(dialog):
        dialog.show()
        type_text(qtbot, dialog.fields["name"], "法兰")
        type_text(qtbot, dialog.fields["code"], "F-1")
        type_text(qtbot, dialog.fields["list_price"], "35")
        results.append(dialog.save())
    page.open_dialog = fill
    qtbot.mouseClick(page.buttons["productNew"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.buttons["productNew"], Qt.MouseButton.LeftButton)
    assert results == [True, False]  # the second: the name is taken, the form stays
    assert [(p.name, p.code, str(p.list_price)) for p in Product.select()] == [("法兰", "F-1", "35")]
    assert shown(page) == ["法兰"]


def test_deactivate_delete_undo_and_merge_undo(qtbot, window, some_customers, english):
    for name in ("不锈钢阀", "不锈刚阀", "管件"):
        transactions.add(some_customers[0], {"date": "2026-01-02", "amount": "10", "product": name})
    page = open_products(window)
    assert shown(page) == ["不锈刚阀", "不锈钢阀", "管件"]
    select(page, 2)
    assert page.buttons["productActivate"].text() == "Deactivate"
    qtbot.mouseClick(page.buttons["productActivate"], Qt.MouseButton.LeftButton)
    assert Product.get(Product.name == "管件").active is False
    assert page.model.index(2, page.model.keys.index("active")).data() == "inactive"
    select(page, 2)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert shown(page) == ["不锈刚阀", "不锈钢阀"]
    window.undo_action.trigger()
    assert shown(page) == ["不锈刚阀", "不锈钢阀", "管件"]
    select(page, 0, 1)
    page.choose_kept = lambda names: next(pid for pid, name in names if name == "不锈钢阀")
    qtbot.mouseClick(page.buttons["productMerge"], Qt.MouseButton.LeftButton)
    assert shown(page) == ["不锈钢阀", "管件"]
    assert sorted(t.product for t in Transaction.select()) == sorted(["不锈钢阀", "不锈钢阀", "管件"])
    window.undo_action.trigger()  # Ctrl+Z: the variant is back with its line
    assert shown(page) == ["不锈刚阀", "不锈钢阀", "管件"]
    assert sorted(t.product for t in Transaction.select()) == sorted(["不锈钢阀", "不锈刚阀", "管件"])
