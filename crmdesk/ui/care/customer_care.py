"""The customer profile's Care page: the points balance with the ledger (earned per
purchase, redeemed for gifts), and the customer's care reminders, open and done, with their
results. Redeem points for a gift, or plan a reminder, from here."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox,
                               QVBoxLayout, QWidget)

from crmdesk.core.care import events as care, points
from crmdesk.ui.care import labels as CL
from crmdesk.ui.common import formatting
from crmdesk.ui.visits.form import CheckedForm, report_failure, save_buttons
from crmdesk.ui.common.read_only_table import fill, read_only_table


class CustomerCare(QWidget):
    plan_care = Signal(int)  # a customer id
    open_care = Signal(int)  # a care event id
    changed = Signal(list)  # Changes to publish

    def __init__(self, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setObjectName("customerCare")
        self.customer_id: Optional[int] = None
        self.event_ids: list[int] = []
        self.balance = QLabel(self)
        self.balance.setObjectName("pointsBalance")
        self.balance.setStyleSheet("font-weight: 600;")
        self.redeem_button = QPushButton(self.tr("Redeem points for a gift…"), self)
        self.redeem_button.setObjectName("redeemPoints")
        self.redeem_button.clicked.connect(lambda: self.redeem())
        self.plan_button = QPushButton(self.tr("Plan a care reminder…"), self)
        self.plan_button.setObjectName("profilePlanCare")
        self.plan_button.clicked.connect(lambda: self.customer_id and self.plan_care.emit(self.customer_id))
        top = QHBoxLayout()
        top.addWidget(self.balance, 1)
        top.addWidget(self.redeem_button)
        top.addWidget(self.plan_button)
        self.events = read_only_table(self, [self.tr("Due"), self.tr("Kind"), self.tr("About"), self.tr("State"),
                                    self.tr("Result"), self.tr("Customer's response")], "profileCare")
        self.events.cellDoubleClicked.connect(
            lambda row, _c: 0 <= row < len(self.event_ids) and self.open_care.emit(self.event_ids[row]))
        self.ledger = read_only_table(self, [self.tr("Date"), self.tr("Points"), self.tr("For")], "pointsLedger")
        self.ledger.setMaximumHeight(150)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.events, 2)
        layout.addWidget(QLabel(self.tr("Points ledger"), self))
        layout.addWidget(self.ledger, 1)
        self.dialog = None

    def show_customer(self, customer_id: Optional[int], live: bool = True) -> int:
        """Fill the page; the number of care reminders (for the page's tab)."""
        self.customer_id = customer_id
        for button in (self.redeem_button, self.plan_button):
            button.setEnabled(bool(customer_id) and live)
        if not customer_id:
            self.balance.clear()
            fill(self.events, [])
            fill(self.ledger, [])
            self.event_ids = []
            return 0
        have = points.balance(customer_id)
        self.balance.setText(self.tr("Points: {points}").format(points=formatting.number(have)))
        found = care.for_customer(customer_id)
        self.event_ids = [e.id for e in found]
        rows = []
        for e in found:
            state = CL.label("state", e.state)
            if e.state == "snoozed" and e.snoozed_until:
                state = self.tr("Snoozed to {date}").format(date=formatting.date(e.snoozed_until))
            rows.append([formatting.date(e.shown_on), CL.label("kind", e.kind),
                         CL.about(e.kind, e.occasion, e.facts, e.subject, e.contact_name), state, e.result, e.response])
        fill(self.events, rows)
        kinds = {"earned": self.tr("Purchase"), "redeemed": self.tr("Gift"), "adjusted": self.tr("Adjustment")}
        fill(self.ledger, [[formatting.date(line.on), f"{line.points:+,}",
                             " · ".join(p for p in (kinds.get(line.kind, line.kind), line.product or line.note) if p)]
                            for line in points.ledger(customer_id)])
        return len(found)

    def redeem(self, points_wanted: Optional[int] = None, gift: str = ""):
        if not self.customer_id:
            return None
        dialog = RedeemDialog(self.customer_id, self)
        dialog.accepted.connect(lambda: self.changed.emit(dialog.changes))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog


class RedeemDialog(QDialog):
    """Points off the balance for a gift: how many, and what the customer gets."""

    def __init__(self, customer_id: int, parent: Optional[QWidget] = None, today: Optional[dt.date] = None):
        super().__init__(parent)
        self.setObjectName("redeemDialog")
        self.setWindowTitle(self.tr("Redeem points"))
        self.customer_id = customer_id
        self.today = today or dt.date.today()
        self.changes: list = []
        self.summary = QLabel(self)
        self.summary.setObjectName("redeemSummary")
        self.summary.setWordWrap(True)
        self.summary.hide()
        have = points.balance(customer_id)
        form_layout = QFormLayout()
        self.form = CheckedForm(self, form_layout)
        form_layout.addRow(self.tr("Balance"), QLabel(formatting.number(have), self))
        self.points = self.form.add("points", self.tr("Points"), QSpinBox(self))
        self.points.setObjectName("redeemAmount")
        self.points.setRange(0, points.MAX_POINTS)
        self.points.setValue(min(have, 100))
        self.gift = self.form.add("gift", self.tr("Gift"), QLineEdit(self))
        self.gift.setObjectName("redeemGift")
        self.gift.setPlaceholderText(self.tr("e.g. a tea set"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(form_layout)
        layout.addWidget(save_buttons(self, self.save, self.tr("Redeem")))

    def save(self) -> bool:
        self.form.clear()
        try:
            self.changes = points.redeem(self.customer_id, self.points.value(), self.gift.text(), self.today)
        except Exception as exc:  # noqa: BLE001 - shown in the dialog
            report_failure(self, self.form, self.summary, exc)
            return False
        self.accept()
        return True
