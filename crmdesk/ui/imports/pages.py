"""The wizard's first page: the file (sheet or Access table, header row, text encoding, first
rows)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QTableView,
                               QVBoxLayout, QWizardPage)

from crmdesk.core.errors import CrmError
from crmdesk.ui.common import plural
from crmdesk.ui.imports.kinds import PRODUCTS, TRANSACTIONS
from crmdesk.ui.imports.preview_model import SampleModel
from crmdesk.ui.errors import error_text

FILE_FILTER = "*.xlsx *.xlsm *.xls *.xlsb *.ods *.csv *.mdb *.accdb *.vcf"
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
                                     "or name) and its amount, product or quantity. From an Access database "
                                     "(.mdb, .accdb), its orders are joined with their lines and products."))
        elif wizard.kind.name == PRODUCTS:
            self.setSubTitle(self.tr("An Excel workbook (.xlsx, .xls, .xlsm, .xlsb), an OpenDocument sheet "
                                     "(.ods) or a CSV file with one product per row: its name, and its code, "
                                     "category, unit and list price if you have them."))
        else:
            self.setSubTitle(self.tr("An Excel workbook (.xlsx, .xls, .xlsm, .xlsb), an OpenDocument "
                                     "sheet (.ods), a CSV file with one customer per row, or a table of an "
                                     "Access database (.mdb, .accdb)."))
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
        self.sheet_label = QLabel(self.tr("&Sheet:"), self)
        self.sheet_label.setBuddy(self.sheet_combo)
        form.addRow(self.sheet_label, self.sheet_combo)
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
            self.tr("Spreadsheets, CSV and Access databases ({patterns});;All files (*)").format(patterns=FILE_FILTER))
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

    def _set_choosing(self, on: bool, header_fixed: bool = False) -> None:
        self.sheet_combo.setEnabled(on)
        self.header_spin.setEnabled(on and not header_fixed)

    def _choice_changed(self, sheet_changed: bool) -> None:
        if self.w.source is None:
            return
        sheet = self.sheet_combo.currentData() or None
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
        access = inspection.format == "access"
        self.sheet_label.setText(self.tr("&Table:") if access else self.tr("&Sheet:"))
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        for name in inspection.sheets:
            count = inspection.records.get(name)
            text = name if count is None else self.tr("{table} ({records})").format(
                table=name, records=plural.translate("FilePage", "%n record(s)", "", count))
            self.sheet_combo.addItem(text, name)
        if inspection.sheet is not None:
            self.sheet_combo.setCurrentIndex(max(self.sheet_combo.findData(inspection.sheet), 0))
        self.sheet_combo.blockSignals(False)
        self._set_choosing(True, header_fixed=access)
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
