"""Plan a care event by hand, or change one: the customer (typed and picked), which of its
contacts, the kind, the day, the channel, a subject and the message to send (blank: the
kind's greeting template). A refused save keeps the form open with the fields marked."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from crmdesk.core.care import events as care
from crmdesk.core.customers import contacts
from crmdesk.ui.care import labels as CL
from crmdesk.ui.common import formatting
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.complaints.dialog import text_box
from crmdesk.ui.visits.form import CheckedForm, report_failure, save_buttons
from crmdesk.ui.common.pickers import CustomerPicker


def choice_box(parent: QWidget, name: str, kind: str) -> QComboBox:
    box = QComboBox(parent)
    box.setObjectName(name)
    for key, text in CL.choices(kind):
        box.addItem(text, key)
    return box


class CareEventDialog(QDialog):
    def __init__(self, bus: ChangeBus, customer_id: Optional[int] = None, event_id: Optional[int] = None,
                 parent: Optional[QWidget] = None, today: Optional[dt.date] = None):
        super().__init__(parent)
        self.setObjectName("careEventDialog")
        self.bus, self.event_id = bus, event_id
        self.version: Optional[int] = None
        self.saved_id: Optional[int] = None
        self.setWindowTitle(self.tr("Change the reminder") if event_id else self.tr("Plan a care reminder"))
        self.resize(560, 420)
        self.summary = QLabel(self)
        self.summary.setObjectName("careEventSummary")
        self.summary.setWordWrap(True)
        self.summary.hide()
        layout_form = QFormLayout()
        self.form = CheckedForm(self, layout_form)
        self.customer = self.form.add("customer_id", self.tr("Customer"), CustomerPicker(self))
        self.customer.chosen.connect(self._customer_chosen)
        self.contact = QComboBox(self)
        self.contact.setObjectName("careContact")
        self.form.add("contact_id", self.tr("Contact"), self.contact)
        self.kind = self.form.add("kind", self.tr("Kind"), choice_box(self, "careKind", "kind"))
        self.kind.setCurrentIndex(self.kind.findData("routine"))
        self.due = QDateEdit(self)
        self.due.setObjectName("careDue")
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat(formatting.date_format())
        day = today or dt.date.today()
        self.due.setDate(QDate(day.year, day.month, day.day))
        self.form.add("due_on", self.tr("Day"), self.due)
        self.channel = self.form.add("channel", self.tr("Channel"), choice_box(self, "careChannel", "channel"))
        self.title_edit = self.form.add("title", self.tr("Subject"), QLineEdit(self))
        self.title_edit.setObjectName("careTitle")
        self.title_edit.setPlaceholderText(self.tr("e.g. ask how the new printer works"))
        self.message = self.form.add("message", self.tr("Message"), text_box(self, "careMessage", 90))
        self.message.setPlaceholderText(self.tr("Blank: the greeting template of the kind, personalised"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(layout_form)
        layout.addStretch(1)
        layout.addWidget(save_buttons(self, self.save))
        self._fill_contacts(0)
        if event_id is not None:
            self._load(event_id)
        elif customer_id:
            self.customer.set_customer(customer_id)
            self._fill_contacts(customer_id)

    def _customer_chosen(self, customer_id: int) -> None:
        self._fill_contacts(customer_id)

    def _fill_contacts(self, customer_id: int) -> None:
        self.contact.clear()
        self.contact.addItem(self.tr("The customer's contact person"), None)
        if customer_id:
            for person in contacts.for_customer(customer_id):
                self.contact.addItem(" ".join(p for p in (person.name, person.title) if p), person.id)

    def _load(self, event_id: int) -> None:
        event = care.get(event_id)
        self.version = event.version
        self.customer.set_customer(event.customer_id)
        self.customer.setEnabled(False)
        self._fill_contacts(event.customer_id)
        self.contact.setCurrentIndex(max(self.contact.findData(event.contact_id), 0))
        self.kind.setCurrentIndex(max(self.kind.findData(event.kind), 0))
        self.due.setDate(QDate(event.due_on.year, event.due_on.month, event.due_on.day))
        self.channel.setCurrentIndex(max(self.channel.findData(event.channel), 0))
        self.title_edit.setText(event.title)
        self.message.setPlainText(event.message)

    def values(self) -> dict:
        day = self.due.date()
        return {"customer_id": self.customer.customer_id, "contact_id": self.contact.currentData(),
                "kind": self.kind.currentData(), "due_on": dt.date(day.year(), day.month(), day.day()),
                "channel": self.channel.currentData(), "title": self.title_edit.text(),
                "message": self.message.toPlainText()}

    def save(self) -> bool:
        self.form.clear()
        try:
            if self.event_id is None:
                written = care.create(self.values())
            else:
                written = care.update(self.event_id, self.values(), self.version)
        except Exception as exc:  # noqa: BLE001 - shown in the form; nothing typed is lost
            report_failure(self, self.form, self.summary, exc)
            return False
        self.saved_id = written.id
        self.bus.publish(*written.changes)
        self.accept()
        return True
