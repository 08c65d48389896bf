"""Why a deal was lost (输单原因): a reason from the list (the analytics count them) and a
note. Cancel leaves the deal where it was."""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from crmdesk.core.sales.fields import LOST_REASONS
from crmdesk.ui.visits.form import save_buttons

REASON_SOURCES = {
    "price": QT_TRANSLATE_NOOP("LostReason", "Price"),
    "product": QT_TRANSLATE_NOOP("LostReason", "Product"),
    "competitor": QT_TRANSLATE_NOOP("LostReason", "Went to a competitor"),
    "timing": QT_TRANSLATE_NOOP("LostReason", "Timing"),
    "no_decision": QT_TRANSLATE_NOOP("LostReason", "No decision"),
    "no_budget": QT_TRANSLATE_NOOP("LostReason", "No budget"),
    "relationship": QT_TRANSLATE_NOOP("LostReason", "Relationship"),
    "other": QT_TRANSLATE_NOOP("LostReason", "Other"),
}


def reason_label(key: Optional[str]) -> str:
    return QCoreApplication.translate("LostReason", REASON_SOURCES[key]) if key in REASON_SOURCES else (key or "")


class LostDialog(QDialog):
    def __init__(self, title: str, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setObjectName("lostDialog")
        self.setWindowTitle(self.tr("Deal lost"))
        self.setMinimumWidth(420)
        question = QLabel(self.tr("Why was “{title}” lost?").format(title=title), self)
        question.setWordWrap(True)
        self.reason = QComboBox(self)
        self.reason.setObjectName("lostReason")
        self.reason.addItem(self.tr("Choose a reason…"), None)
        for key in LOST_REASONS:
            self.reason.addItem(reason_label(key), key)
        self.note = QPlainTextEdit(self)
        self.note.setObjectName("lostNote")
        self.note.setPlaceholderText(self.tr("What happened, who won it, what to do differently"))
        self.note.setFixedHeight(80)
        self.summary = QLabel(self)
        self.summary.setObjectName("lostSummary")
        self.summary.setStyleSheet("color: #b00020;")
        self.summary.hide()
        form = QFormLayout()
        form.addRow(self.tr("Reason"), self.reason)
        form.addRow(self.tr("Note"), self.note)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(save_buttons(self, self.confirm, self.tr("Mark as lost")))

    def chosen(self) -> tuple[Optional[str], str]:
        return self.reason.currentData(), self.note.toPlainText().strip()

    def confirm(self) -> None:
        if self.reason.currentData() is None:  # the service would refuse it: say so here
            self.summary.setText(self.tr("Choose why the deal was lost."))
            self.summary.show()
            return
        self.accept()
