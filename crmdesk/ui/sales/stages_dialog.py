"""Sales ▸ Settings: the pipeline's stages — their names in Chinese and English, their order
and the probability a deal gets on entering each. Won and lost close a deal and stay last;
a refused list says why in one sentence and nothing is stored."""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QHBoxLayout, QHeaderView, QLabel, QPushButton, QSpinBox,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from crmdesk.core.sales import stages as S
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.visits.form import report_failure, save_buttons
from crmdesk.ui.team.shared_settings import lock_unless_allowed

ZH, EN, PROBABILITY, KIND = range(4)


class StagesDialog(QDialog):
    def __init__(self, bus: ChangeBus, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setObjectName("stagesDialog")
        self.setWindowTitle(self.tr("Pipeline stages"))
        self.setMinimumSize(620, 380)
        self.bus = bus
        intro = QLabel(self.tr("The stages a deal goes through, in order, with the probability it gets on entering "
                               "each. Won and lost close a deal and always come last."), self)
        intro.setWordWrap(True)
        self.summary = QLabel(self)
        self.summary.setObjectName("stagesSummary")
        self.summary.setWordWrap(True)
        self.summary.hide()
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("stagesTable")
        self.table.setHorizontalHeaderLabels([self.tr("Chinese name"), self.tr("English name"),
                                              self.tr("Probability"), self.tr("Kind")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(ZH, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(EN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(PROBABILITY, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(KIND, QHeaderView.ResizeMode.ResizeToContents)
        self.keys: list[str] = []
        self.kinds: list[str] = []
        for stage in S.load():
            self._append(stage)
        self.add = QPushButton(self.tr("&Add stage"), self)
        self.add.setObjectName("addStage")
        self.remove = QPushButton(self.tr("&Remove"), self)
        self.remove.setObjectName("removeStage")
        self.up = QPushButton(self.tr("Move &up"), self)
        self.up.setObjectName("stageUp")
        self.down = QPushButton(self.tr("Move &down"), self)
        self.down.setObjectName("stageDown")
        self.add.clicked.connect(self.add_stage)
        self.remove.clicked.connect(self.remove_stage)
        self.up.clicked.connect(lambda: self.shift(-1))
        self.down.clicked.connect(lambda: self.shift(1))
        self.table.itemSelectionChanged.connect(self.enable)
        buttons = QHBoxLayout()
        for button in (self.add, self.remove, self.up, self.down):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        buttons = save_buttons(self, self.save)
        layout.addWidget(buttons)
        self.may_save = lock_unless_allowed(layout, buttons, S.KEY)
        self.enable()

    def kind_text(self, kind: str) -> str:
        return {S.OPEN: self.tr("Open"), S.WON: self.tr("Closes as won"), S.LOST: self.tr("Closes as lost")}[kind]

    def _append(self, stage: S.Stage, row: Optional[int] = None) -> None:
        row = self.table.rowCount() if row is None else row
        self.table.insertRow(row)
        self.keys.insert(row, stage.key)
        self.kinds.insert(row, stage.kind)
        self.table.setItem(row, ZH, QTableWidgetItem(stage.name_zh))
        self.table.setItem(row, EN, QTableWidgetItem(stage.name_en))
        spin = QSpinBox(self.table)
        spin.setRange(0, 100)
        spin.setSuffix(" %")
        spin.setValue(stage.probability)
        self.table.setCellWidget(row, PROBABILITY, spin)
        kind = QTableWidgetItem(self.kind_text(stage.kind))
        kind.setFlags(kind.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.table.setItem(row, KIND, kind)

    def current(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def enable(self) -> None:
        row = self.current()
        movable = self.may_save and row >= 0 and self.kinds[row] == S.OPEN
        self.remove.setEnabled(movable)
        self.up.setEnabled(movable and row > 0)
        self.down.setEnabled(movable and row + 1 < len(self.kinds) and self.kinds[row + 1] == S.OPEN)

    def stages(self) -> list[S.Stage]:
        result = []
        for row, (key, kind) in enumerate(zip(self.keys, self.kinds)):
            probability = self.table.cellWidget(row, PROBABILITY).value()
            result.append(S.Stage(key, self.table.item(row, ZH).text().strip(),
                                  self.table.item(row, EN).text().strip(), probability, kind))
        return result

    def add_stage(self) -> None:
        number = 1
        while f"stage_{number}" in self.keys:
            number += 1
        row = sum(1 for kind in self.kinds if kind == S.OPEN)  # after the open stages, before won
        self._append(S.Stage(f"stage_{number}", "", "", 50), row)
        self.table.selectRow(row)
        self.table.editItem(self.table.item(row, ZH))

    def remove_stage(self) -> None:
        row = self.current()
        if row >= 0 and self.kinds[row] == S.OPEN:
            self.table.removeRow(row)
            del self.keys[row], self.kinds[row]
        self.enable()

    def shift(self, step: int) -> None:
        row = self.current()
        stage_list = self.stages()
        target = row + step
        if row < 0 or not 0 <= target < len(stage_list) or stage_list[target].closed:
            return
        moving = stage_list[row]
        self.table.removeRow(row)
        del self.keys[row], self.kinds[row]
        self._append(moving, target)
        self.table.selectRow(target)

    def save(self) -> bool:
        self.summary.hide()
        try:
            changes = S.save(self.stages())
        except Exception as exc:  # noqa: BLE001 - shown, the dialog stays open, nothing stored
            report_failure(self, None, self.summary, exc)
            return False
        self.bus.publish(changes)
        self.accept()
        return True
