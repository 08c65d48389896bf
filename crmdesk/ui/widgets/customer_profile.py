"""The selected customer's archive: the spec's sections, contacts, transaction history
with totals, and a timeline of every change (who, when, field, old → new)."""
from __future__ import annotations

import html
from typing import Optional

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QHeaderView, QLabel, QTableWidget,
                               QTableWidgetItem, QTabWidget, QTextBrowser, QVBoxLayout, QWidget)

from crmdesk.core import fields as F
from crmdesk.core.errors import CrmError
from crmdesk.core.services import contacts as contacts_service
from crmdesk.core.services import customers, history
from crmdesk.core.services import transactions as transactions_service
from crmdesk.ui import formatting
from crmdesk.ui.labels import choice_label, field_label, section_title

SECTION_FIELDS = {section: [f for f in F.CUSTOMER_FIELDS if f.section == section] for section in F.SECTIONS}


def _read_only_table(parent: QWidget, headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.setAlternatingRowColors(True)
    return table


def _fill(table: QTableWidget, rows: list[list[str]], right_aligned: tuple[int, ...] = ()) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            if c in right_aligned:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)


class CustomerProfile(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.customer_id: Optional[int] = None
        self.title = QLabel(self)
        self.title.setObjectName("profileTitle")
        self.title.setStyleSheet("font-size: 16px; font-weight: bold; padding: 4px 2px;")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tabs = QTabWidget(self)
        self.overview = QTextBrowser(self)
        self.overview.setObjectName("profileOverview")
        self.overview.setOpenExternalLinks(False)
        self.contacts = _read_only_table(self, [
            self.tr("Name"), self.tr("Job Title"), self.tr("Mobile"), self.tr("Phone"), self.tr("Email"),
            self.tr("WeChat"), self.tr("Birthday"), self.tr("Decision maker")], "profileContacts")
        transactions_page = QWidget(self)
        self.totals = QLabel(transactions_page)
        self.totals.setObjectName("transactionTotals")
        self.totals.setWordWrap(True)
        self.transactions = _read_only_table(transactions_page, [
            self.tr("Date"), self.tr("Product"), self.tr("Category"), self.tr("Quantity"),
            self.tr("Amount"), self.tr("Paid")], "profileTransactions")
        box = QVBoxLayout(transactions_page)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.totals)
        box.addWidget(self.transactions)
        self.timeline = _read_only_table(self, [
            self.tr("When"), self.tr("Who"), self.tr("What"), self.tr("Field"), self.tr("Before"),
            self.tr("After")], "profileTimeline")
        self.tabs.addTab(self.overview, self.tr("Profile"))
        self.tabs.addTab(self.contacts, self.tr("Contacts"))
        self.tabs.addTab(transactions_page, self.tr("Transactions"))
        self.tabs.addTab(self.timeline, self.tr("Timeline"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.tabs, 1)
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
            hint = self.tr("Select a customer in the list to see their archive, or press Ctrl+N to add one.")
            self.overview.setHtml(f"<p style='color:#666'>{html.escape(hint)}</p>")
            for table in (self.contacts, self.transactions, self.timeline):
                table.setRowCount(0)
            self.totals.clear()
            return
        deleted = self.tr(" (in the trash)") if customer.deleted_at else ""
        self.title.setText(f"{customer.name}  ·  {customer.code}{deleted}")
        self.overview.setHtml(self._overview_html(customer))
        self._show_contacts(customer.id)
        self._show_transactions(customer.id)
        self._show_timeline(customer.id)

    def refresh(self) -> None:
        self.show_customer(self.customer_id)

    # ------------------------------------------------------------ sections
    def _value_text(self, field: F.Field, value) -> str:
        if value is None or value == "" or value == []:
            return ""
        if field.type == F.ENUM:
            return choice_label(field.key, value)
        if field.type == F.DECIMAL:
            return formatting.money(value)
        if field.type == F.DATE:
            return formatting.date(value)
        if field.type == F.TAGS:
            return ", ".join(value)
        if field.type == F.BIRTHDAY:
            return value.as_text()
        if field.type == F.SCORE:
            return "★" * int(value) + "☆" * (5 - int(value))
        return str(value)

    def _overview_html(self, customer) -> str:
        values = customers.to_dict(customer)
        parts = []
        for section in F.SECTIONS:
            rows = []
            for field in SECTION_FIELDS[section]:
                text = self._value_text(field, values.get(field.key))
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
            if rows:
                parts.append(f"<h3 style='margin:10px 0 4px 0'>{html.escape(section_title(section))}</h3>"
                             f"<table cellspacing='2'>{''.join(rows)}</table>")
        return "".join(parts) or html.escape(self.tr("Nothing recorded yet."))

    def _show_contacts(self, customer_id: int) -> None:
        rows = []
        for c in contacts_service.for_customer(customer_id):
            birthday = contacts_service.birthday_text(c)
            if birthday and c.birthday_calendar == "lunar":
                birthday = self.tr("{date} (lunar)").format(date=birthday)
            rows.append([c.name, c.title, c.mobile, c.phone, c.email, c.wechat, birthday,
                         "✓" if c.is_decision_maker else ""])
        _fill(self.contacts, rows)

    def _show_transactions(self, customer_id: int) -> None:
        rows = [[formatting.date(t.date), t.product, t.category,
                 formatting.number(t.quantity, 2 if t.quantity and t.quantity % 1 else 0) if t.quantity is not None else "",
                 formatting.money(t.amount), formatting.money(t.paid)]
                for t in transactions_service.for_customer(customer_id)]
        _fill(self.transactions, rows, right_aligned=(3, 4, 5))
        totals = transactions_service.totals(customer_id)
        if totals.count:
            self.totals.setText(self.tr("{count} transactions from {first} to {last}: total {amount}, paid {paid}, outstanding {outstanding}").format(
                count=totals.count, first=formatting.date(totals.first), last=formatting.date(totals.last),
                amount=formatting.money(totals.amount), paid=formatting.money(totals.paid),
                outstanding=formatting.money(totals.outstanding)))
        else:
            self.totals.setText(self.tr("No transactions yet."))

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
        }
        return texts.get((entity, action), f"{entity} {action}")

    def _field_name(self, entity: str, key: str) -> str:
        if not key:
            return ""
        if entity == "customer" and key in F.BY_KEY:
            return field_label(key)
        return {"name": self.tr("Name"), "title": self.tr("Job Title"), "mobile": self.tr("Mobile"),
                "phone": self.tr("Phone"), "email": self.tr("Email"), "wechat": self.tr("WeChat"),
                "birthday_year": self.tr("Birthday"), "birthday_month": self.tr("Birthday"),
                "birthday_day": self.tr("Birthday"), "birthday_calendar": self.tr("Birthday Calendar"),
                "is_decision_maker": self.tr("Decision maker"), "notes": self.tr("Notes")}.get(key, key)

    def _show_timeline(self, customer_id: int) -> None:
        rows = []
        for item in history.timeline(customer_id):
            what = self.action_text(item.entity, item.action)
            if item.batch_kind == "demo":
                what += self.tr(" (demo data)")
            old, new = item.old or "", item.new or ""
            if item.entity == "customer" and item.field in F.BY_KEY and F.BY_KEY[item.field].type == F.ENUM:
                old, new = choice_label(item.field, old), choice_label(item.field, new)
            rows.append([formatting.utc_datetime(item.at), item.actor, what,
                         self._field_name(item.entity, item.field), old, new])
        _fill(self.timeline, rows)
