"""Syncing with the team from the window: ``sync_now`` (the menu, the status bar, F9), a
timer while joined, a sync soon after a local edit, and a LISTEN thread that wakes a sync
when another laptop pushed. Syncs run off the GUI thread, one at a time (a wish to sync
while one runs is folded into one more after it); what a sync applied is broadcast on the
window's change bus so open lists refresh."""
from __future__ import annotations

from typing import Callable, Optional

from PySide6.QtCore import QCoreApplication, QLocale, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from crmdesk.core import bulk_indexes
from crmdesk.core.errors import CrmError
from crmdesk.core.sync import passwords, session, state, status
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.common import plural
from crmdesk.ui.tasks import Task, TaskRunner
from crmdesk.ui.team.listener import Listener

INTERVAL_MS = 60_000  # a sync every minute while joined
PUSH_DELAY_MS = 5_000  # a local edit goes out this long after the last one
BUSY_RETRY_MS = 5_000  # a sync the database's busy timeout stopped tries again this soon
_DRAINING: list = []  # listeners asked to stop that were still connecting


def progress_text(done: int, total: int, phase: str) -> str:
    """What the progress dialog says during a join or a long sync."""
    locale = QLocale()
    if phase == "download":
        text = plural.translate("TeamSync", "Downloading {done} of %Ln change(s)…", "", total)
    elif phase == "indexes":
        text = plural.translate("TeamSync", "Preparing the lists: {done} of %Ln index(es) built…", "", total)
    else:
        text = plural.translate("TeamSync", "Uploading {done} of %Ln change(s)…", "", total)
    return text.format(done=locale.toString(done))


def _with_text(progress: Callable) -> Callable:
    return lambda done, total, phase: progress(done, total, progress_text(done, total, phase))


class SyncController(QObject):
    started = Signal()
    synced = Signal(object)  # a session.Result
    failed = Signal(object)  # the exception
    joined = Signal(object)  # the join's Result
    left = Signal()
    state_changed = Signal()  # the indicator reads status.local() again

    def __init__(self, bus: ChangeBus, parent: Optional[QObject] = None):
        super().__init__(parent)
        self.bus = bus
        self.runner = TaskRunner(self)
        self.password: Optional[str] = None  # for this run of the app when the system has no keyring
        self.task: Optional[Task] = None
        self.indexing: Optional[Task] = None  # the indexes a download left for after it, being built
        self.again = False
        self.error: Optional[BaseException] = None  # the last sync's failure, None after a success
        self.listener: Optional[Listener] = None
        self.publishing = False
        self.stopped = False
        self.timer = QTimer(self, interval=INTERVAL_MS)
        self.timer.timeout.connect(self.sync_now)
        self.push_timer = QTimer(self, singleShot=True, interval=PUSH_DELAY_MS)
        self.push_timer.timeout.connect(self.sync_now)
        bus.changed.connect(self._local_change)

    # ------------------------------------------------------------ state
    def is_joined(self) -> bool:
        return session.joined()

    def local(self) -> status.Local:
        return status.local()

    @property
    def syncing(self) -> bool:
        return self.task is not None

    def known_password(self) -> Optional[str]:
        if self.password:
            return self.password
        rows = state.read()
        return passwords.recall(rows.get("url", ""), rows.get("login", ""))

    def start(self) -> None:
        """Background syncs on, if this database belongs to a team (the window opened)."""
        self.stopped = False
        self.build_indexes()
        if not self.is_joined():
            return
        self.timer.start()
        self._listen()
        QTimer.singleShot(0, self.sync_now)

    def stop(self) -> None:
        """Background syncs off: the window closes, the database leaves the team or switches."""
        self.stopped = True
        self.timer.stop()
        self.push_timer.stop()
        if self.listener is not None:
            listener, self.listener = self.listener, None
            listener.woke.disconnect(self.sync_now)
            if listener.stop():
                listener.deleteLater()
            else:  # still in a connect: it ends on its own, then goes
                _DRAINING.append(listener)
                listener.finished.connect(lambda: (_DRAINING.remove(listener), listener.deleteLater()))
        self.runner.wait(30_000)

    def build_indexes(self) -> Optional[Task]:
        """The indexes a download left for after it, off the GUI thread, whether or not a
        sync can run (no password known, offline); one at a time, each committed."""
        if self.indexing is not None or not bulk_indexes.waiting():
            return None

        def ended(_result=None) -> None:
            self.indexing = None
            self.state_changed.emit()

        def failed(error: BaseException) -> None:
            ended()
            if isinstance(error, CrmError) and error.code == "db_busy" and not self.stopped:
                QTimer.singleShot(BUSY_RETRY_MS, self, self.build_indexes)

        def job(_progress) -> int:
            return bulk_indexes.build_later(stop=lambda: self.stopped)
        self.indexing = self.runner.start(job, None, "", ended, failed, show_dialog=False)
        return self.indexing

    def _listen(self) -> None:
        if self.stopped or (self.listener is not None and self.listener.isRunning()):
            return
        secret = self.known_password()
        if not secret:
            return
        rows = state.read()
        # no parent: a window going away never destroys a thread still running (stop() ends it)
        self.listener = Listener(rows.get("url", ""), rows.get("login", ""), secret)
        self.listener.woke.connect(self.sync_now)
        self.listener.start()

    def _local_change(self, _changes) -> None:
        if self.publishing or not self.is_joined():
            return
        self.state_changed.emit()  # N changes waiting
        self.push_timer.start()

    # ------------------------------------------------------------ syncing
    def sync_now(self, parent: Optional[QWidget] = None) -> Optional[Task]:
        """One sync off the GUI thread; with ``parent``, a progress dialog on it (the user asked)."""
        if self.stopped or not self.is_joined():
            return None
        if self.task is not None:
            self.again = True
            return self.task
        secret = self.known_password()
        if not secret:
            self._failed(CrmError("sync_password_needed", user=state.read().get("login", "")))
            return None
        self.push_timer.stop()
        label = QCoreApplication.translate("TeamSync", "Syncing with the team…")
        self.task = self.runner.start(lambda progress: session.sync(secret, _with_text(progress)), parent, label,
                                      self._done, self._failed, show_dialog=parent is not None)
        self.started.emit()
        self.state_changed.emit()
        return self.task

    def _done(self, result) -> None:
        self.task, self.error = None, None
        self.publishing = True
        try:
            self.bus.publish(*result.changes)
        finally:
            self.publishing = False
        self._listen()  # the password works: listen if not yet
        self.state_changed.emit()
        self.synced.emit(result)
        self._again()

    def _failed(self, error: BaseException) -> None:
        self.task, self.error = None, error
        self.state_changed.emit()
        self.failed.emit(error)
        if isinstance(error, CrmError) and error.code == "db_busy" and not self.stopped:
            QTimer.singleShot(BUSY_RETRY_MS, self, self.sync_now)  # a long write in the window: soon done
        self._again()

    def _again(self) -> None:
        if self.again:
            self.again = False
            QTimer.singleShot(0, self.sync_now)

    # ------------------------------------------------------------ joining and leaving
    def join(self, url: str, user: str, password: str, remember: bool, parent: Optional[QWidget] = None) -> Task:
        """This database joins the team: the first upload or download, with its progress."""
        label = QCoreApplication.translate("TeamSync", "Connecting to the team…")
        self.stopped = False

        def job(progress):
            return session.join(url, user, password, _with_text(progress), remember=remember)

        def done(result) -> None:
            self.task = None
            self.password = password
            self.publishing = True
            try:
                self.bus.publish(*result.changes)
            finally:
                self.publishing = False
            self.error = None
            if not self.stopped:
                self.timer.start()
                self._listen()
                # At once, not in a minute: what others changed meanwhile comes down.
                QTimer.singleShot(0, self.sync_now)
            self.build_indexes()  # those the download left for after it, in the background
            self.state_changed.emit()
            self.joined.emit(result)

        def failed(_error: BaseException) -> None:  # the connect dialog says why
            self.task = None
            self.state_changed.emit()
        self.task = self.runner.start(job, parent, label, done, failed, show_dialog=parent is not None)
        self.state_changed.emit()
        return self.task

    def leave(self) -> None:
        self.stop()
        session.leave()
        self.password, self.error = None, None
        self.state_changed.emit()
        self.left.emit()
