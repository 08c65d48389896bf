"""The visit calendar: visits where they belong in the week and month views, clashes
marked, drag to reschedule (planned visits only), double-click for a new visit, the range
moving with previous/next/today and the keyboard."""
from __future__ import annotations

import datetime as dt
import time

import pytest
from PySide6.QtCore import QLocale, QPoint, Qt
from PySide6.QtGui import QColor

from crmdesk.core.models import Visit
from crmdesk.core.customers import archive as customers
from crmdesk.core.visits import visits
from crmdesk.ui.visits import calendar_paint
from crmdesk.ui.visits.calendar import VisitCalendar

MONDAY = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 20, 8, 0)  # the Friday before: nothing in the week has passed


def at(days: int, hour: int, minute: int = 0) -> dt.datetime:
    """``days`` after MONDAY at hour:minute."""
    return dt.datetime.combine(MONDAY + dt.timedelta(days=days), dt.time(hour, minute))


@pytest.fixture
def cal(qtbot, db, english):
    widget = VisitCalendar()
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.set_now(NOW)
    widget.set_date(MONDAY + dt.timedelta(days=2))
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def customer(db):
    return customers.create({"name": "北京华润商贸有限公司", "owner": "张伟", "city": "北京"})[0]


def plan(customer_id: int, starts: dt.datetime, minutes: int = 60, rep: str = "张伟") -> int:
    return visits.create({"customer_id": customer_id, "starts_at": starts,
                          "ends_at": starts + dt.timedelta(minutes=minutes), "rep": rep}).visit_id


def drag(qtbot, widget, start: QPoint, end: QPoint) -> None:
    qtbot.mousePress(widget, Qt.MouseButton.LeftButton, pos=start)
    for step in (1, 2, 3, 4):  # the box follows the mouse on its way
        qtbot.mouseMove(widget, start + (end - start) * (step / 4))
    qtbot.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=end)


def drag_visit(qtbot, cal, visit_id: int, starts: dt.datetime, to: dt.datetime) -> None:
    """Take the visit by its middle and drop it so that it starts at ``to``."""
    grip = cal.rect_of(visit_id).center()
    drag(qtbot, cal, grip, cal.point_of(to) + (grip - cal.point_of(starts)))


# ---------------------------------------------------------------- week view

def test_week_view_shows_the_weeks_visits_at_their_day_and_time(cal, customer):
    tuesday = plan(customer, at(1, 9))
    thursday = plan(customer, at(3, 14), minutes=90)
    next_week = plan(customer, at(7, 9))
    last_sunday = plan(customer, at(-1, 20))
    cal.reload()
    assert [i.id for i in cal.items()] == [tuesday, thursday]
    box = cal.rect_of(tuesday)
    assert abs(box.top() - cal.point_of(at(1, 9)).y()) <= 1
    assert abs(box.bottom() - cal.point_of(at(1, 10)).y()) <= 2
    assert box.contains(cal.point_of(at(1, 9, 30)))
    assert not box.contains(cal.point_of(at(2, 9, 30)))  # Wednesday's column
    box = cal.rect_of(thursday)
    assert box.contains(cal.point_of(at(3, 15, 15)))
    assert not box.contains(cal.point_of(at(3, 15, 45)))
    assert cal.rect_of(next_week).isNull() and cal.rect_of(last_sunday).isNull()
    assert cal.title() == "Nov 23 – 29, 2026"


def test_overlapping_visits_stand_side_by_side(cal, customer):
    other = customers.create({"name": "上海申通物流"})[0]
    first = plan(customer, at(0, 10), rep="张伟")
    second = plan(other, at(0, 10, 30), rep="李娜")
    cal.reload()
    a, b = cal.rect_of(first), cal.rect_of(second)
    assert not a.intersects(b)
    assert a.right() < b.left()
    assert not any(i.clash for i in cal.items())  # two reps: no clash


def test_a_clash_is_flagged_outlined_and_explained(cal, customer):
    first = plan(customer, at(2, 9))
    second = plan(customer, at(2, 9, 30))
    alone = plan(customer, at(2, 15))
    cal.reload()
    assert {i.id: i.clash for i in cal.items()} == {first: True, second: True, alone: False}
    assert "Clashes with another visit of the same rep" in cal.tooltip_of(first)
    assert "Clashes" not in cal.tooltip_of(alone)
    assert "北京华润商贸有限公司" in cal.tooltip_of(alone) and "Planned" in cal.tooltip_of(alone)
    image = cal.grab().toImage()

    def left_edge(visit_id, inset: int) -> QColor:
        box = cal.rect_of(visit_id)
        return image.pixelColor(box.left() + inset, box.center().y())

    red, blue = QColor(calendar_paint.CLASH), calendar_paint.colours("planned")[0]
    assert _close(left_edge(first, 1), red) and _close(left_edge(second, 1), red)
    assert _close(left_edge(alone, 0), blue) and not _close(left_edge(alone, 1), red)


def _close(a: QColor, b: QColor, tolerance: int = 60) -> bool:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) <= tolerance


# ---------------------------------------------------------------- dragging

def test_dragging_a_planned_visit_asks_to_reschedule_it_snapped(qtbot, cal, customer):
    vid = plan(customer, at(1, 9))
    cal.reload()
    grip = cal.rect_of(vid).center()
    drop = cal.point_of(at(3, 14)) + (grip - cal.point_of(at(1, 9)))
    qtbot.mousePress(cal, Qt.MouseButton.LeftButton, pos=grip)
    qtbot.mouseMove(cal, grip + QPoint(20, 0))
    qtbot.mouseMove(cal, drop)
    # The box follows the mouse: Thursday 14:00 is painted in the planned colour.
    under = cal.grab().toImage().pixelColor(cal.point_of(at(3, 14, 52)))
    assert _close(under, calendar_paint.colours("planned")[0])
    with qtbot.waitSignal(cal.reschedule_requested, timeout=1000) as blocker:
        qtbot.mouseRelease(cal, Qt.MouseButton.LeftButton, pos=drop)
    assert blocker.args == [vid, 1, at(3, 14)]
    assert cal.rect_of(vid).contains(cal.point_of(at(1, 9, 30)))  # it moves when the tab reloads
    # A few pixels off still lands on the quarter hour.
    grip = cal.rect_of(vid).center()
    with qtbot.waitSignal(cal.reschedule_requested, timeout=1000) as blocker:
        drag(qtbot, cal, grip, cal.point_of(at(4, 11)) + (grip - cal.point_of(at(1, 9))) + QPoint(3, 3))
    assert blocker.args[2] == at(4, 11)


def test_a_drop_reschedules_the_visit_through_the_service(qtbot, cal, customer):
    vid = plan(customer, at(1, 9), minutes=45)

    def reschedule(visit_id, version, starts):
        visits.reschedule(visit_id, starts, expected_version=version)
        cal.reload()

    cal.reschedule_requested.connect(reschedule)
    cal.reload()
    drag_visit(qtbot, cal, vid, at(1, 9), at(3, 14))
    row = Visit.get_by_id(vid)
    assert (row.starts_at, row.ends_at, row.version) == (at(3, 14), at(3, 14, 45), 2)
    assert cal.rect_of(vid).contains(cal.point_of(at(3, 14, 20)))


def test_done_and_cancelled_visits_cannot_be_dragged(qtbot, cal, customer):
    done = visits.log_visit({"customer_id": customer, "starts_at": at(1, 9), "ends_at": at(1, 10)},
                            {"outcome": "ok"}).visit_id
    cancelled = plan(customer, at(2, 9))
    visits.cancel(cancelled, "closed")
    cal.reload()
    with qtbot.assertNotEmitted(cal.reschedule_requested):
        drag_visit(qtbot, cal, done, at(1, 9), at(3, 14))
        drag_visit(qtbot, cal, cancelled, at(2, 9), at(4, 14))
    assert cal.rect_of(done).contains(cal.point_of(at(1, 9, 30)))


def test_a_missed_visit_can_still_be_moved(qtbot, cal, customer):
    vid = plan(customer, at(0, 9))
    cal.set_now(at(2, 12))
    assert cal.items()[0].state == "missed"
    with qtbot.waitSignal(cal.reschedule_requested, timeout=1000) as blocker:
        drag_visit(qtbot, cal, vid, at(0, 9), at(4, 10))
    assert blocker.args[2] == at(4, 10)


def test_month_view_drag_to_another_day_keeps_the_time(qtbot, cal, customer):
    vid = plan(customer, at(1, 9, 30))
    cal.set_mode("month")
    line = cal.rect_of(vid)
    assert not line.isNull()
    with qtbot.waitSignal(cal.reschedule_requested, timeout=1000) as blocker:
        drag(qtbot, cal, line.center(), cal.point_of(at(9, 0)))  # Wednesday, December 2
    assert blocker.args == [vid, 1, dt.datetime(2026, 12, 2, 9, 30)]


# ---------------------------------------------------------------- clicks and keys

def test_double_click_on_an_empty_slot_asks_for_a_new_visit_there(qtbot, cal, customer):
    vid = plan(customer, at(1, 9))
    cal.reload()
    with qtbot.waitSignal(cal.new_visit_requested, timeout=1000) as blocker:
        qtbot.mouseDClick(cal, Qt.MouseButton.LeftButton, pos=cal.point_of(at(2, 10, 20)))
    assert blocker.args == [at(2, 10)]
    with qtbot.waitSignal(cal.visit_activated, timeout=1000) as blocker:
        qtbot.mouseDClick(cal, Qt.MouseButton.LeftButton, pos=cal.rect_of(vid).center())
    assert blocker.args == [vid]
    cal.set_mode("month")
    empty = cal.point_of(at(4, 0)) + QPoint(0, 20)
    with qtbot.waitSignal(cal.new_visit_requested, timeout=1000) as blocker:
        qtbot.mouseDClick(cal, Qt.MouseButton.LeftButton, pos=empty)
    assert blocker.args == [at(4, 9)]


def test_click_selects_and_enter_opens(qtbot, cal, customer):
    vid = plan(customer, at(1, 9))
    cal.reload()
    with qtbot.waitSignal(cal.visit_selected, timeout=1000) as blocker:
        qtbot.mouseClick(cal, Qt.MouseButton.LeftButton, pos=cal.rect_of(vid).center())
    assert blocker.args == [vid] and cal.selected_id() == vid
    with qtbot.waitSignal(cal.visit_activated, timeout=1000) as blocker:
        qtbot.keyClick(cal, Qt.Key.Key_Return)
    assert blocker.args == [vid]
    with qtbot.waitSignal(cal.visit_selected, timeout=1000) as blocker:
        qtbot.mouseClick(cal, Qt.MouseButton.LeftButton, pos=cal.point_of(at(4, 16)))
    assert blocker.args == [0] and cal.selected_id() == 0


def test_arrow_keys_move_by_days_and_weeks(qtbot, cal):
    assert cal.current_date() == MONDAY + dt.timedelta(days=2)
    qtbot.keyClick(cal, Qt.Key.Key_Right)
    assert cal.current_date() == MONDAY + dt.timedelta(days=3) and cal.title() == "Nov 23 – 29, 2026"
    with qtbot.waitSignal(cal.range_changed, timeout=1000):
        qtbot.keyClick(cal, Qt.Key.Key_Down)
    assert cal.current_date() == MONDAY + dt.timedelta(days=10) and cal.title() == "Nov 30 – Dec 6, 2026"
    qtbot.keyClick(cal, Qt.Key.Key_Left)
    assert cal.current_date() == MONDAY + dt.timedelta(days=9)


def test_previous_next_and_today_move_the_range_and_title(qtbot, cal, customer):
    plan(customer, at(7, 9))
    with qtbot.waitSignal(cal.range_changed, timeout=1000):
        cal.next()
    assert cal.title() == "Nov 30 – Dec 6, 2026" and len(cal.items()) == 1
    cal.set_date(dt.date(2026, 12, 30))
    assert cal.title() == "Dec 28, 2026 – Jan 3, 2027" and cal.items() == []
    cal.set_mode("month")
    assert cal.title() == "December 2026"
    cal.next()
    assert cal.title() == "January 2027" and cal.current_date() == dt.date(2027, 1, 30)
    cal.previous()
    cal.previous()
    assert cal.title() == "November 2026" and cal.current_date() == dt.date(2026, 11, 30)
    cal.set_mode("day")
    cal.previous()
    assert cal.current_date() == dt.date(2026, 11, 29)
    assert cal.title() == QLocale().toString(QLocale().toDate("2026-11-29", "yyyy-MM-dd"),
                                             QLocale.FormatType.LongFormat)
    with qtbot.waitSignal(cal.range_changed, timeout=1000):
        cal.today()
    assert cal.current_date() == NOW.date() and cal.mode() == "day"


# ---------------------------------------------------------------- month view

def test_month_view_lists_visits_and_counts_what_does_not_fit(qtbot, cal, customer):
    crowded = MONDAY + dt.timedelta(days=3)
    ids = [plan(customer, at(3, 8 + k, 0), minutes=30) for k in range(12)]
    single = plan(customers.create({"name": "瑞丰"})[0], at(1, 9, 15))
    cal.set_mode("month")
    assert cal.title() == "November 2026"
    assert len(cal.items()) == 13
    assert cal.cell_lines(MONDAY + dt.timedelta(days=1)) == ["09:15 瑞丰"]
    lines = cal.cell_lines(crowded)
    shown = len(lines) - 1
    assert 1 <= shown < 12 and lines[-1] == f"+{12 - shown} more"
    assert lines[0].startswith("08:00 ")
    assert not cal.rect_of(ids[0]).isNull() and cal.rect_of(ids[-1]).isNull()
    assert cal.rect_of(single).contains(cal.rect_of(single).center())
    # "+N more" opens the day.
    with qtbot.waitSignal(cal.range_changed, timeout=1000):
        qtbot.mouseClick(cal, Qt.MouseButton.LeftButton, pos=cal.more_rect(crowded).center())
    assert cal.mode() == "day" and cal.current_date() == crowded
    assert [i.id for i in cal.items()] == ids


def test_an_empty_month_renders(qtbot, cal):
    cal.set_date(dt.date(2031, 2, 14))
    cal.set_mode("month")
    assert cal.items() == [] and cal.title() == "February 2031"
    assert cal.cell_lines(dt.date(2031, 2, 14)) == []
    assert not cal.grab().isNull()
    assert cal.point_of(dt.datetime(2031, 2, 1, 9)) != QPoint(-1, -1)


def test_a_busy_month_is_laid_out_once_and_cells_are_capped(qtbot, cal, customer):
    """A team's month: 3,000 visits (bulk-inserted: this tests the widget, not the service)."""
    rows = []
    for k in range(3000):
        starts = dt.datetime(2026, 11, 1, 8) + dt.timedelta(days=k % 30, minutes=(k // 30) * 7)
        rows.append({"customer": customer, "starts_at": starts, "ends_at": starts + dt.timedelta(minutes=30),
                     "rep": f"rep{k % 25}", "uuid": f"00000000-0000-0000-0000-{k:012d}"})
    Visit.insert_many(rows).execute()
    began = time.perf_counter()
    cal.set_mode("month")
    cal.grab()
    elapsed = time.perf_counter() - began
    assert len(cal.items()) == 3000
    lines = cal.cell_lines(dt.date(2026, 11, 10))
    assert lines[-1].startswith("+") and len(lines) < 12
    assert elapsed < 2.0, elapsed
    cal.set_mode("week")
    cal.grab()
    assert len(cal.items()) == 700


def test_all_reps_crowded_week_shows_readable_boxes_and_a_more_box(cal, qtbot, customer):
    """Thirty reps' visits at the same hour: no slivers; the lanes that fit, and a "+N" box
    for the rest that opens the day, where more of them get a lane."""
    ids = [plan(customer, at(2, 9), rep=f"rep{n:02d}") for n in range(30)]
    cal.reload()
    grid = cal._grid
    shown = [i for i in ids if not cal.rect_of(i).isEmpty()]
    assert shown and len(shown) < 30
    assert all(cal.rect_of(i).width() >= grid.min_lane - 2 for i in shown)
    assert len(grid.more) == 1 and len(grid.more[0].items) == 30 - len(shown)
    assert set(shown) | {item.id for item in grid.more[0].items} == set(ids)
    more = grid.more[0].rect.translated(0, grid.body.top() - cal._bar.value()).toRect()
    assert more.width() >= grid.min_lane - 2
    qtbot.mouseClick(cal, Qt.MouseButton.LeftButton, pos=more.center())
    assert cal.mode() == "day" and cal.current_date() == MONDAY + dt.timedelta(days=2)
    in_day = [i for i in ids if not cal.rect_of(i).isEmpty()]
    assert len(in_day) > len(shown)
    assert all(cal.rect_of(i).width() >= cal._grid.min_lane - 2 for i in in_day)


def test_a_few_overlapping_visits_still_share_the_column(cal, customer):
    ids = [plan(customer, at(2, 9), rep=f"rep{n}") for n in range(2)]
    cal.reload()
    assert not cal._grid.more
    assert all(not cal.rect_of(i).isEmpty() for i in ids)
