"""The complaint statistics page on its own (crmdesk.ui.complaints.charts): the
headline figures and the four charts for a pinned "now", the period and owner filters, an
empty database, the satisfaction scale in the settings, refreshing on changes, and the
figures to Excel through the button."""
from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook
from PySide6.QtCharts import QBarCategoryAxis, QCategoryAxis
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from crmdesk.core.changes import Changes
from crmdesk.core.complaints import flow as complaint_flow, settings as complaint_settings, complaints
from crmdesk.core.customers import archive as customers
from crmdesk.ui.complaints.charts import ComplaintStatsView, values

D = dt.datetime
NOW = D(2026, 4, 20, 10)


@pytest.fixture
def desk(db):
    """Three complaints: one walked through to closing (received Friday 2026-02-13, very
    satisfied), one open from March (high), one open from June 2025 (low, another owner)."""
    a = customers.create({"name": "上海明华贸易有限公司", "owner": "张伟"})[0]
    b = customers.create({"name": "恒通电子", "owner": "王芳"})[0]
    done = complaints.create({"customer_id": a, "category": "delivery", "words": "货晚到了三天",
                              "received_at": D(2026, 2, 13, 17), "severity": "normal"}).complaint_id
    complaint_flow.acknowledge(done, "已致电客户", at=D(2026, 2, 16, 9, 30))
    complaint_flow.investigate(done, at=D(2026, 2, 16, 10))
    complaint_flow.propose(done, {"facts": "物流延误", "solution": "补发"}, at=D(2026, 2, 16, 14))
    complaint_flow.resolve(done, at=D(2026, 2, 17, 10))
    complaint_flow.close(done, 5, "满意", at=D(2026, 2, 18, 10))
    complaints.create({"customer_id": b, "category": "product_quality", "words": "坏了", "severity": "high",
                       "received_at": D(2026, 3, 2, 9)})
    complaints.create({"customer_id": b, "category": "other", "words": "去年的", "severity": "low",
                       "received_at": D(2025, 6, 2, 9)})
    return done


def make_view(qtbot) -> ComplaintStatsView:
    view = ComplaintStatsView()
    qtbot.addWidget(view)
    view.now = NOW
    view.refresh()
    return view


def text(view, name: str) -> str:
    return view.findChild(QLabel, name).text()


def categories(chart) -> list[str]:
    """The names along a chart's bars, in the order ``values`` gives the bars."""
    for axis in chart.axes():
        if isinstance(axis, QCategoryAxis):
            return list(axis.categoriesLabels())
        if isinstance(axis, QBarCategoryAxis):
            return list(axis.categories())[::-1 if chart.property("topFirst") else 1]
    return []


def by_month(chart) -> dict[str, tuple]:
    """{"25-06": (received, resolved)} for the months with complaints (whether the chart
    names "2025-06" or "25-06", and whether it shows the months without any)."""
    received, resolved = values(chart)[:2]
    assert len(received) == len(resolved)
    shown = categories(chart)
    if len(shown) == len(received):
        months = [m[-5:] for m in shown]
    else:  # only every n-th month named, the first among them: count on from it
        year, month = (int(p) for p in shown[0].split("-"))
        months = []
        for _ in received:
            months.append(f"{year % 100:02d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return {m: (a, b) for m, a, b in zip(months, received, resolved) if a or b}


def test_the_headline_figures(qtbot, desk):
    view = make_view(qtbot)
    assert view.period.objectName() == "statsPeriod" and view.period.currentIndex() == 0  # last 12 months
    assert text(view, "statsTotal") == "Complaints: 3"
    assert text(view, "statsOpen") == "Open: 2"
    assert text(view, "statsOverdue") == "Overdue now: 2"
    assert text(view, "statsRepeat") == "Repeat complaints: 0"
    assert text(view, "statsOnTime") == "Resolved within the deadline: 100%"
    # 8 business hours from Friday 17:00 ran out on Saturday 14th (a working day before the
    # Spring Festival); the answer came on Monday 16th after the holiday: 10 hours, late
    assert text(view, "statsResponseOnTime") == "First answered in time: 0%"
    assert text(view, "statsAvgResponse") == "To first response: 10.0 business hours"
    assert text(view, "statsAvgResolution") == "To resolution: 10.0 business hours"
    assert text(view, "statsSatisfaction") == "Satisfaction: 5.0 / 5, satisfied 100%"
    assert view.findChild(QLabel, "statsEmpty").isHidden()


def test_the_charts(qtbot, desk):
    view = make_view(qtbot)
    assert values(view.category_chart) == [[1, 0, 0, 0, 1, 0, 1]]
    assert categories(view.category_chart)[0] == "Product quality"
    assert values(view.severity_chart) == [[1, 1, 1, 0]]
    assert categories(view.severity_chart) == ["Low", "Normal", "High", "Critical"]
    assert by_month(view.month_chart) == {"25-06": (1, 0), "26-02": (1, 1), "26-03": (1, 0)}
    assert values(view.satisfaction_chart) == [[0, 0, 0, 0, 1]]
    assert categories(view.satisfaction_chart) == ["Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied",
                                                   "Very satisfied"]


def test_the_period(qtbot, desk):
    view = make_view(qtbot)
    view.period.setCurrentIndex(view.period.findData("year"))
    assert text(view, "statsTotal") == "Complaints: 2"
    assert values(view.severity_chart) == [[0, 1, 1, 0]]
    view.period.setCurrentIndex(view.period.findData("all"))
    assert text(view, "statsTotal") == "Complaints: 3"
    view.now = D(2027, 9, 1, 9)  # a year later, the last 12 months hold none of them
    view.period.setCurrentIndex(view.period.findData("months"))
    assert text(view, "statsTotal") == "Complaints: 0"
    assert not view.findChild(QLabel, "statsEmpty").isHidden()


def test_the_owner(qtbot, desk):
    view = make_view(qtbot)
    owner = view.owner
    assert owner.objectName() == "statsOwner" and owner.currentData() == ""  # everyone
    assert {owner.itemData(i) for i in range(owner.count())} == {"", "张伟", "王芳"}
    owner.setCurrentIndex(owner.findData("王芳"))
    assert text(view, "statsTotal") == "Complaints: 2"
    assert text(view, "statsOnTime") == "Resolved within the deadline: —"
    assert text(view, "statsAvgResolution") == "To resolution: —"
    assert values(view.satisfaction_chart) == [[0, 0, 0, 0, 0]]


def test_an_empty_database(qtbot, db):
    view = make_view(qtbot)
    view.show()
    qtbot.waitExposed(view)
    empty = view.findChild(QLabel, "statsEmpty")
    assert empty.isVisible() and "No complaints" in empty.text()
    assert text(view, "statsTotal") == "Complaints: 0"
    assert text(view, "statsSatisfaction") == "Satisfaction: — / 5, satisfied —"
    assert values(view.category_chart) == [[0] * 7]
    assert len(values(view.month_chart)) == 3 and not any(any(v) for v in values(view.month_chart))


def test_a_seven_level_scale(qtbot, desk):
    complaint_settings.save(complaint_settings.load().deadlines, {"satisfaction_scale": 7})
    view = make_view(qtbot)
    assert len(categories(view.satisfaction_chart)) == 7
    assert categories(view.satisfaction_chart)[4] == "Somewhat satisfied"
    assert values(view.satisfaction_chart) == [[0, 0, 0, 0, 0, 0, 1]]  # very satisfied stays very satisfied


def test_changes_refresh_the_figures(qtbot, desk):
    view = make_view(qtbot)
    other = customers.create({"name": "Acme Trading"})[0]
    made = complaints.create({"customer_id": other, "category": "other", "words": "…",
                              "received_at": D(2026, 4, 7, 9)})
    view.on_changes(Changes.reset("visit"))  # not about complaints
    qtbot.wait(400)
    assert text(view, "statsTotal") == "Complaints: 3"
    for change in made.changes:
        view.on_changes(change)
    qtbot.waitUntil(lambda: text(view, "statsTotal") == "Complaints: 4")
    complaint_settings.save(complaint_settings.load().deadlines, {"satisfaction_scale": 7})
    view.on_changes(Changes.reset("complaint_settings"))
    qtbot.waitUntil(lambda: len(categories(view.satisfaction_chart)) == 7)


def test_export_through_the_button(qtbot, desk, tmp_path, monkeypatch):
    view = make_view(qtbot)
    target = tmp_path / "统计 stats.xlsx"
    monkeypatch.setattr("crmdesk.ui.common.save_dialog.QFileDialog.getSaveFileName",
                        lambda *args, **kwargs: (str(target), "Excel (*.xlsx)"))
    qtbot.mouseClick(view.findChild(type(view.export_button), "statsExport"), Qt.MouseButton.LeftButton)
    book = load_workbook(target)
    assert book.sheetnames == ["Statistics", "By category", "By severity", "By month", "Satisfaction"]
    rows = {r[0]: r[1] for r in book["Statistics"].iter_rows(min_row=2, values_only=True)}
    assert rows["Complaints"] == 3 and rows["Open"] == 2 and rows["Average satisfaction (1-5)"] == 5
    months = list(book["By month"].iter_rows(min_row=2, values_only=True))
    assert months == [("2025-06", 1, 0, 0), ("2026-02", 1, 1, 1), ("2026-03", 1, 0, 0)]


def test_export_cancelled_writes_nothing(qtbot, desk, tmp_path, monkeypatch):
    view = make_view(qtbot)
    monkeypatch.setattr("crmdesk.ui.common.save_dialog.QFileDialog.getSaveFileName",
                        lambda *args, **kwargs: ("", ""))
    assert view.export() is None and list(tmp_path.glob("*.xlsx")) == []


def test_export_to_a_path_follows_the_owner(qtbot, desk, tmp_path):
    view = make_view(qtbot)
    view.owner.setCurrentIndex(view.owner.findData("张伟"))
    path = view.export(tmp_path / "zhang.xlsx")
    rows = {r[0]: r[1] for r in load_workbook(path)["Statistics"].iter_rows(min_row=2, values_only=True)}
    assert rows["Complaints"] == 1 and rows["Resolved"] == 1
