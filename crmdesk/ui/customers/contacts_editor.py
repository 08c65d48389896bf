"""The people at a customer, edited as a table inside the customer form."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QStyle,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from crmdesk.core.errors import FieldError, ValidationError
from crmdesk.core.customers.contacts import ContactData, validate
from crmdesk.ui.errors import error_text

TEXT_KEYS = ("name", "title", "mobile", "phone", "email", "wechat", "birthday", "notes")
CHECK_KEYS = ("lunar", "is_decision_maker")
KEYS = ("name", "title", "mobile", "phone", "email", "wechat", "birthday", "lunar",
        "is_decision_maker", "notes")
ERROR_BRUSH = QBrush(QColor("#fde2e1"))
ERROR_TEXT = QBrush(QColor("#b3261e"))


def _filled(data: ContactData) -> bool:
    """A saved contact, or a new row with anything typed in it (an untouched one is ignored)."""
    return bool(data.id) or any(getattr(data, key).strip() for key in TEXT_KEYS)


class ContactsEditor(QWidget):
    edited = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.table = QTableWidget(0, len(KEYS), self)
        self.table.setObjectName("contactsTable")
        self.table.setHorizontalHeaderLabels(self.headers())
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.itemChanged.connect(self._on_item_changed)
        self.add_button = QPushButton(self.tr("Add contact"), self)
        self.add_button.setObjectName("addContact")
        self.remove_button = QPushButton(self.tr("Remove contact"), self)
        self.remove_button.setObjectName("removeContact")
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        # the reasons as text below the table: a tint hides behind the row selection, a tooltip needs a hover
        self.error_label = QLabel(self)
        self.error_label.setObjectName("contactErrors")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b3261e;")
        self.error_label.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)
        self._loading = False
        self._errors: dict[int, dict[str, FieldError]] = {}  # by row

    def headers(self) -> list[str]:
        return [self.tr("Name"), self.tr("Job Title"), self.tr("Mobile"), self.tr("Phone"),
                self.tr("Email"), self.tr("WeChat"), self.tr("Birthday"), self.tr("Lunar"),
                self.tr("Decision maker"), self.tr("Notes")]

    def set_contacts(self, contacts: list[ContactData]) -> None:
        self._loading = True
        self.table.setRowCount(0)
        self._errors = {}
        self._show_errors()
        for data in contacts:
            self._append(data)
        self._loading = False
        self.table.resizeColumnsToContents()

    def add_row(self) -> None:
        self._loading = True
        self._append(ContactData())
        self._loading = False
        row = self.table.rowCount() - 1
        self.table.setCurrentCell(row, 0)
        self.table.editItem(self.table.item(row, 0))
        self.edited.emit()

    def remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.table.removeRow(row)
        if rows:
            self._errors = {}
            for row in range(self.table.rowCount()):
                self.check_row(row)
            self._show_errors()
            self.edited.emit()

    def _append(self, data: ContactData) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, key in enumerate(KEYS):
            item = QTableWidgetItem()
            if key in CHECK_KEYS:
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                              | Qt.ItemFlag.ItemIsSelectable)
                checked = (data.birthday_calendar == "lunar") if key == "lunar" else data.is_decision_maker
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            else:
                item.setText(getattr(data, key) or "")
            if column == 0:
                item.setData(Qt.ItemDataRole.UserRole, data.id)
            self.table.setItem(row, column, item)

    def _text(self, row: int, key: str) -> str:
        item = self.table.item(row, KEYS.index(key))
        return item.text() if item else ""

    def _checked(self, row: int, key: str) -> bool:
        item = self.table.item(row, KEYS.index(key))
        return bool(item and item.checkState() == Qt.CheckState.Checked)

    def row_data(self, row: int) -> ContactData:
        name_item = self.table.item(row, 0)
        return ContactData(
            **{key: self._text(row, key) for key in TEXT_KEYS},
            birthday_calendar="lunar" if self._checked(row, "lunar") else "solar",
            is_decision_maker=self._checked(row, "is_decision_maker"),
            id=name_item.data(Qt.ItemDataRole.UserRole) if name_item else None)

    def contacts(self) -> list[ContactData]:
        """Every row that has anything typed in it (an untouched new row is ignored)."""
        return [d for d in (self.row_data(r) for r in range(self.table.rowCount())) if _filled(d)]

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if self._loading:
            return
        self.check_row(item.row())
        self.edited.emit()

    def check_row(self, row: int) -> dict[str, FieldError]:
        data = self.row_data(row)
        errors: dict[str, FieldError] = {}
        if _filled(data):
            try:
                validate(data)
            except ValidationError as error:
                errors = error.errors
        self.mark_row(row, errors)
        return errors

    def mark_row(self, row: int, errors: dict[str, FieldError]) -> None:
        self._loading = True
        for column, key in enumerate(KEYS):
            item = self.table.item(row, column)
            if item is None:
                continue
            error = errors.get(key)
            item.setBackground(ERROR_BRUSH if error else QBrush())
            item.setForeground(ERROR_TEXT if error else QBrush())
            # an icon stays visible on a selected row, where the tint does not
            item.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning) if error else QIcon())
            item.setToolTip(error_text(error) if error else "")
        self._loading = False
        if errors:
            self._errors[row] = dict(errors)
        else:
            self._errors.pop(row, None)
        self._show_errors()

    def _show_errors(self) -> None:
        headers = self.headers()
        lines = []
        for row in sorted(self._errors):
            for key in KEYS:
                if key in self._errors[row]:
                    lines.append(self.tr("Contact {number}, {column}: {reason}").format(
                        number=row + 1, column=headers[KEYS.index(key)], reason=error_text(self._errors[row][key])))
        self.error_label.setText("\n".join(lines))
        self.error_label.setVisible(bool(lines))

    def first_error(self) -> tuple[int, int] | None:
        """(row, column) of the first marked cell, or None."""
        for row in sorted(self._errors):
            for column, key in enumerate(KEYS):
                if key in self._errors[row]:
                    return row, column
        return None

    def focus_first_error(self) -> bool:
        """Select the first bad cell and give the table the focus; False when none is marked."""
        cell = self.first_error()
        if cell is None:
            return False
        self.table.setCurrentCell(*cell)
        self.table.scrollToItem(self.table.item(*cell))
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def mark_errors(self, errors: dict[str, FieldError]) -> None:
        """Errors keyed ``contacts[i].field`` from a failed save, i over ``contacts()``."""
        filled = [r for r in range(self.table.rowCount()) if _filled(self.row_data(r))]
        self._errors = {}
        for index, row in enumerate(filled):
            prefix = f"contacts[{index}]."
            self.mark_row(row, {k[len(prefix):]: v for k, v in errors.items() if k.startswith(prefix)})
