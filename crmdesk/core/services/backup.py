"""Consistent copies of the database while the app may be open (the SQLite backup API),
checked with ``PRAGMA quick_check`` and put in place by an atomic rename; rotating
automatic generations in the data folder; restore that checks the file first and keeps a
copy of the current data."""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import tempfile
from pathlib import Path
from typing import Optional

from crmdesk.core import migrations
from crmdesk.core.errors import CrmError
from crmdesk.core.progress import Progress, report
from crmdesk.core.safety.crashpoints import crash_point, crash_step
from crmdesk import paths

KEEP_AUTOMATIC = 7
BACKUP_FAILED = "backup_failed"
RESTORE_NOT_CRMDESK = "restore_not_crmdesk"
RESTORE_TOO_NEW = "restore_too_new"
RESTORE_DAMAGED = "restore_damaged"


def _copy(source: Path, target: Path, progress: Optional[Progress] = None) -> Path:
    target = Path(target)
    if target.exists() and target.resolve() == Path(source).resolve():
        raise CrmError("backup_onto_itself", path=str(target))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".backup-", suffix=".sqlite", dir=target.parent)
    except OSError:
        raise CrmError("file_unwritable", path=str(target)) from None
    os.close(handle)
    try:
        with contextlib.closing(sqlite3.connect(f"{Path(source).resolve().as_uri()}?mode=ro", uri=True,
                                                timeout=10)) as src, \
                contextlib.closing(sqlite3.connect(temporary)) as dst:
            def step(status, remaining, total):
                report(progress, total - remaining, total, "")
                crash_point("mid-backup-copy")  # a test hook (safety/crashpoints.py)
            src.backup(dst, pages=1024, progress=step)
            dst.execute("PRAGMA journal_mode=delete")
            if dst.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise CrmError(BACKUP_FAILED, path=str(target))
        os.replace(temporary, target)
    except sqlite3.Error:
        raise CrmError(BACKUP_FAILED, path=str(target)) from None
    except OSError:
        raise CrmError("file_unwritable", path=str(target)) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
            os.unlink(temporary + "-journal")  # left by a copy that failed half-way (a full disk)
    return target


def backup(db_path: Path, target: Optional[Path] = None, progress: Optional[Progress] = None) -> Path:
    """Copy the database at ``db_path`` to ``target`` (default: a dated file beside it)."""
    db_path = Path(db_path)
    if target is None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = db_path.with_name(f"{db_path.stem}-backup-{stamp}.sqlite")
    return _copy(db_path, Path(target), progress)


def automatic_backup(db_path: Path, reason: str = "auto") -> Path:
    """A generation in the data folder's backups; only the newest few are kept."""
    folder = paths.backups_dir(db_path)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = _copy(Path(db_path), folder / f"{stamp}-{reason}.sqlite")
    for old in sorted(folder.glob("*.sqlite"))[:-KEEP_AUTOMATIC]:
        with contextlib.suppress(OSError):
            old.unlink()
    return target


def backup_if_due(db_path: Path, every: dt.timedelta = dt.timedelta(days=1)) -> Optional[Path]:
    """The daily generation: a new automatic backup when the newest is older than
    ``every`` (or there is none); None when one is recent enough."""
    newest = list_automatic(db_path)
    if newest and dt.datetime.now() - dt.datetime.fromtimestamp(newest[0].stat().st_mtime) < every:
        return None
    return automatic_backup(db_path, reason="daily")


def list_automatic(db_path: Path) -> list[Path]:
    return sorted(paths.backups_dir(db_path).glob("*.sqlite"), reverse=True)


def check_backup_file(path: Path) -> int:
    """Raise unless ``path`` is a sound crmdesk database this version can open."""
    from crmdesk.core.db import SQLITE_MAGIC
    path = Path(path)
    if not path.is_file():
        raise CrmError("file_missing", path=str(path))
    with open(path, "rb") as handle:
        if handle.read(16) != SQLITE_MAGIC:
            raise CrmError(RESTORE_NOT_CRMDESK, path=str(path))
    try:
        with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise CrmError(RESTORE_DAMAGED, path=str(path))
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError:
        raise CrmError(RESTORE_DAMAGED, path=str(path)) from None
    if app_id != migrations.APPLICATION_ID:
        raise CrmError(RESTORE_NOT_CRMDESK, path=str(path))
    if version > migrations.latest_version():
        raise CrmError(RESTORE_TOO_NEW, path=str(path), version=version,
                       supported=migrations.latest_version())
    return version


def restore(source: Path, db_path: Path) -> Optional[Path]:
    """Replace the data in ``db_path`` with ``source``; returns the copy kept of the data
    it replaced. The copy goes through SQLite's backup API into the live database, with
    its locks and its WAL, so an app that has the database open sees the restored data
    instead of writing on in a file that was swapped away under it."""
    check_backup_file(source)
    db_path = Path(db_path)
    kept = automatic_backup(db_path, reason="before-restore") if db_path.exists() else None
    try:
        with contextlib.closing(sqlite3.connect(f"{Path(source).resolve().as_uri()}?mode=ro", uri=True)) as src, \
                contextlib.closing(sqlite3.connect(str(db_path), timeout=10)) as dst:
            src.backup(dst, pages=1024, progress=crash_step("mid-restore"))  # crash_step: a test hook
            if dst.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise CrmError(RESTORE_DAMAGED, path=str(source))
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise CrmError("db_busy") from None
        raise CrmError(BACKUP_FAILED, path=str(db_path)) from None
    return kept
