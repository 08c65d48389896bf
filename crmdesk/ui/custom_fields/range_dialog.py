"""A range filter on a number or date field: "from" and "to", either left empty for an open
end, typed as in the customer form (1.2万, 2023/4/2, 2023年4月2日). A value that is not
one says so under the form and the filter stays as it was."""
from __future__ import annotations

from typing import Any, Optional

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from crmdesk.core import custom_fields as CF
from crmdesk.core.errors import CrmError
from crmdesk.ui.common import formatting
from crmdesk.ui.custom_fields.editors import HINTS, error_label
from crmdesk.ui.errors import error_text


class RangeDialog(QDialog):
    chosen = Signal(str)  # the range filter's text ("3..12", "3..", "..12"), "" for no filter

    def __init__(self, field: CF.CustomField, current: str = "", parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setObjectName("customRangeDialog")
        self.field = field
        from crmdesk import i18n
        self.setWindowTitle(self.tr("Filter by {field}").format(field=field.name(i18n.language())))
        low, high = _current(field, current)
        self.low = self._edit("rangeLow", low)
        self.high = self._edit("rangeHigh", high)
        span = CF.value_span(field)
        hint = QLabel(self)
        hint.setObjectName("rangeSpan")
        hint.setWordWrap(True)
        if span[0] is None:
            hint.setText(self.tr("No customer has a value in this field yet."))
        else:
            hint.setText(self.tr("Values in use: {low} to {high}. Leave a box empty for no limit on that side.")
                         .format(low=formatting.custom_value(field, span[0]),
                                 high=formatting.custom_value(field, span[1])))
        self.error = error_label(self, "rangeError")
        form = QFormLayout()
        form.addRow(self.tr("&From:"), self.low)
        form.addRow(self.tr("&To:"), self.high)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Filter"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(380, 180)

    def _edit(self, name: str, value: Any) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setPlaceholderText(HINTS.get(self.field.type, ""))
        if value is not None:
            edit.setText(CF.display(self.field, value) if self.field.type == CF.NUMBER else str(value))
        edit.textEdited.connect(lambda _t: self.error.hide())
        return edit

    def apply(self) -> None:
        bounds = []
        for edit in (self.low, self.high):
            try:
                bounds.append(CF.parse(self.field, edit.text()))
            except CrmError as error:
                self.error.setText(error_text(error))
                self.error.show()
                edit.setFocus()
                return
        low, high = bounds
        if low is not None and high is not None and low > high:
            low, high = high, low
        self.chosen.emit(CF.range_text(low, high))
        self.accept()


def _current(field: CF.CustomField, text: str) -> tuple[Any, Any]:
    try:
        return CF.parse_range(field, text) if text else (None, None)
    except ValueError:
        return None, None


def range_label(field: CF.CustomField, text: str) -> str:
    """A range filter as the button shows it: 3 – 12, ≥ 3, ≤ 12."""
    low, high = _current(field, text)
    if low is not None and high is not None:
        return f"{formatting.custom_value(field, low)} – {formatting.custom_value(field, high)}"
    if low is not None:
        return f"≥ {formatting.custom_value(field, low)}"
    if high is not None:
        return f"≤ {formatting.custom_value(field, high)}"
    return ""
