"""Log a complaint, or change one's details: customer and contact, channel, when it came
in, category and subcategory, the product or sale concerned, severity, owner, the
customer's own words, and (as the work goes on) the facts, root cause, solution and
compensation. Problems are marked under their fields; nothing typed is lost."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit,
                               QVBoxLayout, QWidget)

from crmdesk.core.errors import FieldError, ValidationError
from crmdesk.core.phones.rules import display as phone_display
from crmdesk.core.complaints import settings as complaint_settings, complaints
from crmdesk.core.customers import archive as customers, transactions
from crmdesk.ui.complaints import labels as CL
from crmdesk.ui.common import formatting
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.visits.form import (CheckedForm, datetime_edit, from_qdatetime, report_failure, save_buttons,
                                           to_qdatetime)
from crmdesk.ui.common.pickers import CustomerPicker


def combo(parent: QWidget, name: str, kind: str, blank: bool = False) -> QComboBox:
    box = QComboBox(parent)
    box.setObjectName(name)
    if blank:
        box.addItem("", "")
    for key, text in CL.choices(kind):
        box.addItem(text, key)
    return box


def text_box(parent: QWidget, name: str, height: int = 60) -> QPlainTextEdit:
    box = QPlainTextEdit(parent)
    box.setObjectName(name)
    box.setTabChangesFocus(True)
    box.setFixedHeight(height)
    return box


class ComplaintDialog(QDialog):
    def __init__(self, bus: ChangeBus, customer_id: Optional[int] = None, complaint_id: Optional[int] = None,
                 parent: Optional[QWidget] = None, now: Optional[dt.datetime] = None):
        super().__init__(parent)
        self.setObjectName("complaintDialog")
        self.bus = bus
        self.complaint_id = complaint_id
        self.version: Optional[int] = None
        self.saved_id: Optional[int] = None
        self.setWindowTitle(self.tr("Complaint details") if complaint_id else self.tr("Log a complaint"))
        self.resize(640, 720)
        self.summary = QLabel(self)
        self.summary.setObjectName("complaintSummary")
        self.summary.setWordWrap(True)
        self.summary.hide()
        layout_form = QFormLayout()
        self.form = CheckedForm(self, layout_form)
        self.customer = self.form.add("customer_id", self.tr("Customer"), CustomerPicker(self))
        self.customer.chosen.connect(self._customer_chosen)
        contact_row = QWidget(self)
        row = QHBoxLayout(contact_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.contact = QLineEdit(contact_row)
        self.contact.setObjectName("complaintContact")
        self.contact.setPlaceholderText(self.tr("Who complained"))
        self.contact_phone = QLineEdit(contact_row)
        self.contact_phone.setObjectName("complaintPhone")
        self.contact_phone.setPlaceholderText(self.tr("Phone"))
        row.addWidget(self.contact, 2)
        row.addWidget(self.contact_phone, 1)
        self.form.add("contact", self.tr("Contact"), contact_row)
        self.form.errors["contact_phone"] = self.form.errors["contact"]
        self.channel = self.form.add("channel", self.tr("Channel"), combo(self, "complaintChannel", "channel"))
        self.received_at = self.form.add("received_at", self.tr("Received"), datetime_edit(
            self, "complaintReceived", now or complaints.now()))
        self.category = self.form.add("category", self.tr("Category"), combo(self, "complaintCategory", "category"))
        self.subcategory = self.form.add("subcategory", self.tr("Subcategory"), QLineEdit(self))
        self.subcategory.setObjectName("complaintSubcategory")
        self.subcategory.setPlaceholderText(self.tr("Your own, e.g. toner leaks"))
        product_row = QWidget(self)
        row = QHBoxLayout(product_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.product = QLineEdit(product_row)
        self.product.setObjectName("complaintProduct")
        self.sale = QComboBox(product_row)  # one of the customer's sales, or none
        self.sale.setObjectName("complaintSale")
        self.sale.setMinimumContentsLength(16)
        self.sale.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.sale.activated.connect(lambda _i: self._sale_chosen())
        row.addWidget(self.product, 1)
        row.addWidget(self.sale, 1)
        self.form.add("product", self.tr("Product or sale"), product_row)
        self.form.errors["transaction_id"] = self.form.errors["product"]
        self.severity = self.form.add("severity", self.tr("Severity"), combo(self, "complaintSeverity", "severity"))
        self.severity.setCurrentIndex(self.severity.findData("normal"))
        self.owner = QComboBox(self)
        self.owner.setObjectName("complaintOwner")
        self.owner.setEditable(True)
        self.owner.addItems(complaint_settings.people())
        self.owner.setCurrentText("")
        self.form.add("owner", self.tr("Owner"), self.owner)
        self.words = self.form.add("words", self.tr("Customer's words"), text_box(self, "complaintWords", 80))
        self.words.setPlaceholderText(self.tr("What the customer said, in their own words"))
        # the investigation's fields, in the same form (one column of labels), when editing
        self.facts = self.form.add("facts", self.tr("Facts"), text_box(self, "complaintFacts"))
        self.root_cause = self.form.add("root_cause", self.tr("Root cause"), text_box(self, "complaintRootCause"))
        self.solution = self.form.add("solution", self.tr("Solution"), text_box(self, "complaintSolution"))
        compensation_row = QWidget(self)
        row = QHBoxLayout(compensation_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.compensation = combo(compensation_row, "complaintCompensation", "compensation_kind", blank=True)
        self.amount = QLineEdit(compensation_row)
        self.amount.setObjectName("complaintAmount")
        self.amount.setPlaceholderText(self.tr("Amount, e.g. 200"))
        row.addWidget(self.compensation, 1)
        row.addWidget(self.amount, 1)
        self.form.add("compensation_kind", self.tr("Compensation"), compensation_row)
        self.form.errors["compensation_amount"] = self.form.errors["compensation_kind"]
        for widget in (self.facts, self.root_cause, self.solution, compensation_row):
            layout_form.setRowVisible(widget.parentWidget(), complaint_id is not None)  # the field's error holder
        if complaint_id is None:
            self.resize(640, 470)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(layout_form)
        layout.addStretch(1)
        layout.addWidget(save_buttons(self, self.save))
        if complaint_id is not None:
            self._load(complaint_id)
        elif customer_id is not None:
            self.customer.set_customer(customer_id)

    def _load(self, complaint_id: int) -> None:
        c = complaints.get(complaint_id)
        self.version = c.version
        self.customer.set_customer(c.customer_id)
        self.customer.setEnabled(False)
        self.contact.setText(c.contact)
        self.contact_phone.setText(phone_display(c.contact_phone))
        self.channel.setCurrentIndex(max(self.channel.findData(c.channel), 0))
        self.received_at.setDateTime(to_qdatetime(c.received_at))
        self.category.setCurrentIndex(max(self.category.findData(c.category), 0))
        self.subcategory.setText(c.subcategory)
        self.product.setText(c.product)
        self._load_sales(c.customer_id, c.transaction_id)
        self.severity.setCurrentIndex(max(self.severity.findData(c.severity), 0))
        self.owner.setCurrentText(c.owner)
        self.words.setPlainText(c.words)
        self.facts.setPlainText(c.facts)
        self.root_cause.setPlainText(c.root_cause)
        self.solution.setPlainText(c.solution)
        self.compensation.setCurrentIndex(max(self.compensation.findData(c.compensation_kind), 0))
        self.amount.setText("" if c.compensation_amount is None else str(c.compensation_amount))

    def _load_sales(self, customer_id: int, chosen: Optional[int] = None) -> None:
        """The customer's sales, the latest first, to say which one the complaint is about."""
        self.sale.clear()
        self.sale.addItem(self.tr("(no particular sale)"), None)
        for sale in transactions.for_customer(customer_id)[:200] if customer_id else []:
            text = " ".join(p for p in (formatting.date(sale.date), sale.product, formatting.money(sale.amount)) if p)
            self.sale.addItem(text, sale.id)
            self.sale.setItemData(self.sale.count() - 1, sale.product, Qt.ItemDataRole.UserRole + 1)
        self.sale.setCurrentIndex(max(self.sale.findData(chosen), 0) if chosen else 0)

    def _sale_chosen(self) -> None:
        product = self.sale.currentData(Qt.ItemDataRole.UserRole + 1)
        if product and not self.product.text():
            self.product.setText(product)

    def _customer_chosen(self, customer_id: int) -> None:
        if self.complaint_id is None:
            self._load_sales(customer_id)
        if not customer_id or self.complaint_id is not None:
            return
        customer = customers.get(customer_id)
        if not self.contact.text():
            self.contact.setText(customer.contact_person)
        if not self.contact_phone.text():
            self.contact_phone.setText(phone_display(customer.mobile or customer.phone))
        if not self.owner.currentText() and customer.owner:
            self.owner.setCurrentText(customer.owner)

    def values(self) -> dict:
        values = {"contact": self.contact.text(), "contact_phone": self.contact_phone.text(),
                  "channel": self.channel.currentData(), "received_at": from_qdatetime(self.received_at.dateTime()),
                  "category": self.category.currentData(), "subcategory": self.subcategory.text(),
                  "product": self.product.text(), "transaction_id": self.sale.currentData(),
                  "severity": self.severity.currentData(),
                  "owner": self.owner.currentText(), "words": self.words.toPlainText()}
        if self.complaint_id is not None:
            values.update(facts=self.facts.toPlainText(), root_cause=self.root_cause.toPlainText(),
                          solution=self.solution.toPlainText(), compensation_kind=self.compensation.currentData(),
                          compensation_amount=self.amount.text())
        return values

    def save(self) -> bool:
        self.form.clear()
        self.summary.hide()
        values = self.values()
        try:
            if self.complaint_id is not None:
                written = complaints.update(self.complaint_id, values, self.version)
                self.saved_id = self.complaint_id
            else:
                if not self.customer.customer_id:
                    raise ValidationError({"customer_id": FieldError("complaint_no_customer", "customer_id")})
                written = complaints.create({"customer_id": self.customer.customer_id, **values})
                self.saved_id = written.complaint_id
        except Exception as exc:  # noqa: BLE001 - every failure is shown; nothing typed is lost
            report_failure(self, self.form, self.summary, exc)
            return False
        self.bus.publish(*written.changes)
        self.accept()
        return True
