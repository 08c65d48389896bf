"""Edit ▸ Find duplicates… (issue 21): the probable pairs among the customers, best first,
with the score and the reasons; each pair reviewed and merged (``merge_dialog``), or set
aside as "not duplicates" for good. Finding runs off the GUI thread."""
from __future__ import annotations

from typing import Any, Optional

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QSpinBox, QTableView, QVBoxLayout, QWidget)

from crmdesk.core import dedupe
from crmdesk.core.errors import CrmError
from crmdesk.ui.dedupe.merge_dialog import MergeDialog
from crmdesk.ui.dedupe.reasons import reasons_text
from crmdesk.ui.errors import show_bug, show_error
from crmdesk.ui.tasks import TaskRunner


class PairsModel(QAbstractTableModel):
    COLUMNS = ("score", "first", "second", "reasons")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.pairs: list[dedupe.Pair] = []

    def set_pairs(self, pairs: list[dedupe.Pair]) -> None:
        self.beginResetModel()
        self.pairs = list(pairs)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.pairs)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (self.tr("Score"), self.tr("Customer"), self.tr("Probably the same as"), self.tr("Why"))[section]

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.pairs):
            return None
        pair = self.pairs[index.row()]
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "score":
                return pair.score
            if column in ("first", "second"):
                row = getattr(pair, column)
                return " · ".join(p for p in (row.code, row.name, row.city) if p)
            return reasons_text(pair.reasons)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == "score":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class DuplicatesDialog(QDialog):
    def __init__(self, bus, parent: Optional[QWidget] = None, undo_stack=None):
        super().__init__(parent)
        self.setObjectName("duplicatesDialog")
        self.bus, self.undo_stack = bus, undo_stack
        self.tasks = TaskRunner(self)
        self.task = None
        self.merge_dialog: Optional[MergeDialog] = None
        self.setWindowTitle(self.tr("Duplicate customers"))
        self.min_score = QSpinBox(self)
        self.min_score.setObjectName("duplicatesMinScore")
        self.min_score.setRange(0, 100)
        self.min_score.setValue(50)
        self.min_score.setKeyboardTracking(False)
        self.min_score.valueChanged.connect(lambda _v: self.find())
        self.status = QLabel(self)
        self.status.setObjectName("duplicatesStatus")
        self.model = PairsModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("duplicatesPairs")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.view.doubleClicked.connect(lambda _i: self.review())
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._enable())
        self.review_button = QPushButton(self.tr("&Review and merge…"), self)
        self.review_button.setObjectName("duplicatesReview")
        self.review_button.clicked.connect(self.review)
        self.dismiss_button = QPushButton(self.tr("&Not duplicates"), self)
        self.dismiss_button.setObjectName("duplicatesDismiss")
        self.dismiss_button.setToolTip(self.tr("They are two customers: never list this pair again."))
        self.dismiss_button.clicked.connect(self.dismiss)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Pairs scoring at least:"), self))
        top.addWidget(self.min_score)
        top.addWidget(self.status, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.review_button)
        buttons.addWidget(self.dismiss_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.resize(980, 560)
        self._enable()

    @property
    def busy(self) -> bool:
        return self.task is not None and not self.task.done

    def find(self) -> None:
        """Look for the pairs again, off the GUI thread."""
        minimum = self.min_score.value()
        self.status.setText(self.tr("Looking for duplicates…"))
        self.task = self.tasks.start(lambda progress: dedupe.find_pairs(minimum), self,
                                     self.tr("Looking for duplicates…"), self._found, self._failed,
                                     show_dialog=False)
        self._enable()

    def _found(self, pairs: list[dedupe.Pair]) -> None:
        self.model.set_pairs(pairs)
        count = len(pairs)
        self.status.setText(self.tr("%n pair(s) of probable duplicates.", "", count) if count else
                            self.tr("No probable duplicates: every customer looks like one of a kind."))
        if pairs:
            self.view.selectRow(0)
            self.view.resizeColumnToContents(0)
        self._enable()

    def _failed(self, error: BaseException) -> None:
        self.status.clear()
        (show_error if isinstance(error, CrmError) else show_bug)(self, error)
        self._enable()

    def selected(self) -> Optional[dedupe.Pair]:
        rows = self.view.selectionModel().selectedRows()
        return self.model.pairs[rows[0].row()] if rows else None

    def _enable(self) -> None:
        on = self.selected() is not None and not self.busy
        self.review_button.setEnabled(on)
        self.dismiss_button.setEnabled(on)

    def review(self) -> Optional[MergeDialog]:
        pair = self.selected()
        if pair is None:
            return None
        dialog = MergeDialog(self.bus, [pair.first.id, pair.second.id], self, self.undo_stack)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._merged(dialog))
        self.merge_dialog = dialog
        dialog.open()
        return dialog

    def _merged(self, dialog: MergeDialog) -> None:
        gone = set(dialog.result_value.merged) if dialog.result_value else set()
        kept = [p for p in self.model.pairs if p.first.id not in gone and p.second.id not in gone]
        self.model.set_pairs(kept)
        self._found(kept)

    def dismiss(self) -> None:
        pair = self.selected()
        if pair is None:
            return
        try:
            dedupe.dismiss(pair.first.id, pair.second.id)
        except Exception as error:  # noqa: BLE001
            show_bug(self, error)
            return
        self._found([p for p in self.model.pairs if p is not pair])
