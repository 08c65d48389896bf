"""Record a sale, or correct one: the customer (the picker), the date, sale or refund, the
lines, what was paid and when, the payment terms (the due date follows), the owner and
notes. The checks run as the user types, each problem under its field (a line's in its
cell); a refused save keeps the form open with the problem shown and nothing lost."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Optional

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (QComboBox, QDateEdit, QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QPlainTextEdit, QSizePolicy, QVBoxLayout, QWidget)

from crmdesk.core.errors import CrmError, FieldError
from crmdesk.core.sales import opportunities, opportunities_visits, sales
from crmdesk.core.io import normalize
from crmdesk.core.sales.sale_check import LineDraft, SaleDraft, line_amount, problems
from crmdesk.core.customers import archive as customers
from crmdesk.core.visits import visits
from crmdesk.ui.common import formatting
from crmdesk.ui.visits.form import CheckedForm, opportunity_box, report_failure, save_buttons
from crmdesk.ui.sales.delete_key import DeleteKey
from crmdesk.ui.sales.sale_lines import SaleLines, text_of
from crmdesk.ui.common.pickers import CustomerPicker

# Problems not shown before the first save: a form just opened is not wrong yet.
QUIET = {"sale_customer_required", "sale_no_lines", "required"}
FIELDS = ("customer", "opportunity", "date", "kind", "lines", "paid", "paid_on", "payment_terms_days", "owner", "notes")


def to_qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def date_edit(parent: QWidget, name: str, value: dt.date) -> QDateEdit:
    edit = QDateEdit(parent)
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(formatting.date_format())
    edit.setDate(to_qdate(value))
    return edit


class SaleDialog(QDialog):
    """``sale_id``: correct that sale; else a new one, for ``customer_id`` (and linked to
    ``visit_id``, a visit just recorded) when given."""

    def __init__(self, bus, customer_id: Optional[int] = None, sale_id: Optional[int] = None,
                 visit_id: Optional[int] = None, parent: Optional[QWidget] = None,
                 today: Optional[dt.date] = None, opportunity_id: Optional[int] = None):
        super().__init__(parent)
        self.setObjectName("saleDialog")
        self.bus = bus
        self.sale_id = sale_id
        self.today = today or sales.today()
        self.version: Optional[int] = None
        self.saved_id: Optional[int] = None
        self.tried = False  # after a first save every problem shows
        self.visit_id, self.opportunity_id = visit_id, None
        self.setWindowTitle(self.tr("Correct the sale") if sale_id else self.tr("Record a sale"))
        self.resize(760, 640)
        self.summary = QLabel(self)
        self.summary.setObjectName("saleSummary")
        self.summary.setWordWrap(True)
        self.summary.hide()
        form_layout = QFormLayout()
        self.form = CheckedForm(self, form_layout)
        self.customer = self.form.add("customer", self.tr("Customer"), CustomerPicker(self))
        self.customer.chosen.connect(self._customer_chosen)
        self.deal_customer: Optional[int] = None  # whose deals the deal choice lists
        self.opportunity = self.form.add("opportunity", self.tr("For the deal"), opportunity_box(self))
        self.opportunity.setObjectName("saleOpportunity")
        self.opportunity.setEnabled(False)
        self.opportunity.currentIndexChanged.connect(self._deal_chosen)
        top = QWidget(self)
        row = QHBoxLayout(top)
        row.setContentsMargins(0, 0, 0, 0)
        self.date = date_edit(top, "saleDate", self.today)
        self.kind = QComboBox(top)
        self.kind.setObjectName("saleKind")
        self.kind.addItem(self.tr("Sale"), "sale")
        self.kind.addItem(self.tr("Refund"), "refund")
        self.owner = QComboBox(top)
        self.owner.setObjectName("saleOwner")
        self.owner.setEditable(True)
        self.owner.addItems(visits.reps())
        self.owner.setCurrentText("")
        self.owner.lineEdit().setPlaceholderText(self.tr("Owner"))
        row.addWidget(self.date)
        row.addWidget(self.kind)
        row.addWidget(QLabel(self.tr("Owner"), top))
        row.addWidget(self.owner, 1)
        self.form.add("date", self.tr("Date"), top)
        self.form.errors["kind"] = self.form.errors["owner"] = self.form.errors["date"]
        self.lines = self.form.add("lines", self.tr("Lines"), SaleLines(self))
        self.lines.setMinimumHeight(170)
        self.total = QLabel(self)
        self.total.setObjectName("saleTotal")
        form_layout.addRow(self.tr("Total"), self.total)
        pay = QWidget(self)
        row = QHBoxLayout(pay)
        row.setContentsMargins(0, 0, 0, 0)
        self.paid = QLineEdit(pay)
        self.paid.setObjectName("salePaid")
        self.paid.setPlaceholderText(self.tr("blank: paid in full"))
        self.paid_on = date_edit(pay, "salePaidOn", self.today)
        self.paid_on_follows = True  # the paid date follows the sale's date until changed
        row.addWidget(self.paid, 1)
        row.addWidget(QLabel(self.tr("on"), pay))
        row.addWidget(self.paid_on)
        self.form.add("paid", self.tr("Paid"), pay)
        self.form.errors["paid_on"] = self.form.errors["paid"]
        terms = QWidget(self)
        row = QHBoxLayout(terms)
        row.setContentsMargins(0, 0, 0, 0)
        self.terms = QLineEdit(terms)
        self.terms.setObjectName("saleTerms")
        self.terms.setPlaceholderText(self.tr("days, e.g. 30"))
        self.terms.setMaximumWidth(self.fontMetrics().horizontalAdvance("0" * 14))
        self.due = QLabel(terms)
        self.due.setObjectName("saleDue")
        row.addWidget(self.terms)
        row.addWidget(self.due, 1)
        self.form.add("payment_terms_days", self.tr("Payment terms"), terms)
        self.notes = self.form.add("notes", self.tr("Notes"), QPlainTextEdit(self))
        self.notes.setObjectName("saleNotes")
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(60)
        # the lines take the height the dialog is given; the other fields keep theirs
        self.lines.parentWidget().setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.notes.parentWidget().setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(form_layout, 1)
        layout.addWidget(save_buttons(self, self.save))
        DeleteKey(self.lines, self.lines.delete_current_line)
        if sale_id is not None:
            self._load(sale_id)
        elif opportunity_id is not None:
            self._from_opportunity(opportunity_id)
        elif customer_id is not None:
            self.customer.set_customer(customer_id)
            self._fill_deals(customer_id)
        for signal in (self.lines.edited, self.paid.textEdited, self.terms.textEdited, self.date.dateChanged,
                       self.kind.currentIndexChanged, self.paid_on.dateChanged, self.owner.currentTextChanged):
            signal.connect(lambda *_: self.check())
        self.date.dateChanged.connect(self._date_changed)
        self.paid_on.dateChanged.connect(self._paid_on_changed)
        self.check()

    def _load(self, sale_id: int) -> None:
        draft, self.version = sales.draft_of(sale_id)
        self.customer.set_customer(draft.customer_id)
        self.date.setDate(to_qdate(draft.date))
        self.kind.setCurrentIndex(max(self.kind.findData(draft.kind), 0))
        self.owner.setCurrentText(draft.owner)
        self.lines.set_lines(draft.lines)
        self.paid.setText(text_of(draft.paid))
        if draft.paid_on is not None:
            self.paid_on.setDate(to_qdate(draft.paid_on))
            self.paid_on_follows = draft.paid_on == draft.date
        self.terms.setText("" if draft.payment_terms_days is None else str(draft.payment_terms_days))
        self.notes.setPlainText(draft.notes)
        self.visit_id, self.opportunity_id = draft.visit_id, draft.opportunity_id
        self._fill_deals(draft.customer_id)

    def _from_opportunity(self, opportunity_id: int) -> None:
        """The sale a deal just won became: its customer, owner and a line of its title and
        amount, linked to it (issue 19: "won asks for the sale it became")."""
        deal = opportunities.get(opportunity_id)
        self.opportunity_id = opportunity_id
        self.customer.set_customer(deal.customer_id)
        self._fill_deals(deal.customer_id)
        self.owner.setCurrentText(deal.owner)
        self.lines.set_lines([LineDraft(product=deal.title, quantity=1, unit_price=deal.amount)])
        self.setWindowTitle(self.tr("Record the sale of the deal won: {title}").format(title=deal.title))

    def _fill_deals(self, customer_id: Optional[int]) -> None:
        """The customer's open and recently won deals, "No deal" first; the sale's own deal
        stays chosen while the customer is the same, and goes when it changes."""
        if customer_id != self.deal_customer:
            if self.deal_customer is not None:
                self.opportunity_id = None  # another customer's deal is not this one's
            self.deal_customer = customer_id
        box = self.opportunity
        box.blockSignals(True)
        while box.count() > 1:
            box.removeItem(1)
        for deal_id, title in (opportunities_visits.sale_choices(customer_id, self.today, self.opportunity_id)
                               if customer_id else []):
            box.addItem(title, deal_id)
        box.setCurrentIndex(max(box.findData(self.opportunity_id or 0), 0))
        box.setEnabled(box.count() > 1)
        box.blockSignals(False)

    def _deal_chosen(self, _index: int) -> None:
        self.opportunity_id = self.opportunity.currentData() or None
        self.check()

    def _customer_chosen(self, customer_id: int) -> None:
        if customer_id:  # 0: being retyped; the deals stay until another customer is chosen
            self._fill_deals(customer_id)
        if customer_id and not self.owner.currentText():
            try:
                self.owner.setCurrentText(customers.get(customer_id).owner or "")
            except CrmError:
                pass
        self.check()

    def _date_changed(self, value: QDate) -> None:
        if self.paid_on_follows:
            self.paid_on.blockSignals(True)
            self.paid_on.setDate(value)
            self.paid_on.blockSignals(False)

    def _paid_on_changed(self, value: QDate) -> None:
        self.paid_on_follows = value == self.date.date()

    # ------------------------------------------------------------ checking
    def draft(self) -> SaleDraft:
        paid = self.paid.text().strip()
        return SaleDraft(customer_id=self.customer.customer_id or None, date=from_qdate(self.date.date()),
                         kind=self.kind.currentData(), owner=self.owner.currentText(), lines=self.lines.lines(),
                         paid=paid or None, paid_on=from_qdate(self.paid_on.date()) if paid else None,
                         payment_terms_days=self.terms.text().strip() or None, notes=self.notes.toPlainText(),
                         opportunity_id=self.opportunity_id, visit_id=self.visit_id)

    def check(self) -> list[FieldError]:
        """Mark the problems of what is typed now; the total, what is owed and the due date."""
        draft = self.draft()
        found = problems(draft, self.today)
        shown = [p for p in found if self.tried or p.code not in QUIET]
        self.show_problems(shown)
        self._show_sums(draft, found)
        return found

    def show_problems(self, found: list[FieldError]) -> None:
        self.form.clear()
        self.lines.mark(found)
        for problem in found:
            key = "lines" if problem.key.startswith("lines") else problem.key
            if key in self.form.errors and not self.form.errors[key].text():
                self.form.mark(key, problem)

    def _show_sums(self, draft: SaleDraft, found: list[FieldError]) -> None:
        total = Decimal(0)
        for line in draft.lines:
            amount = _money(line.amount) if line.amount else line_amount(line.quantity, line.unit_price, line.discount)
            total += abs(amount or 0)
        refund = draft.kind == "refund"
        text = formatting.money(-total if refund else total)
        terms = _days(draft.payment_terms_days)
        paid = _money(draft.paid) if draft.paid else (Decimal(0) if terms is not None else total)
        if not refund and paid is not None and total > paid:
            text += "  ·  " + self.tr("owed {amount}").format(amount=formatting.money(total - paid))
        self.total.setText(text)
        if terms is not None:
            due = from_qdate(self.date.date()) + dt.timedelta(days=terms)
            self.due.setText(self.tr("due {date}").format(date=formatting.date(due)))
        else:
            self.due.setText("")

    # ------------------------------------------------------------ saving
    def save(self) -> bool:
        self.tried = True
        self.summary.hide()
        found = self.check()
        try:
            if found:
                raise found[0]
            if self.sale_id is not None:
                written = sales.update(self.sale_id, self.draft(), self.version, self.today)
                self.saved_id = self.sale_id
            else:
                written = sales.record(self.draft(), self.today)
                self.saved_id = written.sale_id
        except Exception as exc:  # noqa: BLE001 - shown in the dialog, which stays open
            report_failure(self, None, self.summary, exc)
            if isinstance(exc, FieldError):
                self.show_problems([exc] + [p for p in found if p is not exc])
            return False
        if self.bus is not None:
            self.bus.publish(*written.changes)
        self.accept()
        return True

    def problem_texts(self) -> dict[str, str]:
        """The sentences shown under the fields, by field (each once: kind, owner and the
        paid date show theirs under the date and the paid amount)."""
        return {k: v for k, v in self.form.shown().items() if k not in ("kind", "owner", "paid_on")}



def _money(value) -> Optional[Decimal]:
    try:
        return normalize.money(value)
    except FieldError:
        return None


def _days(value) -> Optional[int]:
    try:
        return normalize.integer(value, 0, 3650)
    except FieldError:
        return None
