"""Consistent copies of the database while the app may be open (the SQLite backup API),
checked with ``PRAGMA quick_check`` and put in place by an atomic rename; automatic
generations in the data folder, rotated per kind (daily, before-migration, before-restore,
...); restore that checks the file fully first and keeps a copy of the current data, even
of a damaged database (then a raw copy of its files)."""
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

from crmdesk.core import migrations
from crmdesk.core.errors import CrmError
from crmdesk.core.progress import Progress, report
from crmdesk.core.safety import damage, integrity
from crmdesk.core.safety.crashpoints import crash_point, crash_step
from crmdesk import paths

KEEP_AUTOMATIC = 7  # per kind
BACKUP_FAILED = "backup_failed"
RESTORE_NOT_CRMDESK = "restore_not_crmdesk"
RESTORE_TOO_NEW = "restore_too_new"
RESTORE_DAMAGED = "restore_damaged"
RESTORE_NO_FOLDER = "restore_no_folder"
RAW_REASON = "before-restore-damaged"  # a plain copy of a damaged database's files
STAMP = "%Y%m%d-%H%M%S"
# 20261204-100000-123456-daily.sqlite: the stamp, microseconds, the reason
AUTOMATIC_NAME = re.compile(r"^(\d{8}-\d{6})-\d{6}-(.+)\.sqlite$")
TEMPORARY_PREFIX = ".backup-"
# .backup-<pid>-<random>.sqlite; older crmdesk wrote .backup-<random>.sqlite
_TEMPORARY = re.compile(r"^\.backup-(?:(\d+)-)?[^.]*\.sqlite$")
STALE_UNTAGGED_SECONDS = 6 * 3600


def _copy(source: Path, target: Path, progress: Optional[Progress] = None) -> Path:
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
    return _copy(db_path, Path(target), progress)


def kind_of(path: Path) -> Optional[str]:
    """The kind of an automatic generation ("daily", "before-migration", ...), None for
    other files; the version a before-migration backup was made at is not part of it."""
    match = AUTOMATIC_NAME.match(Path(path).name)
    return re.sub(r"-\d+$", "", match.group(2)) if match else None


def made_at(path: Path) -> Optional[dt.datetime]:
    """When an automatic generation was made, from its name (not the file system's clock)."""
    match = AUTOMATIC_NAME.match(Path(path).name)
    return dt.datetime.strptime(match.group(1), STAMP) if match else None


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
    target = _copy(Path(db_path), folder / _automatic_name(reason))
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


def is_raw_copy(path: Optional[Path]) -> bool:
    return path is not None and kind_of(path) == RAW_REASON


def backup_if_due(db_path: Path, every: dt.timedelta = dt.timedelta(days=1)) -> Optional[Path]:
    """The daily generation: a new automatic backup when the newest daily one was made
    ``every`` or longer ago by its name's stamp (or there is none); None when one is recent."""
    daily = [p for p in list_automatic(db_path) if kind_of(p) == "daily"]
    if daily and dt.datetime.now() - made_at(daily[0]) < every:
        return None
    return automatic_backup(db_path, reason="daily")


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
    from crmdesk.core.db import SQLITE_MAGIC
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
    elif not _sound(path):
        raise CrmError(RESTORE_DAMAGED, path=str(path))
    return version


def _sound(db_path: Path) -> bool:
    try:
        with contextlib.closing(sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True,
                                                timeout=10)) as conn:
            return conn.execute("PRAGMA quick_check(1)").fetchone()[0] == "ok"  # reads every page
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise CrmError("db_busy") from None
        return False
    except sqlite3.DatabaseError:
        return False


def _check_replaceable(db_path: Path) -> None:
    """Refuse, touching nothing, to restore over a file that is no crmdesk database (a text,
    a picture, another program's SQLite) or one from a newer crmdesk: the user most likely
    gave the wrong path. A damaged or truncated crmdesk database is exactly what a restore
    is for, and goes ahead."""
    from crmdesk.core import db as dbmod
    from crmdesk.core.errors import DB_CORRUPT, DB_NOT_SQLITE, DB_TOO_NEW
    if not db_path.is_file() or db_path.stat().st_size == 0:
        return
    with open(db_path, "rb") as handle:
        if handle.read(16) != dbmod.SQLITE_MAGIC:
            raise CrmError(DB_NOT_SQLITE, path=str(db_path))
    try:
        _app_id, version = dbmod.schema_version(db_path)  # another program's SQLite: db_not_crmdesk
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
        _copy(Path(source), db_path)
        return None
    if not _sound(db_path):
        from crmdesk.core.safety import replace
        reopen = replace.release(db_path)  # nothing else may have it open
        kept = raw_copy(db_path)
        replace.replace_file(Path(source), db_path, _copy, reopen)
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
        if "locked" in str(error) or "busy" in str(error):
            raise CrmError("db_busy") from None
        raise CrmError(BACKUP_FAILED, path=str(db_path)) from None
    damage.forget(db_path)
    return kept
