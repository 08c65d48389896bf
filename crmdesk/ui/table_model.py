"""One lazy, SQL-backed table model for every list (DESIGN §5).

The model holds only the ids of the current search/filter/sort (a compact array) and
fetches rows in pages as they scroll into view; sorting asks the source for a new id
order, never sorts in Python. A ``ListSource`` says how to get ids and rows for one
kind of record, and how to show each value."""
from __future__ import annotations

from array import array
from collections import OrderedDict
from typing import Any, Optional, Protocol, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from crmdesk.core.changes import RESET, UPDATED, Changes

PAGE_SIZE = 100
MAX_PAGES = 64  # pages kept in memory: 6,400 rows


class ListSource(Protocol):
    entity: str

    def ids(self, query: Any) -> array: ...

    def rows(self, ids: Sequence[int], keys: Sequence[str]) -> dict[int, tuple]: ...

    def header(self, key: str) -> str: ...

    def display(self, key: str, value: Any) -> str: ...

    def alignment(self, key: str) -> Qt.AlignmentFlag: ...

    def sort_query(self, query: Any, key: str, descending: bool) -> Any: ...


class LazyTableModel(QAbstractTableModel):
    IdRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, source: ListSource, keys: Sequence[str], query: Any, parent=None):
        super().__init__(parent)
        self.source = source
        self._keys = list(keys)
        self._query = query
        self._ids = array("q")
        self._pages: OrderedDict[int, dict[int, tuple]] = OrderedDict()
        self.pages_fetched = 0  # for tests and benchmarks

    # ------------------------------------------------------------ state
    @property
    def query(self) -> Any:
        return self._query

    @property
    def keys(self) -> list[str]:
        return list(self._keys)

    def set_query(self, query: Any) -> None:
        self.beginResetModel()
        self._query = query
        self._ids = self.source.ids(query)
        self._pages.clear()
        self.endResetModel()

    def refresh(self) -> None:
        self.set_query(self._query)

    def set_keys(self, keys: Sequence[str]) -> None:
        self.beginResetModel()
        self._keys = list(keys)
        self._pages.clear()
        self.endResetModel()

    def id_at(self, row: int) -> Optional[int]:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, record_id: int) -> int:
        try:
            return self._ids.index(record_id)
        except ValueError:
            return -1

    def all_ids(self) -> list[int]:
        return list(self._ids)

    # ------------------------------------------------------------ Qt model API
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._keys)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._keys):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.source.header(self._keys[section])
            if role == Qt.ItemDataRole.UserRole:
                return self._keys[section]
        elif orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._ids) or index.column() >= len(self._keys):
            return None
        if role == Qt.ItemDataRole.DisplayRole or role == Qt.ItemDataRole.ToolTipRole:
            row = self._row(index.row())
            if row is None:
                return None
            key = self._keys[index.column()]
            return self.source.display(key, row[index.column()])
        if role == self.IdRole:
            return self._ids[index.row()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.source.alignment(self._keys[index.column()]) | Qt.AlignmentFlag.AlignVCenter
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._keys):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        query = self.source.sort_query(self._query, self._keys[column], descending)
        self.layoutAboutToBeChanged.emit()
        self._query = query
        old_persistent = self.persistentIndexList()
        by_id = {i: self._ids[i.row()] for i in old_persistent if i.row() < len(self._ids)}
        self._ids = self.source.ids(query)
        self._pages.clear()
        positions = {record_id: row for row, record_id in enumerate(self._ids)} if old_persistent else {}
        for old in old_persistent:
            row = positions.get(by_id.get(old), -1)
            new = self.index(row, old.column()) if row >= 0 else QModelIndex()
            self.changePersistentIndex(old, new)
        self.layoutChanged.emit()

    # ------------------------------------------------------------ paging
    def _row(self, row: int) -> Optional[tuple]:
        page_number = row // PAGE_SIZE
        page = self._pages.get(page_number)
        if page is None:
            start = page_number * PAGE_SIZE
            page_ids = self._ids[start:start + PAGE_SIZE].tolist()
            page = self.source.rows(page_ids, self._keys)
            self.pages_fetched += 1
            self._pages[page_number] = page
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_number)
        return page.get(self._ids[row])

    # ------------------------------------------------------------ changes
    def apply_changes(self, changes: Changes) -> None:
        """Refresh just what changed: edited rows in place; a new, deleted or restored
        record changes which rows the list holds, so the ids are asked for again."""
        if changes.entity not in (self.source.entity, "*"):
            return
        if changes.kind == UPDATED:
            wanted = set(changes.ids)
            for number in [n for n, page in self._pages.items() if wanted & page.keys()]:
                del self._pages[number]
            for record_id in changes.ids:
                row = self.row_of(record_id) if len(changes.ids) < 50 else -1
                if row >= 0:
                    self.dataChanged.emit(self.index(row, 0), self.index(row, len(self._keys) - 1))
            if len(changes.ids) >= 50:
                self.refresh()
            return
        if changes.kind == RESET or changes.ids:
            self.refresh()
