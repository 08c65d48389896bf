"""The visit calendar: a day, week or month of visits from
``visit_planning.in_range``, coloured by state, clashes marked. Click selects, double-click
opens (or asks for a new visit on an empty slot), dragging a planned visit asks for it to be
rescheduled. The widget never writes: it emits signals and the visits tab calls the services.

Layout and painting are in ``calendar_paint.py``, ``calendar_month.py`` and, for the week of
all reps as a row per rep, ``crmdesk/ui/visits/calendar_reps.py``."""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Optional

from PySide6.QtCore import QEvent, QLocale, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication, QScrollBar, QStyle, QToolTip, QWidget

from crmdesk.core.visits import planning as visit_planning
from crmdesk.core.visits.planning import CalendarItem
from crmdesk.ui.visits import calendar_reps as R
from crmdesk.ui.visits import calendar_text as T
from crmdesk.ui.visits import calendar_month as M
from crmdesk.ui.visits import calendar_paint as P

MODES = ("day", "week", "month")
KEY_DAYS = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1, Qt.Key.Key_Up: -7, Qt.Key.Key_Down: 7}
KEY_MOVES = {Qt.Key.Key_PageUp: "previous", Qt.Key.Key_PageDown: "next", Qt.Key.Key_Home: "today"}


@dataclass
class _Drag:
    item: CalendarItem
    press: QPoint
    grab: float  # minutes between the visit's start and the point pressed (day and week)
    active: bool = False
    target: Optional[dt.datetime] = None
    pos: QPoint = QPoint()


class VisitCalendar(QWidget):
    visit_activated = Signal(int)
    visit_selected = Signal(int)
    reschedule_requested = Signal(int, int, object)  # visit id, its version, the new start
    new_visit_requested = Signal(object)  # the start of the empty slot double-clicked
    range_changed = Signal()
    rep_requested = Signal(str)  # a rep's name clicked in the week by rep: show only theirs

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(420, 320)
        self._mode, self._date, self._rep, self._team = "week", dt.date.today(), "", ""
        self._now: Optional[dt.datetime] = None
        self._items: list[CalendarItem] = []
        self._by_id: dict[int, CalendarItem] = {}
        self._loaded: Optional[tuple[dt.date, dt.date]] = None
        self._selected = 0
        self._grid: Optional[P.Grid] = None  # the layout of the day or week view
        self._month: Optional[M.Month] = None  # or of the month view
        self._reps: Optional[R.Reps] = None  # or of the week by rep
        self._by_rep, self._rep_scroll = False, 0
        self._top_minutes = P.FIRST_HOUR * 60.0  # the time at the top of the day view
        self._drag: Optional[_Drag] = None
        self._swallow_double = False
        self._bar = QScrollBar(Qt.Orientation.Vertical, self)
        self._bar.valueChanged.connect(self._scrolled)
        self._ticker = QTimer(self)
        self._ticker.setInterval(60_000)
        self._ticker.timeout.connect(lambda: self._now is None and self.update())
        self._ticker.start()

    # ------------------------------------------------------------ state

    def mode(self) -> str:
        return self._mode

    def set_mode(self, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        self._go(self._date, mode)

    def current_date(self) -> dt.date:
        return self._date

    def set_date(self, day: dt.date) -> None:
        self._go(day.date() if isinstance(day, dt.datetime) else day)

    def set_rep(self, rep: str) -> None:
        self._rep = rep or ""
        self.reload()

    def set_team(self, team: str) -> None:
        """Only the visits of that team's customers ("": every team's)."""
        self._team = team or ""
        self.reload()

    def set_by_rep(self, on: bool) -> None:
        """The week of all reps as a row per rep instead of one time grid."""
        self._by_rep = bool(on)
        if self._loaded is not None:
            self._relayout()
            self.update()

    def by_rep(self) -> bool:
        """Whether the rows of reps are shown (the layout chosen, the week, all reps)."""
        return self._reps is not None

    def rep_rows(self) -> list[tuple[str, str, QRect]]:
        """The week by rep's rows: the rep, the name shown, where the name is (as scrolled)."""
        reps, scroll = self._reps, self._bar.value()
        return [(row.rep, row.label, reps.name_rect(row, scroll)) for row in reps.rows] if reps else []

    def set_now(self, now: Optional[dt.datetime]) -> None:
        self._now = now
        if self._loaded is not None:
            self.reload()

    def now(self) -> dt.datetime:
        return self._now or dt.datetime.now()

    def visible_range(self) -> tuple[dt.date, dt.date]:
        """The first day shown and the day after the last (the month view shows six weeks)."""
        if self._mode == "day":
            return self._date, self._date + dt.timedelta(days=1)
        if self._mode == "week":
            start = self._date - dt.timedelta(days=self._date.weekday())
            return start, start + dt.timedelta(days=7)
        first = self._date.replace(day=1)
        start = first - dt.timedelta(days=first.weekday())
        return start, start + dt.timedelta(days=42)

    def previous(self) -> None:
        self._step(-1)

    def next(self) -> None:
        self._step(1)

    def today(self) -> None:
        self._go(self.now().date())

    def _step(self, direction: int) -> None:
        if self._mode == "month":
            year, month = divmod(self._date.year * 12 + self._date.month + direction - 1, 12)
            self._go(dt.date(year, month + 1, min(self._date.day, calendar.monthrange(year, month + 1)[1])))
        else:
            self._go(self._date + dt.timedelta(days=direction * (1 if self._mode == "day" else 7)))

    def _go(self, day: dt.date, mode: Optional[str] = None) -> None:
        mode = mode or self._mode
        if (day, mode) == (self._date, self._mode) and self._loaded is not None:
            return
        mode_changed = mode != self._mode
        self._date, self._mode = day, mode
        self._drag = None
        if self.visible_range() != self._loaded:
            self.reload()
        elif mode_changed:
            self._relayout()
        self.update()
        self.range_changed.emit()

    def title(self) -> str:
        return T.title(self._mode, self._date, *self.visible_range())

    # ------------------------------------------------------------ data and layout

    def reload(self) -> None:
        start, end = self.visible_range()
        self._items = visit_planning.in_range(start, end, self._rep, self.now(), team=self._team)
        self._by_id = {item.id: item for item in self._items}
        self._loaded = (start, end)
        if self._drag is not None:
            item = self._by_id.get(self._drag.item.id)
            if item is None:
                self._drag = None
            else:
                self._drag.item = item
        self._relayout()
        if self._selected and self._selected not in self._by_id:
            self._select(0)
        self.update()

    def items(self) -> list[CalendarItem]:
        return list(self._items)

    def selected_id(self) -> int:
        return self._selected

    def _relayout(self) -> None:
        start, end = self.visible_range()
        self._reps = None
        if self._mode == "month":
            self._grid = None
            self._month = M.Month(self.size(), start, self._date.month, self._items, self.fontMetrics(),
                                  lambda n: self.tr("+%n more", "", n))
            self._bar.hide()
            return
        self._month = None
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        days = [start + dt.timedelta(days=i) for i in range((end - start).days)]
        if self._mode == "week" and self._by_rep and not self._rep:
            self._grid = None
            reps = self._reps = R.Reps(self.size(), days, self.fontMetrics(), bar, self._items, self.tr("No rep"))
            return self._set_bar(reps.header, reps.body.height(), reps.max_scroll(), reps.line, self._rep_scroll)
        grid = self._grid = P.Grid(self.size(), days, self.fontMetrics(), bar, self._items)
        self._set_bar(grid.header, grid.body.height(), grid.max_scroll(), grid.hour // 2,
                      round(self._top_minutes * grid.hour / 60))

    def _set_bar(self, top: int, height: int, maximum: int, step: int, value: int) -> None:
        bar, width = self._bar, self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        bar.setGeometry(self.width() - width, top, width, height)
        bar.blockSignals(True)
        bar.setRange(0, maximum)
        bar.setPageStep(height)
        bar.setSingleStep(step)
        bar.setValue(value)
        bar.blockSignals(False)
        bar.show()

    def _scrolled(self, value: int) -> None:
        if self._grid is not None:
            self._top_minutes = value * 60 / self._grid.hour
        elif self._reps is not None:
            self._rep_scroll = value
        self.update()

    # ------------------------------------------------------------ geometry

    def rect_of(self, visit_id: int) -> QRect:
        """Where the visit is drawn, in widget coordinates; an empty QRect when it is not
        shown (another range, or under a month cell's "+N more")."""
        if self._month is not None:
            return self._month.rect_of(visit_id)
        if self._reps is not None:
            return self._reps.rect_of(visit_id, self._bar.value())
        return self._grid.rect_of(visit_id, self._bar.value()) if self._grid is not None else QRect()

    def point_of(self, when: dt.datetime) -> QPoint:
        """The middle of the day's column at that time (day and week), or the middle of its
        day cell (month); QPoint(-1, -1) when the day is not shown."""
        if self._month is not None:
            return self._month.point_of(when)
        return self._grid.point_of(when, self._bar.value()) if self._grid is not None else QPoint(-1, -1)

    def cell_lines(self, day: dt.date) -> list[str]:
        """The lines a month cell shows, "+N more" last when some don't fit."""
        cell = self._month.cell_of(day) if self._month is not None else None
        return [line.text for line in cell.lines] + ([cell.more_text] if cell.more_text else []) if cell else []

    def more_rect(self, day: dt.date) -> QRect:
        cell = self._month.cell_of(day) if self._month is not None else None
        return QRect(cell.more_rect) if cell else QRect()

    def _time_at(self, pos: QPoint, clamp: bool = False) -> Optional[tuple[dt.date, float]]:
        return self._grid.time_at(pos, self._bar.value(), clamp) if self._grid is not None else None

    def _item_at(self, pos: QPoint) -> Optional[CalendarItem]:
        if self._month is not None:
            return self._month.item_at(pos)
        if self._reps is not None:
            return self._reps.item_at(pos, self._bar.value())
        return self._grid.item_at(pos, self._bar.value()) if self._grid is not None else None

    # ------------------------------------------------------------ painting

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        today = self.now().date()
        drag = self._drag if self._drag is not None and self._drag.active else None
        if self._month is not None:
            M.paint_month(p, self._month, self.palette(), today, self._date, self._selected,
                          self._day_names(), self.hasFocus())
            if drag is not None and drag.target is not None:
                M.paint_month_drop(p, self._month, drag.item, drag.target, drag.pos, self.palette())
            return
        if self._reps is not None:
            return R.paint_reps(p, self._reps, self._bar.value(), self.palette(), today, self._selected,
                                self._day_names())
        if self._grid is not None:
            P.paint_week(p, self._grid, self._bar.value(), self.palette(), today, self._date, self._day_names(),
                         self._selected, self.now(), drag.item if drag else None, drag.target if drag else None)

    def _day_names(self) -> list[str]:
        """Monday first; in full above the single column of the day view."""
        size = QLocale.FormatType.LongFormat if self._mode == "day" else QLocale.FormatType.ShortFormat
        return [QLocale().dayName(d, size) for d in range(1, 8)]

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._loaded is not None:
            self._relayout()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.LocaleChange) and self._loaded is not None:
            self._relayout()
            self.update()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._loaded is None:
            self.reload()

    # ------------------------------------------------------------ mouse and keys

    def _select(self, visit_id: int) -> None:
        if visit_id != self._selected:
            self._selected = visit_id
            self.visit_selected.emit(visit_id)
            self.update()

    def mousePressEvent(self, event) -> None:
        self._swallow_double = False
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        pos = event.position().toPoint()
        if self._reps is not None:
            return self._press_reps(pos)
        cell = self._month.cell_at(pos) if self._month is not None else None
        if cell is not None and cell.more_text and cell.more_rect.contains(pos):
            self._swallow_double = True
            self._go(cell.day, "day")
            return
        more = self._grid.more_at(pos, self._bar.value()) if self._grid is not None else None
        if more is not None:
            self._swallow_double = True
            if self._mode != "day":
                self._go(more.day, "day")
            return
        item = self._item_at(pos)
        self._select(item.id if item else 0)
        if item is None:
            day = cell.day if cell is not None else (self._time_at(pos) or (None,))[0]
            if day is not None and (cell is None or day.month == self._date.month):
                self._go(day)
            return
        if item.state in P.DRAGGABLE:
            at = self._time_at(pos) if self._grid is not None else None
            grab = at[1] - P.minutes_of(item.starts_at) if at and at[0] == item.starts_at.date() else 0.0
            self._drag = _Drag(item, pos, grab)

    def _press_reps(self, pos: QPoint) -> None:
        rep, day, item = self._reps.click_at(pos, self._bar.value())
        self._swallow_double = bool(rep or day)
        if rep or day:
            return self.rep_requested.emit(rep) if rep else self._go(day, "day")
        self._select(item.id if item else 0)

    def mouseMoveEvent(self, event) -> None:
        drag = self._drag
        if drag is None:
            return super().mouseMoveEvent(event)
        pos = event.position().toPoint()
        if not drag.active and (pos - drag.press).manhattanLength() < QApplication.startDragDistance():
            return
        drag.active, drag.pos = True, pos
        self.setCursor(Qt.CursorShape.ClosedHandCursor)
        if self._grid is not None:  # scroll when the mouse reaches the top or bottom edge
            body = self._grid.body
            if pos.y() < body.top() + 8 or pos.y() > body.bottom() - 8:
                step = self._grid.hour // 4 * (-1 if pos.y() < body.top() + 8 else 1)
                self._bar.setValue(self._bar.value() + step)
        drag.target = self._drop_target(drag, pos)
        self.update()

    def _drop_target(self, drag: _Drag, pos: QPoint) -> Optional[dt.datetime]:
        if self._month is not None:
            cell = self._month.cell_at(pos)
            return dt.datetime.combine(cell.day, drag.item.starts_at.time()) if cell else None
        day, minutes = self._time_at(pos, clamp=True)
        snapped = round((minutes - drag.grab) / P.SNAP) * P.SNAP
        snapped = min(max(snapped, 0), 24 * 60 - P.SNAP)
        return dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=snapped)

    def mouseReleaseEvent(self, event) -> None:
        drag, self._drag = self._drag, None
        if drag is None or not drag.active:
            return
        self.unsetCursor()
        target = self._drop_target(drag, event.position().toPoint())
        self.update()
        if target is not None and target != drag.item.starts_at:
            self.reschedule_requested.emit(drag.item.id, drag.item.version, target)

    def mouseDoubleClickEvent(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._swallow_double:
            self._swallow_double = False
            return
        pos = event.position().toPoint()
        item = self._item_at(pos)
        if item is not None:
            self.visit_activated.emit(item.id)
        elif self._reps is not None:
            return
        elif self._month is not None:
            cell = self._month.cell_at(pos)
            if cell is None:
                return
            if cell.date_rect.contains(pos) or (cell.more_text and cell.more_rect.contains(pos)):
                self._go(cell.day, "day")
            else:
                self.new_visit_requested.emit(dt.datetime.combine(cell.day, dt.time(9)))
        elif pos.y() < self._grid.header:
            col = self._grid.column_at(pos.x())
            if col >= 0 and len(self._grid.days) > 1:
                self._go(self._grid.days[col], "day")
        else:
            at = self._time_at(pos)
            if at is not None:
                slot = int(at[1] + 1e-6) // P.SLOT * P.SLOT
                self.new_visit_requested.emit(dt.datetime.combine(at[0], dt.time()) + dt.timedelta(minutes=slot))

    def wheelEvent(self, event) -> None:
        if self._grid is None and self._reps is None:
            return super().wheelEvent(event)
        unit = self._grid.hour if self._grid is not None else self._reps.line * 4
        self._bar.setValue(self._bar.value() - event.angleDelta().y() * unit // 240)

    def keyPressEvent(self, event) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape and self._drag is not None:
            self._drag = None
            self.unsetCursor()
            self.update()
        elif key in KEY_DAYS and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self._go(self._date + dt.timedelta(days=KEY_DAYS[key]))
        elif key in KEY_MOVES:
            getattr(self, KEY_MOVES[key])()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._selected:
            self.visit_activated.emit(self._selected)
        else:
            super().keyPressEvent(event)

    # ------------------------------------------------------------ tooltips

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            text = T.tooltip_at(event.pos(), self._bar.value(), self._mode, self._item_at(event.pos()),
                                self._month, self._grid, self._reps)
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def tooltip_of(self, visit_id: int) -> str:
        """The tooltip of a shown visit (rich text)."""
        item = self._by_id.get(visit_id)
        return T.visit_tooltip(item) if item is not None else ""
