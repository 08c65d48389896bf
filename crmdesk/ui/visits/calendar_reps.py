"""The week by rep: the visit calendar's layout for "All reps" (issue 18: a week of every
rep in one time grid was 145 unreadable slivers). One row per rep who has visits that week
(by name, "no rep" last), the rep's name at the left, the seven days as columns; each
visit is a box with its time and customer, stacked in the day's cell; what does not fit the
row gathers in a "+N" box. Rows scroll vertically (the calendar's scroll bar).

Layout only and painting, as ``crmdesk.ui.visits.calendar_paint`` for the time grid; the
widget (``VisitCalendar``) keeps the state, events and signals."""
from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cmp_to_key
from typing import Optional, Sequence

from PySide6.QtCore import QCollator, QLocale, QPoint, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QComboBox, QToolButton, QWidget

from crmdesk.core.visits.planning import CalendarItem
from crmdesk.ui import prefs
from crmdesk.ui.visits import calendar_paint as P

MAX_LINES = 3  # boxes stacked in a rep's day before a "+N" box takes the last place
NAME_SHARE = 0.3  # the names' column takes at most this share of the width


@dataclass
class Row:
    rep: str  # "" for visits without a rep
    label: str  # what is shown: the name, or "no rep"
    top: int  # y from the top of the rows (unscrolled)
    height: int
    boxes: list = field(default_factory=list)  # P.Box, rects unscrolled
    more: list = field(default_factory=list)  # P.More


class Reps:
    """Rows of reps by days: the names' column at the left, a header with the days, and the
    rows below it scrolled by ``scroll`` pixels."""

    def __init__(self, size: QSize, days: Sequence[dt.date], fm: QFontMetrics, bar: int,
                 items: Sequence[CalendarItem], no_rep: str):
        self.days = list(days)
        bold = QFont()
        bold.setBold(True)
        self.line = fm.height() + 6
        self.header = fm.height() * 2 + 14
        names = _sorted_reps({item.rep for item in items})
        labels = [rep or no_rep for rep in names]
        widest = max((QFontMetrics(bold).horizontalAdvance(label) for label in labels), default=0)
        self.gutter = min(max(widest + 20, fm.horizontalAdvance("00:00") + 16), int(size.width() * NAME_SHARE))
        self.body = QRect(self.gutter, self.header, max(1, size.width() - self.gutter - bar),
                          max(1, size.height() - self.header))
        n = len(self.days)
        self.xs = [self.body.left() + round(i * self.body.width() / n) for i in range(n + 1)]
        column = {day: i for i, day in enumerate(self.days)}
        cells: dict[str, dict[int, list]] = defaultdict(lambda: defaultdict(list))
        for item in items:
            col = column.get(item.starts_at.date())
            if col is not None:
                cells[item.rep][col].append(item)
        self.rows: list[Row] = []
        top = 0
        for rep, label in zip(names, labels):
            per_day = cells[rep]
            lines = min(MAX_LINES, max((len(v) for v in per_day.values()), default=1))
            row = Row(rep, label, top, lines * self.line + 6)
            for col, day_items in per_day.items():
                self._lay_out_cell(row, col, sorted(day_items, key=lambda i: (i.starts_at, i.id)), lines)
            self.rows.append(row)
            top += row.height
        self.height = top
        self.tops = [row.top for row in self.rows]
        self.box_of = {box.item.id: box for row in self.rows for box in row.boxes}

    def _lay_out_cell(self, row: Row, col: int, items: list, lines: int) -> None:
        left, width = self.xs[col] + 3, self.xs[col + 1] - self.xs[col] - 6
        shown = items if len(items) <= lines else items[:lines - 1]
        for i, item in enumerate(shown):
            row.boxes.append(P.Box(item, QRectF(left, row.top + 3 + i * self.line, width, self.line - 2)))
        if len(shown) < len(items):
            row.more.append(P.More(self.days[col], QRectF(left, row.top + 3 + len(shown) * self.line, width,
                                                          self.line - 2), items[len(shown):]))

    # ------------------------------------------------------------ geometry

    def max_scroll(self) -> int:
        return max(0, self.height - self.body.height())

    def visible(self, scroll: int) -> list[Row]:
        first = max(0, bisect_right(self.tops, scroll) - 1)
        last = bisect_right(self.tops, scroll + self.body.height())
        return self.rows[first:last]

    def row_at(self, pos: QPoint, scroll: int) -> Optional[Row]:
        if not (self.body.top() <= pos.y() <= self.body.bottom()) or pos.x() >= self.xs[-1]:
            return None
        y = pos.y() - self.body.top() + scroll
        i = bisect_right(self.tops, y) - 1
        return self.rows[i] if 0 <= i < len(self.rows) and y < self.rows[i].top + self.rows[i].height else None

    def name_rect(self, row: Row, scroll: int) -> QRect:
        return QRect(0, self.body.top() + row.top - scroll, self.gutter, row.height)

    def rep_at(self, pos: QPoint, scroll: int) -> Optional[Row]:
        """The row whose name is under ``pos``."""
        row = self.row_at(pos, scroll)
        return row if row is not None and pos.x() < self.gutter else None

    def _point(self, pos: QPoint, scroll: int) -> QPointF:
        return QPointF(pos.x(), pos.y() - self.body.top() + scroll)

    def item_at(self, pos: QPoint, scroll: int) -> Optional[CalendarItem]:
        row = self.row_at(pos, scroll)
        point = self._point(pos, scroll)
        return next((box.item for box in row.boxes if box.rect.contains(point)), None) if row else None

    def more_at(self, pos: QPoint, scroll: int) -> Optional[P.More]:
        row = self.row_at(pos, scroll)
        point = self._point(pos, scroll)
        return next((more for more in row.more if more.rect.contains(point)), None) if row else None

    def click_at(self, pos: QPoint, scroll: int) -> tuple[str, Optional[dt.date], Optional[CalendarItem]]:
        """What a click does: a rep's name, or a "+N" in their row, shows only that rep (a
        "+N" of visits without a rep opens its day); a box selects its visit."""
        more = self.more_at(pos, scroll)
        row = self.rep_at(pos, scroll) or (self.row_of_more(more) if more else None)
        if row is not None and row.rep:
            return row.rep, None, None
        if more is not None:
            return "", more.day, None
        return "", None, self.item_at(pos, scroll)

    def row_of_more(self, more: P.More) -> Optional[Row]:
        return next((row for row in self.rows if more in row.more), None)

    def rect_of(self, visit_id: int, scroll: int) -> QRect:
        box = self.box_of.get(visit_id)
        return box.rect.translated(0, self.body.top() - scroll).toRect() if box else QRect()

    def scroll_to(self, visit_id: int, scroll: int) -> int:
        """The scroll that shows the visit's box, ``scroll`` when it is already shown."""
        box = self.box_of.get(visit_id)
        if box is None or scroll <= box.rect.top() and box.rect.bottom() <= scroll + self.body.height():
            return scroll
        return min(self.max_scroll(), max(0, int(box.rect.top()) - self.line))


def _sorted_reps(reps: set[str]) -> list[str]:
    """By name as the language sorts them (pinyin in Chinese), no rep last."""
    collator = QCollator(QLocale())
    collator.setNumericMode(True)
    named = sorted((rep for rep in reps if rep), key=cmp_to_key(collator.compare))
    return named + ([""] if "" in reps else [])


def paint_reps(p: QPainter, reps: Reps, scroll: int, pal: QPalette, today: dt.date, selected: int,
               day_names: Sequence[str]) -> None:
    """The header with the days, the rows with the names and their visits' boxes."""
    mid = pal.color(QPalette.ColorRole.Mid)
    fm = p.fontMetrics()
    normal = QFont(p.font())
    bold = QFont(normal)
    bold.setBold(True)
    right = reps.xs[-1]
    p.fillRect(QRect(0, 0, right, reps.header), pal.color(QPalette.ColorRole.Window))
    p.fillRect(QRect(0, reps.body.top(), right, reps.body.height()), pal.color(QPalette.ColorRole.Base))
    for i, day in enumerate(reps.days):
        column = QRect(reps.xs[i], reps.body.top(), reps.xs[i + 1] - reps.xs[i], reps.body.height())
        if day.weekday() >= 5:
            p.fillRect(column, pal.color(QPalette.ColorRole.AlternateBase))
        if day == today:
            tint = QColor(P.TODAY)
            tint.setAlpha(22)
            p.fillRect(column, tint)
        head = QRect(reps.xs[i], 0, reps.xs[i + 1] - reps.xs[i], reps.header)
        p.setPen(pal.color(QPalette.ColorRole.PlaceholderText))
        p.drawText(QRect(head.left(), 5, head.width(), fm.height()), Qt.AlignmentFlag.AlignCenter,
                   day_names[day.weekday()])
        p.setFont(bold)
        p.setPen(P.TODAY if day == today else pal.color(QPalette.ColorRole.WindowText))
        p.drawText(QRect(head.left(), 7 + fm.height(), head.width(), fm.height() + 4), Qt.AlignmentFlag.AlignCenter,
                   str(day.day))
        p.setFont(normal)
    p.save()
    p.setClipRect(QRect(0, reps.body.top(), right, reps.body.height()))
    for row in reps.visible(scroll):
        y = reps.body.top() + row.top - scroll
        name = reps.name_rect(row, scroll).adjusted(8, 0, -6, 0)
        p.setFont(bold)
        p.setPen(pal.color(QPalette.ColorRole.WindowText if row.rep else QPalette.ColorRole.PlaceholderText))
        p.drawText(QRect(name.left(), y + 3, name.width(), reps.line - 2),
                   Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   QFontMetrics(bold).elidedText(row.label, Qt.TextElideMode.ElideRight, name.width()))
        p.setFont(normal)
        p.setPen(mid)
        p.drawLine(0, y + row.height - 1, right, y + row.height - 1)
    p.translate(0, reps.body.top() - scroll)
    for row in reps.visible(scroll):
        for box in row.boxes:
            P.paint_box(p, box.rect, box.item, box.item.id == selected)
        for more in row.more:
            P.paint_more(p, more, f"+{len(more.items)}")
    p.restore()
    p.setPen(mid)
    for x in reps.xs:
        p.drawLine(x, 0 if x in (reps.xs[0], reps.xs[-1]) else reps.header // 2, x, reps.body.bottom())
    p.drawLine(0, reps.header - 1, right, reps.header - 1)


class ByRepButton(QToolButton):
    """The "By rep" toggle beside the week/month switch: the week of all reps as a row per
    rep; remembered (prefs); switches to the week when turned on; off when a rep is picked."""

    def __init__(self, calendar, mode: QComboBox, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.calendar, self.mode = calendar, mode
        self.setObjectName("calendarByRep")
        self.setCheckable(True)
        self.setText(self.tr("By rep"))
        self.setToolTip(self.tr("Show each rep's week in a row of its own when all reps are shown"))
        self.setChecked(prefs.calendar_by_rep())
        calendar.set_by_rep(self.isChecked())
        self.toggled.connect(self._toggled)

    def _toggled(self, on: bool) -> None:
        prefs.set_calendar_by_rep(on)
        if on and self.calendar.mode() != "week":
            self.mode.setCurrentIndex(self.mode.findData("week"))
            self.calendar.set_mode("week")
        self.calendar.set_by_rep(on)

    def set_rep(self, rep: str) -> None:
        """Only "All reps" has rows of reps to show."""
        self.setEnabled(not rep)
