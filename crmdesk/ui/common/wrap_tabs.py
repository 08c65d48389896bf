"""A tab widget whose tabs wrap onto a second row instead of hiding behind scroll arrows:
the customer profile has eight pages, and at 1366×768 its pane is some 480 pixels wide."""
from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import (QButtonGroup, QLayout, QSizePolicy, QTabWidget, QToolButton, QVBoxLayout,
                               QWidget, QWidgetItem)


class FlowLayout(QLayout):
    """Items left to right, wrapping to the next line when the width runs out (Qt's flow
    layout example)."""

    def __init__(self, parent=None, spacing: int = 2):
        super().__init__(parent)
        self._items: list = []
        self.setSpacing(spacing)
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item) -> None:  # noqa: N802 (Qt's names)
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int):  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int):  # noqa: N802
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self):  # noqa: N802
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._place(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._place(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _place(self, rect: QRect, move: bool) -> int:
        x, y, line = rect.x(), rect.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > rect.right() + 1 and line > 0:
                x, y, line = rect.x(), y + line + self.spacing(), 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self.spacing()
            line = max(line, hint.height())
        return y + line - rect.y()


class WrapTabs(QTabWidget):
    """A QTabWidget (same API: addTab, setTabText, currentIndex, …) whose own tab bar is
    hidden; a row of checkable buttons that wraps stands in for it."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.tabBar().hide()
        self.setDocumentMode(True)
        self.buttons_box = QWidget(self)
        self.buttons_box.setObjectName("wrapTabButtons")
        self.buttons_box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self._flow = FlowLayout(self.buttons_box)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._group.idClicked.connect(self.setCurrentIndex)
        self.currentChanged.connect(self._checked)

    def tabInserted(self, index: int) -> None:  # noqa: N802
        super().tabInserted(index)
        self._rebuild()

    def tabRemoved(self, index: int) -> None:  # noqa: N802
        super().tabRemoved(index)
        self._rebuild()

    def setTabText(self, index: int, text: str) -> None:  # noqa: N802
        super().setTabText(index, text)
        button = self._group.button(index)
        if button is not None:
            button.setText(text)

    def button(self, index: int) -> QToolButton:
        return self._group.button(index)

    def _rebuild(self) -> None:
        for button in self._group.buttons():
            self._group.removeButton(button)
            self._flow.removeWidget(button)
            button.hide()
            button.setParent(None)
            button.deleteLater()
        for index in range(self.count()):
            button = QToolButton(self.buttons_box)
            button.setObjectName("wrapTab")
            button.setText(self.tabText(index))
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            self._group.addButton(button, index)
            self._flow.addItem(QWidgetItem(button))
        self._checked(self.currentIndex())
        self._flow.invalidate()

    def _checked(self, index: int) -> None:
        button = self._group.button(index)
        if button is not None:
            button.setChecked(True)


def wrap_tabs(parent: QWidget) -> tuple[WrapTabs, QWidget]:
    """The tab widget and the widget to put in a layout: its buttons above its pages."""
    tabs = WrapTabs(parent)
    holder = QWidget(parent)
    box = QVBoxLayout(holder)
    box.setContentsMargins(0, 0, 0, 0)
    box.setSpacing(2)
    tabs.buttons_box.setParent(holder)
    box.addWidget(tabs.buttons_box)
    box.addWidget(tabs, 1)
    return tabs, holder
