"""A first download into a table this laptop has no record of yet: the hub's documents
arrive as rows, taken apart by PostgreSQL (a JSON decode and a row built in Python for
each record were half a download's time), and go in through the writer thread
(``bulk_write``) with the table's indexes dropped and built again after, a sorted pass
each, on that thread too while the next table downloads; those that only speed up lists
and reports (``for_later``) are left for the sync after the download
(``bulk_indexes.build_later``). References to other records are
turned into local ids by SQLite as the rows go in (a join on the referenced table's uuid),
not row by row in Python; a record whose parent is not here is left out. The text each
column gets becomes its type by the column's affinity, as a value does when a pull sets it."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Optional

from crmdesk.core.bulk_write import BackgroundWrites
from crmdesk.core.models import database
from crmdesk.core.sync import apply as applying, twins
from crmdesk.core.sync.entities import Entity
from crmdesk.core.sync.fetcher import Fetcher, Job

def _text(value) -> str:
    """A column default as the text SQLite stores it from (its affinity converts it back)."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        return value.isoformat(" ")
    return str(value)


def columns(entity: Entity) -> tuple[list[tuple[str, object]], set[str]]:
    """How a document becomes a row of ``entity``'s table: the columns that are no
    reference, each with the default it takes when the document lacks it; and which of the
    references (``entity.refs``, after those) a row cannot do without."""
    defaults = applying.column_defaults(entity)
    plain = [(c, defaults.get(c)) for c in dict.fromkeys([*defaults, *entity.fields])
             if c not in entity.refs and c != "uuid"]  # the uuid comes first, from the record's key
    return plain, set(entity.required)


def indexes(table: str) -> list[tuple[str, str]]:
    """The indexes a fresh table goes without while it fills: all but the unique ones,
    and its uuid index (the hub's primary key vouches for it)."""
    return [(name, sql) for name, sql in database.execute_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL "
        "ORDER BY name", [table]).fetchall()
        if not sql.upper().startswith("CREATE UNIQUE") or name == f"{table}_uuid"]


def for_later(entity: Entity, dropped: list[tuple[str, str]]) -> set[str]:
    """Of a fresh table's dropped indexes (read before they are dropped), those left to be
    built after the download (``bulk_indexes.build_later``): every one but the uuid's and
    those of a single reference column, which the download's last steps and the first
    pull read (a customer's visits, contacts, complaints; a deleted parent's children)."""
    later = set()
    for name, _sql in dropped:
        columns = [row[2] for row in database.execute_sql(f'PRAGMA index_info("{name}")')]
        if name != f"{entity.table}_uuid" and not (len(columns) == 1 and columns[0] in entity.refs):
            later.add(name)
    return later


class FreshTable:
    def __init__(self, entity: Entity) -> None:
        self.entity = entity
        self.plain, required = columns(entity)
        self.refs = list(entity.refs.items())
        names = ["uuid", *(c for c, _default in self.plain), *(c for c, _target in self.refs)]
        values = [f"v.column{n}" for n in range(1, 2 + len(self.plain))]
        joins = []
        self.own = []  # (position in a row, column): references to this table's own records
        for n, (column, target) in enumerate(self.refs):
            at = 1 + len(self.plain) + n
            if target == entity.table:  # its uuid index is being rebuilt: set after, by fix_own()
                self.own.append((at, column))
                values.append("NULL")
                continue
            kind = "CROSS JOIN" if column in required else "LEFT JOIN"  # CROSS: the rows stay the outer loop
            joins.append(f'{kind} "{target}" AS r{n} ON r{n}.uuid = v.column{at + 1}')
            values.append(f"r{n}.id")
        quoted = ", ".join(f'"{c}"' for c in names)
        self.quoted, self.values = quoted, values
        # The rows come as a VALUES list (``send``) or a scratch file's table (``take``).
        self.into = f'INSERT INTO "{entity.table}" ({quoted}) SELECT {", ".join(values)} FROM'
        self.joined = "AS v " + " ".join(joins)
        if entity.table in twins.KEYS:
            # Twins (``twins``) that the laptops which made them have not settled yet would
            # fail on the key's unique index: the smallest uuid of a key stays, as a
            # settling laptop chooses, and the others are left out, counted as skipped.
            # (WHERE true: SQLite's INSERT ... SELECT needs it before ON CONFLICT.)
            replaced = ", ".join(f'"{c}" = excluded."{c}"' for c in names)
            self.joined += (f' WHERE true ON CONFLICT ("{twins.KEYS[entity.table]}") DO UPDATE SET {replaced} '
                          f'WHERE excluded.uuid < "{entity.table}".uuid')

        self.pending: list[tuple[str, str, str]] = []  # (column, the record it names, the record)
        self.sent = 0
        self.keys: dict[str, str] = {}  # a customer's uuid -> the key its derived columns came with

    def select(self, where: str, where_params: list) -> tuple[str, list]:
        """The query of this table's documents that ``where`` picks from ``sync.record``.
        Each document is read once (``doc || '{}'`` behind ``OFFSET 0``) and then taken
        apart: half the customers' documents are stored compressed, and each ``->>`` on
        the stored value decompressed it again (100,000 customers: 4.1 -> 0.9 s on the hub)."""
        parts, params = ["uuid::text"], []
        for column, default in self.plain:
            if default is None:
                parts.append(f"doc ->> '{column}'")
            else:
                parts.append(f"coalesce(doc ->> '{column}', %s)")
                params.append(_text(default))
        parts += [f"doc ->> '{column}'" for column, _target in self.refs]
        # No columns: the insert's SELECT leaves them out (a slice of every row in Python cost
        # more): how many fields came, and a customer's derived columns' key.
        parts.append("fields")
        if self.entity.name == "customer":
            parts.append("doc ->> 'derived_of'")
        return (f"SELECT {', '.join(parts)} FROM (SELECT uuid, fields, doc || '{{}}'::jsonb AS doc "
                f"FROM sync.record {where} OFFSET 0) AS r", params + list(where_params))

    def send(self, fetched: list[tuple], writes: BackgroundWrites, visible: Optional[set],
             got: applying.Applied) -> None:
        width = 1 + len(self.plain) + len(self.refs)
        if self.entity.name == "customer":
            if visible is not None:
                team = 1 + [c for c, _default in self.plain].index("team")
                fetched = [row for row in fetched if row[team] in visible]
            self.keys.update((row[0], row[width + 1]) for row in fetched if row[width + 1])
        got.fields += sum(row[width] for row in fetched)
        for at, column in self.own:
            self.pending += [(column, row[at], row[0]) for row in fetched if row[at] is not None]
        self.sent += len(fetched)
        writes.insert(f"{self.into} (VALUES", fetched, f") {self.joined}")

    def job(self, where: str, where_params: list, path: Path) -> Job:
        """This table's rows for a second process to fetch into ``path`` (``fetcher``)."""
        return Job(self.entity.name, *self.select(where, where_params), path, own=[at + 1 for at, _column in self.own])

    def take(self, fetcher: Fetcher, writes: BackgroundWrites, got: applying.Applied, unchecked: bool) -> None:
        """The rows the second process fetched (``job``), copied in by SQLite alone. Each
        takes its row number in the scratch file as its id (the table was empty), so that
        a reference to a record of the same table, which that process turned into the row
        number, is the record's id. With foreign keys off (``unchecked``), it goes in with
        the row (and is cleared where that record was left out); else it is set after, in
        id order. Not for customers (``send`` keeps their derived keys)."""
        table = self.entity.table
        records, fields = fetcher.counts[self.entity.name]
        got.fields += fields
        self.sent += records
        values = list(self.values)
        if unchecked:
            for at, _column in self.own:
                values[at] = f"v.column{at + 1}"
        source = fetcher.attach(self.entity.name, writes.run)
        writes.run(f'INSERT INTO "{table}" ("id", {self.quoted}) SELECT v.rowid, {", ".join(values)} '
                   f"FROM {source} {self.joined}")
        for at, column in self.own:
            if unchecked:  # where rows were left out (no parent here), what named them names nothing
                writes.run(f'UPDATE "{table}" SET "{column}" = NULL WHERE (SELECT count(*) FROM "{table}") < ? '
                           f'AND "{column}" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "{table}" AS t '
                           f'WHERE t.id = "{table}"."{column}")', [records])
            else:
                writes.run(f'UPDATE "{table}" SET "{column}" = s.target FROM (SELECT rowid AS row, column{at + 1} AS '
                           f'target FROM {source} WHERE column{at + 1} IS NOT NULL) AS s '
                           f'JOIN "{table}" AS t ON t.id = s.target WHERE "{table}".id = s.row')

    def fix_own(self, writes: BackgroundWrites) -> None:
        """References to records of the same table, once they are all in and indexed."""
        table = self.entity.table
        for column in {column for column, _target, _uuid in self.pending}:
            pairs = [(target, uuid) for c, target, uuid in self.pending if c == column]
            for start in range(0, len(pairs), 10_000):
                part = pairs[start:start + 10_000]
                writes.run(f'UPDATE "{table}" SET "{column}" = (SELECT x.id FROM "{table}" AS x WHERE x.uuid = p.column1) '
                           f'FROM (VALUES {", ".join(["(?, ?)"] * len(part))}) AS p WHERE "{table}".uuid = p.column2',
                           [value for pair in part for value in pair])

    def finish(self, got: applying.Applied) -> None:
        """After every write is done: what the caller reports and refreshes."""
        entity, table = self.entity, self.entity.table
        count = database.execute_sql(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        got.records += count
        got.skipped += self.sent - count  # left out: their parent is not on this laptop
        got.reset.add(entity.name)
        if entity.name == "customer":
            held = dict(database.execute_sql("SELECT uuid, id FROM customer").fetchall())
            got.customers.update(held.values())
            got.trusted.update((held[uuid], key) for uuid, key in self.keys.items() if uuid in held)
        elif entity.name == "contact":
            got.customers.update(row[0] for row in database.execute_sql("SELECT DISTINCT customer_id FROM contact"))
        elif entity.name == "product":
            got.products.update(row[0] for row in database.execute_sql("SELECT id FROM product"))
