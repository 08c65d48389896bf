"""The undo step of a soft delete: the records were deleted when it is pushed; undo
restores them, redo deletes them again. Every list that deletes (visits, complaints) uses it."""
from __future__ import annotations

from typing import Callable, Iterable, Optional

from PySide6.QtGui import QUndoCommand

from crmdesk.core.changes import Changes
from crmdesk.ui.change_bus import ChangeBus


def follow(tab, attr: str, method: str) -> Callable:
    """``tab.method`` for an undo step that outlives ``tab``: a language switch re-creates the
    tabs, so the step calls the method on the window's current tab of that kind (``attr``)."""
    window = tab.window()

    def call(*args):
        current = getattr(window, attr, None) if window is not tab else None
        return getattr(current if current is not None else tab, method)(*args)
    return call


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
