"""A merge as a step of the window's undo stack (Edit ▸ Undo, Ctrl+Z): undo takes it back
through the core's ``dedupe.undo_merge(batch)``; redo merges the same customers again, with
the same values chosen, as a new batch."""
from __future__ import annotations

from typing import Any, Mapping, Optional

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QWidget

from crmdesk.core import dedupe
from crmdesk.core.errors import CrmError
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.common import plural
from crmdesk.ui.errors import show_error


class MergeCommand(QUndoCommand):
    def __init__(self, bus: ChangeBus, done: dedupe.MergeResult, chosen: Mapping[str, Any],
                 widget: Optional[QWidget] = None):
        count = len(done.merged) + 1  # a plain name: lupdate skips a call as the count
        super().__init__(plural.translate("Duplicates", "Merge %n customer(s)", "", count))
        self.bus, self.keep, self.others, self.chosen = bus, done.kept, list(done.merged), dict(chosen)
        self.batch_id = done.batch_id
        self.widget = widget
        self.first = True

    def redo(self) -> None:
        if self.first:  # pushed after the merge was made
            self.first = False
            return
        try:
            done = dedupe.merge(self.keep, self.others, self.chosen)
        except CrmError as error:
            show_error(self.widget, error)
            self.setObsolete(True)
            return
        self.batch_id = done.batch_id
        self.bus.publish(*done.changes)

    def undo(self) -> None:
        try:
            done = dedupe.undo_merge(self.batch_id)
        except CrmError as error:
            show_error(self.widget, error)
            self.setObsolete(True)
            return
        self.bus.publish(*done.changes)
