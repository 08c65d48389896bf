"""File ▸ Team ▸ Conflicts: two edits of one field made without seeing each other. The later
one stands ("Kept"); the other ("Set aside") waits here with who made it and when. People
pick one or many and either bring the set-aside value back or keep what stands; an edit of
a record someone deleted offers to restore the record."""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from crmdesk.core.changes import Changes
from crmdesk.core.errors import CrmError
from crmdesk.ui.errors import show_bug, show_error
from crmdesk.ui.team import conflict_rows

ID_ROLE = Qt.ItemDataRole.UserRole


class ConflictsDialog(QDialog):
    resolved = Signal(int)  # how many were resolved

    def __init__(self, bus, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setObjectName("teamConflictsDialog")
        self.bus = bus
        self.rows: list[conflict_rows.ConflictRow] = []
        self.setWindowTitle(self.tr("Conflicts"))
        self.summary = QLabel(self)
        self.summary.setObjectName("conflictsSummary")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 7, self)
        self.table.setObjectName("conflictsTable")
        self.table.setHorizontalHeaderLabels([
            self.tr("Record"), self.tr("Field"), self.tr("Set aside"), self.tr("Set aside by"), self.tr("Kept"),
            self.tr("Kept by"), self.tr("What happened")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.use_mine = QPushButton(self.tr("&Use the set-aside value"), self)
        self.use_mine.setObjectName("keepMine")
        self.use_mine.setToolTip(self.tr("The value that was set aside replaces the one that stands, for the team."))
        self.keep_theirs = QPushButton(self.tr("&Keep as it is"), self)
        self.keep_theirs.setObjectName("keepTheirs")
        self.keep_theirs.setToolTip(self.tr("The value that stands stays; the set-aside one is dropped."))
        self.use_mine.clicked.connect(lambda: self.resolve("mine"))
        self.keep_theirs.clicked.connect(lambda: self.resolve("theirs"))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.use_mine)
        buttons.addWidget(self.keep_theirs)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.resize(1100, 480)
        self.reload()

    def reload(self) -> None:
        self.rows = conflict_rows.rows()
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            cells = (row.record, row.field_label, row.set_aside, row.set_aside_by, row.kept, row.kept_by,
                     conflict_rows.kind_label(row.kind))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                item.setData(ID_ROLE, row.id)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        for column in range(self.table.columnCount()):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 260))
        if self.rows:
            self.summary.setText(self.tr(
                "%n conflict(s): the later edit stands; the other value is set aside here. Choose one or several "
                "and keep either value.", "", len(self.rows)))
        else:
            self.summary.setText(self.tr("No conflicts: every edit of the team fitted together."))
        self._selection_changed()

    def selected(self) -> list[conflict_rows.ConflictRow]:
        picked = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.rows[r] for r in picked if r < len(self.rows)]

    def select_ids(self, ids) -> None:
        wanted = set(ids)
        self.table.clearSelection()
        mode = self.table.selectionMode()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        for r, row in enumerate(self.rows):
            if row.id in wanted:
                self.table.selectRow(r)
        self.table.setSelectionMode(mode)

    def _selection_changed(self) -> None:
        picked = self.selected()
        self.use_mine.setEnabled(bool(picked))
        self.keep_theirs.setEnabled(bool(picked))
        if picked and all(row.kind == "edited_deleted" for row in picked):
            self.use_mine.setText(self.tr("&Restore"))
            self.keep_theirs.setText(self.tr("&Leave it deleted"))
        elif picked and all(row.kind == "duplicate" for row in picked):
            self.use_mine.setText(self.tr("&Use the set-aside value"))
            self.use_mine.setEnabled(False)  # both records stay: nothing to choose between
            self.keep_theirs.setText(self.tr("&Keep both"))
        else:
            self.use_mine.setText(self.tr("&Use the set-aside value"))
            self.keep_theirs.setText(self.tr("&Keep as it is"))

    def resolve(self, keep: str) -> None:
        picked = self.selected()
        if not picked:
            return
        from crmdesk.core.sync import conflicts  # the core's resolve, loaded when first used
        try:
            outcome = conflicts.resolve([row.id for row in picked], keep=keep)
        except CrmError as error:
            show_error(self, error)
            return
        except Exception as exc:  # a bug: the details to copy
            show_bug(self, exc)
            return
        changes = getattr(outcome, "changes", outcome)
        if isinstance(changes, Changes):
            changes = [changes]
        if not isinstance(changes, (list, tuple)):
            changes = [Changes.reset()]
        self.bus.publish(*changes)  # the lists refresh; the change waits for the next sync
        self.reload()
        self.resolved.emit(len(picked))
