"""Settings the team shares (issue 20): on a laptop whose login may not change them, a
settings dialog still shows them, says whose they are, lets nothing be typed or ticked,
and offers no Save (the hub would refuse the change and send the team's values back)."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QAbstractSpinBox, QComboBox, QDialogButtonBox,
                               QLabel, QLineEdit, QPlainTextEdit, QTabBar, QTextEdit, QVBoxLayout, QWidget)

from crmdesk.core.sync import team_settings


def lock_unless_allowed(layout: QVBoxLayout, buttons: QDialogButtonBox, *keys: str,
                        keep: tuple[QWidget, ...] = ()) -> bool:
    """Put the note on top of ``layout``, make the dialog's fields read-only and take Save
    away when this login may not change ``keys``; ``keep``: controls that only choose what
    is shown (they stay usable). Returns whether it may."""
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
    read_only(layout.parentWidget(), (buttons, *keep))
    return False


def read_only(root: QWidget, keep: tuple[QWidget, ...]) -> None:
    """Every field under ``root`` shows its value and takes no change: text and numbers
    read-only (still selectable and copied), tables not editable, choices and buttons
    greyed; tab bars and whatever is in ``keep`` stay as they are."""
    for widget in root.findChildren(QWidget):
        if any(widget is k or k.isAncestorOf(widget) for k in keep) or isinstance(widget.parentWidget(), QTabBar):
            continue
        if isinstance(widget, (QLineEdit, QAbstractSpinBox, QPlainTextEdit, QTextEdit)):
            widget.setReadOnly(True)
        elif isinstance(widget, QAbstractItemView):
            widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        elif isinstance(widget, (QComboBox, QAbstractButton)) and not isinstance(widget.parentWidget(), QComboBox):
            widget.setEnabled(False)
