"""The undo step of a soft delete: the records were deleted when it is pushed; undo
restores them, redo deletes them again. Every list that deletes (visits, complaints) uses it."""
from __future__ import annotations

from typing import Callable, Iterable, Optional

from PySide6.QtGui import QUndoCommand

from crmdesk.core.changes import Changes
from crmdesk.ui.change_bus import ChangeBus


class DeleteCommand(QUndoCommand):
    def __init__(self, bus: ChangeBus, ids: list[int], text: str,
                 delete: Callable[[list[int]], Iterable[Changes]], restore: Callable[[list[int]], Iterable[Changes]],
                 select: Optional[Callable[[list[int]], None]] = None):
        super().__init__(text)
        self.bus, self.ids, self.first = bus, ids, True
        self.delete, self.restore = delete, restore
        self.select = select  # the list's "select and scroll to these", called after an undo restored them

    def redo(self) -> None:
        if self.first:  # pushed after the delete happened
            self.first = False
            return
        self.bus.publish(*self.delete(self.ids))

    def undo(self) -> None:
        self.bus.publish(*self.restore(self.ids))
        if self.select is not None:
            self.select(self.ids)
