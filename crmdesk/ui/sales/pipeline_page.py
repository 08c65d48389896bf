"""The pipeline page of the Sales tab: the board (a column per stage) or the same deals as a
lazy, SQL-sorted list; filters by owner, period (expected close) and tier; new (Ctrl+N),
open (Enter), delete (Del, Ctrl+Z brings it back); a drag or Ctrl+Left/Right moves a deal
to another stage as an undoable step. Won marks the deal and says so (``won_requested``,
for the sale dialog) and offers a prospect customer its next lifecycle stage; lost asks why."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any, Optional, Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (QComboBox, QDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QStackedWidget,
                               QVBoxLayout, QWidget)

from crmdesk import i18n
from crmdesk.core.changes import Changes
from crmdesk.core.errors import CrmError
from crmdesk.core.sales import board, opportunity_list
from crmdesk.core.sales import opportunities as O
from crmdesk.core.sales import stages as S
from crmdesk.core.sales.opportunity_list import OpportunityQuery
from crmdesk.ui.common import formatting
from crmdesk.ui.actions import make_action
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.visits.dialog import VisitDialog
from crmdesk.ui.errors import show_error
from crmdesk.ui.common.filters import TeamFilter, refill, view_switcher
from crmdesk.ui.common.labels import choice_label, choices
from crmdesk.ui.common.list_view import lazy_view
from crmdesk.ui.sales.board_view import BoardView
from crmdesk.ui.sales.lost_dialog import LostDialog, reason_label
from crmdesk.ui.sales.opportunity_dialog import OpportunityDialog
from crmdesk.ui.common.table_model import LazyTableModel
from crmdesk.ui.common.undo_delete import DeleteCommand

PERIOD_SOURCES = {
    "all": QT_TRANSLATE_NOOP("PipelinePage", "Whole pipeline"),
    "this_month": QT_TRANSLATE_NOOP("PipelinePage", "Closing this month"),
    "next_month": QT_TRANSLATE_NOOP("PipelinePage", "Closing next month"),
    "this_quarter": QT_TRANSLATE_NOOP("PipelinePage", "Closing this quarter"),
    "this_year": QT_TRANSLATE_NOOP("PipelinePage", "Closing this year"),
}
HEADERS = {
    "title": QT_TRANSLATE_NOOP("OpportunityList", "Opportunity"),
    "customer_name": QT_TRANSLATE_NOOP("OpportunityList", "Customer"),
    "stage": QT_TRANSLATE_NOOP("OpportunityList", "Stage"),
    "amount": QT_TRANSLATE_NOOP("OpportunityList", "Amount"),
    "probability": QT_TRANSLATE_NOOP("OpportunityList", "Probability"),
    "expected_close": QT_TRANSLATE_NOOP("OpportunityList", "Expected close"),
    "days_in_stage": QT_TRANSLATE_NOOP("OpportunityList", "Days in stage"),
    "next_step": QT_TRANSLATE_NOOP("OpportunityList", "Next step"),
    "next_step_on": QT_TRANSLATE_NOOP("OpportunityList", "Next step on"),
    "owner": QT_TRANSLATE_NOOP("OpportunityList", "Owner"),
    "source": QT_TRANSLATE_NOOP("OpportunityList", "Source"),
    "tier": QT_TRANSLATE_NOOP("OpportunityList", "Tier"),
    "closed_on": QT_TRANSLATE_NOOP("OpportunityList", "Closed on"),
    "lost_reason": QT_TRANSLATE_NOOP("OpportunityList", "Lost because"),
}
ENTITIES = ("opportunity", "customer", "sales_settings", "*")


class OpportunitySource:
    """The opportunity list for the lazy table model, values in the user's language."""
    entity = "opportunity"

    def __init__(self):
        self.today: Optional[dt.date] = None  # tests pin it
        # the list is read once it is first shown: the board alone paints first, and a move
        # reloads the board, not a sorted list of every deal (110 ms at 110,000 deals)
        self.active = False

    def ids(self, query: OpportunityQuery, stop=None):
        return opportunity_list.ids(query, stop) if self.active else []

    def first_ids(self, query: OpportunityQuery, limit: int) -> list[int]:
        return opportunity_list.first_ids(query, limit) if self.active else []

    def rows(self, ids: Sequence[int], keys: Sequence[str]) -> dict[int, tuple]:
        return opportunity_list.rows(ids, keys, self.today)

    def header(self, key: str) -> str:
        return QCoreApplication.translate("OpportunityList", HEADERS.get(key, key))

    def display(self, key: str, value: Any) -> str:
        if value is None or value == "":
            return ""
        if key == "amount":
            return formatting.money(value)
        if key in ("expected_close", "next_step_on", "closed_on"):
            return formatting.date(value)
        if key == "stage":
            stage = S.by_key().get(value)
            return stage.name(i18n.language()) if stage else value
        if key == "probability":
            return f"{value} %"
        if key in ("tier", "source"):
            return choice_label(key, value)
        if key == "lost_reason":
            return reason_label(value)
        return str(value).replace("\n", " ")

    def alignment(self, key: str) -> Qt.AlignmentFlag:
        right = key in ("amount", "probability", "days_in_stage")
        return Qt.AlignmentFlag.AlignRight if right else Qt.AlignmentFlag.AlignLeft

    def sort_query(self, query: OpportunityQuery, key: str, descending: bool) -> OpportunityQuery:
        return replace(query, sort=key, descending=descending)


class MoveCommand(QUndoCommand):
    """A stage change already made; undo puts the stage, probability and history back."""

    def __init__(self, page: "PipelinePage", moved: O.Moved, stage: str, reason: Optional[str], note: str, text: str):
        super().__init__(text)
        self.page, self.moved, self.stage, self.reason, self.note = page, moved, stage, reason, note
        self.first = True

    def redo(self) -> None:
        if self.first:
            self.first = False
            return
        self.page.run(lambda: self._again())

    def _again(self) -> list[Changes]:
        self.moved = O.move(self.moved.opportunity_id, self.stage, None, self.page.now, reason=self.reason,
                            note=self.note)
        return list(self.moved.changes)

    def undo(self) -> None:
        self.page.run(lambda: O.undo_move(self.moved))


class PipelinePage(QWidget):
    won_requested = Signal(int)  # an opportunity just marked won: record the sale it became

    def __init__(self, bus: ChangeBus, undo_stack: QUndoStack, parent: Optional[QWidget] = None,
                 now: Optional[dt.datetime] = None):
        super().__init__(parent)
        self.setObjectName("pipelinePage")
        self.bus, self.undo_stack = bus, undo_stack
        self.now: Optional[dt.datetime] = now  # tests pin it; None: the real now
        self.source = OpportunitySource()
        self.source.today = now.date() if now else None
        self.model = LazyTableModel(self.source, opportunity_list.DEFAULT_COLUMNS, OpportunityQuery(), self)
        top = QHBoxLayout()
        self.views = view_switcher(self, top, (("boardButton", self.tr("Board")), ("listButton", self.tr("List"))))
        self.owner = QComboBox(self)
        self.owner.setObjectName("ownerFilter")
        self.team = TeamFilter(self, "teamFilter", label=False)  # the deals of one team's customers
        self.period = QComboBox(self)
        self.period.setObjectName("periodFilter")
        for key in board.PERIODS:
            self.period.addItem(QCoreApplication.translate("PipelinePage", PERIOD_SOURCES[key]), key)
        self.tier = QComboBox(self)
        self.tier.setObjectName("tierFilter")
        self.tier.addItem(self.tr("Every tier"), "")
        for key, text in choices("tier"):
            self.tier.addItem(text, key)
        for combo in (self.owner, self.team, self.period, self.tier):
            top.addWidget(combo)
            combo.currentIndexChanged.connect(lambda _i: self.reload())
        top.addStretch(1)
        shortcut = Qt.ShortcutContext.WidgetWithChildrenShortcut
        self.new_action = make_action(self, self.tr("&New opportunity…"), lambda: self.new_opportunity(),
                                      QKeySequence.StandardKey.New, "newOpportunity", shortcut)
        self.delete_action = make_action(self, self.tr("&Delete opportunity"), self.delete_selected,
                                         QKeySequence.StandardKey.Delete, "deleteOpportunity", shortcut)
        for action in (self.new_action, self.delete_action):
            self.addAction(action)
        self.new_button = QPushButton(self.tr("New opportunity…"), self)
        self.new_button.setObjectName("newOpportunityButton")
        self.new_button.clicked.connect(lambda: self.new_opportunity())
        self.visit_button = QPushButton(self.tr("Plan a visit…"), self)
        self.visit_button.setObjectName("planVisitButton")
        self.visit_button.clicked.connect(lambda: self.plan_visit(self.current_id()))
        top.addWidget(self.visit_button)
        top.addWidget(self.new_button)
        self.board = BoardView(self)
        self.board.move_requested.connect(self.request_move)
        self.board.open_requested.connect(self.open_opportunity)
        self.board.plan_visit_requested.connect(self.plan_visit)
        self.table = lazy_view(self, self.model, "opportunityTable",
                               sort_column=opportunity_list.DEFAULT_COLUMNS.index("expected_close"))
        for key, width in (("title", 180), ("customer_name", 200), ("next_step", 180)):
            self.table.setColumnWidth(opportunity_list.DEFAULT_COLUMNS.index(key), width)
        self.table.activated.connect(lambda index: self.open_opportunity(self.model.id_at(index.row())))
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.board)
        self.stack.addWidget(self.table)
        self.views.idClicked.connect(self.show_view)
        self.views.button(0).setChecked(True)
        self.status = QLabel(self)
        self.status.setObjectName("pipelineStatus")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.status)
        self._publishing = False  # our own move's changes: the page reloads once, itself
        self.bus.changed.connect(self.on_changes)
        self.reload()

    # ------------------------------------------------------------ state
    def set_now(self, now: Optional[dt.datetime]) -> None:
        self.now = now
        self.source.today = now.date() if now else None
        self.reload()

    def today(self) -> dt.date:
        return self.now.date() if self.now else dt.date.today()

    def board_query(self) -> board.BoardQuery:
        return board.BoardQuery(owner=self.owner.currentData() or "", team=self.team.team(), period=self.period.currentData() or "all",
                                tier=self.tier.currentData() or "", today=self.today())

    def reload(self, select: Optional[int] = None) -> None:
        refill(self.owner, self.tr("Every owner"), board.owners())
        self.team.reload()
        query = self.board_query()
        self.board.show_columns(board.load(query))
        if select:
            self.board.select(select)
        self.list_stale = True
        if self.stack.currentWidget() is self.table:
            self.reload_list()

    def reload_list(self) -> None:
        query = self.board_query()
        self.source.active, self.list_stale = True, False
        self.model.set_query(OpportunityQuery(owner=query.owner, team=query.team, period=query.period, tier=query.tier,
                                              today=query.today, sort=self.model.query.sort,
                                              descending=self.model.query.descending))

    def show_view(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        self.views.button(index).setChecked(True)
        if self.stack.currentWidget() is self.table and self.list_stale:
            self.reload_list()

    def on_changes(self, changes: Changes) -> None:
        if changes.entity in ENTITIES and not self._publishing:
            self.reload()

    def current_id(self) -> Optional[int]:
        if self.stack.currentWidget() is self.table:
            index = self.table.currentIndex()
            return self.model.id_at(index.row()) if index.isValid() else None
        return self.board.current_id()

    def run(self, call) -> bool:
        """A write: its changes broadcast, or its error said; the board reloaded either way."""
        try:
            changes = call()
        except CrmError as error:
            show_error(self, error)
            self.reload()
            return False
        self.bus.publish(*changes)
        return True

    # ------------------------------------------------------------ actions
    def new_opportunity(self, customer_id: Optional[int] = None) -> Optional[int]:
        dialog = OpportunityDialog(self.bus, customer_id=customer_id, parent=self, now=self.now)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.board.select(dialog.saved_id)
            return dialog.saved_id
        return None

    def open_opportunity(self, opportunity_id: Optional[int]) -> None:
        if not opportunity_id:
            return
        try:
            dialog = OpportunityDialog(self.bus, opportunity_id=opportunity_id, parent=self, now=self.now)
        except CrmError as error:
            show_error(self, error)
            self.reload()
            return
        dialog.exec()

    def plan_visit(self, opportunity_id: Optional[int]) -> Optional[int]:
        """The visit dialog for the deal's customer, linked to the deal."""
        if not opportunity_id:
            return None
        try:
            customer_id = O.get(opportunity_id).customer_id
        except CrmError as error:
            show_error(self, error)
            self.reload()
            return None
        dialog = VisitDialog(self.bus, customer_id=customer_id, parent=self, opportunity_id=opportunity_id)
        return dialog.saved_id if dialog.exec() == QDialog.DialogCode.Accepted else None

    def delete_selected(self) -> None:
        opportunity_id = self.current_id()
        if not opportunity_id:
            return
        if not self.run(lambda: O.delete([opportunity_id])):
            return
        self.undo_stack.push(DeleteCommand(self.bus, [opportunity_id], self.tr("Delete opportunity"),
                                           O.delete, O.restore, select=lambda ids: self.board.select(ids[0])))
        self.status.setText(self.tr("Deleted. Ctrl+Z brings it back."))

    def ask_lost(self, title: str) -> Optional[tuple[str, str]]:
        dialog = LostDialog(title, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.chosen()

    def confirm_stage(self, customer: str, stage: str) -> bool:
        return QMessageBox.question(self, self.tr("Lifecycle stage"), self.tr(
            "The deal is won. Move {customer} to the {stage} stage? It shows in the customer's profile and history.")
            .format(customer=customer, stage=choice_label("stage", stage))) == QMessageBox.StandardButton.Yes

    def request_move(self, opportunity_id: int, stage: str) -> None:
        """A card dropped on ``stage`` (or moved there with the keyboard)."""
        target = S.by_key().get(stage)
        current = self.board.stage_of(opportunity_id)
        if target is None or current == stage:
            return
        version = self.board.version_of(opportunity_id)
        reason, note = None, ""
        if target.kind == S.LOST:
            try:
                title = O.get(opportunity_id).title
            except CrmError as error:
                show_error(self, error)
                self.reload()
                return
            answer = self.ask_lost(title)
            if answer is None:  # cancelled: the card stays where it was
                self.reload(select=opportunity_id)
                return
            reason, note = answer
        try:
            moved = O.move(opportunity_id, stage, version, self.now, reason=reason, note=note)
        except CrmError as error:
            show_error(self, error)
            self.reload(select=opportunity_id)
            return
        self._publishing = True
        try:
            self.bus.publish(*moved.changes)
        finally:
            self._publishing = False
        name = target.name(i18n.language())
        self.undo_stack.push(MoveCommand(self, moved, stage, reason, note,
                                         self.tr("Move to {stage}").format(stage=name)))
        self.reload(select=opportunity_id)
        self.status.setText(self.tr("Moved to {stage}. Ctrl+Z moves it back.").format(stage=name))
        if target.kind == S.WON:
            self.won_requested.emit(opportunity_id)
            if moved.offer_stage:
                customer = O.get(opportunity_id).customer
                if self.confirm_stage(customer.name, moved.offer_stage):
                    self.run(lambda: O.advance_customer(customer.id, moved.offer_stage))
