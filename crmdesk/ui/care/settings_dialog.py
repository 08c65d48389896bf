"""Care ▸ Settings: each rule on or off with its days; the festivals greeted, the tiers of
customers greeted and the user's own dates; the greeting templates in Chinese and English
with their placeholders (an unknown one is pointed out as it is typed); points per yuan.
Everything is saved in one transaction: a wrong value anywhere stores nothing and is named
beside its field."""
from __future__ import annotations

import datetime as dt
import re
from typing import Optional

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QFormLayout, QGridLayout, QHBoxLayout, QLabel,
                               QLineEdit, QPlainTextEdit, QSpinBox, QTabWidget, QVBoxLayout, QWidget)

from crmdesk.core.care import fields as C
from crmdesk.core.customers import fields as F
from crmdesk.core.care.dates import FESTIVALS
from crmdesk.core.db import transaction
from crmdesk.core.errors import FieldError, ValidationError
from crmdesk.core.care import settings as care_settings, templates as care_templates
from crmdesk.ui.care import labels as CL
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.visits.form import ERROR_STYLE, CheckedForm, report_failure, save_buttons
from crmdesk.ui.common.labels import choice_label
from crmdesk.ui.team.shared_settings import lock_unless_allowed

CUSTOM_LINE = re.compile(r"^(.+?)\s+(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
TEMPLATE_KINDS = (C.BIRTHDAY, C.FESTIVAL, C.ANNIVERSARY, C.PURCHASE, C.INACTIVE, C.SURVEY, C.ROUTINE, C.GIFT,
                  C.COMPLAINT)


class CareSettingsDialog(QDialog):
    def __init__(self, bus: ChangeBus, parent: Optional[QWidget] = None, today: Optional[dt.date] = None):
        super().__init__(parent)
        self.setObjectName("careSettingsDialog")
        self.setWindowTitle(self.tr("Care settings"))
        self.resize(640, 520)
        self.bus = bus
        self.today = today
        rules = care_settings.load()
        self.rules = rules
        self.summary = QLabel(self)
        self.summary.setObjectName("careSettingsSummary")
        self.summary.setWordWrap(True)
        self.summary.hide()
        tabs = QTabWidget(self)
        tabs.setObjectName("careSettingsTabs")
        self.tabs = tabs

        # rules
        page = QWidget(tabs)
        form_layout = QFormLayout(page)
        self.form = CheckedForm(page, form_layout)
        texts = {"birthdays": (self.tr("Birthdays"), self.tr("days ahead")),
                 "festivals": (self.tr("Festivals"), self.tr("days ahead")),
                 "anniversary": (self.tr("Anniversary of the first purchase"), self.tr("days ahead")),
                 "purchase": (self.tr("Follow-up after a purchase"), self.tr("days after")),
                 "no_contact": (self.tr("Inactivity: no contact for"), self.tr("days")),
                 "payment_due": (self.tr("Payment due: a sale unpaid for"), self.tr("days overdue"))}
        self.rule_on: dict[str, QCheckBox] = {}
        self.rule_days: dict[str, QSpinBox] = {}
        for name, (title, unit) in texts.items():
            rule = getattr(rules, name)
            row = QWidget(page)
            box = QHBoxLayout(row)
            box.setContentsMargins(0, 0, 0, 0)
            on = QCheckBox(title, row)
            on.setObjectName(f"rule_{name}")
            on.setChecked(rule.on)
            days = QSpinBox(row)
            days.setObjectName(f"days_{name}")
            days.setRange(0, care_settings.DAY_LIMITS[name])
            days.setValue(rule.days)
            on.toggled.connect(days.setEnabled)
            days.setEnabled(rule.on)
            unit_label = QLabel(unit, row)
            unit_label.setMinimumWidth(max(unit_label.fontMetrics().horizontalAdvance(u) for _t, u in texts.values()))
            box.addWidget(on, 1)
            box.addWidget(days)
            box.addWidget(unit_label)
            self.rule_on[name], self.rule_days[name] = on, days
            self.form.add(f"{name}.days", "", row)
        self.churn = QCheckBox(self.tr("Churn warning: no purchase for 1.5 × the customer's usual interval"), page)
        self.churn.setObjectName("rule_no_purchase")
        self.churn.setChecked(rules.no_purchase.on)
        form_layout.addRow(self.churn)
        note = QLabel(self.tr("Follow-ups after a complaint are set in Complaints ▸ Settings."), page)
        note.setWordWrap(True)
        form_layout.addRow(note)
        tabs.addTab(page, self.tr("Rules"))

        # festivals
        page = QWidget(tabs)
        layout = QVBoxLayout(page)
        grid = QGridLayout()
        self.festival_boxes: dict[str, QCheckBox] = {}
        for index, key in enumerate(FESTIVALS):
            box = QCheckBox(CL.label("festival", key), page)
            box.setObjectName(f"festival_{key}")
            box.setChecked(key in rules.festival_keys)
            grid.addWidget(box, index // 3, index % 3)
            self.festival_boxes[key] = box
        layout.addLayout(grid)
        layout.addWidget(QLabel(self.tr("Greet the customers of these tiers (none ticked: every customer):"), page))
        tiers = QHBoxLayout()
        self.tier_boxes: dict[str, QCheckBox] = {}
        for choice in F.TIER:
            box = QCheckBox(choice_label("tier", choice.key), page)
            box.setObjectName(f"tier_{choice.key}")
            box.setChecked(choice.key in rules.festival_tiers)
            tiers.addWidget(box)
            self.tier_boxes[choice.key] = box
        tiers.addStretch(1)
        layout.addLayout(tiers)
        layout.addWidget(QLabel(self.tr("Your own dates, one per line, a name and the month-day, e.g. 店庆 6-18:"), page))
        self.custom = QPlainTextEdit(page)
        self.custom.setObjectName("customFestivals")
        self.custom.setPlainText("\n".join(f"{n} {m}-{d}" for n, m, d in rules.custom_festivals))
        layout.addWidget(self.custom)
        self.custom_error = QLabel(page)
        self.custom_error.setObjectName("error_custom_festivals")
        self.custom_error.setStyleSheet(ERROR_STYLE)
        self.custom_error.setWordWrap(True)
        self.custom_error.hide()
        layout.addWidget(self.custom_error)
        self.form.errors["custom_festivals"] = self.custom_error
        tabs.addTab(page, self.tr("Festivals"))

        # templates
        page = QWidget(tabs)
        layout = QVBoxLayout(page)
        self.templates = care_settings.templates()
        self.template_kind = QComboBox(page)
        self.template_kind.setObjectName("templateKind")
        for kind in TEMPLATE_KINDS:
            self.template_kind.addItem(CL.label("kind", kind), kind)
        layout.addWidget(self.template_kind)
        self.template_edits: dict[str, QPlainTextEdit] = {}
        for lang, title in (("zh", self.tr("Chinese")), ("en", self.tr("English"))):
            layout.addWidget(QLabel(title, page))
            edit = QPlainTextEdit(page)
            edit.setObjectName(f"template_{lang}")
            edit.textChanged.connect(self._template_edited)
            layout.addWidget(edit)
            self.template_edits[lang] = edit
        names = "  ".join(f"{{{zh}}} {{{key}}}" for key, zh in C.PLACEHOLDERS)
        help_label = QLabel(self.tr("Placeholders: {names}").format(names=names), page)
        help_label.setWordWrap(True)
        layout.addWidget(help_label)
        self.template_warning = QLabel(page)
        self.template_warning.setObjectName("templateWarning")
        self.template_warning.setStyleSheet(ERROR_STYLE)
        self.template_warning.setWordWrap(True)
        layout.addWidget(self.template_warning)
        self._loading = False
        self.template_kind.currentIndexChanged.connect(lambda _i: self._show_template())
        self._show_template()
        tabs.addTab(page, self.tr("Greetings"))

        # points
        page = QWidget(tabs)
        points_layout = QFormLayout(page)
        points_form = CheckedForm(page, points_layout)
        self.points_on = QCheckBox(self.tr("Customers earn points for their purchases"), page)
        self.points_on.setObjectName("pointsOn")
        self.points_on.setChecked(rules.points_on)
        points_layout.addRow(self.points_on)
        self.rate = points_form.add("points_rate", self.tr("Points per yuan"), QLineEdit(page))
        self.rate.setObjectName("pointsRate")
        self.rate.setText(f"{rules.points_rate:g}")
        self.form.errors["points_rate"] = points_form.errors["points_rate"]
        tabs.addTab(page, self.tr("Points"))

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(tabs, 1)
        buttons = save_buttons(self, self.save)
        layout.addWidget(buttons)
        self.may_save = lock_unless_allowed(layout, buttons, care_settings.RULES_KEY, care_settings.TEMPLATES_KEY,
                                            keep=(self.template_kind,))  # it only picks the greeting shown

    # ------------------------------------------------------------ templates
    def _show_template(self) -> None:
        kind = self.template_kind.currentData()
        self._loading = True
        for lang, edit in self.template_edits.items():
            edit.setPlainText(self.templates[kind][lang])
        self._loading = False
        self._template_edited()

    def _template_edited(self) -> None:
        if self._loading:
            return
        kind = self.template_kind.currentData()
        unknown: list[str] = []
        for lang, edit in self.template_edits.items():
            self.templates[kind][lang] = edit.toPlainText()
            unknown += [u for u in care_templates.unknown_placeholders(edit.toPlainText()) if u not in unknown]
        self.template_warning.setText(self.tr("crmdesk does not know {names}: it will be left as written in the "
                                              "greeting.").format(names=", ".join(unknown)) if unknown else "")
        self.template_warning.setVisible(bool(unknown))

    # ------------------------------------------------------------ saving
    def _custom_festivals(self) -> list:
        found = []
        for line in self.custom.toPlainText().splitlines():
            if not line.strip():
                continue
            match = CUSTOM_LINE.match(line.strip())
            if match is None:
                raise ValidationError({"custom_festivals": FieldError("care_festival_invalid", "custom_festivals",
                                                                      value=line.strip())})
            found.append([match.group(1).strip(), int(match.group(2)), int(match.group(3))])
        return found

    def values(self) -> dict:
        raw = {name: {"on": self.rule_on[name].isChecked(), "days": self.rule_days[name].value()}
               for name in self.rule_on}
        raw["no_purchase"] = {"on": self.churn.isChecked()}
        raw["festival_keys"] = [k for k, box in self.festival_boxes.items() if box.isChecked()]
        raw["festival_tiers"] = [k for k, box in self.tier_boxes.items() if box.isChecked()]
        raw["custom_festivals"] = self._custom_festivals()
        raw["points_on"] = self.points_on.isChecked()
        raw["points_rate"] = self.rate.text()
        return raw  # points_from: the stored one, whatever it became since the dialog opened

    def save(self) -> bool:
        self.form.clear()
        try:
            with transaction():
                changes = care_settings.save(self.values(), self.today) + care_settings.save_templates(self.templates)
        except Exception as exc:  # noqa: BLE001 - shown in the dialog; nothing typed is lost
            report_failure(self, self.form, self.summary, exc)
            if isinstance(exc, ValidationError):
                first = next(iter(exc.errors))
                self.tabs.setCurrentIndex(1 if first == "custom_festivals" else 3 if first == "points_rate" else 0)
            return False
        self.bus.publish(*changes)
        self.accept()
        return True
