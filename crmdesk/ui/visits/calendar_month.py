"""The visit calendar's month view: a 6×7 grid of day cells under a row of weekday names,
each cell with as many of its visits as fit and "+N more" for the rest; its painting, and
what is dropped where while a visit is dragged (``calendar_paint`` holds the day and week
views and what both share)."""
from __future__ import annotations

import datetime as dt
import html
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen

from crmdesk.core.visits.planning import CalendarItem
from crmdesk.ui.visits.calendar_paint import CLASH, CLOSED, TODAY, clock, colours, paint_box, paint_warning


@dataclass
class Line:
    item: CalendarItem
    rect: QRect
    text: str


@dataclass
class Cell:
    day: dt.date
    rect: QRect
    date_rect: QRect
    items: list[CalendarItem]  # all of the day's visits
    lines: list[Line] = field(default_factory=list)  # those that fit
    more_rect: QRect = field(default_factory=QRect)
    more_text: str = ""


class Month:
    """A 6×7 grid of day cells under a row of weekday names, Monday first."""

    def __init__(self, size: QSize, first: dt.date, month: int, items: Sequence[CalendarItem],
                 fm: QFontMetrics, more_text: Callable[[int], str]):
        self.month = month
        self.header = fm.height() + 10
        self.xs = [round(c * (size.width() - 1) / 7) for c in range(8)]
        self.ys = [self.header + round(r * (size.height() - 1 - self.header) / 6) for r in range(7)]
        by_day: dict[dt.date, list[CalendarItem]] = defaultdict(list)
        for item in items:
            by_day[item.starts_at.date()].append(item)
        line = fm.height() + 3
        self.cells: list[Cell] = []
        for i in range(42):
            row, col = divmod(i, 7)
            day = first + dt.timedelta(days=i)
            rect = QRect(self.xs[col], self.ys[row], self.xs[col + 1] - self.xs[col], self.ys[row + 1] - self.ys[row])
            cell = Cell(day, rect, QRect(rect.left() + 3, rect.top() + 3, fm.horizontalAdvance("00") + 12,
                                         fm.height() + 4), by_day.get(day, []))
            top = rect.top() + fm.height() + 9
            fits = max(0, (rect.bottom() - 2 - top) // line)
            todo = cell.items
            shown = todo if len(todo) <= fits else todo[:max(0, fits - 1)]
            width = rect.width() - 6
            for k, item in enumerate(shown):
                text = fm.elidedText(f"{clock(item.starts_at)} {item.customer_name}", Qt.TextElideMode.ElideRight,
                                     width - (18 if item.clash else 8))
                cell.lines.append(Line(item, QRect(rect.left() + 3, top + k * line, width, line), text))
            if len(shown) < len(todo) and fits:
                cell.more_text = more_text(len(todo) - len(shown))
                cell.more_rect = QRect(rect.left() + 3, top + len(shown) * line,
                                       min(width, fm.horizontalAdvance(cell.more_text) + 8), line)
            self.cells.append(cell)

        self.line_of = {line.item.id: line for cell in self.cells for line in cell.lines}

    def cell_at(self, pos: QPoint) -> Optional[Cell]:
        if not (self.xs[0] <= pos.x() < self.xs[-1] and self.ys[0] <= pos.y() < self.ys[-1]):
            return None
        return self.cells[(bisect_right(self.ys, pos.y()) - 1) * 7 + bisect_right(self.xs, pos.x()) - 1]

    def cell_of(self, day: dt.date) -> Optional[Cell]:
        index = (day - self.cells[0].day).days
        return self.cells[index] if 0 <= index < 42 else None

    def item_at(self, pos: QPoint) -> Optional[CalendarItem]:
        cell = self.cell_at(pos)
        return next((line.item for line in cell.lines if line.rect.contains(pos)), None) if cell else None

    def rect_of(self, visit_id: int) -> QRect:
        line = self.line_of.get(visit_id)
        return QRect(line.rect) if line else QRect()

    def point_of(self, when: dt.datetime) -> QPoint:
        cell = self.cell_of(when.date())
        return cell.rect.center() if cell else QPoint(-1, -1)


def paint_month(p: QPainter, month: Month, pal: QPalette, today: dt.date, current: dt.date, selected: int,
                day_names: Sequence[str], focus: bool) -> None:
    mid = pal.color(QPalette.ColorRole.Mid)
    fm = p.fontMetrics()
    p.fillRect(QRect(0, 0, month.xs[-1] + 1, month.header), pal.color(QPalette.ColorRole.Window))
    p.setPen(pal.color(QPalette.ColorRole.PlaceholderText))
    for col in range(7):
        p.drawText(QRect(month.xs[col], 0, month.xs[col + 1] - month.xs[col], month.header),
                   Qt.AlignmentFlag.AlignCenter, day_names[col])
    bold = QFont(p.font())
    bold.setBold(True)
    normal = QFont(p.font())
    for cell in month.cells:
        inside = cell.day.month == month.month
        p.fillRect(cell.rect, pal.color(QPalette.ColorRole.Base if inside else QPalette.ColorRole.Window))
        if cell.day == today:
            tint = QColor(TODAY)
            tint.setAlpha(22)
            p.fillRect(cell.rect, tint)
        p.setPen(mid)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(cell.rect)
        if cell.day == current:
            p.setPen(QPen(pal.color(QPalette.ColorRole.Highlight), 2 if focus else 1))
            p.drawRect(cell.rect.adjusted(1, 1, -1, -1))
        p.setFont(bold)
        if cell.day == today:
            size = fm.height() + 4
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(TODAY)
            p.drawEllipse(QRectF(cell.date_rect.left(), cell.date_rect.top(), size + 4, size))
            p.setPen(QColor("white"))
            p.drawText(QRect(cell.date_rect.left(), cell.date_rect.top(), size + 4, size),
                       Qt.AlignmentFlag.AlignCenter, str(cell.day.day))
        else:
            p.setPen(pal.color(QPalette.ColorRole.WindowText) if inside
                     else pal.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText))
            p.drawText(cell.date_rect.adjusted(3, 0, 0, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                       str(cell.day.day))
        for line in cell.lines:
            paint_line(p, line, line.item.id == selected, inside, normal)
        if cell.more_text:
            p.setFont(bold)
            p.setPen(pal.color(QPalette.ColorRole.PlaceholderText))
            p.drawText(cell.more_rect.adjusted(4, 0, 0, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                       cell.more_text)
    p.setFont(normal)


def paint_line(p: QPainter, line: Line, selected: bool, inside: bool, font: QFont) -> None:
    strong, light = colours(line.item.state)
    if not inside:
        strong.setAlpha(150)
    r = QRectF(line.rect).adjusted(0.5, 0.5, -0.5, -0.5)
    if selected or line.item.clash:
        p.setPen(QPen(CLASH, 1.5) if line.item.clash else Qt.PenStyle.NoPen)
        p.setBrush(light if selected else Qt.BrushStyle.NoBrush)
        p.drawRoundedRect(r, 3, 3)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(strong)
    p.drawEllipse(QPointF(r.left() + 4, r.center().y()), 2.5, 2.5)
    text_font = QFont(font)
    text_font.setStrikeOut(line.item.state in CLOSED)
    p.setFont(text_font)
    p.setPen(strong)
    p.drawText(r.adjusted(9, 0, 0, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, line.text)
    if line.item.clash:
        paint_warning(p, QPointF(r.right() - 7, r.center().y()), 9)


def paint_month_drop(p: QPainter, month: Month, item: CalendarItem, target: dt.datetime, pos: QPoint,
                     pal: QPalette) -> None:
    """The day cell a dragged visit would move to, and the visit beside the mouse."""
    cell = month.cell_of(target.date())
    if cell is None:
        return
    p.setPen(QPen(pal.color(QPalette.ColorRole.Highlight), 2, Qt.PenStyle.DashLine))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRect(cell.rect.adjusted(2, 2, -2, -2))
    paint_box(p, QRectF(pos.x() + 8, pos.y() - 10, min(cell.rect.width(), 180), p.fontMetrics().height() + 4),
              item, starts_at=target)


def hidden_html(cell: Cell, limit: int = 20) -> str:
    """The visits under a cell's "+N more", for its tooltip."""
    hidden = cell.items[len(cell.lines):len(cell.lines) + limit]
    return "<br>".join(html.escape(f"{clock(i.starts_at)} {i.customer_name}") for i in hidden)
