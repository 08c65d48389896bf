"""One step of a complaint's way through, in one dialog: when it happened, a note for the
contact log, and the step's own fields (the first response's channel; the facts, root
cause, solution and compensation of a proposal; the customer's satisfaction and the
follow-up after closing). Also logs a contact. The version the complaint had when the
dialog opened goes with the step: if another window moved it meanwhile, this one is told."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from PySide6.QtWidgets import (QButtonGroup, QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QRadioButton,
                               QSpinBox, QVBoxLayout, QWidget)

from crmdesk.core.complaints import flow as complaint_flow, settings as complaint_settings, complaints
from crmdesk.ui.complaints import labels as CL
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.complaints.dialog import combo, text_box
from crmdesk.ui.visits.form import CheckedForm, datetime_edit, from_qdatetime, report_failure, save_buttons

ACTIONS = ("acknowledge", "investigate", "propose", "reject", "resolve", "close", "reopen", "wait", "resume", "contact")


class ComplaintStepDialog(QDialog):
    def __init__(self, bus: ChangeBus, complaint_id: int, action: str, parent: Optional[QWidget] = None,
                 now: Optional[dt.datetime] = None):
        super().__init__(parent)
        assert action in ACTIONS, action
        self.setObjectName("complaintStepDialog")
        self.bus, self.complaint_id, self.action = bus, complaint_id, action
        complaint = complaints.get(complaint_id)
        self.version = complaint.version
        self.saved_id: Optional[int] = None
        self.care_event_id: Optional[int] = None
        titles = {"acknowledge": self.tr("Acknowledge: the first response"),
                  "investigate": self.tr("Start investigating"),
                  "propose": self.tr("Propose a solution"), "reject": self.tr("The customer rejected the solution"),
                  "resolve": self.tr("Resolved: the customer accepted"), "close": self.tr("Close with a survey"),
                  "reopen": self.tr("Reopen the complaint"), "wait": self.tr("Wait for the customer"),
                  "resume": self.tr("The customer answered: resume"), "contact": self.tr("Log a contact")}
        self.setWindowTitle(f"{titles[action]} — {complaint.number}")
        self.resize(560, {"propose": 560, "close": 380}.get(action, 300))
        self.summary = QLabel(self)
        self.summary.setObjectName("stepSummary")
        self.summary.setWordWrap(True)
        self.summary.hide()
        form_layout = QFormLayout()
        self.form = CheckedForm(self, form_layout)
        time_key = {"acknowledge": "first_response_at", "resolve": "resolved_at", "close": "closed_at"}.get(action, "at")
        self.time_key = time_key
        self.when = self.form.add(time_key, self.tr("When"), datetime_edit(self, "stepTime", now or complaints.now()))
        self.channel = None
        if action in ("acknowledge", "contact"):
            self.channel = self.form.add("channel", self.tr("Channel"), combo(self, "stepChannel", "channel"))
            self.channel.setCurrentIndex(max(self.channel.findData(complaint.channel), 0))
        if action == "contact":
            self.by = self.form.add("by", self.tr("By"), QLineEdit(self))
            self.by.setObjectName("stepBy")
            self.by.setText(complaint.owner)
        if action == "propose":
            self.facts = self.form.add("facts", self.tr("Facts established"), text_box(self, "stepFacts"))
            self.facts.setPlainText(complaint.facts)
            self.root_cause = self.form.add("root_cause", self.tr("Root cause"), text_box(self, "stepRootCause"))
            self.root_cause.setPlainText(complaint.root_cause)
            self.solution = self.form.add("solution", self.tr("Solution offered"), text_box(self, "stepSolution"))
            self.solution.setPlainText(complaint.solution)
            row = QWidget(self)
            box = QHBoxLayout(row)
            box.setContentsMargins(0, 0, 0, 0)
            self.compensation = combo(row, "stepCompensation", "compensation_kind", blank=True)
            self.compensation.setCurrentIndex(max(self.compensation.findData(complaint.compensation_kind), 0))
            self.amount = QLineEdit(row)
            self.amount.setObjectName("stepAmount")
            self.amount.setPlaceholderText(self.tr("Amount, e.g. 200"))
            if complaint.compensation_amount is not None:
                self.amount.setText(str(complaint.compensation_amount))
            box.addWidget(self.compensation, 1)
            box.addWidget(self.amount, 1)
            self.form.add("compensation_kind", self.tr("Compensation"), row)
            self.form.errors["compensation_amount"] = self.form.errors["compensation_kind"]
        if action == "close":
            options = complaint_settings.load().options
            holder = QWidget(self)
            box = QHBoxLayout(holder)
            box.setContentsMargins(0, 0, 0, 0)
            self.levels = QButtonGroup(self)
            for level, name in enumerate(CL.levels(options.satisfaction_scale), 1):
                button = QRadioButton(name, holder)
                button.setObjectName(f"satisfaction{level}")
                self.levels.addButton(button, level)
                box.addWidget(button)
            self.form.add("satisfaction", self.tr("Satisfaction"), holder)
            self.follow_up = QSpinBox(self)
            self.follow_up.setObjectName("stepFollowUp")
            self.follow_up.setRange(0, complaint_settings.MAX_FOLLOW_UP_DAYS)
            self.follow_up.setValue(options.follow_up_days)
            self.follow_up.setSuffix(self.tr(" days later"))
            self.form.add("follow_up_days", self.tr("Follow-up call"), self.follow_up)
        note_labels = {"close": self.tr("Survey comment"), "reopen": self.tr("Why"), "contact": self.tr("What was said"),
                       "wait": self.tr("Waiting for what")}
        self.note = self.form.add("note", note_labels.get(action, self.tr("Note")), text_box(self, "stepNote", 70))
        if action == "acknowledge":
            self.note.setPlaceholderText(self.tr("What you told the customer"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        if action in ("acknowledge", "propose"):
            words = QLabel(self.tr("The customer said: {words}").format(words=complaint.words or "—"), self)
            words.setWordWrap(True)
            words.setStyleSheet("color: #555;")
            layout.addWidget(words)
        layout.addLayout(form_layout)
        layout.addStretch(1)  # the fields stay together at the top when the dialog is taller
        layout.addWidget(save_buttons(self, self.save, self.tr("Save")))

    def save(self) -> bool:
        self.form.clear()
        self.summary.hide()
        at = from_qdatetime(self.when.dateTime())
        note = self.note.toPlainText()
        flow, version, cid = complaint_flow, self.version, self.complaint_id
        try:
            if self.action == "acknowledge":
                written = flow.acknowledge(cid, note, self.channel.currentData(), at, version)
            elif self.action == "investigate":
                written = flow.investigate(cid, note, at, version)
            elif self.action == "propose":
                written = flow.propose(cid, {"facts": self.facts.toPlainText(), "root_cause": self.root_cause.toPlainText(),
                                             "solution": self.solution.toPlainText(),
                                             "compensation_kind": self.compensation.currentData(),
                                             "compensation_amount": self.amount.text()}, note, at, version)
            elif self.action == "reject":
                written = flow.reject(cid, note, at, version)
            elif self.action == "resolve":
                written = flow.resolve(cid, note, at, version)
            elif self.action == "close":
                level = self.levels.checkedId()
                written = flow.close(cid, level if level > 0 else None, note, self.follow_up.value(), at, version)
                self.care_event_id = written.care_event_id
            elif self.action == "reopen":
                written = flow.reopen(cid, note, at, version)
            elif self.action == "wait":
                written = flow.wait(cid, note, at, version)
            elif self.action == "resume":
                written = flow.resume(cid, note, at, version)
            else:
                written = flow.add_contact(cid, {"at": at, "note": note, "channel": self.channel.currentData(),
                                                 "by": self.by.text()}, version)
        except Exception as exc:  # noqa: BLE001 - every failure is shown; nothing typed is lost
            report_failure(self, self.form, self.summary, exc)
            return False
        self.saved_id = cid
        self.bus.publish(*written.changes)
        self.accept()
        return True
