"""Reminders while the app runs and at its start: the care rules run for the day when the
window opens and again when a new day begins (checked every few minutes, so a laptop
woken from sleep catches up too); what fell due while the app was closed is said once in
the care tab, and a tray notice sums up what is due now — one notice, however many
reminders. Where the desktop has no system tray the notice goes to the status bar."""
from __future__ import annotations

import datetime as dt
import logging
from typing import Callable, Optional

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QStyle, QSystemTrayIcon, QWidget

from crmdesk.core import bulk_indexes
from crmdesk.core.care import spread as S
from crmdesk.core.care import reminders as care_reminders

CHECK_MINUTES = 5
INDEXES_POLL_MS = 1_000  # while a download's indexes are built, look again this soon


class SpreadText(QObject):
    """What a flood of inactivity checks became, in words (a QObject for ``self.tr``: lupdate
    marks plural forms only there, not in ``QCoreApplication.translate``)."""

    def say(self, spread: Optional[S.Spread]) -> str:
        """"705 customers have had no contact ...: spread over the next 3 weeks, key accounts
        first, ...", and why; "" when there was no flood."""
        if spread is None:
            return ""
        why = {S.FIRST_RUN: self.tr("The care rules ran for the first time."),
               S.ABSENCE: self.tr("The care rules had not run for a while."),
               S.MANY: self.tr("Many customers became due at once (an import or a first run).")}.get(spread.reason, "")
        weeks = (self.tr("over the next %n week(s)", "", spread.weeks) if spread.weeks > 1
                 else self.tr("over this week"))
        said = self.tr("%n customer(s) has(have) had no contact or purchase for a long time: spread {weeks}, key "
                       "accounts first, at most {quota} a day per rep.", "", spread.count)
        return f"{said.format(weeks=weeks, quota=S.DAILY_QUOTA)} {why}"


def spread_text(spread: Optional[S.Spread]) -> str:
    return SpreadText().say(spread)


class CareReminder(QObject):
    woke = Signal(object)  # care_reminders.Wake
    clicked = Signal()  # the tray notice or icon was clicked: show the care tab

    def __init__(self, window: QWidget, today: Optional[Callable[[], dt.date]] = None):
        super().__init__(window)
        self.window = window
        self.today = today or dt.date.today
        self.last_day: Optional[dt.date] = None
        self.notices: list[str] = []  # every notice shown, for the tests and the status bar
        self.tray: Optional[QSystemTrayIcon] = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            icon = window.windowIcon()
            if icon.isNull():
                icon = window.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
            self.tray = QSystemTrayIcon(QIcon(icon), self)
            self.tray.setToolTip("crmdesk")
            self.tray.messageClicked.connect(self.clicked)
            self.tray.activated.connect(lambda _reason: self.clicked.emit())
            self.tray.show()
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_MINUTES * 60 * 1000)
        self.timer.timeout.connect(self.check)

    def start(self) -> None:
        self.check()
        self.timer.start()

    def check(self):
        """Wake the rules once per day, at the start and when the date has changed, off the
        GUI thread (a first run over 100,000 customers takes about 2 s); the Task, or None."""
        day = self.today()
        if day == self.last_day:
            return None
        if bulk_indexes.waiting():
            # Just after a team download the indexes the rules' look-ups need are still being
            # built (SyncController.build_indexes): without them, withdrawing paid payment
            # reminders at 30,000 customers ran for minutes holding the write lock, and every
            # sync meanwhile failed. The rules wake once they are there.
            QTimer.singleShot(INDEXES_POLL_MS, self, self.check)
            return None
        self.last_day = day
        tasks = getattr(self.window, "tasks", None)
        if tasks is None:
            self._woke(care_reminders.wake(day))
            return None

        def failed(exc: BaseException) -> None:
            logging.getLogger("crmdesk").warning("care rules: %s", exc)
            self.last_day = None  # a busy database: the next check tries again
        return tasks.start(lambda _progress: care_reminders.wake(day), self.window, "", self._woke, failed,
                           show_dialog=False)

    def _woke(self, wake: care_reminders.Wake) -> None:
        self.woke.emit(wake)
        if wake.worth_a_notice:
            self.notify(self.summary(wake))

    def summary(self, wake: care_reminders.Wake) -> str:
        counts = wake.counts
        parts = []
        if counts.today:
            parts.append(self.tr("%n care reminder(s) due today", "", counts.today))
        if counts.overdue:
            parts.append(self.tr("%n overdue", "", counts.overdue))
        if len(parts) == 2:
            text = self.tr("{today}; {overdue}.").format(today=parts[0], overdue=parts[1])
        else:
            text = self.tr("{summary}.").format(summary=parts[0])
        spread = spread_text(getattr(wake, "spread", None))
        return f"{text} {spread}" if spread else text

    def notify(self, text: str) -> None:
        self.notices.append(text)
        if self.tray is not None and self.tray.isVisible():
            self.tray.showMessage(self.tr("crmdesk care"), text, QSystemTrayIcon.MessageIcon.Information, 10000)
        elif hasattr(self.window, "statusBar"):
            self.window.statusBar().showMessage(text, 15000)

    def stop(self) -> None:
        self.timer.stop()
        if self.tray is not None:
            self.tray.hide()
