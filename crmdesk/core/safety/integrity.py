"""A full check of a database file before the app trusts it with the user's data (a backup
to restore, a database to replace): SQLite's ``integrity_check``, ``foreign_key_check``,
FTS5's own ``integrity-check`` for every full-text index, and the schema the file's
``user_version`` says it holds.

The expected schema of a version is built once per version by running migrations 1..n on
an in-memory database, then compared by object name and SQL text (whitespace folded).
Missing objects and objects whose SQL differs are problems: the app's queries need them
as the migrations made them. Objects the migrations never made (a table of the user's own,
``sqlite_stat1``) are left alone: they cannot break the app. FTS5 shadow tables are
compared by name only, since their SQL is written by the SQLite library, not by us."""
from __future__ import annotations

import contextlib
import functools
import re
import sqlite3
from pathlib import Path

import peewee

from crmdesk.core import migrations
from crmdesk.core.errors import CrmError

FULL_CHECK_DAMAGED = "restore_damaged"
_SPACE = re.compile(r"\s+")
_FTS5 = re.compile(r"^CREATE\s+VIRTUAL\s+TABLE\s+.*\bUSING\s+fts5\s*\(", re.IGNORECASE | re.DOTALL)
_SHADOW = ("_data", "_idx", "_content", "_docsize", "_config")


def _fold(sql: str | None) -> str:
    return _SPACE.sub(" ", sql or "").strip()


@functools.lru_cache(maxsize=None)
def expected_schema(version: int) -> dict[str, tuple[str, str]]:
    """{name: (type, folded sql)} of a database made by migrations 1..``version``."""
    db = peewee.SqliteDatabase(":memory:")
    try:
        db.connect()
        for number, module in migrations.available():
            if number > version:
                break
            module.up(db)
        rows = db.execute_sql("SELECT type, name, sql FROM sqlite_master").fetchall()
    finally:
        db.close()
    return {name: (kind, _fold(sql)) for kind, name, sql in rows if not name.startswith("sqlite_")}


def fts5_tables(connection: sqlite3.Connection) -> list[str]:
    rows = connection.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
    return [name for name, sql in rows if sql and _FTS5.match(sql)]


def fts_problems(connection: sqlite3.Connection, table: str) -> list[str]:
    """FTS5's own ``integrity-check``; for an external-content index also that it indexes
    exactly the content table's rows. SQLite checks that itself only from 3.44 (the
    ``rank`` argument of 1); before, the rowids of the ``_docsize`` shadow table (one row
    per indexed row) are compared with the content table's."""
    try:
        if sqlite3.sqlite_version_info >= (3, 44, 0):
            connection.execute(f'INSERT INTO "{table}"("{table}", rank) VALUES (\'integrity-check\', 1)')
        else:
            connection.execute(f'INSERT INTO "{table}"("{table}") VALUES (\'integrity-check\')')
        sql = connection.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
        content, rowid = _option(sql, "content"), _option(sql, "content_rowid") or "rowid"
        names = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
        if content and f"{table}_docsize" in names and content in names:
            differ = connection.execute(
                f'SELECT 1 FROM (SELECT id FROM "{table}_docsize" EXCEPT SELECT "{rowid}" FROM "{content}") '
                f'UNION ALL SELECT 1 FROM (SELECT "{rowid}" FROM "{content}" EXCEPT SELECT id FROM "{table}_docsize") '
                "LIMIT 1").fetchone()
            if differ:
                return [f"full-text index {table} does not match the rows of {content}"]
    except sqlite3.DatabaseError as error:
        return [f"full-text index {table}: {error}"]
    return []


def _option(sql: str, name: str) -> str:
    match = re.search(rf"\b{name}\s*=\s*'([^']*)'", sql, re.IGNORECASE)
    return match.group(1) if match else ""


def _shadow_names(schema: dict[str, tuple[str, str]]) -> set[str]:
    fts = [name for name, (_kind, sql) in schema.items() if _FTS5.match(sql)]
    return {f"{name}{suffix}" for name in fts for suffix in _SHADOW}


def schema_problems(connection: sqlite3.Connection, version: int) -> list[str]:
    if version > migrations.latest_version():
        return [f"schema version {version} is newer than this crmdesk"]
    expected = expected_schema(version)
    rows = connection.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
    actual = {name: (kind, _fold(sql)) for kind, name, sql in rows}
    shadows = _shadow_names(expected)
    problems = []
    for name, (kind, sql) in sorted(expected.items()):
        if name not in actual:
            problems.append(f"missing {kind} {name}")
        elif actual[name][0] != kind or (name not in shadows and actual[name][1] != sql):
            problems.append(f"{kind} {name} differs from schema {version}")
    return problems


def problems(connection: sqlite3.Connection) -> list[str]:
    """Everything wrong with the database behind ``connection``; [] when it is sound.
    Raises ``sqlite3.DatabaseError`` when the file is too damaged to be asked."""
    found = [row[0] for row in connection.execute("PRAGMA integrity_check(20)") if row[0] != "ok"]
    if found:
        return found  # the other checks read through the same broken pages
    for table, rowid, parent, _fk in connection.execute("PRAGMA foreign_key_check").fetchmany(20):
        found.append(f"row {rowid} of {table} points to a missing {parent}")
    for table in fts5_tables(connection):
        found.extend(fts_problems(connection, table))
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    found.extend(schema_problems(connection, version))
    return found


def file_problems(path: Path) -> list[str]:
    """``problems`` of the file at ``path``. SQLite runs FTS5's check only as an INSERT, so
    the file is opened for writing, but nothing is written: the check changes no page,
    and the transaction it opens is rolled back."""
    uri = f"{Path(path).resolve().as_uri()}?mode=rw"
    try:
        with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=10, isolation_level=None)) as connection:
            try:
                return problems(connection)
            finally:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
    except sqlite3.DatabaseError as error:
        return [str(error)]


def check_file(path: Path, code: str = FULL_CHECK_DAMAGED) -> None:
    """Raise ``CrmError(code, path=...)`` unless the file at ``path`` passes every check."""
    if file_problems(path):
        raise CrmError(code, path=str(path))
