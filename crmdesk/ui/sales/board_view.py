"""The pipeline board: one column per stage (its name, how many deals, their sum) with a
card per deal (customer, title, amount, close date, days in stage; overdue and stalled
marked in colour and in words). Cards are dragged between columns with the mouse or moved
with Ctrl+Left/Right; the view only says what the user asked (``move_requested``), the page
does it. Enter opens a card."""
from __future__ import annotations

from typing import Optional, Sequence

from PySide6.QtCore import QMimeData, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QDropEvent, QKeyEvent
from PySide6.QtWidgets import (QAbstractItemView, QFrame, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMenu,
                               QScrollArea, QVBoxLayout, QWidget)

from crmdesk import i18n
from crmdesk.core.sales.board import Card, Column
from crmdesk.ui.common import formatting

MIME = "application/x-crmdesk-opportunity"
ID_ROLE = Qt.ItemDataRole.UserRole
VERSION_ROLE = Qt.ItemDataRole.UserRole + 1
OVERDUE = QColor("#fde2e1")
STALLED = QColor("#fff3cd")
COLUMN_WIDTH = (200, 320)  # narrowest, widest: six columns fit 1366 pixels


class StageList(QListWidget):
    """One column's cards; a drop of a card from another column asks for a move."""
    dropped = Signal(int, str)  # opportunity id, this column's stage
    step = Signal(int, int)  # opportunity id, -1 / +1: Ctrl+Left / Ctrl+Right
    open_card = Signal(int)

    def __init__(self, stage: str, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.stage = stage
        self.setObjectName(f"stage_{stage}")
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)  # the page reloads; nothing is moved by hand
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(False)  # a long name is cut at the edge, never pushing the card's last line out
        self.setUniformItemSizes(True)  # every card has five lines (a thousand cards paint in a blink)
        self.setSpacing(3)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.itemActivated.connect(lambda item: self.open_card.emit(item.data(ID_ROLE)))

    def mimeTypes(self) -> list[str]:
        return [MIME]

    def mimeData(self, items: Sequence[QListWidgetItem]) -> QMimeData:
        data = QMimeData()
        if items:
            data.setData(MIME, str(items[0].data(ID_ROLE)).encode())
        return data

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasFormat(MIME):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        if not event.mimeData().hasFormat(MIME):
            event.ignore()
            return
        opportunity_id = int(bytes(event.mimeData().data(MIME)).decode() or 0)
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        # after the drag has ended: a move may open a dialog (lost, won), never inside the drop
        QTimer.singleShot(0, lambda: self.dropped.emit(opportunity_id, self.stage))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        item = self.currentItem()
        ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if item is not None and ctrl and event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            self.step.emit(item.data(ID_ROLE), -1 if event.key() == Qt.Key.Key_Left else 1)
            event.accept()
            return
        super().keyPressEvent(event)


class BoardView(QScrollArea):
    move_requested = Signal(int, str)  # opportunity id, stage key
    open_requested = Signal(int)
    plan_visit_requested = Signal(int)

    def __init__(self, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setObjectName("boardView")
        self.setWidgetResizable(True)
        self.inner = QWidget(self)
        self.row = QHBoxLayout(self.inner)
        self.row.setContentsMargins(4, 4, 4, 4)
        self.row.setSpacing(8)
        self.setWidget(self.inner)
        self.lists: dict[str, StageList] = {}
        self.headers: dict[str, QLabel] = {}
        self.order: list[str] = []
        self.cards: dict[int, Card] = {}

    # ------------------------------------------------------------ filling
    def show_columns(self, columns: Sequence[Column]) -> None:
        current = self.current_id()
        while self.row.count():
            widget = self.row.takeAt(0).widget()
            if widget is not None:
                widget.hide()  # gone at once, not when the event loop next deletes it
                widget.deleteLater()
        self.lists, self.headers, self.order, self.cards = {}, {}, [], {}
        language = i18n.language()
        for column in columns:
            frame = QFrame(self.inner)
            frame.setFrameShape(QFrame.Shape.StyledPanel)
            frame.setMinimumWidth(COLUMN_WIDTH[0])
            frame.setMaximumWidth(COLUMN_WIDTH[1])
            box = QVBoxLayout(frame)
            box.setContentsMargins(4, 4, 4, 4)
            header = QLabel(frame)
            header.setObjectName(f"header_{column.stage.key}")
            header.setWordWrap(True)
            header.setText(f"<b>{column.stage.name(language)}</b><br>"
                           + self.tr("%n deal(s)", "", column.count) + f" · {formatting.money(column.total)}")
            stage_list = StageList(column.stage.key, frame)
            stage_list.dropped.connect(self.move_requested)
            stage_list.step.connect(self._step)
            stage_list.open_card.connect(self.open_requested)
            stage_list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            stage_list.customContextMenuRequested.connect(lambda pos, s=stage_list: self._menu(s, pos))
            for card in column.cards:
                stage_list.addItem(self._item(card))
                self.cards[card.id] = card
            if column.count > len(column.cards):
                more = QListWidgetItem(self.tr("… and %n more (see the list view)", "", column.count - len(column.cards)))
                more.setFlags(Qt.ItemFlag.NoItemFlags)
                stage_list.addItem(more)
            box.addWidget(header)
            box.addWidget(stage_list, 1)
            self.row.addWidget(frame)
            self.lists[column.stage.key] = stage_list
            self.headers[column.stage.key] = header
            self.order.append(column.stage.key)
        self.row.addStretch(0)
        if current:
            self.select(current)

    def card_text(self, card: Card) -> str:
        lines = [card.customer_name, card.title]
        money = formatting.money(card.amount) if card.amount is not None else self.tr("no amount")
        close = formatting.date(card.expected_close) if card.expected_close else self.tr("no close date")
        lines.append(f"{money} · {close}")
        in_stage = self.tr("%n day(s) in stage", "", card.days_in_stage)
        visits = card.visits  # the visits planned or made for it
        if visits:
            in_stage += " · " + self.tr("%n visit(s)", "", visits)
        lines.append(in_stage)
        marks = []
        if card.overdue:
            marks.append(self.tr("⚠ Close overdue"))
        if card.stalled:
            marks.append(self.tr("Stalled"))
        lines.append(" · ".join(marks))  # always five lines: uniform cards lay out fast
        return "\n".join(lines)

    def _item(self, card: Card) -> QListWidgetItem:
        item = QListWidgetItem(self.card_text(card))
        item.setData(ID_ROLE, card.id)
        item.setData(VERSION_ROLE, card.version)
        about = f"{card.customer_name}\n{card.title}"  # whole, where the card cuts them
        item.setToolTip(f"{about} — {card.owner}" if card.owner else about)
        if card.overdue or card.stalled:
            item.setBackground(QBrush(OVERDUE if card.overdue else STALLED))
        return item

    # ------------------------------------------------------------ reading and choosing
    def current_id(self) -> Optional[int]:
        focus = self.focusWidget() if isinstance(self.focusWidget(), StageList) else None
        for stage_list in ([focus] if focus else []) + list(self.lists.values()):
            item = stage_list.currentItem()
            if item is not None and item.isSelected() and item.data(ID_ROLE):
                return item.data(ID_ROLE)
        return None

    def item_of(self, opportunity_id: int) -> Optional[QListWidgetItem]:
        for stage_list in self.lists.values():
            for row in range(stage_list.count()):
                if stage_list.item(row).data(ID_ROLE) == opportunity_id:
                    return stage_list.item(row)
        return None

    def stage_of(self, opportunity_id: int) -> Optional[str]:
        item = self.item_of(opportunity_id)
        return item.listWidget().stage if item is not None else None

    def version_of(self, opportunity_id: int) -> Optional[int]:
        item = self.item_of(opportunity_id)
        return item.data(VERSION_ROLE) if item is not None else None

    def select(self, opportunity_id: int) -> bool:
        item = self.item_of(opportunity_id)
        if item is None:
            return False
        stage_list = item.listWidget()
        for other in self.lists.values():
            if other is not stage_list:
                other.clearSelection()
        stage_list.setCurrentItem(item)
        item.setSelected(True)
        stage_list.setFocus()
        stage_list.scrollToItem(item)
        return True

    def _step(self, opportunity_id: int, step: int) -> None:
        stage = self.stage_of(opportunity_id)
        if stage is None:
            return
        index = self.order.index(stage) + step
        if 0 <= index < len(self.order):
            self.move_requested.emit(opportunity_id, self.order[index])

    def _menu(self, stage_list: StageList, pos) -> None:
        item = stage_list.itemAt(pos)
        if item is None or not item.data(ID_ROLE):
            return
        menu = QMenu(self)
        menu.addAction(self.tr("Open…"), lambda: self.open_requested.emit(item.data(ID_ROLE)))
        menu.addAction(self.tr("Plan a visit…"), lambda: self.plan_visit_requested.emit(item.data(ID_ROLE)))
        menu.popup(stage_list.viewport().mapToGlobal(pos))
