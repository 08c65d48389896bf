"""An editor for each custom field type, with the customer form's editor interface
(``text()`` for validation, ``set_value`` from the stored value, ``edited``)."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from crmdesk.core import custom_fields as CF

HINTS = {CF.NUMBER: "12 / 3.5 / 1.2万", CF.DATE: "2023-04-02"}


class CustomEditor(QObject):
    edited = Signal()

    def __init__(self, field: CF.CustomField, widget: QWidget):
        super().__init__(widget)
        self.field = field
        self.widget = widget

    def text(self) -> Any:
        if isinstance(self.widget, QComboBox):
            return self.widget.currentData() or ""
        return self.widget.text()

    def set_value(self, value: Any) -> None:
        if isinstance(self.widget, QComboBox):
            if value is not None and self.widget.findData(str(value)) < 0:
                self.widget.addItem(str(value), str(value))  # an option taken away since: still shown
            self.widget.setCurrentIndex(max(self.widget.findData("" if value is None else str(value)), 0))
        elif self.field.type == CF.NUMBER:
            self.widget.setText(CF.display(self.field, value))
        else:
            self.widget.setText("" if value is None else str(value))


def make_editor(field: CF.CustomField, parent: QWidget) -> CustomEditor:
    if field.type in (CF.CHOICE, CF.YESNO):
        combo = QComboBox(parent)
        combo.addItem("", "")
        if field.type == CF.YESNO:
            combo.addItem(QCoreApplication.translate("CustomFields", "Yes"), "1")
            combo.addItem(QCoreApplication.translate("CustomFields", "No"), "0")
        else:
            for option in field.choices:
                combo.addItem(option, option)
        editor = CustomEditor(field, combo)
        combo.activated.connect(lambda _i: editor.edited.emit())
        return editor
    line = QLineEdit(parent)
    line.setMaxLength(CF.MAX_TEXT + 50)  # over-long text is reported, not cut
    if field.type in HINTS:
        line.setPlaceholderText(HINTS[field.type])
    editor = CustomEditor(field, line)
    line.textEdited.connect(lambda _t: editor.edited.emit())
    return editor


def error_label(parent: QWidget, name: str) -> QLabel:
    """The red line under a custom-field dialog's form that says what is wrong, hidden
    until there is something to say."""
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet("color: #b3261e;")
    label.hide()
    return label
