"""Bulk rows for the benchmarks' data: an INSERT that fills every NOT NULL column without a
default, so a benchmark names only the columns it cares about."""
from __future__ import annotations


def columns(table: str) -> list[tuple[str, str, bool]]:
    from crmdesk.core.models import database
    return [(name, kind.upper(), bool(notnull) and default is None and not pk)
            for _cid, name, kind, notnull, default, pk in database.execute_sql(f'PRAGMA table_info("{table}")')]


def inserter(table: str, names_given: tuple[str, ...]):
    """(sql, row maker): every NOT NULL column without a default gets '' or 0 unless named;
    the row maker takes the named values in the order given."""
    given = set(names_given)
    names, fixed = list(names_given), []
    for name, kind, required in columns(table):
        if name not in given and required:
            names.append(name)
            fixed.append(0 if "INT" in kind or "REAL" in kind else "")
    sql = (f'INSERT INTO "{table}" ({", ".join(f"{chr(34)}{n}{chr(34)}" for n in names)}) '
           f'VALUES ({", ".join("?" * len(names))})')
    tail = tuple(fixed)

    def row(*values) -> tuple:
        return values + tail
    return sql, row
