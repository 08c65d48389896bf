"""The lines of a sale, typed in a table: product (a completer matching name, code, pinyin
or initials from the product list and past sales), category, quantity, unit price,
discount % and amount. The amount follows quantity × price × (1 − discount) until the user
types one of their own; a blank row at the end takes the next line."""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QCompleter, QHeaderView, QLineEdit, QStyledItemDelegate,
                               QTableWidget, QTableWidgetItem, QWidget)

from crmdesk.core.errors import FieldError
from crmdesk.core.sales import products
from crmdesk.core.sales.sale_check import LineDraft, line_amount
from crmdesk.ui.errors import error_text

PRODUCT, CATEGORY, QUANTITY, PRICE, DISCOUNT, AMOUNT = range(6)
KEYS = ("product", "category", "quantity", "unit_price", "discount", "amount")
NUMBERS = (QUANTITY, PRICE, DISCOUNT, AMOUNT)
TYPED = Qt.ItemDataRole.UserRole + 1  # on the amount: the user typed it (not computed)
PRODUCT_ID = Qt.ItemDataRole.UserRole + 2  # on the product: the product picked from the list
BAD = QColor("#fde2e1")


def text_of(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, Decimal):
        text = f"{value:f}"
        return text[:-3] if text.endswith(".00") else text
    return str(value)


class ProductCompleter(QCompleter):
    """Offers the products whose name, code, pinyin or initials hold what is typed."""

    def __init__(self, choices: list[products.Choice], parent=None):
        super().__init__(parent)
        self.choices = choices
        self.shown: list[products.Choice] = []
        self.model_ = QStringListModel(self)
        self.setModel(self.model_)
        self.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setMaxVisibleItems(12)

    def update_for(self, typed: str) -> None:
        self.shown = products.matching(self.choices, typed)[:50]
        self.model_.setStringList([self.label(c) for c in self.shown])

    @staticmethod
    def label(choice: products.Choice) -> str:
        return " · ".join(p for p in (choice.name, choice.code, choice.category) if p)

    def choice(self, label: str) -> Optional[products.Choice]:
        return next((c for c in self.shown if self.label(c) == label), None)


class ProductDelegate(QStyledItemDelegate):
    """The product cell's editor: a line edit with the product completer."""

    def __init__(self, table: "SaleLines"):
        super().__init__(table)
        self.table = table

    def createEditor(self, parent, option, index):  # noqa: N802 (Qt's name)
        editor = QLineEdit(parent)
        editor.setObjectName("saleLineProductEditor")
        completer = ProductCompleter(self.table.choices(), editor)
        editor.setCompleter(completer)
        editor.textEdited.connect(lambda text: (completer.update_for(text), completer.complete()))
        completer.activated[str].connect(lambda label, row=index.row(): self.table.pick(row, completer.choice(label)))
        return editor

    def setModelData(self, editor, model, index):  # noqa: N802 (Qt's name)
        text = editor.text()
        completer = editor.completer()
        choice = completer.choice(text) if isinstance(completer, ProductCompleter) else None
        if choice is not None:
            self.table.pick(index.row(), choice)
        else:
            model.setData(index, text)


class SaleLines(QTableWidget):
    edited = Signal()  # any line changed: the total and the checks follow

    def __init__(self, parent: Optional[QWidget] = None):
        super().__init__(0, len(KEYS), parent)
        self.setObjectName("saleLines")
        self.setHorizontalHeaderLabels([self.tr("Product"), self.tr("Category"), self.tr("Quantity"),
                                        self.tr("Unit price"), self.tr("Discount %"), self.tr("Amount")])
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.horizontalHeader()
        header.setSectionResizeMode(PRODUCT, QHeaderView.ResizeMode.Stretch)
        for column in (CATEGORY, QUANTITY, PRICE, DISCOUNT, AMOUNT):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.setColumnWidth(column, max(header.sectionSizeHint(column) + 8, 84))
        self.setColumnWidth(CATEGORY, 110)
        triggers = QAbstractItemView.EditTrigger
        self.setEditTriggers(triggers.DoubleClicked | triggers.EditKeyPressed | triggers.AnyKeyPressed
                             | triggers.SelectedClicked)
        self.setItemDelegateForColumn(PRODUCT, ProductDelegate(self))
        self._choices: Optional[list[products.Choice]] = None
        self._filling = False
        self.itemChanged.connect(self._changed)
        self._add_row()

    def choices(self) -> list[products.Choice]:
        if self._choices is None:
            products.adopt_sold()  # first use of the product list: what was sold becomes products
            self._choices = products.choices()
        return self._choices

    # ------------------------------------------------------------ rows
    def _add_row(self) -> None:
        self._filling = True
        row = self.rowCount()
        self.insertRow(row)
        for column in range(len(KEYS)):
            item = QTableWidgetItem("")
            if column in NUMBERS:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.setItem(row, column, item)
        self._filling = False

    def _row_blank(self, row: int) -> bool:
        return all(not self.item(row, c).text().strip() for c in range(len(KEYS)))

    def set_lines(self, lines: list[LineDraft]) -> None:
        self.setRowCount(0)
        for line in lines:
            self._add_row()
            row = self.rowCount() - 1
            self._filling = True
            for column, key in enumerate(KEYS):
                self.item(row, column).setText(text_of(getattr(line, key)))
            self.item(row, PRODUCT).setData(PRODUCT_ID, line.product_id)
            computed = line_amount(line.quantity, line.unit_price, line.discount)
            self.item(row, AMOUNT).setData(TYPED, computed is None or computed != line.amount)
            self._filling = False
        self._add_row()
        self.edited.emit()

    def pick(self, row: int, choice: Optional[products.Choice]) -> None:
        """A product picked from the list: its name, id, category and list price."""
        if choice is None or row >= self.rowCount():
            return
        self._filling = True
        self.item(row, PRODUCT).setText(choice.name)
        self.item(row, PRODUCT).setData(PRODUCT_ID, choice.id)
        if choice.category and not self.item(row, CATEGORY).text():
            self.item(row, CATEGORY).setText(choice.category)
        if choice.unit_price is not None and not self.item(row, PRICE).text():
            self.item(row, PRICE).setText(text_of(choice.unit_price))
        self._filling = False
        self._changed(self.item(row, PRICE))

    def _changed(self, item: QTableWidgetItem) -> None:
        if self._filling:
            return
        row, column = item.row(), item.column()
        self._filling = True
        try:
            if column == PRODUCT and item.data(PRODUCT_ID) is not None:
                known = next((c for c in self.choices() if c.id == item.data(PRODUCT_ID)), None)
                if known is None or known.name != item.text().strip():
                    item.setData(PRODUCT_ID, None)  # typed over: a name, not the product picked
            if column == AMOUNT:
                self.item(row, AMOUNT).setData(TYPED, bool(item.text().strip()))
            elif column in (QUANTITY, PRICE, DISCOUNT) and not self.item(row, AMOUNT).data(TYPED):
                amount = line_amount(*(self.item(row, c).text() for c in (QUANTITY, PRICE, DISCOUNT)))
                self.item(row, AMOUNT).setText(text_of(amount))
        finally:
            self._filling = False
        if row == self.rowCount() - 1 and not self._row_blank(row):
            self._add_row()
        self.edited.emit()

    def lines(self) -> list[LineDraft]:
        found = []
        for row in range(self.rowCount()):
            if self._row_blank(row):
                continue
            values = {key: self.item(row, c).text().strip() or None for c, key in enumerate(KEYS)}
            values["product"] = values["product"] or ""
            values["category"] = values["category"] or ""
            if not self.item(row, AMOUNT).data(TYPED):
                values["amount"] = None  # computed by the same rule when saved
            found.append(LineDraft(product_id=self.item(row, PRODUCT).data(PRODUCT_ID), **values))
        return found

    def line_rows(self) -> list[int]:
        """The table rows of ``lines()``, in order (line 1 is the first row not blank)."""
        return [row for row in range(self.rowCount()) if not self._row_blank(row)]

    def mark(self, problems: list[FieldError]) -> None:
        """Colour the cells with a problem, the sentence as their tooltip."""
        rows = self.line_rows()
        self._filling = True
        for row in range(self.rowCount()):
            for column in range(len(KEYS)):
                self.item(row, column).setBackground(QBrush())
                self.item(row, column).setToolTip("")
        for problem in problems:
            parts = problem.key.split(".")
            if len(parts) != 3 or parts[0] != "lines":
                continue
            number, key = int(parts[1]), parts[2]
            if 1 <= number <= len(rows) and key in KEYS:
                item = self.item(rows[number - 1], KEYS.index(key))
                item.setBackground(BAD)
                item.setToolTip(error_text(problem))
        self._filling = False

    def delete_current_line(self) -> None:
        row = self.currentRow()
        if 0 <= row < self.rowCount() - 1:
            self.removeRow(row)
            self.edited.emit()
