"""The column mapping: one row per column of the file, with its header, a few sample
values and the field it goes to; automatic, editable, and (for customers) remembered for
the next file with the same headers. A transaction import maps to the transaction sheet's
columns instead."""
from __future__ import annotations

from typing import Optional

from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHeaderView, QLabel, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWizardPage)

from crmdesk.core import custom_fields
from crmdesk.core.customers import fields as F
from crmdesk.core.errors import CrmError
from crmdesk.core.io import headers as H
from crmdesk.core.imports.rows import is_blank_row
from crmdesk.ui.imports.kinds import PRODUCTS, TRANSACTIONS
from crmdesk.ui.imports.preview_model import cell_text
from crmdesk.ui.errors import error_text
from crmdesk.ui.common.labels import field_label

SAMPLES = 3
NAME_TARGETS = ("name", "contact_person", H.FIRST_NAME, H.LAST_NAME)
SALE_TARGETS = ("amount", "product", "quantity")  # a sale needs a date and one of these
CUSTOMER_TARGETS = ("customer_code", "customer_name")
COLUMN, HEADER, SAMPLE, TARGET = range(4)
NEW_FIELD = "+new-field"  # "Make it a new field…": a custom field made from the column (issue 21)


class MappingPage(QWizardPage):
    def __init__(self, wizard):
        super().__init__(wizard)
        self.w = wizard
        self.setTitle(self.tr("Check the columns"))
        self.transactions = wizard.kind.name == TRANSACTIONS
        self.products = wizard.kind.name == PRODUCTS  # issue 19: the product list's own fields
        if self.products:
            self.setSubTitle(self.tr("Choose what each column of the file holds: every product needs its name."))
        elif self.transactions:
            self.setSubTitle(self.tr("Choose what each column of the file holds: every sale needs its date and "
                                     "its customer's number or name."))
        else:
            self.setSubTitle(self.tr("Choose what each column of the file holds. Your choices are "
                                     "remembered for the next file with the same headers."))
        self.note = QLabel(self)
        self.note.setObjectName("importMappingNote")
        self.note.setWordWrap(True)
        self.problem = QLabel(self)
        self.problem.setObjectName("importMappingProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #a94442;")
        self.warning = QLabel(self)
        self.warning.setObjectName("importMappingWarning")
        self.warning.setWordWrap(True)
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("importMapping")
        self.table.setHorizontalHeaderLabels([self.tr("Column"), self.tr("Header in the file"),
                                              self.tr("Sample values"), self.tr("Import as")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(SAMPLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(TARGET, QHeaderView.ResizeMode.Interactive)
        self.combos: list[QComboBox] = []
        self._before: dict[int, str] = {}  # each column's target before "Make it a new field…"
        self.field_dialog = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.warning)

    def targets(self) -> list[tuple[str, str]]:
        """(target, label) in the order the combo lists them; "" ignores the column."""
        if self.transactions or self.products:
            return [("", self.tr("(ignore)"))] + [(key, self.w.kind.label(key)) for key in self.w.kind.field_keys()]
        extra = {H.FIRST_NAME: self.tr("First name"), H.LAST_NAME: self.tr("Last name"),
                 H.EXTRA_PHONE: self.tr("Second phone"), H.TO_NOTES: self.tr("Add to notes")}
        return ([("", self.tr("(ignore)"))] + [(f.key, field_label(f.key)) for f in F.CUSTOMER_FIELDS]
                + [(f.field_key, field_label(f.field_key)) for f in custom_fields.all_fields()]
                + [(key, extra[key]) for key in H.EXTRA_TARGETS] + [(NEW_FIELD, self.tr("Make it a new field…"))])

    def initializePage(self) -> None:
        plan = self.w.plan
        layout = plan.layout
        width = plan.width or len(layout.headers)
        samples = self._samples(layout.header_row, width)
        header = self.table.horizontalHeader()
        targets = self.targets()
        self.table.setRowCount(width)
        self.combos = []
        for column in range(width):
            self.table.setItem(column, COLUMN, QTableWidgetItem(H.column_letter(column)))
            self.table.setItem(column, HEADER, QTableWidgetItem(layout.headers[column] if column < len(layout.headers) else ""))
            self.table.setItem(column, SAMPLE, QTableWidgetItem(" · ".join(samples[column])))
            combo = QComboBox(self.table)
            combo.setObjectName(f"importTarget_{column}")
            for key, label in targets:
                combo.addItem(label, key)
            combo.setCurrentIndex(max(combo.findData(layout.mapping.get(column, "")), 0))
            self._before[column] = combo.currentData()
            combo.currentIndexChanged.connect(self._changed)
            combo.activated.connect(lambda _i, c=column: self._picked(c))
            self.table.setCellWidget(column, TARGET, combo)
            self.combos.append(combo)
        self.table.resizeColumnToContents(HEADER)
        # A combo's size hint leaves its longest CJK label a few pixels short of the arrow.
        widest = max((combo.sizeHint().width() for combo in self.combos), default=0)
        self.table.setColumnWidth(TARGET, max(widest + 4 * self.fontMetrics().averageCharWidth(),
                                              header.sectionSizeHint(TARGET)))
        notes = []
        if plan.remembered:
            notes.append(self.tr("The columns are mapped as you mapped them last time for a file with these headers."))
        if plan.demoted:
            notes.append(self.tr("These columns did not hold what their header says and go to the notes: {columns}.")
                         .format(columns=", ".join(plan.demoted)))
        self.note.setText("\n".join(notes))
        self.note.setVisible(bool(notes))
        self._changed()

    def _samples(self, header_row: int, width: int) -> list[list[str]]:
        found: list[list[str]] = [[] for _ in range(width)]
        rows = self.w.inspection.rows if self.w.inspection else []
        for number, values in rows:
            if number <= header_row or is_blank_row(values):
                continue
            for column in range(min(width, len(values))):
                text = cell_text(values[column]).strip()
                if text and len(found[column]) < SAMPLES:
                    found[column].append(text[:40])
        return found

    def mapping(self) -> dict[int, str]:
        return {column: combo.currentData() for column, combo in enumerate(self.combos)
                if combo.currentData() and combo.currentData() != NEW_FIELD}

    # ------------------------------------------------------------ a column made a field
    def _picked(self, column: int):
        """"Make it a new field…": the field dialog, named after the column's header, its
        type and options guessed from the column's values; the column then goes to it."""
        if self.combos[column].currentData() != NEW_FIELD:
            self._before[column] = self.combos[column].currentData()
            return None
        from crmdesk.ui.custom_fields.field_dialog import FieldDialog
        header = self.table.item(column, HEADER).text()
        kind, options = custom_fields.guess(self._column_values(column))
        dialog = FieldDialog(self, name=header, kind=kind, options=options)
        dialog.finished.connect(lambda result: self._field_made(column, dialog if result else None))
        dialog.open()
        self.field_dialog = dialog
        return dialog

    def _column_values(self, column: int) -> list:
        rows = self.w.inspection.rows if self.w.inspection else []
        return [values[column] for number, values in rows
                if number > self.w.plan.layout.header_row and column < len(values)]

    def _field_made(self, column: int, dialog) -> None:
        if dialog is None or dialog.made is None:  # cancelled: the column goes where it went
            self.set_target(column, self._before.get(column, ""))
            return
        self.w.bus.publish(*dialog.changes)
        key, label = dialog.made.field_key, field_label(dialog.made.field_key)
        for combo in self.combos:
            combo.blockSignals(True)
            combo.insertItem(combo.findData(H.EXTRA_TARGETS[0]), label, key)
            combo.blockSignals(False)
        self.set_target(column, key)
        self._before[column] = key

    def set_target(self, column: int, target: str) -> None:
        """Choose ``target`` ("" to ignore) for a column, as the user would."""
        self.combos[column].setCurrentIndex(self.combos[column].findData(target))

    def mapping_problem(self) -> Optional[str]:
        chosen = [t for t in self.mapping().values() if t != H.TO_NOTES]
        twice = next((t for t in chosen if chosen.count(t) > 1), None)
        if twice is not None:
            label = dict(self.targets())[twice]
            return error_text(CrmError("mapping_twice", target=label))
        if self.transactions:
            return self._transaction_problem(set(chosen))
        if self.products:
            return None if "name" in chosen else self.tr("No column is mapped to {name}: map the column with the "
                                                         "product's name to it.").format(name=dict(self.targets())["name"])
        if not set(chosen) & set(NAME_TARGETS):
            labels = dict(self.targets())
            return self.tr("No column is mapped to a name: map the column with the customer's or the contact's "
                           "name to one of {targets}.").format(targets=" / ".join(labels[t] for t in NAME_TARGETS))
        return None

    def _transaction_problem(self, chosen: set[str]) -> Optional[str]:
        labels = dict(self.targets())
        if "date" not in chosen or not chosen & set(SALE_TARGETS):
            return self.tr("A sale needs a date and an amount, a product or a quantity: map a column to {date} "
                           "and one to {targets}.").format(date=labels["date"],
                                                           targets=" / ".join(labels[t] for t in SALE_TARGETS))
        if not chosen & set(CUSTOMER_TARGETS):
            return self.tr("No column is mapped to the customer: map the column with the customer's number or "
                           "name to {targets}, so that each sale has its customer.").format(
                targets=" / ".join(labels[t] for t in CUSTOMER_TARGETS))
        return None

    def mapping_warning(self) -> Optional[str]:
        """What the user should know about a mapping that can be imported."""
        if self.transactions and "amount" not in self.mapping().values():
            return self.tr("No column is mapped to {amount}: the sales are imported with an amount of 0.").format(
                amount=dict(self.targets())["amount"])
        return None

    def _changed(self, *_args) -> None:
        problem = self.mapping_problem()
        self.problem.setText(problem or "")
        self.problem.setVisible(problem is not None)
        warning = None if problem else self.mapping_warning()
        self.warning.setText(warning or "")
        self.warning.setVisible(warning is not None)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.combos) and self.mapping_problem() is None and not self.w.busy

    def validatePage(self) -> bool:
        try:
            self.w.set_mapping(self.mapping())
        except CrmError as error:
            self.problem.setText(error_text(error))
            self.problem.setVisible(True)
            return False
        return True
