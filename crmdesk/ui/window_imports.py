"""The main window's imports: File ▸ Import customers / transactions (the wizard), Edit ▸
Undo import and Import history, Edit ▸ Find duplicates. Mixed into MainWindow, which provides bus, tasks,
statusBar() and task_failed."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from PySide6.QtCore import QDateTime, QLocale, Qt, QTimeZone
from PySide6.QtWidgets import QMessageBox

from crmdesk.core.errors import CrmError


class ImportActions:
    def import_customers(self, path: Optional[Path | str] = None):
        """File ▸ Import customers: the wizard, window-modal; reads ``path`` when given."""
        return self._import_wizard("customers", path)

    def import_transactions(self, path: Optional[Path | str] = None):
        """File ▸ Import transactions: the same wizard for a list of sales."""
        return self._import_wizard("transactions", path)

    def import_products(self, path: Optional[Path | str] = None):
        """File ▸ Import products (issue 19): the same wizard for a product list."""
        return self._import_wizard("products", path)

    def _import_wizard(self, kind: str, path: Optional[Path | str]):
        from crmdesk.ui.imports.wizard import ImportWizard
        if self.import_wizard is not None:
            self.import_wizard.deleteLater()
        wizard = ImportWizard(self.bus, self, kind)
        wizard.setWindowModality(Qt.WindowModality.WindowModal)
        self.import_wizard = wizard
        wizard.show()
        if path:
            wizard.file_page.open(path)
        return wizard

    def undo_last_import(self, confirm: bool = True):
        """Edit ▸ Undo import: take back the last import that is not undone yet."""
        from crmdesk.core.imports import undo
        from crmdesk.ui.imports.result_page import undo_sentence
        batch = undo.last_import()
        if batch is None:
            self.task_failed(CrmError("no_import_to_undo"))  # MainWindow: the sentence in a box
            return None
        when = QDateTime(batch.created_at.date(), batch.created_at.time(), QTimeZone.utc()).toLocalTime()
        if batch.kind in (undo.KIND_OPPORTUNITIES, undo.KIND_PRODUCTS):
            question = self.tr("Take back the import of {file} made {time}? The records it added go to the trash "
                               "and the ones it changed get their earlier values back.")
        elif batch.kind == "import_transactions":
            question = self.tr("Take back the import of {file} made {time}? The transactions it added are removed, "
                               "and so are the customers it created for them.")
        else:
            question = self.tr("Take back the import of {file} made {time}? The customers it added are removed "
                               "and the ones it changed get their earlier values back.")
        question = question.format(file=batch.description or batch.id,
                                   time=QLocale().toString(when, QLocale.FormatType.ShortFormat))
        if confirm and QMessageBox.question(self, self.tr("Undo import"), question) != QMessageBox.StandardButton.Yes:
            return None
        batch_id = str(batch.id)

        def done(result) -> None:
            self.bus.publish(*result.changes)
            text = undo_sentence(result)
            self.statusBar().showMessage(text, 15000)
            QMessageBox.information(self, self.tr("Undo import"), text)
        return self.tasks.start(lambda _progress: undo.undo_import(batch_id), self,
                                self.tr("Undoing the import…"), done, self.task_failed)

    def find_duplicates(self):
        """Edit ▸ Find duplicates (issue 21): the probable pairs, reviewed and merged one by one."""
        from crmdesk.ui.dedupe.duplicates_dialog import DuplicatesDialog
        if self.duplicates_dialog is not None:
            self.duplicates_dialog.deleteLater()
        dialog = DuplicatesDialog(self.bus, self, self.undo_stack)
        self.duplicates_dialog = dialog
        dialog.open()
        dialog.find()
        return dialog

    def import_history(self):
        """Edit ▸ Import history: recent imports; undo any of them."""
        from crmdesk.ui.imports.history_dialog import ImportHistoryDialog
        if self.import_history_window is not None:
            self.import_history_window.deleteLater()  # not on close: an undo may still be finishing
        dialog = ImportHistoryDialog(self.bus, self)
        dialog.undone.connect(lambda text: self.statusBar().showMessage(text, 15000))
        self.import_history_window = dialog
        dialog.open()
        return dialog

