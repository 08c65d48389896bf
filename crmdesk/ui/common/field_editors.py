"""One editor per field type of the spec, each able to say what the user typed as text
and to show the stored value; the form validates that text with ``normalize`` as the
user types."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Signal, QObject
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget

from crmdesk.core.customers import fields as F
from crmdesk.core.io.normalize import Birthday
from crmdesk.ui.common.labels import choices


class Editor(QObject):
    """Wraps a widget: ``text()`` for validation, ``set_value`` from the stored value."""
    edited = Signal()

    def __init__(self, field: F.Field, widget: QWidget):
        super().__init__(widget)
        self.field = field
        self.widget = widget

    def text(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError


class LineEditor(Editor):
    HINTS = {
        F.PHONE: "13812345678",
        F.EMAIL: "name@example.com",
        F.DATE: "2023-04-02",
        F.BIRTHDAY: "1985-04-02 / --04-02 / 农历八月十五",
        F.DECIMAL: "1,234.50 / 1.2万",
        F.TAGS: "VIP, 华东",
    }

    def __init__(self, field: F.Field, parent: QWidget):
        widget = QLineEdit(parent)
        super().__init__(field, widget)
        if field.max_length:
            widget.setMaxLength(field.max_length + 50)  # over-long text is reported, not cut
        if field.type in self.HINTS:
            widget.setPlaceholderText(self.HINTS[field.type])
        widget.textEdited.connect(lambda _text: self.edited.emit())

    def text(self) -> str:
        return self.widget.text()

    def set_value(self, value: Any) -> None:
        if value is None:
            text = ""
        elif isinstance(value, Birthday):
            text = value.as_text()
        elif isinstance(value, (list, tuple)):
            text = ", ".join(value)
        elif isinstance(value, Decimal):
            text = format(value.normalize(), "f")
        elif isinstance(value, dt.date):
            text = value.isoformat()
        else:
            text = str(value)
        self.widget.setText(text)


class TextEditor(Editor):
    def __init__(self, field: F.Field, parent: QWidget):
        widget = QPlainTextEdit(parent)
        widget.setTabChangesFocus(True)
        widget.setMinimumHeight(90)
        super().__init__(field, widget)
        widget.textChanged.connect(self.edited.emit)

    def text(self) -> str:
        return self.widget.toPlainText()

    def set_value(self, value: Any) -> None:
        self.widget.setPlainText(value or "")


class ChoiceEditor(Editor):
    """An enum, a 1-5 score or a month: a drop-down with an empty first entry."""

    def __init__(self, field: F.Field, parent: QWidget):
        widget = QComboBox(parent)
        super().__init__(field, widget)
        if field.type == F.ENUM:
            if field.default is None:
                widget.addItem("", None)
            for key, label in choices(field.key):
                widget.addItem(label, key)
        else:
            widget.addItem("", None)
            top = 5 if field.type == F.SCORE else 12
            for number in range(1, top + 1):
                widget.addItem(str(number), number)
        widget.currentIndexChanged.connect(lambda _i: self.edited.emit())

    def text(self) -> Any:
        return self.widget.currentData()

    def set_value(self, value: Any) -> None:
        index = self.widget.findData(value if value is not None else self.field.default)
        self.widget.setCurrentIndex(max(index, 0))


def make_editor(field: F.Field, parent: QWidget) -> Editor:
    if field.type in (F.ENUM, F.SCORE, F.MONTH):
        return ChoiceEditor(field, parent)
    if field.type == F.LONGTEXT:
        return TextEditor(field, parent)
    return LineEditor(field, parent)
