"""Applying the team's changes to this laptop's SQLite file: by uuid, field by field, the
later time winning over what this laptop made or received; in the caller's transaction,
with capture off, so nothing applied here goes back out. A customer handed to a team this
login does not see leaves the laptop (removed, not deleted: it is someone else's now)."""
from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Iterable, Optional

import peewee

from crmdesk.core import clock
from crmdesk.core.changes import CREATED, UPDATED, Changes
from crmdesk.core.models import database, utcnow
from crmdesk.core.sync import entities, numbers, parked, twins
from crmdesk.core.sync.derived import DERIVED_FROM, refresh, visit_dates

ZERO = ""  # no known time: anything received is newer


@dataclass
class Remote:
    entity: str
    uuid: str
    field: str
    value: Optional[str]  # JSON text
    hlc: str
    actor: str = ""


@dataclass
class Applied:
    records: int = 0
    fields: int = 0
    removed: int = 0
    created: dict = field(default_factory=dict)  # entity -> [ids]
    updated: dict = field(default_factory=dict)
    customers: set = field(default_factory=set)  # local ids whose derived columns need refreshing
    products: set = field(default_factory=set)
    visited: set = field(default_factory=set)  # customers whose visits or complaints changed: what they derive
    skipped: int = 0  # records that could not be inserted: their parent is not on this laptop
    reset: set = field(default_factory=set)  # entities received in bulk: the lists read them again
    trusted: dict = field(default_factory=dict)  # customer id -> the key its derived columns arrived with

    def changes(self) -> list[Changes]:
        out = [Changes(e, CREATED, tuple(ids)) for e, ids in self.created.items() if ids and e not in self.reset]
        out += [Changes(e, UPDATED, tuple(ids)) for e, ids in self.updated.items() if ids and e not in self.reset]
        out += [Changes.reset(e) for e in sorted(self.reset)]
        dated = sorted(i for i in self.visited if i is not None and i not in self.updated.get("customer", ()))
        if dated and "customer" not in self.reset:  # their visit dates were worked out again
            out.append(Changes("customer", UPDATED, tuple(dated)))
        if self.removed and "customer" not in self.reset:
            out.append(Changes.reset("customer"))
        return out

    def absorb(self, other: "Applied") -> None:
        self.records += other.records
        self.fields += other.fields
        self.removed += other.removed
        self.skipped += other.skipped
        for mine, theirs in ((self.created, other.created), (self.updated, other.updated)):
            for entity, ids in theirs.items():
                mine.setdefault(entity, []).extend(ids)
        self.customers |= other.customers
        self.products |= other.products
        self.visited |= other.visited
        self.reset |= other.reset
        self.trusted.update(other.trusted)


class Capture:
    """Capture off for the block: what is applied here came from the team."""

    def __enter__(self):
        self.was, clock.capturing = clock.capturing, False

    def __exit__(self, *exc):
        clock.capturing = self.was


def fields_of(entity: str, uuid: str, doc: dict, hlc: Optional[str], actor: Optional[str],
              times: dict) -> list[Remote]:
    """A record's document from the hub as field edits: each at the document's time unless
    ``times`` names its own ([hlc, actor, ...])."""
    out = []
    for name, value in doc.items():
        at = times.get(name)
        out.append(Remote(entity, uuid, name, json.dumps(value, ensure_ascii=False),
                          at[0] if at else hlc or "", at[1] if at else actor or ""))
    return out


def _known(uuids: list[str]) -> dict[tuple[str, str], str]:
    """The newest time this laptop holds for each (uuid, field): what it received or pushed
    (``sync_field``) and what waits in its outbox."""
    known: dict[tuple[str, str], str] = {}
    for start in range(0, len(uuids), 500):
        chunk = uuids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for sql in (f"SELECT uuid, field, hlc FROM sync_field WHERE uuid IN ({marks})",
                    f"SELECT uuid, field, max(hlc) FROM sync_outbox WHERE uuid IN ({marks}) GROUP BY uuid, field"):
            for uuid, name, hlc in database.execute_sql(sql, chunk):
                if hlc > known.get((uuid, name), ZERO):
                    known[(uuid, name)] = hlc
    return known


class _Ids:
    def __init__(self) -> None:
        self.cache: dict[tuple[str, str], Optional[int]] = {}

    def __call__(self, table: str, uuid: Optional[str]) -> Optional[int]:
        if uuid is None:
            return None
        key = (table, uuid)
        if key not in self.cache:
            row = database.execute_sql(f'SELECT id FROM "{table}" WHERE uuid = ?', [uuid]).fetchone()
            self.cache[key] = row[0] if row else None
        return self.cache[key]


def remember_times(times: list[tuple[str, str, str]]) -> None:
    """Keep (uuid, field, time) as the newest time this laptop holds for each field."""
    if times:
        database.cursor().executemany(
            "INSERT INTO sync_field (uuid, field, hlc) VALUES (?, ?, ?) "
            "ON CONFLICT (uuid, field) DO UPDATE SET hlc = excluded.hlc WHERE excluded.hlc > sync_field.hlc", times)


def column_defaults(entity: entities.Entity) -> dict[str, object]:
    values = {}
    for f in entity.model._meta.sorted_fields:
        if f.column_name == "id" or f.null:
            continue
        default = f.default() if callable(f.default) else f.default
        if default is not None:
            values[f.column_name] = f.db_value(default)
    return values


def apply(rows: Iterable[Remote], visible_teams: Optional[set] = None, record_times: bool = True, refresh_derived: bool = True,
          log_batch: Optional[int] = None, held_back: bool = False) -> Applied:
    """Apply received changes, in order. ``visible_teams`` (None: all) says which customers
    this login keeps; ``record_times`` keeps each field's time for later merges;
    ``held_back``: the rows waited (``parked``), so this laptop's own are not here either."""
    site = clock.clock.site if clock.clock else None
    records: "OrderedDict[str, tuple[str, dict]]" = OrderedDict()
    newest = ""
    for row in rows:
        if row.hlc > newest:
            newest = row.hlc
        entity, values = records.setdefault(row.uuid, (row.entity, {}))
        held = values.get(row.field)
        if held is None or row.hlc > held[1]:
            values[row.field] = (row.value, row.hlc, row.actor)
    if newest and clock.clock:
        clock.clock.receive(newest)
    result = Applied()
    if not records:
        return result
    known = _known(list(records))
    # Fields the hub refused an edit of this laptop's in (the Conflicts list): it may hold that
    # edit, or an earlier one of this laptop's, after all (from a colleague's change package),
    # and then they are applied here like anyone's.
    refused = {(u, f, h): i for i, u, f, h in database.execute_sql(
        "SELECT id, uuid, field, mine_at FROM sync_conflict WHERE kind = 'refused'")}
    refused_fields = {(u, f) for u, f, _h in refused}
    ids = _Ids()
    defaults: dict[str, dict] = {}  # each entity's column defaults, worked out once per apply
    times: list[tuple[str, str, str]] = []
    log: list[tuple] = []
    waits: list[tuple] = []  # fields naming a record not here yet (``parked``)
    now = utcnow().isoformat(" ")
    with Capture():
        for uuid, (name, values) in records.items():
            entity = entities.get(name)
            if entity is None:
                continue
            local = ids(entity.table, uuid)
            # This laptop's own edits back from the hub are skipped, unless the record left
            # this laptop meanwhile (a hand-over and back): then it comes back whole, and
            # what of it waited for a record further on in the move is applied when that comes.
            fresh = {f: v for f, v in values.items() if v[1] > known.get((uuid, f), ZERO) and f in entity.fields
                     and (not (local is not None and site and v[1].endswith(site) and not held_back)
                          or (uuid, f) in refused_fields)}
            if not fresh:
                continue
            if (name == "customer" and visible_teams is not None and "team" in fresh
                    and json.loads(fresh["team"][0] or "null") not in visible_teams):
                if record_times:  # the times of its records applied above go with it (else,
                    remember_times(times)  # known, they were skipped when it came back)
                    times.clear()
                result.removed += remove_customer(uuid)
                continue
            columns, waiting = {}, {}
            for f, (value, _hlc, _actor) in fresh.items():
                decoded = json.loads(value) if value is not None else None
                target = entity.refs.get(f)
                if target and decoded is not None:
                    columns[f] = ids(target, decoded)
                    if columns[f] is None:  # a record this laptop does not hold yet
                        waiting[f] = (target, decoded)
                else:
                    columns[f] = decoded
            if waiting:
                needed = [waiting[f] for f in waiting if f in entity.required]
                whole = local is None and bool(needed)  # it cannot be without that record
                for f in list(fresh if whole else waiting):
                    target, named = waiting.get(f) or needed[0]
                    value, hlc, actor = fresh.pop(f)
                    columns.pop(f, None)
                    waits.append((name, uuid, f, value, hlc, actor, target, named))
                if not fresh:
                    continue
            numbers.make_room(entity, uuid, columns)
            if local is None:
                if name not in defaults:
                    defaults[name] = column_defaults(entity)
                row = dict(defaults[name])
                row.update(columns)
                row["uuid"] = uuid
                try:
                    local = _insert(entity.table, row)
                except peewee.IntegrityError:
                    settled = twins.settle(entity.table, uuid, row, lambda r: _insert(entity.table, r))
                    if settled is None and twins.withdrawn(entity.table, columns):
                        continue  # a twin that never came here, withdrawn where it was
                    if settled is None:
                        # Part of a record not here yet (edits of it came before the record,
                        # in a change package): they wait for it.
                        waits += [(name, uuid, f, value, hlc, actor, entity.table, uuid)
                                  for f, (value, hlc, actor) in fresh.items()]
                        continue
                    local, twin = settled  # made on two laptops for one occasion: one stays
                    result.updated.setdefault(name, []).append(twin)
                ids.cache[(entity.table, uuid)] = local
                result.created.setdefault(name, []).append(local)
                action = CREATED
            else:
                sets = ", ".join(f'"{f}" = ?' for f in columns)
                if name in ("visit", "opportunity"):
                    sets += ", version = version + 1"  # an open form sees it changed
                database.execute_sql(f'UPDATE "{entity.table}" SET {sets} WHERE id = ?', [*columns.values(), local])
                result.updated.setdefault(name, []).append(local)
                action = UPDATED
            result.records += 1
            result.fields += len(fresh)
            if name in ("contact", "customer_field_value") or (name == "customer" and DERIVED_FROM.intersection(fresh)):
                owner = local if name == "customer" else columns.get("customer_id") or _customer_of(entity, local)
                if owner:
                    result.customers.add(owner)
            elif name == "product":
                result.products.add(local)
            elif name in ("visit", "complaint"):
                result.visited.add(columns.get("customer_id") or _customer_of(entity, local))
            customer_id = None
            if log_batch is not None:
                customer_id = local if name == "customer" else _customer_of(entity, local)
            for f, (value, hlc, actor) in fresh.items():
                times.append((uuid, f, hlc))
                if (uuid, f, hlc) in refused:  # taken after all: no longer in the Conflicts list
                    database.execute_sql("DELETE FROM sync_conflict WHERE id = ?", [refused[(uuid, f, hlc)]])
                if log_batch is not None:
                    log.append((now, actor, name, local, uuid, customer_id, action, f, None,
                                None if value is None else _text(value), log_batch))
        if record_times:
            remember_times(times)
        parked.park(waits)
        if result.created:  # records others were waiting for may have come (after the times
            # just applied are known: a parked older edit does not win over them)
            result.absorb(apply_parked(visible_teams, record_times, log_batch))
        if log:
            from crmdesk.core import history
            database.cursor().executemany(history.INSERT_HEAD + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", log)
        if refresh_derived:
            refresh(result.customers, result.products)
            visit_dates(result.visited)
    return result


def _insert(table: str, row: dict) -> int:
    names = list(row)
    cursor = database.execute_sql(
        f'INSERT INTO "{table}" ({", ".join(chr(34) + n + chr(34) for n in names)}) '
        f'VALUES ({", ".join("?" * len(names))})', [row[n] for n in names])
    return cursor.lastrowid


def apply_parked(visible_teams: Optional[set] = None, record_times: bool = True,
                 log_batch: Optional[int] = None) -> Applied:
    """Apply the parked fields whose awaited records are here now (see ``parked``)."""
    ready = parked.ready()
    if not ready:
        return Applied()
    return apply((Remote(*row) for row in ready), visible_teams, record_times, refresh_derived=False,
                 log_batch=log_batch, held_back=True)


def _text(value: str) -> Optional[str]:
    decoded = json.loads(value)
    return None if decoded is None else str(decoded)


def _customer_of(entity: entities.Entity, local: int) -> Optional[int]:
    if "customer_id" in entity.fields:
        row = database.execute_sql(f'SELECT customer_id FROM "{entity.table}" WHERE id = ?', [local]).fetchone()
        return row[0] if row else None
    if entity.name == "stage_change":
        sql = "SELECT o.customer_id FROM stage_change s JOIN opportunity o ON o.id = s.opportunity_id WHERE s.id = ?"
    elif entity.name == "complaint_contact":
        sql = "SELECT k.customer_id FROM complaint_contact c JOIN complaint k ON k.id = c.complaint_id WHERE c.id = ?"
    else:
        return None
    row = database.execute_sql(sql, [local]).fetchone()
    return row[0] if row else None


def remove_customer(uuid: str) -> int:
    """A customer now held by a team this login does not see: gone from this laptop with
    everything of it (the foreign keys cascade); the team keeps it."""
    row = database.execute_sql("SELECT id FROM customer WHERE uuid = ?", [uuid]).fetchone()
    if row is None:
        return 0
    # Forget the times of its fields: should it come back, it comes back whole.
    for entity in entities.ENTITIES:
        if entity.name == "customer" or "customer_id" in entity.fields:
            column = "id" if entity.name == "customer" else "customer_id"
            database.execute_sql(f'DELETE FROM sync_field WHERE uuid IN (SELECT uuid FROM "{entity.table}" '
                                 f'WHERE "{column}" = ?)', [row[0]])
    database.execute_sql("DELETE FROM sync_field WHERE uuid IN (SELECT s.uuid FROM stage_change s JOIN opportunity o "
                         "ON o.id = s.opportunity_id WHERE o.customer_id = ?)", [row[0]])
    database.execute_sql("DELETE FROM sync_field WHERE uuid IN (SELECT c.uuid FROM complaint_contact c JOIN complaint k "
                         "ON k.id = c.complaint_id WHERE k.customer_id = ?)", [row[0]])
    cursor = database.execute_sql("DELETE FROM customer WHERE id = ?", [row[0]])
    return cursor.rowcount
