"""File ▸ Export customers: which customers (the list as shown, or all) and where to."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QRadioButton, QVBoxLayout)


class ExportDialog(QDialog):
    def __init__(self, shown: int, total: int, suggested: Path, parent=None):
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle(self.tr("Export customers"))
        locale = QLocale()
        shown_text = (self.tr("The list as shown (filtered and sorted, {count} customer)") if shown == 1 else
                      self.tr("The list as shown (filtered and sorted, {count} customers)"))
        self.shown_radio = QRadioButton(shown_text.format(count=locale.toString(shown)), self)
        self.shown_radio.setObjectName("exportShown")
        self.all_radio = QRadioButton(self.tr("All customers ({count})").format(count=locale.toString(total)), self)
        self.all_radio.setObjectName("exportAll")
        self.shown_radio.setChecked(True)
        self.path_edit = QLineEdit(str(suggested), self)
        self.path_edit.setObjectName("exportPath")
        self.path_edit.textChanged.connect(self._update_ok)
        browse = QPushButton(self.tr("&Browse…"), self)
        browse.setObjectName("exportBrowse")
        browse.clicked.connect(self.browse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Export"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        path_row = QHBoxLayout()
        path_row.addWidget(QLabel(self.tr("&File:"), self, buddy=self.path_edit))
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.shown_radio)
        layout.addWidget(self.all_radio)
        layout.addLayout(path_row)
        layout.addWidget(self.buttons)
        self.resize(560, self.sizeHint().height())

    def browse(self) -> None:
        from crmdesk.ui.common.save_dialog import ask_save_path
        path = ask_save_path(self, self.tr("Export customers"), self.path_edit.text(),
                             self.tr("Excel workbook (*.xlsx)"), xlsx=True)
        if path is not None:
            self.path_edit.setText(str(path))

    def accept(self) -> None:
        """Export only to a file that may be written (never the database, a backup...):
        otherwise the sentence, and the dialog stays open for another name."""
        from crmdesk.ui.common.save_dialog import checked_path
        if checked_path(self, self.path(), xlsx=True) is not None:
            super().accept()

    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.path_edit.text().strip()))

    def path(self) -> Path:
        path = Path(self.path_edit.text().strip()).expanduser()
        return path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")

    def shown_only(self) -> bool:
        return self.shown_radio.isChecked()
