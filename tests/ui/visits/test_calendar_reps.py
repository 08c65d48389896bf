"""The visit calendar's week by rep (issue 18: a week of all reps in one time grid was 145
unreadable slivers): a row per rep with visits that week, the name readable at the left,
each visit a box as wide as its time at least, clicks that select the visit or show only
one rep, and the "By rep" toggle remembered."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QFont, QFontMetrics, QHelpEvent
from PySide6.QtWidgets import QApplication, QComboBox, QScrollBar, QToolTip

from crmdesk.core.changes import Changes
from crmdesk.core.models import Visit
from crmdesk.core.customers import archive as customers
from crmdesk.core.visits import visits
from crmdesk.ui import prefs
from crmdesk.ui.visits.tab import CALENDAR
from crmdesk.ui.visits.calendar_reps import ByRepButton
from crmdesk.ui.visits.calendar import VisitCalendar
from tests.conftest import PINNED_NOW

MONDAY = PINNED_NOW.date() - dt.timedelta(days=PINNED_NOW.weekday())
LONG_NAME = "Alexandra Konstantinopoulou"
REPS = [f"销售代表{i:02d}" for i in range(1, 28)] + [LONG_NAME, "Bo", "欧阳娜娜"]


@pytest.fixture
def week(window, english) -> dict[str, list[int]]:
    """30 reps with visits this week: one to three a day, the long-named rep five on Tuesday
    (more than a row holds), and two visits without a rep."""
    names = [f"客户{i:02d}贸易有限公司" for i in range(12)]
    ids = [customers.create({"name": name, "city": "北京"})[0] for name in names]
    plan: dict[str, list[int]] = {}
    for n, rep in enumerate(REPS + [""]):
        count = 5 if rep == LONG_NAME else n % 3 + 1
        day = 1 if rep == LONG_NAME else n % 7
        plan[rep] = [visits.create({"customer_id": ids[(n + k) % len(ids)], "rep": rep,
                                    "starts_at": dt.datetime.combine(MONDAY + dt.timedelta(days=day), dt.time(9 + k)),
                                    "ends_at": dt.datetime.combine(MONDAY + dt.timedelta(days=day), dt.time(9 + k, 45))}
                                   ).visit_id for k in range(count)]
    Visit.update(rep="").where(Visit.id.in_(plan[""])).execute()  # visits.create gives them the owner's
    window.bus.publish(Changes.reset())
    return plan


@pytest.fixture
def cal(qtbot, window, week):
    window.resize(1366, 768)
    tab = window.visits_tab
    window.tabs.setCurrentWidget(tab)
    qtbot.mouseClick(tab.view_buttons.button(CALENDAR), Qt.MouseButton.LeftButton)
    if not tab.by_rep.isChecked():
        qtbot.mouseClick(tab.by_rep, Qt.MouseButton.LeftButton)
    tab.calendar.reload()
    qtbot.waitUntil(lambda: tab.calendar.by_rep() and tab.calendar.height() > 300)
    return tab.calendar


def scroll_to(cal: VisitCalendar, visit_id: int) -> None:
    bar = cal.findChild(QScrollBar)
    bar.setValue(0)
    top = cal.rect_of(visit_id).top()
    bar.setValue(max(0, top - cal.height() // 2))


def test_a_row_per_rep_with_visits_by_name_no_rep_last_each_name_whole(cal, week):
    rows = cal.rep_rows()
    assert len(rows) == 31  # 30 reps and "No rep"
    assert [rep for rep, _label, _rect in rows][-1] == ""
    assert rows[-1][1] == "No rep"
    named = [rep for rep, _label, _rect in rows[:-1]]
    assert sorted(named) == sorted(REPS) and named.index(LONG_NAME) < named.index("Bo") < named.index("销售代表01") < named.index("销售代表02")
    bold = QFont(cal.font())
    bold.setBold(True)
    fm = QFontMetrics(bold)
    for _rep, label, rect in rows:
        assert fm.horizontalAdvance(label) <= rect.width() - 14, label


def test_every_visit_is_a_box_at_least_as_wide_as_its_time(cal, week):
    time_width = QFontMetrics(cal.font()).horizontalAdvance("00:00")
    shown = [vid for rep, ids in week.items() for vid in ids]
    boxes = [cal.rect_of(vid) for vid in shown]
    hidden = [vid for vid, box in zip(shown, boxes) if box.isNull()]
    assert hidden == week[LONG_NAME][2:]  # three boxes' room: two visits and a "+3"
    assert all(box.width() >= time_width + 8 and box.height() >= cal.fontMetrics().height()
               for box in boxes if not box.isNull())


def test_a_click_on_a_box_selects_the_visit_also_after_scrolling(qtbot, window, cal, week):
    assert cal.findChild(QScrollBar).maximum() > 0  # 31 rows do not fit 768 pixels
    for visit_id in (week["Bo"][0], week[""][0]):
        scroll_to(cal, visit_id)
        box = cal.rect_of(visit_id)
        assert cal.rect().contains(box)
        qtbot.mouseClick(cal, Qt.MouseButton.LeftButton, pos=box.center())
        assert cal.selected_id() == visit_id
        assert window.visits_tab.current_id() == visit_id


def test_a_click_on_a_reps_name_shows_only_theirs(qtbot, window, cal, week):
    rep, _label, rect = next(row for row in cal.rep_rows() if row[0] == LONG_NAME)
    qtbot.mouseClick(cal, Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.visits_tab.rep.currentData() == LONG_NAME
    assert not cal.by_rep() and not window.visits_tab.by_rep.isEnabled()
    assert sorted(item.id for item in cal.items()) == sorted(week[LONG_NAME])
    window.visits_tab.rep.setCurrentIndex(0)  # All reps: the rows again
    assert cal.by_rep() and window.visits_tab.by_rep.isEnabled()


def test_a_plus_n_box_lists_the_rest_and_shows_the_rep(qtbot, window, cal, week):
    first, second = week[LONG_NAME][:2]
    below = cal.rect_of(second).translated(0, cal.rect_of(second).top() - cal.rect_of(first).top())
    QApplication.sendEvent(cal, QHelpEvent(QEvent.Type.ToolTip, below.center(), cal.mapToGlobal(below.center())))
    assert QToolTip.text().count("<br>") == 3 and LONG_NAME in QToolTip.text()  # three visits, what a click does
    qtbot.mouseClick(cal, Qt.MouseButton.LeftButton, pos=below.center())
    assert window.visits_tab.rep.currentData() == LONG_NAME


def test_the_toggle_is_remembered_and_turns_the_week_back_to_one_grid(qtbot, window, cal):
    tab = window.visits_tab
    assert prefs.calendar_by_rep()
    again = ByRepButton(VisitCalendar(), QComboBox())
    assert again.isChecked() and again.calendar.by_rep() is False  # nothing loaded yet
    qtbot.mouseClick(tab.by_rep, Qt.MouseButton.LeftButton)
    assert not prefs.calendar_by_rep() and not cal.by_rep()
    assert not ByRepButton(VisitCalendar(), QComboBox()).isChecked()


def test_turning_it_on_in_the_month_goes_to_the_week(qtbot, window, cal):
    tab = window.visits_tab
    qtbot.mouseClick(tab.by_rep, Qt.MouseButton.LeftButton)
    tab.mode.setCurrentIndex(tab.mode.findData("month"))
    assert cal.mode() == "month" and not cal.by_rep()
    qtbot.mouseClick(tab.by_rep, Qt.MouseButton.LeftButton)
    assert cal.mode() == "week" and cal.by_rep()


def test_a_plus_n_of_visits_without_a_rep_opens_the_day(qtbot, window, cal, week):
    extra = [visits.create({"customer_id": customers.create({"name": f"散客{k}"})[0], "rep": "",
                            "starts_at": dt.datetime.combine(MONDAY, dt.time(13 + k)),
                            "ends_at": dt.datetime.combine(MONDAY, dt.time(13 + k, 30))}).visit_id for k in range(4)]
    Visit.update(rep="").where(Visit.id.in_(extra)).execute()
    cal.reload()
    monday = sorted(week[""] + extra, key=lambda vid: Visit.get_by_id(vid).starts_at)
    monday = [vid for vid in monday if Visit.get_by_id(vid).starts_at.date() == MONDAY]
    shown = [vid for vid in monday if not cal.rect_of(vid).isNull()]
    assert len(shown) == 2 and len(monday) > 3
    scroll_to(cal, shown[1])
    box = cal.rect_of(shown[1])
    qtbot.mouseClick(cal, Qt.MouseButton.LeftButton, pos=box.center() + QPoint(0, box.height() + 2))
    assert cal.mode() == "day" and cal.current_date() == MONDAY and window.visits_tab.rep.currentData() == ""
