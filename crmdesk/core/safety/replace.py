"""Putting a checked copy of a backup in place of a damaged database file, whose pages the
backup API may fail to write over. The copy is made beside the database first (a temporary
name that the next start cleans if this is killed), the old -wal and -shm are removed (a
WAL left behind would be replayed into the new file), then one rename swaps the files.

An app in this process with the database open is closed first and opened again on the
restored file; the GUI closes its connection before it restores. Another program that
still has the old file open keeps reading the old, damaged file until it reopens: the
command line path is meant for a database nothing else has open."""
from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Callable

from crmdesk.core.errors import CrmError


def replace_file(source: Path, db_path: Path, copy: Callable[[Path, Path], Path]) -> None:
    from crmdesk.core import db as dbmod
    db_path = Path(db_path)
    staged = db_path.with_name(f".backup-{os.getpid()}-restore.sqlite")
    copy(source, staged)
    current = dbmod.current_path()
    reopen = current is not None and current.exists() and _same(current, db_path) \
        and not dbmod.database.is_closed()
    dbmod.close_database()
    try:
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{db_path}{suffix}")
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
