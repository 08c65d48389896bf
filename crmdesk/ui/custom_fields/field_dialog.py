"""Adding or changing one custom field: its name, an English name if the team reads both,
its type (fixed once made) and, for a choice, the options one a line. A refused name or
option is said under the form and nothing is saved."""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QPlainTextEdit, QVBoxLayout, QWidget)

from crmdesk.core import custom_fields as CF
from crmdesk.core.changes import Changes
from crmdesk.core.errors import CrmError
from crmdesk.ui.custom_fields.editors import error_label
from crmdesk.ui.errors import error_text


def type_names() -> dict[str, str]:
    return {CF.TEXT: QCoreApplication.translate("CustomFields", "Text"),
            CF.NUMBER: QCoreApplication.translate("CustomFields", "Number"),
            CF.DATE: QCoreApplication.translate("CustomFields", "Date"),
            CF.CHOICE: QCoreApplication.translate("CustomFields", "Choice"),
            CF.YESNO: QCoreApplication.translate("CustomFields", "Yes / no")}


class FieldDialog(QDialog):
    """``field`` None: a new field (``name``/``kind``/``options`` prefill it, as the import
    wizard does from a column); else that field, to rename or change its options."""

    def __init__(self, parent: Optional[QWidget] = None, field: Optional[CF.CustomField] = None,
                 name: str = "", kind: str = CF.TEXT, options: tuple[str, ...] = ()):
        super().__init__(parent)
        self.setObjectName("customFieldDialog")
        self.field = field
        self.made: Optional[CF.CustomField] = None
        self.changes: list[Changes] = []
        self.setWindowTitle(self.tr("New customer field") if field is None else self.tr("Change customer field"))
        self.name = QLineEdit(field.label if field else name, self)
        self.name.setObjectName("fieldName")
        self.name.setPlaceholderText(self.tr("e.g. 宗教信仰"))
        self.name_en = QLineEdit(field.label_en if field else "", self)
        self.name_en.setObjectName("fieldNameEn")
        self.name_en.setPlaceholderText(self.tr("optional, shown to English readers"))
        self.kind = QComboBox(self)
        self.kind.setObjectName("fieldType")
        for key, text in type_names().items():
            self.kind.addItem(text, key)
        self.kind.setCurrentIndex(self.kind.findData(field.type if field else kind))
        self.kind.setEnabled(field is None)  # values are stored in their type: it stays
        self.options = QPlainTextEdit("\n".join(field.choices if field else options), self)
        self.options.setObjectName("fieldOptions")
        self.options.setPlaceholderText(self.tr("One option a line"))
        self.options_label = QLabel(self.tr("Options:"), self)
        self.error = error_label(self, "fieldError")
        form = QFormLayout()
        form.addRow(self.tr("&Name:"), self.name)
        form.addRow(self.tr("&English name:"), self.name_en)
        form.addRow(self.tr("&Type:"), self.kind)
        form.addRow(self.options_label, self.options)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        self.resize(440, 320)

    def _kind_changed(self) -> None:
        choice = self.kind.currentData() == CF.CHOICE
        self.options.setVisible(choice)
        self.options_label.setVisible(choice)

    def save(self) -> bool:
        options = [line for line in self.options.toPlainText().splitlines() if line.strip()]
        try:
            if self.field is None:
                self.made, self.changes = CF.add(self.name.text(), self.kind.currentData(), options, self.name_en.text())
            else:
                self.changes = CF.edit(self.field.key, self.name.text(), options, self.name_en.text())
        except CrmError as error:
            self.error.setText(error_text(error))
            self.error.show()
            return False
        self.accept()
        return True
