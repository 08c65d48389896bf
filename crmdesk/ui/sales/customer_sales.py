"""The customer profile's Transactions page: the customer's lines with the totals (and what
is still owed), and the buttons to record a sale, correct one (or double-click it) and
delete one (or press Del; Ctrl+Z brings it back)."""
from __future__ import annotations

from typing import Callable, Optional

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from crmdesk.core.errors import CrmError
from crmdesk.core.sales import receivables, sales
from crmdesk.core.customers import transactions as transactions_service
from crmdesk.ui.common import formatting
from crmdesk.ui.errors import show_error
from crmdesk.ui.sales.delete_key import DeleteKey
from crmdesk.ui.sales.sale_dialog import SaleDialog
from crmdesk.ui.common.undo_delete import DeleteCommand
from crmdesk.ui.common.read_only_table import fill, read_only_table


class Publisher(QObject):
    """What a dialog or an undo step publishes, handed on as one list (the profile has no
    bus of its own: the tab holding it publishes)."""
    published = Signal(list)

    def publish(self, *changes) -> None:
        self.published.emit([c for c in changes if c is not None])


class CustomerSales(QWidget):
    changed = Signal(list)  # Changes made here, to publish

    def __init__(self, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setObjectName("customerSales")
        self.customer_id: Optional[int] = None
        self.sale_ids: list[Optional[int]] = []  # the sale of each row
        self.open_dialog: Callable[[SaleDialog], int] = lambda dialog: dialog.exec()  # tests answer themselves
        self.publisher = Publisher(self)
        self.publisher.published.connect(self.changed)
        self.own_stack = QUndoStack(self)
        self.totals = QLabel(self)
        self.totals.setObjectName("transactionTotals")
        self.totals.setWordWrap(True)
        self.owed = QLabel(self)
        self.owed.setObjectName("customerOwed")
        self.owed.setWordWrap(True)
        self.record_button = QPushButton(self.tr("Record a sale…"), self)
        self.record_button.setObjectName("recordSale")
        self.record_button.clicked.connect(self.record)
        self.edit_button = QPushButton(self.tr("Edit…"), self)
        self.edit_button.setObjectName("editSale")
        self.edit_button.clicked.connect(self.edit)
        self.delete_button = QPushButton(self.tr("Delete"), self)
        self.delete_button.setObjectName("deleteSale")
        self.delete_button.clicked.connect(self.delete)
        self.table = read_only_table(self, [
            self.tr("Date"), self.tr("Product"), self.tr("Category"), self.tr("Quantity"),
            self.tr("Amount"), self.tr("Paid")], "profileTransactions")
        self.table.cellDoubleClicked.connect(lambda _r, _c: self.edit())
        self.table.itemSelectionChanged.connect(self._enable)
        DeleteKey(self.table, self.delete)
        buttons = QHBoxLayout()
        buttons.addWidget(self.record_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(buttons)
        box.addWidget(self.totals)
        box.addWidget(self.owed)
        box.addWidget(self.table)
        self._live = False
        self._enable()

    def undo_stack(self) -> QUndoStack:
        return getattr(self.window(), "undo_stack", None) or self.own_stack

    def show_customer(self, customer_id: Optional[int], live: bool = True) -> None:
        self.customer_id, self._live = customer_id, live and customer_id is not None
        if customer_id is None:
            self.table.setRowCount(0)
            self.sale_ids = []
            self.totals.clear()
            self.owed.clear()
            self._enable()
            return
        lines = transactions_service.for_customer(customer_id)
        self.sale_ids = [t.sale_id for t in lines]
        rows = [[formatting.date(t.date), t.product, t.category,
                 formatting.number(t.quantity, 2 if t.quantity and t.quantity % 1 else 0) if t.quantity is not None else "",
                 formatting.money(t.amount), formatting.money(t.paid)] for t in lines]
        fill(self.table, rows, right_aligned=(3, 4, 5))
        totals = transactions_service.totals(customer_id)
        if totals.count:
            self.totals.setText(self.tr("%n transaction(s) from {first} to {last}: total {amount}, paid {paid}, outstanding {outstanding}",
                                        "", totals.count).format(
                first=formatting.date(totals.first), last=formatting.date(totals.last),
                amount=formatting.money(totals.amount), paid=formatting.money(totals.paid),
                outstanding=formatting.money(totals.outstanding)))
        else:
            self.totals.setText(self.tr("No transactions yet."))
        owing = receivables.for_customer(customer_id, sales.today())
        if owing.owed > 0:
            text = self.tr("Owes {owed} on %n sale(s)", "", owing.sales).format(owed=formatting.money(owing.owed))
            if owing.overdue > 0:
                text += self.tr(", of which {overdue} overdue").format(overdue=formatting.money(owing.overdue))
            self.owed.setText(text)
            self.owed.setStyleSheet("color: #b3261e;" if owing.overdue > 0 else "")
            self.owed.show()
        else:
            self.owed.clear()
            self.owed.hide()
        self._enable()

    def _enable(self) -> None:
        self.record_button.setEnabled(self._live)
        chosen = self.current_sale() is not None and self._live
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    def current_sale(self) -> Optional[int]:
        row = self.table.currentRow()
        selected = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not selected or not 0 <= row < len(self.sale_ids):
            return None
        return self.sale_ids[row]

    # ------------------------------------------------------------ actions
    def record(self) -> None:
        if self.customer_id is None or not self._live:
            return
        self.open_dialog(SaleDialog(self.publisher, customer_id=self.customer_id, parent=self))

    def edit(self) -> None:
        sale_id = self.current_sale()
        if sale_id is None:
            return
        try:
            dialog = SaleDialog(self.publisher, sale_id=sale_id, parent=self)
        except CrmError as error:
            show_error(self, error)
            return
        self.open_dialog(dialog)

    def delete(self) -> None:
        sale_id = self.current_sale()
        if sale_id is None or not self._live:
            return
        try:
            written = sales.delete(sale_id)
        except CrmError as error:
            show_error(self, error)
            return
        self.publisher.publish(*written.changes)
        self.undo_stack().push(DeleteCommand(
            self.publisher, [sale_id], self.tr("Delete sale"),
            lambda ids: [c for i in ids for c in sales.delete(i).changes],
            lambda ids: [c for i in ids for c in sales.restore(i).changes]))
