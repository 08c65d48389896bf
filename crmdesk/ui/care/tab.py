"""The care tab: today's reminders, this week's, the overdue ones, all open, and the done
history, with the count of each on its button; filters by kind and owner and a search;
beside the list the selected reminder with its personalised greeting. Done (with the
result, two clicks), snooze, skip (with a reason), set back, on one reminder or a
selection; copy a greeting; export the selection's greetings to Excel for a mail merge;
plan one by hand (Ctrl+N); delete (undoable)."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Optional

from PySide6.QtCore import QTimer, Qt
from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QLineEdit, QMenu, QSplitter,
                               QToolButton, QVBoxLayout, QWidget)

from crmdesk.core.changes import Changes
from crmdesk.core.errors import CrmError
from crmdesk.core.care import events as care, list as care_list
from crmdesk.core.care.list import CareQuery
from crmdesk.ui.care import labels as CL
from crmdesk.ui.actions import make_action
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.care.sources import KEYS, CareSource, samples
from crmdesk.ui.errors import show_error
from crmdesk.ui.common.filters import refill, view_switcher
from crmdesk.ui.common.list_view import lazy_view
from crmdesk.ui.common.table_model import LazyTableModel
from crmdesk.ui.common.undo_delete import DeleteCommand, follow
from crmdesk.ui.care.details import CareDetails
from crmdesk.ui.welcome.hint_strip import HintStrip

VIEWS = ("today", "week", "overdue", "open", "done")
TODAY, WEEK, OVERDUE, OPEN, DONE = range(5)


class CareTab(QWidget):
    def __init__(self, bus: ChangeBus, undo_stack: QUndoStack, parent=None):
        super().__init__(parent)
        self.setObjectName("careTab")
        self.bus, self.undo_stack = bus, undo_stack
        self.dialog = None
        self.source = CareSource()
        self.model = LazyTableModel(self.source, KEYS, CareQuery(view="today"), self)

        top = QHBoxLayout()
        self.view_buttons = view_switcher(self, top, [(f"care_{v}", "") for v in VIEWS])
        self.view_buttons.idClicked.connect(self.show_view)
        top.addSpacing(12)
        self.buttons: dict[str, QToolButton] = {}
        self._make_actions(top)
        top.addStretch(1)
        self.notice = QLabel(self)
        self.notice.setObjectName("careNotice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("background: #fff4d6; padding: 4px 8px; border-radius: 3px;")
        self.notice.hide()

        self.search = QLineEdit(self)
        self.search.setObjectName("careSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Search customer, contact, subject, result…"))
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(200)
        self.search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(lambda _t: self.search_timer.start())
        self.kind = QComboBox(self)
        self.kind.setObjectName("careKindFilter")
        self.kind.addItem(self.tr("Every kind"), "")
        for key, text in CL.choices("kind"):
            self.kind.addItem(text, key)
        self.owner = QComboBox(self)
        self.owner.setObjectName("careOwnerFilter")
        self.table = lazy_view(self, self.model, "careTable", sort_column=0)
        self.table.activated.connect(lambda _i: self.edit_current())
        self.size_columns()
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for action in (self.done_action, self.skip_action, self.snooze_action, self.reopen_action, self.edit_action,
                       self.copy_action, self.delete_action):
            self.table.addAction(action)
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _prev: self._select(self.model.id_at(current.row()) if current.isValid() else None))
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_actions())
        self.count_label = QLabel(self)
        self.count_label.setObjectName("careCount")
        self.model.modelReset.connect(self.update_count)
        self.model.loaded.connect(self.update_count)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        for box in (self.kind, self.owner):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(8)
            filters.addWidget(box, 1)
        list_page = QWidget(self)
        box = QVBoxLayout(list_page)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(filters)
        box.addWidget(self.table, 1)
        box.addWidget(self.count_label)
        self.details = CareDetails(self)
        self.details.copied.connect(self._copied)
        self.splitter = QSplitter(self)
        self.splitter.setObjectName("careSplitter")
        self.splitter.addWidget(list_page)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        HintStrip.attach(self, "care")  # what the tab is for, until dismissed (issue 18)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.notice)
        layout.addWidget(self.splitter, 1)
        self.bus.changed.connect(self.on_changes)
        self.reload_owners()
        self.owner.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.kind.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.view_buttons.button(TODAY).setChecked(True)
        self.update_counts()
        self._select(None)
        self.splitter.setSizes([820, 440])

    # ------------------------------------------------------------ time (tests pin it)
    def today(self) -> dt.date:
        return self.source.day()

    def set_today(self, day: Optional[dt.date]) -> None:
        self.source.today = day
        self.apply_filters(force=True)  # and the counts

    # ------------------------------------------------------------ actions
    def _make_actions(self, row: QHBoxLayout) -> None:
        shortcut = Qt.ShortcutContext.WidgetWithChildrenShortcut
        self.new_action = make_action(self, self.tr("&Plan a reminder…"), lambda: self.new_event(),
                                      QKeySequence.StandardKey.New, "newCare", shortcut)
        self.done_action = make_action(self, self.tr("&Done…"), lambda: self.act("done"), name="careDone")
        self.skip_action = make_action(self, self.tr("S&kip…"), lambda: self.act("skip"), name="careSkip")
        self.snooze_action = make_action(self, self.tr("S&nooze"), lambda: self.snooze_days(1), name="careSnooze")
        menu = QMenu(self)
        for days, text in ((1, self.tr("Until tomorrow")), (3, self.tr("For 3 days")), (7, self.tr("For a week"))):
            menu.addAction(make_action(menu, text, lambda _c=False, d=days: self.snooze_days(d), name=f"snooze{days}"))
        menu.addAction(make_action(menu, self.tr("Until a day I choose…"), lambda: self.act("snooze"),
                                   name="snoozeChoose"))
        self.snooze_menu = menu
        self.snooze_action.setMenu(menu)
        self.reopen_action = make_action(self, self.tr("Set back to &due"), self.reopen_selected, name="careReopen")
        self.edit_action = make_action(self, self.tr("&Change…"), self.edit_current, name="careEdit")
        self.copy_action = make_action(self, self.tr("&Copy greeting"), lambda: self.details.copy_greeting(),
                                       QKeySequence.StandardKey.Copy, "careCopy", shortcut)
        self.export_greetings_action = make_action(self, self.tr("&Export greetings…"),
                                                   lambda: self.export_greetings(), name="careExportGreetings")
        self.delete_action = make_action(self, self.tr("De&lete reminder"), self.delete_selected,
                                         QKeySequence.StandardKey.Delete, "careDelete", shortcut)
        for action in (self.new_action, self.copy_action, self.delete_action):
            self.addAction(action)
        for action in (self.new_action, self.done_action, self.snooze_action, self.skip_action, self.reopen_action,
                       self.edit_action, self.export_greetings_action, self.delete_action):
            button = QToolButton(self)
            button.setDefaultAction(action)
            button.setObjectName(f"{action.objectName()}Button")
            if action is self.snooze_action:
                button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
            row.addWidget(button)
            self.buttons[button.objectName()] = button

    def menu_actions(self) -> list:
        return [self.new_action, self.done_action, self.snooze_action, self.skip_action, self.reopen_action,
                self.edit_action, self.copy_action, self.delete_action, None, self.export_greetings_action]

    def size_columns(self) -> None:
        metrics, header = self.table.fontMetrics(), self.table.horizontalHeader()
        for column, key in enumerate(self.model.keys):
            widest = max(metrics.horizontalAdvance(text) for text in samples(key))
            title = header.fontMetrics().horizontalAdvance(self.source.header(key)) + 28
            self.table.setColumnWidth(column, min(max(widest + 18, title), 320))

    def _update_actions(self) -> None:
        ids = self.selected_ids()
        event = self.details.current
        pending = event is not None and event.pending
        several = len(ids) > 1
        for action in (self.done_action, self.skip_action, self.snooze_action):
            action.setEnabled(bool(ids) and (pending or several))
        self.reopen_action.setEnabled(bool(ids) and (several or (event is not None and not event.pending)))
        self.edit_action.setEnabled(event is not None)
        self.delete_action.setEnabled(bool(ids))
        self.copy_action.setEnabled(event is not None)
        self.export_greetings_action.setEnabled(bool(ids))

    # ------------------------------------------------------------ views
    def show_view(self, index: int) -> None:
        self.view_buttons.button(index).setChecked(True)
        self.apply_filters()

    def list_query(self) -> CareQuery:
        return replace(self.model.query, view=VIEWS[max(self.view_buttons.checkedId(), 0)], search=self.search.text(),
                       kind=self.kind.currentData() or "", owner=self.owner.currentData() or "",
                       today=self.source.today)

    def apply_filters(self, force: bool = False) -> None:
        self.search_timer.stop()
        query = self.list_query()
        if force or query != self.model.query:
            self.model.set_query(query)
        self._select(self._current_row_id())
        self.update_counts()  # the buttons count for the owner chosen

    def reload_owners(self) -> None:
        from crmdesk.core.complaints import settings as complaint_settings
        refill(self.owner, self.tr("Everyone"), complaint_settings.people())

    def update_counts(self) -> None:
        counts = care_list.counts(self.today(), self.owner.currentData() or "")
        texts = (self.tr("Today ({count})").format(count=counts.today),
                 self.tr("This week ({count})").format(count=counts.week),
                 self.tr("Overdue ({count})").format(count=counts.overdue),
                 self.tr("All open"), self.tr("Done and skipped"))
        for index, text in enumerate(texts):
            self.view_buttons.button(index).setText(text)
        self.counts = counts

    def update_count(self) -> None:
        count = self.model.rowCount()
        self.count_label.setText(self.tr("Searching…") if not self.model.complete else (
            self.tr("%n reminder(s)", "", count)))

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    # ------------------------------------------------------------ selection
    def _current_row_id(self) -> Optional[int]:
        index = self.table.currentIndex()
        return self.model.id_at(index.row()) if index.isValid() else None

    def _select(self, event_id: Optional[int]) -> None:
        self.details.show_event(event_id)
        self._update_actions()

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        ids = [self.model.id_at(r) for r in rows if self.model.id_at(r) is not None]
        return ids or ([self.details.event_id] if self.details.current is not None else [])

    def _versions(self, ids: list[int]) -> dict[int, int]:
        event = self.details.current
        return {event.id: event.version} if event is not None and ids == [event.id] else {}

    def select_restored(self, restored: list[int]) -> None:
        """After an undo brought reminders back: the first one, selected and open."""
        self.model.wait_loaded()
        self.open_event(restored[0])

    def open_event(self, event_id: int) -> None:
        """Show it in the list (every view, if the current one hides it) with its details."""
        if self.model.row_of(event_id) < 0:
            self.search.clear()
            self.kind.setCurrentIndex(0)
            event = care.get(event_id)
            self.view_buttons.button(OPEN if event.pending else DONE).setChecked(True)
            self.apply_filters()
            self.model.wait_loaded()
        row = self.model.row_of(event_id)
        if row >= 0:
            self.table.selectRow(row)
        self._select(event_id)

    # ------------------------------------------------------------ doing
    def _open(self, dialog):
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog

    def new_event(self, customer_id: Optional[int] = None):
        from crmdesk.ui.care.event_dialog import CareEventDialog
        dialog = CareEventDialog(self.bus, customer_id=customer_id, parent=self, today=self.today())
        dialog.accepted.connect(lambda: dialog.saved_id and self.open_event(dialog.saved_id))
        return self._open(dialog)

    def edit_current(self):
        from crmdesk.ui.care.event_dialog import CareEventDialog
        if self.details.current is None:
            return None
        try:
            return self._open(CareEventDialog(self.bus, event_id=self.details.event_id, parent=self,
                                              today=self.today()))
        except CrmError as error:
            show_error(self, error)
            return None

    def act(self, mode: str):
        from crmdesk.ui.care.action_dialog import CareActionDialog
        ids = self.selected_ids()
        if not ids:
            return None
        dialog = CareActionDialog(self.bus, ids, mode, self, today=self.today(), versions=self._versions(ids))
        dialog.accepted.connect(lambda: self._after(dialog.outcome))
        return self._open(dialog)

    def snooze_days(self, days: int) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        try:
            done = care.snooze(ids, self.today() + dt.timedelta(days=days), self.today(), self._versions(ids))
        except CrmError as error:
            show_error(self, error)
            return
        self.bus.publish(*done.changes)
        self._after(done)

    def reopen_selected(self) -> None:
        ids = self.selected_ids()
        done = care.reopen(ids)
        self.bus.publish(*done.changes)
        self._after(done)

    def _after(self, done: Optional[care.Done]) -> None:
        if done is None:
            return
        text = self.tr("%n reminder(s) changed.", "", len(done.ids))
        if done.left:
            text += " " + self.tr("%n left as it was: already done, skipped or deleted.", "", done.left)
        self._status(text)

    def _status(self, text: str) -> None:
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(text, 8000)

    def _copied(self, _text: str) -> None:
        self._status(self.tr("The greeting is on the clipboard: paste it into WeChat, a text message or an email."))

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        self.bus.publish(*care.delete(ids))
        self.undo_stack.push(DeleteCommand(self.bus, ids, self.tr("Delete reminders: %n", "", len(ids)),
                                           care.delete, care.restore,
                                           select=follow(self, "care_tab", "select_restored")))
        self._status(self.tr("Deleted. Ctrl+Z brings it back."))

    def export_greetings(self, path: Optional[Path] = None):
        """The selection's greetings, one row per recipient, for a mail merge or WeChat."""
        from crmdesk.core.care import export as care_export
        from crmdesk.ui.imports.wizard import ui_lang
        ids = self.selected_ids()
        if not ids:
            return None
        from crmdesk.ui.common.save_dialog import workbook_path
        path = workbook_path(self, path, self.tr("Export greetings"), self.tr("greetings.xlsx"))
        if path is None:
            return None
        lang = self.details.lang.currentData() or ui_lang()
        try:
            count = care_export.export_greetings(path, ids, lang)
        except CrmError as error:
            show_error(self, error)
            return None
        self._status(self.tr("Exported %n greeting(s) to {path}.", "", count).format(path=path))
        return count

    def open_settings(self):
        from crmdesk.ui.care.settings_dialog import CareSettingsDialog
        dialog = CareSettingsDialog(self.bus, self, today=self.today())
        return self._open(dialog)

    def on_wake(self, wake) -> None:
        """The rules ran for a new day: refresh, and say what fell due while the app was closed."""
        self.apply_filters(force=True)  # a new day: today's list is another one, and its counts
        if wake.missed:
            self.show_notice(self.tr("While crmdesk was closed, %n reminder(s) fell due: it(they) is(are) in the Overdue "
                                     "list.", "", wake.missed))
        elif getattr(wake, "spread", None) is not None:  # a first run or an import: how many, spread how
            from crmdesk.ui.care.reminder import spread_text
            self.show_notice(spread_text(wake.spread))
        elif wake.clock_back:
            self.show_notice(self.tr("The computer's date is earlier than when crmdesk last ran: check the clock. "
                                     "Nothing was created twice."))
        else:
            self.show_notice("")

    # ------------------------------------------------------------ changes
    def on_changes(self, changes: Changes) -> None:
        if changes.entity not in ("care_event", "customer", "contact", "*", "care_settings"):
            return
        row = self.table.currentIndex().row()
        self.model.refresh()
        if self.model.rowCount() and row >= 0:
            row = min(row, self.model.rowCount() - 1)
            self.table.selectRow(row)  # the next reminder, after one left the list
            self._select(self.model.id_at(row))
        else:
            self._select(None)
        if changes.kind != "updated":
            self.reload_owners()
        self.update_counts()
