"""The wizard's first and third pages: the file (sheet, header row, text encoding, first
rows), and the preview of every row with the import's options."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QTableView,
                               QVBoxLayout, QWizard, QWizardPage)

from crmdesk.core.errors import CrmError
from crmdesk.ui.dialogs.import_wizard.kinds import PRODUCTS, TRANSACTIONS
from crmdesk.ui.dialogs.import_wizard.preview_model import RowsModel, SampleModel
from crmdesk.ui.errors import error_text

FILE_FILTER = "*.xlsx *.xlsm *.xls *.xlsb *.ods *.csv"
PROBLEM_STYLE = "color: #a94442;"
# The encodings a CSV can be read with (None: detected); codec names as Python knows them.
ENCODINGS = (None, "utf-8-sig", "gb18030", "big5", "cp1252", "utf-16")
_SAME_ENCODING = {"utf-8": "utf-8-sig", "gbk": "gb18030", "gb2312": "gb18030", "windows-1252": "cp1252",
                  "utf-16-le": "utf-16", "utf-16-be": "utf-16"}


def message_label(parent, name: str) -> QLabel:
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
        if wizard.kind.name == TRANSACTIONS:
            self.setSubTitle(self.tr("An Excel workbook (.xlsx, .xls, .xlsm, .xlsb), an OpenDocument sheet "
                                     "(.ods) or a CSV file with one sale per row: its date, its customer (number "
                                     "or name) and its amount, product or quantity."))
        elif wizard.kind.name == PRODUCTS:
            self.setSubTitle(self.tr("An Excel workbook (.xlsx, .xls, .xlsm, .xlsb), an OpenDocument sheet "
                                     "(.ods) or a CSV file with one product per row: its name, and its code, "
                                     "category, unit and list price if you have them."))
        else:
            self.setSubTitle(self.tr("An Excel workbook (.xlsx, .xls, .xlsm, .xlsb), an OpenDocument "
                                     "sheet (.ods) or a CSV file with one customer per row."))
        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("importPath")
        self.path_edit.setPlaceholderText(self.tr("The file to import"))
        self.path_edit.returnPressed.connect(self._path_entered)
        self.browse_button = QPushButton(self.tr("&Browse…"), self)
        self.browse_button.setObjectName("importBrowse")
        self.browse_button.clicked.connect(self.browse)
        self.message = message_label(self, "importFileMessage")
        self.info = message_label(self, "importFileInfo")
        self.sheet_combo = QComboBox(self)
        self.sheet_combo.setObjectName("importSheet")
        self.sheet_combo.activated.connect(lambda _i: self._choice_changed(sheet_changed=True))
        self.header_spin = QSpinBox(self)
        self.header_spin.setObjectName("importHeaderRow")
        self.header_spin.setRange(0, 1000)
        self.header_spin.setSpecialValueText(self.tr("Automatic"))
        self.header_spin.setKeyboardTracking(False)
        self.header_spin.valueChanged.connect(lambda _v: self._choice_changed(sheet_changed=False))
        self.encoding_combo = QComboBox(self)
        self.encoding_combo.setObjectName("importEncoding")
        for encoding, text in zip(ENCODINGS, self.encoding_names()):
            self.encoding_combo.addItem(text, encoding)
        self.encoding_combo.setToolTip(self.tr("How the text of a CSV file is stored. Excel workbooks say it "
                                               "themselves; for a CSV file crmdesk finds it, and when names "
                                               "look garbled you can choose another here."))
        self.encoding_combo.activated.connect(self._encoding_chosen)
        self.encoding_combo.setEnabled(False)
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
        form.addRow(self.tr("Text &encoding:"), self.encoding_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.info)
        layout.addWidget(self.table, 1)
        self._set_choosing(False)

    def browse(self) -> None:
        start = str(self.w.path.parent) if self.w.path else ""
        path, _ = QFileDialog.getOpenFileName(
            self, self.w.windowTitle(), start,
            self.tr("Spreadsheets and CSV ({patterns});;All files (*)").format(patterns=FILE_FILTER))
        if path:
            self.open(path)

    def open(self, path: str | Path):
        """Show the file's name and read it (what Browse and Enter do)."""
        self.path_edit.setText(str(path))
        return self._path_entered()

    def encoding_names(self) -> list[str]:
        """What the encoding combo lists, in the order of ``ENCODINGS``."""
        return [self.tr("Automatic"), self.tr("UTF-8"), self.tr("Chinese, simplified (GB18030, GBK)"),
                self.tr("Chinese, traditional (Big5)"), self.tr("Western European (Windows-1252)"),
                self.tr("UTF-16")]

    def encoding_name(self, codec: str) -> str:
        """A codec as the combo names it ("UTF-8" for utf-8-sig), else as Python does."""
        codec = _SAME_ENCODING.get(codec, codec)
        return self.encoding_names()[ENCODINGS.index(codec)] if codec in ENCODINGS[1:] else codec

    def choose_encoding(self, encoding: Optional[str]) -> None:
        """Choose an encoding (None: automatic) as the user would, and read the file again."""
        self.encoding_combo.setCurrentIndex(ENCODINGS.index(encoding))
        self._encoding_chosen()

    def _encoding_chosen(self, *_args) -> None:
        encoding = self.encoding_combo.currentData()
        if encoding != self.w.encoding:
            self.w.encoding = encoding
            self._read()

    def _path_entered(self):
        """A new file: its encoding is found again."""
        self.w.encoding = None
        self.encoding_combo.setCurrentIndex(0)
        self.encoding_combo.setItemText(0, self.encoding_names()[0])
        return self._read()

    def _read(self):
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
        if error.code == "file_unreadable_encoding":
            self.info.setText(self.tr("If you know how the file was saved, choose its text encoding above."))
        self.encoding_combo.setEnabled(error.code == "file_unreadable_encoding" or self.w.encoding is not None)
        self.completeChanged.emit()

    def show_inspection(self, inspection) -> None:
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        self.sheet_combo.addItems(inspection.sheets)
        if inspection.sheet is not None:
            self.sheet_combo.setCurrentIndex(max(self.sheet_combo.findText(inspection.sheet), 0))
        self.sheet_combo.blockSignals(False)
        self._set_choosing(True)
        csv = inspection.format == "csv"
        self.encoding_combo.setEnabled(csv)
        if csv and self.w.encoding is None and inspection.encoding:
            self.encoding_combo.setItemText(0, self.tr("Automatic: {encoding}").format(
                encoding=self.encoding_name(inspection.encoding)))
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
            headers += " " + self.tr("Text encoding: {encoding}.").format(
                encoding=self.encoding_name(inspection.encoding))
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
        self.match_combo = QComboBox(self)
        self.match_combo.setObjectName("importMatch")
        for value, text in (("auto", self.tr("Customer number, then phone, then e-mail, then exact name")),
                            ("code", self.tr("Customer number only")),
                            ("phone", self.tr("Mobile or phone only")),
                            ("email", self.tr("E-mail only")),
                            ("name", self.tr("Exact name only")),
                            ("name-phone", self.tr("Name and phone together"))):
            self.match_combo.addItem(text, value)
        self.duplicate_combo.currentIndexChanged.connect(
            lambda _i: self.match_combo.setEnabled(self.duplicate_combo.currentData() != "new"))
        self.linking = message_label(self, "importLinking")
        self.linking.setText(self.tr("Each sale goes to the customer with its customer number, else to the one "
                                     "with exactly its name; a customer not found is added."))
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
        self.summary = message_label(self, "importSummary")
        self.message = message_label(self, "importPreviewMessage")
        self.table = QTableView(self)
        self.table.setObjectName("importRows")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.verticalHeader().setDefaultSectionSize(22)

        form = QFormLayout()
        form.addRow(self.tr("A row matching an existing &customer:"), self.duplicate_combo)
        form.addRow(self.tr("Match rows to existing customers &by:"), self.match_combo)
        form.addRow(self.tr("Customers:"), self.linking)
        transactions = wizard.kind.name == TRANSACTIONS
        customers_only = wizard.kind.name not in (TRANSACTIONS, PRODUCTS)  # products: by code, else name
        form.setRowVisible(self.duplicate_combo, customers_only)
        form.setRowVisible(self.match_combo, customers_only)
        form.setRowVisible(self.linking, transactions)
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
        self.w.options.match = self.match_combo.currentData()
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
