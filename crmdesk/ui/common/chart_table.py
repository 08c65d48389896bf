"""A chart with its data a click away: the chart, or the table of the figures behind it
(a light model over a list of rows: 100,000 customers show at once), switched by one
button; and a table model of plain rows, sortable by any column."""
from __future__ import annotations

from typing import Any, Optional, Sequence

from PySide6.QtCharts import QChart, QChartView
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QLabel, QPushButton, QStackedWidget, QTableView,
                               QVBoxLayout, QWidget)


class RowsModel(QAbstractTableModel):
    """Rows of values; numbers right-aligned and sorted as numbers. ``checkable``: the first
    column has a check box (the rows chosen)."""

    def __init__(self, headers: Sequence[str], rows: Sequence[Sequence[Any]] = (), parent=None,
                 checkable: bool = False, shown=None):
        super().__init__(parent)
        self.headers, self.rows = list(headers), [list(r) for r in rows]
        self.checkable = checkable
        self.checked: set[int] = set()
        self.shown = shown or (lambda column, value: "" if value is None else str(value))

    def set_rows(self, rows: Sequence[Sequence[Any]]) -> None:
        self.beginResetModel()
        self.rows = [list(r) for r in rows]
        self.checked = set()  # nothing ticked at the start: the user chooses what to apply
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        value = self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.shown(index.column(), value)
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, (int, float)):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.CheckStateRole and self.checkable and index.column() == 0:
            return Qt.CheckState.Checked if index.row() in self.checked else Qt.CheckState.Unchecked
        return None

    def flags(self, index: QModelIndex):
        flags = super().flags(index)
        if self.checkable and index.column() == 0:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(self, index: QModelIndex, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role == Qt.ItemDataRole.CheckStateRole and self.checkable and index.column() == 0:
            (self.checked.add if Qt.CheckState(value) == Qt.CheckState.Checked else self.checked.discard)(index.row())
            self.dataChanged.emit(index, index, [role])
            return True
        return False

    def check_all(self, on: bool) -> None:
        """Tick (or untick) every row."""
        self.checked = set(range(len(self.rows))) if on and self.checkable else set()
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, 0), [Qt.ItemDataRole.CheckStateRole])

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        chosen = {id(self.rows[i]) for i in self.checked}
        self.layoutAboutToBeChanged.emit()
        known = sorted((r for r in self.rows if r[column] is not None), key=lambda r: r[column],
                       reverse=order == Qt.SortOrder.DescendingOrder)
        self.rows = known + [r for r in self.rows if r[column] is None]  # "no data" last either way
        self.checked = {i for i, r in enumerate(self.rows) if id(r) in chosen}
        self.layoutChanged.emit()


def table_view(parent: QWidget, model: RowsModel, name: str) -> QTableView:
    view = QTableView(parent)
    view.setObjectName(name)
    view.setModel(model)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(22)
    view.horizontalHeader().setStretchLastSection(True)
    view.setAlternatingRowColors(True)
    return view


class ChartTable(QWidget):
    """A chart, or the table of its data."""

    def __init__(self, name: str, parent: Optional[QWidget] = None, shown=None):
        super().__init__(parent)
        self.setObjectName(name)
        self.view = QChartView(self)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.model = RowsModel([], parent=self, shown=shown)
        self.table = table_view(self, self.model, f"{name}Table")
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.view)
        self.pages.addWidget(self.table)
        self.note = QLabel(self)
        self.note.setObjectName(f"{name}Note")
        self.note.setWordWrap(True)
        self.toggle = QPushButton(self.tr("Show the data"), self)
        self.toggle.setObjectName(f"{name}Toggle")
        self.toggle.clicked.connect(self.flip)
        row = QHBoxLayout()
        row.addWidget(self.note, 1)
        row.addWidget(self.toggle)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.pages, 1)

    def flip(self) -> None:
        showing_chart = self.pages.currentIndex() == 0
        self.pages.setCurrentIndex(1 if showing_chart else 0)
        self.toggle.setText(self.tr("Show the chart") if showing_chart else self.tr("Show the data"))

    def set(self, chart: QChart, headers: Sequence[str], rows: Sequence[Sequence[Any]], note: str = "") -> None:
        old = self.view.chart()
        self.view.setChart(chart)
        if old is not None:
            old.deleteLater()
        self.model.headers = list(headers)
        self.model.set_rows(rows)
        self.note.setText(note)
        self.table.resizeColumnsToContents()
