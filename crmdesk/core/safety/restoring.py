"""Restoring a backup: the file checked fully first, a copy kept of the data it replaces
(of a damaged database, a raw copy of its files), a sound database replaced through
SQLite's backup API, a damaged one by a checked copy put in its place (``replace``)."""
from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path
from typing import Optional

from crmdesk.core import migrations
from crmdesk.core.errors import DB_CORRUPT, DB_NOT_SQLITE, DB_TOO_NEW, CrmError, is_busy
from crmdesk.core.safety import damage, replace
from crmdesk.core.safety.backup import BACKUP_FAILED, automatic_backup, copy_database, raw_copy
from crmdesk.core.safety.crashpoints import crash_step
from crmdesk.core.safety.file_header import SQLITE_MAGIC, schema_version
from crmdesk.core.safety.generations import RESTORE_DAMAGED, check_backup_file, sound

RESTORE_NO_FOLDER = "restore_no_folder"


def _check_replaceable(db_path: Path) -> None:
    """Refuse, touching nothing, to restore over a file that is no crmdesk database (a text,
    a picture, another program's SQLite) or one from a newer crmdesk: the user most likely
    gave the wrong path. A damaged or truncated crmdesk database is exactly what a restore
    is for, and goes ahead."""
    if not db_path.is_file() or db_path.stat().st_size == 0:
        return
    with open(db_path, "rb") as handle:
        if handle.read(16) != SQLITE_MAGIC:
            raise CrmError(DB_NOT_SQLITE, path=str(db_path))
    try:
        _app_id, version = schema_version(db_path)  # another program's SQLite: db_not_crmdesk
    except CrmError as error:
        if error.code == DB_CORRUPT:
            return
        raise
    if version > migrations.latest_version():
        raise CrmError(DB_TOO_NEW, path=str(db_path), version=version, supported=migrations.latest_version())


def restore(source: Path, db_path: Path) -> Optional[Path]:
    """Replace the data in ``db_path`` with ``source``; returns the copy kept of the data
    it replaced (``is_raw_copy`` tells a raw copy of a damaged database). A sound database
    is replaced through SQLite's backup API, with its locks and its WAL, so an app that has
    it open sees the restored data; a damaged one, which the API may fail to write into,
    has its file replaced by a checked copy of the backup (safety/replace.py)."""
    db_path = Path(db_path)
    if not db_path.expanduser().resolve().parent.is_dir():
        raise CrmError(RESTORE_NO_FOLDER, path=str(db_path))
    check_backup_file(source)
    _check_replaceable(db_path)
    if not db_path.exists():
        copy_database(Path(source), db_path)
        return None
    if not sound(db_path):
        reopen = replace.release(db_path)  # nothing else may have it open
        kept = raw_copy(db_path)
        replace.replace_file(Path(source), db_path, copy_database, reopen)
        damage.forget(db_path)
        return kept
    kept = automatic_backup(db_path, reason="before-restore")
    try:
        with contextlib.closing(sqlite3.connect(f"{Path(source).resolve().as_uri()}?mode=ro", uri=True)) as src, \
                contextlib.closing(sqlite3.connect(str(db_path), timeout=10)) as dst:
            src.backup(dst, pages=1024, progress=crash_step("mid-restore"))  # crash_step: a test hook
            if dst.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise CrmError(RESTORE_DAMAGED, path=str(source))
    except sqlite3.OperationalError as error:
        if is_busy(error):
            raise CrmError("db_busy") from None
        raise CrmError(BACKUP_FAILED, path=str(db_path)) from None
    damage.forget(db_path)
    return kept
