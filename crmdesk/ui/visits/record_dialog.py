"""Record what came of a visit: what happened, objections met and the answers given, a
rating, the follow-up, the next visit (planned in the same click) and, with a
confirmation, the customer's next lifecycle stage. Also logs a visit that was never
planned, and closes one that won't happen (postponed, cancelled, missed) with its reason."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QFormLayout, QGroupBox,
                               QHeaderView, QLabel, QLineEdit, QMessageBox, QPlainTextEdit, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from crmdesk.core.visits import fields as V
from crmdesk.core.sales import objections as typed_objections
from crmdesk.core.customers import archive as customers
from crmdesk.core.visits import planning as visit_planning, visits
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.visits.form import (CheckedForm, save_buttons, datetime_edit, fill_opportunities,
                                           from_qdatetime, next_slot, objection_type_box, opportunity_box,
                                           report_failure, to_qdatetime)
from crmdesk.ui.common.labels import choice_label
from crmdesk.ui.sales.sale_dialog import SaleDialog
from crmdesk.ui.visits.labels import kind_label, kinds


def _text_box(parent: QWidget, name: str, height: int = 80) -> QPlainTextEdit:
    box = QPlainTextEdit(parent)
    box.setObjectName(name)
    box.setTabChangesFocus(True)
    box.setMinimumHeight(height)
    return box


class RecordDialog(QDialog):
    """``visit_id``: record that planned visit; else ``customer_id``: log a new one."""

    def __init__(self, bus: ChangeBus, visit_id: Optional[int] = None, customer_id: Optional[int] = None,
                 parent: Optional[QWidget] = None, now: Optional[dt.datetime] = None):
        super().__init__(parent)
        self.setObjectName("recordDialog")
        self.bus = bus
        self.visit_id = visit_id
        self.now = now or visits.now()
        self.saved_id: Optional[int] = None
        self.next_id: Optional[int] = None
        self.ask = True  # tests answer the stage question themselves
        visit = visits.get(visit_id) if visit_id is not None else None
        self.version = visit.version if visit else None
        self.customer = customers.get(visit.customer_id if visit else customer_id)
        self.setWindowTitle(self.tr("Record the visit") if visit else self.tr("Log a visit"))
        self.resize(640, 720)
        self.summary = QLabel(self)
        self.summary.setObjectName("recordSummary")
        self.summary.setWordWrap(True)
        self.summary.hide()
        heading = QLabel(self)
        heading.setObjectName("recordHeading")
        heading.setWordWrap(True)
        heading.setText(f"<b>{self.customer.name}</b>" + (
            f" · {kind_label(visit.kind)} · {visit.objective}" if visit and visit.objective else ""))
        form_layout = QFormLayout()
        self.form = CheckedForm(self, form_layout)
        start = visit.starts_at if visit else self.now - dt.timedelta(hours=1)
        end = visit.ends_at if visit else self.now
        self.starts_at = self.form.add("starts_at", self.tr("Started"), datetime_edit(self, "recordStart", start))
        self.ends_at = self.form.add("ends_at", self.tr("Ended"), datetime_edit(self, "recordEnd", end))
        self.kind = QComboBox(self)
        self.kind.setObjectName("recordKind")
        for key, label in kinds():
            self.kind.addItem(label, key)
        self.kind.setCurrentIndex(max(self.kind.findData(visit.kind if visit else "needs_analysis"), 0))
        self.kind.setEnabled(visit is None)
        self.form.add("kind", self.tr("Kind"), self.kind)
        self.outcome = self.form.add("outcome", self.tr("What happened"), _text_box(self, "recordOutcome", 90))
        self.opportunity = self.form.add("opportunity", self.tr("For the deal"), opportunity_box(self))
        fill_opportunities(self.opportunity, self.customer.id, visit.opportunity_id if visit else None)
        self.objections = QTableWidget(0, 3, self)
        self.objections.setObjectName("recordObjections")
        self.objections.setHorizontalHeaderLabels([self.tr("Objection"), self.tr("Answer given"), self.tr("Type")])
        self.objections.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.objections.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.objections.verticalHeader().hide()
        self.objections.setMinimumHeight(100)
        self.objections.itemChanged.connect(lambda _i: self._keep_an_empty_row())
        self.form.add("objections", self.tr("Objections"), self.objections)
        self.rating = QComboBox(self)
        self.rating.setObjectName("recordRating")
        self.rating.addItem(self.tr("Not rated"), None)
        for stars, text in ((5, self.tr("Excellent")), (4, self.tr("Good")), (3, self.tr("Fair")),
                            (2, self.tr("Poor")), (1, self.tr("Bad"))):
            self.rating.addItem("★" * stars + "☆" * (5 - stars) + f"  {text}", stars)
        self.form.add("rating", self.tr("Result"), self.rating)
        self.follow_up = self.form.add("follow_up", self.tr("Follow-up actions"), _text_box(self, "recordFollowUp", 60))
        if visit is not None:
            self.outcome.setPlainText(visit.outcome)
            self.follow_up.setPlainText(visit.follow_up)
            self.rating.setCurrentIndex(max(self.rating.findData(visit.rating), 0))
            for objection in typed_objections.parse(visit.objections):
                self._add_objection(objection.text, objection.answer, objection.type)
        self._keep_an_empty_row()

        self.next_box = QGroupBox(self.tr("Plan the next visit"), self)
        self.next_box.setObjectName("recordNext")
        self.next_box.setCheckable(True)
        self.next_box.setChecked(False)
        next_form = QFormLayout(self.next_box)
        every = visit_planning.frequencies().get(self.customer.tier or "none") or 30
        suggested = dt.datetime.combine(self.now.date() + dt.timedelta(days=every), dt.time(start.hour, start.minute))
        self.next_start = datetime_edit(self.next_box, "nextStart", suggested)
        self.next_kind = QComboBox(self.next_box)
        self.next_kind.setObjectName("nextKind")
        for key, label in kinds():
            self.next_kind.addItem(label, key)
        self.next_kind.setCurrentIndex(max(self.next_kind.findData(visit.kind if visit else "needs_analysis"), 0))
        self.next_objective = QLineEdit(self.next_box)
        self.next_objective.setObjectName("nextObjective")
        next_form.addRow(self.tr("Start"), self.next_start)
        next_form.addRow(self.tr("Kind"), self.next_kind)
        next_form.addRow(self.tr("Objective"), self.next_objective)
        self.next_error = QLabel(self.next_box)
        self.next_error.setStyleSheet("color: #b3261e;")
        self.next_error.hide()
        next_form.addRow(self.next_error)

        self.stage_to = visits.next_stage(self.customer.stage)
        self.stage = QCheckBox(self)
        self.stage.setObjectName("recordStage")
        if self.stage_to:
            self.stage.setText(self.tr("Move {customer} from {old} to {new}").format(
                customer=self.customer.name, old=choice_label("stage", self.customer.stage or "prospect"),
                new=choice_label("stage", self.stage_to)))
        self.stage.setVisible(bool(self.stage_to) and (visit is None or visit.state != V.DONE))

        # issue 19: a sale made on the visit is recorded next, prefilled and linked to the visit
        self.sale = QCheckBox(self.tr("Record a sale from this visit"), self)
        self.sale.setObjectName("recordSaleFromVisit")
        self.open_sale = lambda dialog: dialog.exec()  # tests answer the sale dialog themselves
        self.sale_dialog: Optional[SaleDialog] = None

        buttons = save_buttons(self, self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.summary)
        layout.addLayout(form_layout)
        layout.addWidget(self.next_box)
        layout.addWidget(self.stage)
        layout.addWidget(self.sale)
        layout.addWidget(buttons)

    # ------------------------------------------------------------ objections
    def _add_objection(self, objection: str = "", answer: str = "", kind: str = "") -> None:
        row = self.objections.rowCount()
        self.objections.blockSignals(True)
        self.objections.insertRow(row)
        self.objections.setItem(row, 0, QTableWidgetItem(objection))
        self.objections.setItem(row, 1, QTableWidgetItem(answer))
        box = objection_type_box(self.objections, kind)
        box.setObjectName(f"objectionType{row}")
        self.objections.setCellWidget(row, 2, box)
        self.objections.blockSignals(False)

    def objection_rows(self) -> list[typed_objections.Objection]:
        """The objections typed, with the type chosen in each row."""
        rows = []
        for row, (objection, answer) in enumerate(self.objection_pairs(keep_empty=True)):
            box = self.objections.cellWidget(row, 2)
            if objection or answer:
                rows.append(typed_objections.Objection(objection, answer, box.currentData() if box else ""))
        return rows

    def _keep_an_empty_row(self) -> None:
        rows = self.objection_pairs(keep_empty=True)
        if not rows or any(rows[-1]):
            self._add_objection()

    def objection_pairs(self, keep_empty: bool = False) -> list[tuple[str, str]]:
        pairs = []
        for row in range(self.objections.rowCount()):
            cells = tuple((self.objections.item(row, c).text() if self.objections.item(row, c) else "").strip()
                          for c in (0, 1))
            if keep_empty or any(cells):
                pairs.append(cells)
        return pairs

    # ------------------------------------------------------------ saving
    def result_values(self) -> dict:
        return {"outcome": self.outcome.toPlainText(), "objections": self.objection_pairs(),
                "rating": self.rating.currentData(), "follow_up": self.follow_up.toPlainText(),
                "starts_at": from_qdatetime(self.starts_at.dateTime()),
                "ends_at": from_qdatetime(self.ends_at.dateTime())}

    def next_plan(self) -> Optional[dict]:
        if not self.next_box.isChecked():
            return None
        return {"starts_at": from_qdatetime(self.next_start.dateTime()), "kind": self.next_kind.currentData(),
                "objective": self.next_objective.text()}

    def confirm_stage(self) -> bool:
        if not self.ask:
            return True
        return QMessageBox.question(self, self.tr("Lifecycle stage"), self.tr(
            "Move {customer} to the {stage} stage? It shows in the customer's profile and history.").format(
            customer=self.customer.name, stage=choice_label("stage", self.stage_to))) == QMessageBox.StandardButton.Yes

    def confirm_early(self, starts_at: dt.datetime) -> bool:
        """A visit recorded as done before it starts is most likely a slip of the day: ask first."""
        if not self.ask or starts_at <= self.now:
            return True
        when = QLocale().toString(to_qdatetime(starts_at).date(), "ddd d MMM")
        return QMessageBox.question(self, self.tr("Record the visit"), self.tr(
            "This visit is planned for {when}, after now: record it as done anyway?").format(when=when),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel) == QMessageBox.StandardButton.Yes

    def save(self) -> bool:
        self.form.clear()
        self.summary.hide()
        values = self.result_values()
        if not self.confirm_early(values["starts_at"]):
            return False  # Cancel: the dialog stays open with everything typed
        stage = self.stage_to if self.stage.isVisible() and self.stage.isChecked() else None
        if stage and not self.confirm_stage():
            return False
        try:
            rows = self.objection_rows()
            values.pop("objections")
            deal = self.opportunity.currentData() or 0
            if self.visit_id is not None:
                written = typed_objections.record(self.visit_id, values, rows, self.version, self.next_plan(), stage,
                                                  opportunity_id=deal)
            else:
                plan = {"customer_id": self.customer.id, "kind": self.kind.currentData(),
                        "starts_at": values.pop("starts_at"), "ends_at": values.pop("ends_at")}
                written = typed_objections.record(None, values, rows, next_plan=self.next_plan(), stage=stage,
                                                  plan=plan, opportunity_id=deal)
        except Exception as exc:  # noqa: BLE001 - shown in the dialog, which stays open
            report_failure(self, self.form, self.summary, exc)
            return False
        self.saved_id, self.next_id = written.visit_id, written.next_visit_id
        self.bus.publish(*written.changes)
        self.accept()
        if self.sale.isChecked():
            self.sale_dialog = SaleDialog(self.bus, customer_id=self.customer.id, visit_id=self.saved_id,
                                          parent=self.parentWidget(), today=self.now.date())
            self.open_sale(self.sale_dialog)
        return True


class CloseVisitDialog(QDialog):
    """Postpone (to a new time), cancel, or mark a planned visit as missed, with a reason."""

    def __init__(self, bus: ChangeBus, visit_id: int, to: str, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setObjectName("closeVisitDialog")
        self.bus, self.visit_id, self.to = bus, visit_id, to
        visit = visits.get(visit_id)
        self.version = visit.version
        self.next_id: Optional[int] = None
        titles = {V.POSTPONED: self.tr("Postpone the visit"), V.CANCELLED: self.tr("Cancel the visit"),
                  V.MISSED: self.tr("The visit did not take place")}
        self.setWindowTitle(titles[to])
        heading = QLabel(f"<b>{visit.customer.name}</b> · {visit.starts_at:%Y-%m-%d %H:%M} · {kind_label(visit.kind)}", self)
        self.summary = QLabel(self)
        self.summary.setObjectName("closeSummary")
        self.summary.setWordWrap(True)
        self.summary.hide()
        form_layout = QFormLayout()
        self.form = CheckedForm(self, form_layout)
        self.new_start = None
        if to == V.POSTPONED:
            later = max(next_slot(), visit.starts_at + dt.timedelta(days=1))
            self.new_start = self.form.add("starts_at", self.tr("New time"), datetime_edit(self, "postponeStart", later))
        self.reason = self.form.add("reason", self.tr("Reason"), _text_box(self, "closeReason", 60))
        buttons = save_buttons(self, self.save, titles[to] if to != V.MISSED else self.tr("Mark as missed"),
                               self.tr("Back"))
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.summary)
        layout.addLayout(form_layout)
        layout.addWidget(buttons)

    def save(self) -> bool:
        self.form.clear()
        reason = self.reason.toPlainText()
        try:
            if self.to == V.POSTPONED:
                written = visits.postpone(self.visit_id, from_qdatetime(self.new_start.dateTime()), reason,
                                          expected_version=self.version)
                self.next_id = written.next_visit_id
            elif self.to == V.CANCELLED:
                written = visits.cancel(self.visit_id, reason, self.version)
            else:
                written = visits.mark_missed(self.visit_id, reason, self.version)
        except Exception as exc:  # noqa: BLE001
            report_failure(self, self.form, self.summary, exc)
            return False
        self.bus.publish(*written.changes)
        self.accept()
        return True
