"""The customer list's filter on the user's own fields: one button beside the built-in
filters whose menu holds each field: a choice, yes/no or text field with its values (the
options, or the values in use, most common first), a number or date field with "Between…"
for a range. Picking one filters the list in SQL; the button names the filters that are on."""
from __future__ import annotations

from typing import Any, Optional

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QMenu, QSizePolicy, QToolButton, QWidget

from crmdesk.core import custom_fields as CF
from crmdesk.ui.common import formatting
from crmdesk.ui.custom_fields.range_dialog import RangeDialog, range_label


class CustomFilterButton(QToolButton):
    chosen = Signal(str, object)  # (cf:key, value as the filter keeps it, or None for all)

    def __init__(self, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setObjectName("customFilter")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        # the style's corner arrow was drawn over the text's last character ("收入水平: 高"):
        # the text carries its own ▾ instead
        self.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0px; }")
        # never narrower than its text: the filter it names must be read whole
        self.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.menu_ = QMenu(self)
        self.menu_.aboutToShow.connect(self.fill)
        self.setMenu(self.menu_)
        self.active: dict[str, str] = {}
        self.show_active({})

    def fields(self) -> list[CF.CustomField]:
        return CF.all_fields()

    def refresh(self) -> None:
        """Shown only when there is a field to filter by."""
        self.setVisible(bool(self.fields()))

    def fill(self) -> None:
        self.menu_.clear()
        for field in self.fields():
            sub = self.menu_.addMenu(field.name(_language()))
            sub.setObjectName(f"filterMenu_{field.key}")
            every = sub.addAction(QCoreApplication.translate("CustomFields", "All"))
            every.setCheckable(True)
            every.setChecked(field.field_key not in self.active)
            every.triggered.connect(lambda _c=False, k=field.field_key: self.chosen.emit(k, None))
            if CF.is_ranged(field):
                current = self.active.get(field.field_key)
                if current:
                    on = sub.addAction(range_label(field, current))
                    on.setCheckable(True)
                    on.setChecked(True)
                between = sub.addAction(QCoreApplication.translate("CustomFields", "Between…"))
                between.setObjectName(f"between_{field.key}")
                between.triggered.connect(lambda _c=False, f=field: self.ask_range(f))
                continue
            for value in CF.distinct_values(field, 100):
                action = sub.addAction(formatting.custom_value(field, value))
                action.setCheckable(True)
                action.setChecked(self.active.get(field.field_key) == str(value))
                action.triggered.connect(lambda _c=False, k=field.field_key, v=str(value): self.chosen.emit(k, v))
        if self.active:
            self.menu_.addSeparator()
            clear = self.menu_.addAction(QCoreApplication.translate("CustomFields", "Clear these filters"))
            clear.triggered.connect(lambda: [self.chosen.emit(k, None) for k in list(self.active)])

    def ask_range(self, field: CF.CustomField) -> RangeDialog:
        """The range dialog for a number or date field, open (not modal to the app)."""
        dialog = RangeDialog(field, self.active.get(field.field_key, ""), self.window())
        dialog.chosen.connect(lambda text: self.chosen.emit(field.field_key, text or None))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def show_active(self, filters: dict[str, Any]) -> None:
        """The filters on now ({cf:key: value}), named on the button."""
        self.active = {k: str(v) for k, v in filters.items() if CF.is_custom(k)}
        parts = []
        for key, value in self.active.items():
            field = CF.get(key)
            if field:
                shown = range_label(field, value) if CF.is_ranged(field) else \
                    formatting.custom_value(field, CF.filter_value(field, value))
                parts.append(f"{field.name(_language())}: {shown}")
        self.setText(", ".join(parts) + " ▾" if parts else QCoreApplication.translate("CustomFields", "My fields ▾"))
        self.setToolTip(QCoreApplication.translate("CustomFields", "Filter by your own customer fields"))


def _language() -> str:
    from crmdesk import i18n
    return i18n.language()
