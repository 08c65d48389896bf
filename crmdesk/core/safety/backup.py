"""Consistent copies of the database while the app may be open (the SQLite backup API),
checked with ``PRAGMA quick_check`` and put in place by an atomic rename; automatic
generations in the data folder, rotated per kind (daily, before-migration, before-restore,
...). Which generations exist and which is good: ``generations``; putting one back:
``restoring``."""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Optional

from crmdesk.core.errors import CrmError
from crmdesk.core.progress import Progress, report
from crmdesk.core.safety.crashpoints import crash_point
from crmdesk.core.safety.generations import AUTOMATIC_NAME, RAW_REASON, STAMP, kind_of, list_automatic, made_at
from crmdesk import paths

KEEP_AUTOMATIC = 7  # per kind
BACKUP_FAILED = "backup_failed"
TEMPORARY_PREFIX = ".backup-"
# .backup-<pid>-<random>.sqlite; older crmdesk wrote .backup-<random>.sqlite
_TEMPORARY = re.compile(r"^\.backup-(?:(\d+)-)?[^.]*\.sqlite$")
STALE_UNTAGGED_SECONDS = 6 * 3600


def copy_database(source: Path, target: Path, progress: Optional[Progress] = None) -> Path:
    target = Path(target)
    if target.exists() and target.resolve() == Path(source).resolve():
        raise CrmError("backup_onto_itself", path=str(target))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        clean_stale_temporaries(target.parent)
        handle, temporary = tempfile.mkstemp(prefix=f"{TEMPORARY_PREFIX}{os.getpid()}-", suffix=".sqlite",
                                             dir=target.parent)
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


def _pid_alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill would end the process there; leave those to the age rule
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def clean_stale_temporaries(folder: Path) -> list[Path]:
    """Remove the temporary files of backups that were killed half way: a name tagged with
    the pid of a process that no longer runs, or (names of older versions) not written to
    for hours. A backup in progress in this or another live process is never touched."""
    removed = []
    with contextlib.suppress(OSError):
        for path in Path(folder).glob(f"{TEMPORARY_PREFIX}*.sqlite"):
            match = _TEMPORARY.match(path.name)
            if not match:
                continue
            stale = False
            if match.group(1):
                stale = int(match.group(1)) != os.getpid() and not _pid_alive(int(match.group(1)))
            else:
                with contextlib.suppress(OSError):
                    stale = time.time() - path.stat().st_mtime > STALE_UNTAGGED_SECONDS
            if stale:
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed.append(path)
    return removed


def clean_at_start(db_path: Path) -> None:
    """The stale temporaries beside the database and in its automatic backups' folder."""
    clean_stale_temporaries(Path(db_path).expanduser().resolve().parent)
    folder = paths.backups_dir(db_path)
    if folder.is_dir():
        clean_stale_temporaries(folder)


def backup(db_path: Path, target: Optional[Path] = None, progress: Optional[Progress] = None) -> Path:
    """Copy the database at ``db_path`` to ``target`` (default: a dated file beside it)."""
    db_path = Path(db_path)
    if target is None:
        stamp = dt.datetime.now().strftime(STAMP)
        target = db_path.with_name(f"{db_path.stem}-backup-{stamp}.sqlite")
    return copy_database(db_path, Path(target), progress)


def _automatic_name(reason: str) -> str:
    return f"{dt.datetime.now().strftime(STAMP + '-%f')}-{reason}.sqlite"


def _rotate(db_path: Path, kind: str) -> None:
    same = [p for p in list_automatic(db_path) if kind_of(p) == kind]
    for old in same[KEEP_AUTOMATIC:]:
        for path in (old, Path(f"{old}-wal")):
            with contextlib.suppress(OSError):
                path.unlink()


def automatic_backup(db_path: Path, reason: str = "auto") -> Path:
    """A generation in the data folder's backups; the newest few of each kind are kept."""
    folder = paths.backups_dir(db_path)
    target = copy_database(Path(db_path), folder / _automatic_name(reason))
    _rotate(db_path, kind_of(target))
    return target


def before_migration(db_path: Path, version: int) -> Path:
    """The backup before migrating from ``version``: the one an earlier, failed attempt
    made when the database has not changed since (its files are no newer than the
    backup), otherwise a new one. A failed upgrade changes nothing, so each attempt would
    otherwise add one more identical copy and push older generations out."""
    reason = f"before-migration-{version}"
    db_path = Path(db_path)
    for path in list_automatic(db_path):
        match = AUTOMATIC_NAME.match(path.name)
        if match and match.group(2) == reason and _unchanged_since(db_path, path):
            return path
    return automatic_backup(db_path, reason=reason)


def _unchanged_since(db_path: Path, copy: Path) -> bool:
    try:
        made = copy.stat().st_mtime
        if db_path.stat().st_mtime > made:
            return False
        wal = Path(f"{db_path}-wal")
        return not wal.exists() or wal.stat().st_size == 0 or wal.stat().st_mtime <= made
    except OSError:
        return False


def raw_copy(db_path: Path, reason: str = RAW_REASON) -> Path:
    """A plain copy of the database file and its -wal, for a database too damaged for the
    backup API; kept among the automatic generations, never offered as a good backup."""
    db_path = Path(db_path)
    folder = paths.backups_dir(db_path)
    target = folder / _automatic_name(reason)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy2(db_path, target)
        wal = Path(f"{db_path}-wal")
        if wal.is_file() and wal.stat().st_size:
            shutil.copy2(wal, Path(f"{target}-wal"))
    except OSError:
        raise CrmError("file_unwritable", path=str(target)) from None
    _rotate(db_path, reason)
    return target


def backup_if_due(db_path: Path, every: dt.timedelta = dt.timedelta(days=1)) -> Optional[Path]:
    """The daily generation: a new automatic backup when the newest daily one was made
    ``every`` or longer ago by its name's stamp (or there is none); None when one is recent."""
    daily = [p for p in list_automatic(db_path) if kind_of(p) == "daily"]
    if daily and dt.datetime.now() - made_at(daily[0]) < every:
        return None
    return automatic_backup(db_path, reason="daily")


