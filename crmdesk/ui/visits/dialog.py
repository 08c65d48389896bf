"""Plan a visit, or change a planned one: customer, contacts, when, where (the customer's
address to start with), kind, objective, talking points, materials, expected result; a
new plan may repeat. A clash with the rep's other visits is flagged as it is typed."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from PySide6.QtCore import QLocale
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QDialog, QFormLayout,
                               QGroupBox, QHBoxLayout, QLabel, QLineEdit, QMenu, QPlainTextEdit, QRadioButton,
                               QSpinBox, QToolButton, QVBoxLayout, QWidget)

from crmdesk.core.errors import FieldError, ValidationError
from crmdesk.core.sales import opportunities_visits
from crmdesk.core.customers import contacts as contacts_service
from crmdesk.core.customers import archive as customers
from crmdesk.core.visits import series as visit_series, visits
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.errors import error_text
from crmdesk.ui.visits.form import (CheckedForm, save_buttons, datetime_edit, fill_opportunities,
                                           from_qdatetime, next_slot, opportunity_box, report_failure, to_qdatetime)
from crmdesk.ui.visits.labels import kinds
from crmdesk.ui.common.pickers import CustomerPicker

CONTACT_SEPARATOR = "、"


class VisitDialog(QDialog):
    def __init__(self, bus: ChangeBus, customer_id: Optional[int] = None, visit_id: Optional[int] = None,
                 start: Optional[dt.datetime] = None, parent: Optional[QWidget] = None,
                 opportunity_id: Optional[int] = None):
        super().__init__(parent)
        self.setObjectName("visitDialog")
        self.bus = bus
        self.visit_id = visit_id
        self.version: Optional[int] = None
        self.saved_id: Optional[int] = None
        self.series_result = None
        self.setWindowTitle(self.tr("Change the visit plan") if visit_id else self.tr("Plan a visit"))
        self.resize(620, 640)

        self.summary = QLabel(self)
        self.summary.setObjectName("visitSummary")
        self.summary.setWordWrap(True)
        self.summary.hide()
        form_layout = QFormLayout()
        self.form = CheckedForm(self, form_layout)
        self.customer = self.form.add("customer_id", self.tr("Customer"), CustomerPicker(self))
        self.customer.chosen.connect(self._customer_chosen)
        self.opportunity = self.form.add("opportunity", self.tr("For the deal"), opportunity_box(self))
        self.linked = opportunity_id  # the deal the visit is for (a card's "Plan a visit")
        contacts_row = QWidget(self)
        row = QHBoxLayout(contacts_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.contacts = QLineEdit(contacts_row)
        self.contacts.setObjectName("visitContacts")
        self.contacts.setPlaceholderText(self.tr("Whom you will meet"))
        self.contacts_button = QToolButton(contacts_row)
        self.contacts_button.setObjectName("chooseContacts")
        self.contacts_button.setText(self.tr("Choose…"))
        self.contacts_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.contacts_menu = QMenu(self.contacts_button)
        self.contacts_button.setMenu(self.contacts_menu)
        row.addWidget(self.contacts, 1)
        row.addWidget(self.contacts_button)
        self.form.add("contacts", self.tr("Contacts"), contacts_row)
        slot = start or next_slot()
        self.starts_at = self.form.add("starts_at", self.tr("Start"), datetime_edit(self, "visitStart", slot))
        self.ends_at = self.form.add("ends_at", self.tr("End"), datetime_edit(self, "visitEnd", slot + dt.timedelta(hours=1)))
        self._length = dt.timedelta(hours=1)
        self.starts_at.dateTimeChanged.connect(self._start_moved)
        self.ends_at.dateTimeChanged.connect(self._end_moved)
        self.rep = QComboBox(self)
        self.rep.setObjectName("visitRep")
        self.rep.setEditable(True)
        self.rep.addItems(visits.reps())
        self.rep.setCurrentText("")
        self.rep.currentTextChanged.connect(lambda _t: self.check_clash())
        self.form.add("rep", self.tr("Rep"), self.rep)
        self.place = self.form.add("place", self.tr("Place"), QLineEdit(self))
        self.place.setObjectName("visitPlace")
        self.kind = QComboBox(self)
        self.kind.setObjectName("visitKind")
        for key, label in kinds():
            self.kind.addItem(label, key)
        self.kind.setCurrentIndex(self.kind.findData("needs_analysis"))
        self.form.add("kind", self.tr("Kind"), self.kind)
        self.objective = self.form.add("objective", self.tr("Objective"), QLineEdit(self))
        self.objective.setObjectName("visitObjective")
        self.objective.setPlaceholderText(self.tr("What this visit should achieve"))
        self.talking_points = self.form.add("talking_points", self.tr("Talking points"), self._text_box("visitTalkingPoints"))
        self.materials = self.form.add("materials", self.tr("Materials to bring"), self._text_box("visitMaterials"))
        self.expected_result = self.form.add("expected_result", self.tr("Expected result"), QLineEdit(self))
        self.expected_result.setObjectName("visitExpected")
        self.clash = QLabel(self)
        self.clash.setObjectName("visitClash")
        self.clash.setWordWrap(True)
        self.clash.setStyleSheet("color: #a15c00;")
        self.clash.hide()

        self.repeat = self._repeat_box()
        self.repeat.setVisible(visit_id is None)
        buttons = save_buttons(self, self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(form_layout)
        layout.addWidget(self.clash)
        layout.addWidget(self.repeat)
        layout.addWidget(buttons)
        if visit_id is not None:
            self._load(visit_id)
        elif customer_id is not None:
            self.customer.set_customer(customer_id)
        fill_opportunities(self.opportunity, self.customer.customer_id, self.linked)
        self.check_clash()

    def _text_box(self, name: str) -> QPlainTextEdit:
        box = QPlainTextEdit(self)
        box.setObjectName(name)
        box.setTabChangesFocus(True)
        box.setFixedHeight(64)
        return box

    def _repeat_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Repeat"), self)
        box.setObjectName("visitRepeat")
        box.setCheckable(True)
        box.setChecked(False)
        self.every = QSpinBox(box)
        self.every.setObjectName("repeatEvery")
        self.every.setRange(1, visit_series.MAX_INTERVAL)
        self.unit = QComboBox(box)
        self.unit.setObjectName("repeatUnit")
        self.unit.addItem(self.tr("weeks"), "week")
        self.unit.addItem(self.tr("days"), "day")
        self.unit.currentIndexChanged.connect(lambda _i: self._unit_changed())
        self.weekdays: list[QCheckBox] = []
        days_row = QHBoxLayout()
        for day in range(7):
            check = QCheckBox(QLocale().dayName(day + 1, QLocale.FormatType.ShortFormat), box)
            check.setObjectName(f"repeatDay{day}")
            self.weekdays.append(check)
            days_row.addWidget(check)
        self.end_never = QRadioButton(self.tr("No end"), box)
        self.end_never.setObjectName("repeatNoEnd")
        self.end_until = QRadioButton(self.tr("Until"), box)
        self.end_until.setObjectName("repeatUntil")
        self.until = QDateEdit(box)
        self.until.setObjectName("repeatUntilDate")
        self.until.setCalendarPopup(True)
        self.until.setDate(self.starts_at.date().addMonths(3))  # three months of visits, from the first
        self.end_count = QRadioButton(self.tr("After"), box)
        self.end_count.setObjectName("repeatAfter")
        self.count = QSpinBox(box)
        self.count.setObjectName("repeatCount")
        self.count.setRange(1, visit_series.MAX_COUNT)
        self.count.setValue(10)
        self.count.setSuffix(self.tr(" visits"))
        self.end_until.setChecked(True)
        every_row = QHBoxLayout()
        every_row.addWidget(QLabel(self.tr("Every"), box))
        every_row.addWidget(self.every)
        every_row.addWidget(self.unit)
        every_row.addStretch(1)
        end_row = QHBoxLayout()
        for widget in (self.end_never, self.end_until, self.until, self.end_count, self.count):
            end_row.addWidget(widget)
        end_row.addStretch(1)
        self.repeat_error = QLabel(box)
        self.repeat_error.setObjectName("repeatError")
        self.repeat_error.setStyleSheet("color: #b3261e;")
        self.repeat_error.setWordWrap(True)
        self.repeat_error.hide()
        note = QLabel(self.tr("At most {count} visits are planned at once; the next ones are planned "
                              "as these are recorded.").format(count=visit_series.MAX_PENDING), box)
        note.setWordWrap(True)
        note.setStyleSheet("color: #666;")
        inner = QVBoxLayout(box)
        inner.addLayout(every_row)
        inner.addLayout(days_row)
        inner.addLayout(end_row)
        inner.addWidget(self.repeat_error)
        inner.addWidget(note)
        self._unit_changed()
        return box

    def _unit_changed(self) -> None:
        weekly = self.unit.currentData() == "week"
        for check in self.weekdays:
            check.setEnabled(weekly)

    # ------------------------------------------------------------ loading
    def _load(self, visit_id: int) -> None:
        visit = visits.get(visit_id)
        self.version = visit.version
        self.linked = visit.opportunity_id
        self.customer.set_customer(visit.customer_id)
        self.customer.setEnabled(False)
        self.contacts.setText(visit.contacts)
        self._length = visit.ends_at - visit.starts_at
        self.starts_at.setDateTime(to_qdatetime(visit.starts_at))
        self.ends_at.setDateTime(to_qdatetime(visit.ends_at))
        self.rep.setCurrentText(visit.rep)
        self.place.setText(visit.place)
        self.kind.setCurrentIndex(max(self.kind.findData(visit.kind), 0))
        self.objective.setText(visit.objective)
        self.talking_points.setPlainText(visit.talking_points)
        self.materials.setPlainText(visit.materials)
        self.expected_result.setText(visit.expected_result)

    def _customer_chosen(self, customer_id: int) -> None:
        self.contacts_menu.clear()
        fill_opportunities(self.opportunity, customer_id, self.linked)
        if not customer_id:
            return
        customer = customers.get(customer_id)
        if self.visit_id is None:
            self.place.setText(visits.default_place(customer))
            if customer.owner and not self.rep.currentText():
                self.rep.setCurrentText(customer.owner)
            if not self.contacts.text() and customer.contact_person:
                self.contacts.setText(customer.contact_person)
            self.kind.setCurrentIndex(self.kind.findData(_suggested_kind(customer.stage)))
            self.weekdays[self.starts_at.date().dayOfWeek() - 1].setChecked(True)
        names = [customer.contact_person] if customer.contact_person else []
        names += [c.name for c in contacts_service.for_customer(customer_id) if c.name not in names]
        for name in names:
            action = QAction(name, self.contacts_menu)
            action.setCheckable(True)
            action.setChecked(name in self._contact_names())
            action.toggled.connect(lambda on, n=name: self._toggle_contact(n, on))
            self.contacts_menu.addAction(action)
        self.contacts_button.setEnabled(bool(names))
        self.check_clash()

    def _contact_names(self) -> list[str]:
        return [n.strip() for n in self.contacts.text().replace(",", CONTACT_SEPARATOR)
                .replace("，", CONTACT_SEPARATOR).split(CONTACT_SEPARATOR) if n.strip()]

    def _toggle_contact(self, name: str, on: bool) -> None:
        names = self._contact_names()
        if on and name not in names:
            names.append(name)
        elif not on and name in names:
            names.remove(name)
        self.contacts.setText(CONTACT_SEPARATOR.join(names))

    # ------------------------------------------------------------ times
    def _start_moved(self) -> None:
        self.ends_at.blockSignals(True)
        self.ends_at.setDateTime(to_qdatetime(from_qdatetime(self.starts_at.dateTime()) + self._length))
        self.ends_at.blockSignals(False)
        self._check_times()

    def _end_moved(self) -> None:
        length = from_qdatetime(self.ends_at.dateTime()) - from_qdatetime(self.starts_at.dateTime())
        if length > dt.timedelta(0):
            self._length = length
        self._check_times()

    def _check_times(self) -> None:
        """As the user types: an end before the start is marked at once."""
        start, end = from_qdatetime(self.starts_at.dateTime()), from_qdatetime(self.ends_at.dateTime())
        self.form.mark("ends_at", FieldError("end_before_start", "ends_at") if end <= start else None)
        self.check_clash()

    def check_clash(self) -> list:
        rep = self.rep.currentText().strip()
        start, end = from_qdatetime(self.starts_at.dateTime()), from_qdatetime(self.ends_at.dateTime())
        found = visits.clashes(rep, start, end, self.visit_id) if end > start else []
        if found:
            other = found[0]
            self.clash.setText(self.tr("{rep} already has a visit then: {time} {customer}. Both are kept; "
                                       "move one if it can't be done.").format(
                rep=rep, time=f"{other.starts_at:%H:%M}–{other.ends_at:%H:%M}", customer=other.customer.name))
        self.clash.setVisible(bool(found))
        return found

    # ------------------------------------------------------------ saving
    def plan(self) -> dict:
        return {"customer_id": self.customer.customer_id,
                "contacts": CONTACT_SEPARATOR.join(self._contact_names()),
                "starts_at": from_qdatetime(self.starts_at.dateTime()),
                "ends_at": from_qdatetime(self.ends_at.dateTime()),
                "rep": self.rep.currentText(), "place": self.place.text(),
                "kind": self.kind.currentData(), "objective": self.objective.text(),
                "talking_points": self.talking_points.toPlainText(), "materials": self.materials.toPlainText(),
                "expected_result": self.expected_result.text()}

    def rule(self) -> dict:
        rule = {"interval": self.every.value(), "unit": self.unit.currentData(),
                "weekdays": [d for d, check in enumerate(self.weekdays) if check.isChecked()]}
        if self.end_until.isChecked():
            rule["until"] = self.until.date().toPython()
        elif self.end_count.isChecked():
            rule["count"] = self.count.value()
        return rule

    def save(self) -> bool:
        self.form.clear()
        self.repeat_error.hide()
        self.summary.hide()
        plan = self.plan()
        try:
            if not plan["customer_id"]:
                raise _no_customer()
            deal = self.opportunity.currentData() or None
            if self.visit_id is not None:
                plan.pop("customer_id")
                written = opportunities_visits.update_plan(self.visit_id, plan, self.version, deal)
                changes, self.saved_id = written.changes, self.visit_id
            elif self.repeat.isChecked():
                self.series_result = opportunities_visits.plan_series(plan, self.rule(), deal)
                changes = self.series_result.changes
                self.saved_id = changes[0].ids[0] if changes and changes[0].ids else None
            else:
                written = opportunities_visits.plan_visit(plan, deal)
                changes, self.saved_id = written.changes, written.visit_id
        except Exception as exc:  # noqa: BLE001 - every failure is shown; nothing typed is lost
            self._show_failure(exc)
            return False
        self.bus.publish(*changes)
        self.accept()
        return True

    def _show_failure(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError):
            rule_errors = {k: v for k, v in exc.errors.items() if k in ("interval", "unit", "weekdays", "until", "count")}
            if rule_errors:
                self.repeat_error.setText(" ".join(error_text(e) for e in rule_errors.values()))
                self.repeat_error.show()
        report_failure(self, self.form, self.summary, exc)


def _no_customer() -> ValidationError:
    return ValidationError({"customer_id": FieldError("visit_no_customer", "customer_id")})


def _suggested_kind(stage: Optional[str]) -> str:
    """The step of developing a customer that its lifecycle stage calls for."""
    return {"prospect": "first_visit", "developing": "presentation", "mature": "after_sales",
            "declining": "care", "lost": "win_back"}.get(stage or "", "needs_analysis")
