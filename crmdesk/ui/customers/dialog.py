"""The customer form: every field of the spec in the sections a rep recognises, validated
as the user types with the same rules as the import; a failed save keeps the form open
with the problems marked and nothing typed lost."""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QScrollArea,
                               QTabWidget, QVBoxLayout, QWidget)

from crmdesk.core import custom_fields as CF
from crmdesk.core.customers import fields as F
from crmdesk.core.errors import CrmError, FieldError, ValidationError
from crmdesk.core.io import normalize
from crmdesk.core.phones.rules import display as phone_display
from crmdesk.core.phones.rules import region_for
from crmdesk.core.customers import contacts as contacts_service
from crmdesk.core.customers import archive as customers, profile
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.dedupe.entry_warning import DuplicateWarning
from crmdesk.ui.customers.contacts_editor import ContactsEditor
from crmdesk.ui.custom_fields.editors import make_editor as make_custom_editor
from crmdesk.ui.common.field_editors import Editor, make_editor
from crmdesk.ui.errors import error_text, show_error
from crmdesk.ui.common.labels import field_label, section_title


CUSTOM = "custom"  # the page of the user's own fields


class CustomerDialog(QDialog):
    open_customer = Signal(int)  # "Open it": another customer's form, beside this one
    merge_into = Signal(int, int)  # "Merge into it": (the customer to keep, this one once saved)

    def __init__(self, bus: ChangeBus, customer_id: Optional[int] = None, parent=None):
        super().__init__(parent)
        self.setObjectName("customerDialog")
        self.bus = bus
        self.customer_id = customer_id
        self.saved_id: Optional[int] = None
        self.loaded_updated_at = None
        self.editors: dict[str, Editor] = {}
        self.error_labels: dict[str, QLabel] = {}
        self.section_pages: dict[str, int] = {}
        self.setWindowTitle(self.tr("New customer") if customer_id is None else self.tr("Edit customer"))
        self.resize(900, 660)

        self.summary = QLabel(self)
        self.summary.setObjectName("errorSummary")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.summary.hide()
        self.duplicate_warning = DuplicateWarning(self.raw_values, customer_id, self)
        self.duplicate_warning.open_requested.connect(self.open_customer)
        self.duplicate_warning.merge_requested.connect(self._save_and_merge)
        self.tabs = QTabWidget(self)
        for section in F.SECTIONS:
            self._add_section(section)
        self.custom = CF.all_fields()
        if self.custom:
            self._add_custom_section()
        self.contacts_editor = ContactsEditor(self)
        self.contacts_page = self.tabs.addTab(self.contacts_editor, self.tr("Contacts"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.duplicate_warning)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)
        if customer_id is not None:
            self._load(customer_id)
        else:
            for editor in self.editors.values():
                editor.set_value(None)
        self.editors["name"].widget.setFocus()

    def _add_section(self, section: str) -> None:
        page = QWidget()
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for field in F.CUSTOMER_FIELDS:
            if field.section == section:
                self._add_row(form, page, field.key, make_editor(field, page),
                              field_label(field.key) + (" *" if field.required else ""))
        self._add_page(page, section, section_title(section))

    def _add_custom_section(self) -> None:
        """The user's own fields (File ▸ Customer fields), on a page of their own."""
        page = QWidget()
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for field in self.custom:
            self._add_row(form, page, field.field_key, make_custom_editor(field, page), field_label(field.field_key))
        self._add_page(page, CUSTOM, self.tr("My fields"))

    def _add_page(self, page: QWidget, section: str, title: str) -> None:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        self.section_pages[section] = self.tabs.addTab(scroll, title)

    def _add_row(self, form: QFormLayout, page: QWidget, key: str, editor, label: str) -> None:
        editor.widget.setObjectName(f"field_{key}")
        error = QLabel(page)
        error.setObjectName(f"error_{key}")
        error.setStyleSheet("color: #b3261e;")
        error.setWordWrap(True)
        error.hide()
        box = QVBoxLayout()
        box.setSpacing(2)
        box.addWidget(editor.widget)
        box.addWidget(error)
        form.addRow(label, box)
        editor.edited.connect(lambda: self.check_field(key))
        editor.edited.connect(lambda: self.duplicate_warning.changed(key))
        self.editors[key] = editor
        self.error_labels[key] = error

    def _load(self, customer_id: int) -> None:
        customer = customers.get(customer_id)
        self.loaded_updated_at = customer.updated_at
        for key, value in customers.to_dict(customer).items():
            self.editors[key].set_value(phone_display(value) if F.BY_KEY[key].type == F.PHONE else value)
        custom = CF.read([customer_id]).get(customer_id, {})
        for field in self.custom:
            self.editors[field.field_key].set_value(custom.get(field.field_key))
        self.contacts_editor.set_contacts([contacts_service.to_data(c)
                                           for c in contacts_service.for_customer(customer_id)])
        self.setWindowTitle(self.tr("Edit customer: {name}").format(name=customer.name))

    # ------------------------------------------------------------ validation
    def check_field(self, key: str) -> Optional[FieldError]:
        """Validate one field as the user types, with the import's rules."""
        error = None
        if CF.is_custom(key):
            try:
                CF.parse(self.editors[key].field, self.editors[key].text())
            except FieldError as exc:
                error = exc
            self.mark(key, error)
            return error
        try:
            region = region_for(self.editors["province"].text(),  # a Hong Kong customer's phones: HK
                                self.editors["country"].text())
            value = normalize.value(key, self.editors[key].text(), region=region)
            if key == "code" and value and customers.code_taken(value, self.customer_id):
                error = FieldError("code_taken", "code", code=value)
        except FieldError as exc:
            error = exc
        self.mark(key, error)
        return error

    def mark(self, key: str, error: Optional[FieldError]) -> None:
        label = self.error_labels[key]
        widget = self.editors[key].widget
        if error is None:
            label.hide()
            label.clear()
            widget.setStyleSheet("")
        else:
            label.setText(error_text(error))
            label.show()
            widget.setStyleSheet("border: 1px solid #b3261e;")
        self._update_tab_marks()

    def _update_tab_marks(self) -> None:
        for section, page in self.section_pages.items():
            keys = [f.field_key for f in self.custom] if section == CUSTOM else \
                [f.key for f in F.CUSTOMER_FIELDS if f.section == section]
            bad = any(self.error_labels[key].text() for key in keys)
            title = self.tr("My fields") if section == CUSTOM else section_title(section)
            self.tabs.setTabText(page, f"{title} ⚠" if bad else title)

    def errors_shown(self) -> dict[str, str]:
        return {key: label.text() for key, label in self.error_labels.items() if label.text()}

    def raw_values(self) -> dict:
        return {key: editor.text() for key, editor in self.editors.items()}

    # ------------------------------------------------------------ saving
    def _save_and_merge(self, keep_id: int) -> None:
        """Save what was typed (nothing is lost), then review the merge into ``keep_id``."""
        if self.save():
            self.merge_into.emit(keep_id, self.saved_id)

    def save(self) -> bool:
        try:
            saved_id, changes = profile.save(self.customer_id, self.raw_values(),
                                             self.contacts_editor.contacts(), self.loaded_updated_at)
        except ValidationError as error:
            self.show_validation(error.errors)
            return False
        except CrmError as error:
            show_error(self, error)
            return False
        self.saved_id = saved_id
        self.bus.publish(*changes)
        self.accept()
        return True

    def show_validation(self, errors: dict[str, FieldError]) -> None:
        own = {k: v for k, v in errors.items() if not k.startswith("contacts[")}
        for key in self.editors:
            self.mark(key, own.get(key))
        self.contacts_editor.mark_errors(errors)
        count = len(errors)
        self.summary.setText(self.tr("Fields to correct: %n. They are marked in red.", "", count))
        self.summary.show()
        first = next((f for f in F.CUSTOMER_FIELDS if f.key in own), None)
        first_custom = next((f for f in self.custom if f.field_key in own), None)
        if first is not None or first_custom is not None:
            section, key = (first.section, first.key) if first else (CUSTOM, first_custom.field_key)
            self.tabs.setCurrentIndex(self.section_pages[section])
            self.editors[key].widget.setFocus(Qt.FocusReason.OtherFocusReason)
        elif count:
            self.tabs.setCurrentIndex(self.contacts_page)
            self.contacts_editor.focus_first_error()
