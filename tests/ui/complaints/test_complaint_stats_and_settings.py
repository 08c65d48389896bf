"""The complaint statistics page (figures and charts from the services, the period, Excel)
and Complaints ▸ Settings (deadlines, working day, scale, follow-up, team; a zero or
negative deadline refused with the sentence under it and nothing stored)."""
from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from crmdesk.core.models import Setting
from crmdesk.core.complaints import flow as complaint_flow, settings as complaint_settings, complaints
from crmdesk.core.customers import archive as customers
from crmdesk.ui.complaints.charts import values

D = dt.datetime


@pytest.fixture
def desk(window):
    a = customers.create({"name": "上海明华贸易有限公司", "owner": "张伟"})[0]
    done = complaints.create({"customer_id": a, "category": "delivery", "words": "晚了",
                              "received_at": D(2026, 3, 2, 9)}).complaint_id
    complaint_flow.acknowledge(done, at=D(2026, 3, 2, 10))
    complaint_flow.investigate(done, at=D(2026, 3, 2, 11))
    complaint_flow.propose(done, {"facts": "延误", "solution": "补发"}, at=D(2026, 3, 3, 9))
    complaint_flow.resolve(done, at=D(2026, 3, 3, 10))
    complaint_flow.close(done, 4, at=D(2026, 3, 4, 10))
    complaints.create({"customer_id": a, "category": "product_quality", "words": "坏了", "severity": "high",
                       "received_at": D(2026, 4, 6, 9)})
    tab = window.show_complaints()
    tab.set_now(D(2026, 4, 20, 10))
    return tab


def test_the_statistics_page(qtbot, desk):
    qtbot.mouseClick(desk.view_buttons.button(2), Qt.MouseButton.LeftButton)
    view = desk.stats
    assert view.figures["total"].text() == "Complaints: 2"
    assert view.figures["overdue"].text() == "Overdue now: 1"
    assert view.figures["on_time"].text() == "Resolved within the deadline: 100%"
    assert view.figures["satisfaction"].text() == "Satisfaction: 4.0 / 5, satisfied 100%"
    assert view.isVisible() and view.empty.isHidden()
    assert values(view.category_chart) == [[1, 0, 0, 0, 1, 0, 0]]
    assert values(view.satisfaction_chart) == [[0, 0, 0, 1, 0]]
    assert values(view.severity_chart) == [[0, 1, 1, 0]]
    # the twelve months to April 2026, those without complaints as zeros
    assert values(view.month_chart) == [[0] * 10 + [1, 1], [0] * 10 + [1, 0], [0] * 10 + [1, 0]]
    view.period.setCurrentIndex(view.period.findData("last_year"))
    assert view.figures["total"].text() == "Complaints: 0" and not view.empty.isHidden()


def test_statistics_to_excel(qtbot, desk, tmp_path):
    desk.show_view(2)
    path = desk.stats.export(tmp_path / "stats.xlsx")
    rows = {r[0]: r[1] for r in load_workbook(path)["Statistics"].iter_rows(min_row=2, values_only=True)}
    assert rows["Complaints"] == 2 and rows["Average satisfaction (1-5)"] == 4


def test_a_new_complaint_moves_the_figures(qtbot, window, desk):
    desk.show_view(2)
    cid = complaints.create({"customer_id": customers.create({"name": "恒通"})[0], "category": "other",
                             "words": "…", "received_at": D(2026, 4, 7, 9)})
    window.bus.publish(*cid.changes)
    qtbot.waitUntil(lambda: desk.stats.figures["total"].text() == "Complaints: 3")


def save(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)


def test_settings_round_trip(qtbot, window):
    dialog = window.complaint_settings()
    dialog.spins["critical.response"].setValue(2)
    dialog.scale.setCurrentIndex(dialog.scale.findData(7))
    dialog.follow_up.setValue(3)
    dialog.team.setPlainText("赵敏\n\n钱伟 ")
    save(qtbot, dialog)
    settings = complaint_settings.load()
    assert settings.deadlines["critical"] == (2, 9) and settings.options.satisfaction_scale == 7
    assert settings.options.follow_up_days == 3 and complaint_settings.team() == ["赵敏", "钱伟"]
    again = window.complaint_settings()
    assert again.spins["critical.response"].value() == 2 and "7 levels" in again.scale.currentText()


@pytest.mark.parametrize("hours", [0, -4])
def test_a_deadline_of_zero_or_negative_hours_is_refused(qtbot, window, hours):
    dialog = window.complaint_settings()
    dialog.spins["normal.resolution"].setValue(hours)
    dialog.team.setPlainText("赵敏")
    save(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.form.shown()["normal.response"] == "A deadline is a whole number of business hours from 1 to 9999."
    assert Setting.select().where(Setting.key.startswith("complaints.")).count() == 0 and complaint_settings.team() == []


def test_the_close_dialog_follows_a_seven_level_scale(qtbot, window, desk):
    complaint_settings.save(complaint_settings.load().deadlines, {"satisfaction_scale": 7})
    from crmdesk.core.models import Complaint
    from crmdesk.ui.complaints.step_dialog import ComplaintStepDialog
    cid = Complaint.get(Complaint.state == "new").id
    for step, at in (("acknowledge", D(2026, 4, 6, 10)), ("investigate", D(2026, 4, 6, 11))):
        getattr(complaint_flow, step)(cid, at=at)
    complaint_flow.propose(cid, {"facts": "x", "solution": "y"}, at=D(2026, 4, 7, 9))
    complaint_flow.resolve(cid, at=D(2026, 4, 7, 10))
    dialog = ComplaintStepDialog(window.bus, cid, "close", window, now=D(2026, 4, 8, 10))
    qtbot.addWidget(dialog)
    assert len(dialog.levels.buttons()) == 7 and dialog.levels.button(5).text() == "Somewhat satisfied"
