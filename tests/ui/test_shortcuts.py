"""Ctrl+N makes what the current tab shows wherever the focus is: right after a click on the
tab's title (the focus is then on the tab bar) it opens the new customer, new visit, new
complaint or new reminder dialog."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabBar

CASES = [
    (0, "crmdesk.ui.customers.dialog.CustomerDialog"),
    (1, "crmdesk.ui.visits.dialog.VisitDialog"),
    (2, "crmdesk.ui.complaints.dialog.ComplaintDialog"),
    (3, "crmdesk.ui.care.event_dialog.CareEventDialog"),
]


@pytest.mark.parametrize("index, dialog_class", CASES)
def test_ctrl_n_right_after_clicking_the_tab(qtbot, window, monkeypatch, index, dialog_class):
    module_name, class_name = dialog_class.rsplit(".", 1)
    module = __import__(module_name, fromlist=[class_name])
    cls = getattr(module, class_name)
    opened = []
    monkeypatch.setattr(cls, "open", lambda self: opened.append(self), raising=False)
    monkeypatch.setattr(cls, "exec", lambda self: opened.append(self) or 0, raising=False)
    monkeypatch.setattr(cls, "show", lambda self: opened.append(self), raising=False)
    bar = window.tabs.findChild(QTabBar)
    if index == 0:
        qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    bar.setFocus()
    assert window.tabs.currentIndex() == index
    qtbot.waitUntil(lambda: window.focusWidget() is bar)
    qtbot.keyClick(bar, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert len(opened) == 1 and isinstance(opened[0], cls)


def test_only_the_current_tab_answers_ctrl_n(qtbot, window):
    window.show_complaints()
    shortcuts = {name: getattr(tab, attr).shortcut().toString()
                 for name, tab, attr in (("customers", window.customers_tab, "new_action"),
                                         ("visits", window.visits_tab, "plan_action"),
                                         ("complaints", window.complaints_tab, "new_action"),
                                         ("care", window.care_tab, "new_action"))}
    assert shortcuts == {"customers": "", "visits": "", "complaints": "Ctrl+N", "care": ""}
