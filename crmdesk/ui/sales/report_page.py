"""The Sales tab's report page: the funnel, the forecast, sales by month and by season,
by product and category, by channel, owner and region, the churn rate, why deals were lost
(by reason, then by owner) and the objections met on visits, for a period.
The figures are worked out in a worker thread (the window stays usable), as the analytics
tab does; each chart's data is a click away as a table, and each goes to Excel (its sheet
alone), or all of them at once."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Optional

from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QProgressBar, QPushButton, QSplitter,
                               QStackedWidget, QVBoxLayout, QWidget)
from PySide6.QtCore import Qt

from crmdesk.core.changes import Changes
from crmdesk.core.errors import CrmError
from crmdesk.core.sales import figures_report
from crmdesk.core.sales.figures import Period
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.common import plural
from crmdesk.ui.common.background_figures import BackgroundFigures
from crmdesk.ui.errors import show_error
from crmdesk.ui.common.filters import view_switcher
from crmdesk.ui.sales import report_charts as C
from crmdesk.ui.common.chart_table import ChartTable

# The views, in the order of their buttons, and the sheet each exports.
VIEWS = ("funnel", "forecast", "months", "seasons", "products", "channels", "owners", "regions", "churn", "reasons",
         "objections")
# The changes after which the figures are worked out again.
WATCHED = ("sale", "transaction", "opportunity", "customer", "product", "sales_settings", "visit", "*")


def ui_lang() -> str:
    from crmdesk.ui.imports.wizard import ui_lang as lang
    return lang()


def period_for(key: str, today: dt.date) -> Period:
    """The period a choice of the page means, in whole months up to today."""
    if key == "year":
        return Period(dt.date(today.year, 1, 1))
    if key == "12m":
        month = today.month - 11
        return Period(dt.date(today.year - (month <= 0), (month - 1) % 12 + 1, 1))
    if key == "quarter":
        return Period(dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1))
    if key == "last_year":
        return Period(dt.date(today.year - 1, 1, 1), dt.date(today.year, 1, 1))
    return Period()


class SalesReportPage(BackgroundFigures, QWidget):
    def __init__(self, bus: ChangeBus, parent=None):
        super().__init__(parent)
        self.setObjectName("salesReportPage")
        self.bus = bus
        self.init_figures()
        self.today: Optional[dt.date] = None  # tests pin it

        top = QHBoxLayout()
        self.view_buttons = view_switcher(self, top, (
            ("salesReportFunnel", self.tr("Funnel")), ("salesReportForecast", self.tr("Forecast")),
            ("salesReportMonths", self.tr("By month")), ("salesReportSeasons", self.tr("Seasons")),
            ("salesReportProducts", self.tr("Products")), ("salesReportChannels", self.tr("Channels")),
            ("salesReportOwners", self.tr("Owners")), ("salesReportRegions", self.tr("Regions")),
            ("salesReportChurn", self.tr("Churn rate")), ("salesReportReasons", self.tr("Lost reasons")),
            ("salesReportObjections", self.tr("Objections"))))
        self.view_buttons.idClicked.connect(self.show_view)
        top.addStretch(1)
        filters = QHBoxLayout()
        self.period = QComboBox(self)
        self.period.setObjectName("salesReportPeriod")
        for key, text in (("year", self.tr("This year")), ("12m", self.tr("Last 12 months")),
                          ("quarter", self.tr("This quarter")), ("last_year", self.tr("Last year")),
                          ("all", self.tr("All time"))):
            self.period.addItem(text, key)
        self.period.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.period.currentIndexChanged.connect(lambda _i: self.refresh())
        self.progress = QProgressBar(self)
        self.progress.setObjectName("salesReportProgress")
        self.progress.setMaximumWidth(180)
        self.progress.hide()
        self.status = QLabel(self)
        self.status.setObjectName("salesReportStatus")
        self.export_button = QPushButton(self.tr("Export all to Excel…"), self)
        self.export_button.setObjectName("salesReportExportAll")
        self.export_button.clicked.connect(lambda: self.export())
        filters.addWidget(QLabel(self.tr("Period:"), self))
        filters.addWidget(self.period)
        filters.addWidget(self.progress)
        filters.addWidget(self.status, 1)
        filters.addWidget(self.export_button)

        self.charts: dict[str, ChartTable] = {}
        self.pages = QStackedWidget(self)
        for key in VIEWS:
            if key == "forecast":
                self.pages.addWidget(self._pair("forecast", "forecastOwners"))
            elif key == "products":
                self.pages.addWidget(self._pair("products", "categories"))
            elif key == "reasons":
                self.pages.addWidget(self._pair("reasons", "reasonOwners"))
            else:
                self.pages.addWidget(self._chart(key, key))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.pages, 1)
        self.show_view(0)
        self.bus.changed.connect(self.on_changes)

    def _chart(self, name: str, sheet: str) -> ChartTable:
        """A chart with its table, and a button writing its sheet to Excel beside the toggle."""
        chart = ChartTable(f"salesReport{name[0].upper()}{name[1:]}", self, C.shown)
        button = QPushButton(self.tr("To Excel…"), chart)
        button.setObjectName(f"{chart.objectName()}Excel")
        button.clicked.connect(lambda: self.export(sheet))
        chart.layout().itemAt(0).layout().addWidget(button)
        chart.excel = button
        self.charts[name] = chart
        return chart

    def _pair(self, first: str, second: str) -> QSplitter:
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self._chart(first, first))
        splitter.addWidget(self._chart(second, first))
        splitter.setChildrenCollapsible(False)
        return splitter

    # ------------------------------------------------------------ computing
    def day(self) -> dt.date:
        return self.today or dt.date.today()

    def current_period(self) -> Period:
        return period_for(self.period.currentData(), self.day())

    def figures_job(self):
        period, today = self.current_period(), self.day()
        return lambda progress: figures_report.build(period, today, progress)

    def show_built(self, built: figures_report.SalesFigures) -> None:
        count = built.sales  # a plain name: lupdate skips a call whose count is an attribute
        self.status.setText(plural.translate("SalesReportPage", "%n sale(s)", "", count))
        lang = ui_lang()
        C.fill_funnel(self.charts["funnel"], built, lang)
        C.fill_forecast(self.charts["forecast"], self.charts["forecastOwners"], built)
        C.fill_months(self.charts["months"], built)
        C.fill_seasons(self.charts["seasons"], built, lang)
        C.fill_shares(self.charts["products"], built, "product", self.tr("Sales by product (10,000 yuan)"),
                      self.tr("Product"), C.TOP_HALF)
        C.fill_shares(self.charts["categories"], built, "category", self.tr("Sales by category (10,000 yuan)"),
                      self.tr("Category"), C.TOP_HALF)
        C.fill_shares(self.charts["channels"], built, "channel", self.tr("Sales by source channel (10,000 yuan)"),
                      self.tr("Channel"))
        C.fill_shares(self.charts["owners"], built, "owner", self.tr("Sales by owner (10,000 yuan)"), self.tr("Owner"))
        C.fill_shares(self.charts["regions"], built, "region", self.tr("Sales by province (10,000 yuan)"),
                      self.tr("Province"))
        C.fill_churn(self.charts["churn"], built)
        C.fill_reasons(self.charts["reasons"], self.charts["reasonOwners"], built)
        C.fill_objections(self.charts["objections"], built)

    # ------------------------------------------------------------ views and exports
    def show_view(self, index: int) -> None:
        self.view_buttons.button(index).setChecked(True)
        self.pages.setCurrentIndex(index)

    def export(self, sheet: Optional[str] = None, path: Optional[Path] = None) -> Optional[Path]:
        """The figures (``sheet``'s alone, or all) to a workbook: ``path``, or asked for."""
        from crmdesk.core.sales.figures_export import export_figures
        from crmdesk.ui.common.save_dialog import workbook_path
        if self.built is None:
            return None
        name = self.tr("sales-figures.xlsx") if sheet is None else self.tr("sales-{sheet}.xlsx").format(sheet=sheet)
        path = workbook_path(self, path, self.tr("Export the sales figures"), name)
        if path is None:
            return None
        try:
            written = export_figures(path, self.built, ui_lang(), only=None if sheet is None else [sheet])
        except CrmError as error:
            show_error(self, error)
            return None
        said = self.tr("Wrote {path}.").format(path=written)
        self.status.setText(said)
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(said, 10000)
        return written

    def on_changes(self, changes: Changes) -> None:
        if changes.entity in WATCHED:
            self.figures_changed(everything=changes.entity == "*")
