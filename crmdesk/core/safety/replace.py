"""Putting a checked copy of a backup in place of a damaged database file, whose pages the
backup API may fail to write over. The copy is made beside the database first (a temporary
name that the next start cleans if this is killed), the old -wal and -shm are removed (a
WAL left behind would be replayed into the new file), then one rename swaps the files.

An app in this process with the database open is closed first and opened again on the
restored file; the GUI closes its connection before it restores. Another program that
has the file open would go on with the old, swapped-away file: ``release`` asks SQLite for
an exclusive lock first (refused while any other connection has a WAL database open) and
refuses the restore, nothing changed, when it can't have it. A damaged file opened in
rollback mode by another program holds no lock between statements and is not seen."""
from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Callable

from crmdesk.core.errors import CrmError, is_busy
from crmdesk.core.safety.crashpoints import crash_point

RESTORE_DB_OPEN = "restore_db_open"


def release(db_path: Path) -> bool:
    """Close this process's connection to ``db_path`` and make sure no other connection has
    it open; True when this process had it open (``replace_file`` opens it again)."""
    import sqlite3
    from crmdesk.core import db as dbmod
    current = dbmod.current_path()
    reopen = current is not None and str(current) != ":memory:" and _same(current, Path(db_path)) \
        and not dbmod.database.is_closed()
    dbmod.close_database()
    try:
        probe = sqlite3.connect(str(db_path), timeout=0.5, isolation_level=None)
    except sqlite3.Error:
        return reopen
    try:
        probe.execute("PRAGMA locking_mode = EXCLUSIVE")
        probe.execute("BEGIN EXCLUSIVE")
        probe.execute("ROLLBACK")
    except sqlite3.OperationalError as error:
        if is_busy(error):
            raise CrmError(RESTORE_DB_OPEN, path=str(db_path)) from None
    except sqlite3.DatabaseError:
        pass  # too damaged to say: nothing can be using it either
    finally:
        probe.close()
    return reopen


def replace_file(source: Path, db_path: Path, copy: Callable[[Path, Path], Path], reopen: bool) -> None:
    from crmdesk.core import db as dbmod
    db_path = Path(db_path)
    staged = db_path.with_name(f".backup-{os.getpid()}-restore.sqlite")
    copy(source, staged)
    try:
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{db_path}{suffix}")
        crash_point("mid-restore-rename")  # a test hook (crashpoints.py)
        os.replace(staged, db_path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(staged)
        raise CrmError("file_unwritable", path=str(db_path)) from None
    if reopen:
        dbmod.open_database(db_path)


def _same(a: Path, b: Path) -> bool:
    with contextlib.suppress(OSError):
        return a.resolve() == b.resolve()
    return False
