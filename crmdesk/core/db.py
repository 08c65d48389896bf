"""Opening, checking, creating and migrating the database (DESIGN §4).

``open_database(path)`` refuses, untouched, a file that is not SQLite, a database from
a newer crmdesk, an unwritable location or a network share; it creates a new database,
or backs up and migrates an older one in one transaction."""
from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from crmdesk.core import migrations
from crmdesk.core.errors import (DB_CORRUPT, DB_IS_DIRECTORY, DB_MISSING, DB_NETWORK_SHARE,
                                 DB_NOT_CRMDESK, DB_NOT_SQLITE, DB_TOO_NEW, DB_UNWRITABLE,
                                 CrmError)
from crmdesk.core.models import database

SQLITE_MAGIC = b"SQLite format 3\x00"
PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "normal",
    "foreign_keys": 1,
    "busy_timeout": 5000,
    "cache_size": -32000,  # 32 MB page cache
    "temp_store": "memory",
    "mmap_size": 268435456,
}
NETWORK_FILESYSTEMS = {"nfs", "nfs4", "cifs", "smbfs", "smb3", "9p", "fuse.sshfs", "afs", "ncpfs"}


def schema_version(path: Path) -> tuple[int, int]:
    """(application_id, user_version) read without writing anything."""
    uri = f"{Path(path).resolve().as_uri()}?mode=ro"
    try:
        with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=5)) as conn:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.DatabaseError as error:
        if "not a database" in str(error) or "malformed" in str(error):
            raise CrmError(DB_CORRUPT, path=str(path)) from None
        raise CrmError(DB_UNWRITABLE, path=str(path)) from None
    if app_id != migrations.APPLICATION_ID and tables:
        raise CrmError(DB_NOT_CRMDESK, path=str(path))
    return app_id, version


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
    version = 0
    if exists:
        _app_id, version = schema_version(path)
        latest = migrations.latest_version()
        if version > latest:
            raise CrmError(DB_TOO_NEW, path=str(path), version=version, supported=latest)
    close_database()
    if exists and 0 < version < migrations.latest_version() and backup_before_migrate:
        from crmdesk.core.services import backup  # backup needs db; import late
        backup.automatic_backup(path, reason=f"before-migration-{version}")
    database.init(str(path), pragmas=PRAGMAS, timeout=5)
    try:
        database.connect(reuse_if_open=True)
        migrate(version)
    except Exception:
        database.close()
        raise
    return database


def migrate(current: int) -> int:
    """Apply pending migrations in one transaction; return the new version."""
    steps = migrations.pending(current)
    if not steps:
        return current
    with database.atomic():
        for number, module in steps:
            module.up(database)
            current = number
        database.execute_sql(f"PRAGMA application_id = {migrations.APPLICATION_ID}")
        database.execute_sql(f"PRAGMA user_version = {current}")
    return current


def close_database() -> None:
    if database.database and not database.is_closed():
        database.close()


def current_path() -> Path | None:
    return Path(database.database) if database.database else None


def transaction():
    """A write transaction (BEGIN IMMEDIATE), nested ones become savepoints."""
    return database.atomic()
