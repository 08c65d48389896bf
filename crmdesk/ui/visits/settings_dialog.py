"""Visits ▸ Visit frequencies: how often each tier should be visited, a business setting
kept in the database (every user of this database plans by the same rule)."""
from __future__ import annotations

from typing import Optional

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from crmdesk.core.visits import fields as V
from crmdesk.core.visits import planning as visit_planning
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.visits.form import CheckedForm, report_failure, save_buttons
from crmdesk.ui.common.labels import choice_label
from crmdesk.ui.team.shared_settings import lock_unless_allowed


class VisitSettingsDialog(QDialog):
    def __init__(self, bus: ChangeBus, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setObjectName("visitSettingsDialog")
        self.setWindowTitle(self.tr("Visit frequencies"))
        self.bus = bus
        intro = QLabel(self.tr("Visit each customer at least this often; the due list shows who is overdue. "
                               "0 means the tier is not tracked. A customer's own frequency (set in the due list) "
                               "comes first."), self)
        intro.setWordWrap(True)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.hide()
        form_layout = QFormLayout()
        self.form = CheckedForm(self, form_layout)
        self.spins: dict[str, QSpinBox] = {}
        current = visit_planning.frequencies()
        for tier in V.FREQUENCY_TIERS:
            spin = QSpinBox(self)
            spin.setObjectName(f"frequency_{tier}")
            spin.setRange(0, V.MAX_FREQUENCY)
            spin.setSuffix(self.tr(" days"))
            spin.setSpecialValueText(self.tr("Not tracked"))
            spin.setValue(current.get(tier) or 0)
            label = choice_label("tier", tier) if tier != "none" else self.tr("Customers without a tier")
            self.form.add(tier, label, spin)
            self.spins[tier] = spin
        buttons = save_buttons(self, self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.summary)
        layout.addLayout(form_layout)
        layout.addWidget(buttons)
        self.may_save = lock_unless_allowed(layout, buttons, visit_planning.FREQUENCY_KEY)

    def save(self) -> bool:
        values = {tier: (spin.value() or None) for tier, spin in self.spins.items()}
        try:
            changes = visit_planning.set_frequencies(values)
        except Exception as exc:  # noqa: BLE001 - shown, the dialog stays open
            report_failure(self, self.form, self.summary, exc)
            return False
        self.bus.publish(*changes)
        self.accept()
        return True
