"""The automatic backups kept beside a database (its generations): their names, kinds and
times, which are sound, and the newest good one to offer when the database is damaged."""
from __future__ import annotations

import contextlib
import datetime as dt
import re
import sqlite3
from pathlib import Path
from typing import Optional

from crmdesk import paths
from crmdesk.core import migrations
from crmdesk.core.errors import CrmError, is_busy
from crmdesk.core.safety import integrity
from crmdesk.core.safety.file_header import SQLITE_MAGIC

RESTORE_NOT_CRMDESK = "restore_not_crmdesk"
RESTORE_TOO_NEW = "restore_too_new"
RESTORE_DAMAGED = "restore_damaged"
RAW_REASON = "before-restore-damaged"  # a plain copy of a damaged database's files
STAMP = "%Y%m%d-%H%M%S"

# 20261204-100000-123456-daily.sqlite: the stamp, microseconds, the reason
AUTOMATIC_NAME = re.compile(r"^(\d{8}-\d{6})-\d{6}-(.+)\.sqlite$")


def kind_of(path: Path) -> Optional[str]:
    """The kind of an automatic generation ("daily", "before-migration", ...), None for
    other files; the version a before-migration backup was made at is not part of it."""
    match = AUTOMATIC_NAME.match(Path(path).name)
    return re.sub(r"-\d+$", "", match.group(2)) if match else None


def made_at(path: Path) -> Optional[dt.datetime]:
    """When an automatic generation was made, from its name (not the file system's clock)."""
    match = AUTOMATIC_NAME.match(Path(path).name)
    return dt.datetime.strptime(match.group(1), STAMP) if match else None


def is_raw_copy(path: Optional[Path]) -> bool:
    return path is not None and kind_of(path) == RAW_REASON


def list_automatic(db_path: Path) -> list[Path]:
    """The automatic generations of ``db_path``, newest first."""
    return sorted(paths.backups_dir(db_path).glob("*.sqlite"), reverse=True)


def newest_good(db_path: Path) -> Optional[Path]:
    """The newest automatic generation that is a sound crmdesk database by ``quick_check``
    (0.7 s on 400 MB, against 7 s for the full check, which the restore itself runs), or None."""
    for path in list_automatic(db_path):
        if is_raw_copy(path):
            continue
        with contextlib.suppress(CrmError):
            check_backup_file(path, full=False)
            return path
    return None


def check_backup_file(path: Path, full: bool = True) -> int:
    """Raise unless ``path`` is a sound crmdesk database this version can open: integrity,
    foreign keys, full-text indexes and the schema of its version (safety/integrity.py);
    ``full=False``: SQLite's quick_check only."""
    path = Path(path)
    if not path.parent.is_dir() or not path.is_file():
        raise CrmError("file_missing", path=str(path))
    with open(path, "rb") as handle:
        if handle.read(16) != SQLITE_MAGIC:
            raise CrmError(RESTORE_NOT_CRMDESK, path=str(path))
    try:
        with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError:
        raise CrmError(RESTORE_DAMAGED, path=str(path)) from None
    if app_id != migrations.APPLICATION_ID:
        raise CrmError(RESTORE_NOT_CRMDESK, path=str(path))
    if version > migrations.latest_version():
        raise CrmError(RESTORE_TOO_NEW, path=str(path), version=version,
                       supported=migrations.latest_version())
    if full:
        integrity.check_file(path, RESTORE_DAMAGED)
    elif not sound(path):
        raise CrmError(RESTORE_DAMAGED, path=str(path))
    return version


def sound(db_path: Path) -> bool:
    try:
        with contextlib.closing(sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True,
                                                timeout=10)) as conn:
            return conn.execute("PRAGMA quick_check(1)").fetchone()[0] == "ok"  # reads every page
    except sqlite3.OperationalError as error:
        if is_busy(error):
            raise CrmError("db_busy") from None
        return False
    except sqlite3.DatabaseError:
        return False
