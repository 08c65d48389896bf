"""Issue 18: each tab says what it is for the first time it opens; closed is remembered,
and Help ▸ Show tips again brings the tips back."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from crmdesk.ui.welcome import hint_strip
from crmdesk.ui.welcome.hint_strip import HintStrip

TABS = ["customers_tab", "visits_tab", "complaints_tab", "care_tab", "analytics_tab"]


@pytest.mark.parametrize("name", TABS)
def test_each_tab_shows_its_tip_until_it_is_dismissed(qtbot, window, name):
    window.resize(1366, 768)
    tab = getattr(window, name)
    window.tabs.setCurrentWidget(tab)
    strip = tab.hint_strip
    assert strip.isVisible() and tab.layout().itemAt(0).widget() is strip
    assert 40 < len(strip.label.text()) < 320 and "Ctrl+" in strip.label.text()
    assert strip.label.height() >= strip.label.heightForWidth(strip.label.width())  # nothing cut off
    qtbot.mouseClick(strip.close_button, Qt.MouseButton.LeftButton)
    assert not strip.isVisible()
    assert hint_strip.dismissed(strip.key)
    parent = QWidget()
    qtbot.addWidget(parent)
    again = HintStrip(strip.key, parent)  # the next start: not shown
    assert again.isHidden()
    others = [getattr(window, other).hint_strip for other in TABS if other != name]
    assert all(not hint_strip.dismissed(o.key) for o in others)


def test_show_tips_again_from_the_help_menu(qtbot, window):
    for name in TABS:
        getattr(window, name).hint_strip.dismiss()
    help_menu = [a.menu() for a in window.menuBar().actions() if a.menu() is not None][-1]
    action = window.first_day.tips_action
    assert action in help_menu.actions()
    action.trigger()
    for name in TABS:
        window.tabs.setCurrentWidget(getattr(window, name))
        assert getattr(window, name).hint_strip.isVisible()
        assert not hint_strip.dismissed(getattr(window, name).hint_strip.key)


def test_the_tip_takes_no_focus(qtbot, window):
    """Ctrl+N and the first Tab press still reach the tab's own widgets."""
    for name in TABS:
        assert getattr(window, name).hint_strip.close_button.focusPolicy() == Qt.FocusPolicy.NoFocus
