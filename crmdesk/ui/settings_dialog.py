"""Personal settings: the language of the app (follows the system by default); and the way
to the customer fields (File ▸ Customer fields…), which are the database's, not personal."""
from __future__ import annotations

from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QPushButton

from crmdesk.ui import prefs
from crmdesk.ui.translations import install_translations


class SettingsDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self.language = QComboBox(self)
        self.language.setObjectName("languageChoice")
        self.language.addItem(self.tr("Follow the system"), "system")
        self.language.addItem("中文（简体）", "zh_CN")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(self.language.findData(prefs.language()), 0))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("OK"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("Language"), self.language)
        if hasattr(parent, "custom_fields"):  # the main window's dialog, with its change bus
            fields = QPushButton(self.tr("Customer fields…"), self)
            fields.setObjectName("openCustomFields")
            fields.clicked.connect(parent.custom_fields)
            form.addRow(self.tr("Your own fields"), fields)
        form.addRow(buttons)

    def accept(self) -> None:
        """Store the choice and switch at once: the open windows retranslate (LanguageChange)."""
        choice = self.language.currentData()
        changed = choice != prefs.language()
        prefs.set_language(choice)
        super().accept()
        if changed:
            install_translations(QApplication.instance())
