"""Run core jobs off the GUI thread with a progress dialog and Cancel (DESIGN §1).

A job is ``fn(progress)``; ``progress(done, total, message)`` raises ``Cancelled`` once
the user pressed Cancel, and the job rolls back whatever it had started."""
from __future__ import annotations

import threading
from typing import Any, Callable, Optional

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from crmdesk.core.progress import Cancelled


class _Signals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal()


class _Job(QRunnable):
    def __init__(self, fn: Callable[[Callable], Any]):
        super().__init__()
        self.fn = fn
        self.signals = _Signals()
        self.cancel_requested = threading.Event()
        self.setAutoDelete(False)

    def progress(self, done: int, total: int, message: str = "") -> None:
        if self.cancel_requested.is_set():
            raise Cancelled()
        self.signals.progress.emit(int(done), int(total), message)

    def run(self) -> None:
        from crmdesk.core.models import database
        try:
            result = self.fn(self.progress)
        except Cancelled:
            outcome = (self.signals.cancelled, ())
        except BaseException as exc:  # reported to the GUI thread, shown there
            outcome = (self.signals.failed, (exc,))
        else:
            outcome = (self.signals.finished, (result,))
        finally:
            if not database.is_closed():
                database.close()  # this worker thread's own connection
        try:
            outcome[0].emit(*outcome[1])
        except RuntimeError:  # the window went away while the job ran
            pass


class Task(QObject):
    """One running job and its dialog. Signals arrive on the GUI thread."""
    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal()

    def __init__(self, job: _Job, dialog: Optional[QProgressDialog]):
        super().__init__()
        self.job = job
        self.dialog = dialog
        self.done = False
        job.signals.progress.connect(self._on_progress)
        job.signals.finished.connect(lambda result: self._end(self.finished, result))
        job.signals.failed.connect(lambda exc: self._end(self.failed, exc))
        job.signals.cancelled.connect(lambda: self._end(self.cancelled))
        if dialog is not None:
            dialog.canceled.connect(self.cancel)

    def cancel(self) -> None:
        self.job.cancel_requested.set()

    def _on_progress(self, done: int, total: int, message: str) -> None:
        if self.dialog is not None:
            self.dialog.setMaximum(max(total, 1))
            self.dialog.setValue(min(done, max(total, 1)))
            if message:
                self.dialog.setLabelText(message)

    def _end(self, signal, *payload) -> None:
        self.done = True
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.cancel)
            self.dialog.close()
            self.dialog.deleteLater()
        signal.emit(*payload)


class TaskRunner(QObject):
    """Starts jobs on a thread pool; keeps them alive until they end."""

    def __init__(self, parent: Optional[QObject] = None):
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        self.running: list[Task] = []

    def start(self, fn: Callable[[Callable], Any], parent: Optional[QWidget] = None,
              label: str = "", on_done: Optional[Callable[[Any], None]] = None,
              on_error: Optional[Callable[[BaseException], None]] = None,
              show_dialog: bool = True) -> Task:
        dialog = None
        if show_dialog:
            dialog = QProgressDialog(label, self.tr("Cancel"), 0, 0, parent)
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(300)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
        job = _Job(fn)
        task = Task(job, dialog)
        self.running.append(task)

        def forget(*_):
            if task in self.running:
                self.running.remove(task)
        if on_done:
            task.finished.connect(on_done)
        if on_error:
            task.failed.connect(on_error)
        for signal in (task.finished, task.failed, task.cancelled):
            signal.connect(forget)
        self.pool.start(job)
        return task

    def wait(self, msecs: int = -1) -> bool:
        return self.pool.waitForDone(msecs)

