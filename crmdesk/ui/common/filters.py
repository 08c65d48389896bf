"""Pieces every tab's top row shares: the buttons that switch between a tab's views, a
filter combo of people (reps, owners) refilled without losing the choice, and the team
filter (issue 20), shown only when the database has teams."""
from __future__ import annotations

from typing import Iterable

from PySide6.QtWidgets import QButtonGroup, QComboBox, QHBoxLayout, QLabel, QToolButton, QWidget

from crmdesk.core.people.teams import team_names


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


class TeamFilter(QComboBox):
    """"Every team" then the teams of the customers, with its label; both hidden while the
    database has no teams (a laptop used alone sees no change). ``team()``: "" or the one
    chosen; ``reload()`` refills it, keeping the choice, without signalling."""

    def __init__(self, parent: QWidget, name: str, label: bool = True):
        super().__init__(parent)
        self.setObjectName(name)
        self.setMinimumContentsLength(6)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setToolTip(self.tr("Only the records of this team's customers"))
        self.label = QLabel(self.tr("Team"), parent) if label else None
        self.wanted = True
        self.reload()

    def add_to(self, row: QHBoxLayout) -> None:
        if self.label is not None:
            row.addWidget(self.label)
        row.addWidget(self)

    def reload(self) -> None:
        refill(self, self.tr("Every team"), team_names())
        self._show()

    def set_wanted(self, on: bool) -> None:
        """A page without the filter hides it; shown again (when there are teams) on one with it."""
        self.wanted = on
        self._show()

    def _show(self) -> None:
        shown = self.wanted and self.count() > 1
        self.setVisible(shown)
        if self.label is not None:
            self.label.setVisible(shown)

    def team(self) -> str:
        return self.currentData() or ""
