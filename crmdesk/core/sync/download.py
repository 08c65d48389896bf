"""Joining empty: everything this login may see comes down as whole records, in one
REPEATABLE READ snapshot, an entity at a time, parents first. Into a table this laptop has
no record of, they go in bulk (``fresh``); from a large hub, a second process fetches
them into scratch files that the download copies in (``fetcher``). Into one it has
records of (a hub restored from a backup; a laptop that uploaded, for what others changed
meanwhile), a record it does not hold is inserted from its document, one it holds goes
field by field through ``apply``, which keeps whichever time is later. The cursor starts
where the snapshot ends, so the next pull misses nothing."""
from __future__ import annotations

import json
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Callable, Iterator, Optional

import psycopg

from crmdesk.core import bulk_indexes
from crmdesk.core.search import index as search_index
from crmdesk.core.bulk_write import BackgroundWrites
from crmdesk.core.models import database
from crmdesk.core.sync import apply as applying
from crmdesk.core.sync import capture, derived, download_setup, numbers
from crmdesk.core.sync import fresh as fresh_tables
from crmdesk.core.sync import state
from crmdesk.core.sync.entities import ENTITIES, Entity
from crmdesk.core.sync.fetcher import Fetcher

CHUNK = 5_000  # records per fetch
# The tables a second process fetches (``fetcher``) when the hub holds this many records
# or more: all but the customers (whose derived keys and teams are looked at here) and the
# few products; by the scratch file they go to (SQLite attaches ten at most), in the order
# the download takes them. Below the threshold, starting it (0.3 s) costs more than it
# saves. (Two such processes measured slower: the rest of the download, SQLite's one
# writer, then waited for a core.)
APART = (("contact", "customer_field_value", "opportunity", "stage_change", "visit_series"), ("visit",), ("sale",),
         ("transactions",), ("complaint", "complaint_contact", "care_event"), ("points_entry",))
APART_FROM = 200_000
# What the customers' derived columns (search text, pinyin, tags) are made from, in the
# order of ``ENTITIES``: the customers, their contacts and custom field values (and the
# products' pinyin, which come between).
SEARCHED_FROM = ("customer", "product", "contact", "customer_field_value")
# SQLite's page cache while a download inserts (KiB): the tables' uuid indexes take rows in
# random order, and past the usual 32 MB each insert read pages back from the disk (at
# 100,000 customers a download took 129 s where 10,000 took 8).
CACHE_KIB = 512 * 1024


class _Ids:
    """uuid -> local id of each table, read whole once and again after inserts."""

    def __init__(self) -> None:
        self.maps: dict[str, dict[str, int]] = {}

    def of(self, table: str) -> dict[str, int]:
        if table not in self.maps:
            self.maps[table] = dict(database.execute_sql(f'SELECT uuid, id FROM "{table}"').fetchall())
        return self.maps[table]

    def forget(self, table: str) -> None:
        self.maps.pop(table, None)


class _Table:
    """A table this laptop has records of: how a document it does not hold becomes a row
    (the columns, their defaults, which ones name other records), and what is left to do
    once they are all in."""

    def __init__(self, entity: Entity, ids: _Ids) -> None:
        self.entity = entity
        self.plain, required = fresh_tables.columns(entity)
        self.refs = [(c, t, c in required) for c, t in entity.refs.items()]
        names = ["uuid", *(c for c, _default in self.plain), *(c for c, _t, _required in self.refs)]
        self.head = f'INSERT INTO "{entity.table}" ({", ".join(chr(34) + c + chr(34) for c in names)}) VALUES' 
        self.unique = numbers.UNIQUE.get(entity.name)  # a record of this laptop's may hold a number arriving
        self.later: list[tuple[str, str]] = []  # references to records of this table further on
        self.inserted: list[str] = []
        self.parents: list[int] = []  # a contact's customer: its search text changes

    def rows(self, records: list[tuple[str, dict]], ids: _Ids, visible: Optional[set],
             got: applying.Applied) -> list[list]:
        entity, out = self.entity, []
        maps = [(c, ids.of(t), t == entity.table, required) for c, t, required in self.refs]
        for uuid, doc in records:
            if entity.name == "customer" and visible is not None and doc.get("team") not in visible:
                continue
            values = [uuid, *[doc.get(c, default) for c, default in self.plain]]
            linked = {}
            for column, known, own, required in maps:
                target = doc.get(column)
                local = known.get(target) if target is not None else None
                if local is None and target is not None:
                    if own:
                        self.later.append((target, uuid))
                    elif required:
                        break  # its parent is not on this laptop
                linked[column] = local
            else:
                if self.unique and doc.get(self.unique):
                    numbers.make_room(entity, uuid, {self.unique: doc[self.unique]})
                out.append(values + list(linked.values()))
                got.fields += len(doc)
                self.inserted.append(uuid)
                if entity.name == "contact" and linked.get("customer_id"):
                    self.parents.append(linked["customer_id"])
                continue
            got.skipped += 1
        return out

    def finish(self, ids: _Ids, got: applying.Applied) -> None:
        """After the table's rows are in (the writes waited for)."""
        entity = self.entity
        ids.forget(entity.table)
        if not self.inserted:
            return
        held = ids.of(entity.table)
        if self.later:
            column = next(c for c, t in entity.refs.items() if t == entity.table)
            database.cursor().executemany(f'UPDATE "{entity.table}" SET "{column}" = ? WHERE id = ?',
                                          [(held.get(target), held[uuid]) for target, uuid in self.later])
        got.records += len(self.inserted)
        got.reset.add(entity.name)
        if entity.name == "customer":
            got.customers.update(held[uuid] for uuid in self.inserted)
        elif entity.name == "product":
            got.products.update(held[uuid] for uuid in self.inserted)
        got.customers.update(self.parents)


def _some_held(fetched: list, local: dict, table: _Table, ids: _Ids, visible: Optional[set],
               got: applying.Applied, writes: BackgroundWrites) -> None:
    """Documents of a table this laptop has records of: new ones inserted, the others
    (a hub restored from a backup) merged field by field, the later time winning."""
    new, known = [], []
    for uuid, doc, hlc, actor, times in fetched:
        if uuid in local:
            known += applying.fields_of(table.entity.name, uuid, json.loads(doc), hlc, actor, json.loads(times))
        else:
            new.append((uuid, json.loads(doc)))
    writes.insert(table.head, table.rows(new, ids, visible, got))
    if known:
        writes.wait()
        got.absorb(applying.apply(known, visible, record_times=False, refresh_derived=False))


def run(conn: psycopg.Connection, progress: Optional[Callable[[int, int, str], None]] = None) -> tuple[applying.Applied, str]:
    rows = state.read()
    visible = state.visible_teams(rows)
    mine = rows.get("upload_stamp", "")  # what this laptop uploaded, unchanged since, it holds already
    got = applying.Applied()
    with conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        snapshot = conn.execute("SELECT pg_current_snapshot()::text").fetchone()[0]
        total = conn.execute("SELECT count(*) FROM sync.record").fetchone()[0]
        cache = database.execute_sql("PRAGMA cache_size").fetchone()[0]
        database.execute_sql(f"PRAGMA cache_size = -{CACHE_KIB}")
        # What comes from the team never goes back out; into an empty laptop, the search
        # indexes are built once, at the end.
        empty = database.execute_sql("SELECT NOT EXISTS (SELECT 1 FROM customer)").fetchone()[0] == 1
        behind = download_setup.checkpoint_behind() if empty and total >= APART_FROM else nullcontext()
        try:
            with behind, download_setup.scratch_folder() as folder, \
                    download_setup.unchecked_keys(empty) as unchecked, database.atomic(), applying.Capture(), \
                    (search_index.rebuilt_afterwards() if empty else nullcontext()) as rebuild, _no_capture_triggers():
                # What waited for a record (``parked``) is in the snapshot, or newer there.
                database.execute_sql("DELETE FROM sync_parked")
                customers, products = _tables(conn, visible, mine, got, total, progress, folder, rebuild, unchecked)
                if got.customers - customers and rebuild is not None:
                    rebuild.stale()
                derived.refresh(got.customers - customers, got.products - products, got.trusted)
                derived.visit_dates((row[0] for row in database.execute_sql("SELECT DISTINCT customer_id FROM visit")),
                                    every_satisfaction=True)
                cursor = state.ready_after(snapshot)
        finally:
            database.execute_sql(f"PRAGMA cache_size = {int(cache)}")
    return got, cursor


@contextmanager
def _no_capture_triggers() -> Iterator[None]:
    """Capture is off while a download applies (``Capture``), but each trigger still asked
    ``crm_capture()`` for every row: a call into Python, for which the writer thread had to
    take the GIL from the thread fetching the next rows. Inside the download's transaction
    the triggers go, and come back on the way out (a rollback brings them back too)."""
    capture.remove()
    try:
        yield
    finally:
        capture.install()


def _tables(conn: psycopg.Connection, visible: Optional[set], mine: str, got: applying.Applied,
            total: int, progress: Optional[Callable[[int, int, str], None]], folder: Path,
            rebuild: Optional[search_index.Rebuild], unchecked: bool) -> tuple[set, set]:
    """Every entity in turn, parents first, through one writer thread: while it builds a
    fresh table's indexes, the next table is already on its way from the hub. The largest
    fresh tables of a large download come through a second process (``fetcher``).
    Into an empty laptop, the customers' derived columns are made and the full-text
    indexes rebuilt (``rebuild``) as soon as what they read is in (``SEARCHED_FROM``),
    while the rest downloads; returned: the customers and products refreshed so."""
    fresh = {entity.name: database.execute_sql(f'SELECT NOT EXISTS (SELECT 1 FROM "{entity.table}")').fetchone()[0]
             == 1 for entity in ENTITIES}
    dropped = {entity.name: fresh_tables.indexes(entity.table) for entity in ENTITIES if fresh[entity.name]}
    later = {entity.name: fresh_tables.for_later(entity, dropped[entity.name]) for entity in ENTITIES
             if fresh[entity.name]}
    ids = _Ids()
    done = 0
    where = "WHERE entity = %s AND NOT (hlc = %s AND times = '{}'::jsonb)"
    tables = []
    files = {name: folder / f"{group[0]}.sqlite" for group in APART for name in group}
    apart = {entity.name: fresh_tables.FreshTable(entity) for entity in ENTITIES
             if entity.name in files and fresh[entity.name] and total >= APART_FROM}

    refreshed: tuple[set, set] = (set(), set())
    finished: set[str] = set()

    def finish(tables: list) -> None:
        for table in tables:
            if isinstance(table, fresh_tables.FreshTable) and table.entity.name not in finished:
                table.finish(got)
                finished.add(table.entity.name)

    def fetched(count: int) -> None:
        nonlocal done
        done += count
        if progress:
            progress(done, total, "download")

    with BackgroundWrites(database.connection()) as writes, \
            (Fetcher(conn, [table.job(where, [name, mine], files[name]) for name, table in apart.items()])
             if apart else nullcontext()) as fetcher:
        for entity in ENTITIES:
            if fresh[entity.name]:
                table = apart.get(entity.name) or fresh_tables.FreshTable(entity)
                for name, _sql in dropped[entity.name]:
                    writes.run(f'DROP INDEX "{name}"')
            else:
                writes.wait()  # the main thread reads this table: what the writer has queued goes first
                table = _Table(entity, ids)
            if entity.name in apart:
                fetcher.wait(entity.name, fetched)
                table.take(fetcher, writes, got, unchecked)
            elif fresh[entity.name]:
                _fetch(conn, entity.name, *table.select(where, [entity.name, mine]), table, ids, visible, got, writes,
                       fetched)
            else:
                _fetch(conn, entity.name, f"SELECT uuid::text, doc::text, hlc, actor, times::text FROM sync.record {where}",
                       [entity.name, mine], table, ids, visible, got, writes, fetched)
            if isinstance(table, fresh_tables.FreshTable):
                # The uuid index first, for the references to the table's own records; the
                # other indexes after them: with foreign keys on, SQLite's UPDATE rewrites
                # every index of a table others refer to (at 10,000 customers the visits'
                # next_visit_id took 2.0 s with all eleven built, 0.5 s with the uuid's alone).
                by_uuid = [sql for name, sql in dropped[entity.name] if name == f"{entity.table}_uuid"]
                for sql in by_uuid:
                    writes.run(sql)
                table.fix_own(writes)
                for name, sql in dropped[entity.name]:
                    if name != f"{entity.table}_uuid" and name not in later[entity.name]:
                        writes.run(sql)
            else:
                writes.wait()
                table.finish(ids, got)
            tables.append(table)
            if rebuild is not None and entity.name == SEARCHED_FROM[-1] and all(fresh[n] for n in SEARCHED_FROM):
                writes.wait()
                finish(tables)
                refreshed = (set(got.customers), set(got.products))
                derived.refresh(*refreshed, got.trusted)
                rebuild.now(writes.run)
    finish(tables)
    # The laptop opens without the indexes that only speed up lists and reports: the
    # window's team controller and the next sync build them (bulk_indexes.build_later; at
    # 30,000 customers with visits, 6 s of a 40 s download).
    bulk_indexes.later(sql for entity in ENTITIES if fresh[entity.name]
                       for name, sql in dropped[entity.name] if name in later[entity.name])
    return refreshed


def _fetch(conn: psycopg.Connection, name: str, query: str, params: list, table, ids: _Ids,
           visible: Optional[set], got: applying.Applied, writes: BackgroundWrites,
           fetched: Callable[[int], None]) -> None:
    """One table's documents from the hub, a chunk at a time, through this process."""
    with conn.cursor(name=f"download_{name}") as cur:
        cur.itersize = CHUNK
        cur.execute(query, params)
        while True:
            rows = cur.fetchmany(CHUNK)
            if not rows:
                return
            if isinstance(table, fresh_tables.FreshTable):
                table.send(rows, writes, visible, got)
            else:
                _some_held(rows, ids.of(table.entity.table), table, ids, visible, got, writes)
            fetched(len(rows))
