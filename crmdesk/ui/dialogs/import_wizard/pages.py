"""The wizard's pages other than the mapping: the file (sheet, header row, first rows),
the preview of every row with its options, and the result."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton,
                               QSpinBox, QTableView, QVBoxLayout, QWizard, QWizardPage)

from crmdesk.core.errors import CrmError
from crmdesk.ui.dialogs.import_wizard.preview_model import RowsModel, SampleModel
from crmdesk.ui.errors import error_text

FILE_FILTER = "*.xlsx *.xlsm *.xls *.xlsb *.ods *.csv"
PROBLEM_STYLE = "color: #a94442;"


def _message_label(parent, name: str) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    return label


class FilePage(QWizardPage):
    """Choose the file, then its sheet and header row on a preview of the first rows."""

    def __init__(self, wizard):
        super().__init__(wizard)
        self.w = wizard
        self.setTitle(self.tr("Choose a file"))
        self.setSubTitle(self.tr("An Excel workbook (.xlsx, .xls, .xlsm, .xlsb), an OpenDocument "
                                 "sheet (.ods) or a CSV file with one customer per row."))
        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("importPath")
        self.path_edit.setPlaceholderText(self.tr("The file to import"))
        self.path_edit.returnPressed.connect(self._path_entered)
        self.browse_button = QPushButton(self.tr("&Browse…"), self)
        self.browse_button.setObjectName("importBrowse")
        self.browse_button.clicked.connect(self.browse)
        self.message = _message_label(self, "importFileMessage")
        self.info = _message_label(self, "importFileInfo")
        self.sheet_combo = QComboBox(self)
        self.sheet_combo.setObjectName("importSheet")
        self.sheet_combo.activated.connect(lambda _i: self._choice_changed(sheet_changed=True))
        self.header_spin = QSpinBox(self)
        self.header_spin.setObjectName("importHeaderRow")
        self.header_spin.setRange(0, 1000)
        self.header_spin.setSpecialValueText(self.tr("Automatic"))
        self.header_spin.setKeyboardTracking(False)
        self.header_spin.valueChanged.connect(lambda _v: self._choice_changed(sheet_changed=False))
        self.sample = SampleModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("importSample")
        self.table.setModel(self.sample)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setDefaultSectionSize(22)

        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.browse_button)
        form = QFormLayout()
        form.addRow(self.tr("&File:"), file_row)
        form.addRow(self.tr("&Sheet:"), self.sheet_combo)
        form.addRow(self.tr("&Header row:"), self.header_spin)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.info)
        layout.addWidget(self.table, 1)
        self._set_choosing(False)

    def browse(self) -> None:
        start = str(self.w.path.parent) if self.w.path else ""
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import customers"), start,
            self.tr("Spreadsheets and CSV ({patterns});;All files (*)").format(patterns=FILE_FILTER))
        if path:
            self.open(path)

    def open(self, path: str | Path):
        """Show the file's name and read it (what Browse and Enter do)."""
        self.path_edit.setText(str(path))
        return self._path_entered()

    def _path_entered(self):
        text = self.path_edit.text().strip()
        if not text:
            return None
        self.message.clear()
        self.info.setText(self.tr("Reading the file…"))
        self.sample.set_rows([])
        self._set_choosing(False)
        return self.w.open_file(Path(text).expanduser())

    def _set_choosing(self, on: bool) -> None:
        self.sheet_combo.setEnabled(on)
        self.header_spin.setEnabled(on)

    def _choice_changed(self, sheet_changed: bool) -> None:
        if self.w.source is None:
            return
        sheet = self.sheet_combo.currentText() or None
        header = None if sheet_changed else (self.header_spin.value() or None)
        self.info.setText(self.tr("Reading the sheet…"))
        self.w.choose(sheet, header)

    def show_problem(self, error: CrmError) -> None:
        """A file that can't be used: its one sentence; Next stays disabled."""
        self.message.setStyleSheet(PROBLEM_STYLE)
        self.message.setText(error_text(error))
        self.info.clear()
        self.completeChanged.emit()

    def show_inspection(self, inspection) -> None:
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        self.sheet_combo.addItems(inspection.sheets)
        if inspection.sheet is not None:
            self.sheet_combo.setCurrentIndex(max(self.sheet_combo.findText(inspection.sheet), 0))
        self.sheet_combo.blockSignals(False)
        self._set_choosing(True)
        plan = inspection.plan
        first = last = 0
        if plan is not None:
            last = plan.layout.header_row
            first = last - plan.layout.header_rows + 1
            self.header_spin.blockSignals(True)
            self.header_spin.setValue(first)
            self.header_spin.blockSignals(False)
        self.sample.set_rows(inspection.rows, (first, last))
        if inspection.problem is not None:
            self.message.setStyleSheet(PROBLEM_STYLE)
            self.message.setText(error_text(inspection.problem))
        else:
            self.message.clear()
        if plan is None:
            self.info.clear()
        elif inspection.problem is not None:
            self.info.setText(self.tr("You can still map the columns yourself on the next page."))
        else:
            self.info.setText(self._describe(inspection, first, last))
        self.completeChanged.emit()

    def _describe(self, inspection, first: int, last: int) -> str:
        headers = (self.tr("The headers are in row {row}.").format(row=first) if first == last else
                   self.tr("The headers are in rows {first} and {last}.").format(first=first, last=last))
        if inspection.format == "csv" and inspection.encoding:
            headers += " " + self.tr("Text encoding: {encoding}.").format(encoding=inspection.encoding)
        return headers

    def isComplete(self) -> bool:
        return self.w.plan is not None and not self.w.busy


class PreviewPage(QWizardPage):
    """Every row with the cells in error marked; fix them in place; the import options."""

    def __init__(self, wizard):
        super().__init__(wizard)
        self.w = wizard
        self.setTitle(self.tr("Check the rows"))
        self.setSubTitle(self.tr("Cells in error are marked: point at one to see why, double-click "
                                 "it to fix it. Rows still in error are skipped and listed in an "
                                 "error workbook."))
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Import"))
        self.loaded = False
        self.model = RowsModel(self)
        self.model.describe_error = wizard.describe_error
        self.model.recheck = wizard.check_row
        self.model.counts_changed.connect(self.update_summary)

        self.duplicate_combo = QComboBox(self)
        self.duplicate_combo.setObjectName("importOnDuplicate")
        for value, text in (("update", self.tr("Update the existing customer")),
                            ("skip", self.tr("Skip the row")),
                            ("new", self.tr("Add it as a new customer"))):
            self.duplicate_combo.addItem(text, value)
        self.date_combo = QComboBox(self)
        self.date_combo.setObjectName("importDateOrder")
        for value, text in (("ymd", self.tr("Year, month, day (2024-04-02)")),
                            ("dmy", self.tr("Day, month, year (02/04/2024)")),
                            ("mdy", self.tr("Month, day, year (04/02/2024)"))):
            self.date_combo.addItem(text, value)
        self.date_combo.activated.connect(self._date_order_changed)
        self.all_or_nothing = QCheckBox(self.tr("Import &nothing if any row has an error"), self)
        self.all_or_nothing.setObjectName("importAllOrNothing")
        self.errors_only = QCheckBox(self.tr("Show only rows with &errors"), self)
        self.errors_only.setObjectName("importErrorsOnly")
        self.errors_only.toggled.connect(self.model.show_errors_only)
        self.summary = _message_label(self, "importSummary")
        self.message = _message_label(self, "importPreviewMessage")
        self.table = QTableView(self)
        self.table.setObjectName("importRows")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.verticalHeader().setDefaultSectionSize(22)

        form = QFormLayout()
        form.addRow(self.tr("A row matching an existing &customer:"), self.duplicate_combo)
        form.addRow(self.tr("&Dates like 04/02/2024 are:"), self.date_combo)
        form.addRow("", self.all_or_nothing)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        filter_row = QHBoxLayout()
        filter_row.addWidget(self.summary, 1)
        filter_row.addWidget(self.errors_only)
        layout.addLayout(filter_row)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)

    def initializePage(self) -> None:
        self.loaded = False
        self.message.clear()
        self.summary.setText(self.tr("Reading the rows…"))
        self.model.set_rows([], self.w.plan.layout, 0)
        self.w.options.date_order = self.date_combo.currentData()
        self.w.load_rows(self._rows_loaded, self._cancelled)

    def _rows_loaded(self) -> None:
        self.model.set_rows(self.w.rows, self.w.plan.layout, self.w.plan.width or len(self.w.plan.layout.headers))
        self.errors_only.setChecked(False)
        self.loaded = True
        self.update_summary()
        self.completeChanged.emit()

    def _cancelled(self) -> None:
        self.summary.setText(self.tr("Reading the rows was cancelled: go back and choose Next to read them again."))

    def _date_order_changed(self) -> None:
        order = self.date_combo.currentData()
        if order == self.w.options.date_order or not self.loaded:
            return
        self.w.options.date_order = order
        self.loaded = False
        self.completeChanged.emit()
        self.w.recheck(self._rows_loaded)

    def update_summary(self) -> None:
        total, bad = len(self.model.rows), self.model.errors
        if not total:
            self.summary.setText(self.tr("The sheet has no rows under the header."))
        elif total == 1:
            self.summary.setText(self.tr("The only row has errors.") if bad else
                                 self.tr("The only row is ready to import."))
        elif bad:
            text = (self.tr("{ok} of {total} rows are ready to import; 1 has errors.") if bad == 1 else
                    self.tr("{ok} of {total} rows are ready to import; {bad} have errors."))
            self.summary.setText(text.format(ok=total - bad, total=total, bad=bad))
        else:
            self.summary.setText(self.tr("All {total} rows are ready to import.").format(total=total))

    def show_problem(self, error: CrmError) -> None:
        self.message.setStyleSheet(PROBLEM_STYLE)
        self.message.setText(error_text(error))

    def validatePage(self) -> bool:
        if self.w.result is not None:
            return True
        self.w.options.on_duplicate = self.duplicate_combo.currentData()
        self.w.options.date_order = self.date_combo.currentData()
        self.w.options.all_or_nothing = self.all_or_nothing.isChecked()
        self.message.clear()
        self.w.start_import(self._import_cancelled)
        return False

    def _import_cancelled(self) -> None:
        self.message.setStyleSheet("")
        self.message.setText(self.tr("The import was cancelled: nothing was imported."))

    def isComplete(self) -> bool:
        return self.loaded and not self.w.busy


class ResultPage(QWizardPage):
    """What the import did; the error workbook; undo this import."""

    def __init__(self, wizard):
        super().__init__(wizard)
        self.w = wizard
        self.setTitle(self.tr("Import finished"))
        self.text = _message_label(self, "importResultText")
        self.notes = _message_label(self, "importResultNotes")
        self.undo_text = _message_label(self, "importUndoText")
        self.open_book_button = QPushButton(self.tr("&Open the error workbook"), self)
        self.open_book_button.setObjectName("importOpenErrors")
        self.open_book_button.clicked.connect(self.open_error_book)
        self.undo_button = QPushButton(self.tr("&Undo this import"), self)
        self.undo_button.setObjectName("importUndo")
        self.undo_button.clicked.connect(lambda: self.undo())
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_book_button)
        buttons.addWidget(self.undo_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.notes)
        layout.addLayout(buttons)
        layout.addWidget(self.undo_text)
        layout.addStretch(1)

    def initializePage(self) -> None:
        result = self.w.result
        self.text.setText(self.tr("Created {created}, updated {updated}, skipped {skipped}, rejected {rejected}.")
                          .format(created=result.created, updated=result.updated,
                                  skipped=result.skipped, rejected=result.rejected))
        notes = []
        if result.nothing_written:
            notes.append(self.tr("Nothing was imported, because some rows had errors and you chose to "
                                 "import nothing in that case."))
        if self.w.error_book is not None:
            notes.append(self.tr("The rejected rows, with the reason for each, are in {path}: fix them "
                                 "there and import that file.").format(path=self.w.error_book))
        if self.w.error_book_problem is not None:
            notes.append(error_text(self.w.error_book_problem))
        self.notes.setText("\n".join(notes))
        self.open_book_button.setVisible(self.w.error_book is not None)
        self.undo_button.setEnabled(result.batch_id is not None)
        self.undo_text.clear()

    def open_error_book(self) -> bool:
        return self.w.error_book is not None and QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.w.error_book)))

    def undo(self, confirm: bool = True) -> Optional[object]:
        if confirm and QMessageBox.question(
                self, self.tr("Undo this import"),
                self.tr("Take back this import? The customers it added are removed and the ones it "
                        "changed get their earlier values back.")) != QMessageBox.StandardButton.Yes:
            return None
        self.undo_button.setEnabled(False)
        return self.w.undo_import(self._undone, self._undo_failed)

    def _undone(self, result) -> None:
        self.undo_text.setText(undo_sentence(result))

    def _undo_failed(self, error: CrmError) -> None:
        self.undo_text.setText(error_text(error))

    def isComplete(self) -> bool:
        return not self.w.busy


def undo_sentence(result) -> str:
    """What an undo did, in one sentence (also for Edit ▸ Undo import)."""
    return UndoImport().sentence(result)


class UndoImport(QObject):
    """The translation context of the undo sentence. Each count has a singular and a plural
    English source, since English runs without a translator (there %n is only the number);
    Chinese translates both alike. (lupdate marks ``translate(..., n)`` as plural only for a
    literal n, ``self.tr(..., n)`` for any: hence a class.)"""

    def sentence(self, result) -> str:
        n = result.removed
        removed = self.tr("%n customer removed", "", n) if n == 1 else self.tr("%n customers removed", "", n)
        n = result.trashed
        trashed = (self.tr("%n moved to the trash because it was edited since", "", n) if n == 1 else
                   self.tr("%n moved to the trash because they were edited since", "", n))
        n = result.restored
        restored = (self.tr("%n customer put back as it was", "", n) if n == 1 else
                    self.tr("%n customers put back as they were", "", n))
        text = self.tr("Import undone: {removed}, {trashed}, {restored}.").format(
            removed=removed, trashed=trashed, restored=restored)
        n = result.transactions
        if n:
            text += " " + (self.tr("%n transaction was removed.", "", n) if n == 1 else
                           self.tr("%n transactions were removed.", "", n))
        n = result.conflicts
        if n:
            text += " " + (
                self.tr("%n field was changed again after the import, so it was left as it is now.", "", n)
                if n == 1 else
                self.tr("%n fields were changed again after the import, so they were left as they are now.", "", n))
        return text
