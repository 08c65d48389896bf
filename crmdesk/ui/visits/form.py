"""What the visit dialogs share: date-time editors in Python's terms, a form whose fields
show their own problem under them, and the one place a dialog's save failure is shown
(the dialog stays open with everything the user typed)."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, QDateTime, QTime
from PySide6.QtWidgets import (QComboBox, QDateTimeEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout,
                               QWidget)

from crmdesk.core.errors import CrmError, FieldError, ValidationError
from crmdesk.core.sales import opportunities_visits
from crmdesk.ui.common import formatting
from crmdesk.ui.errors import error_text, show_bug

ERROR_STYLE = "color: #b3261e;"


def to_qdatetime(value: dt.datetime) -> QDateTime:
    return QDateTime(QDate(value.year, value.month, value.day), QTime(value.hour, value.minute))


def from_qdatetime(value: QDateTime) -> dt.datetime:
    d, t = value.date(), value.time()
    return dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


def datetime_edit(parent: QWidget, name: str, value: Optional[dt.datetime] = None) -> QDateTimeEdit:
    edit = QDateTimeEdit(parent)
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(f"{formatting.date_format()} HH:mm")
    if value is not None:
        edit.setDateTime(to_qdatetime(value))
    return edit


def next_slot(now: Optional[dt.datetime] = None) -> dt.datetime:
    """Tomorrow at 9:00, or the next half hour today if it is early enough."""
    now = now or dt.datetime.now()
    rounded = (now + dt.timedelta(minutes=30 - now.minute % 30)).replace(second=0, microsecond=0)
    if 8 <= rounded.hour < 17:
        return rounded
    day = now.date() + dt.timedelta(days=1 if rounded.hour >= 17 or rounded.date() > now.date() else 0)
    return dt.datetime.combine(day, dt.time(9))


def save_buttons(dialog: QDialog, save, save_text: Optional[str] = None,
                 cancel_text: Optional[str] = None) -> QDialogButtonBox:
    """Save (calls ``save``, which closes the dialog only when it worked) and Cancel."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, dialog)
    buttons.button(QDialogButtonBox.StandardButton.Save).setText(save_text or QCoreApplication.translate("VisitForm", "Save"))
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(cancel_text or QCoreApplication.translate("VisitForm", "Cancel"))
    buttons.accepted.connect(save)
    buttons.rejected.connect(dialog.reject)
    return buttons


class CheckedForm:
    """A QFormLayout in which every field has an error line under it."""

    def __init__(self, parent: QWidget, form: QFormLayout):
        self.parent = parent
        self.form = form
        self.errors: dict[str, QLabel] = {}

    def add(self, key: str, label: str, widget: QWidget) -> QWidget:
        holder = QWidget(self.parent)
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(widget)
        error = QLabel(holder)
        error.setObjectName(f"error_{key}")
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        box.addWidget(error)
        self.errors[key] = error
        self.form.addRow(label, holder)
        return widget

    def mark(self, key: str, error: Optional[FieldError]) -> None:
        label = self.errors.get(key)
        if label is None:
            return
        label.setText(error_text(error) if error is not None else "")
        label.setVisible(error is not None)

    def clear(self) -> None:
        for key in self.errors:
            self.mark(key, None)

    def shown(self) -> dict[str, str]:
        return {key: label.text() for key, label in self.errors.items() if label.text()}


def report_failure(dialog: QWidget, form: Optional[CheckedForm], summary: QLabel, exc: BaseException) -> None:
    """A refused save: fields marked, one sentence on top, nothing the user typed lost."""
    if isinstance(exc, ValidationError):
        unplaced = []
        for key, error in exc.errors.items():
            if form is not None and key in form.errors:
                form.mark(key, error)
            else:
                unplaced.append(error_text(error))
        summary.setText(" ".join([error_text(exc)] + unplaced))
    elif isinstance(exc, CrmError):
        summary.setText(error_text(exc))
    else:
        show_bug(dialog, exc)
        return
    summary.setStyleSheet(ERROR_STYLE)
    summary.show()


# ---------------------------------------------------------------- sales (issue 19): a visit's deal and objection types
OBJECTION_TYPE_SOURCES = {
    "need": QT_TRANSLATE_NOOP("ObjectionType", "Need"),
    "budget": QT_TRANSLATE_NOOP("ObjectionType", "Budget"),
    "authority": QT_TRANSLATE_NOOP("ObjectionType", "Authority"),
    "price": QT_TRANSLATE_NOOP("ObjectionType", "Price"),
    "product": QT_TRANSLATE_NOOP("ObjectionType", "Product"),
    "salesperson": QT_TRANSLATE_NOOP("ObjectionType", "Salesperson"),
    "timing": QT_TRANSLATE_NOOP("ObjectionType", "Timing"),
}


def objection_type_label(key: str) -> str:
    source = OBJECTION_TYPE_SOURCES.get(key)
    return QCoreApplication.translate("ObjectionType", source) if source else ""


def objection_type_box(parent: QWidget, key: str = "") -> QComboBox:
    """The course's objection types, "" (not typed) first."""
    box = QComboBox(parent)
    box.addItem("", "")
    for type_key in OBJECTION_TYPE_SOURCES:
        box.addItem(objection_type_label(type_key), type_key)
    box.setCurrentIndex(max(box.findData(key), 0))
    return box


def opportunity_box(parent: QWidget) -> QComboBox:
    box = QComboBox(parent)
    box.setObjectName("visitOpportunity")
    box.addItem(QCoreApplication.translate("VisitForm", "No deal"), 0)
    return box


def fill_opportunities(box: QComboBox, customer_id: int, chosen: Optional[int] = None) -> None:
    """The customer's open opportunities (and the chosen one, even if it has closed)."""
    keep = chosen if chosen is not None else box.currentData()
    box.blockSignals(True)
    while box.count() > 1:
        box.removeItem(1)
    for opportunity_id, title in (opportunities_visits.choices(customer_id, keep) if customer_id else []):
        box.addItem(title, opportunity_id)
    box.setCurrentIndex(max(box.findData(keep or 0), 0))
    box.setEnabled(box.count() > 1)
    box.blockSignals(False)
