"""What a large download into an empty laptop arranges around its transaction
(``download``): a folder for the second process's scratch files, foreign keys left
unchecked while the rows go in, and the copy from the WAL into the database file left to
a thread of its own."""
from __future__ import annotations

import shutil
import sqlite3
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

from crmdesk.core.models import database


@contextmanager
def scratch_folder() -> Iterator[Path]:
    """A folder for the second process's scratch files (``fetcher``) beside the database (a
    temporary folder may be in memory, and they hold a gigabyte at 100,000 customers). On
    the way out, after the download's transaction, they are detached (SQLite attaches
    within a transaction, but detaches only after it) and removed; so are those a download
    that was killed left behind."""
    if database.database in ("", ":memory:"):
        where, prefix = None, ".crmdesk-download-"
    else:
        where, prefix = Path(database.database).parent, f".{Path(database.database).name}.download-"
        for left in where.glob(prefix + "*"):
            shutil.rmtree(left, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix=prefix, dir=where) as folder:
        try:
            yield Path(folder)
        finally:
            for _seq, name, _file in database.execute_sql("PRAGMA database_list").fetchall():
                if name.startswith("fetched_"):
                    database.execute_sql(f"DETACH DATABASE {name}")


# The thread copying a large download's pages from the WAL into the database file, if one
# was started (``checkpoint_behind``): the app and the tests may wait for it.
checkpointing: Optional[threading.Thread] = None


@contextmanager
def checkpoint_behind() -> Iterator[None]:
    """A large download's commit does not copy its pages from the WAL into the database
    file (SQLite's automatic checkpoint, in the committing thread: 4.2 of 56 s at 100,000
    customers); a thread of its own does, on a connection of its own, while the laptop
    opens. Meanwhile a checkpoint another connection tries finds it busy and skips it, as
    SQLite's automatic ones do; this connection's comes back when the copy is done."""
    global checkpointing
    connection = database.connection()
    every = connection.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
    connection.execute("PRAGMA wal_autocheckpoint = 0")
    path = database.database
    try:
        yield
    except BaseException:
        connection.execute(f"PRAGMA wal_autocheckpoint = {int(every)}")
        raise

    def copy() -> None:
        try:
            own = sqlite3.connect(path, timeout=60)
            try:
                own.execute("PRAGMA wal_checkpoint(PASSIVE)")
            finally:
                own.close()
        except sqlite3.Error:
            pass  # the next automatic checkpoint does it
        finally:
            try:
                connection.execute(f"PRAGMA wal_autocheckpoint = {int(every)}")
            except sqlite3.Error:
                pass  # the laptop was closed meanwhile: a connection opened again checkpoints as usual

    checkpointing = threading.Thread(target=copy, name="crmdesk-checkpoint", daemon=True)
    checkpointing.start()


@contextmanager
def unchecked_keys(empty: bool) -> Iterator[bool]:
    """Into an empty laptop, foreign keys are not checked while the download's transaction
    inserts (a look-up of the parent for every reference of every row; 0.6 of 13 s at
    30,000 customers), and come back on after it: every reference is a join on a record
    that is here, or NULL, and a table's references to its own records are cleared where
    that record was left out (``FreshTable.take``). Yields whether they are off (SQLite
    ignores the pragma inside a transaction)."""
    if not empty:
        yield False
        return
    database.execute_sql("PRAGMA foreign_keys = OFF")
    try:
        yield database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 0
    finally:
        database.execute_sql("PRAGMA foreign_keys = ON")
