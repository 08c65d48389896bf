"""The Conflicts list (spec team-sync, "Ordering and merging"): two edits of one field made
without seeing each other, an edit of a record someone deleted, a code the hub renumbered,
an edit the hub refused. ``list_open`` gives one row per open conflict for the UI and the
command line; ``resolve`` keeps one side.

"Mine" is the value that lost, "theirs" the value that stands. Keeping theirs changes no
record. Keeping mine writes the kept value back as a new edit of this laptop (capture is on,
so it goes out with a newer time and wins); for an edit against a delete it restores the
record and applies the edit again. A conflict the hub holds (numeric id) is marked resolved
there too: at once when the hub answers, else at the next sync (``send_resolved``)."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Iterable, Optional

import psycopg

from crmdesk.core.changes import RESTORED, UPDATED, Changes
from crmdesk.core.db import transaction
from crmdesk.core.errors import CrmError
from crmdesk.core.models import database, utcnow
from crmdesk.core import history
from crmdesk.core.sync import entities, passwords, state
from crmdesk.core.sync.connection import connect, parse

MINE, THEIRS = "mine", "theirs"
HIDDEN = ("updated_at",)  # version stamps, no one's typing: resolved with the record's other fields
PENDING = "resolved_pending"  # sync_state: server conflict ids resolved here, not yet told to the hub


@dataclass
class Row:
    id: str
    kind: str  # concurrent, edited_deleted, renumbered, refused, duplicate (``duplicates_met``)
    entity: str
    uuid: str
    record: str  # the customer's name and code the record belongs to
    customer_id: Optional[int]
    field: str
    mine: object  # decoded: the value that lost
    theirs: object  # decoded: the value that stands
    who: str  # who made "mine"
    theirs_who: str
    when: Optional[dt.datetime]  # when "mine" was made (local time)


def _decode(value: Optional[str]) -> object:
    if value is None:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return value


def _when(stamp: str) -> Optional[dt.datetime]:
    try:
        ms = int(stamp.split("-", 1)[0])
    except (ValueError, AttributeError):
        return None
    return dt.datetime.fromtimestamp(ms / 1000).replace(microsecond=0) if ms else None


def _local(entity: entities.Entity, uuid: str) -> Optional[int]:
    row = database.execute_sql(f'SELECT id FROM "{entity.table}" WHERE uuid = ?', [uuid]).fetchone()
    return row[0] if row else None


def customer_of(entity_name: str, uuid: str) -> Optional[int]:
    """The local id of the customer a record belongs to (None: not on this laptop)."""
    entity = entities.get(entity_name)
    if entity is None:
        return None
    if entity.name == "customer":
        return _local(entity, uuid)
    if "customer_id" in entity.fields:
        sql = f'SELECT customer_id FROM "{entity.table}" WHERE uuid = ?'
    elif entity.name == "stage_change":
        sql = "SELECT o.customer_id FROM stage_change s JOIN opportunity o ON o.id = s.opportunity_id WHERE s.uuid = ?"
    elif entity.name == "complaint_contact":
        sql = "SELECT k.customer_id FROM complaint_contact c JOIN complaint k ON k.id = c.complaint_id WHERE c.uuid = ?"
    else:
        return None
    row = database.execute_sql(sql, [uuid]).fetchone()
    return row[0] if row else None


def _label(entity: str, uuid: str) -> tuple[str, Optional[int]]:
    customer_id = customer_of(entity, uuid)
    if customer_id is not None:
        name, code = database.execute_sql("SELECT name, code FROM customer WHERE id = ?", [customer_id]).fetchone()
        return f"{name} ({code})", customer_id
    if entity == "product":
        row = database.execute_sql("SELECT name FROM product WHERE uuid = ?", [uuid]).fetchone()
        if row:
            return row[0], None
    return f"{entity} {uuid[:8]}", None


def list_open() -> list[Row]:
    """The open conflicts, oldest first."""
    rows = database.execute_sql(
        "SELECT id, kind, entity, uuid, field, mine, theirs, mine_actor, theirs_actor, mine_at FROM sync_conflict "
        f"WHERE resolved = 0 AND field NOT IN ({','.join('?' * len(HIDDEN))}) ORDER BY mine_at, id", HIDDEN).fetchall()
    out = []
    for cid, kind, entity, uuid, name, mine, theirs, who, theirs_who, at in rows:
        record, customer_id = _label(entity, uuid)
        out.append(Row(cid, kind, entity, uuid, record, customer_id, name, _decode(mine), _decode(theirs),
                       who, theirs_who, _when(at)))
    return out


def resolve(ids: Iterable[str], keep: str, password: Optional[str] = None, online: bool = True) -> list[Changes]:
    """Keep ``mine`` or ``theirs`` for each conflict; one transaction for all. Returns what
    changed for the open views. Raises ``sync_conflict_unknown`` for an id not open here."""
    if keep not in (MINE, THEIRS):
        raise CrmError("sync_conflict_keep", keep=keep)
    ids = [str(i) for i in ids]
    changes: list[Changes] = []
    with transaction():
        found = {}
        for cid in ids:
            row = database.execute_sql(
                "SELECT id, kind, entity, uuid, field, mine FROM sync_conflict WHERE id = ? AND resolved = 0",
                [cid]).fetchone()
            if row is None:
                raise CrmError("sync_conflict_unknown", id=cid)
            found[cid] = row
        for cid, kind, entity, uuid, name, mine in found.values():
            if keep == MINE and kind == "renumbered":
                raise CrmError("sync_conflict_renumbered", code=_decode(mine))
            if keep == MINE and kind not in ("refused", "duplicate"):  # a duplicate: both stay
                changes += _write_back(entity, uuid, name, mine, restore=kind == "edited_deleted")
        ids += [row[0] for uuid in {row[3] for row in found.values()} for row in database.execute_sql(
            f"SELECT id FROM sync_conflict WHERE uuid = ? AND resolved = 0 AND field IN "
            f"({','.join('?' * len(HIDDEN))})", [uuid, *HIDDEN])]
        database.execute_sql(f"UPDATE sync_conflict SET resolved = 1 WHERE id IN ({','.join('?' * len(ids))})", ids)
        server = [cid for cid in ids if not cid.startswith("local-")]
        if server:
            waiting = json.loads(state.read().get(PENDING) or "[]")
            state.write(**{PENDING: sorted(set(waiting) | set(server), key=int)})
    if online and server:
        _tell_hub(password)
    return changes


def _write_back(entity_name: str, uuid: str, name: str, value: Optional[str], restore: bool) -> list[Changes]:
    """The kept value as a new edit of this laptop (the capture triggers send it)."""
    entity = entities.get(entity_name)
    if entity is None or name not in entity.fields:
        return []
    local = _local(entity, uuid)
    if local is None:
        return []
    decoded = _decode(value)
    target = entity.refs.get(name)
    if target and decoded is not None:
        found = database.execute_sql(f'SELECT id FROM "{target}" WHERE uuid = ?', [decoded]).fetchone()
        decoded = found[0] if found else None
    old = database.execute_sql(f'SELECT "{name}" FROM "{entity.table}" WHERE id = ?', [local]).fetchone()[0]
    sets, params = [f'"{name}" = ?'], [decoded]
    if restore and name != "deleted_at":
        sets.append('"deleted_at" = NULL')
    if name != "updated_at":
        sets.append('"updated_at" = ?')
        params.append(utcnow().isoformat(" "))
    if entity_name in ("visit", "opportunity"):
        sets.append('"version" = "version" + 1')  # an open form sees it changed
    database.execute_sql(f'UPDATE "{entity.table}" SET {", ".join(sets)} WHERE id = ?', [*params, local])
    customer_id = customer_of(entity_name, uuid)
    entries = [history.Entry(entity_name, local, uuid, customer_id, UPDATED, name, old, decoded)]
    if restore:
        entries.insert(0, history.Entry(entity_name, local, uuid, customer_id, RESTORED))
    history.write(entries)
    if entity_name == "customer":
        from crmdesk.core.customers import archive as customers
        customers.refresh_search(customer_id)
    return [Changes(entity_name, RESTORED if restore else UPDATED, (local,))]


def send_resolved(conn: psycopg.Connection) -> int:
    """Tell the hub which of its conflicts were resolved here (``sync.resolve``)."""
    waiting = json.loads(state.read().get(PENDING) or "[]")
    if not waiting:
        return 0
    done = conn.execute("SELECT sync.resolve(%s::bigint[])", [[int(i) for i in waiting]]).fetchone()[0]
    with database.atomic():
        state.write(**{PENDING: []})
    return int(done or 0)


def pending() -> list[str]:
    return json.loads(state.read().get(PENDING) or "[]")


def _tell_hub(password: Optional[str]) -> bool:
    """At once when the hub answers; otherwise the next sync does it."""
    rows = state.read()
    secret = password if password is not None else passwords.recall(rows.get("url", ""), rows.get("login", ""))
    if not rows.get("url") or secret is None:
        return False
    try:
        with connect(parse(rows["url"], rows.get("login"), secret)) as conn:
            send_resolved(conn)
    except (CrmError, psycopg.Error):
        return False
    return True


def open_count() -> int:
    return database.execute_sql(f"SELECT count(*) FROM sync_conflict WHERE resolved = 0 AND field NOT IN "
                                f"({','.join('?' * len(HIDDEN))})", HIDDEN).fetchone()[0]
