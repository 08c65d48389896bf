"""The analytics tab: ABC / 80-20, suggested tiers, lifetime value, loyalty, RFM, churn and
satisfaction, for a period, owner, team, region and tier. The figures are worked out in a worker
thread with a progress bar (the window stays usable); every chart's data is a click away
as a table; the whole report goes to Excel. Suggested tiers are reviewed, ticked and
applied in one undoable step; an at-risk customer gets a win-back visit in one click."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Optional

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QProgressBar, QPushButton,
                               QStackedWidget, QVBoxLayout, QWidget)

from crmdesk.core.analytics import report as analytics_report
from crmdesk.core.analytics import churn, tiers
from crmdesk.core.analytics.churn import CAUSES
from crmdesk.core.analytics.facts import Filter
from crmdesk.core.changes import Changes
from crmdesk.core.errors import CrmError
from crmdesk.core.models import database
from crmdesk.ui.analytics import labels as AL
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.errors import show_error
from crmdesk.ui.common.filters import TeamFilter, refill, view_switcher
from crmdesk.ui.common.labels import choice_label
from crmdesk.ui.common.background_figures import BackgroundFigures
from crmdesk.ui.analytics import pages as P
from crmdesk.ui.common.chart_table import ChartTable, RowsModel, table_view
from crmdesk.ui.welcome.hint_strip import HintStrip

ABC, TIERS, VALUE, LOYALTY, RFM, CHURN, SATISFACTION = range(7)


class ApplyTiers(QUndoCommand):
    """Undo takes the batch back; redo applies the same suggestions again (a new batch)."""

    def __init__(self, bus: ChangeBus, chosen: list, applied: tiers.Applied, text: str):
        super().__init__(text)
        self.bus, self.chosen, self.applied, self.first = bus, chosen, applied, True

    def redo(self) -> None:
        if self.first:  # pushed after it was applied
            self.first = False
            return
        self.applied = tiers.apply(self.chosen)
        self.bus.publish(*self.applied.changes)

    def undo(self) -> None:
        self.bus.publish(*tiers.take_back(self.applied.batch_id).changes)


class AnalyticsTab(BackgroundFigures, QWidget):
    win_back_requested = Signal(int)  # a customer id: the visits tab plans a win-back visit

    def __init__(self, bus: ChangeBus, undo_stack: QUndoStack, parent=None):
        super().__init__(parent)
        self.setObjectName("analyticsTab")
        self.bus, self.undo_stack = bus, undo_stack
        self.init_figures()
        self.dialog = None
        self.today: Optional[dt.date] = None  # tests pin it

        top = QHBoxLayout()
        self.view_buttons = view_switcher(self, top, (
            ("analyticsAbc", self.tr("ABC / 80-20")), ("analyticsTiers", self.tr("Suggested tiers")),
            ("analyticsValue", self.tr("Lifetime value")), ("analyticsLoyalty", self.tr("Loyalty")),
            ("analyticsRfm", self.tr("RFM")), ("analyticsChurn", self.tr("Churn")),
            ("analyticsSatisfaction", self.tr("Satisfaction"))))
        self.view_buttons.idClicked.connect(self.show_view)
        top.addStretch(1)
        self.period = QComboBox(self)
        self.period.setObjectName("analyticsPeriod")
        for key, text in (("12m", self.tr("Last 12 months")), ("year", self.tr("This year")),
                          ("last_year", self.tr("Last year")), ("all", self.tr("All time"))):
            self.period.addItem(text, key)
        self.owner = QComboBox(self)
        self.owner.setObjectName("analyticsOwner")
        self.team = TeamFilter(self, "analyticsTeam", label=False)  # the figures of one team's customers
        self.region = QComboBox(self)
        self.region.setObjectName("analyticsRegion")
        self.tier = QComboBox(self)
        self.tier.setObjectName("analyticsTier")
        self.tier.addItem(self.tr("Every tier"), "")
        for key in ("key", "relationship", "transactional"):
            self.tier.addItem(choice_label("tier", key), key)
        filters = QHBoxLayout()
        for box in (self.period, self.owner, self.team, self.region, self.tier):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(12)
            filters.addWidget(box)
            box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.progress = QProgressBar(self)
        self.progress.setObjectName("analyticsProgress")
        self.progress.setMaximumWidth(180)
        self.progress.hide()
        self.status = QLabel(self)
        self.status.setObjectName("analyticsStatus")
        filters.addWidget(self.progress)
        filters.addWidget(self.status, 1)
        self.export_button = QPushButton(self.tr("Export report…"), self)
        self.export_button.setObjectName("analyticsExport")
        self.export_button.clicked.connect(lambda: self.export_report())
        filters.addWidget(self.export_button)
        self.settings_button = QPushButton(self.tr("Settings…"), self)
        self.settings_button.setObjectName("analyticsSettings")
        self.settings_button.clicked.connect(lambda: self.open_settings())
        filters.addWidget(self.settings_button)

        self.pages = QStackedWidget(self)
        self.abc_page = ChartTable("analyticsAbcPage", self, P.money_or_text)
        self.tiers_model = RowsModel([], parent=self, checkable=True)
        self.tiers_table = table_view(self, self.tiers_model, "analyticsTiersTable")
        self.apply_button = QPushButton(self.tr("Apply the ticked suggestions"), self)
        self.apply_button.setObjectName("analyticsApplyTiers")
        self.apply_button.clicked.connect(self.apply_tiers)
        self.tick_all_button = QPushButton(self.tr("Tick all"), self)
        self.tick_all_button.setObjectName("analyticsTickAll")
        self.tick_all_button.clicked.connect(lambda: self.tiers_model.check_all(True))
        self.untick_all_button = QPushButton(self.tr("Untick all"), self)
        self.untick_all_button.setObjectName("analyticsUntickAll")
        self.untick_all_button.clicked.connect(lambda: self.tiers_model.check_all(False))
        self.tiers_model.dataChanged.connect(lambda *_: self._ticked_changed())
        self.tiers_model.modelReset.connect(self._ticked_changed)
        self.tiers_note = QLabel(self)
        self.tiers_note.setWordWrap(True)
        tiers_page = QWidget(self)
        box = QVBoxLayout(tiers_page)
        box.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.tiers_note, 1)
        row.addWidget(self.tick_all_button)
        row.addWidget(self.untick_all_button)
        row.addWidget(self.apply_button)
        box.addLayout(row)
        box.addWidget(self.tiers_table, 1)
        self.value_page = ChartTable("analyticsValuePage", self, P.money_or_text)
        self.loyalty_page = ChartTable("analyticsLoyaltyPage", self, P.money_or_text)
        self.rfm_page = ChartTable("analyticsRfmPage", self)
        self.risk_model = RowsModel([], parent=self)
        self.risk_table = table_view(self, self.risk_model, "analyticsRiskTable")
        self.win_back_button = QPushButton(self.tr("Plan a win-back visit…"), self)
        self.win_back_button.setObjectName("analyticsWinBack")
        self.win_back_button.clicked.connect(self.plan_win_back)
        self.lost_page = ChartTable("analyticsLostPage", self)
        self.cause = QComboBox(self)
        self.cause.setObjectName("analyticsCause")
        for key in (*CAUSES, ""):
            self.cause.addItem(AL.label("cause", key), key or None)
        self.cause_button = QPushButton(self.tr("Record the cause of the lost customer selected"), self)
        self.cause_button.setObjectName("analyticsRecordCause")
        self.cause_button.clicked.connect(self.record_cause)
        churn_page = QWidget(self)
        box = QVBoxLayout(churn_page)
        box.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.risk_note = QLabel(self)
        row.addWidget(self.risk_note, 1)
        row.addWidget(self.win_back_button)
        box.addLayout(row)
        box.addWidget(self.risk_table, 3)
        box.addWidget(self.lost_page, 2)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cause)
        row.addWidget(self.cause_button)
        box.addLayout(row)
        self.satisfaction_page = ChartTable("analyticsSatisfactionPage", self, P.money_or_text)
        for page in (self.abc_page, tiers_page, self.value_page, self.loyalty_page, self.rfm_page, churn_page,
                     self.satisfaction_page):
            self.pages.addWidget(page)
        layout = QVBoxLayout(self)
        HintStrip.attach(self, "analytics")  # what the tab is for, until dismissed (issue 18)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.pages, 1)
        self.view_buttons.button(ABC).setChecked(True)
        self.reload_choices()
        self.bus.changed.connect(self.on_changes)

    # ------------------------------------------------------------ filters
    def day(self) -> dt.date:
        return self.today or dt.date.today()

    def reload_choices(self) -> None:
        from crmdesk.core.complaints import settings as complaint_settings
        for box in (self.owner, self.region):
            box.blockSignals(True)
        refill(self.owner, self.tr("Everyone"), complaint_settings.people())
        self.team.reload()
        regions = [r[0] for r in database.execute_sql(
            "SELECT province FROM customer WHERE province != '' AND deleted_at IS NULL GROUP BY province "
            "UNION SELECT city FROM customer WHERE city != '' AND deleted_at IS NULL GROUP BY city")]
        refill(self.region, self.tr("Every region"), sorted(regions))
        for box in (self.owner, self.region):
            box.blockSignals(False)

    def current_filter(self) -> Filter:
        today, key = self.day(), self.period.currentData()
        start = end = None
        if key == "12m":
            start = today - dt.timedelta(days=365)
        elif key == "year":
            start = today.replace(month=1, day=1)
        elif key == "last_year":
            start, end = dt.date(today.year - 1, 1, 1), dt.date(today.year, 1, 1)
        return Filter(start=start, end=end, owner=self.owner.currentData() or "", team=self.team.team(),
                      region=self.region.currentData() or "", tier=self.tier.currentData() or "")

    # ------------------------------------------------------------ computing
    def figures_job(self):
        where, today = self.current_filter(), self.day()
        return lambda progress: analytics_report.build(today, where, progress)

    def show_built(self, built: analytics_report.Report) -> None:
        count = len(built.customers)
        self.status.setText(self.tr("%n customer(s)", "", count))
        P.fill_abc(self.abc_page, built)
        self._fill_tiers(built)
        P.fill_value(self.value_page, built)
        P.fill_loyalty(self.loyalty_page, built)
        P.fill_rfm(self.rfm_page, built)
        self.risk_model.headers = [self.tr("Customer No."), self.tr("Customer"), self.tr("Owner"), self.tr("Tier"),
                                   self.tr("Signs"), self.tr("Why")]
        self.risk_model.set_rows(P.churn_rows(built))
        self.risk_table.resizeColumnsToContents()
        self.risk_note.setText(self.tr("At risk: %n customer(s), the most signs first.", "", len(built.at_risk)))
        P.fill_lost(self.lost_page, built)
        P.fill_satisfaction(self.satisfaction_page, built)

    def _fill_tiers(self, built: analytics_report.Report) -> None:
        self.tier_suggestions = list(built.suggestions)
        self.tiers_model.headers = [self.tr("Apply"), self.tr("Customer No."), self.tr("Customer"), self.tr("Tier now"),
                                    self.tr("Suggested tier"), self.tr("Relationship now"),
                                    self.tr("Suggested relationship"), self.tr("Why (class, score)")]
        rows = []
        for s in self.tier_suggestions:
            c = built.customers[s.customer_id]
            rows.append(["", c.code, c.name, choice_label("tier", s.tier), choice_label("tier", s.suggested_tier),
                         choice_label("relationship", s.relationship),
                         choice_label("relationship", s.suggested_relationship), s.why,
                         s])  # past the headers: not shown, and sorted with its row
        self.tiers_model.set_rows(rows)
        self.tiers_table.resizeColumnsToContents()
        self.tiers_note.setText(self.tr("%n customer(s) whose tier or relationship differs from what the figures "
                                        "suggest: tick those to change, then apply.", "", len(rows)))
        self.tick_all_button.setEnabled(bool(rows))
        self.untick_all_button.setEnabled(bool(rows))
        self._ticked_changed()

    def _ticked_changed(self) -> None:
        self.apply_button.setEnabled(bool(self.tiers_model.checked))

    # ------------------------------------------------------------ views and doing
    def show_view(self, index: int) -> None:
        self.view_buttons.button(index).setChecked(True)
        self.pages.setCurrentIndex(index)

    def apply_tiers(self) -> Optional[tiers.Applied]:
        chosen = [self.tiers_model.rows[i][-1] for i in sorted(self.tiers_model.checked)]
        if not chosen:
            return None
        try:
            applied = tiers.apply(chosen)
        except CrmError as error:
            show_error(self, error)
            return None
        if not applied.customers:  # all changed elsewhere since the report: nothing to undo
            self.refresh()
            return applied
        self.undo_stack.push(ApplyTiers(self.bus, chosen, applied, self.tr("Apply suggested tiers: %n", "", applied.customers)))
        self.bus.publish(*applied.changes)
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(self.tr("%n customer's(customers') tier or relationship changed. Ctrl+Z takes it "
                                                   "back.", "", applied.customers), 10000)
        return applied

    def plan_win_back(self) -> None:
        row = self.risk_table.currentIndex().row()
        if 0 <= row < len(self.risk_model.rows):
            self.win_back_requested.emit(self.risk_model.rows[row][-1])

    def open_settings(self):
        from PySide6.QtCore import Qt
        from crmdesk.ui.analytics.settings_dialog import AnalyticsSettingsDialog
        dialog = AnalyticsSettingsDialog(self.bus, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog

    def record_cause(self) -> None:
        """The cause chosen, for the lost customer selected in the table (shown as a table)."""
        row = self.lost_page.table.currentIndex().row()
        if row < 0 or row >= len(self.lost_page.model.rows):
            return
        cid = self.lost_page.model.rows[row][-1]
        try:
            churn.set_cause(cid, self.cause.currentData())
        except CrmError as error:
            show_error(self, error)
            return
        self.bus.publish(Changes("customer", "updated", (cid,)))

    def export_report(self, path: Optional[Path] = None):
        from crmdesk.core.analytics import report_export
        from crmdesk.ui.imports.wizard import ui_lang
        if self.built is None:
            return None
        from crmdesk.ui.common.save_dialog import workbook_path
        path = workbook_path(self, path, self.tr("Export the report"), self.tr("analytics.xlsx"))
        if path is None:
            return None
        try:
            written = report_export.export_report(path, self.built, ui_lang())
        except CrmError as error:
            show_error(self, error)
            return None
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(self.tr("Wrote {path}.").format(path=written), 10000)
        return written

    def on_changes(self, changes: Changes) -> None:
        if changes.entity in ("customer", "transaction", "complaint", "care_event", "*", "analytics_settings",
                              "complaint_settings"):
            self.figures_changed(everything=changes.entity == "*")
            if changes.entity in ("customer", "*"):
                self.reload_choices()

