"""The Sales tab (销售): its pages side by side in inner tabs — the sales, the pipeline (the
board of deals), the products and the report. Ctrl+N makes what the page shows: a sale, or a
deal on the pipeline. A deal dragged to Won asks for the sale it became, prefilled from it;
Sales ▸ Pipeline stages edits the stages."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from crmdesk.ui.actions import make_action
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.sales.pipeline_page import PipelinePage
from crmdesk.ui.sales.products_page import ProductsPage
from crmdesk.ui.sales.report_page import SalesReportPage
from crmdesk.ui.sales.sale_dialog import SaleDialog
from crmdesk.ui.sales.sales_page import SalesPage
from crmdesk.ui.sales.stages_dialog import StagesDialog


class SalesTab(QWidget):
    def __init__(self, bus: ChangeBus, undo_stack: QUndoStack, parent: Optional[QWidget] = None,
                 today: Optional[dt.date] = None):
        super().__init__(parent)
        self.setObjectName("salesTab")
        self.bus, self.undo_stack = bus, undo_stack
        self.today = today
        self.pages = QTabWidget(self)
        self.pages.setObjectName("salesPages")
        self.pages.setDocumentMode(True)
        self.sales_page = SalesPage(bus, undo_stack, self, today)
        now = dt.datetime.combine(today, dt.time(12)) if today else None
        self.pipeline_page = PipelinePage(bus, undo_stack, self, now)
        self.products_page = ProductsPage(bus, undo_stack, self)
        self.report_page = SalesReportPage(bus, self)
        self.pages.addTab(self.sales_page, self.tr("Sales"))
        self.pages.addTab(self.pipeline_page, self.tr("Pipeline"))
        self.pages.addTab(self.products_page, self.tr("Products"))
        self.pages.addTab(self.report_page, self.tr("Report"))
        self.pipeline_page.won_requested.connect(self.record_won_sale)
        # One Ctrl+N for the tab (the window gives it the shortcut while the tab shows): the
        # pages' own would make it ambiguous, and Qt then runs neither.
        for action in (self.sales_page.new_action, self.pipeline_page.new_action):
            action.setShortcut(QKeySequence())
        self.new_action = make_action(self, self.tr("&New"), self.new_for_page, QKeySequence.StandardKey.New,
                                      "salesNew")
        self.addAction(self.new_action)
        self.stages_action = make_action(self, self.tr("Pipeline &stages…"), self.edit_stages, name="salesStages")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

    def show_page(self, widget: QWidget) -> None:
        self.pages.setCurrentWidget(widget)

    def new_for_page(self) -> None:
        """Ctrl+N: a deal on the pipeline page, a sale anywhere else."""
        if self.pages.currentWidget() is self.pipeline_page:
            self.pipeline_page.new_opportunity()
        else:
            self.new_sale()

    def new_sale(self, customer_id: Optional[int] = None) -> None:
        self.show_page(self.sales_page)
        self.sales_page.new_sale(customer_id)

    def record_won_sale(self, opportunity_id: int) -> Optional[SaleDialog]:
        """A deal was just marked won: the sale it became, prefilled and linked to it. Closing
        the dialog without saving leaves the deal won, with no sale."""
        dialog = SaleDialog(self.bus, opportunity_id=opportunity_id, parent=self, today=self.today)
        dialog.open()
        self.won_dialog = dialog
        return dialog

    def edit_stages(self) -> StagesDialog:
        dialog = StagesDialog(self.bus, self)
        dialog.open()
        self.stages_dialog = dialog
        return dialog

    def stop(self) -> None:
        """The report's computation under way is dropped (the window closes or is rebuilt)."""
        self.report_page.stop()
        self.report_page.tasks.wait(10000)

    def menu_actions(self) -> list:
        """The Sales menu: new sale, new deal, edit and delete the sale, the stages."""
        return [self.sales_page.new_action, self.pipeline_page.new_action, self.sales_page.edit_action,
                self.sales_page.delete_action, None, self.stages_action]
