"""Pieces every tab's top row shares: the buttons that switch between a tab's views, and a
filter combo of people (reps, owners) refilled without losing the choice."""
from __future__ import annotations

from typing import Iterable

from PySide6.QtWidgets import QButtonGroup, QComboBox, QHBoxLayout, QToolButton, QWidget


def view_switcher(parent: QWidget, row: QHBoxLayout, views: Iterable[tuple[str, str]]) -> QButtonGroup:
    """Checkable buttons (objectName, text), one per view, in ``row``; ids 0, 1, 2..."""
    group = QButtonGroup(parent)
    for index, (name, text) in enumerate(views):
        button = QToolButton(parent)
        button.setObjectName(name)
        button.setText(text)
        button.setCheckable(True)
        group.addButton(button, index)
        row.addWidget(button)
    return group


def refill(combo: QComboBox, everyone: str, names: Iterable[str]) -> None:
    """``everyone`` ("" as data) then ``names``; the current choice kept if still there,
    and no change signalled."""
    chosen = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(everyone, "")
    for name in names:
        combo.addItem(name, name)
    combo.setCurrentIndex(max(combo.findData(chosen), 0))
    combo.blockSignals(False)
