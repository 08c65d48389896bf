"""A step a core service has already done, put on the window's undo stack (Edit ▸ Undo, Ctrl+Z):
undo asks the service to take it back, redo to do it again (a new batch); what changed is
published on the change bus. A refusal (the records went meanwhile) is said in one sentence
and the step leaves the stack."""
from __future__ import annotations

from typing import Callable, Iterable, Optional

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QWidget

from crmdesk.core.changes import Changes
from crmdesk.core.errors import CrmError
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.errors import show_error


class ServiceStep(QUndoCommand):
    def __init__(self, text: str, bus: ChangeBus, widget: Optional[QWidget] = None):
        super().__init__(text)
        self.bus, self.widget = bus, widget  # where a refusal is said
        self.first = True

    def again(self) -> Iterable[Changes]:
        """Do the step again (redo); returns what changed."""
        raise NotImplementedError

    def back(self) -> Iterable[Changes]:
        """Take the step back (undo); returns what changed."""
        raise NotImplementedError

    def redo(self) -> None:
        if self.first:  # pushed after the service did it
            self.first = False
            return
        self._run(self.again)

    def undo(self) -> None:
        self._run(self.back)

    def _run(self, step: Callable[[], Iterable[Changes]]) -> None:
        try:
            changes = step()
        except CrmError as error:
            show_error(self.widget, error)
            self.setObsolete(True)  # nothing left to take back or redo: the stack drops the step
            return
        self.bus.publish(*changes)
