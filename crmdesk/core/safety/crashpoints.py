"""A test hook: kill the process at a named point of a write, to prove that a crash there
loses nothing (tests/core/test_crash_points.py).

Set the environment variable ``CRMDESK_CRASH_AT`` to a point's name and the process kills
itself (SIGKILL: no clean-up, no flush, as a power cut or the task manager would) the first
time it reaches that point. Unset, ``crash_point`` is one dictionary look-up. Users never set
it; nothing but the tests does.

The points: ``before-commit`` and ``after-commit`` (the outermost ``db.transaction()``),
``mid-chunk`` (a bulk write between two chunks of its one transaction), ``mid-backup-copy``
(the backup API between two steps into the temporary file) and ``mid-restore`` (the backup
API between two steps into the live database)."""
from __future__ import annotations

import os
import signal

ENVIRONMENT = "CRMDESK_CRASH_AT"
POINTS = ("before-commit", "after-commit", "mid-chunk", "mid-backup-copy", "mid-restore")


def crash_point(name: str) -> None:
    """Kill this process now if ``CRMDESK_CRASH_AT`` names this point (a test hook)."""
    if os.environ.get(ENVIRONMENT) == name:
        kill = getattr(signal, "SIGKILL", None)
        if kill is not None:
            os.kill(os.getpid(), kill)
        os._exit(137)  # Windows: no SIGKILL; leave at once all the same


def crash_step(name: str):
    """A ``progress`` callback for ``sqlite3.Connection.backup`` that crashes at ``name``
    after the first step that leaves pages still to copy (so the copy is half done)."""
    def step(_status, remaining, _total):
        if remaining:
            crash_point(name)
    return step
