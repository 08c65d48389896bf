"""One lazy, SQL-backed table model for every list (DESIGN §5).

The model holds only the ids of the current search/filter/sort (a compact array) and
fetches rows in pages as they scroll into view; sorting asks the source for a new id
order, never sorts in Python. A ``ListSource`` says how to get ids and rows for one
kind of record, and how to show each value.

A new query shows its first ``first_rows`` ids at once (one indexed ``LIMIT`` query,
well under a millisecond); when there are more, the full id list (about 0.3 s at a
million customers) is read in a worker thread and the remaining rows are appended when
it arrives, so the GUI thread never waits for it."""
from __future__ import annotations

from array import array
from collections import OrderedDict
from typing import Any, Callable, Optional, Protocol, Sequence

import logging

from PySide6.QtCore import (QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex,
                            QRunnable, Qt, QThreadPool, Signal)

from crmdesk.core.changes import RESET, UPDATED, Changes
from crmdesk.core.progress import Cancelled

PAGE_SIZE = 100
MAX_PAGES = 64  # pages kept in memory: 6,400 rows
FIRST_ROWS = 200  # shown at once; the rest of the ids arrive from a worker thread
log = logging.getLogger("crmdesk")


class ListSource(Protocol):
    entity: str

    def ids(self, query: Any, stop: Optional[Callable[[], bool]] = None) -> array: ...

    def first_ids(self, query: Any, limit: int) -> list[int]: ...

    def rows(self, ids: Sequence[int], keys: Sequence[str]) -> dict[int, tuple]: ...

    def header(self, key: str) -> str: ...

    def display(self, key: str, value: Any) -> str: ...

    def alignment(self, key: str) -> Qt.AlignmentFlag: ...

    def sort_query(self, query: Any, key: str, descending: bool) -> Any: ...


class _Relay(QObject):
    ids = Signal(int, object)  # generation, array of ids or the exception raised


class _IdsJob(QRunnable):
    def __init__(self, fn, generation: int, relay: _Relay):
        super().__init__()
        self.fn, self.generation, self.relay = fn, generation, relay

    def run(self) -> None:
        from crmdesk.core.models import database
        try:
            result = self.fn()
        except Cancelled:
            result = None  # a newer query replaced this one
        except Exception as exc:  # shown by the model on the GUI thread
            result = exc
        finally:
            if not database.is_closed():
                database.close()  # this worker thread's own connection
        try:
            self.relay.ids.emit(self.generation, result)
        except RuntimeError:  # the model went away meanwhile
            pass


class LazyTableModel(QAbstractTableModel):
    IdRole = Qt.ItemDataRole.UserRole + 1
    loaded = Signal()  # every id of the current query is known

    def __init__(self, source: ListSource, keys: Sequence[str], query: Any, parent=None,
                 first_rows: int = FIRST_ROWS):
        super().__init__(parent)
        self.source = source
        self._keys = list(keys)
        self._query = query
        self._ids = array("q")
        self._pages: OrderedDict[int, dict[int, tuple]] = OrderedDict()
        self.first_rows = first_rows
        self.complete = True
        self._generation = 0
        self._relay = _Relay(self)
        self._relay.ids.connect(self._on_ids)
        self.pages_fetched = 0  # for tests and benchmarks

    # ------------------------------------------------------------ state
    @property
    def query(self) -> Any:
        return self._query

    @property
    def keys(self) -> list[str]:
        return list(self._keys)

    def set_query(self, query: Any) -> None:
        self._generation += 1
        self.beginResetModel()
        self._query = query
        self._pages.clear()
        first = self.source.first_ids(query, self.first_rows)
        self._ids = array("q", first)
        self.complete = len(first) < self.first_rows
        self.endResetModel()
        if self.complete:
            self.loaded.emit()
        else:
            generation = self._generation
            # A newer query makes this one's answer useless: stop reading it at once.
            stop = lambda: generation != self._generation  # noqa: E731
            job = _IdsJob(lambda: self.source.ids(query, stop), generation, self._relay)
            QThreadPool.globalInstance().start(job)

    def _on_ids(self, generation: int, result: Any) -> None:
        if generation != self._generation or result is None:
            return  # an older query's answer
        self.complete = True
        if isinstance(result, BaseException):
            log.error("reading the list failed", exc_info=result)
        elif result[:len(self._ids)] == self._ids:
            if len(result) > len(self._ids):
                self.beginInsertRows(QModelIndex(), len(self._ids), len(result) - 1)
                self._ids = result
                self.endInsertRows()
        else:  # the data changed between the two reads
            self.beginResetModel()
            self._ids = result
            self._pages.clear()
            self.endResetModel()
        self.loaded.emit()

    def wait_loaded(self, msecs: int = 30000) -> bool:
        """Block until the worker has delivered (benchmarks and scripts, not the GUI)."""
        from PySide6.QtCore import QCoreApplication
        QThreadPool.globalInstance().waitForDone(msecs)
        QCoreApplication.sendPostedEvents()
        QCoreApplication.processEvents()
        return self.complete

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
        if role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole):
            # optional: a source may colour a cell by its row (overdue complaints in red)
            hook = getattr(self.source, "foreground" if role == Qt.ItemDataRole.ForegroundRole else "background", None)
            row = self._row(index.row()) if hook is not None else None
            return hook(self._keys[index.column()], row, self._keys) if row is not None else None
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._keys):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        self.set_query(self.source.sort_query(self._query, self._keys[column], descending))

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
