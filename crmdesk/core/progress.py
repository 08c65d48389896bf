"""Progress reporting for long jobs: ``progress(done, total, message)``; it may raise
``Cancelled`` to stop the job, which then rolls back whatever it had started."""
from __future__ import annotations

from typing import Callable, Optional

Progress = Callable[[int, int, str], None]


class Cancelled(Exception):
    """Raised by a progress callback to stop a job; nothing it did is kept."""


def report(progress: Optional[Progress], done: int, total: int, message: str = "") -> None:
    if progress is not None:
        progress(done, total, message)
