"""Hand-over (issue 20): a manager moves customers (a selection, or all of a rep's) to
another rep and, if given, another team, in one undoable step (a ``Batch`` of kind
``handover``).

What moves here, in one local transaction: the customer's ``owner`` and ``team``, the owner
of its open opportunities, and the rep of its planned visits, where they were the old
owner's: that is the work the new owner takes on. Won and lost deals, visits made,
complaints (owned by the desk) and care keep their names: they record who did the work,
and the analytics by rep credit them. The rest follows by itself: when the hub's push sees
a manager change a customer's ``team`` it moves the record and everything of it to the new
team, whose laptops receive them whole; the old team's laptops drop them at their next pull.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Iterable, Optional

from crmdesk.core.changes import UPDATED, Changes
from crmdesk.core.db import transaction
from crmdesk.core.errors import CrmError
from crmdesk.core.models import Batch, database, utcnow
from crmdesk.core import history
from crmdesk.core.sync import state

KIND = "handover"
UNDO_KIND = "undo_handover"
CLOSED_STAGES = ("won", "lost")
MOVES = (("customer", "owner"), ("customer", "team"), ("opportunity", "owner"), ("visit", "rep"))


@dataclass
class Handover:
    batch_id: int
    customers: int = 0
    opportunities: int = 0
    visits: int = 0
    changes: list = field(default_factory=list)


def _check_manager() -> dict:
    rows = state.read()
    if rows.get("joined") == "1" and rows.get("role") != "manager":
        raise CrmError("sync_handover_manager_only", user=rows.get("login", ""))
    return rows


def _check_team(rows: dict, team: str) -> None:
    known = json.loads(rows.get("all_teams") or "[]")
    if rows.get("joined") == "1" and team not in known:
        raise CrmError("sync_no_such_team", team=team, teams="、".join(known) or "—")


def _customers(customer_ids: Optional[Iterable[int]], from_owner: Optional[str]) -> list[tuple]:
    if customer_ids is not None:
        ids = [int(i) for i in customer_ids]
        found = []
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            found += database.execute_sql(
                f"SELECT id, uuid, owner, team FROM customer WHERE deleted_at IS NULL AND id IN "
                f"({','.join('?' * len(chunk))}) ORDER BY id", chunk).fetchall()
        missing = set(ids) - {row[0] for row in found}
        if missing:
            raise CrmError("customer_not_found", id=min(missing))
        return found
    return database.execute_sql("SELECT id, uuid, owner, team FROM customer WHERE deleted_at IS NULL AND owner = ? "
                                "ORDER BY id", [from_owner or ""]).fetchall()


def handover(customer_ids: Optional[Iterable[int]] = None, from_owner: Optional[str] = None, to_owner: str = "",
             to_team: Optional[str] = None) -> Handover:
    """Give the customers (``customer_ids``, or all of ``from_owner``'s) to ``to_owner``,
    and to ``to_team`` when given. Managers only (on a team's laptop)."""
    rows = _check_manager()
    to_owner = (to_owner or "").strip()
    if not to_owner:
        raise CrmError("sync_handover_no_owner")
    if customer_ids is None and not (from_owner or "").strip():
        raise CrmError("sync_handover_nothing")
    if to_team is not None:
        to_team = to_team.strip()
        _check_team(rows, to_team)
    with transaction():
        found = _customers(customer_ids, from_owner)
        if not found:
            raise CrmError("sync_handover_none", owner=from_owner or "")
        batch = history.new_batch(KIND, f"→ {to_owner}" + (f" ({to_team})" if to_team else ""))
        result = Handover(batch.id)
        now = utcnow().isoformat(" ")
        entries, deals, visits = [], [], []
        for cid, uuid, owner, team in found:
            new_team = team if to_team is None else to_team
            if owner == to_owner and team == new_team:
                continue
            database.execute_sql("UPDATE customer SET owner = ?, team = ?, updated_at = ? WHERE id = ?",
                                 [to_owner, new_team, now, cid])
            entries += [history.Entry("customer", cid, uuid, cid, UPDATED, name, old, new)
                        for name, old, new in (("owner", owner, to_owner), ("team", team, new_team)) if old != new]
            result.customers += 1
            for oid, ouuid, old in database.execute_sql(
                    f"SELECT id, uuid, owner FROM opportunity WHERE customer_id = ? AND deleted_at IS NULL AND owner IN (?, '') "
                    f"AND owner <> ? AND stage NOT IN ({','.join('?' * len(CLOSED_STAGES))})",
                    [cid, owner, to_owner, *CLOSED_STAGES]).fetchall():
                entries.append(history.Entry("opportunity", oid, ouuid, cid, UPDATED, "owner", old, to_owner))
                deals.append(oid)
            for vid, vuuid, rep in database.execute_sql(
                    "SELECT id, uuid, rep FROM visit WHERE customer_id = ? AND deleted_at IS NULL AND state = 'planned' "
                    "AND rep IN (?, '') AND rep <> ?", [cid, owner, to_owner]).fetchall():
                entries.append(history.Entry("visit", vid, vuuid, cid, UPDATED, "rep", rep, to_owner))
                visits.append(vid)
        _set_many("opportunity", "owner", deals, to_owner, now)
        _set_many("visit", "rep", visits, to_owner, now)
        history.write(entries, batch)
        result.opportunities, result.visits = len(deals), len(visits)
        moved = [e.record_id for e in entries if e.entity == "customer"]
        result.changes = _changes(sorted(set(moved)), deals, visits)
    return result


def _set_many(table: str, column: str, ids: list[int], value: str, now: str) -> None:
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        database.execute_sql(f'UPDATE "{table}" SET "{column}" = ?, updated_at = ?, version = version + 1 '
                             f"WHERE id IN ({','.join('?' * len(chunk))})", [value, now, *chunk])


def _changes(customers: list[int], deals: list[int], visits: list[int]) -> list[Changes]:
    out = [Changes("customer", UPDATED, tuple(customers))]
    if deals:
        out.append(Changes("opportunity", UPDATED, tuple(deals)))
    if visits:
        out.append(Changes("visit", UPDATED, tuple(visits)))
    return out


def undo(batch_id: int) -> Handover:
    """Take a hand-over back: every owner, team and rep it changed gets its old value,
    unless someone changed that field again since (then the later value stays)."""
    _check_manager()
    batch = Batch.get_or_none(Batch.id == batch_id)
    if batch is None or batch.kind != KIND:
        raise CrmError("sync_handover_unknown", batch=batch_id)
    if batch.undone_at is not None:
        raise CrmError("sync_handover_undone", batch=batch_id)
    with transaction():
        logged = database.execute_sql(
            "SELECT entity, record_id, record_uuid, customer_id, field, old, new FROM change_log "
            "WHERE batch_id = ? AND action = ? ORDER BY id", [batch_id, UPDATED]).fetchall()
        undo_batch = history.new_batch(UNDO_KIND, f"#{batch_id}")
        result = Handover(undo_batch.id)
        now = utcnow().isoformat(" ")
        entries = []
        touched: dict[str, set] = {"customer": set(), "opportunity": set(), "visit": set()}
        for entity, rid, uuid, cid, name, old, new in logged:
            if (entity, name) not in MOVES:
                continue
            current = database.execute_sql(f'SELECT "{name}" FROM "{entity}" WHERE id = ?', [rid]).fetchone()
            if current is None or current[0] != new:
                continue  # gone, or changed again since: the later value stays
            extra = ", version = version + 1" if entity != "customer" else ""
            database.execute_sql(f'UPDATE "{entity}" SET "{name}" = ?, updated_at = ?{extra} WHERE id = ?',
                                 [old or "", now, rid])
            entries.append(history.Entry(entity, rid, uuid, cid, UPDATED, name, new, old or ""))
            touched[entity].add(rid)
        history.write(entries, undo_batch)
        Batch.update(undone_at=utcnow()).where(Batch.id == batch_id).execute()
        result.customers = len(touched["customer"])
        result.opportunities, result.visits = len(touched["opportunity"]), len(touched["visit"])
        result.changes = _changes(sorted(touched["customer"]), sorted(touched["opportunity"]),
                                  sorted(touched["visit"]))
    return result


def last_handover() -> Optional[Batch]:
    return (Batch.select().where((Batch.kind == KIND) & Batch.undone_at.is_null())
            .order_by(Batch.id.desc()).first())
