"""The selected care event beside the list: who (customer, contact, phone, WeChat), when,
what it is about, what came of it; and the greeting, personalised for the contact in
Chinese or English, with any placeholder crmdesk does not know pointed out, and copied
with one click."""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QComboBox, QFormLayout, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton,
                               QSizePolicy, QVBoxLayout, QWidget)

from crmdesk.core.errors import CrmError
from crmdesk.core.phones.rules import display as phone_display
from crmdesk.core.care import events as care, settings as care_settings, templates as care_templates
from crmdesk.ui.care import labels as CL
from crmdesk.ui.common import formatting
from crmdesk.ui.visits.form import ERROR_STYLE


def ui_lang() -> str:
    from crmdesk.ui.imports.wizard import ui_lang as lang
    return lang()


class CareDetails(QWidget):
    copied = Signal(str)  # the text put on the clipboard

    def __init__(self, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setObjectName("careDetails")
        self.current: Optional[care.Event] = None
        self.event_id: Optional[int] = None
        self.heading = QLabel(self)
        self.heading.setObjectName("careHeading")
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-weight: 600; font-size: 14px;")
        self.about = QLabel(self)
        self.about.setObjectName("careAbout")
        self.about.setWordWrap(True)
        form = QFormLayout()
        self.fields: dict[str, QLabel] = {}
        for key, text in (("customer", self.tr("Customer")), ("contact", self.tr("Contact")),
                          ("phones", self.tr("Phone")), ("wechat", self.tr("WeChat")), ("email", self.tr("Email")),
                          ("owner", self.tr("Owner")), ("due", self.tr("Due")), ("channel", self.tr("Channel")),
                          ("state", self.tr("State")), ("result", self.tr("Result")),
                          ("response", self.tr("Customer's response"))):
            label = QLabel(self)
            label.setObjectName(f"care_{key}")
            label.setWordWrap(True)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            self.fields[key] = label
            form.addRow(text, label)
        self.form = form
        greeting_row = QHBoxLayout()
        self.greeting_label = QLabel(self.tr("Greeting"), self)
        self.lang = QComboBox(self)
        self.lang.setObjectName("greetingLanguage")
        self.lang.addItem("中文", "zh")
        self.lang.addItem("English", "en")
        self.lang.setCurrentIndex(0 if ui_lang() == "zh" else 1)
        self.lang.currentIndexChanged.connect(lambda _i: self._show_greeting())
        self.copy_button = QPushButton(self.tr("&Copy greeting"), self)
        self.copy_button.setObjectName("copyGreeting")
        self.copy_button.clicked.connect(self.copy_greeting)
        greeting_row.addWidget(self.greeting_label)
        greeting_row.addStretch(1)
        greeting_row.addWidget(self.lang)
        greeting_row.addWidget(self.copy_button)
        self.greeting = QPlainTextEdit(self)
        self.greeting.setObjectName("greetingText")
        self.greeting.setReadOnly(True)
        self.greeting.setMaximumHeight(110)
        self.warning = QLabel(self)
        self.warning.setObjectName("greetingWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(ERROR_STYLE)
        self.warning.hide()
        self.empty = QLabel(self.tr("Choose a reminder in the list to see it here."), self)
        self.empty.setObjectName("careEmpty")
        self.empty.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.addWidget(self.empty)
        layout.addWidget(self.heading)
        layout.addWidget(self.about)
        layout.addLayout(form)
        layout.addLayout(greeting_row)
        layout.addWidget(self.greeting)
        layout.addWidget(self.warning)
        layout.addStretch(1)
        self._parts = [self.heading, self.about, self.greeting_label, self.lang, self.copy_button, self.greeting]
        self.show_event(None)

    def show_event(self, event_id: Optional[int]) -> None:
        self.event_id = event_id
        try:
            self.current = care.get(event_id) if event_id else None
        except CrmError:
            self.current = None
        event = self.current
        self.empty.setVisible(event is None)
        for widget in self._parts:
            widget.setVisible(event is not None)
        for key, label in self.fields.items():
            self.form.setRowVisible(label, event is not None)
        if event is None:
            self.warning.hide()
            return
        self.heading.setText(CL.label("kind", event.kind))
        self.about.setText(CL.about(event.kind, event.occasion, event.facts, event.subject, event.contact_name))
        f = self.fields
        f["customer"].setText(f"{event.customer_name} · {event.customer_code}")
        f["contact"].setText(" ".join(p for p in (event.contact_name, event.contact_title) if p))
        f["phones"].setText(" / ".join(phone_display(p) for p in (event.mobile, event.phone) if p))
        f["wechat"].setText(event.wechat)
        f["email"].setText(event.email)
        f["owner"].setText(event.owner)
        f["due"].setText(formatting.date(event.due_on))
        f["channel"].setText(CL.label("channel", event.channel))
        state = CL.label("state", event.state)
        if event.state == "snoozed" and event.snoozed_until:
            state = self.tr("Snoozed to {date}").format(date=formatting.date(event.snoozed_until))
        elif event.done_at:
            state = f"{state} · {formatting.utc_datetime(event.done_at)}"
        f["state"].setText(state)
        f["result"].setText(event.result)
        f["response"].setText(event.response)
        for key in ("wechat", "email", "result", "response"):
            self.form.setRowVisible(f[key], bool(f[key].text()))
        self._show_greeting()

    def refresh(self) -> None:
        self.show_event(self.event_id)

    def greeting_text(self) -> care_templates.Greeting:
        if self.current is None:
            return care_templates.Greeting("", ())
        return care_templates.greeting(self.current, self.lang.currentData(), care_settings.templates())

    def _show_greeting(self) -> None:
        greeting = self.greeting_text()
        self.greeting.setPlainText(greeting.text)
        self.copy_button.setEnabled(bool(greeting.text.strip()))
        if greeting.unknown:
            self.warning.setText(self.tr("crmdesk does not know {names}: it is left as written. Correct the "
                                         "template in Care ▸ Settings, or edit the text after copying.")
                                 .format(names=", ".join(greeting.unknown)))
        self.warning.setVisible(bool(greeting.unknown))

    def copy_greeting(self) -> str:
        text = self.greeting_text().text
        if text:
            QGuiApplication.clipboard().setText(text)
            self.copied.emit(text)
        return text

