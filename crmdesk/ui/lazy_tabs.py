"""Tabs built when first opened: the tab bar shows every title from the start, a placeholder
stands in until the tab is shown or asked for, so the window appears with only the customer
list built (the others took 5 s at 100,000 customers)."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QTabWidget, QWidget


class LazyTabs(QObject):
    built = Signal(str, QWidget)  # key, the tab just built

    def __init__(self, tabs: QTabWidget):
        super().__init__(tabs)
        self.tabs = tabs
        self.factories: dict[str, Callable[[], QWidget]] = {}
        self.placeholders: dict[str, QWidget] = {}
        self.widgets: dict[str, QWidget] = {}
        tabs.currentChanged.connect(self._current_changed)  # first: later slots see the built tab

    def add(self, key: str, title: str, factory: Callable[[], QWidget]) -> None:
        self.factories[key] = factory
        self.tabs.addTab(self._placeholder(key), title)

    def _placeholder(self, key: str) -> QWidget:
        placeholder = QWidget()
        placeholder.setObjectName(f"{key}Placeholder")
        self.placeholders[key] = placeholder
        return placeholder

    def is_built(self, key: str) -> bool:
        return key in self.widgets

    def get(self, key: str) -> QWidget:
        """The tab, built now if it was not yet (without making it current)."""
        if key not in self.widgets:
            self._swap(key, self.factories[key]())
        return self.widgets[key]

    def index(self, key: str) -> int:
        return self.tabs.indexOf(self.widgets.get(key) or self.placeholders[key])

    def unbuild(self, key: str) -> None:
        """Put the placeholder back (the next opening builds the tab afresh)."""
        widget = self.widgets.pop(key, None)
        if widget is not None:
            self._replace(widget, self._placeholder(key))
            widget.deleteLater()

    def _swap(self, key: str, widget: QWidget) -> None:
        placeholder = self.placeholders.pop(key)
        self.widgets[key] = widget
        self._replace(placeholder, widget)
        placeholder.deleteLater()
        self.built.emit(key, widget)

    def _replace(self, old: QWidget, new: QWidget) -> None:
        index = self.tabs.indexOf(old)
        current = self.tabs.currentIndex()
        blocked = self.tabs.blockSignals(True)
        try:
            title = self.tabs.tabText(index)
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, new, title)
            self.tabs.setCurrentIndex(current)
        finally:
            self.tabs.blockSignals(blocked)

    def _current_changed(self, index: int) -> None:
        widget = self.tabs.widget(index)
        for key, placeholder in list(self.placeholders.items()):
            if placeholder is widget:
                self.get(key)
                return
