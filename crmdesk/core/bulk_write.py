"""A bulk job's INSERTs run on a second thread while the job's own thread prepares the
next rows: Python's sqlite3 lets go of the GIL while SQLite works, so on two cores the SQL
(index and full-text upkeep: 9 of a 100,000-row import's 20 seconds) and the Python work
overlap instead of adding up.

Both threads use the job's one connection (``check_same_thread=False``, see
``db.open_database``; SQLite's serialized mode makes that safe), so every statement is part
of the job's transaction and goes with its rollback. Statements run in the order given.
The job's thread calls ``wait()`` before it reads what those statements write. An error
in a statement is raised in the job's thread at its next call, and the statements after
it are not run.

Two things make the overlap real (measured: benchmarks/bench_import.py, and a 300,000-row
FTS5 insert beside a busy Python loop, 2.12 s one after the other):
- many rows per statement, not ``executemany``, which takes the GIL back after every row
  and waits for the busy thread each time (1.83 s: no gain);
- a short GIL switch interval while the job runs, so the writer thread gets the GIL back
  soon after SQLite is done (1.54 s, the SQL's own time; the default 5 ms: 1.86 s)."""
from __future__ import annotations

import queue
import sys
import threading
from typing import Any, Iterator, Optional, Sequence

from crmdesk.core.safety.crashpoints import crash_point

# Statements waiting at most: the job's thread is held back beyond this. A job queues a
# chunk of rows at a time (a sales import: 2,000 rows, ~21 statements), so the queue must
# hold more than a chunk, or the job's thread waits for the writer in every chunk instead
# of checking the next one: with 8, a million-row sales import waited 30 s of its 113 s
# and the writer idled as long; with 32, 1.7 s of 92 s. At most 32 x 8,192 values queued.
QUEUED = 32
MAX_PARAMETERS = 32_766  # SQLite's limit on one statement's parameters (3.32 and later)
PARAMETERS = 8_192       # ...and the most this module puts in one (see ``shapes``)
SWITCH_INTERVAL = 0.0002  # seconds; Python's default is 0.005


def shapes(count: int, width: int) -> Iterator[int]:
    """The rows of each statement for ``count`` rows of ``width`` values: a power of two up to
    ``PARAMETERS`` values, then the rest as its binary digits (1,000 = 512 + 256 + 128 + 64
    + 32 + 8). Python's sqlite3 keeps the last 128 statements prepared, ~1 MB for every
    thousand rows of one: chunks of every length made every statement new, and a 100,000-row
    sales import held 290 MB of them; so few shapes keep it to a few MB."""
    budget = max(1, min(PARAMETERS, MAX_PARAMETERS) // width)
    step = 1 << (budget.bit_length() - 1)
    full, rest = divmod(count, step)
    yield from [step] * full
    bit = step >> 1
    while rest:
        if rest & bit:
            yield bit
            rest -= bit
        bit >>= 1


class BackgroundWrites:
    def __init__(self, connection) -> None:
        self._connection = connection
        self._jobs: queue.Queue = queue.Queue(maxsize=QUEUED)
        self._error: Optional[BaseException] = None
        self._skip = False  # the job failed: what is still queued is not run
        self._interval = sys.getswitchinterval()
        sys.setswitchinterval(min(self._interval, SWITCH_INTERVAL))
        self._thread = threading.Thread(target=self._run, name="crmdesk-bulk-write", daemon=True)
        self._thread.start()

    def insert(self, head: str, rows: Sequence[Sequence[Any]], tail: str = "") -> None:
        """``head`` (``INSERT INTO t (a, b) VALUES``) for every row of ``rows``; ``tail``
        after the rows (``INSERT … SELECT … FROM (VALUES`` rows ``) AS v JOIN …``)."""
        self._check()
        if not rows:
            return
        width = len(rows[0])
        group = "(" + ", ".join("?" * width) + ")"
        start = 0
        for size in shapes(len(rows), width):
            part = rows[start:start + size]
            start += size
            self._jobs.put((f"{head} {', '.join([group] * size)}{tail}",
                            [value for row in part for value in row]))

    def run(self, sql: str, params: Sequence[Any] = ()) -> None:
        """One more statement, in its turn (DDL too: an index built while the caller goes on)."""
        self._check()
        self._jobs.put((sql, list(params)))

    def wait(self) -> None:
        """Return when every statement given so far has run; raise the first error."""
        self._jobs.join()
        self._check()

    def close(self, failed: bool = False) -> None:
        """Stop the thread: after the statements queued, or (``failed``) without them."""
        if failed:
            self._skip = True
        self._jobs.put(None)
        self._thread.join()
        sys.setswitchinterval(self._interval)
        if not failed:
            self._check()

    def __enter__(self) -> "BackgroundWrites":
        return self

    def __exit__(self, kind, _value, _traceback) -> None:
        self.close(failed=kind is not None)

    def _check(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            self._skip = True
            raise error

    def _run(self) -> None:
        cursor = self._connection.cursor()
        while True:
            job = self._jobs.get()
            try:
                if job is None:
                    return
                if not self._skip and self._error is None:
                    cursor.execute(*job)
                    crash_point("mid-chunk")  # a test hook (safety/crashpoints.py)
            except BaseException as error:  # noqa: BLE001 - handed to the job's thread
                self._error = error
            finally:
                self._jobs.task_done()
