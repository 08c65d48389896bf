"""Every write returns a ``Changes`` record; the bus broadcasts it so each open view
refreshes just those rows (DESIGN §1)."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from crmdesk.core.changes import Changes


class ChangeBus(QObject):
    changed = Signal(object)  # a Changes

    def publish(self, *changes: Changes) -> None:
        for change in changes:
            if change is not None:
                self.changed.emit(change)
