"""The visits tab: the list of visits, the calendar (drag to reschedule) and the customers
due for a visit, with the selected visit's plan and record beside them; plan, record,
postpone, cancel, delete (undoable) and the day plan to take on the road."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Optional

from PySide6.QtCore import QTimer, Qt
from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QLineEdit, QSplitter,
                               QStackedWidget, QToolButton, QVBoxLayout, QWidget)

from crmdesk.core.visits import fields as V
from crmdesk.core.changes import Changes
from crmdesk.core.errors import CrmError
from crmdesk.core.visits import visits
from crmdesk.core.visits.list import DEFAULT_COLUMNS, VisitQuery
from crmdesk.ui.actions import make_action
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.errors import show_error
from crmdesk.ui.common.filters import TeamFilter, refill, view_switcher
from crmdesk.ui.common.list_view import lazy_view, size_columns
from crmdesk.ui.common.table_model import LazyTableModel
from crmdesk.ui.common.undo_delete import DeleteCommand, follow
from crmdesk.ui.visits.labels import kinds, states
from crmdesk.ui.visits.sources import VisitSource, when
from crmdesk.ui.visits.due_list import DueList
from crmdesk.ui.visits.calendar_reps import ByRepButton
from crmdesk.ui.visits.calendar import VisitCalendar
from crmdesk.ui.visits.details import VisitDetails
from crmdesk.ui.welcome.hint_strip import HintStrip

LIST, CALENDAR, DUE = 0, 1, 2



class VisitsTab(QWidget):
    def __init__(self, bus: ChangeBus, undo_stack: QUndoStack, parent=None):
        super().__init__(parent)
        self.setObjectName("visitsTab")
        self.bus, self.undo_stack = bus, undo_stack
        self.dialog = None
        self.source = VisitSource()
        self.model = LazyTableModel(self.source, DEFAULT_COLUMNS, VisitQuery(), self)

        # the view switcher and the rep every view shows
        switch_row = QHBoxLayout()
        self.view_buttons = view_switcher(self, switch_row, (
            ("showList", self.tr("Visits")), ("showCalendar", self.tr("Calendar")), ("showDue", self.tr("Due for a visit"))))
        self.view_buttons.idClicked.connect(self.show_view)
        switch_row.addSpacing(16)
        self.rep = QComboBox(self)
        self.rep.setObjectName("repFilter")
        self.rep.setMinimumContentsLength(8)
        self.rep.currentIndexChanged.connect(lambda _i: self._rep_changed())
        switch_row.addWidget(QLabel(self.tr("Rep"), self))
        switch_row.addWidget(self.rep)
        switch_row.addSpacing(8)
        self.team = TeamFilter(self, "visitTeamFilter")  # a manager's: the visits of one team's customers
        self.team.currentIndexChanged.connect(lambda _i: self._team_changed())
        self.team.add_to(switch_row)
        switch_row.addStretch(1)
        self.buttons: dict[str, QToolButton] = {}

        # list page
        self.search = QLineEdit(self)
        self.search.setObjectName("visitSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Search customer, place, objective, contacts…"))
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(200)
        self.search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(lambda _t: self.search_timer.start())
        self.period = QComboBox(self)
        self.period.setObjectName("visitPeriod")
        for key, text in (("upcoming", self.tr("Upcoming and to record")), ("today", self.tr("Today")),
                          ("week", self.tr("This week")), ("month", self.tr("This month")),
                          ("past30", self.tr("Last 30 days")), ("all", self.tr("All visits"))):
            self.period.addItem(text, key)
        self.state = QComboBox(self)
        self.state.setObjectName("visitState")
        self.state.addItem(self.tr("Every state"), "")
        for key, text in states():
            self.state.addItem(text, key)
        self.table = lazy_view(self, self.model, "visitTable", sort_column=0)
        self._size_columns()
        self.table.activated.connect(lambda _i: self.open_current())
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _prev: self._select(self.model.id_at(current.row()) if current.isValid() else None))
        self.count_label = QLabel(self)
        self.count_label.setObjectName("visitCount")
        self.model.modelReset.connect(self.update_count)
        self.model.loaded.connect(self.update_count)
        list_page = QWidget(self)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        filters.addWidget(self.period, 1)
        filters.addWidget(self.state, 1)
        box = QVBoxLayout(list_page)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(filters)
        box.addWidget(self.table, 1)
        box.addWidget(self.count_label)

        # calendar page
        self.calendar = VisitCalendar(self)
        self.calendar.visit_selected.connect(lambda vid: self._select(vid or None))
        self.calendar.visit_activated.connect(lambda vid: (self._select(vid), self.open_current()))
        self.calendar.reschedule_requested.connect(self.reschedule)
        self.calendar.new_visit_requested.connect(lambda start: self.plan_visit(start=start))
        self.calendar.range_changed.connect(self._calendar_moved)
        self.calendar.rep_requested.connect(lambda rep: self.rep.setCurrentIndex(max(0, self.rep.findData(rep))))
        calendar_page = QWidget(self)
        nav = QHBoxLayout()
        for name, text, slot in (("calendarPrevious", "‹", self.calendar.previous),
                                 ("calendarToday", self.tr("Today"), self.calendar.today),
                                 ("calendarNext", "›", self.calendar.next)):
            button = QToolButton(self)
            button.setObjectName(name)
            button.setText(text)
            button.clicked.connect(slot)
            nav.addWidget(button)
        self.calendar_title = QLabel(self)
        self.calendar_title.setObjectName("calendarTitle")
        self.calendar_title.setStyleSheet("font-size: 15px; font-weight: bold; padding: 0 8px;")
        nav.addWidget(self.calendar_title, 1)
        self.mode = QComboBox(self)
        self.mode.setObjectName("calendarMode")
        for key, text in (("day", self.tr("Day")), ("week", self.tr("Week")), ("month", self.tr("Month"))):
            self.mode.addItem(text, key)
        self.mode.setCurrentIndex(1)
        self.mode.currentIndexChanged.connect(lambda _i: self.calendar.set_mode(self.mode.currentData()))
        nav.addWidget(self.mode)
        self.by_rep = ByRepButton(self.calendar, self.mode, self)
        nav.addWidget(self.by_rep)
        box = QVBoxLayout(calendar_page)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(nav)
        box.addWidget(self.calendar, 1)

        # due page
        self.due = DueList(bus, self)
        self.due.plan_requested.connect(lambda cid: self.plan_visit(customer_id=cid))

        self.pages = QStackedWidget(self)
        for page in (list_page, calendar_page, self.due):
            self.pages.addWidget(page)
        self.details = VisitDetails(self)
        self.splitter = QSplitter(self)
        self.splitter.setObjectName("visitSplitter")
        self.splitter.addWidget(self.pages)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([900, 360])
        self._make_actions(switch_row)
        layout = QVBoxLayout(self)
        HintStrip.attach(self, "visits")  # what the tab is for, until dismissed (issue 18)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(switch_row)
        layout.addWidget(self.splitter, 1)
        self.bus.changed.connect(self.on_changes)
        self.reload_reps()
        self.view_buttons.button(LIST).setChecked(True)
        self.model.set_query(self.list_query())
        self.period.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.state.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.calendar.set_mode("week")
        self._calendar_moved()
        self._select(None)

    # ------------------------------------------------------------ actions
    def _size_columns(self) -> None:
        """The date and time whole, names and labels as wide as a typical one; the objective
        (free text) takes the space left, not the often empty result."""
        late, longest = when(dt.datetime(2026, 12, 28, 23, 59)), lambda pairs: max((t for _k, t in pairs), key=len)
        samples = {"starts_at": late, "ends_at": late, "customer_name": "北京华润商贸有限公司", "customer_code": "C0000001",
                   "kind": longest(kinds()), "state": longest(states()), "rep": "王芳芳芳", "place": "北京华润商贸有限公司"}
        keys = self.model.keys
        stretch = next((keys.index(k) for k in ("objective", "outcome", "place") if k in keys), None)
        size_columns(self.table, {keys.index(k): text for k, text in samples.items() if k in keys}, stretch)

    def _make_actions(self, row: QHBoxLayout) -> None:
        shortcut = Qt.ShortcutContext.WidgetWithChildrenShortcut
        self.plan_action = make_action(self, self.tr("&Plan a visit…"), lambda: self.plan_visit(),
                                       QKeySequence.StandardKey.New, "planVisit", shortcut)
        self.record_action = make_action(self, self.tr("&Record…"), self.record_current, name="recordVisit")
        self.edit_action = make_action(self, self.tr("C&hange plan…"), self.edit_current, name="editVisit")
        self.postpone_action = make_action(self, self.tr("Post&pone…"), lambda: self.close_current(V.POSTPONED),
                                           name="postponeVisit")
        self.cancel_action = make_action(self, self.tr("&Cancel visit…"), lambda: self.close_current(V.CANCELLED),
                                         name="cancelVisit")
        self.missed_action = make_action(self, self.tr("Did not take place…"), lambda: self.close_current(V.MISSED),
                                         name="missedVisit")
        self.delete_action = make_action(self, self.tr("&Delete visit"), self.delete_selected,
                                         QKeySequence.StandardKey.Delete, "deleteVisit", shortcut)
        self.day_plan_action = make_action(self, self.tr("Day &plan…"), lambda: self.open_day_plan(), name="dayPlan")
        for action in (self.plan_action, self.delete_action):
            self.addAction(action)
        row.addSpacing(16)
        for action in (self.plan_action, self.record_action, self.edit_action, self.postpone_action,
                       self.cancel_action, self.missed_action, self.delete_action, self.day_plan_action):
            button = QToolButton(self)
            button.setDefaultAction(action)
            button.setObjectName(f"{action.objectName()}Button")
            row.addWidget(button)
            self.buttons[action.objectName()] = button
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for action in (self.record_action, self.edit_action, self.postpone_action, self.cancel_action,
                       self.missed_action, self.delete_action):
            self.table.addAction(action)

    def _update_actions(self) -> None:
        visit = self.details.visit  # read once, by the details pane
        planned = visit is not None and visit.state == V.PLANNED
        self.record_action.setEnabled(visit is not None and visit.state in (V.PLANNED, V.DONE))
        self.record_action.setText(self.tr("Correct the rec&ord…") if visit is not None and visit.state == V.DONE
                                   else self.tr("&Record…"))
        for action in (self.edit_action, self.postpone_action, self.cancel_action, self.missed_action):
            action.setEnabled(planned)
        self.delete_action.setEnabled(visit is not None)

    # ------------------------------------------------------------ views
    def show_view(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self.view_buttons.button(index).setChecked(True)
        self.details.setVisible(index != DUE)
        if index == CALENDAR:
            self.calendar.reload()
        elif index == DUE:
            self.due.refresh()

    def reload_reps(self) -> None:
        refill(self.rep, self.tr("All reps"), visits.reps())

    def _rep_changed(self) -> None:
        rep = self.rep.currentData() or ""
        self.calendar.set_rep(rep)
        self.by_rep.set_rep(rep)
        self.due.set_owner(rep)
        self.apply_filters()

    def _team_changed(self) -> None:
        team = self.team.team()
        self.calendar.set_team(team)
        self.due.set_team(team)
        self.apply_filters()

    def list_query(self) -> VisitQuery:
        return replace(self.model.query, search=self.search.text(), period=self.period.currentData(),
                       state=self.state.currentData(), rep=self.rep.currentData() or "", team=self.team.team())

    def apply_filters(self) -> None:
        self.search_timer.stop()
        query = self.list_query()
        if query != self.model.query:
            self.model.set_query(query)

    def update_count(self) -> None:
        count = self.model.rowCount()
        self.count_label.setText(self.tr("Searching…") if not self.model.complete else
                                 (self.tr("%n visit(s)", "", count)))

    def _calendar_moved(self) -> None:
        self.calendar_title.setText(self.calendar.title())

    def _select(self, visit_id: Optional[int]) -> None:
        self.details.show_visit(visit_id)
        self._update_actions()

    def current_id(self) -> Optional[int]:
        return self.details.visit_id

    def select_restored(self, ids: list[int]) -> None:
        """After an undone delete: the restored visit selected and scrolled to, when the list shows it."""
        self.model.wait_loaded()
        row = self.model.row_of(ids[0])
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        self._select(ids[0])

    def selected_ids(self) -> list[int]:
        if self.pages.currentIndex() == LIST:
            rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
            ids = [self.model.id_at(r) for r in rows if self.model.id_at(r) is not None]
            if ids:
                return ids
        return [self.current_id()] if self.current_id() else []

    # ------------------------------------------------------------ doing
    def _open(self, dialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._after_dialog(dialog))
        self.dialog = dialog
        dialog.open()

    def _after_dialog(self, dialog) -> None:
        saved = getattr(dialog, "saved_id", None) or getattr(dialog, "next_id", None)
        result = getattr(dialog, "series_result", None)
        window = self.window()
        if result is not None and result.capped and hasattr(window, "statusBar"):
            window.statusBar().showMessage(self.tr(
                "Planned the first {count} visits of the repeating plan; the next ones are planned as these "
                "are recorded.").format(count=result.planned), 15000)
        if saved:
            self._select(saved)
            row = self.model.row_of(saved)
            if row >= 0:
                self.table.selectRow(row)

    def plan_visit(self, customer_id: Optional[int] = None, start: Optional[dt.datetime] = None,
                   kind: Optional[str] = None):
        """Plan a visit; ``kind`` ("win_back" from the churn list) instead of the one the stage suggests."""
        from crmdesk.ui.visits.dialog import VisitDialog
        dialog = VisitDialog(self.bus, customer_id=customer_id, start=start, parent=self)
        if kind and dialog.kind.findData(kind) >= 0:
            dialog.kind.setCurrentIndex(dialog.kind.findData(kind))
        self._open(dialog)
        return dialog

    def log_visit(self, customer_id: int):
        from crmdesk.ui.visits.record_dialog import RecordDialog
        dialog = RecordDialog(self.bus, customer_id=customer_id, parent=self)
        self._open(dialog)
        return dialog

    def _current_visit(self):
        if not self.current_id():
            return None
        try:
            return visits.get(self.current_id())
        except CrmError as error:
            show_error(self, error)
            return None

    def open_current(self):
        """Enter / double-click: record a planned or done visit's result, else show it."""
        visit = self._current_visit()
        if visit is None:
            return None
        if visit.state == V.PLANNED and visits.shown_state(visit) == V.PLANNED and visit.starts_at > visits.now():
            return self.edit_current()
        if visit.state in (V.PLANNED, V.DONE):
            return self.record_current()
        return None

    def edit_current(self):
        from crmdesk.ui.visits.dialog import VisitDialog
        visit = self._current_visit()
        if visit is None or visit.state != V.PLANNED:
            return None
        dialog = VisitDialog(self.bus, visit_id=visit.id, parent=self)
        self._open(dialog)
        return dialog

    def record_current(self):
        from crmdesk.ui.visits.record_dialog import RecordDialog
        visit = self._current_visit()
        if visit is None or visit.state not in (V.PLANNED, V.DONE):
            return None
        dialog = RecordDialog(self.bus, visit_id=visit.id, parent=self)
        self._open(dialog)
        return dialog

    def close_current(self, to: str):
        from crmdesk.ui.visits.record_dialog import CloseVisitDialog
        visit = self._current_visit()
        if visit is None or visit.state != V.PLANNED:
            return None
        dialog = CloseVisitDialog(self.bus, visit.id, to, self)
        self._open(dialog)
        return dialog

    def reschedule(self, visit_id: int, version: int, starts_at: dt.datetime) -> bool:
        """A drag in the calendar: the visit moves, keeping its length."""
        try:
            written = visits.reschedule(visit_id, starts_at, expected_version=version)
        except CrmError as error:
            show_error(self, error)
            self.calendar.reload()
            return False
        self.bus.publish(*written.changes)
        self._select(visit_id)
        return True

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        try:
            self.bus.publish(*visits.delete(ids))
        except CrmError as error:
            show_error(self, error)
            return
        text = self.tr("Delete visits: %n", "", len(ids))
        self.undo_stack.push(DeleteCommand(self.bus, ids, text, visits.delete, visits.restore,
                                           select=follow(self, "visits_tab", "select_restored")))
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(self.tr("Deleted. Ctrl+Z brings it back."), 8000)

    def open_day_plan(self, day: Optional[dt.date] = None):
        from crmdesk.ui.visits.day_plan_dialog import DayPlanDialog
        if day is None:
            day = self.calendar.current_date() if self.pages.currentIndex() == CALENDAR else dt.date.today()
        dialog = DayPlanDialog(day, self.rep.currentData() or "", self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog

    # ------------------------------------------------------------ changes
    def on_changes(self, changes: Changes) -> None:
        if changes.entity not in ("visit", "customer", "*", "due"):
            return
        if changes.entity in ("customer", "*"):  # a customer handed to another team, or the first team arrived
            self.team.reload()
        if changes.entity in ("visit", "*") or (changes.entity == "customer" and changes.kind != "updated"):
            self.model.apply_changes(Changes("visit", changes.kind if changes.entity == "visit" else "reset",
                                             changes.ids if changes.entity == "visit" else ()))
            self.calendar.reload()
            if changes.kind != "updated":
                self.reload_reps()
        self.due.on_changes(changes)
        if self.details.visit_id is not None:
            self.details.refresh()
        self._update_actions()
