"""The wizard's last page: what the import did, the error workbook, Undo this import; and
the one sentence saying what an undo did (also for Edit ▸ Undo import and the import
history)."""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QMessageBox, QPushButton, QVBoxLayout, QWizardPage

from crmdesk.core.errors import CrmError
from crmdesk.ui.common import plural
from crmdesk.ui.imports.kinds import PRODUCTS, TRANSACTIONS
from crmdesk.ui.imports.pages import message_label
from crmdesk.ui.errors import error_text


class ResultPage(QWizardPage):
    """What the import did; the error workbook; undo this import."""

    def __init__(self, wizard):
        super().__init__(wizard)
        self.w = wizard
        self.setTitle(self.tr("Import finished"))
        self.text = message_label(self, "importResultText")
        self.notes = message_label(self, "importResultNotes")
        self.undo_text = message_label(self, "importUndoText")
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
        if self.w.kind.name == PRODUCTS:
            text = self.tr("Products created: {created}; updated: {updated}; unchanged: {skipped}; rejected: "
                           "{rejected}.").format(created=result.created, updated=result.updated,
                                                 skipped=result.skipped, rejected=result.rejected)
        elif self.w.kind.name == TRANSACTIONS:
            text = self.tr("Transactions added: {created}; new customers: {customers}; skipped: {skipped}; "
                           "rejected: {rejected}.").format(created=result.created, customers=result.customers_created,
                                                           skipped=result.skipped, rejected=result.rejected)
        else:
            text = self.tr("Created {created}, updated {updated}, skipped {skipped}, rejected {rejected}.").format(
                created=result.created, updated=result.updated, skipped=result.skipped, rejected=result.rejected)
        self.text.setText(text)
        notes = [error_text(warning) for warning in result.warnings]
        n = len(result.kept_rows)
        if n and not result.nothing_written:
            notes.append(self.tr("%n row(s) went in with a value its field could not take: the value is in the "
                                 "customer's notes, named by its column.", "", n))
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
        if self.w.kind.name == PRODUCTS:
            question = self.tr("Take back this import? The products it added go to the trash and the ones it "
                               "changed get their earlier values back.")
        elif self.w.kind.name == TRANSACTIONS:
            question = self.tr("Take back this import? The transactions it added are removed, and so are the "
                               "customers it created for them.")
        else:
            question = self.tr("Take back this import? The customers it added are removed and the ones it "
                               "changed get their earlier values back.")
        if confirm and QMessageBox.question(
                self, self.tr("Undo this import"), question) != QMessageBox.StandardButton.Yes:
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
    """What an undo did, in one sentence (also for Edit ▸ Undo import and the import history)."""
    return UndoImport().sentence(result)


class UndoImport(QObject):
    """The translation context of the undo sentence. Each count has a singular and a plural
    English source, since English runs without a translator (there %n is only the number);
    Chinese translates both alike. (lupdate marks ``translate(..., n)`` as plural only for a
    literal n, ``self.tr(..., n)`` for any: hence a class.)"""

    def sentence(self, result) -> str:
        kind = getattr(result, "kind", "customers")
        if kind in ("opportunities", "products"):
            return self.sales_sentence(result, kind)
        n = result.removed
        removed = self.tr("%n customer(s) removed", "", n)
        n = result.trashed
        trashed = self.tr("%n moved to the trash because it(they) was(were) edited since", "", n)
        n = result.restored
        restored = self.tr("%n customer(s) put back as it(they) was(were)", "", n)
        text = self.tr("Import undone: {removed}, {trashed}, {restored}.").format(
            removed=removed, trashed=trashed, restored=restored)
        n = result.transactions
        if n:
            text += " " + self.tr("%n transaction(s) was(were) removed.", "", n)
        n = result.conflicts
        if n:
            text += " " + self.tr("%n field(s) was(were) changed again after the import, so it(they) was(were) "
                                   "left as it(they) is(are) now.", "", n)
        return text

    def sales_sentence(self, result, kind: str) -> str:
        """What the undo of an opportunities or products import did (issue 19). The new
        counts go through ``plural.translate`` (English forms from the source until the en
        translation has them)."""
        if kind == "opportunities":
            n = result.opportunities
            text = plural.translate("UndoImport", "Import undone: %n opportunity(ies) moved to the trash.", "", n)
        else:
            n = result.products_removed
            removed = plural.translate("UndoImport", "%n product(s) moved to the trash", "", n)
            n = result.products_restored
            restored = plural.translate("UndoImport", "%n product(s) put back as it(they) was(were)", "", n)
            text = self.tr("Import undone: {removed}, {restored}.").format(removed=removed, restored=restored)
        n = result.conflicts
        if n:
            text += " " + self.tr("%n field(s) was(were) changed again after the import, so it(they) was(were) "
                                   "left as it(they) is(are) now.", "", n)
        return text
