"""Settings the team shares (issue 20) in their dialogs: on a rep's laptop each settings
dialog shows the team's values with a note saying whose they are and no Save; the desk may
save complaint and care settings but not the stages; alone or as a manager nothing changes."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel

from crmdesk.core.models import Setting
from crmdesk.core.sales import stages as S
from crmdesk.core.sync import state
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.dialogs.analytics_settings_dialog import AnalyticsSettingsDialog
from crmdesk.ui.dialogs.care_settings_dialog import CareSettingsDialog
from crmdesk.ui.dialogs.complaint_deadlines_dialog import ComplaintSettingsDialog
from crmdesk.ui.dialogs.visit_settings_dialog import VisitSettingsDialog
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


@pytest.mark.parametrize("role", [None, "manager"])
def test_alone_or_as_manager_the_stages_are_saved(qtbot, db, role):
    if role:
        state.write(joined="1", role=role, login="boss")
    dialog = _open(qtbot, StagesDialog)
    assert _note(dialog) is None
    assert _save(dialog).isEnabled()
    qtbot.mouseClick(_save(dialog), Qt.MouseButton.LeftButton)
    assert Setting.get_or_none(Setting.key == S.KEY) is not None  # what was shown went in
