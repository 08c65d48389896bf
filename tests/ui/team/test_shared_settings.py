"""Settings the team shares (issue 20) in their dialogs: on a rep's laptop each settings
dialog shows the team's values with a note saying whose they are, takes no typing or
ticking, and has no Save; the desk may
save complaint and care settings but not the stages; alone or as a manager nothing changes."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractButton, QAbstractSpinBox, QComboBox, QDialogButtonBox, QLabel, QLineEdit,
                               QPlainTextEdit, QTableWidget)

from crmdesk.core.models import Setting
from crmdesk.core.sales import stages as S
from crmdesk.core.sync import state
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.analytics.settings_dialog import AnalyticsSettingsDialog
from crmdesk.ui.care.settings_dialog import CareSettingsDialog
from crmdesk.ui.complaints.deadlines_dialog import ComplaintSettingsDialog
from crmdesk.ui.visits.settings_dialog import VisitSettingsDialog
from crmdesk.ui.sales.stages_dialog import StagesDialog

DIALOGS = [StagesDialog, VisitSettingsDialog, AnalyticsSettingsDialog, ComplaintSettingsDialog, CareSettingsDialog]
DESK_MAY = {ComplaintSettingsDialog, CareSettingsDialog}


def _open(qtbot, kind):
    dialog = kind(ChangeBus())
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _save(dialog):
    return dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)


def _note(dialog):
    return dialog.findChild(QLabel, "sharedSettingsNote")


@pytest.mark.parametrize("kind", DIALOGS, ids=lambda k: k.__name__)
@pytest.mark.parametrize("role", ["rep", "desk"])
def test_a_login_that_may_not_change_them_sees_them_without_save(qtbot, db, kind, role):
    state.write(joined="1", role=role, login="lina")
    dialog = _open(qtbot, kind)
    if role == "desk" and kind in DESK_MAY:
        assert _note(dialog) is None and _save(dialog).isEnabled()
        return
    assert _note(dialog).isVisible()
    assert "only a manager" in _note(dialog).text()
    assert ("complaint desk" in _note(dialog).text()) == (kind in DESK_MAY)
    assert not _save(dialog).isEnabled()
    qtbot.mouseClick(_save(dialog), Qt.MouseButton.LeftButton)
    assert dialog.isVisible()  # nothing happened
    _nothing_can_be_changed(qtbot, dialog)


def _nothing_can_be_changed(qtbot, dialog) -> None:
    """What a user would try: type into every field, tick every box, pick another choice."""
    fields = [w for w in dialog.findChildren(QAbstractSpinBox) + dialog.findChildren(QLineEdit) +
              dialog.findChildren(QPlainTextEdit) if w.isVisibleTo(dialog)]
    assert fields
    for field in fields:
        if isinstance(field, QAbstractSpinBox):
            before = field.text()
            field.setFocus()
            qtbot.keyClick(field, Qt.Key.Key_Up)
            qtbot.keyClicks(field, "7")
            assert field.text() == before, field.objectName()
        elif isinstance(field, QLineEdit) and not isinstance(field.parentWidget(), (QAbstractSpinBox, QComboBox)):
            before = field.text()
            qtbot.keyClicks(field, "x9")
            assert field.text() == before, field.objectName()
        elif isinstance(field, QPlainTextEdit):
            before = field.toPlainText()
            qtbot.keyClicks(field, "x9")
            assert field.toPlainText() == before, field.objectName()
    choices = [w for w in dialog.findChildren(QComboBox) + dialog.findChildren(QAbstractButton)
               if w.objectName() != "templateKind" and not dialog.findChild(QDialogButtonBox).isAncestorOf(w)
               and w.isVisibleTo(dialog) and w.parentWidget().metaObject().className() != "QTabBar"]
    assert all(not w.isEnabled() for w in choices), [w.objectName() or w.text() for w in choices if w.isEnabled()]
    for table in dialog.findChildren(QTableWidget):
        if table.rowCount():
            qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton,
                              pos=table.visualItemRect(table.item(0, 0)).center())
            assert table.indexWidget(table.currentIndex()) is None and not table.isPersistentEditorOpen(table.item(0, 0))
            assert table.state() != table.State.EditingState


def test_a_rep_still_reads_every_greeting(qtbot, db):
    state.write(joined="1", role="rep", login="lina")
    dialog = _open(qtbot, CareSettingsDialog)
    kind = dialog.findChild(QComboBox, "templateKind")
    zh = dialog.findChild(QPlainTextEdit, "template_zh")
    assert kind.isEnabled() and kind.count() > 1
    first = zh.toPlainText()
    kind.setCurrentIndex(1)
    assert zh.toPlainText() != first and zh.isReadOnly()


@pytest.mark.parametrize("role", [None, "manager"])
def test_alone_or_as_manager_the_stages_are_saved(qtbot, db, role):
    if role:
        state.write(joined="1", role=role, login="boss")
    dialog = _open(qtbot, StagesDialog)
    assert _note(dialog) is None
    assert _save(dialog).isEnabled()
    qtbot.mouseClick(_save(dialog), Qt.MouseButton.LeftButton)
    assert Setting.get_or_none(Setting.key == S.KEY) is not None  # what was shown went in
