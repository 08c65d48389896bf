"""Joining empty: everything this login may see comes down as whole records, in one
REPEATABLE READ snapshot, an entity at a time, parents first. A record this laptop does
not hold is inserted as it is (one ``executemany`` per chunk: the hub's document is its
row); one it holds (a hub restored from a backup, a record renumbered on upload) goes
field by field through ``apply``, which keeps whichever time is later. The cursor starts
where the snapshot ends, so the next pull misses nothing."""
from __future__ import annotations

import json
from typing import Callable, Optional

import psycopg

from crmdesk.core import search_index
from crmdesk.core.bulk_write import BackgroundWrites
from crmdesk.core.models import database
from crmdesk.core.sync import apply as applying
from crmdesk.core.sync import state
from crmdesk.core.sync.entities import ENTITIES, Entity

CHUNK = 5_000  # records per fetch


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


def _required(entity: Entity) -> set[str]:
    return {f.column_name for f in entity.model._meta.sorted_fields
            if f.column_name in entity.refs and not f.null}


class _Table:
    """How the records of one entity become rows: the columns, their defaults, which ones
    name other records, and what is left to do once they are all in."""

    def __init__(self, entity: Entity, ids: _Ids) -> None:
        self.entity = entity
        self.defaults = applying.column_defaults(entity)
        columns = dict.fromkeys([*self.defaults, *entity.fields])
        self.plain = [(c, self.defaults.get(c)) for c in columns if c not in entity.refs]
        self.refs = [(c, t, c in _required(entity)) for c, t in entity.refs.items()]
        names = ["uuid", *(c for c, _default in self.plain), *(c for c, _t, _required in self.refs)]
        self.head = f'INSERT INTO "{entity.table}" ({", ".join(chr(34) + c + chr(34) for c in names)}) VALUES' 
        self.unique = applying.UNIQUE.get(entity.name)
        self.crowded = bool(ids.of(entity.table))  # a record of this laptop's own may hold a number arriving
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
                if self.crowded and self.unique and doc.get(self.unique):
                    applying.make_room(entity, uuid, {self.unique: doc[self.unique]})
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


def _held(uuid: str, doc: dict, hlc: str, actor: str, times: dict, entity: str) -> list[applying.Remote]:
    out = []
    for name, value in doc.items():
        at = times.get(name)
        out.append(applying.Remote(entity, uuid, name, json.dumps(value, ensure_ascii=False),
                                   at[0] if at else hlc, at[1] if at else actor))
    return out


def run(conn: psycopg.Connection, progress: Optional[Callable[[int, int, str], None]] = None) -> tuple[applying.Applied, str]:
    rows = state.read()
    visible = state.visible_teams(rows)
    mine = rows.get("upload_stamp", "")  # what this laptop uploaded, unchanged since, it holds already
    got = applying.Applied()
    ids = _Ids()
    with conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        xmin = conn.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text").fetchone()[0]
        total = conn.execute("SELECT count(*) FROM sync.record").fetchone()[0]
        done = 0
        # What comes from the team never goes back out; the search indexes are built once, at the end.
        with database.atomic(), applying.Capture(), search_index.rebuilt_afterwards():
            for entity in ENTITIES:
                table = _Table(entity, ids)
                with conn.cursor(name=f"download_{entity.name}") as cur, \
                        BackgroundWrites(database.connection()) as writes:
                    cur.itersize = CHUNK
                    cur.execute("SELECT uuid::text, doc::text, hlc, actor, times::text FROM sync.record "
                                "WHERE entity = %s AND NOT (hlc = %s AND times = '{}'::jsonb)", [entity.name, mine])
                    local = ids.of(entity.table)
                    while True:
                        fetched = cur.fetchmany(CHUNK)
                        if not fetched:
                            break
                        new, known = [], []
                        for uuid, doc, hlc, actor, times in fetched:
                            if uuid in local:
                                known += _held(uuid, json.loads(doc), hlc, actor, json.loads(times), entity.name)
                            else:
                                new.append((uuid, json.loads(doc)))
                        writes.insert(table.head, table.rows(new, ids, visible, got))
                        if known:
                            writes.wait()
                            got.absorb(applying.apply(known, visible, record_times=False, refresh_derived=False))
                        done += len(fetched)
                        if progress:
                            progress(done, total, "download")
                table.finish(ids, got)
            applying.refresh(got.customers, got.products)
            state.write(cursor=f"{xmin}:0", phase="ready")
    return got, f"{xmin}:0"
