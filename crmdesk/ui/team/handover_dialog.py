"""File ▸ Team ▸ Hand over customers (managers): the selected customers, or all of a rep's,
go to another rep and team in one step; their visits, deals, complaints and care follow.
The step goes onto the window's undo stack (``handover_undo``)."""
from __future__ import annotations

import json
from typing import Optional

from PySide6.QtWidgets import (QButtonGroup, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel,
                               QRadioButton, QVBoxLayout, QWidget)

from crmdesk.core.changes import Changes
from crmdesk.core.errors import CrmError
from crmdesk.core.models import Customer
from crmdesk.core.sync import state
from crmdesk.ui.errors import show_bug, show_error


def owners() -> list[str]:
    query = (Customer.select(Customer.owner).where(Customer.deleted_at.is_null(), Customer.owner != "")
             .distinct().order_by(Customer.owner))
    return [row.owner for row in query]


def customers_of(owner: str) -> list[int]:
    return [row.id for row in Customer.select(Customer.id).where(Customer.owner == owner,
                                                                  Customer.deleted_at.is_null())]


def all_teams() -> list[str]:
    return json.loads(state.read().get("all_teams") or "[]")


class HandoverDialog(QDialog):
    def __init__(self, bus, selected_ids: list[int], parent: Optional[QWidget] = None, undo_stack=None):
        super().__init__(parent)
        self.setObjectName("teamHandoverDialog")
        self.bus = bus
        self.undo_stack = undo_stack
        self.selected_ids = list(selected_ids)
        self.result_value = None
        self.setWindowTitle(self.tr("Hand over customers"))
        self.selection = QRadioButton(self.tr("The %n selected customer(s)", "", len(self.selected_ids)), self)
        self.selection.setObjectName("handoverSelected")
        self.selection.setEnabled(bool(self.selected_ids))
        self.of_rep = QRadioButton(self.tr("All customers of"), self)
        self.of_rep.setObjectName("handoverOfRep")
        group = QButtonGroup(self)
        group.addButton(self.selection)
        group.addButton(self.of_rep)
        (self.selection if self.selected_ids else self.of_rep).setChecked(True)
        names = owners()
        self.from_owner = QComboBox(self)
        self.from_owner.setObjectName("handoverFromOwner")
        self.from_owner.addItems(names)
        self.to_owner = QComboBox(self)
        self.to_owner.setObjectName("handoverToOwner")
        self.to_owner.setEditable(True)
        self.to_owner.addItems(names)
        self.to_owner.setCurrentText("")
        self.to_team = QComboBox(self)
        self.to_team.setObjectName("handoverToTeam")
        self.to_team.addItems(all_teams())
        note = QLabel(self.tr("Their visits, opportunities, complaints and care go with them. The old team's "
                              "laptops drop them at their next sync; the new team's receive them."), self)
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.selection)
        form.addRow(self.of_rep, self.from_owner)
        form.addRow(self.tr("To &rep:"), self.to_owner)
        form.addRow(self.tr("To &team:"), self.to_team)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("&Hand over"))
        self.buttons.accepted.connect(self.hand_over)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        for signal in (self.selection.toggled, self.to_owner.currentTextChanged, self.to_team.currentTextChanged,
                       self.from_owner.currentTextChanged):
            signal.connect(self.check)
        self.setMinimumWidth(460)
        self.check()

    def customer_ids(self) -> list[int]:
        if self.selection.isChecked():
            return self.selected_ids
        return customers_of(self.from_owner.currentText()) if self.from_owner.currentText() else []

    def check(self) -> None:
        self.from_owner.setEnabled(self.of_rep.isChecked())
        self.ok.setEnabled(bool(self.to_owner.currentText().strip()) and bool(self.to_team.currentText())
                           and (self.selection.isChecked() or bool(self.from_owner.currentText())))

    def hand_over(self) -> None:
        ids = self.customer_ids()
        if not ids:
            return
        from crmdesk.core.sync import handover  # the core's hand-over, loaded when first used
        to_owner, to_team = self.to_owner.currentText().strip(), self.to_team.currentText() or None
        try:
            self.result_value = handover.handover(ids, to_owner=to_owner, to_team=to_team)
        except CrmError as error:
            show_error(self, error)
            return
        except Exception as exc:
            show_bug(self, exc)
            return
        self.bus.publish(*(self.result_value.changes or [Changes.reset("customer")]))
        if self.undo_stack is not None:  # Edit ▸ Undo takes it back
            from crmdesk.ui.team.handover_undo import HandoverCommand
            self.undo_stack.push(HandoverCommand(self.bus, self.result_value, ids, to_owner, to_team,
                                                 self.parentWidget()))
        self.accept()
