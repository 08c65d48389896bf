"""Making menu and keyboard actions the same way everywhere."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction


def make_action(parent: QObject, text: str, slot: Callable, shortcut=None, name: str = "",
                context=None) -> QAction:
    action = QAction(text, parent)
    if shortcut is not None:
        action.setShortcut(shortcut)
    if context is not None:
        action.setShortcutContext(context)
    if name:
        action.setObjectName(name)
    action.triggered.connect(slot)
    return action
