"""Review duplicates side by side and merge them (issue 21): one column a customer, one row a
field where they differ; the value to keep is ticked (the fuller one to begin with: the kept
customer's own, else the first other's), notes may keep several, tags are united. What moves
to the kept customer is counted below the table. The merge is one step of the undo stack."""
from __future__ import annotations

from typing import Any, Optional

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHeaderView,
                               QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from crmdesk.core import custom_fields as CF
from crmdesk.core import dedupe
from crmdesk.core.customers import fields as F
from crmdesk.core.errors import CrmError
from crmdesk.core.models import Customer
from crmdesk.core.customers import archive as customers
from crmdesk.ui.common import plural
from crmdesk.ui.dedupe.merge_undo import MergeCommand
from crmdesk.ui.errors import show_bug, show_error
from crmdesk.ui.common.formatting import custom_value, customer_value
from crmdesk.ui.common.labels import field_label

SKIPPED = frozenset(("created_at",))
UNITED = frozenset(("tags",))  # every record's, shown but not chosen
SEVERAL = frozenset(("notes",))  # more than one may be ticked: they are joined


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def moved_text(counts: dict[str, int]) -> str:
    """"2 visits, 1 sale" for what a merge moves (table -> count)."""
    forms = {
        "visit": lambda n: plural.translate("Duplicates", "%n visit(s)", "", n),
        "visit_series": lambda n: plural.translate("Duplicates", "%n visit plan(s)", "", n),
        "transaction": lambda n: plural.translate("Duplicates", "%n transaction(s)", "", n),
        "sale": lambda n: plural.translate("Duplicates", "%n sale(s)", "", n),
        "opportunity": lambda n: plural.translate("Duplicates", "%n opportunity(ies)", "", n),
        "complaint": lambda n: plural.translate("Duplicates", "%n complaint(s)", "", n),
        "care_event": lambda n: plural.translate("Duplicates", "%n care event(s)", "", n),
        "points_entry": lambda n: plural.translate("Duplicates", "%n points entry(ies)", "", n),
        "contact": lambda n: plural.translate("Duplicates", "%n contact(s)", "", n),
    }
    return ", ".join(forms[t](n) for t, n in counts.items() if n and t in forms)


class MergeDialog(QDialog):
    def __init__(self, bus, ids: list[int], parent: Optional[QWidget] = None, undo_stack=None):
        super().__init__(parent)
        self.setObjectName("mergeDialog")
        self.bus, self.undo_stack = bus, undo_stack
        self.records = [customers.get(i) for i in ids]
        self.own = CF.all_fields()  # the custom fields: a row each where the records differ
        blank = {f.field_key: None for f in self.own}
        own = CF.read(ids)
        self.values = [customers.to_dict(r) | blank | own.get(r.id, {}) for r in self.records]
        self.counts = {r.id: dedupe.attached(r.id) for r in self.records}
        self.result_value: Optional[dedupe.MergeResult] = None
        self.setWindowTitle(self.tr("Merge customers"))
        intro = QLabel(self.tr("Tick the value to keep in each row. Their visits, sales, complaints and care "
                               "move to the customer kept; the others go to the trash. Edit ▸ Undo takes the "
                               "merge back."), self)
        intro.setWordWrap(True)
        self.keep_combo = QComboBox(self)
        self.keep_combo.setObjectName("mergeKeep")
        for record in self.records:
            self.keep_combo.addItem(f"{record.code} · {record.name}", record.id)
        self.keep_combo.currentIndexChanged.connect(lambda _i: self.propose())
        self.table = QTableWidget(self)
        self.table.setObjectName("mergeFields")
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.itemChanged.connect(self._ticked)
        self.summary = QLabel(self)
        self.summary.setObjectName("mergeSummary")
        self.summary.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.merge_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.merge_button.setText(self.tr("&Merge"))
        self.buttons.accepted.connect(self.merge)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("&Keep:"), self.keep_combo)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self._fill()
        self.propose()
        self.resize(900, 560)

    # ------------------------------------------------------------ table
    def _fill(self) -> None:
        self.keys = [f.key for f in F.CUSTOMER_FIELDS if f.key not in SKIPPED and self._shown(f.key)] + \
            [f.field_key for f in self.own if self._shown(f.field_key)]
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.keys))
        self.table.setColumnCount(len(self.records))
        self.table.setHorizontalHeaderLabels([f"{r.code}" for r in self.records])
        self.table.setVerticalHeaderLabels([field_label(k) for k in self.keys])
        for row, key in enumerate(self.keys):
            field = F.BY_KEY.get(key) or CF.get(key)
            show = customer_value if key in F.BY_KEY else custom_value
            for column, values in enumerate(self.values):
                item = QTableWidgetItem(show(field, values[key]))
                item.setToolTip(item.text())
                if key not in UNITED and key != "code" and not _blank(values[key]):
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                    item.setCheckState(Qt.CheckState.Unchecked)
                else:
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.table.setItem(row, column, item)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.blockSignals(False)

    def _shown(self, key: str) -> bool:
        """A row for each field that differs between the records (the number always)."""
        values = [v[key] for v in self.values]
        return key == "code" or (any(not _blank(v) for v in values) and len({repr(v) for v in values}) > 1)

    @property
    def keep_id(self) -> int:
        return self.keep_combo.currentData()

    def propose(self) -> None:
        """Tick the fuller value of each row for the customer now chosen to keep."""
        keep = Customer.get_by_id(self.keep_id)
        others = [r for r in self.records if r.id != keep.id]
        proposed = dedupe.proposed_values(keep, others)
        order = [self.records.index(keep)] + [i for i, r in enumerate(self.records) if r.id != keep.id]
        self.table.blockSignals(True)
        for row, key in enumerate(self.keys):
            ticked = set()
            if key in SEVERAL:
                ticked = {i for i in order if not _blank(self.values[i][key])}
            else:
                ticked = {next((i for i in order if self.values[i][key] == proposed.get(key)
                                and not _blank(self.values[i][key])), None)} - {None}
            for column in range(len(self.records)):
                item = self.table.item(row, column)
                if item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                    item.setCheckState(Qt.CheckState.Checked if column in ticked else Qt.CheckState.Unchecked)
        self.table.blockSignals(False)
        self.table.setHorizontalHeaderLabels([self.tr("{code} (kept)").format(code=r.code) if r.id == keep.id
                                              else r.code for r in self.records])
        moving: dict[str, int] = {}
        for record in others:
            for table, count in self.counts[record.id].items():
                moving[table] = moving.get(table, 0) + count
        text = moved_text(moving)
        self.summary.setText(self.tr("Moves to {customer}: {records}.").format(customer=keep.code, records=text)
                             if text else self.tr("The others have no visits, sales, complaints or care to move."))

    def _ticked(self, item: QTableWidgetItem) -> None:
        """One value a row (notes: any): ticking one unticks the others."""
        key = self.keys[item.row()]
        if key in SEVERAL or item.checkState() != Qt.CheckState.Checked:
            return
        self.table.blockSignals(True)
        for column in range(self.table.columnCount()):
            other = self.table.item(item.row(), column)
            if column != item.column() and other.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                other.setCheckState(Qt.CheckState.Unchecked)
        self.table.blockSignals(False)

    def chosen(self) -> dict[str, Any]:
        """The values ticked, as ``dedupe.merge`` takes them; a row with none ticked empties the field."""
        values: dict[str, Any] = {}
        for row, key in enumerate(self.keys):
            if key in UNITED or key == "code":
                continue
            ticked = [c for c in range(len(self.records))
                      if self.table.item(row, c).checkState() == Qt.CheckState.Checked]
            if key in SEVERAL:
                values[key] = "\n".join(dict.fromkeys(self.values[c][key] for c in ticked))
            else:
                values[key] = self.values[ticked[0]][key] if ticked else None
        return values

    # ------------------------------------------------------------ merge
    def merge(self) -> None:
        keep = self.keep_id
        others = [r.id for r in self.records if r.id != keep]
        chosen = self.chosen()
        try:
            done = dedupe.merge(keep, others, chosen)
        except CrmError as error:
            show_error(self, error)
            return
        except Exception as error:  # noqa: BLE001 - a bug: said, and the dialog stays open
            show_bug(self, error)
            return
        self.result_value = done
        if self.undo_stack is not None:
            self.undo_stack.push(MergeCommand(self.bus, done, chosen, self.parentWidget()))
        self.bus.publish(*done.changes)
        self.accept()
