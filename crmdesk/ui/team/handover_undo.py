"""A hand-over as a step of the window's undo stack (Edit ▸ Undo, Ctrl+Z): undo takes it back
through the core's ``handover.undo(batch)`` (a field someone changed again since keeps the
later value); redo hands the same customers over again, as a new batch."""
from __future__ import annotations

from typing import Optional

from PySide6.QtWidgets import QWidget

from crmdesk.core.sync import handover
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.common import plural
from crmdesk.ui.common.service_step import ServiceStep


class HandoverCommand(ServiceStep):
    def __init__(self, bus: ChangeBus, done: handover.Handover, ids: list[int], to_owner: str,
                 to_team: Optional[str], widget: Optional[QWidget] = None):
        count = len(ids)  # a plain name: lupdate skips a call as the count
        super().__init__(plural.translate("TeamHandover", "Hand over %n customer(s)", "", count), bus, widget)
        self.ids, self.to_owner, self.to_team = list(ids), to_owner, to_team
        self.batch_id = done.batch_id

    def again(self):
        done = handover.handover(self.ids, to_owner=self.to_owner, to_team=self.to_team)
        self.batch_id = done.batch_id
        return done.changes

    def back(self):
        return handover.undo(self.batch_id).changes
