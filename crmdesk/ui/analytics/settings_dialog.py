"""Analytics ▸ Settings: the A, B and C shares of revenue, the evaluation factors' weights,
the lifetime value's margin, discount rate and horizon, and the loyalty factors' weights.
A wrong value is named beside its field and nothing is stored."""
from __future__ import annotations

from typing import Optional

from PySide6.QtWidgets import QDialog, QDoubleSpinBox, QFormLayout, QGridLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from crmdesk.core.customers import fields as F
from crmdesk.core.analytics import settings as analytics_settings
from crmdesk.core.analytics.loyalty import NO_DATA
from crmdesk.ui.analytics import labels as AL
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.visits.form import CheckedForm, report_failure, save_buttons
from crmdesk.ui.common.labels import field_label
from crmdesk.ui.team.shared_settings import lock_unless_allowed


def _spin(parent: QWidget, name: str, value: float, top: float, decimals: int = 0, suffix: str = "") -> QDoubleSpinBox:
    box = QDoubleSpinBox(parent)
    box.setObjectName(name)
    box.setRange(0, top)
    box.setDecimals(decimals)
    box.setValue(value)
    box.setSuffix(suffix)
    return box


class AnalyticsSettingsDialog(QDialog):
    def __init__(self, bus: ChangeBus, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setObjectName("analyticsSettingsDialog")
        self.setWindowTitle(self.tr("Analytics settings"))
        self.bus = bus
        current = analytics_settings.load()
        self.summary = QLabel(self)
        self.summary.setObjectName("analyticsSettingsSummary")
        self.summary.setWordWrap(True)
        self.summary.hide()
        form_layout = QFormLayout()
        self.form = CheckedForm(self, form_layout)
        shares = QWidget(self)
        row = QGridLayout(shares)
        row.setContentsMargins(0, 0, 0, 0)
        self.shares = []
        for index, (cls, share) in enumerate(zip("ABC", current.abc)):
            row.addWidget(QLabel(cls, shares), 0, 2 * index)
            box = _spin(shares, f"share{cls}", 100 * share, 99, 0, " %")
            row.addWidget(box, 0, 2 * index + 1)
            self.shares.append(box)
        self.form.add("abc", self.tr("Shares of revenue"), shares)
        self.margin = self.form.add("margin", self.tr("Gross margin"), _spin(self, "margin", 100 * current.margin, 100, 1, " %"))
        self.discount = self.form.add("discount", self.tr("Discount rate a year"),
                                      _spin(self, "discount", 100 * current.discount, 100, 1, " %"))
        self.horizon = self.form.add("horizon", self.tr("Years projected"), _spin(self, "horizon", current.horizon, 30))
        weights = QGroupBox(self.tr("Evaluation: weight of each factor"), self)
        grid = QFormLayout(weights)
        self.weights = {}
        for key in F.SCORE_KEYS:
            self.weights[key] = _spin(weights, f"weight_{key}", current.weights.get(key, 0), 100, 2)
            grid.addRow(field_label(key), self.weights[key])
        self.form.errors["weights"] = QLabel(weights)
        loyalty_box = QGroupBox(self.tr("Loyalty: weight of each factor"), self)
        grid = QFormLayout(loyalty_box)
        self.loyalty = {}
        for key in analytics_settings.LOYALTY_FACTORS:
            self.loyalty[key] = _spin(loyalty_box, f"loyalty_{key}", current.loyalty.get(key, 1), 100, 2)
            text = AL.label("factor", key) + (self.tr(" (no data yet)") if key in NO_DATA else "")
            grid.addRow(text, self.loyalty[key])
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(form_layout)
        layout.addWidget(weights)
        layout.addWidget(loyalty_box)
        buttons = save_buttons(self, self.save)
        layout.addWidget(buttons)
        self.may_save = lock_unless_allowed(layout, buttons, analytics_settings.KEY)

    def values(self) -> dict:
        return {"abc": [box.value() / 100 for box in self.shares], "margin": self.margin.value() / 100,
                "discount": self.discount.value() / 100, "horizon": self.horizon.value(),
                "weights": {k: box.value() for k, box in self.weights.items()},
                "loyalty": {k: box.value() for k, box in self.loyalty.items()}}

    def save(self) -> bool:
        self.form.clear()
        try:
            changes = analytics_settings.save(self.values())
        except Exception as exc:  # noqa: BLE001 - shown in the dialog; nothing typed is lost
            report_failure(self, self.form, self.summary, exc)
            return False
        self.bus.publish(*changes)
        self.accept()
        return True
