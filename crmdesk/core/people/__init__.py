"""The people the data names (customer owners, visit reps, complaint owners), read through indexes."""
from __future__ import annotations

from crmdesk.core.models import database

# Each source: (table, column). Migration 0011 gives every one a partial index of its live,
# non-blank names, so the distinct names are read by a skip-scan: one index seek per name
# (a few hundred), not a pass over a million visits. The writes keep the index up to date in
# their own transaction (SQLite maintains it), whichever path they take: form, import, merge,
# undo, sync.
SOURCES = (("customer", "owner"), ("visit", "rep"), ("complaint", "owner"))

_SKIP_SCAN = (
    'WITH RECURSIVE names(name) AS ('
    ' SELECT (SELECT min("{column}") FROM "{table}" WHERE "{column}" > \'\' AND deleted_at IS NULL)'
    ' UNION ALL'
    ' SELECT (SELECT min("{column}") FROM "{table}" WHERE "{column}" > names.name AND deleted_at IS NULL)'
    ' FROM names WHERE names.name IS NOT NULL)'
    ' SELECT name FROM names WHERE name IS NOT NULL')


def named(table: str, column: str) -> list[str]:
    """The distinct live, non-blank values of ``table.column``, sorted (SQLite's order)."""
    return [row[0] for row in database.execute_sql(_SKIP_SCAN.format(table=table, column=column))]


def in_data() -> set[str]:
    """Everyone the live records name as an owner or a rep."""
    found: set[str] = set()
    for table, column in SOURCES:
        found.update(named(table, column))
    return found


def is_named(name: str) -> bool:
    """Whether a live record names ``name`` as an owner or a rep (three index seeks)."""
    return database.execute_sql(
        'SELECT 1 FROM customer WHERE owner = ? AND deleted_at IS NULL '
        'UNION ALL SELECT 1 FROM visit WHERE rep = ? AND deleted_at IS NULL '
        'UNION ALL SELECT 1 FROM complaint WHERE owner = ? AND deleted_at IS NULL LIMIT 1',
        (name, name, name)).fetchone() is not None
