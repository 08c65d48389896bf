"""The complaint statistics page: the period's headline figures (complaints, open, overdue,
resolved within the deadline, answered in time, average business hours to the first
response and to the resolution, repeats, satisfaction) and four charts (by category, by
month received and resolved, satisfaction on the scale in the settings, by severity), and
the same figures to Excel."""
from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Optional

from PySide6.QtCharts import QChartView
from PySide6.QtCore import QTimer
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (QComboBox, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout,
                               QWidget)

from crmdesk.core.changes import Changes
from crmdesk.core.complaints import settings as complaint_settings, stats as complaint_stats
from crmdesk.ui.complaints import labels as CL
from crmdesk.ui.common import formatting
from crmdesk.ui.common.filters import refill

from crmdesk.ui.common.charts import COLORS, bar_chart as _chart, names, nice_step, values  # noqa: F401 - the tests read these here


def months_between(by_month: list[complaint_stats.Month], start: Optional[dt.date], end: Optional[dt.date],
                   today: dt.date) -> list[complaint_stats.Month]:
    """Every month of the period up to this one, those without complaints as zeros (the
    figures name only months that have some; a chart that skipped the others would put
    March beside June)."""
    known = {m.month: m for m in by_month}
    if start is None:
        if not by_month:
            return []
        start = dt.date.fromisoformat(min(known) + "-01")
    last = today.replace(day=1)
    if end is not None:
        last = min(last, (end - dt.timedelta(days=1)).replace(day=1))
    last = max(last, dt.date.fromisoformat(max(known) + "-01")) if known else last
    months, day = [], start.replace(day=1)
    while day <= last:
        key = f"{day:%Y-%m}"
        months.append(known.get(key, complaint_stats.Month(key, 0, 0, 0)))
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


class ComplaintStatsView(QWidget):
    def __init__(self, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setObjectName("complaintStats")
        self.now: Optional[dt.datetime] = None  # tests pin it
        self.stats: Optional[complaint_stats.Stats] = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(300)
        self.timer.timeout.connect(self.reload)
        self.period = QComboBox(self)
        self.period.setObjectName("statsPeriod")
        for key, text in (("months", self.tr("Last 12 months")), ("year", self.tr("This year")),
                          ("last_year", self.tr("Last year")), ("all", self.tr("All time"))):
            self.period.addItem(text, key)
        self.owner = QComboBox(self)
        self.owner.setObjectName("statsOwner")
        self.owner.setMinimumContentsLength(8)
        self.owner.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.export_button = QPushButton(self.tr("Export to Excel…"), self)
        self.export_button.setObjectName("statsExport")
        self.export_button.clicked.connect(lambda: self.export())
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Received"), self))
        top.addWidget(self.period)
        top.addWidget(QLabel(self.tr("Owner"), self))
        top.addWidget(self.owner)
        top.addStretch(1)
        top.addWidget(self.export_button)
        self.figures: dict[str, QLabel] = {}
        grid = QGridLayout()
        names = ("total", "open", "overdue", "repeat", "on_time", "response_on_time", "avg_response",
                 "avg_resolution", "satisfaction")
        for index, name in enumerate(names):
            label = QLabel(self)
            label.setObjectName("stats" + "".join(p.capitalize() for p in name.split("_")))
            label.setStyleSheet("padding: 4px 10px; background: #f4f6fa; border-radius: 4px;")
            self.figures[name] = label
            grid.addWidget(label, index // 5, index % 5)
        self.empty = QLabel(self.tr("No complaints were received in this period."), self)
        self.empty.setObjectName("statsEmpty")
        self.empty.setStyleSheet("color: #666; padding: 8px;")
        self.views = [QChartView(self) for _ in range(4)]
        charts = QGridLayout()
        for index, view in enumerate(self.views):
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumHeight(220)
            charts.addWidget(view, index // 2, index % 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(grid)
        layout.addWidget(self.empty)
        layout.addLayout(charts, 1)
        self.reload_owners()
        self.period.currentIndexChanged.connect(lambda _i: self.refresh())
        self.owner.currentIndexChanged.connect(lambda _i: self.refresh())

    def reload_owners(self) -> None:
        refill(self.owner, self.tr("Everyone"), complaint_settings.people())

    def moment(self) -> dt.datetime:
        return self.now or dt.datetime.now().replace(second=0, microsecond=0)

    def period_range(self) -> tuple[Optional[dt.date], Optional[dt.date]]:
        today = self.moment().date()
        key = self.period.currentData()
        if key == "months":
            return complaint_stats.last_months(today)
        if key == "year":
            return dt.date(today.year, 1, 1), dt.date(today.year + 1, 1, 1)
        if key == "last_year":
            return dt.date(today.year - 1, 1, 1), dt.date(today.year, 1, 1)
        return None, None

    def on_changes(self, changes: Changes) -> None:
        """Figures move with complaints, settings (the scale, the team) and customers
        coming or going; many changes at once make one reload."""
        if changes.entity in ("complaint", "*", "complaint_settings") or (
                changes.entity == "customer" and changes.kind != "updated"):
            self.timer.start()

    def reload(self) -> None:
        """The owners (a new customer's owner, the team) and the figures."""
        self.reload_owners()
        self.refresh()

    def _share(self, value: Optional[float]) -> str:
        return "—" if value is None else f"{value * 100:.0f}%"

    def _hours(self, value: Optional[float]) -> str:
        return "—" if value is None else self.tr("{hours} business hours").format(hours=formatting.number(value, 1))

    def refresh(self) -> None:
        self.timer.stop()
        start, end = self.period_range()
        stats = complaint_stats.statistics(start, end, self.owner.currentData() or "", self.moment())
        self.stats = stats
        f = self.figures
        f["total"].setText(self.tr("Complaints: {n}").format(n=stats.total))
        f["open"].setText(self.tr("Open: {n}").format(n=stats.open))
        f["overdue"].setText(self.tr("Overdue now: {n}").format(n=stats.overdue))
        f["repeat"].setText(self.tr("Repeat complaints: {n}").format(n=stats.repeat))
        f["on_time"].setText(self.tr("Resolved within the deadline: {share}").format(share=self._share(stats.on_time_share)))
        f["response_on_time"].setText(self.tr("First answered in time: {share}").format(
            share=self._share(stats.response_on_time_share)))
        f["avg_response"].setText(self.tr("To first response: {hours}").format(hours=self._hours(stats.avg_response_hours)))
        f["avg_resolution"].setText(self.tr("To resolution: {hours}").format(hours=self._hours(stats.avg_resolution_hours)))
        average = "—" if stats.avg_satisfaction is None else formatting.number(stats.avg_satisfaction, 1)
        f["satisfaction"].setText(self.tr("Satisfaction: {average} / 5, satisfied {share}").format(
            average=average, share=self._share(stats.satisfied_share)))
        self.empty.setVisible(stats.total == 0)
        self.category_chart = _chart(self.tr("By category"), [CL.label("category", k) for k, _n in stats.by_category],
                                     [(self.tr("Complaints"), [n for _k, n in stats.by_category])], horizontal=True,
                                     top_first=True)
        months = months_between(stats.by_month, start, end, self.moment().date())
        self.month_chart = _chart(self.tr("By month of receipt"), [m.month for m in months],
                                  [(self.tr("Complaints"), [m.received for m in months]),
                                   (self.tr("Resolved"), [m.resolved for m in months]),
                                   (self.tr("Resolved in time"), [m.on_time for m in months])],
                                  label_every=max(1, math.ceil(len(months) / 6)), lines=len(months) > 18)
        # lowest level at the bottom, as the levels are ranked (the categories read from the top)
        self.satisfaction_chart = _chart(self.tr("Satisfaction after closing"), CL.levels(stats.scale),
                                         [(self.tr("Customers"), stats.satisfaction)], horizontal=True)
        self.severity_chart = _chart(self.tr("By severity"), [CL.label("severity", k) for k, _n in stats.by_severity],
                                     [(self.tr("Complaints"), [n for _k, n in stats.by_severity])])
        for view, chart in zip(self.views, (self.category_chart, self.month_chart, self.satisfaction_chart,
                                            self.severity_chart)):
            old = view.chart()
            view.setChart(chart)
            if old is not None:
                old.deleteLater()

    def export(self, path: Optional[Path] = None) -> Optional[Path]:
        from crmdesk.core.errors import CrmError
        from crmdesk.core.complaints import export as complaint_export
        from crmdesk.ui.imports.wizard import ui_lang
        from crmdesk.ui.errors import show_error
        from crmdesk.ui.common.save_dialog import workbook_path
        path = workbook_path(self, path, self.tr("Export the statistics"), self.tr("complaint statistics.xlsx"))
        if path is None:
            return None
        if self.stats is None:
            self.refresh()
        try:
            written = complaint_export.export_statistics(path, self.stats, ui_lang())
        except CrmError as error:
            show_error(self, error)
            return None
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(self.tr("Exported the statistics to {path}.").format(path=written), 10000)
        return written
