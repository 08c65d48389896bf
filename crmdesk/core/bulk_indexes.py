"""A bulk insert bigger than what a table holds sets the table's secondary indexes aside
and builds them again at its end: one sort per index instead of a B-tree insert per row
(random ones for the uuid indexes), which at a million sales lines was most of the SQL
time (benchmarks/bench_sales_import.py, docs/performance.md).

Inside the job's transaction: the indexes are dropped there, so a rollback (a dry run, a
cancel, an error, a crash) brings them back untouched, and other connections see them all
the time (they read the last commit). Nothing may read the set-aside tables by those
indexes before they are built again; unique indexes are checked again when built."""
from __future__ import annotations

from typing import Iterable, Optional

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
