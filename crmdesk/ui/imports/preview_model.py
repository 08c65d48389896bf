"""The rows of the file as the import will read them, cells in error painted.

A plain ``QAbstractTableModel`` over the ``SheetRow`` list the import reads (no item per
cell: 100,000 rows of 25 columns stay one list). It can show only the rows in error;
editing a cell re-checks that row with the import's own rules."""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Optional, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from crmdesk.core.io import headers as H
from crmdesk.core.io.headers import Layout
from crmdesk.core.imports.rows import SheetRow, column_of

ERROR_BACKGROUND = QColor("#f8d7da")
KEPT_BACKGROUND = QColor("#fff3cd")  # a bad value the import keeps in the notes
SIMILAR_BACKGROUND = QColor("#dbeafe")  # a row that looks like a customer already here
HEADER_BACKGROUND = QColor("#d6e9f8")
Index = QModelIndex | QPersistentModelIndex


def cell_text(value: Any) -> str:
    """A cell as the user sees it in the preview (and edits it)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M") if (value.hour or value.minute) else value.strftime("%Y-%m-%d")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


class SampleModel(QAbstractTableModel):
    """The first rows of a sheet, numbered as in the file, the header rows highlighted."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[tuple[int, list[Any]]] = []
        self.width = 0
        self.header_rows: tuple[int, int] = (0, 0)  # first and last header row number

    def set_rows(self, rows: Sequence[tuple[int, Sequence[Any]]], header: tuple[int, int] = (0, 0)) -> None:
        self.beginResetModel()
        self.rows = [(number, list(values)) for number, values in rows]
        self.width = max((len(values) for _, values in self.rows), default=0)
        self.header_rows = header
        self.endResetModel()

    def set_header(self, first: int, last: int) -> None:
        self.header_rows = (first, last)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, max(self.width - 1, 0)))

    def is_header(self, row: int) -> bool:
        first, last = self.header_rows
        return 0 <= row < len(self.rows) and first <= self.rows[row][0] <= last

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.width

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return H.column_letter(section) if 0 <= section < self.width else None
        return str(self.rows[section][0]) if 0 <= section < len(self.rows) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.rows) or index.column() >= self.width:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            values = self.rows[index.row()][1]
            return cell_text(values[index.column()]) if index.column() < len(values) else ""
        if role == Qt.ItemDataRole.BackgroundRole and self.is_header(index.row()):
            return QBrush(HEADER_BACKGROUND)
        if role == Qt.ItemDataRole.FontRole and self.is_header(index.row()):
            from PySide6.QtGui import QFont
            font = QFont()
            font.setBold(True)
            return font
        return None


class RowsModel(QAbstractTableModel):
    """Every data row of the sheet; ``describe(row) -> str`` gives a row's problems as
    one sentence, ``recheck(row)`` validates a row again after an edit."""
    counts_changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[SheetRow] = []
        self.layout: Optional[Layout] = None
        self.width = 0
        self.visible: Optional[list[int]] = None  # indexes into rows, or None for all
        self.marks: dict[int, dict[int, str]] = {}  # row index -> column -> sentence
        self.kept: dict[int, dict[int, str]] = {}  # row index -> column -> sentence, for values kept in the notes
        self.describe_error: Callable[[str, Any], str] = lambda key, error: str(error)
        self.describe_kept: Callable[[str, Any], str] = lambda key, error: str(error)
        self.describe_similar: Callable[[list], str] = lambda pairs: str(pairs)
        self.recheck: Callable[[SheetRow], None] = lambda row: None
        self.errors = 0

    # ------------------------------------------------------------ state
    def set_rows(self, rows: list[SheetRow], layout: Layout, width: int) -> None:
        self.beginResetModel()
        self.rows, self.layout = rows, layout
        self.width = max(width, 0)
        self.visible = None
        self.marks = {}
        self.kept = {}
        self.errors = 0
        for position, row in enumerate(rows):
            self._mark(position, row)
        self.endResetModel()
        self.counts_changed.emit()

    def _mark(self, position: int, row: SheetRow) -> None:
        if position in self.marks:
            self.errors -= 1
            del self.marks[position]
        self.kept.pop(position, None)
        if row.kept and not row.errors:
            self.kept[position] = {column_of(self.layout, key) or 0: self.describe_kept(key, error)
                                   for key, error in row.kept.items()}
        if not row.errors:
            return
        marks: dict[int, str] = {}
        for key, error in row.errors.items():
            text = self.describe_error(key, error)
            column = column_of(self.layout, key) if key and self.layout is not None else None
            columns = [column] if column is not None else list(range(self.width))
            for c in columns:
                marks[c] = f"{marks[c]}\n{text}" if c in marks else text
        self.marks[position] = marks
        self.errors += 1

    def show_errors_only(self, on: bool) -> None:
        self.beginResetModel()
        self.visible = sorted(self.marks) if on else None
        self.endResetModel()

    @property
    def errors_only(self) -> bool:
        return self.visible is not None

    def row_at(self, row: int) -> SheetRow:
        return self.rows[self._position(row)]

    def _position(self, row: int) -> int:
        return self.visible[row] if self.visible is not None else row

    def problems(self, row: int) -> str:
        """Every problem of a shown row, one per line ("" when the row is fine)."""
        marks = self.marks.get(self._position(row), {})
        return "\n".join(dict.fromkeys(text for texts in marks.values() for text in texts.split("\n")))

    # ------------------------------------------------------------ Qt model API
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if parent.isValid():
            return 0
        return len(self.visible) if self.visible is not None else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.width

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < self.width or self.layout is None:
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                return self.layout.column_name(section)
            return None
        if not 0 <= section < self.rowCount():
            return None
        row = self.row_at(section)
        similar = bool(row.similar) and self._position(section) not in self.marks
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{row.number} ≈" if similar else str(row.number)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.problems(section) or (self.describe_similar(row.similar) if similar else None)
        if role == Qt.ItemDataRole.BackgroundRole and self._position(section) in self.marks:
            return QBrush(ERROR_BACKGROUND)
        if role == Qt.ItemDataRole.BackgroundRole and similar:
            return QBrush(SIMILAR_BACKGROUND)
        return None

    @property
    def similar_count(self) -> int:
        return sum(1 for position, row in enumerate(self.rows) if row.similar and position not in self.marks)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < self.rowCount() or not 0 <= index.column() < self.width:
            return None
        position = self._position(index.row())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            values = self.rows[position].values
            return cell_text(values[index.column()]) if index.column() < len(values) else ""
        mark = self.marks.get(position, {}).get(index.column())
        if mark is None:
            kept = self.kept.get(position, {}).get(index.column())
            if kept is not None and role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(KEPT_BACKGROUND)
            return kept if role == Qt.ItemDataRole.ToolTipRole else None
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(ERROR_BACKGROUND)
        if role == Qt.ItemDataRole.ToolTipRole:
            return mark
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not 0 <= index.row() < self.rowCount():
            return False
        position = self._position(index.row())
        row = self.rows[position]
        column = index.column()
        if column >= self.width:
            return False
        text = "" if value is None else str(value)
        if cell_text(row.values[column] if column < len(row.values) else None) == text:
            return False
        if column >= len(row.values):
            row.values.extend([None] * (column + 1 - len(row.values)))
        row.values[column] = text
        self.recheck(row)
        self._mark(position, row)
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), self.width - 1))
        self.headerDataChanged.emit(Qt.Orientation.Vertical, index.row(), index.row())
        self.counts_changed.emit()
        return True
