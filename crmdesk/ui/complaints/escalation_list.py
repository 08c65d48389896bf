"""The escalation list: every open complaint past a deadline, the latest first (by business
time), which deadline it missed, and whose it is; beside it, how many each owner has late."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from crmdesk.core.complaints import list as complaint_list
from crmdesk.ui.complaints import labels as CL
from crmdesk.ui.visits.sources import when


def _table(parent: QWidget, name: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.setAlternatingRowColors(True)
    return table


class EscalationList(QWidget):
    open_requested = Signal(int)  # a complaint id

    def __init__(self, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setObjectName("escalationList")
        self.now: Optional[dt.datetime] = None
        self.owner = ""
        self.late: list[complaint_list.Late] = []
        self.title = QLabel(self)
        self.title.setObjectName("escalationTitle")
        self.title.setStyleSheet("font-weight: bold; padding: 2px;")
        self.table = _table(self, "escalationTable", [
            self.tr("Late by"), self.tr("No."), self.tr("Customer"), self.tr("Owner"), self.tr("Severity"),
            self.tr("Missed"), self.tr("Was due"), self.tr("State")])
        self.table.cellDoubleClicked.connect(lambda row, _col: self._open(row))
        self.owners = _table(self, "escalationOwners", [self.tr("Owner"), self.tr("Late"), self.tr("Longest")])
        self.owners.setMaximumWidth(320)
        row = QHBoxLayout()
        row.addWidget(self.table, 3)
        row.addWidget(self.owners, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(row, 1)

    def _open(self, row: int) -> None:
        if 0 <= row < len(self.late):
            self.open_requested.emit(self.late[row].complaint_id)

    def set_owner(self, owner: str) -> None:
        self.owner = owner
        self.refresh()

    def refresh(self) -> None:
        self.late = complaint_list.escalations(self.now, self.owner)
        count = len(self.late)
        self.title.setText(self.tr("Nothing is late.") if not count else (
            self.tr("%n complaint(s) is(are) late", "", count)))
        deadline = {"response": self.tr("First response"), "resolution": self.tr("Resolution")}
        self.table.setRowCount(count)
        red = CL.status_color("overdue")
        for r, late in enumerate(self.late):
            late_text = CL.business_time(late.late_minutes) if late.late_minutes else self.tr("since closing time")
            values = [late_text, late.number, late.customer_name, late.owner, CL.label("severity", late.severity),
                      deadline[late.deadline], when(late.due_at), CL.label("state", late.state)]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c == 0:
                    item.setForeground(red)
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        summary = complaint_list.late_by_owner(self.late)
        self.owners.setRowCount(len(summary))
        for r, (owner, number, longest) in enumerate(summary):
            for c, value in enumerate((owner or self.tr("(nobody)"), str(number), CL.business_time(longest))):
                self.owners.setItem(r, c, QTableWidgetItem(value))
