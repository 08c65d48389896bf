"""A new opportunity (商机), or one opened to edit: customer and contacts, title, amount,
stage and probability (the stage's default until edited), expected close, next step and its
date, source, competitors, owner, notes; an opened one lists its visits. A refused save keeps
the form open with the fields marked."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from PySide6.QtWidgets import (QComboBox, QDialog, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QSpinBox,
                               QVBoxLayout, QWidget)

from crmdesk import i18n
from crmdesk.core.errors import CrmError
from crmdesk.core.sales import opportunities as O
from crmdesk.core.sales import opportunities_visits
from crmdesk.core.sales import stages as S
from crmdesk.core.sales.fields import LOST_REASONS
from crmdesk.ui.common import formatting
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.visits.form import CheckedForm, report_failure, save_buttons
from crmdesk.ui.common.labels import choices
from crmdesk.ui.sales.lost_dialog import reason_label
from crmdesk.ui.common.pickers import CustomerPicker


def date_text(value: Optional[dt.date]) -> str:
    return value.isoformat() if value else ""


class OpportunityDialog(QDialog):
    def __init__(self, bus: ChangeBus, opportunity_id: Optional[int] = None, customer_id: Optional[int] = None,
                 parent: Optional[QWidget] = None, now: Optional[dt.datetime] = None):
        super().__init__(parent)
        self.setObjectName("opportunityDialog")
        self.bus, self.opportunity_id, self.now = bus, opportunity_id, now
        self.version: Optional[int] = None
        self.saved_id: Optional[int] = None
        self.stage_list = S.load()
        self.setWindowTitle(self.tr("Opportunity") if opportunity_id else self.tr("New opportunity"))
        self.resize(600, 480)
        self.summary = QLabel(self)
        self.summary.setObjectName("opportunitySummary")
        self.summary.setWordWrap(True)
        self.summary.hide()
        layout_form = QFormLayout()
        self.form = CheckedForm(self, layout_form)
        self.customer = self.form.add("customer_id", self.tr("Customer"), CustomerPicker(self))
        self.title_edit = self.form.add("title", self.tr("Title"), QLineEdit(self))
        self.title_edit.setObjectName("opportunityTitle")
        self.title_edit.setPlaceholderText(self.tr("What the deal is about, e.g. 200 t stainless pipe"))
        self.contacts = self.form.add("contacts", self.tr("Contacts"), QLineEdit(self))
        self.contacts.setObjectName("opportunityContacts")
        self.amount = self.form.add("amount", self.tr("Amount (¥)"), QLineEdit(self))
        self.amount.setObjectName("opportunityAmount")
        self.amount.setPlaceholderText(self.tr("e.g. 125000 or 12.5万"))
        self.stage = self.form.add("stage", self.tr("Stage"), QComboBox(self))
        self.stage.setObjectName("opportunityStage")
        for stage in self.stage_list:
            self.stage.addItem(stage.name(i18n.language()), stage.key)
        self.probability = self.form.add("probability", self.tr("Probability"), QSpinBox(self))
        self.probability.setObjectName("opportunityProbability")
        self.probability.setRange(0, 100)
        self.probability.setSuffix(" %")
        self.probability_edited = False
        self.probability.valueChanged.connect(self._probability_typed)
        self.stage.currentIndexChanged.connect(self._stage_chosen)
        self.lost_reason = self.form.add("lost_reason", self.tr("Lost because"), QComboBox(self))
        self.lost_reason.setObjectName("opportunityLostReason")
        self.lost_reason.addItem(self.tr("Choose a reason…"), None)
        for key in LOST_REASONS:
            self.lost_reason.addItem(reason_label(key), key)
        self.layout_form = layout_form
        self.expected_close = self.form.add("expected_close", self.tr("Expected close"), QLineEdit(self))
        self.expected_close.setObjectName("opportunityClose")
        self.expected_close.setPlaceholderText("2026-12-31")
        self.next_step = self.form.add("next_step", self.tr("Next step"), QLineEdit(self))
        self.next_step.setObjectName("opportunityNextStep")
        self.next_step_on = self.form.add("next_step_on", self.tr("Next step on"), QLineEdit(self))
        self.next_step_on.setObjectName("opportunityNextStepOn")
        self.next_step_on.setPlaceholderText("2026-12-10")
        self.source = self.form.add("source", self.tr("Source"), QComboBox(self))
        self.source.setObjectName("opportunitySource")
        self.source.addItem("", "")
        for key, text in choices("source"):
            self.source.addItem(text, key)
        self.competitors = self.form.add("competitors", self.tr("Competitors"), QLineEdit(self))
        self.competitors.setObjectName("opportunityCompetitors")
        self.owner = self.form.add("owner", self.tr("Owner"), QLineEdit(self))
        self.owner.setObjectName("opportunityOwner")
        self.notes = self.form.add("notes", self.tr("Notes"), QPlainTextEdit(self))
        self.notes.setObjectName("opportunityNotes")
        self.notes.setFixedHeight(70)
        self.visits = QLabel(self)
        self.visits.setObjectName("opportunityVisits")
        self.visits.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(layout_form)
        layout.addWidget(self.visits)
        layout.addStretch(1)  # spare height below the form, not inside a field
        layout.addWidget(save_buttons(self, self.save))
        if opportunity_id:
            self.load(opportunity_id)
        else:
            self._stage_chosen()
            if customer_id:
                self.customer.set_customer(customer_id)
            self.visits.hide()

    def _probability_typed(self, _value: int) -> None:
        if not self.signalsBlocked() and not getattr(self, "_setting", False):
            self.probability_edited = True

    def _stage_chosen(self, *_args) -> None:
        """A new stage brings its default probability, unless the user typed one; lost asks why."""
        stage = S.by_key(self.stage_list).get(self.stage.currentData())
        self.layout_form.setRowVisible(self.lost_reason.parentWidget(), stage is not None and stage.kind == S.LOST)
        if self.probability_edited:
            return
        if stage is not None:
            self._setting = True
            self.probability.setValue(stage.probability)
            self._setting = False

    def load(self, opportunity_id: int) -> None:
        row = O.get(opportunity_id)
        self.version = row.version
        self.customer.set_customer(row.customer_id)
        self.customer.setEnabled(False)  # a deal stays with its customer
        self.title_edit.setText(row.title)
        self.contacts.setText(row.contacts)
        self.amount.setText("" if row.amount is None else format(row.amount.normalize(), "f"))
        self.lost_reason.setCurrentIndex(max(self.lost_reason.findData(row.lost_reason), 0))
        self.stage.setCurrentIndex(max(self.stage.findData(row.stage), 0))
        self._stage_chosen()
        self._setting = True
        self.probability.setValue(row.probability)
        self._setting = False
        self.probability_edited = row.probability != S.by_key(self.stage_list).get(row.stage, S.DEFAULT_STAGES[0]).probability
        self.expected_close.setText(date_text(row.expected_close))
        self.next_step.setText(row.next_step)
        self.next_step_on.setText(date_text(row.next_step_on))
        self.source.setCurrentIndex(max(self.source.findData(row.source or ""), 0))
        self.competitors.setText(row.competitors)
        self.owner.setText(row.owner)
        self.notes.setPlainText(row.notes)
        found = opportunities_visits.visits_of(row.id)
        if found:
            lines = [f"{formatting.date(v.starts_at.date())} {v.objective or v.outcome}".strip() for v in found]
            self.visits.setText(self.tr("Visits for this deal: %n", "", len(found)) + "\n" + "\n".join(lines))
        else:
            self.visits.setText(self.tr("No visits for this deal yet."))

    def values(self) -> dict:
        values = {"title": self.title_edit.text(), "contacts": self.contacts.text(), "amount": self.amount.text(),
                  "stage": self.stage.currentData(), "expected_close": self.expected_close.text(),
                  "next_step": self.next_step.text(), "next_step_on": self.next_step_on.text(),
                  "source": self.source.currentData(), "competitors": self.competitors.text(),
                  "owner": self.owner.text(), "notes": self.notes.toPlainText()}
        if self.probability_edited:
            values["probability"] = self.probability.value()
        if self.lost_reason.currentData() and self.layout_form.isRowVisible(self.lost_reason.parentWidget()):
            values["lost_reason"] = self.lost_reason.currentData()
        return values

    def save(self) -> bool:
        self.form.clear()
        self.summary.hide()
        try:
            if self.opportunity_id:
                written = O.update(self.opportunity_id, self.values(), self.version, now=self.now)
            else:
                if not self.customer.customer_id:
                    raise CrmError("opportunity_customer_required")
                written = O.create({"customer_id": self.customer.customer_id, **self.values()}, now=self.now)
        except Exception as exc:  # noqa: BLE001 - shown, the dialog stays open, nothing stored
            report_failure(self, self.form, self.summary, exc)
            return False
        self.saved_id = written.opportunity_id
        self.bus.publish(*written.changes)
        self.accept()
        return True
