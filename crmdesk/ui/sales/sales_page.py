"""The Sales page: every sale, lazy and sorted in SQL (date, customer, products, amount,
paid, owed, due, owner), with a search and filters (owing, overdue, refunds, an owner);
New (Ctrl+N), Edit (Enter or a double-click), Delete (Del, Ctrl+Z brings it back)."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Callable, Optional

from PySide6.QtCore import QTimer, Qt
from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from crmdesk.core.changes import Changes
from crmdesk.core.errors import CrmError
from crmdesk.core.sales import receivables, sale_list, sales
from crmdesk.core.sales.sale_list import DEFAULT_COLUMNS, SaleQuery
from crmdesk.ui.common import formatting
from crmdesk.ui.actions import make_action
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.errors import show_error
from crmdesk.ui.common.filters import refill
from crmdesk.ui.common.list_view import lazy_view, size_columns
from crmdesk.ui.sales.delete_key import DeleteKey
from crmdesk.ui.sales.sale_dialog import SaleDialog
from crmdesk.ui.sales.sale_sources import SaleSource
from crmdesk.ui.common.table_model import LazyTableModel
from crmdesk.ui.common.undo_delete import DeleteCommand


class SalesPage(QWidget):
    def __init__(self, bus: ChangeBus, undo_stack: QUndoStack, parent: Optional[QWidget] = None,
                 today: Optional[dt.date] = None):
        super().__init__(parent)
        self.setObjectName("salesPage")
        self.bus, self.undo_stack = bus, undo_stack
        self.pinned_today = today
        self.open_dialog: Callable[[SaleDialog], object] = lambda dialog: dialog.exec()  # tests answer themselves
        self.source = SaleSource()
        self.source.pinned_today = today
        self.model = LazyTableModel(self.source, DEFAULT_COLUMNS, SaleQuery(today=today), self)
        self.search = QLineEdit(self)
        self.search.setObjectName("saleSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Search customer, product, owner, notes…"))
        self.search_timer = QTimer(self, singleShot=True, interval=200)
        self.search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(lambda _t: self.search_timer.start())
        self.filter = QComboBox(self)
        self.filter.setObjectName("saleFilter")
        for key, text in (("all", self.tr("All sales")), ("owing", self.tr("Owing")),
                          ("overdue", self.tr("Overdue")), ("refunds", self.tr("Refunds"))):
            self.filter.addItem(text, key)
        self.filter.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.owner = QComboBox(self)
        self.owner.setObjectName("saleOwner")
        self.owner.setMinimumContentsLength(8)
        self.owner.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.new_action = make_action(self, self.tr("&New sale…"), self.new_sale, QKeySequence.StandardKey.New,
                                      "newSale", Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.edit_action = make_action(self, self.tr("&Edit sale…"), self.edit_current, name="editSale")
        self.delete_action = make_action(self, self.tr("&Delete sale"), self.delete_selected, name="deleteSale")
        self.addAction(self.new_action)
        buttons = QHBoxLayout()
        for action, name in ((self.new_action, "saleNew"), (self.edit_action, "saleEdit"),
                             (self.delete_action, "saleDelete")):
            button = QPushButton(action.text().replace("&", ""), self)
            button.setObjectName(name)
            button.clicked.connect(action.trigger)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.table = lazy_view(self, self.model, "saleTable", sort_column=0)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        size_columns(self.table, {0: "2026-12-31  ", 1: "深圳市汇金康泰信息技术有限公司", 3: "¥1,234,567.00", 4: "¥1,234,567.00",
                                  5: "¥1,234,567.00", 6: "2026-12-31  "}, stretch=2)
        self.table.activated.connect(lambda _i: self.edit_current())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        DeleteKey(self.table, self.delete_selected)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("saleCount")
        self.model.modelReset.connect(self.update_count)
        self.model.loaded.connect(self.update_count)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        filters.addWidget(self.filter, 1)
        filters.addWidget(QLabel(self.tr("Owner"), self))
        filters.addWidget(self.owner, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(buttons)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        self.bus.changed.connect(self.on_changes)
        self.reload_owners()
        self.model.set_query(self._query())
        self._update_actions()

    def today(self) -> dt.date:
        return self.pinned_today or sales.today()

    def _query(self) -> SaleQuery:
        return replace(self.model.query, filter=self.filter.currentData() or "all", search=self.search.text(),
                       owner=self.owner.currentData() or "", today=self.today())

    def apply_filters(self) -> None:
        self.search_timer.stop()
        self.model.set_query(self._query())
        self._update_actions()

    def reload_owners(self) -> None:
        refill(self.owner, self.tr("Everyone"), sale_list.owners())

    def update_count(self) -> None:
        query = self.model.query
        count = sale_list.count(query)
        text = self.tr("%n sale(s)", "", count)
        owing = receivables.totals(self.today())
        if owing.owed > 0:
            text += "  ·  " + self.tr("owed {owed}, overdue {overdue}").format(
                owed=formatting.money(owing.owed), overdue=formatting.money(owing.overdue))
        self.count_label.setText(text)

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [i for i in (self.model.id_at(r) for r in rows) if i is not None]

    def _update_actions(self) -> None:
        chosen = bool(self.selected_ids())
        self.edit_action.setEnabled(chosen)
        self.delete_action.setEnabled(chosen)
        for name, action in (("saleEdit", self.edit_action), ("saleDelete", self.delete_action)):
            self.findChild(QPushButton, name).setEnabled(action.isEnabled())

    # ------------------------------------------------------------ actions
    def new_sale(self, customer_id: Optional[int] = None) -> None:
        self.open_dialog(SaleDialog(self.bus, customer_id=customer_id, parent=self, today=self.pinned_today))

    def edit_current(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        try:
            dialog = SaleDialog(self.bus, sale_id=ids[0], parent=self, today=self.pinned_today)
        except CrmError as error:
            show_error(self, error)
            return
        self.open_dialog(dialog)

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        try:
            self.bus.publish(*sales.delete_many(ids))
        except CrmError as error:
            show_error(self, error)
            return
        self.undo_stack.push(DeleteCommand(self.bus, ids, self.tr("Delete sales: %n", "", len(ids)),
                                           sales.delete_many, sales.restore_many, select=self.select_ids))
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(self.tr("Deleted. Ctrl+Z brings it back."), 8000)

    def select_ids(self, ids: list[int]) -> None:
        rows = [r for r in (self.model.row_of(i) for i in ids) if r >= 0]
        if rows:
            self.table.selectRow(rows[0])
            self.table.scrollTo(self.model.index(rows[0], 0))

    def on_changes(self, changes: Changes) -> None:
        if changes.entity in ("sale", "*") or (changes.entity == "customer" and changes.kind != "updated"):
            self.model.apply_changes(Changes("sale", changes.kind if changes.entity == "sale" else "reset",
                                             changes.ids if changes.entity == "sale" else ()))
            if changes.kind != "updated":
                self.reload_owners()
            self.update_count()
            self._update_actions()
