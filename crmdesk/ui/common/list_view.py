"""The table view every lazy list uses: whole rows selected, read-only, compact rows,
sorted by the model (in SQL) when a header is clicked."""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from crmdesk.ui.common.table_model import LazyTableModel


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
    header = view.horizontalHeader()
    for signal in (model.modelReset, model.headerDataChanged, model.columnsInserted, model.layoutChanged):
        signal.connect(lambda *_args, h=header: fit_header(h))
    fit_header(header)
    return view


def header_text_width(header: QHeaderView, section: int) -> int:
    """The width ``section`` needs to show its whole title, with the sort indicator and the
    style's margins (from the header's own font metrics, so bold or CJK titles fit too)."""
    return header.sectionSizeFromContents(section).width()


def fit_header(header: QHeaderView) -> None:
    """Widen every section that is narrower than its title (a new column, a new language,
    or widths saved narrower): never narrower than the title, otherwise as the user left it."""
    for section in range(header.count()):
        need = header_text_width(header, section)
        if header.sectionSize(section) < need and not header.isSectionHidden(section):
            header.resizeSection(section, need)


def size_columns(view: QTableView, samples: dict[int, str], stretch: Optional[int] = None) -> None:
    """Default widths from content: each column as wide as its title or its sample text
    (a date and time, a code), whichever is wider; ``stretch`` takes the space left."""
    header = view.horizontalHeader()
    fm = view.fontMetrics()
    pad = 2 * view.style().pixelMetric(view.style().PixelMetric.PM_FocusFrameHMargin) + 12
    for column in range(header.count()):
        sample = fm.horizontalAdvance(samples[column]) + pad if column in samples else 0
        header.resizeSection(column, max(header_text_width(header, column), sample))
    if stretch is not None:
        header.setStretchLastSection(False)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
