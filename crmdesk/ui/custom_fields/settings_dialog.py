"""File ▸ Customer fields: the fields a user added to customers, in the order the form
and the column chooser show them; add, change, move and remove (a removed field's values
are kept hidden and come back if a field of that name and type is added again)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QMessageBox, QPushButton,
                               QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from crmdesk.core import custom_fields as CF
from crmdesk.core.errors import CrmError
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.custom_fields.field_dialog import FieldDialog, type_names
from crmdesk.ui.errors import show_error


class CustomFieldsDialog(QDialog):
    def __init__(self, bus: ChangeBus, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("customFieldsDialog")
        self.bus = bus
        self.setWindowTitle(self.tr("Customer fields"))
        intro = QLabel(self.tr("Your own fields for customers, beside the built-in ones: they appear in the "
                               "customer form (page “My fields”), the profile, the list's columns and filters, "
                               "search, import and export."), self)
        intro.setWordWrap(True)
        self.table = QTreeWidget(self)
        self.table.setObjectName("customFieldsTable")
        self.table.setRootIsDecorated(False)
        self.table.setHeaderLabels([self.tr("Name"), self.tr("English name"), self.tr("Type"), self.tr("Options"),
                                    self.tr("Customers with a value")])
        self.table.itemDoubleClicked.connect(lambda _i, _c: self.change())
        self.table.currentItemChanged.connect(lambda *_: self._update_buttons())
        buttons = QVBoxLayout()
        self.add_button = self._button(self.tr("&Add…"), "addField", self.add)
        self.change_button = self._button(self.tr("&Change…"), "changeField", self.change)
        self.up_button = self._button(self.tr("Move &up"), "moveFieldUp", lambda: self.move_field(-1))
        self.down_button = self._button(self.tr("Move &down"), "moveFieldDown", lambda: self.move_field(1))
        self.remove_button = self._button(self.tr("&Remove…"), "removeField", self.remove)
        for button in (self.add_button, self.change_button, self.up_button, self.down_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.table, 1)
        row.addLayout(buttons)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row, 1)
        layout.addWidget(close)
        self.resize(760, 420)
        self.reload()

    def _button(self, text: str, name: str, slot) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    def reload(self, select: str = "") -> None:
        names = type_names()
        self.table.clear()
        for field in CF.all_fields():
            item = QTreeWidgetItem([field.label, field.label_en, names[field.type], ", ".join(field.choices),
                                    str(CF.value_count(field.key))])
            item.setData(0, Qt.ItemDataRole.UserRole, field.key)
            item.setTextAlignment(4, Qt.AlignmentFlag.AlignRight)
            self.table.addTopLevelItem(item)
            if field.key == select:
                self.table.setCurrentItem(item)
        for column in range(4):
            self.table.resizeColumnToContents(column)
            self.table.setColumnWidth(column, self.table.columnWidth(column) + 16)
        self._update_buttons()

    def current(self) -> CF.CustomField | None:
        item = self.table.currentItem()
        return CF.get(item.data(0, Qt.ItemDataRole.UserRole)) if item else None

    def _update_buttons(self) -> None:
        chosen = self.current() is not None
        for button in (self.change_button, self.up_button, self.down_button, self.remove_button):
            button.setEnabled(chosen)

    def add(self) -> FieldDialog:
        dialog = FieldDialog(self)
        dialog.accepted.connect(lambda: self._done(dialog, dialog.made.key if dialog.made else ""))
        dialog.open()
        return dialog

    def change(self) -> FieldDialog | None:
        field = self.current()
        if field is None:
            return None
        dialog = FieldDialog(self, field)
        dialog.accepted.connect(lambda: self._done(dialog, field.key))
        dialog.open()
        return dialog

    def _done(self, dialog: FieldDialog, key: str) -> None:
        self.bus.publish(*dialog.changes)
        self.reload(key)

    def move_field(self, step: int) -> None:
        field = self.current()
        if field is not None:
            self.bus.publish(*CF.move(field.key, step))
            self.reload(field.key)

    def remove(self) -> bool:
        field = self.current()
        if field is None:
            return False
        count = CF.value_count(field.key)
        text = self.tr("Remove the field “{name}”? It leaves the form, the lists and exported files. "
                       "The values of %n customer(s) are kept hidden: adding a field of the same name and "
                       "type again brings them back.", "", count).format(name=field.label)
        answer = QMessageBox.question(self, self.tr("Remove field"), text)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            self.bus.publish(*CF.remove(field.key))
        except CrmError as error:
            show_error(self, error)
            return False
        self.reload()
        return True
