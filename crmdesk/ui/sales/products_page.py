"""The Products page: the product list (lazy, sorted by pinyin; searched by name, code,
pinyin or initials), built from what was sold on first opening; New, Edit, Deactivate or
Activate, Delete (Ctrl+Z brings it back) and Merge: several spelling variants become the
one kept, their lines re-pointed, in one undoable step."""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable, Optional, Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import (QCheckBox, QDialog, QFormLayout, QHBoxLayout, QInputDialog, QLabel, QLineEdit,
                               QPushButton, QVBoxLayout, QWidget)

from crmdesk.core.changes import Changes
from crmdesk.core.errors import CrmError
from crmdesk.core.sales import product_list, products
from crmdesk.core.sales.product_list import DEFAULT_COLUMNS, ProductQuery
from crmdesk.ui.common import formatting
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.visits.form import CheckedForm, report_failure, save_buttons
from crmdesk.ui.errors import show_error
from crmdesk.ui.common.list_view import lazy_view, size_columns
from crmdesk.ui.sales.delete_key import DeleteKey
from crmdesk.ui.common.table_model import LazyTableModel
from crmdesk.ui.common.undo_delete import DeleteCommand

HEADERS = {
    "code": QT_TRANSLATE_NOOP("ProductList", "Code"),
    "name": QT_TRANSLATE_NOOP("ProductList", "Name"),
    "category": QT_TRANSLATE_NOOP("ProductList", "Category"),
    "unit": QT_TRANSLATE_NOOP("ProductList", "Unit"),
    "list_price": QT_TRANSLATE_NOOP("ProductList", "List price"),
    "active": QT_TRANSLATE_NOOP("ProductList", "Active"),
    "sold": QT_TRANSLATE_NOOP("ProductList", "Lines sold"),
    "notes": QT_TRANSLATE_NOOP("ProductList", "Notes"),
}


def product_label(key: str) -> str:
    """A product field's name in the user's language (the list's headers, the import's columns)."""
    return QCoreApplication.translate("ProductList", HEADERS.get(key, key))


class ProductSource:
    entity = "product"

    def ids(self, query: ProductQuery, stop=None):
        return product_list.ids(query, stop)

    def first_ids(self, query: ProductQuery, limit: int) -> list[int]:
        return product_list.first_ids(query, limit)

    def rows(self, ids: Sequence[int], keys: Sequence[str]) -> dict[int, tuple]:
        return product_list.rows(ids, keys)

    def header(self, key: str) -> str:
        return product_label(key)

    def display(self, key: str, value: Any) -> str:
        if key == "active":
            return "✓" if value else QCoreApplication.translate("ProductList", "inactive")
        if value is None:
            return ""
        if key == "list_price":
            return formatting.money(value)
        return str(value)

    def alignment(self, key: str) -> Qt.AlignmentFlag:
        return Qt.AlignmentFlag.AlignRight if key in ("list_price", "sold") else Qt.AlignmentFlag.AlignLeft

    def sort_query(self, query: ProductQuery, key: str, descending: bool) -> ProductQuery:
        return replace(query, sort=key, descending=descending)


class ProductDialog(QDialog):
    def __init__(self, bus: ChangeBus, product_id: Optional[int] = None, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setObjectName("productDialog")
        self.bus, self.product_id = bus, product_id
        self.saved_id: Optional[int] = None
        self.setWindowTitle(self.tr("Product") if product_id else self.tr("New product"))
        self.summary = QLabel(self)
        self.summary.setObjectName("productSummary")
        self.summary.setWordWrap(True)
        self.summary.hide()
        form_layout = QFormLayout()
        self.form = CheckedForm(self, form_layout)
        self.fields: dict[str, QLineEdit] = {}
        for key, label in (("name", self.tr("Name")), ("code", self.tr("Code")), ("category", self.tr("Category")),
                           ("unit", self.tr("Unit")), ("list_price", self.tr("List price")),
                           ("notes", self.tr("Notes"))):
            edit = QLineEdit(self)
            edit.setObjectName(f"product_{key}")
            self.fields[key] = self.form.add(key, label, edit)
        self.active = QCheckBox(self.tr("Active: offered when a sale is recorded"), self)
        self.active.setObjectName("productActive")
        self.active.setChecked(True)
        form_layout.addRow("", self.active)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(form_layout)
        layout.addWidget(save_buttons(self, self.save))
        if product_id is not None:
            product = products.get(product_id)
            for key, edit in self.fields.items():
                value = getattr(product, key)
                edit.setText("" if value is None else (f"{value:f}" if key == "list_price" else str(value)))
            self.active.setChecked(product.active)
        self.resize(460, self.sizeHint().height())

    def values(self) -> dict:
        return {**{k: e.text() for k, e in self.fields.items()}, "active": self.active.isChecked()}

    def save(self) -> bool:
        self.form.clear()
        self.summary.hide()
        try:
            if self.product_id is None:
                self.saved_id, changes = products.create(self.values())
            else:
                changes = products.update(self.product_id, self.values())
                self.saved_id = self.product_id
        except Exception as exc:  # noqa: BLE001 - shown in the dialog, which stays open
            report_failure(self, self.form, self.summary, exc)
            return False
        self.bus.publish(changes)
        self.accept()
        return True


class MergeCommand(QUndoCommand):
    """A merge, done when pushed; undo takes it back, redo merges again."""

    def __init__(self, bus: ChangeBus, result: products.Merge, text: str):
        super().__init__(text)
        self.bus, self.result, self.first = bus, result, True

    def redo(self) -> None:
        if self.first:
            self.first = False
            return
        self.result, changes = products.merge(self.result.keep, self.result.variants)
        self.bus.publish(*changes)

    def undo(self) -> None:
        self.bus.publish(*products.unmerge(self.result))


class ProductsPage(QWidget):
    def __init__(self, bus: ChangeBus, undo_stack: QUndoStack, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setObjectName("productsPage")
        self.bus, self.undo_stack = bus, undo_stack
        self.open_dialog: Callable[[QDialog], object] = lambda dialog: dialog.exec()  # tests answer themselves
        self.choose_kept: Callable[[list[tuple[int, str]]], Optional[int]] = self._ask_kept
        self.source = ProductSource()
        self.model = LazyTableModel(self.source, DEFAULT_COLUMNS, ProductQuery(), self)
        self.search = QLineEdit(self)
        self.search.setObjectName("productSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Search name, code, pinyin or initials…"))
        self.search_timer = QTimer(self, singleShot=True, interval=200)
        self.search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(lambda _t: self.search_timer.start())
        self.active_only = QCheckBox(self.tr("Active only"), self)
        self.active_only.setObjectName("productActiveOnly")
        self.active_only.toggled.connect(lambda _on: self.apply_filters())
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for name, text, slot in (("productNew", self.tr("New product…"), self.new_product),
                                 ("productEdit", self.tr("Edit…"), self.edit_current),
                                 ("productActivate", self.tr("Deactivate"), self.toggle_active),
                                 ("productDelete", self.tr("Delete"), self.delete_selected),
                                 ("productMerge", self.tr("Merge…"), self.merge_selected)):
            button = QPushButton(text, self)
            button.setObjectName(name)
            button.clicked.connect(slot)
            row.addWidget(button)
            self.buttons[name] = button
        row.addStretch(1)
        self.table = lazy_view(self, self.model, "productTable", sort_column=0)
        size_columns(self.table, {1: "V-100-2000", 2: "不锈钢阀门类", 4: "¥1,234,567.00"}, stretch=0)
        self.table.activated.connect(lambda _i: self.edit_current())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        DeleteKey(self.table, self.delete_selected)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("productCount")
        self.model.modelReset.connect(self.update_count)
        self.model.loaded.connect(self.update_count)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.active_only)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(row)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        self.bus.changed.connect(self.on_changes)
        self.adopted = False
        self._update_actions()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if not self.adopted:  # the first look at the list: what was sold becomes products
            self.adopted = True
            changes = products.adopt_sold()
            self.model.set_query(self.model.query)
            if changes.ids:
                self.bus.publish(changes)

    def apply_filters(self) -> None:
        self.search_timer.stop()
        self.model.set_query(replace(self.model.query, search=self.search.text(),
                                     active_only=self.active_only.isChecked()))
        self._update_actions()

    def update_count(self) -> None:
        self.count_label.setText(self.tr("%n product(s)", "", product_list.count(self.model.query)))

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [i for i in (self.model.id_at(r) for r in rows) if i is not None]

    def _update_actions(self) -> None:
        ids = self.selected_ids()
        for name in ("productEdit", "productActivate", "productDelete"):
            self.buttons[name].setEnabled(bool(ids))
        self.buttons["productMerge"].setEnabled(len(ids) >= 2)
        if ids:
            active = product_list.rows(ids[:1], ["active"]).get(ids[0], (True,))[0]
            self.buttons["productActivate"].setText(self.tr("Deactivate") if active else self.tr("Activate"))

    # ------------------------------------------------------------ actions
    def new_product(self) -> None:
        self.open_dialog(ProductDialog(self.bus, parent=self))

    def edit_current(self) -> None:
        ids = self.selected_ids()
        if ids:
            try:
                self.open_dialog(ProductDialog(self.bus, ids[0], self))
            except CrmError as error:
                show_error(self, error)

    def toggle_active(self) -> None:
        ids = self.selected_ids()
        if ids:
            active = product_list.rows(ids[:1], ["active"])[ids[0]][0]
            self.bus.publish(products.set_active(ids, not active))
            self._update_actions()

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        self.bus.publish(*products.delete(ids))
        self.undo_stack.push(DeleteCommand(self.bus, ids, self.tr("Delete products: %n", "", len(ids)),
                                           products.delete, products.restore))

    def _ask_kept(self, names: list[tuple[int, str]]) -> Optional[int]:
        labels = [name for _pid, name in names]
        chosen, ok = QInputDialog.getItem(self, self.tr("Merge products"), self.tr(
            "Keep which name? The others become it: their sales move to it."), labels, 0, False)
        return names[labels.index(chosen)][0] if ok else None

    def merge_selected(self) -> None:
        ids = self.selected_ids()
        if len(ids) < 2:
            return
        names = [(pid, row[0]) for pid, row in sorted(product_list.rows(ids, ["name"]).items(),
                                                      key=lambda item: ids.index(item[0]))]
        keep = self.choose_kept(names)
        if keep is None:
            return
        try:
            result, changes = products.merge(keep, [i for i in ids if i != keep])
        except CrmError as error:
            show_error(self, error)
            return
        self.bus.publish(*changes)
        self.undo_stack.push(MergeCommand(self.bus, result, self.tr("Merge products: %n", "", len(ids))))

    def on_changes(self, changes: Changes) -> None:
        if changes.entity in ("product", "*"):
            self.model.apply_changes(changes)
            self.update_count()
            self._update_actions()
        elif changes.entity in ("transaction", "sale"):
            self.model.apply_changes(Changes("product", "reset"))  # new names sold, the counts of lines
