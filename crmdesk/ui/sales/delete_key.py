"""Del on a table does the table's own delete, ahead of any Del shortcut of the window or
tab around it (the customer list's "delete customer" must not fire from the profile's
sales, nor two shortcuts cancel each other out as ambiguous)."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QObject, Qt


class DeleteKey(QObject):
    def __init__(self, widget, action: Callable[[], None]):
        super().__init__(widget)
        self.action = action
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and \
                event.key() == Qt.Key.Key_Delete and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            event.accept()
            if event.type() == QEvent.Type.KeyPress:
                self.action()
            return True
        return False
