"""Settings the team shares (issue 20): on a laptop whose login may not change them, a
settings dialog still shows them, says whose they are, and offers no Save (the hub would
refuse the change and send the team's values back)."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QVBoxLayout

from crmdesk.core.sync import team_settings


def lock_unless_allowed(layout: QVBoxLayout, buttons: QDialogButtonBox, *keys: str) -> bool:
    """Put the note on top of ``layout`` and take Save away when this login may not change
    ``keys``. Returns whether it may."""
    if all(team_settings.may_change(key) for key in keys):
        return True
    desk = all(team_settings.desk_may_change(key) for key in keys)
    text = (QCoreApplication.translate("SharedSettings", "These settings are the team's: only a manager or the "
                                       "complaint desk can change them. They come with each sync.") if desk else
            QCoreApplication.translate("SharedSettings", "These settings are the team's: only a manager can "
                                       "change them. They come with each sync."))
    note = QLabel(text)
    note.setObjectName("sharedSettingsNote")
    note.setWordWrap(True)
    layout.insertWidget(0, note)
    save = buttons.button(QDialogButtonBox.StandardButton.Save)
    save.setEnabled(False)
    save.setToolTip(text)
    return False
