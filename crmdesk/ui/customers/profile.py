"""The selected customer's archive: the spec's sections, contacts, transaction history
with totals, and a timeline of every change (who, when, field, old → new)."""
from __future__ import annotations

import html
from typing import Optional

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QPushButton, QSizePolicy, QTextBrowser, QVBoxLayout,
                               QWidget)

from crmdesk.core import custom_fields as CF
from crmdesk.core.customers import fields as F
from crmdesk.core.errors import CrmError
from crmdesk.core.phones.rules import display as phone_display
from crmdesk.core.customers import contacts as contacts_service
from crmdesk.core.customers import archive as customers
from crmdesk.core import history
from crmdesk.core.complaints import complaints as complaints_service
from crmdesk.core.visits import visits as visits_service
from crmdesk.ui.complaints import labels as CL
from crmdesk.ui.complaints import timeline as complaint_timeline
from crmdesk.ui.common import formatting
from crmdesk.ui.common.wrap_tabs import wrap_tabs
from crmdesk.ui.sales import opportunity_timeline
from crmdesk.ui.care.labels import timeline_entry as care_timeline
from crmdesk.ui.common.labels import choice_label, field_label, section_title
from crmdesk.ui.visits.labels import kind_label, state_label
from crmdesk.ui.sales.customer_sales import CustomerSales
from crmdesk.ui.visits.sources import when
from crmdesk.ui.common.read_only_table import fill, read_only_table

SECTION_FIELDS = {section: [f for f in F.CUSTOMER_FIELDS if f.section == section] for section in F.SECTIONS}


class ElidedLabel(QLabel):
    """A one-line label that shows as much of its text as fits, "…" at the end, and the
    whole text as its tooltip when cut; ``text()`` is always the whole text."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._full = ""
        self.setProperty("elidesWithTooltip", True)  # tests/ui/test_text_fits.py leaves it be
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("…") * 4)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        self._full = text
        self._elide()

    def text(self) -> str:
        return self._full

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, self.contentsRect().width())
        super().setText(shown)
        self.setToolTip(self._full if shown != self._full else "")


class CustomerProfile(QWidget):
    plan_visit = Signal(int)  # a customer id
    log_visit = Signal(int)
    log_complaint = Signal(int)  # a customer id
    open_complaint = Signal(int)  # a complaint id
    plan_care = Signal(int)  # a customer id
    open_care = Signal(int)  # a care event id
    changed = Signal(list)  # Changes made here (points redeemed), to publish

    def __init__(self, parent=None):
        super().__init__(parent)
        self.customer_id: Optional[int] = None
        self.title = ElidedLabel(self)
        self.title.setObjectName("profileTitle")
        self.title.setStyleSheet("font-size: 16px; font-weight: bold; padding: 4px 2px;")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # the customer number always shows whole, before the name (which is elided, with a tooltip)
        self.code = QLabel(self)
        self.code.setObjectName("profileCode")
        self.code.setStyleSheet("font-size: 16px; font-weight: bold; padding: 4px 2px;")
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        self.plan_button = QPushButton(self.tr("Plan a visit…"), self)
        self.plan_button.setObjectName("profilePlanVisit")
        self.plan_button.clicked.connect(lambda: self.customer_id and self.plan_visit.emit(self.customer_id))
        self.log_button = QPushButton(self.tr("Log a visit…"), self)
        self.log_button.setObjectName("profileLogVisit")
        self.log_button.clicked.connect(lambda: self.customer_id and self.log_visit.emit(self.customer_id))
        self.complaint_button = QPushButton(self.tr("Log a complaint…"), self)
        self.complaint_button.setObjectName("profileLogComplaint")
        self.complaint_button.clicked.connect(lambda: self.customer_id and self.log_complaint.emit(self.customer_id))
        self.tabs, tabs_holder = wrap_tabs(self)
        self.overview = QTextBrowser(self)
        self.overview.setObjectName("profileOverview")
        self.overview.setOpenExternalLinks(False)
        self.contacts = read_only_table(self, [
            self.tr("Name"), self.tr("Job Title"), self.tr("Mobile"), self.tr("Phone"), self.tr("Email"),
            self.tr("WeChat"), self.tr("Birthday"), self.tr("Decision maker")], "profileContacts")
        # the sales: record, correct, delete (issue 19); the table and totals keep their names
        transactions_page = self.sales = CustomerSales(self)
        self.sales.changed.connect(self.changed)
        self.totals, self.transactions = self.sales.totals, self.sales.table
        self.timeline = read_only_table(self, [
            self.tr("When"), self.tr("Who"), self.tr("What"), self.tr("Field"), self.tr("Before"),
            self.tr("After")], "profileTimeline")
        self.visits = read_only_table(self, [
            self.tr("When"), self.tr("Kind"), self.tr("State"), self.tr("Rep"), self.tr("Objective"),
            self.tr("What happened"), self.tr("Result")], "profileVisits")
        self.tabs.addTab(self.overview, self.tr("Profile"))
        self.tabs.addTab(self.contacts, self.tr("Contacts"))
        self.tabs.addTab(transactions_page, self.tr("Transactions"))
        self.tabs.addTab(self.visits, self.tr("Visits"))
        self.complaints = read_only_table(self, [
            self.tr("No."), self.tr("Received"), self.tr("Category"), self.tr("Severity"), self.tr("State"),
            self.tr("Owner"), self.tr("Satisfaction")], "profileComplaints")
        self.complaint_ids: list[int] = []
        self._complaints: list = []  # as last shown: the timeline names their categories
        self.complaints.cellDoubleClicked.connect(
            lambda row, _c: 0 <= row < len(self.complaint_ids) and self.open_complaint.emit(self.complaint_ids[row]))
        self.tabs.addTab(self.complaints, self.tr("Complaints"))
        from crmdesk.ui.care.customer_care import CustomerCare
        self.care = CustomerCare(self)
        self.care.plan_care.connect(self.plan_care)
        self.care.open_care.connect(self.open_care)
        self.care.changed.connect(self.changed)
        self.tabs.addTab(self.care, self.tr("Care"))
        from crmdesk.ui.analytics.customer_analytics import CustomerAnalytics
        self.figures = CustomerAnalytics(self)
        self.tabs.addTab(self.figures, self.tr("Figures"))
        self.tabs.addTab(self.timeline, self.tr("Timeline"))
        # name and number on a line of their own, the buttons below: at 1366×768 the profile
        # is some 480 pixels wide, too narrow for a Chinese company name beside three buttons
        title_row = QHBoxLayout()
        title_row.setSpacing(0)
        title_row.addWidget(self.code)
        title_row.addWidget(self.title, 1)
        button_row = QHBoxLayout()
        button_row.addWidget(self.plan_button)
        button_row.addWidget(self.log_button)
        button_row.addWidget(self.complaint_button)
        button_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        layout.addLayout(title_row)
        layout.addLayout(button_row)
        layout.addWidget(tabs_holder, 1)
        self.show_customer(None)

    def show_customer(self, customer_id: Optional[int]) -> None:
        self.customer_id = customer_id
        customer = None
        if customer_id is not None:
            try:
                customer = customers.get(customer_id, include_deleted=True)
            except CrmError:
                customer = None
        if customer is None:
            self.customer_id = None
            self.title.setText(self.tr("No customer selected"))
            self.code.clear()
            self.code.hide()
            hint = self.tr("Select a customer in the list to see their archive, or press Ctrl+N to add one.")
            self.overview.setHtml(f"<p style='color:#666'>{html.escape(hint)}</p>")
            for table in (self.contacts, self.visits, self.complaints, self.timeline):
                table.setRowCount(0)
            self.sales.show_customer(None)
            self.care.show_customer(None)
            self.figures.show_customer(None)
            for button in (self.plan_button, self.log_button, self.complaint_button):
                button.setEnabled(False)
            return
        for button in (self.plan_button, self.log_button, self.complaint_button):
            button.setEnabled(customer.deleted_at is None)
        deleted = self.tr(" (in the trash)") if customer.deleted_at else ""
        self.title.setText(f"{customer.name}{deleted}")
        self.code.setText(f"{customer.code}  ·")
        self.code.show()
        self.overview.setHtml(self._overview_html(customer))
        self._show_contacts(customer.id)
        self.sales.show_customer(customer.id, customer.deleted_at is None)
        self._show_visits(customer.id)
        self._show_complaints(customer.id)
        count = self.care.show_customer(customer.id, customer.deleted_at is None)
        self.tabs.setTabText(self.tabs.indexOf(self.care), self.tr("Care ({count})").format(count=count)
                             if count else self.tr("Care"))
        self.figures.show_customer(customer.id)
        self._show_timeline(customer.id)

    def refresh(self) -> None:
        self.show_customer(self.customer_id)

    # ------------------------------------------------------------ sections
    def _overview_html(self, customer) -> str:
        values = customers.to_dict(customer)
        parts = []
        for section in F.SECTIONS:
            rows = []
            for field in SECTION_FIELDS[section]:
                text = formatting.customer_value(field, values.get(field.key))
                if field.key == "birthday_calendar" and (not values.get("birthday") or values.get(field.key) == "solar"):
                    text = ""  # only a lunar birthday needs saying so
                if not text:
                    continue
                cell = html.escape(text).replace("\n", "<br>")
                rows.append(f"<tr><td style='color:#555;padding-right:14px' valign='top'>"
                            f"{html.escape(field_label(field.key))}</td><td>{cell}</td></tr>")
            if section == F.EVALUATION:
                scores = [values[k] for k in F.SCORE_KEYS if values.get(k)]
                if scores:
                    average = sum(scores) / len(scores)
                    label = self.tr("Average score")
                    rows.append(f"<tr><td style='color:#555'>{html.escape(label)}</td>"
                                f"<td><b>{formatting.number(average, 1)}</b> / 5</td></tr>")
                if customer.satisfaction is not None:  # kept by the complaint services
                    label = self.tr("Satisfaction after complaints")
                    rows.append(f"<tr><td style='color:#555'>{html.escape(label)}</td>"
                                f"<td><b>{formatting.number(customer.satisfaction, 1)}</b> / 5</td></tr>")
            if rows:
                parts.append(f"<h3 style='margin:10px 0 4px 0'>{html.escape(section_title(section))}</h3>"
                             f"<table cellspacing='2'>{''.join(rows)}</table>")
        own = self._custom_rows(customer.id)
        if own:
            title = self.tr("My fields")
            parts.append(f"<h3 style='margin:10px 0 4px 0'>{html.escape(title)}</h3>"
                         f"<table cellspacing='2'>{''.join(own)}</table>")
        return "".join(parts) or html.escape(self.tr("Nothing recorded yet."))

    def _custom_rows(self, customer_id: int) -> list[str]:
        values = CF.read([customer_id]).get(customer_id, {})
        rows = []
        for field in CF.all_fields():
            text = formatting.custom_value(field, values.get(field.field_key))
            if text:
                rows.append(f"<tr><td style='color:#555;padding-right:14px' valign='top'>"
                            f"{html.escape(field_label(field.field_key))}</td><td>{html.escape(text)}</td></tr>")
        return rows

    def _show_contacts(self, customer_id: int) -> None:
        rows = []
        for c in contacts_service.for_customer(customer_id):
            birthday = contacts_service.birthday_text(c)
            if birthday and c.birthday_calendar == "lunar":
                birthday = self.tr("{date} (lunar)").format(date=birthday)
            rows.append([c.name, c.title, phone_display(c.mobile), phone_display(c.phone), c.email, c.wechat, birthday,
                         "✓" if c.is_decision_maker else ""])
        fill(self.contacts, rows)

    def action_text(self, entity: str, action: str) -> str:
        texts = {
            ("customer", "created"): self.tr("Customer created"),
            ("customer", "updated"): self.tr("Customer changed"),
            ("customer", "deleted"): self.tr("Customer deleted"),
            ("customer", "restored"): self.tr("Customer restored"),
            ("contact", "created"): self.tr("Contact added"),
            ("contact", "updated"): self.tr("Contact changed"),
            ("contact", "deleted"): self.tr("Contact removed"),
            ("transaction", "created"): self.tr("Transaction added"),
            ("transaction", "deleted"): self.tr("Transaction removed"),
            ("sale", "created"): self.tr("Sale recorded"),
            ("sale", "updated"): self.tr("Sale corrected"),
            ("sale", "deleted"): self.tr("Sale deleted"),
            ("sale", "restored"): self.tr("Sale restored"),
            ("visit", "created"): self.tr("Visit planned"),
            ("visit", "updated"): self.tr("Visit changed"),
            ("visit", "deleted"): self.tr("Visit deleted"),
            ("visit", "restored"): self.tr("Visit restored"),
            ("complaint", "created"): self.tr("Complaint logged"),
            ("complaint", "updated"): self.tr("Complaint changed"),
            ("complaint", "deleted"): self.tr("Complaint deleted"),
            ("complaint", "restored"): self.tr("Complaint restored"),
            ("care_event", "created"): self.tr("Follow-up planned"),
            ("care_event", "updated"): self.tr("Follow-up changed"),
            ("care_event", "deleted"): self.tr("Follow-up withdrawn"),
            ("care_event", "restored"): self.tr("Follow-up restored"),
            ("points", "created"): self.tr("Points"),
        }
        return texts.get((entity, action), f"{entity} {action}")

    def _field_name(self, entity: str, key: str) -> str:
        if not key:
            return ""
        if entity == "customer" and (key in F.BY_KEY or CF.is_custom(key)):
            return field_label(key)
        if entity == "visit":
            return self._visit_field(key)
        if entity == "sale":
            return {"date": self.tr("Date"), "kind": self.tr("Kind"), "owner": self.tr("Owner"), "paid": self.tr("Paid"),
                    "paid_on": self.tr("Paid on"), "payment_terms_days": self.tr("Payment terms"),
                    "due_on": self.tr("Due"), "notes": self.tr("Notes"), "customer": self.tr("Customer"),
                    "lines": self.tr("Lines"), "opportunity": self.tr("Deal")}.get(key, key)
        return {"name": self.tr("Name"), "title": self.tr("Job Title"), "mobile": self.tr("Mobile"),
                "phone": self.tr("Phone"), "email": self.tr("Email"), "wechat": self.tr("WeChat"),
                "birthday_year": self.tr("Birthday"), "birthday_month": self.tr("Birthday"),
                "birthday_day": self.tr("Birthday"), "birthday_calendar": self.tr("Birthday Calendar"),
                "is_decision_maker": self.tr("Decision maker"), "notes": self.tr("Notes")}.get(key, key)

    def _show_timeline(self, customer_id: int) -> None:
        rows = []
        items = [i for i in history.timeline(customer_id) if complaint_timeline.shown(i)]
        numbers = complaint_timeline.numbers_in(items)  # complaint entries name their complaint
        categories = {c.number: CL.label("category", c.category) for c in self._complaints}
        scales = {c.id: c.satisfaction_scale or 5 for c in self._complaints}
        for item in items:
            what = self.action_text(item.entity, item.action)
            if item.batch_kind == "demo":
                what += self.tr(" (demo data)")
            old, new = item.old or "", item.new or ""
            field = self._field_name(item.entity, item.field)
            if item.entity == "customer" and item.field in F.BY_KEY and F.BY_KEY[item.field].type == F.ENUM:
                old, new = choice_label(item.field, old), choice_label(item.field, new)
            elif item.entity == "customer" and CF.is_custom(item.field) and (own := CF.get(item.field)):
                old, new = formatting.custom_value(own, old), formatting.custom_value(own, new)
            elif item.field in ("mobile", "phone", "fax", "contact_phone"):
                old, new = phone_display(old), phone_display(new)
            elif item.entity == "care_event" and not complaint_timeline.number_of(item):
                what, field, old, new = care_timeline(item)
            elif item.entity in ("complaint", "care_event"):
                what, field, old, new = complaint_timeline.describe(item, what, numbers, categories, scales)
            elif item.entity == "opportunity":
                what, field, old, new = opportunity_timeline.describe(item)
            elif item.field == "opportunity":  # a visit's or a sale's deal, logged by id
                old, new = opportunity_timeline.deal_link(old), opportunity_timeline.deal_link(new)
            elif item.entity == "visit" and item.field in ("state", "kind"):
                label = state_label if item.field == "state" else kind_label
                old, new = label(old), label(new)
            rows.append([formatting.utc_datetime(item.at), item.actor, what, field, old, new])
        fill(self.timeline, rows)

    def _show_visits(self, customer_id: int) -> None:
        rows = []
        for visit in visits_service.for_customer(customer_id):
            state = visits_service.shown_state(visit)
            rows.append([when(visit.starts_at), kind_label(visit.kind), state_label(state), visit.rep,
                         visit.objective, (visit.outcome or visit.reason).replace("\n", " "),
                         "★" * visit.rating if visit.rating else ""])
        fill(self.visits, rows)
        self.tabs.setTabText(self.tabs.indexOf(self.visits), self.tr("Visits ({count})").format(count=len(rows))
                             if rows else self.tr("Visits"))

    def _show_complaints(self, customer_id: int) -> None:
        found = complaints_service.for_customer(customer_id)
        self._complaints = found
        self.complaint_ids = [c.id for c in found]
        fill(self.complaints, [[c.number, when(c.received_at), CL.label("category", c.category),
                                 CL.label("severity", c.severity), CL.label("state", c.state), c.owner,
                                 CL.satisfaction(c.satisfaction, c.satisfaction_scale)] for c in found])
        self.tabs.setTabText(self.tabs.indexOf(self.complaints), self.tr("Complaints ({count})").format(
            count=len(found)) if found else self.tr("Complaints"))

    def _visit_field(self, key: str) -> str:
        return {"starts_at": self.tr("Start"), "ends_at": self.tr("End"), "state": self.tr("State"),
                "kind": self.tr("Kind"), "rep": self.tr("Rep"), "contacts": self.tr("Contacts"),
                "place": self.tr("Place"), "objective": self.tr("Objective"),
                "talking_points": self.tr("Talking points"), "materials": self.tr("Materials to bring"),
                "expected_result": self.tr("Expected result"), "outcome": self.tr("What happened"),
                "objections": self.tr("Objections"), "rating": self.tr("Result"),
                "follow_up": self.tr("Follow-up actions"), "reason": self.tr("Reason"),
                "recorded_at": self.tr("Recorded"), "next_visit": self.tr("Next visit"),
                "opportunity": self.tr("Deal")}.get(key, key)
