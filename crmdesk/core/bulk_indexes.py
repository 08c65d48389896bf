"""A bulk insert bigger than what a table holds sets the table's secondary indexes aside
and builds them again at its end: one sort per index instead of a B-tree insert per row
(random ones for the uuid indexes), which at a million sales lines was most of the SQL
time (benchmarks/bench_sales_import.py, docs/performance.md).

Inside the job's transaction: the indexes are dropped there, so a rollback (a dry run, a
cancel, an error, a crash) brings them back untouched, and other connections see them all
the time (they read the last commit). Nothing may read the set-aside tables by those
indexes before they are built again; unique indexes are checked again when built."""
from __future__ import annotations

import json
import re
from typing import Callable, Iterable, Optional

import peewee

from crmdesk.core.errors import CrmError, is_busy
from crmdesk.core.models import database

MIN_ROWS = 50_000  # below this the indexes stay: building them again costs more than it saves


def set_aside(tables: Iterable[str], rows: Optional[int], in_order: Iterable[str] = ()) -> list[str]:
    """Drop the secondary indexes of each of ``tables`` that ``rows`` new rows would more
    than double; the statements that build them again, to run before the job reads them.
    An index led by one of ``in_order`` stays: the job's rows reach it in key order (its
    batch, ids it counts up, a column it leaves empty), each at the same end of the tree,
    which costs less than building it again (0.7 s each at a million rows)."""
    if not rows or rows < MIN_ROWS:
        return []
    statements: list[str] = []
    keep = set(in_order)
    for table in tables:
        held = database.execute_sql(f'SELECT max(rowid) FROM "{table}"').fetchone()[0] or 0
        if rows < held:
            continue
        found = database.execute_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL "
            "ORDER BY name", (table,)).fetchall()
        for name, sql in found:
            leading = database.execute_sql(f'PRAGMA index_info("{name}")').fetchone()
            if leading is not None and leading[2] in keep:
                continue
            database.execute_sql(f'DROP INDEX "{name}"')
            statements.append(sql)
    return statements


# ---------------------------------------------------------------- indexes built later
# A download into an empty laptop (sync) leaves the indexes that only speed up lists and
# reports to be built after the laptop opens: their statements wait in ``setting`` under
# this key, written in the download's own transaction, and ``build_later`` builds them one
# by one, each in its own short transaction (a user's edit meanwhile waits at most one
# index). Unique indexes and those the download itself reads never wait.
LATER = "indexes_built_later"


def later(statements: Iterable[str]) -> None:
    """Inside the caller's transaction: these ``CREATE INDEX`` statements run later."""
    added = list(statements)
    if not added:  # a download into tables that were not empty: nothing waits
        return
    waiting = _read() + added
    database.execute_sql("INSERT INTO setting (key, value) VALUES (?, ?) "
                         "ON CONFLICT (key) DO UPDATE SET value = excluded.value", [LATER, json.dumps(waiting)])


def waiting() -> int:
    """How many indexes are still to be built."""
    return len(_read())


def build_later(progress: Optional[Callable[[int, int], None]] = None,
                stop: Optional[Callable[[], bool]] = None) -> int:
    """Build the indexes left for later, each in its own transaction; return how many were
    built. ``stop`` is asked before each: the window closing waits for one index at most.
    Safe to stop at any point (the next call builds the rest) and to run in two processes
    at once (an index already there is skipped)."""
    total = waiting()
    done = 0
    while not (stop and stop()):
        try:
            with database.atomic():
                statements = _read()
                if not statements:
                    break
                # IF NOT EXISTS: another process, or a run stopped after the build, made it already
                database.execute_sql(re.sub(r"^CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", statements[0], count=1))
                rest = statements[1:]
                if rest:
                    database.execute_sql("UPDATE setting SET value = ? WHERE key = ?", [json.dumps(rest), LATER])
                else:
                    database.execute_sql("DELETE FROM setting WHERE key = ?", [LATER])
        except peewee.OperationalError as error:
            if is_busy(error):
                raise CrmError("db_busy") from None  # another program writes: the rest waits for the next call
            raise
        done += 1
        if progress:
            progress(done, max(total, done))
    return done


def _read() -> list[str]:
    row = database.execute_sql("SELECT value FROM setting WHERE key = ?", [LATER]).fetchone()
    return json.loads(row[0]) if row else []


def indexed_by(name: str) -> str:
    """``INDEXED BY name `` for a query that names the index it must use, or nothing while
    that index is still to be built (``later``): SQLite refuses a query whose ``INDEXED BY``
    names no index, and the lists and reports must work meanwhile, only slower."""
    found = database.execute_sql("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", [name]).fetchone()
    return f"INDEXED BY {name} " if found else ""
