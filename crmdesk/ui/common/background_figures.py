"""A page whose figures are worked out in a worker thread (the analytics tab, the sales
report): worked out when it is shown while stale and again after the data changed, one
computation at a time (a newer one replaces the one running), its progress in a bar and a
line, a failure said, never a frozen window."""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QCoreApplication

from crmdesk.ui.tasks import TaskRunner


class BackgroundFigures:
    """Mixed into a QWidget that has ``progress`` (a QProgressBar) and ``status`` (a QLabel).
    Its constructor calls ``init_figures()``; it gives ``figures_job()`` (the work, with its
    inputs read now, on the GUI thread) and ``show_built(built)``."""

    def init_figures(self) -> None:
        self.tasks = TaskRunner(self)
        self.task = None
        self.built = None
        self.stale = True  # worked out when next shown

    def figures_job(self) -> Callable[[Callable], Any]:
        raise NotImplementedError

    def show_built(self, built) -> None:
        raise NotImplementedError

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self.stale and self.task is None:
            self.refresh()

    def refresh(self):
        """Work the figures out again in a worker thread; the Task."""
        if self.task is not None:
            self.task.cancel()
        job = self.figures_job()
        self.stale = False
        self.progress.setValue(0)
        self.progress.show()
        self.status.setText(QCoreApplication.translate("BackgroundFigures", "Working out the figures…"))
        task = self.tasks.start(job, self, "", lambda built: self._figures_built(task, built),
                                lambda exc: self._figures_failed(task, exc), show_dialog=False)
        task.job.signals.progress.connect(lambda done, total, _m: (self.progress.setMaximum(total),
                                                                     self.progress.setValue(done)))
        self.task = task
        return task

    def _figures_built(self, task, built) -> None:
        if task is not self.task:
            return  # a newer computation replaced this one
        self.task = None
        self.built = built
        self.progress.hide()
        self.show_built(built)

    def _figures_failed(self, task, exc: BaseException) -> None:
        if task is not self.task:
            return
        self.task = None
        self.progress.hide()
        self.status.setText("")
        window = self.window()
        if hasattr(window, "task_failed"):
            window.task_failed(exc)  # the window's dialog with the traceback to copy
        else:
            self.status.setText(QCoreApplication.translate(
                "BackgroundFigures", "The figures could not be worked out: {error}").format(error=exc))

    def stop(self) -> None:
        """Drop the computation under way (its figures would be stale): another database,
        new data, the window closing."""
        if self.task is not None:
            self.task.cancel()
            self.task = None
            self.progress.hide()

    def figures_changed(self, everything: bool = False) -> None:
        """The data under the figures changed (``everything``: another database or a
        restore, whose figures these are not): worked out again now if shown, else when."""
        self.stop()
        self.stale = True
        if everything:
            self.built = None
        if self.isVisible():
            self.refresh()
