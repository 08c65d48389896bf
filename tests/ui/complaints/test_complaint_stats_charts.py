"""How the statistics page draws its figures so they can be read: long names beside
horizontal bars (first category on top, lowest satisfaction level at the bottom), every
month of the period with the empty ones as zeros, every n-th month named and lines past a
year and a half, whole-number ticks; the owners follow the team; a customer's edit moves
nothing; a refused export writes nothing. And the settings dialog names the chosen scale's
levels in full."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCharts import QLineSeries, QValueAxis
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from crmdesk.core.changes import Changes
from crmdesk.core.complaints import settings as complaint_settings, complaints
from crmdesk.core.customers import archive as customers
from crmdesk.core.complaints.stats import Month
from crmdesk.ui.complaints.charts import ComplaintStatsView, months_between, names, nice_step, values

D = dt.datetime


@pytest.fixture
def view(qtbot, db):
    widget = ComplaintStatsView()
    qtbot.addWidget(widget)
    widget.now = D(2026, 4, 20, 10)
    widget.refresh()
    return widget


def log(customer_id: int, category: str, received: dt.datetime) -> complaints.Written:
    return complaints.create({"customer_id": customer_id, "category": category, "words": "…",
                              "received_at": received})


def test_names_beside_horizontal_bars(view):
    for chart in (view.category_chart, view.satisfaction_chart):
        assert chart.series()[0].metaObject().className() == "QHorizontalBarSeries"
    # a bar category axis draws its first name at the bottom: the categories are handed over
    # reversed, so the list reads from the top; the levels are ranked, lowest at the bottom
    axis = next(a for a in view.category_chart.axes(Qt.Orientation.Vertical))
    assert axis.categories()[-1] == "Product quality" and names(view.category_chart)[0] == "Product quality"
    axis = next(a for a in view.satisfaction_chart.axes(Qt.Orientation.Vertical))
    assert axis.categories()[0] == "Very dissatisfied"


def test_every_month_of_the_period_and_lines_past_a_year_and_a_half(qtbot, view):
    who = customers.create({"name": "上海明华贸易有限公司", "owner": "张伟"})[0]
    for received in (D(2024, 3, 4, 9), D(2026, 2, 13, 9), D(2026, 4, 14, 9)):
        log(who, "delivery", received)
    view.refresh()
    assert values(view.month_chart)[0] == [0] * 9 + [1, 0, 1]  # May 2025 to April 2026
    assert names(view.month_chart) == ["2025-05", "2025-07", "2025-09", "2025-11", "2026-01", "2026-03"]
    view.period.setCurrentIndex(view.period.findData("all"))
    received = values(view.month_chart)[0]
    assert len(received) == 26 and received[0] == 1 and received[23] == 1 and sum(received) == 3
    assert all(isinstance(s, QLineSeries) for s in view.month_chart.series())
    assert names(view.month_chart) == ["2024-03", "2024-08", "2025-01", "2025-06", "2025-11", "2026-04"]


def test_counts_are_whole_numbers(view):
    axis = next(a for a in view.severity_chart.axes(Qt.Orientation.Vertical) if isinstance(a, QValueAxis))
    assert (axis.min(), axis.max(), axis.tickInterval(), axis.labelFormat()) == (0, 1, 1, "%d")
    assert [nice_step(top) for top in (0, 1, 5, 6, 13, 110, 2400)] == [1, 1, 1, 2, 5, 50, 500]


def test_months_between():
    known = [Month("2025-11", 3, 1, 1), Month("2026-02", 1, 0, 0)]
    assert [(m.month, m.received) for m in months_between(known, None, None, dt.date(2026, 3, 9))] == [
        ("2025-11", 3), ("2025-12", 0), ("2026-01", 0), ("2026-02", 1), ("2026-03", 0)]
    last_year = months_between([], dt.date(2025, 1, 1), dt.date(2026, 1, 1), dt.date(2026, 3, 9))
    assert [m.month for m in last_year] == [f"2025-{n:02d}" for n in range(1, 13)]
    assert months_between([], None, None, dt.date(2026, 3, 9)) == []


def test_the_owners_follow_the_team_and_a_customer_edit_moves_nothing(qtbot, view):
    who = customers.create({"name": "恒通电子", "owner": "王芳"})[0]
    view.on_changes(Changes("customer", "updated", (who,)))
    assert not view.timer.isActive()
    complaint_settings.set_team(["赵敏"])
    view.on_changes(Changes.reset("complaint_settings"))
    qtbot.waitUntil(lambda: view.owner.findData("赵敏") >= 0)
    assert view.owner.findData("王芳") >= 0
    view.owner.setCurrentIndex(view.owner.findData("王芳"))
    written = log(who, "other", D(2026, 4, 16, 9))
    for change in written.changes:
        view.on_changes(change)
    qtbot.waitUntil(lambda: view.figures["total"].text() == "Complaints: 1")
    assert view.owner.currentData() == "王芳"  # the reload keeps the owner chosen


def test_a_refused_export_writes_nothing(view, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr("crmdesk.ui.errors.show_error", lambda parent, error: shown.append(error.code))
    monkeypatch.setattr("crmdesk.ui.common.save_dialog.show_error", lambda parent, error: shown.append(error.code))
    folder = tmp_path / "统计"
    folder.mkdir()
    assert view.export(folder) is None
    assert shown and list(folder.iterdir()) == []


def test_the_settings_dialog_names_the_levels(qtbot, db):
    from crmdesk.ui.complaints.deadlines_dialog import ComplaintSettingsDialog
    from crmdesk.ui.change_bus import ChangeBus
    dialog = ComplaintSettingsDialog(ChangeBus())
    qtbot.addWidget(dialog)
    levels = dialog.findChild(QLabel, "scaleLevels")
    assert levels.text().count("&nbsp;") == 5 * 2 - 1 and "5&nbsp;Very satisfied" in levels.text()
    dialog.scale.setCurrentIndex(dialog.scale.findData(7))
    assert levels.text().count("&nbsp;") == 7 * 2 - 1
    assert "3&nbsp;Somewhat dissatisfied" in levels.text() and "7&nbsp;Very satisfied" in levels.text()
