"""A merge as a step of the window's undo stack: undo takes it back through the core's
``dedupe.undo_merge(batch)``; redo merges the same customers again, with the same values
chosen, as a new batch."""
from __future__ import annotations

from typing import Any, Mapping, Optional

from PySide6.QtWidgets import QWidget

from crmdesk.core import dedupe
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.common import plural
from crmdesk.ui.common.service_step import ServiceStep


class MergeCommand(ServiceStep):
    def __init__(self, bus: ChangeBus, done: dedupe.MergeResult, chosen: Mapping[str, Any],
                 widget: Optional[QWidget] = None):
        count = len(done.merged) + 1  # a plain name: lupdate skips a call as the count
        super().__init__(plural.translate("Duplicates", "Merge %n customer(s)", "", count), bus, widget)
        self.keep, self.others, self.chosen = done.kept, list(done.merged), dict(chosen)
        self.batch_id = done.batch_id

    def again(self):
        done = dedupe.merge(self.keep, self.others, self.chosen)
        self.batch_id = done.batch_id
        return done.changes

    def back(self):
        return dedupe.undo_merge(self.batch_id).changes
