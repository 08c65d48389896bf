"""The table view every lazy list uses: whole rows selected, read-only, compact rows,
sorted by the model (in SQL) when a header is clicked."""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

from crmdesk.ui.table_model import LazyTableModel


def lazy_view(parent: QWidget, model: LazyTableModel, name: str, sort_column: Optional[int] = None,
              multi: bool = True) -> QTableView:
    """A view of ``model``; ``sort_column``: sortable, showing that column ascending. The
    indicator is set before sorting is enabled, with the model's signals held, so that
    enabling it doesn't run (and show) extra queries while the tab is being built."""
    view = QTableView(parent)
    view.setObjectName(name)
    view.setModel(model)
    if sort_column is not None:
        view.horizontalHeader().setSortIndicator(sort_column, Qt.SortOrder.AscendingOrder)
        model.blockSignals(True)
        view.setSortingEnabled(True)
        model.blockSignals(False)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if multi
                          else QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setDefaultSectionSize(24)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    return view
