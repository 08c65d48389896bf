"""Opening, checking, creating and migrating the database (DESIGN §4).

``open_database(path)`` refuses, untouched, a file that is not SQLite, a database from
a newer crmdesk, an unwritable location or a network share; it creates a new database,
or backs up and migrates an older one in one transaction."""
from __future__ import annotations

import contextlib
import os
import sqlite3
from array import array
from pathlib import Path
from typing import Callable, Optional

import peewee

from crmdesk.core import bulk_indexes, clock, made_ids, migrations
from crmdesk.core.errors import (DB_IS_DIRECTORY, DB_MISSING, DB_NETWORK_SHARE, DB_NOT_SQLITE, DB_TOO_NEW, DB_UNWRITABLE,
                                 CrmError, is_busy)
from crmdesk.core.models import database
from crmdesk.core.safety import backup, damage
from crmdesk.core.safety.file_header import SQLITE_MAGIC, schema_version
from crmdesk.core.safety.crashpoints import crash_point

PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "normal",
    "foreign_keys": 1,
    "busy_timeout": 5000,
    "cache_size": -32000,  # 32 MB page cache
    "temp_store": "memory",
    # No mmap: pages read through it count as the app's memory (406 MB against 223 MB
    # with 100k customers open), for no measurable gain in the list benchmarks.
    "mmap_size": 0,
}
MIGRATION_FAILED = "migration_failed"
MIGRATION_FAILED_NO_BACKUP = "migration_failed_no_backup"
NETWORK_FILESYSTEMS = {"nfs", "nfs4", "cifs", "smbfs", "smb3", "9p", "fuse.sshfs", "afs", "ncpfs"}
# A care reminder's or a purchase's points' uuid from its key, in SQL (``made_ids``):
# every connection of every thread gets it when it opens.
database.register_function(made_ids.made_uuid, "crm_made_uuid", 1, deterministic=True)


def _on_network_share(path: Path) -> bool:
    text = str(path)
    if text.startswith("\\\\") or text.startswith("//"):
        return True
    mounts = Path("/proc/mounts")
    if not mounts.exists():
        return False
    best, kind = "", ""
    with contextlib.suppress(OSError):
        for line in mounts.read_text().splitlines():
            parts = line.split()
            if len(parts) >= 3 and text.startswith(parts[1]) and len(parts[1]) > len(best):
                best, kind = parts[1], parts[2]
    return kind in NETWORK_FILESYSTEMS


def check_location(path: Path, create: bool = True) -> bool:
    """Raise a ``CrmError`` if ``path`` can't hold a crmdesk database. True if it exists."""
    path = Path(path)
    if path.is_dir():
        raise CrmError(DB_IS_DIRECTORY, path=str(path))
    exists = path.exists() and path.stat().st_size > 0
    if exists:
        with open(path, "rb") as handle:
            if handle.read(16) != SQLITE_MAGIC:
                raise CrmError(DB_NOT_SQLITE, path=str(path))
        if not os.access(path, os.R_OK | os.W_OK):
            raise CrmError(DB_UNWRITABLE, path=str(path))
    elif not create:
        raise CrmError(DB_MISSING, path=str(path))
    folder = path.resolve().parent
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        raise CrmError(DB_UNWRITABLE, path=str(path))
    if _on_network_share(path.resolve()):
        raise CrmError(DB_NETWORK_SHARE, path=str(path))
    return exists


def open_database(path: Path | str, create: bool = True, backup_before_migrate: bool = True):
    """Check, open (creating or migrating as needed) and bind the models to ``path``."""
    path = Path(path).expanduser()
    exists = check_location(path, create)
    latest = migrations.latest_version()
    if exists:
        # The file header answers without SQLite creating -wal/-shm files beside a file
        # we refuse; it may lag behind a WAL, so the connection has the last word below.
        _app_id, version = schema_version(path)
        if version > latest:
            raise CrmError(DB_TOO_NEW, path=str(path), version=version, supported=latest)
    close_database()
    backup.clean_at_start(path)  # what a killed backup left behind
    # peewee gives each thread its own connection; a bulk import also lends its own to a
    # writer thread (core/bulk_write.py), which sqlite3 allows only with this flag.
    database.init(str(path), pragmas=PRAGMAS, timeout=5, check_same_thread=False)
    try:
        database.connect(reuse_if_open=True)
        version = _user_version()
        if version > latest:
            raise CrmError(DB_TOO_NEW, path=str(path), version=version, supported=latest)
        if exists:
            damage.check_on_open(database.connection(), path)  # never write into a damaged file
        if 0 < version < latest:
            _upgrade(path, version, backup_before_migrate)
        else:
            migrate()
        clock.load()  # a team's database captures its edits and names its user by the team login
    except peewee.DatabaseError as error:
        database.close()
        text = str(error)
        if damage.is_damage(error):
            raise damage.damaged_error(path) from None
        if "locked" in text or "busy" in text:
            raise CrmError("db_busy") from None
        raise CrmError(DB_UNWRITABLE, path=str(path)) from None
    except Exception:
        database.close()
        raise
    return database


def _upgrade(path: Path, version: int, make_backup: bool) -> None:
    """Migrate an older database after a backup of it (the one an earlier failed attempt
    made is reused); a failure says the upgrade failed, nothing changed, and where the
    backup is: the migrations run in one transaction, rolled back on any error."""
    kept = backup.before_migration(path, version) if make_backup else None
    try:
        migrate()
    except (CrmError, KeyboardInterrupt):
        raise
    except Exception as error:
        text = str(error)
        if isinstance(error, peewee.DatabaseError) and damage.is_damage(error):
            raise
        if "locked" in text or "busy" in text:
            raise CrmError("db_busy") from None
        if kept is None:
            raise CrmError(MIGRATION_FAILED_NO_BACKUP, path=str(path)) from error
        raise CrmError(MIGRATION_FAILED, path=str(path), backup=str(kept)) from error


def _user_version() -> int:
    return database.execute_sql("PRAGMA user_version").fetchone()[0]


def migrate() -> int:
    """Apply pending migrations in one write transaction; return the new version. Nothing
    pending takes no lock (a backup must work while the app writes); otherwise the
    version is read again inside the transaction, so two processes opening a new file at
    once don't both migrate it."""
    if not migrations.pending(_user_version()):
        return _user_version()
    if _user_version() > 0:
        # A migration may drop or change an index a download left for later: those go first.
        bulk_indexes.build_later()
    with database.atomic():
        version = _user_version()
        steps = migrations.pending(version)
        for number, module in steps:
            module.up(database)
            version = number
        if steps:
            migrations.after_migrations(database)
            database.execute_sql(f"PRAGMA application_id = {migrations.APPLICATION_ID}")
            database.execute_sql(f"PRAGMA user_version = {version}")
    return version


def close_database() -> None:
    clock.reset()
    if database.database and not database.is_closed():
        database.close()


def current_path() -> Path | None:
    return Path(database.database) if database.database else None


@contextlib.contextmanager
def transaction():
    """A write transaction (BEGIN IMMEDIATE), nested ones become savepoints. A database
    another program keeps locked past the 5 s busy timeout is a ``db_busy`` error the
    user can act on, not a crash."""
    path = current_path()
    if damage.known_damaged(path):
        raise damage.damaged_error(path)  # never write into a database known to be damaged
    outermost = database.transaction_depth() == 0
    try:
        with database.atomic():
            yield
            if outermost:
                crash_point("before-commit")  # a test hook (safety/crashpoints.py)
        if outermost:
            crash_point("after-commit")
    except peewee.DatabaseError as error:
        if is_busy(error):
            raise CrmError("db_busy") from None
        if damage.is_damage(error):
            raise damage.damaged_error(path) from None
        raise


@contextlib.contextmanager
def snapshot_reader():
    """A second, read-only connection to the open database for a bulk write to look up
    what was there before it, while the write's own connection is busy writing (a look-up
    on it waits for the statement in progress: 3.7 of a 100,000-row import's seconds).
    It sees the last commit, which is the state before the job while the job holds the
    write lock. Yields None for a database that has no file (then use ``database``)."""
    path = current_path()
    if path is None or str(path) == ":memory:" or not path.exists():
        yield None
        return
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5,
                                 check_same_thread=False)
    try:
        connection.execute("PRAGMA query_only = 1")
        connection.execute("PRAGMA mmap_size = 0")
        yield connection
    finally:
        connection.close()


def read_ids(sql: str, params: list, stop: Optional[Callable[[], bool]] = None) -> array:
    """The first column of ``sql`` as a compact array of ids, read in chunks; ``stop()``
    true between chunks abandons the read (a newer list query replaced this one)."""
    from crmdesk.core.progress import Cancelled
    result = array("q")
    cursor = database.execute_sql(sql, params)
    while True:
        rows = cursor.fetchmany(5000)
        if not rows:
            return result
        if stop is not None and stop():
            raise Cancelled()
        result.extend(r[0] for r in rows)
