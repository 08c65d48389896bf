"""Complaints ▸ Settings on its own (crmdesk.ui.complaints.deadlines_dialog): the
stored settings shown, saved and shown again; a wrong value anywhere refused with the
service's sentence under its field and a summary on top, nothing stored, nothing
published, the dialog left open with what was typed."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLabel, QPlainTextEdit, QSpinBox, QTimeEdit

from crmdesk.core.complaints import fields as K
from crmdesk.core.models import Setting
from crmdesk.core.complaints import settings as complaint_settings
from crmdesk.ui.complaints.deadlines_dialog import ComplaintSettingsDialog

DEADLINE = "A deadline is a whole number of business hours from 1 to 9999."


class Bus:
    def __init__(self):
        self.published = []

    def publish(self, *changes) -> None:
        self.published.extend(changes)


@pytest.fixture
def bus():
    return Bus()


def open_dialog(qtbot, bus) -> ComplaintSettingsDialog:
    dialog = ComplaintSettingsDialog(bus)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def spin(dialog, name: str) -> QSpinBox:
    return dialog.findChild(QSpinBox, name)


def save(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)


def error(dialog, key: str) -> QLabel:
    return dialog.findChild(QLabel, f"error_{key}")


def test_the_defaults_are_shown(qtbot, db, bus):
    dialog = open_dialog(qtbot, bus)
    for severity, (response, resolution) in K.DEFAULT_DEADLINES.items():
        assert spin(dialog, f"{severity}_response").value() == response
        assert spin(dialog, f"{severity}_resolution").value() == resolution
    low = spin(dialog, "low_response")
    assert low.minimum() <= -K.MAX_DEADLINE_HOURS and low.maximum() > K.MAX_DEADLINE_HOURS  # typed, then refused
    assert dialog.findChild(QTimeEdit, "workdayStart").time() == QTime(9, 0)
    assert dialog.findChild(QTimeEdit, "workdayEnd").time() == QTime(18, 0)
    scale = dialog.findChild(QComboBox, "satisfactionScale")
    assert [scale.itemData(i) for i in range(scale.count())] == [5, 7] and scale.currentData() == 5
    assert "Very dissatisfied" in scale.itemText(0) and "Somewhat satisfied" in scale.itemText(1)
    assert dialog.findChild(QSpinBox, "followUpDays").value() == K.FOLLOW_UP_DAYS
    assert dialog.findChild(QPlainTextEdit, "team").toPlainText() == ""


def test_settings_round_trip(qtbot, db, bus):
    dialog = open_dialog(qtbot, bus)
    spin(dialog, "low_response").setValue(30)
    spin(dialog, "low_resolution").setValue(120)
    spin(dialog, "critical_response").setValue(2)
    dialog.findChild(QTimeEdit, "workdayStart").setTime(QTime(8, 30))
    dialog.findChild(QTimeEdit, "workdayEnd").setTime(QTime(17, 30))
    scale = dialog.findChild(QComboBox, "satisfactionScale")
    scale.setCurrentIndex(scale.findData(7))
    dialog.findChild(QSpinBox, "followUpDays").setValue(14)
    dialog.findChild(QPlainTextEdit, "team").setPlainText("赵敏\n\n  钱伟 \n赵敏\nLi  Na")
    save(qtbot, dialog)
    assert not dialog.isVisible() and dialog.result() == dialog.DialogCode.Accepted
    assert {c.entity for c in bus.published} == {"complaint_settings"}
    settings = complaint_settings.load()
    assert settings.deadlines["low"] == (30, 120) and settings.deadlines["critical"] == (2, 9)
    assert settings.deadlines["normal"] == K.DEFAULT_DEADLINES["normal"]
    assert (settings.options.workday_start, settings.options.workday_end) == (dt.time(8, 30), dt.time(17, 30))
    assert settings.options.satisfaction_scale == 7 and settings.options.follow_up_days == 14
    assert complaint_settings.team() == ["赵敏", "钱伟", "Li Na"]

    again = open_dialog(qtbot, bus)
    assert spin(again, "low_response").value() == 30 and spin(again, "critical_response").value() == 2
    assert again.findChild(QTimeEdit, "workdayEnd").time() == QTime(17, 30)
    assert again.findChild(QComboBox, "satisfactionScale").currentData() == 7
    assert again.findChild(QSpinBox, "followUpDays").value() == 14
    assert again.findChild(QPlainTextEdit, "team").toPlainText() == "赵敏\n钱伟\nLi Na"


def refused(qtbot, dialog, bus) -> None:
    """Save was refused: open, a summary on top, nothing stored, nothing published."""
    save(qtbot, dialog)
    assert dialog.isVisible()
    summary = dialog.findChild(QLabel, "settingsSummary")
    assert summary.isVisible() and summary.text().startswith("Fields to correct")
    assert Setting.select().count() == 0 and bus.published == []


@pytest.mark.parametrize("hours", [0, -4])
def test_a_deadline_of_zero_or_negative_hours(qtbot, db, bus, hours):
    dialog = open_dialog(qtbot, bus)
    spin(dialog, "high_response").setValue(hours)
    dialog.findChild(QPlainTextEdit, "team").setPlainText("赵敏")
    refused(qtbot, dialog, bus)
    assert error(dialog, "high.response").isVisible() and error(dialog, "high.response").text() == DEADLINE
    assert error(dialog, "low.response").isHidden()
    assert complaint_settings.team() == [] and spin(dialog, "high_response").value() == hours  # kept


def test_a_typed_deadline_over_the_maximum(qtbot, db, bus):
    dialog = open_dialog(qtbot, bus)
    box = spin(dialog, "critical_resolution")
    box.selectAll()
    qtbot.keyClicks(box, "12000")
    assert box.value() == 12000
    refused(qtbot, dialog, bus)
    # the resolution's sentence is shown on its severity's row, under both spin boxes
    assert error(dialog, "critical.response").isVisible() and error(dialog, "critical.response").text() == DEADLINE
    assert set(dialog.form.shown()) == {"critical.response", "critical.resolution"}


def test_a_resolution_before_the_response(qtbot, db, bus):
    dialog = open_dialog(qtbot, bus)
    spin(dialog, "normal_response").setValue(50)
    refused(qtbot, dialog, bus)
    assert "cannot come before the first-response deadline" in dialog.form.shown()["normal.response"]


def test_a_working_day_that_ends_before_it_starts(qtbot, db, bus):
    dialog = open_dialog(qtbot, bus)
    dialog.findChild(QTimeEdit, "workdayEnd").setTime(QTime(8, 0))
    refused(qtbot, dialog, bus)
    assert error(dialog, "workday_end").text() == (
        "The working day ends before it starts: set the end after the start.")


def test_follow_up_days_out_of_range(qtbot, db, bus):
    dialog = open_dialog(qtbot, bus)
    dialog.findChild(QSpinBox, "followUpDays").setValue(-1)
    refused(qtbot, dialog, bus)
    assert error(dialog, "follow_up_days").text() == "Out of range: type a number from 0 to 365."


def test_a_team_name_too_long_stores_nothing(qtbot, db, bus):
    dialog = open_dialog(qtbot, bus)
    spin(dialog, "low_response").setValue(30)  # valid, yet not stored either
    dialog.findChild(QPlainTextEdit, "team").setPlainText("赵敏\n" + "长" * 101)
    refused(qtbot, dialog, bus)
    assert error(dialog, "team").text() == "Too long: at most 100 characters."
    assert complaint_settings.load().deadlines["low"] == K.DEFAULT_DEADLINES["low"]


def test_corrected_then_saved(qtbot, db, bus):
    dialog = open_dialog(qtbot, bus)
    spin(dialog, "low_resolution").setValue(0)
    refused(qtbot, dialog, bus)
    spin(dialog, "low_resolution").setValue(80)
    save(qtbot, dialog)
    assert not dialog.isVisible() and dialog.form.shown() == {}
    assert complaint_settings.load().deadlines["low"] == (24, 80) and bus.published
