"""Customers due for a visit: those whose last visit is older than their tier's (or their
own) visit frequency, most overdue and most valuable first; one click plans the visit."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QHBoxLayout, QInputDialog, QLabel, QPushButton,
                               QSpinBox, QVBoxLayout, QWidget)

from crmdesk.core.visits import fields as V
from crmdesk.core.changes import Changes
from crmdesk.core.errors import CrmError, ValidationError
from crmdesk.core.customers import archive as customers
from crmdesk.core.visits import planning as visit_planning
from crmdesk.core.visits.planning import DueQuery
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.errors import show_error
from crmdesk.ui.common.labels import choices
from crmdesk.ui.common.list_view import lazy_view
from crmdesk.ui.common.table_model import LazyTableModel
from crmdesk.ui.visits.sources import DUE_KEYS, DueSource


class DueList(QWidget):
    plan_requested = Signal(int)  # a customer id

    def __init__(self, bus: ChangeBus, parent: Optional[QWidget] = None, today: Optional[dt.date] = None):
        super().__init__(parent)
        self.setObjectName("dueList")
        self.bus = bus
        self.source = DueSource()
        self.pinned_today = today  # tests pin the day; else the list is for the real today
        self.model = LazyTableModel(self.source, DUE_KEYS, DueQuery(today or dt.date.today()), self)
        self.tier = QComboBox(self)
        self.tier.setObjectName("dueTier")
        self.tier.addItem(self.tr("All tiers"), "")
        for key, label in choices("tier"):
            self.tier.addItem(label, key)
        self.tier.addItem(self.tr("No tier"), "none")
        self.tier.currentIndexChanged.connect(lambda _i: self.apply())
        self.ahead = QSpinBox(self)
        self.ahead.setObjectName("dueAhead")
        self.ahead.setRange(0, 90)
        self.ahead.setPrefix(self.tr("and due within "))
        self.ahead.setSuffix(self.tr(" days"))
        self.ahead.valueChanged.connect(lambda _v: self.apply())
        self.planned = QCheckBox(self.tr("Include customers with a visit planned"), self)
        self.planned.setObjectName("dueIncludePlanned")
        self.planned.toggled.connect(lambda _on: self.apply())
        self.plan_button = QPushButton(self.tr("Plan a visit to this customer"), self)
        self.plan_button.setObjectName("duePlan")
        self.plan_button.clicked.connect(self.plan_current)
        self.frequency_button = QPushButton(self.tr("Visit frequency…"), self)
        self.frequency_button.setObjectName("dueFrequency")
        self.frequency_button.setToolTip(self.tr("How often this customer should be visited, instead of its tier's"))
        self.frequency_button.clicked.connect(lambda: self.set_frequency())
        self.table = lazy_view(self, self.model, "dueTable", multi=False)  # in the service's order
        self.table.activated.connect(lambda _i: self.plan_current())
        self.count_label = QLabel(self)
        self.count_label.setObjectName("dueCount")
        self.model.modelReset.connect(self.update_count)
        self.model.loaded.connect(self.update_count)
        filters = QHBoxLayout()
        filters.addWidget(self.tier)
        filters.addWidget(self.ahead)
        filters.addWidget(self.planned)
        filters.addStretch(1)
        filters.addWidget(self.plan_button)
        filters.addWidget(self.frequency_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        self.owner = self.team = ""
        self.model.set_query(self.query())

    def query(self) -> DueQuery:
        self.source.query_today = self.pinned_today or dt.date.today()
        return DueQuery(self.source.query_today, owner=self.owner, team=self.team, tier=self.tier.currentData() or "",
                        ahead=self.ahead.value(), include_planned=self.planned.isChecked())

    def apply(self) -> None:
        query = self.query()
        if query != self.model.query:
            self.model.set_query(query)

    def refresh(self) -> None:
        self.model.set_query(self.query())

    def set_today(self, day: dt.date) -> None:
        """Tests pin the day the list is computed for."""
        self.pinned_today = day
        self.refresh()

    def set_owner(self, owner: str) -> None:
        self.owner = owner
        self.apply()

    def set_team(self, team: str) -> None:
        self.team = team
        self.apply()

    def update_count(self) -> None:
        if not self.model.complete:
            self.count_label.setText(self.tr("Searching…"))
            return
        count = self.model.rowCount()
        self.count_label.setText(self.tr("No customer is due for a visit.") if count == 0 else
                                 self.tr("%n customer(s) is(are) due for a visit.", "", count))

    def current_id(self) -> Optional[int]:
        index = self.table.currentIndex()
        return self.model.id_at(index.row()) if index.isValid() else None

    def plan_current(self) -> None:
        customer_id = self.current_id()
        if customer_id:
            self.plan_requested.emit(customer_id)

    def set_frequency(self, days: Optional[int] = None, ask: bool = True) -> bool:
        """This customer's own frequency; 0 goes back to its tier's."""
        customer_id = self.current_id()
        if not customer_id:
            return False
        try:
            customer = customers.get(customer_id)
        except CrmError as error:
            show_error(self, error)
            return False
        if ask:
            current = customer.visit_every_days or visit_planning.frequencies().get(customer.tier or "none") or 30
            days, ok = QInputDialog.getInt(self, self.tr("Visit frequency"), self.tr(
                "Visit {name} every how many days? 0 goes back to its tier's frequency.").format(name=customer.name),
                current, 0, V.MAX_FREQUENCY)
            if not ok:
                return False
        try:
            self.bus.publish(*visit_planning.set_customer_frequency(customer_id, days or None))
        except ValidationError as error:
            show_error(self, next(iter(error.errors.values())))
            return False
        return True

    def on_changes(self, changes: Changes) -> None:
        if changes.entity in ("customer", "visit", "due", "*"):
            self.model.refresh()
