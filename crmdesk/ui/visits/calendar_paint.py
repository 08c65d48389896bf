"""Geometry, layout and painting of the visit calendar's day and week views, and what the
month view shares with them (``calendar_month.py`` holds the month view;
``visit_calendar.py`` the widget's state, events and API).

Layout is computed once per load, resize or mode change: a box per visit in the day and
week views (overlapping visits side by side), a capped list of lines per day cell in the
month view. Painting then touches only what is visible."""
from __future__ import annotations

import datetime as dt
import html
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from typing import Optional, Sequence

from PySide6.QtCore import QLocale, QPoint, QPointF, QRect, QRectF, QSize, Qt, QTime
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen, QPolygonF

from crmdesk.core.visits import fields as V
from crmdesk.core.visits.planning import CalendarItem
from crmdesk.ui.visits.labels import state_color

FIRST_HOUR, VISIBLE_HOURS = 7, 14  # 07:00-21:00 shown before any scrolling
MIN_HOUR = 40  # pixels an hour at least
SNAP, SLOT = 15, 30  # minutes: drops snap to quarters, empty slots are half hours
DRAGGABLE = (V.PLANNED, V.MISSED)  # a missed one is a planned row whose time has passed
CLOSED = (V.POSTPONED, V.CANCELLED)
INK = QColor("#1f2937")  # text on the light fills, whatever the theme
CLASH = QColor("#dc2626")
TODAY = QColor("#2563eb")
NOW_LINE = QColor("#ef4444")


def colours(state: str) -> tuple[QColor, QColor]:
    """The state's colour (borders, text) and a light tint of it (fills)."""
    strong = state_color(state)
    light = QColor.fromRgbF(*(0.84 + 0.16 * c for c in strong.getRgbF()[:3]))
    return strong, light


def clock(moment: dt.datetime | dt.time) -> str:
    return QLocale().toString(QTime(moment.hour, moment.minute), "HH:mm")


def minutes_of(moment: dt.datetime) -> int:
    return moment.hour * 60 + moment.minute


# ---------------------------------------------------------------- day and week

@dataclass
class Box:
    item: CalendarItem
    rect: QRectF  # x in widget coordinates; y in pixels from the day's midnight (unscrolled)


@dataclass
class More:
    """Visits that overlap too many others to get a readable lane: one "+N" box instead,
    which lists them in its tooltip and opens the day (wider lanes) when clicked."""
    day: dt.date
    rect: QRectF  # as Box.rect
    items: list


class Grid:
    """The day and week views: a time gutter on the left, a header row with the days, and
    below it the day scrolled by ``scroll`` pixels (``hour`` pixels an hour, a multiple of 4
    so that quarter hours fall on whole pixels); a box per visit, sorted by top, so that
    painting and hit-testing look at the visible ones only."""

    def __init__(self, size: QSize, days: Sequence[dt.date], fm: QFontMetrics, bar: int,
                 items: Sequence[CalendarItem]):
        self.days = list(days)
        self.gutter = fm.horizontalAdvance("00:00") + 16
        self.header = fm.height() * 2 + 14
        self.body = QRect(self.gutter, self.header, max(1, size.width() - self.gutter - bar),
                          max(1, size.height() - self.header))
        self.hour = max(MIN_HOUR, self.body.height() // VISIBLE_HOURS // 4 * 4)
        n = len(self.days)
        self.xs = [self.body.left() + round(i * self.body.width() / n) for i in range(n + 1)]
        # a lane narrower than a time and a few characters is unreadable (145 slivers for
        # "All reps"): overlapping visits beyond the lanes that fit share a "+N" box
        self.min_lane = fm.horizontalAdvance("00:00 北京") + 8
        self.more: list[More] = []
        self.boxes = self._lay_out(items, fm.height() + 4)
        self.tops = [box.rect.top() for box in self.boxes]
        self.tallest = max((box.rect.height() for box in self.boxes), default=0.0)
        self.box_of = {box.item.id: box for box in self.boxes}

    def max_scroll(self) -> int:
        return max(0, 24 * self.hour - self.body.height())

    def column_at(self, x: float, clamp: bool = False) -> int:
        if clamp:
            return min(max(bisect_right(self.xs, x) - 1, 0), len(self.days) - 1)
        return bisect_right(self.xs, x) - 1 if self.xs[0] <= x < self.xs[-1] else -1

    def column_rect(self, i: int) -> QRect:
        return QRect(self.xs[i], self.body.top(), self.xs[i + 1] - self.xs[i], self.body.height())

    def header_rect(self, i: int) -> QRect:
        return QRect(self.xs[i], 0, self.xs[i + 1] - self.xs[i], self.header)

    def y_of(self, minutes: float, scroll: int) -> float:
        return self.body.top() - scroll + minutes * self.hour / 60

    def time_at(self, pos: QPoint, scroll: int, clamp: bool = False) -> Optional[tuple[dt.date, float]]:
        """The day and the minutes into it under ``pos``; ``clamp``: the nearest, even outside."""
        col = self.column_at(pos.x(), clamp)
        if col < 0 or not (clamp or self.body.contains(pos)):
            return None
        minutes = (pos.y() - self.body.top() + scroll) * 60 / self.hour
        return self.days[col], min(max(minutes, 0.0), 24 * 60 - 1)

    def point_of(self, when: dt.datetime, scroll: int) -> QPoint:
        if when.date() not in self.days:
            return QPoint(-1, -1)
        col = self.days.index(when.date())
        return QPoint((self.xs[col] + self.xs[col + 1]) // 2, round(self.y_of(minutes_of(when), scroll)))

    def visible(self, scroll: int) -> list[Box]:
        lo = bisect_left(self.tops, scroll - self.tallest)
        hi = bisect_right(self.tops, scroll + self.body.height())
        return [box for box in self.boxes[lo:hi] if box.rect.bottom() > scroll]

    def more_at(self, pos: QPoint, scroll: int) -> Optional[More]:
        if not self.body.contains(pos):
            return None
        point = QPointF(pos.x(), pos.y() - self.body.top() + scroll)
        return next((more for more in self.more if more.rect.contains(point)), None)

    def item_at(self, pos: QPoint, scroll: int) -> Optional[CalendarItem]:
        if not self.body.contains(pos):
            return None
        point = QPointF(pos.x(), pos.y() - self.body.top() + scroll)
        return next((box.item for box in reversed(self.visible(scroll)) if box.rect.contains(point)), None)

    def rect_of(self, visit_id: int, scroll: int) -> QRect:
        box = self.box_of.get(visit_id)
        return box.rect.translated(0, self.body.top() - scroll).toRect() if box else QRect()

    def _lay_out(self, items: Sequence[CalendarItem], min_height: int) -> list[Box]:
        """A box per visit in its day's column; visits that overlap share it in lanes."""
        column = {day: i for i, day in enumerate(self.days)}
        per_column: dict[int, list] = defaultdict(list)
        for item in items:
            col = column.get(item.starts_at.date())
            if col is None:
                continue
            top = minutes_of(item.starts_at) * self.hour / 60
            end = min(item.ends_at, dt.datetime.combine(item.starts_at.date() + dt.timedelta(days=1), dt.time()))
            length = (end - item.starts_at).total_seconds() / 3600 * self.hour
            per_column[col].append((top, top + max(length, min_height), item))
        boxes: list[Box] = []
        for col, entries in per_column.items():
            entries.sort(key=lambda e: (e[0], -e[1]))
            left, width = self.xs[col] + 1, self.xs[col + 1] - self.xs[col] - 8  # room to click the slot
            cluster: list = []  # visits that overlap, directly or through others
            lanes: list[float] = []  # the bottom of each lane so far
            fit = max(2, int(width // self.min_lane))  # two always share, as before
            for top, end, item in entries + [(float("inf"), 0.0, None)]:
                if cluster and top >= max(lanes):
                    if len(lanes) <= fit:
                        share = width / len(lanes)
                        boxes.extend(Box(it, QRectF(left + lane * share, t, share - 1, b - t))
                                     for t, b, it, lane in cluster)
                    else:
                        self._crowded(boxes, cluster, fit, left, width / fit, self.days[col])
                    cluster, lanes = [], []
                if item is None:
                    break
                lane = next((i for i, bottom in enumerate(lanes) if bottom <= top), len(lanes))
                lanes[lane:lane + 1] = [end]
                cluster.append((top, end, item, lane))
        boxes.sort(key=lambda b: b.rect.top())
        self.more.sort(key=lambda m: m.rect.top())
        return boxes

    def _crowded(self, boxes: list, cluster: list, fit: int, left: float, share: float, day: dt.date) -> None:
        """The first ``fit - 1`` lanes as boxes, the rest gathered, per run of overlapping
        visits, into "+N" boxes in the last lane."""
        kept = fit - 1
        hidden = []
        for t, b, it, lane in cluster:
            if lane < kept:
                boxes.append(Box(it, QRectF(left + lane * share, t, share - 1, b - t)))
            else:
                hidden.append((t, b, it))
        hidden.sort(key=lambda e: e[0])
        run: list = []
        bottom = -1.0
        for t, b, it in hidden + [(float("inf"), 0.0, None)]:
            if run and t >= bottom:
                top = run[0][0]
                self.more.append(More(day, QRectF(left + kept * share, top, share - 1, bottom - top),
                                      [e[2] for e in run]))
                run, bottom = [], -1.0
            if it is None:
                break
            run.append((t, b, it))
            bottom = max(bottom, b)


def paint_grid(p: QPainter, grid: Grid, scroll: int, pal: QPalette, today: dt.date, current: dt.date,
               day_names: Sequence[str]) -> None:
    """The header with the days, the hour lines and the time gutter (no visits)."""
    mid = pal.color(QPalette.ColorRole.Mid)
    faint = QColor(mid)
    faint.setAlpha(90)
    p.fillRect(QRect(0, 0, grid.xs[-1], grid.header), pal.color(QPalette.ColorRole.Window))
    p.fillRect(grid.body, pal.color(QPalette.ColorRole.Base))
    fm = p.fontMetrics()
    normal = QFont(p.font())
    bold = QFont(normal)
    bold.setBold(True)
    for i, day in enumerate(grid.days):
        head = grid.header_rect(i)
        column = grid.column_rect(i)
        if day.weekday() >= 5:
            p.fillRect(column, pal.color(QPalette.ColorRole.AlternateBase))
        if day == today:
            tint = QColor(TODAY)
            tint.setAlpha(22)
            p.fillRect(column, tint)
        p.setPen(pal.color(QPalette.ColorRole.PlaceholderText))
        p.drawText(QRect(head.left(), 5, head.width(), fm.height()), Qt.AlignmentFlag.AlignCenter,
                   day_names[day.weekday()])
        number = QRect(head.left(), 7 + fm.height(), head.width(), fm.height() + 4)
        p.setFont(bold)
        if day == today:
            size = fm.height() + 6
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(TODAY)
            p.drawEllipse(QRectF(number.center().x() - size / 2 + 0.5, number.center().y() - size / 2 + 0.5,
                                 size, size))
            p.setPen(QColor("white"))
        else:
            p.setPen(pal.color(QPalette.ColorRole.WindowText))
        p.drawText(number, Qt.AlignmentFlag.AlignCenter, str(day.day))
        if day == current and len(grid.days) > 1:
            p.fillRect(QRect(head.left() + 4, head.bottom() - 2, head.width() - 8, 2), pal.color(QPalette.ColorRole.Highlight))
        p.setFont(normal)
    p.save()
    p.setClipRect(QRect(0, grid.body.top(), grid.xs[-1], grid.body.height()))
    first = max(0, scroll // grid.hour)
    last = min(24, (scroll + grid.body.height()) // grid.hour + 1)
    for hour in range(first, last + 1):
        y = round(grid.y_of(hour * 60, scroll))
        p.setPen(mid)
        p.drawLine(grid.body.left(), y, grid.xs[-1], y)
        p.setPen(faint)
        p.drawLine(grid.body.left(), y + grid.hour // 2, grid.xs[-1], y + grid.hour // 2)
        if 0 < hour < 24 and grid.body.top() <= y - fm.height() // 2 and y + fm.height() // 2 <= grid.body.bottom():
            p.setPen(pal.color(QPalette.ColorRole.PlaceholderText))
            p.drawText(QRect(0, y - fm.height() // 2, grid.gutter - 6, fm.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, clock(dt.time(hour)))
    p.restore()
    p.setPen(mid)
    for x in grid.xs:
        p.drawLine(x, 0 if x in (grid.xs[0], grid.xs[-1]) else grid.header // 2, x, grid.body.bottom())
    p.drawLine(0, grid.header - 1, grid.xs[-1], grid.header - 1)


def paint_week(p: QPainter, grid: Grid, scroll: int, pal: QPalette, today: dt.date, current: dt.date,
               day_names: Sequence[str], selected: int, now: dt.datetime, dragged: Optional[CalendarItem],
               target: Optional[dt.datetime]) -> None:
    """The day or week view: the grid, the boxes and "+N"s, the time now, the box being dragged."""
    paint_grid(p, grid, scroll, pal, today, current, day_names)
    p.setClipRect(grid.body)
    p.translate(0, grid.body.top() - scroll)
    for box in grid.visible(scroll):
        paint_box(p, box.rect, box.item, box.item.id == selected, faded=dragged is not None and dragged.id == box.item.id)
    for more in grid.more:
        if more.rect.bottom() > scroll and more.rect.top() < scroll + grid.body.height():
            paint_more(p, more, f"+{len(more.items)}")
    p.resetTransform()
    paint_now(p, grid, scroll, now)
    if dragged is not None and target is not None:
        paint_grid_drop(p, grid, scroll, dragged, target)


def paint_box(p: QPainter, rect: QRectF, item: CalendarItem, selected: bool = False, faded: bool = False,
              starts_at: Optional[dt.datetime] = None) -> None:
    """A visit as a rounded box: its time and customer inside, coloured by state; a clash
    gets a red outline and a warning mark. ``starts_at``: the time shown while dragging."""
    strong, light = colours(item.state)
    if faded:
        strong.setAlpha(110)
        light.setAlpha(110)
    r = rect.adjusted(1, 1, -1, -1) if item.clash else rect.adjusted(0.5, 0.5, -0.5, -0.5)
    p.setPen(QPen(CLASH, 2) if item.clash else QPen(strong, 1))
    p.setBrush(strong if selected else light)
    p.drawRoundedRect(r, 4, 4)
    if r.width() < 14:
        return
    starts = starts_at or item.starts_at
    ends = starts + (item.ends_at - item.starts_at)
    font = QFont(p.font())
    font.setStrikeOut(item.state in CLOSED)
    fm = QFontMetrics(font)
    ink = QColor("white") if selected else (QColor("#6b7280") if item.state in CLOSED else QColor(INK))
    if faded:
        ink.setAlpha(120)
    inner = r.adjusted(4, 1, -(16 if item.clash else 4), -1)
    p.save()
    p.setClipRect(r)
    p.setPen(ink)
    line = fm.height()
    width = max(0, int(inner.width()))
    if inner.height() >= 2 * line:
        p.setFont(font)
        p.drawText(QPointF(inner.left(), inner.top() + fm.ascent()),
                   fm.elidedText(span if fm.horizontalAdvance(span := f"{clock(starts)}–{clock(ends)}") <= width
                                 else clock(starts), Qt.TextElideMode.ElideRight, width))
        bold = QFont(font)
        bold.setBold(True)
        p.setFont(bold)
        p.drawText(QPointF(inner.left(), inner.top() + line + fm.ascent()),
                   QFontMetrics(bold).elidedText(item.customer_name, Qt.TextElideMode.ElideRight, width))
        if inner.height() >= 3 * line and item.place:
            p.setFont(font)
            p.drawText(QPointF(inner.left(), inner.top() + 2 * line + fm.ascent()),
                       fm.elidedText(item.place, Qt.TextElideMode.ElideRight, width))
    else:
        p.setFont(font)
        p.drawText(inner, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   fm.elidedText(f"{clock(starts)} {item.customer_name}", Qt.TextElideMode.ElideRight, width))
    p.restore()
    if item.clash:
        paint_warning(p, QPointF(r.right() - 8, r.top() + 8))


def paint_more(p: QPainter, more: More, text: str) -> None:
    """A "+N" box: a grey dashed box with the count, for visits without a lane of their own."""
    r = more.rect.adjusted(0.5, 0.5, -0.5, -0.5)
    p.save()
    p.setPen(QPen(QColor("#6b7280"), 1, Qt.PenStyle.DashLine))
    p.setBrush(QColor("#f3f4f6"))
    p.drawRoundedRect(r, 4, 4)
    p.setPen(INK)
    fm = p.fontMetrics()
    p.drawText(r.adjusted(4, 1, -4, -1), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
               fm.elidedText(text, Qt.TextElideMode.ElideRight, max(0, int(r.width()) - 8)))
    p.restore()


def more_html(more: More, hint: str, limit: int = 25) -> str:
    """The visits under a "+N" box, for its tooltip, and what to do to see them."""
    lines = [html.escape(f"{clock(i.starts_at)} {i.customer_name}" + (f" ({i.rep})" if i.rep else ""))
             for i in more.items[:limit]]
    if len(more.items) > limit:
        lines.append("…")
    return "<br>".join(lines + [f"<i>{html.escape(hint)}</i>"])


def paint_warning(p: QPainter, centre: QPointF, size: float = 11) -> None:
    """A small red triangle with an exclamation mark."""
    half = size / 2
    p.save()
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(CLASH)
    p.drawPolygon(QPolygonF([QPointF(centre.x(), centre.y() - half), QPointF(centre.x() + half, centre.y() + half),
                             QPointF(centre.x() - half, centre.y() + half)]))
    p.setPen(QPen(QColor("white"), 1.4))
    p.drawLine(QPointF(centre.x(), centre.y() - half + 3.5), QPointF(centre.x(), centre.y() + half - 3.5))
    p.drawPoint(QPointF(centre.x(), centre.y() + half - 1.8))
    p.restore()


def paint_now(p: QPainter, grid: Grid, scroll: int, now: dt.datetime) -> None:
    if now.date() not in grid.days:
        return
    col = grid.days.index(now.date())
    y = grid.y_of(minutes_of(now) + now.second / 60, scroll)
    if not grid.body.top() <= y <= grid.body.bottom():
        return
    p.save()
    p.setPen(QPen(NOW_LINE, 2))
    p.drawLine(QPointF(grid.xs[col], y), QPointF(grid.xs[col + 1], y))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(NOW_LINE)
    p.drawEllipse(QPointF(grid.xs[col], y), 4, 4)
    p.restore()


def paint_grid_drop(p: QPainter, grid: Grid, scroll: int, item: CalendarItem, target: dt.datetime) -> None:
    """The box being dragged, where it would land."""
    if target.date() not in grid.days:
        return
    col = grid.days.index(target.date())
    length = (item.ends_at - item.starts_at).total_seconds() / 3600 * grid.hour
    rect = QRectF(grid.xs[col] + 1, grid.y_of(minutes_of(target), scroll), grid.xs[col + 1] - grid.xs[col] - 8,
                  max(length, p.fontMetrics().height() + 4))
    paint_box(p, rect, item, selected=True, starts_at=target)


def tooltip_html(name: str, lines: Sequence[str], warning: str) -> str:
    parts = [f"<b>{html.escape(name)}</b>"] + [html.escape(line) for line in lines if line]
    if warning:
        parts.append(f"<span style='color:{CLASH.name()}'>⚠ {html.escape(warning)}</span>")
    return "<br>".join(parts)
