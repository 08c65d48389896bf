"""Finishing care events, one or a selection: done (what came of it and what the customer
said, both optional, so Done then Save is two clicks), skipped (the reason, required), or
snoozed to a day. A refused save keeps the dialog open with the problem named and what
was typed kept; the versions read when the list showed them go with it, so an event
changed in another window meanwhile is not overwritten."""
from __future__ import annotations

import datetime as dt
from typing import Mapping, Optional, Sequence

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCalendarWidget, QDialog, QFormLayout, QLabel, QVBoxLayout, QWidget

from crmdesk.core.care import events as care
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.complaints.dialog import text_box
from crmdesk.ui.visits.form import CheckedForm, report_failure, save_buttons

MODES = ("done", "skip", "snooze")


class CareActionDialog(QDialog):
    def __init__(self, bus: ChangeBus, event_ids: Sequence[int], mode: str, parent: Optional[QWidget] = None,
                 today: Optional[dt.date] = None, versions: Optional[Mapping[int, int]] = None):
        super().__init__(parent)
        assert mode in MODES, mode
        self.setObjectName("careActionDialog")
        self.bus, self.event_ids, self.mode = bus, list(event_ids), mode
        self.today = today or dt.date.today()
        self.versions = dict(versions or {})
        self.outcome: Optional[care.Done] = None
        count = len(self.event_ids)
        titles = {"done": self.tr("Mark as done"), "skip": self.tr("Skip"), "snooze": self.tr("Snooze to a day")}
        self.setWindowTitle(titles[mode])
        self.summary = QLabel(self)
        self.summary.setObjectName("careActionSummary")
        self.summary.setWordWrap(True)
        self.summary.hide()
        intro = QLabel(self.tr("%n reminder(s) selected.", "", count), self)
        intro.setObjectName("careActionIntro")
        form_layout = QFormLayout()
        self.form = CheckedForm(self, form_layout)
        self.result_edit = self.response_edit = self.calendar = self.satisfaction = None
        if mode == "done":
            self.result_edit = self.form.add("result", self.tr("Result"), text_box(self, "careResult", 70))
            self.result_edit.setPlaceholderText(self.tr("What came of it, e.g. sent a WeChat greeting"))
            self.response_edit = self.form.add("response", self.tr("Customer's response"),
                                          text_box(self, "careResponse", 60))
            self.response_edit.setPlaceholderText(self.tr("What the customer said, if anything"))
            if all(e.kind == "survey" for e in care.many(self.event_ids)):  # surveys: how satisfied
                from PySide6.QtWidgets import QComboBox
                from crmdesk.ui.complaints import labels as CL
                self.satisfaction = QComboBox(self)
                self.satisfaction.setObjectName("careSatisfaction")
                self.satisfaction.addItem(self.tr("Not asked"), None)
                for level, text in enumerate(CL.levels(5), 1):
                    self.satisfaction.addItem(text, level)
                self.form.add("satisfaction", self.tr("Satisfaction"), self.satisfaction)
        elif mode == "skip":
            self.result_edit = self.form.add("result", self.tr("Reason"), text_box(self, "careReason", 70))
            self.result_edit.setPlaceholderText(self.tr("Why it is skipped, e.g. the customer is abroad"))
        else:
            self.calendar = QCalendarWidget(self)
            self.calendar.setObjectName("careSnoozeDay")
            first = self.today + dt.timedelta(days=1)
            self.calendar.setMinimumDate(QDate(first.year, first.month, first.day))
            last = self.today + dt.timedelta(days=care.MAX_SNOOZE_DAYS)
            self.calendar.setMaximumDate(QDate(last.year, last.month, last.day))
            self.calendar.setSelectedDate(QDate(first.year, first.month, first.day))
            self.form.add("snoozed_until", self.tr("Show it again on"), self.calendar)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(intro)
        layout.addLayout(form_layout)
        layout.addWidget(save_buttons(self, self.save, self.tr("Save") if mode != "snooze" else self.tr("Snooze")))
        if self.result_edit is not None:
            self.result_edit.setFocus()

    def save(self) -> bool:
        self.form.clear()
        try:
            if self.mode == "done":
                self.outcome = care.mark_done(self.event_ids, self.result_edit.toPlainText(), self.response_edit.toPlainText(),
                                           versions=self.versions,
                                           satisfaction=self.satisfaction.currentData() if self.satisfaction else None)
            elif self.mode == "skip":
                self.outcome = care.skip(self.event_ids, self.result_edit.toPlainText(), versions=self.versions)
            else:
                day = self.calendar.selectedDate()
                self.outcome = care.snooze(self.event_ids, dt.date(day.year(), day.month(), day.day()), self.today,
                                        versions=self.versions)
        except Exception as exc:  # noqa: BLE001 - shown in the dialog; nothing typed is lost
            report_failure(self, self.form, self.summary, exc)
            return False
        self.bus.publish(*self.outcome.changes)
        self.accept()
        return True
