"""The status bar's team indicator: "Synced 10:42", "Syncing…", "Offline — 3 changes
waiting", "2 conflicts". A click opens the conflicts when there are any, else syncs."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLocale, QTime, QTimeZone, Signal
from PySide6.QtWidgets import QToolButton, QWidget

from crmdesk.core.errors import CrmError
from crmdesk.core.sync import status
from crmdesk.ui.common import plural
from crmdesk.ui.errors import error_text

OFFLINE_CODES = {"sync_offline", "sync_tls_failed"}


def local_time(utc_text: str) -> str:
    """``state.last_sync`` (UTC, ISO) as the local time; with the date unless today."""
    try:
        value = dt.datetime.fromisoformat(utc_text)
    except ValueError:
        return ""
    moment = QDateTime(QDate(value.year, value.month, value.day), QTime(value.hour, value.minute, value.second),
                       QTimeZone.utc()).toLocalTime()
    locale = QLocale()
    if moment.date() == QDateTime.currentDateTime().date():
        return locale.toString(moment.time(), "HH:mm")
    return locale.toString(moment, QLocale.FormatType.ShortFormat)


def status_text(local: status.Local, syncing: bool, error: Optional[BaseException]) -> str:
    translate = QCoreApplication.translate
    if syncing:
        head = translate("TeamSync", "Syncing…")
    elif isinstance(error, CrmError) and error.code in OFFLINE_CODES:
        head = translate("TeamSync", "Offline")
    elif isinstance(error, CrmError) and error.code == "sync_password_needed":
        head = translate("TeamSync", "Password needed")
    elif error is not None:
        head = translate("TeamSync", "Not synced")
    elif local.last_sync:
        head = translate("TeamSync", "Synced {time}").format(time=local_time(local.last_sync))
    else:
        head = translate("TeamSync", "Not synced yet")
    parts = [head]
    waiting, conflicts = local.waiting, local.conflicts  # plain names: lupdate skips attributes as counts
    if waiting and not syncing:
        parts.append(plural.translate("TeamSync", "%n change(s) waiting", "", waiting))
    if conflicts:
        parts.append(plural.translate("TeamSync", "%n conflict(s)", "", conflicts))
    return " — ".join(parts)


class SyncIndicator(QToolButton):
    conflicts_requested = Signal()
    sync_requested = Signal()

    def __init__(self, controller, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setObjectName("teamStatus")
        self.setAutoRaise(True)
        self.controller = controller
        self.local = status.Local(False)
        controller.state_changed.connect(self.refresh)
        self.clicked.connect(self._clicked)
        self.refresh()

    def refresh(self) -> None:
        try:
            self.local = self.controller.local()
        except Exception:  # the database is switching: the next refresh says
            return
        self.setVisible(self.local.joined)
        if not self.local.joined:
            return
        error = self.controller.error
        self.setText(status_text(self.local, self.controller.syncing, error))
        tip = QCoreApplication.translate("TeamSync", "{login} on {server}. Click to sync now.").format(
            login=self.local.login, server=self.local.url)
        if self.local.conflicts:
            tip = QCoreApplication.translate("TeamSync", "{login} on {server}. Click to see the conflicts.").format(
                login=self.local.login, server=self.local.url)
        if isinstance(error, CrmError):
            tip += "\n" + error_text(error)
        self.setToolTip(tip)

    def _clicked(self) -> None:
        if self.local.conflicts:
            self.conflicts_requested.emit()
        else:
            self.sync_requested.emit()
