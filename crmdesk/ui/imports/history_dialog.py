"""Edit ▸ Import history: the recent imports, newest first, each with when, which file,
customers, transactions, opportunities or products, and what it did; any of them that is not undone yet can be
taken back, after a confirmation saying what will happen. The list and the undo are read
and done off the GUI thread, one after the other."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from PySide6.QtCore import QDateTime, QLocale, Qt, QTimeZone, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView,
                               QLabel, QMessageBox, QPushButton, QTableWidget, QTableWidgetItem,
                               QVBoxLayout)

from crmdesk.core.errors import CrmError
from crmdesk.core.imports import undo
from crmdesk.core.imports.undo import ImportSummary
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.common import plural
from crmdesk.ui.imports.result_page import undo_sentence
from crmdesk.ui.errors import error_text, show_bug
from crmdesk.ui.tasks import Task, TaskRunner

LIMIT = 100
WHEN, FILE, KIND, DID, STATE = range(5)
UNDONE_COLOUR = QColor("#808080")


def local_time(when: dt.datetime) -> str:
    """A UTC time from the database as the user reads it: local, in the locale's short form."""
    moment = QDateTime(when.date(), when.time(), QTimeZone.utc()).toLocalTime()
    return QLocale().toString(moment, QLocale.FormatType.ShortFormat)


class ImportHistoryDialog(QDialog):
    undone = Signal(str)  # the sentence saying what an undo did

    def __init__(self, bus: ChangeBus, parent=None):
        super().__init__(parent)
        self.setObjectName("importHistoryDialog")
        self.setWindowTitle(self.tr("Import history"))
        self.bus = bus
        self.tasks = TaskRunner(self)
        self.tasks.pool.setMaxThreadCount(1)  # the list is read after an undo finished
        self.task: Optional[Task] = None
        self.summaries: list[ImportSummary] = []
        self.loaded = False
        self.intro = QLabel(self.tr("The recent imports, newest first. Undoing one removes what it added and "
                                    "puts back what it changed; edits made since are kept."), self)
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("importHistoryTable")
        self.table.setHorizontalHeaderLabels([self.tr("When"), self.tr("File"), self.tr("Imported"),
                                              self.tr("What it did"), self.tr("Undone")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DID, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self.update_buttons)
        self.status = QLabel(self)
        self.status.setObjectName("importHistoryStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.undo_button = QPushButton(self.tr("&Undo this import"), self)
        self.undo_button.setObjectName("importHistoryUndo")
        self.undo_button.clicked.connect(lambda: self.undo_selected())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.undo_button)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(row)
        self.resize(900, 420)
        self.update_buttons()
        self.reload()

    # ------------------------------------------------------------ the list
    @property
    def busy(self) -> bool:
        return self.task is not None and not self.task.done

    def _start(self, fn, label: str, on_done, show_dialog: bool) -> Task:
        self.task = self.tasks.start(fn, self, label, on_done, self._failed, show_dialog=show_dialog)
        self.task.finished.connect(lambda _r: self.update_buttons())
        self.task.failed.connect(lambda _e: self.update_buttons())
        self.update_buttons()
        return self.task

    def reload(self) -> Task:
        """Read the list again (off the GUI thread); the selected import stays selected."""
        self.loaded = False
        return self._start(lambda progress: undo.import_history(LIMIT), "", self._loaded, show_dialog=False)

    def _loaded(self, summaries: list[ImportSummary]) -> None:
        chosen = self.selected()
        self.summaries = summaries
        self.table.setRowCount(len(summaries))
        for number, summary in enumerate(summaries):
            texts = [local_time(summary.created_at), summary.description, self.kind_text(summary),
                     self.what_it_did(summary), local_time(summary.undone_at) if summary.undone_at else ""]
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if not summary.undoable:
                    item.setForeground(QBrush(UNDONE_COLOUR))
                    item.setToolTip(self.tr("This import was undone already."))
                self.table.setItem(number, column, item)
        again = next((n for n, s in enumerate(summaries) if chosen and s.batch_id == chosen.batch_id), None)
        first_undoable = next((n for n, s in enumerate(summaries) if s.undoable), None)
        row = again if again is not None else first_undoable
        if row is not None:
            self.table.selectRow(row)
        else:
            self.table.clearSelection()
        if not summaries:
            self.status.setText(self.tr("No imports yet: File ▸ Import customers… and File ▸ Import "
                                        "transactions… add them here."))
        self.loaded = True
        self.update_buttons()

    def selected(self) -> Optional[ImportSummary]:
        rows = self.table.selectionModel().selectedRows()
        if not rows or not 0 <= rows[0].row() < len(self.summaries):
            return None
        return self.summaries[rows[0].row()]

    def select_batch(self, batch_id: int) -> None:
        """Select the import with this batch, as a click on its row would."""
        row = next(n for n, s in enumerate(self.summaries) if s.batch_id == batch_id)
        self.table.selectRow(row)

    def update_buttons(self) -> None:
        summary = self.selected()
        self.undo_button.setEnabled(summary is not None and summary.undoable and not self.busy)

    # ------------------------------------------------------------ texts
    def kind_text(self, summary: ImportSummary) -> str:
        if summary.kind == "transactions":
            return self.tr("Transactions")
        if summary.kind == "opportunities":
            return self.tr("Opportunities")
        if summary.kind == "products":
            return self.tr("Products")
        return self.tr("Customers")

    def what_it_did(self, summary: ImportSummary) -> str:
        parts = []
        if summary.kind == "opportunities":
            n = summary.opportunities_created
            if n:
                parts.append(plural.translate("ImportHistoryDialog", "%n opportunity(ies) added", "", n))
        elif summary.kind == "products":
            n = summary.products_created
            if n:
                parts.append(plural.translate("ImportHistoryDialog", "%n product(s) added", "", n))
            n = summary.products_updated
            if n:
                parts.append(plural.translate("ImportHistoryDialog", "%n product(s) changed", "", n))
        elif summary.kind == "transactions":
            n = summary.transactions_created
            parts.append(self.tr("%n transaction(s) added", "", n))
            n = summary.customers_created
            if n:
                parts.append(self.tr("%n new customer(s)", "", n))
        else:
            n = summary.customers_created
            if n:
                parts.append(self.tr("%n customer(s) added", "", n))
            n = summary.customers_updated
            if n:
                parts.append(self.tr("%n customer(s) changed", "", n))
        if not parts:
            return self.tr("Nothing changed")
        text = parts[0]
        for part in parts[1:]:
            text = self.tr("{first}, {second}").format(first=text, second=part)
        return text

    def question(self, summary: ImportSummary) -> str:
        """The confirmation: which import, what it did, what undoing it does."""
        if summary.kind == "opportunities":
            text = self.tr("Take back the import of {file} made {time} ({did})? The opportunities it added go to "
                           "the trash.")
        elif summary.kind == "products":
            text = self.tr("Take back the import of {file} made {time} ({did})? The products it added go to the "
                           "trash, and the products it changed get their earlier values back unless they were "
                           "changed again since.")
        elif summary.kind == "transactions":
            text = self.tr("Take back the import of {file} made {time} ({did})? The transactions it added are "
                           "removed, and so are the customers it created for them; a customer edited since goes "
                           "to the trash instead.")
        else:
            text = self.tr("Take back the import of {file} made {time} ({did})? The customers it added are "
                           "removed (one edited since goes to the trash instead), and the customers it changed get "
                           "their earlier values back unless they were changed again since.")
        return text.format(file=summary.description or summary.batch_id, time=local_time(summary.created_at),
                           did=self.what_it_did(summary))

    # ------------------------------------------------------------ undo
    def undo_selected(self, confirm: bool = True) -> Optional[Task]:
        summary = self.selected()
        if summary is None or not summary.undoable or self.busy:
            return None
        if confirm and QMessageBox.question(self, self.tr("Undo this import"),
                                            self.question(summary)) != QMessageBox.StandardButton.Yes:
            return None
        self.status.clear()
        batch = str(summary.batch_id)
        return self._start(lambda progress: undo.undo_import(batch), self.tr("Undoing the import…"),
                           self._undone, show_dialog=True)

    def _undone(self, result) -> None:
        self.bus.publish(*result.changes)
        text = undo_sentence(result)
        self.status.setText(text)
        self.undone.emit(text)
        self.reload()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, CrmError):
            self.status.setText(error_text(exc))
            if exc.code == "import_already_undone":  # by another window, or the command line
                self.reload()
        else:
            show_bug(self, exc)
        self.update_buttons()
