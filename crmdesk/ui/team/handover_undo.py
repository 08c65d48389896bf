"""A hand-over as a step of the window's undo stack (Edit ▸ Undo, Ctrl+Z): undo takes it back
through the core's ``handover.undo(batch)`` (a field someone changed again since keeps the
later value); redo hands the same customers over again, as a new batch."""
from __future__ import annotations

from typing import Optional

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QWidget

from crmdesk.core.errors import CrmError
from crmdesk.core.sync import handover
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.common import plural
from crmdesk.ui.errors import show_error


class HandoverCommand(QUndoCommand):
    def __init__(self, bus: ChangeBus, done: handover.Handover, ids: list[int], to_owner: str,
                 to_team: Optional[str], widget: Optional[QWidget] = None):
        count = len(ids)  # a plain name: lupdate skips a call as the count
        super().__init__(plural.translate("TeamHandover", "Hand over %n customer(s)", "", count))
        self.bus, self.ids, self.to_owner, self.to_team = bus, list(ids), to_owner, to_team
        self.batch_id = done.batch_id
        self.widget = widget  # where a refusal is said
        self.first = True

    def redo(self) -> None:
        if self.first:  # pushed after the hand-over was made
            self.first = False
            return
        try:
            done = handover.handover(self.ids, to_owner=self.to_owner, to_team=self.to_team)
        except CrmError as error:
            show_error(self.widget, error)
            self.setObsolete(True)
            return
        self.batch_id = done.batch_id
        self.bus.publish(*done.changes)

    def undo(self) -> None:
        try:
            done = handover.undo(self.batch_id)
        except CrmError as error:
            show_error(self.widget, error)
            self.setObsolete(True)  # nothing left to take back: the stack drops the step
            return
        self.bus.publish(*done.changes)
