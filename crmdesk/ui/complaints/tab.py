"""The complaints tab: the list (overdue red, due soon amber) with search and filters, the
escalation list, and the statistics; beside the list the selected complaint's deadlines,
checklist and contacts. Log a complaint (Ctrl+N), change it, take the next step, log a
contact, delete (undoable)."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Optional

from PySide6.QtCore import QTimer, Qt
from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QLineEdit, QSplitter, QStackedWidget,
                               QToolButton, QVBoxLayout, QWidget)

from crmdesk.core.changes import Changes
from crmdesk.core.errors import CrmError
from crmdesk.core.complaints import flow as complaint_flow, settings as complaint_settings, complaints
from crmdesk.core.complaints.list import ComplaintQuery
from crmdesk.ui.complaints import labels as CL
from crmdesk.ui.actions import make_action
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.complaints.sources import KEYS, ComplaintSource, samples
from crmdesk.ui.errors import show_error
from crmdesk.ui.common.filters import TeamFilter, refill, view_switcher
from crmdesk.ui.common.list_view import lazy_view
from crmdesk.ui.common.table_model import LazyTableModel
from crmdesk.ui.common.undo_delete import DeleteCommand, follow
from crmdesk.ui.complaints.details import ComplaintDetails
from crmdesk.ui.complaints.escalation_list import EscalationList
from crmdesk.ui.welcome.hint_strip import HintStrip

LIST, ESCALATION, STATISTICS = 0, 1, 2



class ComplaintsTab(QWidget):
    def __init__(self, bus: ChangeBus, undo_stack: QUndoStack, parent=None):
        super().__init__(parent)
        self.setObjectName("complaintsTab")
        self.bus, self.undo_stack = bus, undo_stack
        self.dialog = None
        self.stats = None  # the statistics page, made when first shown
        self.source = ComplaintSource()
        self.model = LazyTableModel(self.source, KEYS, ComplaintQuery(), self)

        top = QHBoxLayout()
        self.view_buttons = view_switcher(self, top, (
            ("showComplaints", self.tr("Complaints")), ("showEscalation", self.tr("Escalation")),
            ("showStatistics", self.tr("Statistics"))))
        self.view_buttons.idClicked.connect(self.show_view)
        top.addSpacing(16)
        self.owner = QComboBox(self)
        self.owner.setObjectName("complaintOwnerFilter")
        self.owner.setMinimumContentsLength(8)
        self.owner_label = QLabel(self.tr("Owner"), self)
        top.addWidget(self.owner_label)
        top.addWidget(self.owner)
        top.addSpacing(8)
        self.team = TeamFilter(self, "complaintTeamFilter")
        self.team.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.team.add_to(top)
        top.addSpacing(16)
        self.buttons: dict[str, QToolButton] = {}
        self._make_actions(top)
        top.addStretch(1)

        self.search = QLineEdit(self)
        self.search.setObjectName("complaintSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Search number, customer, contact, product, words…"))
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(200)
        self.search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(lambda _t: self.search_timer.start())
        self.view = QComboBox(self)
        self.view.setObjectName("complaintView")
        for key, text in (("open", self.tr("Open")), ("overdue", self.tr("Overdue")), ("due_soon", self.tr("Due soon")),
                          ("waiting", self.tr("Waiting for the customer")), ("closed", self.tr("Resolved and closed")),
                          ("all", self.tr("All complaints"))):
            self.view.addItem(text, key)
        self.severity = QComboBox(self)
        self.severity.setObjectName("complaintSeverityFilter")
        self.severity.addItem(self.tr("Every severity"), "")
        for key, text in CL.choices("severity"):
            self.severity.addItem(text, key)
        self.category = QComboBox(self)
        self.category.setObjectName("complaintCategoryFilter")
        self.category.addItem(self.tr("Every category"), "")
        for key, text in CL.choices("category"):
            self.category.addItem(text, key)
        self.period = QComboBox(self)
        self.period.setObjectName("complaintPeriod")
        for key, text in (("all", self.tr("Any time")), ("month", self.tr("This month")),
                          ("past30", self.tr("Last 30 days")), ("past90", self.tr("Last 90 days")),
                          ("year", self.tr("This year"))):
            self.period.addItem(text, key)
        self.table = lazy_view(self, self.model, "complaintTable", sort_column=KEYS.index("due_at"))
        self.table.activated.connect(lambda _i: self.edit_current())
        self.size_columns()
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for action in (self.edit_action, *self.step_actions.values(), self.contact_action, self.delete_action):
            self.table.addAction(action)
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _prev: self._select(self.model.id_at(current.row()) if current.isValid() else None))
        self.count_label = QLabel(self)
        self.count_label.setObjectName("complaintCount")
        self.model.modelReset.connect(self.update_count)
        self.model.loaded.connect(self.update_count)
        list_page = QWidget(self)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        for box in (self.view, self.severity, self.category, self.period):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(6)
            filters.addWidget(box, 1)
        box = QVBoxLayout(list_page)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(filters)
        box.addWidget(self.table, 1)
        box.addWidget(self.count_label)

        self.details = ComplaintDetails(self)
        self.escalation = EscalationList(self)
        self.escalation.open_requested.connect(self.open_complaint)
        self.list_splitter = QSplitter(self)
        self.list_splitter.setObjectName("complaintSplitter")
        details_page = QWidget(self)
        box = QVBoxLayout(details_page)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(self.step_row)
        box.addWidget(self.details, 1)
        self.list_splitter.addWidget(list_page)
        self.list_splitter.addWidget(details_page)
        self.list_splitter.setStretchFactor(0, 3)
        self.list_splitter.setStretchFactor(1, 2)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.list_splitter)
        self.pages.addWidget(self.escalation)
        self.stats_holder = QWidget(self)
        QVBoxLayout(self.stats_holder).setContentsMargins(0, 0, 0, 0)
        self.pages.addWidget(self.stats_holder)
        layout = QVBoxLayout(self)
        HintStrip.attach(self, "complaints")  # what the tab is for, until dismissed (issue 18)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)
        self.bus.changed.connect(self.on_changes)
        self.reload_owners()
        self.owner.currentIndexChanged.connect(lambda _i: self._owner_changed())
        self.view_buttons.button(LIST).setChecked(True)
        self.model.set_query(self.list_query())
        for combo in (self.view, self.severity, self.category, self.period):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self._select(None)
        self.list_splitter.setSizes([820, 440])

    # ------------------------------------------------------------ time (tests pin it)
    def set_now(self, now: Optional[dt.datetime]) -> None:
        self.source.now = self.details.now = self.escalation.now = now
        if self.stats is not None:
            self.stats.now = now
        self.model.refresh()
        self.details.refresh()

    # ------------------------------------------------------------ actions
    def _make_actions(self, row: QHBoxLayout) -> None:
        shortcut = Qt.ShortcutContext.WidgetWithChildrenShortcut
        self.new_action = make_action(self, self.tr("&Log a complaint…"), lambda: self.new_complaint(),
                                      QKeySequence.StandardKey.New, "newComplaint", shortcut)
        self.edit_action = make_action(self, self.tr("&Details…"), self.edit_current, name="editComplaint")
        self.contact_action = make_action(self, self.tr("Log a &contact…"), lambda: self.step("contact"),
                                          name="complaintContact")
        texts = {"acknowledge": self.tr("&Acknowledge…"), "investigate": self.tr("&Investigate…"),
                 "propose": self.tr("&Propose a solution…"), "reject": self.tr("Customer re&jected…"),
                 "resolve": self.tr("&Resolved…"), "close": self.tr("Cl&ose with survey…"),
                 "reopen": self.tr("Re&open…"), "wait": self.tr("&Wait for the customer…"),
                 "resume": self.tr("Res&ume…")}
        self.step_actions = {key: make_action(self, text, lambda _c=False, k=key: self.step(k),
                                              name=f"complaint_{key}") for key, text in texts.items()}
        self.delete_action = make_action(self, self.tr("&Delete complaint"), self.delete_selected,
                                         QKeySequence.StandardKey.Delete, "deleteComplaint", shortcut)
        for action in (self.new_action, self.delete_action):
            self.addAction(action)
        # the next steps go above the selected complaint's details; the rest in the top row
        self.step_row = QHBoxLayout()
        for action in [self.new_action, self.edit_action, self.contact_action, self.delete_action,
                       *self.step_actions.values()]:
            button = QToolButton(self)
            button.setDefaultAction(action)
            button.setObjectName(f"{action.objectName()}Button")
            (self.step_row if action in self.step_actions.values() else row).addWidget(button)
            self.buttons[action.objectName()] = button
        self.step_row.addStretch(1)

    def size_columns(self) -> None:
        """Each column as wide as its usual values (no row is read for it: the list is lazy)."""
        metrics, header = self.table.fontMetrics(), self.table.horizontalHeader()
        for column, key in enumerate(self.model.keys):
            widest = max(metrics.horizontalAdvance(text) for text in samples(key))
            title = header.fontMetrics().horizontalAdvance(self.source.header(key)) + 28  # and the sort arrow
            self.table.setColumnWidth(column, max(widest + 18, title))

    def menu_actions(self) -> list:
        return [self.new_action, self.edit_action, *self.step_actions.values(), self.contact_action, self.delete_action]

    def _update_actions(self) -> None:
        complaint = self.details.complaint
        allowed = set(complaint_flow.actions(complaint)) if complaint is not None else set()
        for key, action in self.step_actions.items():
            action.setEnabled(key in allowed)
            self.buttons[action.objectName()].setVisible(key in allowed)
        self.step_row.invalidate()  # hidden buttons must not keep the window wide
        for action in (self.edit_action, self.contact_action, self.delete_action):
            action.setEnabled(complaint is not None)

    # ------------------------------------------------------------ views
    def show_view(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        for widget in (self.owner_label, self.owner):  # the statistics page has its own owner filter
            widget.setVisible(index != STATISTICS)
        self.team.set_wanted(index == LIST)
        self.view_buttons.button(index).setChecked(True)
        if index == ESCALATION:
            self.escalation.refresh()
        elif index == STATISTICS:
            self._stats_page().refresh()

    def _stats_page(self):
        if self.stats is None:
            from crmdesk.ui.complaints.charts import ComplaintStatsView
            self.stats = ComplaintStatsView(self.stats_holder)
            self.stats.now = self.source.now
            self.stats_holder.layout().addWidget(self.stats)
            self.stats.show()
        return self.stats

    def reload_owners(self) -> None:
        refill(self.owner, self.tr("Everyone"), complaint_settings.people())

    def _owner_changed(self) -> None:
        self.escalation.set_owner(self.owner.currentData() or "")
        self.apply_filters()

    def list_query(self) -> ComplaintQuery:
        return replace(self.model.query, search=self.search.text(), view=self.view.currentData(),
                       severity=self.severity.currentData(), category=self.category.currentData(),
                       period=self.period.currentData(), owner=self.owner.currentData() or "", team=self.team.team())

    def apply_filters(self) -> None:
        self.search_timer.stop()
        query = self.list_query()
        if query != self.model.query:
            self.model.set_query(query)

    def update_count(self) -> None:
        count = self.model.rowCount()
        self.count_label.setText(self.tr("Searching…") if not self.model.complete else (
            self.tr("%n complaint(s)", "", count)))

    def _select(self, complaint_id: Optional[int]) -> None:
        self.details.show_complaint(complaint_id)
        self._update_actions()

    def current_id(self) -> Optional[int]:
        return self.details.complaint_id

    def open_complaint(self, complaint_id: int) -> None:
        """Show it in the list (all complaints, if the filters hide it) with its details."""
        self.show_view(LIST)
        if self.model.row_of(complaint_id) < 0:
            self.search.clear()
            for combo in (self.severity, self.category):
                combo.setCurrentIndex(0)
            self.period.setCurrentIndex(0)
            self.view.setCurrentIndex(self.view.findData("all"))
            self.apply_filters()
            self.model.wait_loaded()
        row = self.model.row_of(complaint_id)
        if row >= 0:
            self.table.selectRow(row)
        self._select(complaint_id)

    # ------------------------------------------------------------ doing
    def _open(self, dialog):
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._after_dialog(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _after_dialog(self, dialog) -> None:
        saved = getattr(dialog, "saved_id", None)
        if saved:
            self._select(saved)
            row = self.model.row_of(saved)
            if row >= 0:
                self.table.selectRow(row)
        care = getattr(dialog, "care_event_id", None)
        window = self.window()
        if care and hasattr(window, "statusBar"):
            window.statusBar().showMessage(self.tr("Closed. A follow-up call is planned in the care list."), 10000)

    def new_complaint(self, customer_id: Optional[int] = None):
        from crmdesk.ui.complaints.dialog import ComplaintDialog
        return self._open(ComplaintDialog(self.bus, customer_id=customer_id, parent=self, now=self.source.now))

    def edit_current(self):
        from crmdesk.ui.complaints.dialog import ComplaintDialog
        if not self.current_id():
            return None
        try:
            return self._open(ComplaintDialog(self.bus, complaint_id=self.current_id(), parent=self))
        except CrmError as error:
            show_error(self, error)
            return None

    def step(self, action: str):
        from crmdesk.ui.complaints.step_dialog import ComplaintStepDialog
        if not self.current_id():
            return None
        try:
            return self._open(ComplaintStepDialog(self.bus, self.current_id(), action, self, now=self.source.now))
        except CrmError as error:
            show_error(self, error)
            return None

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        ids = [self.model.id_at(r) for r in rows if self.model.id_at(r) is not None]
        return ids or ([self.current_id()] if self.current_id() else [])

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        try:
            self.bus.publish(*complaints.delete(ids))
        except CrmError as error:
            show_error(self, error)
            return
        self.undo_stack.push(DeleteCommand(self.bus, ids, self.tr("Delete complaints: %n", "", len(ids)),
                                           complaints.delete, complaints.restore,
                                           select=follow(self, "complaints_tab", "select_restored")))
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(self.tr("Deleted. Ctrl+Z brings it back."), 8000)

    def select_restored(self, ids: list[int]) -> None:
        """After an undone delete: the restored complaint selected and scrolled to, the filters kept
        when they show it."""
        self.model.wait_loaded()
        self.open_complaint(ids[0])
        row = self.model.row_of(ids[0])
        if row >= 0:
            self.table.scrollTo(self.model.index(row, 0))

    # ------------------------------------------------------------ changes
    def on_changes(self, changes: Changes) -> None:
        if changes.entity not in ("complaint", "customer", "*", "complaint_settings"):
            return
        if changes.entity in ("customer", "*"):
            self.team.reload()
        if changes.entity in ("complaint", "*") or (changes.entity == "customer" and changes.kind != "updated"):
            self.model.apply_changes(Changes("complaint", changes.kind if changes.entity == "complaint" else "reset",
                                             changes.ids if changes.entity == "complaint" else ()))
            if changes.entity == "complaint" and changes.kind == "updated" and self.model.query.view != "all":
                # a step (resolve, close, reopen, wait) can move it out of the view: ask for the ids again,
                # so it leaves the "Open" list and the count drops at once
                self.model.refresh()
            if changes.kind != "updated":
                self.reload_owners()
        if self.pages.currentIndex() == ESCALATION:
            self.escalation.refresh()
        if self.stats is not None:
            self.stats.on_changes(changes)
        self.details.refresh()
        self._update_actions()
