"""Complaints ▸ Settings: the deadlines per severity in business hours (to the first
response and to the resolution), the working day they are counted in, the satisfaction
scale, when the follow-up after closing falls due, and the team complaints can be given
to. Business settings, kept in the database: everyone on this database works by them."""
from __future__ import annotations

import html
from typing import Optional

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QPlainTextEdit, QSpinBox,
                               QTimeEdit, QVBoxLayout, QWidget)

from crmdesk.core.complaints import fields as K
from crmdesk.core.errors import ValidationError
from crmdesk.core.complaints import settings as complaint_settings
from crmdesk.ui.complaints import labels as CL
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.visits.form import CheckedForm, report_failure, save_buttons
from crmdesk.ui.team.shared_settings import lock_unless_allowed


class ComplaintSettingsDialog(QDialog):
    def __init__(self, bus: ChangeBus, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setObjectName("complaintSettingsDialog")
        self.setWindowTitle(self.tr("Complaint settings"))
        self.setMinimumWidth(640)  # seven level names on one line in Chinese too
        self.bus = bus
        settings = complaint_settings.load()
        intro = QLabel(self.tr("Business hours to the first response and to the resolution, per severity, counted on "
                               "working days (China's public holidays and adjusted working days) within the working "
                               "day below. New deadlines apply to complaints logged from now on."), self)
        intro.setWordWrap(True)
        self.summary = QLabel(self)
        self.summary.setObjectName("settingsSummary")
        self.summary.setWordWrap(True)
        self.summary.hide()
        form_layout = QFormLayout()
        self.form = CheckedForm(self, form_layout)
        self.spins: dict[str, QSpinBox] = {}
        for severity in K.SEVERITY_KEYS:
            row = QWidget(self)
            box = QHBoxLayout(row)
            box.setContentsMargins(0, 0, 0, 0)
            for part, hours in zip(("response", "resolution"), settings.deadlines[severity]):
                spin = QSpinBox(row)
                spin.setObjectName(f"{severity}_{part}")
                spin.setRange(-K.MAX_DEADLINE_HOURS, 10 * K.MAX_DEADLINE_HOURS)  # the service says what is wrong
                spin.setValue(hours)
                spin.setSuffix(self.tr(" h to respond") if part == "response" else self.tr(" h to resolve"))
                box.addWidget(spin)
                self.spins[f"{severity}.{part}"] = spin
            self.form.add(f"{severity}.response", CL.label("severity", severity), row)
            self.form.errors[f"{severity}.resolution"] = self.form.errors[f"{severity}.response"]
        self.start = QTimeEdit(QTime(settings.options.workday_start.hour, settings.options.workday_start.minute), self)
        self.start.setObjectName("workdayStart")
        self.end = QTimeEdit(QTime(settings.options.workday_end.hour, settings.options.workday_end.minute), self)
        self.end.setObjectName("workdayEnd")
        hours = QWidget(self)
        box = QHBoxLayout(hours)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.start)
        box.addWidget(QLabel("–", hours))
        box.addWidget(self.end)
        box.addStretch(1)
        self.form.add("workday_end", self.tr("Working day"), hours)
        self.scale = QComboBox(self)
        self.scale.setObjectName("satisfactionScale")
        for levels in (5, 7):
            self.scale.addItem(self.tr("{count} levels: {names}").format(count=levels, names=" · ".join(CL.levels(levels))),
                               levels)
        self.scale.setCurrentIndex(max(self.scale.findData(settings.options.satisfaction_scale), 0))
        # the chosen scale's levels, numbered and whole (the box cuts seven Chinese names short)
        self.levels = QLabel(self)
        self.levels.setObjectName("scaleLevels")
        self.levels.setWordWrap(True)
        self.levels.setTextFormat(Qt.TextFormat.RichText)
        self.levels.setStyleSheet("color: #555;")
        scale = QWidget(self)
        box = QVBoxLayout(scale)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(self.scale)
        box.addWidget(self.levels)
        self.scale.currentIndexChanged.connect(lambda _i: self.show_levels())
        self.show_levels()
        self.form.add("satisfaction_scale", self.tr("Satisfaction scale"), scale)
        self.follow_up = QSpinBox(self)
        self.follow_up.setObjectName("followUpDays")
        self.follow_up.setRange(-1, 10 * complaint_settings.MAX_FOLLOW_UP_DAYS)
        self.follow_up.setValue(settings.options.follow_up_days)
        self.follow_up.setSuffix(self.tr(" days after closing"))
        self.form.add("follow_up_days", self.tr("Follow-up call"), self.follow_up)
        self.team = QPlainTextEdit("\n".join(complaint_settings.team()), self)
        self.team.setObjectName("team")
        self.team.setPlaceholderText(self.tr("One name per line: the people complaints can be given to, besides the "
                                             "customers' owners and the reps"))
        self.team.setFixedHeight(90)
        self.form.add("team", self.tr("Team"), self.team)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.summary)
        layout.addLayout(form_layout)
        buttons = save_buttons(self, self.save)
        layout.addWidget(buttons)
        self.may_save = lock_unless_allowed(layout, buttons, complaint_settings.DEADLINES_KEY, complaint_settings.OPTIONS_KEY, complaint_settings.TEAM_KEY)

    def show_levels(self) -> None:
        names = CL.levels(self.scale.currentData())
        self.levels.setText(" &nbsp; ".join(f"{level}&nbsp;{html.escape(name)}" for level, name in enumerate(names, 1)))
        self.scale.setToolTip(" · ".join(names))

    def save(self) -> bool:
        self.form.clear()
        self.summary.hide()
        deadlines = {s: (self.spins[f"{s}.response"].value(), self.spins[f"{s}.resolution"].value())
                     for s in K.SEVERITY_KEYS}
        options = {"workday_start": self.start.time().toString("HH:mm"), "workday_end": self.end.time().toString("HH:mm"),
                   "satisfaction_scale": self.scale.currentData(), "follow_up_days": self.follow_up.value()}
        names = [line for line in self.team.toPlainText().splitlines() if line.strip()]
        try:
            changes = complaint_settings.save_all(deadlines, options, names)
        except Exception as exc:  # noqa: BLE001 - shown, the dialog stays open, nothing stored
            if isinstance(exc, ValidationError):
                for key, error in exc.errors.items():
                    if key.endswith(".resolution") and key in self.form.errors:
                        self.form.mark(key, error)
            report_failure(self, self.form, self.summary, exc)
            return False
        self.bus.publish(*changes)
        self.accept()
        return True
