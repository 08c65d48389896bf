"""The wizard's third page: every row with the cells in error marked (fixed in place), and
the import's options: matching, date order, bad values, all or nothing."""
from __future__ import annotations

from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QFormLayout, QHBoxLayout,
                               QTableView, QVBoxLayout, QWizard, QWizardPage)

from crmdesk.core.errors import CrmError
from crmdesk.ui.imports.kinds import PRODUCTS, TRANSACTIONS
from crmdesk.ui.imports.pages import PROBLEM_STYLE, message_label
from crmdesk.ui.imports.preview_model import RowsModel
from crmdesk.ui.dedupe.reasons import reasons_text
from crmdesk.ui.errors import error_text


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
        self.model.describe_kept = self.describe_kept
        self.model.describe_similar = self.describe_similar
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
        self.bad_values_combo = QComboBox(self)
        self.bad_values_combo.setObjectName("importBadValues")
        for value, text in (("reject", self.tr("Reject the row")),
                            ("keep", self.tr("Import the row and keep the value in its notes"))):
            self.bad_values_combo.addItem(text, value)
        self.bad_values_combo.setToolTip(self.tr("A phone, e-mail, date or other value a field cannot take. A row "
                                                 "without a usable name or customer number is rejected either way."))
        self.bad_values_combo.activated.connect(self._bad_values_changed)
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
        form.addRow(self.tr("A row with a &bad value:"), self.bad_values_combo)
        form.setRowVisible(self.bad_values_combo, customers_only)
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
        self.w.options.bad_values = self.bad_values_combo.currentData()
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
        self._option_changed("date_order", self.date_combo.currentData())

    def _bad_values_changed(self) -> None:
        self._option_changed("bad_values", self.bad_values_combo.currentData())

    def _option_changed(self, option: str, value) -> None:
        """An option the rows are checked with changed: check every row again."""
        if value == getattr(self.w.options, option) or not self.loaded:
            return
        setattr(self.w.options, option, value)
        self.loaded = False
        self.completeChanged.emit()
        self.w.recheck(self._rows_loaded)

    def describe_kept(self, key: str, error) -> str:
        return self.tr("{problem} It will be kept in the notes.").format(problem=self.w.describe_error(key, error))

    def describe_similar(self, pairs) -> str:
        return "\n".join(self.tr("Probably the same customer as {customer} ({reasons}): it would be added as "
                                  "another one.").format(customer=" · ".join(x for x in (p.first.code, p.first.name,
                                                                                             p.first.city) if x),
                                                         reasons=reasons_text(p.reasons)) for p in pairs)

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
        similar = self.model.similar_count
        if similar:
            self.summary.setText(self.summary.text() + " " + self.tr(
                "%n row(s) looks(look) like customers you already have (≈ by the row number: point at it to see which).",
                "", similar))
        kept = len(self.model.kept)
        if kept:
            self.summary.setText(self.summary.text() + " " + self.tr(
                "%n row(s) will keep a bad value in the notes (marked yellow).", "", kept))

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
