"""The Sales tab (销售): its pages side by side in inner tabs: Sales and Products here;
others (the pipeline, the report) are added from outside with ``add_page``. Ctrl+N on the
tab records a new sale."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.sales.products_page import ProductsPage
from crmdesk.ui.sales.sales_page import SalesPage


class SalesTab(QWidget):
    def __init__(self, bus: ChangeBus, undo_stack: QUndoStack, parent: Optional[QWidget] = None,
                 today: Optional[dt.date] = None):
        super().__init__(parent)
        self.setObjectName("salesTab")
        self.bus, self.undo_stack = bus, undo_stack
        self.pages = QTabWidget(self)
        self.pages.setObjectName("salesPages")
        self.pages.setDocumentMode(True)
        self.sales_page = SalesPage(bus, undo_stack, self, today)
        self.products_page = ProductsPage(bus, undo_stack, self)
        self.pages.addTab(self.sales_page, self.tr("Sales"))
        self.pages.addTab(self.products_page, self.tr("Products"))
        self.new_action = self.sales_page.new_action
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

    def add_page(self, widget: QWidget, title: str) -> int:
        """Another page of the tab (the pipeline, the report): its index."""
        return self.pages.addTab(widget, title)

    def show_page(self, widget: QWidget) -> None:
        self.pages.setCurrentWidget(widget)

    def new_sale(self, customer_id: Optional[int] = None) -> None:
        self.show_page(self.sales_page)
        self.sales_page.new_sale(customer_id)

    def menu_actions(self) -> list:
        """The Sales menu's own actions (the window adds Sales ▸ Settings after them)."""
        return [self.sales_page.new_action, self.sales_page.edit_action, self.sales_page.delete_action]
