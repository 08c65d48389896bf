"""Merge duplicate customers into one, and take a merge back (issue 21).

A merge keeps one customer and, in one transaction recorded as a batch: gives it the values
chosen field by field (by default the fuller one: the kept customer's own, else the first
other that has one; notes joined, tags united), moves every visit, visit plan, sale,
transaction, opportunity, complaint, care event, points entry, contact and change-log entry
of the others to it, and moves the others to the trash. What moved, and what the kept
customer's columns were before, is written down (``customer_merge``), so that undoing the
batch puts each row back where it was, even after other records were edited since: a row
someone moved again since is left where it is now, and a field of the kept customer edited
since keeps its newer value.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterable, Mapping, Optional

from crmdesk.core import custom_fields
from crmdesk.core.customers import fields as F
from crmdesk.core.changes import DELETED, RESTORED, UPDATED, Changes
from crmdesk.core.db import transaction
from crmdesk.core.errors import CrmError
from crmdesk.core.io.normalize import Phone
from crmdesk.core.models import (CareEvent, ChangeLog, Complaint, Contact, Customer, Opportunity, PointsEntry,
                                 Sale, Transaction, Visit, VisitSeries, database, utcnow)
from crmdesk.core.complaints import aftercare
from crmdesk.core.customers import archive as customers
from crmdesk.core import history
from crmdesk.core.visits import visits
from crmdesk.core.sync import conflicts as team_conflicts

BATCH_KIND = "merge"
MOVED = (Contact, Visit, VisitSeries, Transaction, Sale, Opportunity, Complaint, CareEvent, PointsEntry)
NOT_MERGED = frozenset(("code", "created_at", "tags"))  # the kept number and age; tags are united
_CONTACT_SAME = ("name", "mobile", "phone", "email")


@dataclass
class MergeResult:
    batch_id: int
    kept: int
    merged: list[int]
    moved: dict[str, int] = field(default_factory=dict)  # table -> rows moved to the kept customer

    @property
    def changes(self) -> tuple[Changes, ...]:
        return (Changes("customer", UPDATED, (self.kept,)), Changes("customer", DELETED, tuple(self.merged)))


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def proposed_values(keep: Customer, others: list[Customer]) -> dict[str, Any]:
    """The value of each field a merge gives the kept customer when the user chooses none:
    its own, else the first other's that has one; notes joined. The custom fields' values
    (``cf:…``) the same way."""
    own = custom_fields.read([keep.id, *(o.id for o in others)])
    values = customers.to_dict(keep) | own.get(keep.id, {})
    for other in others:
        theirs = customers.to_dict(other) | own.get(other.id, {})
        for key, value in theirs.items():
            if key in NOT_MERGED or _blank(value):
                continue
            if key == "notes" and values.get("notes") and value not in values["notes"]:
                values["notes"] = f"{values['notes']}\n{value}"
            elif _blank(values.get(key)):
                values[key] = value
    return values


def _column_values(customer: Customer) -> dict[str, Any]:
    return {f.column_name: getattr(customer, f.name) for f in Customer._meta.sorted_fields}


def _json(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return {"$date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    return value


def _unjson(value: Any) -> Any:
    if isinstance(value, dict) and "$date" in value:
        text = value["$date"]
        return dt.datetime.fromisoformat(text) if "T" in text or " " in text else dt.date.fromisoformat(text)
    if isinstance(value, dict) and "$decimal" in value:
        return Decimal(value["$decimal"])
    return value


def merge(keep_id: int, other_ids: Iterable[int], chosen: Optional[Mapping[str, Any]] = None) -> MergeResult:
    """Merge ``other_ids`` into ``keep_id``; ``chosen``: field key -> the value to keep (as
    ``customers.to_dict`` gives it), for the fields the user picked by hand."""
    other_ids = list(dict.fromkeys(other_ids))
    if not other_ids or keep_id in other_ids:
        raise CrmError("merge_needs_two")
    with transaction():
        keep = _live(keep_id)
        others = [_live(i) for i in other_ids]
        batch = history.new_batch(BATCH_KIND, f"{keep.code} ← " + ", ".join(o.code for o in others))
        values = proposed_values(keep, others)
        values.update({k: v for k, v in (chosen or {}).items()
                       if (k in F.BY_KEY or custom_fields.is_custom(k)) and k not in NOT_MERGED})
        before = _column_values(keep)
        own_before = custom_fields.read([keep.id]).get(keep.id, {})
        tags_before = set(customers.to_dict(keep)["tags"])
        clean = {k: v for k, v in values.items() if k not in NOT_MERGED}
        for key, value in clean.items():  # phones as the form's clean values: Phone(number, extras)
            if key in F.BY_KEY and F.BY_KEY[key].type == F.PHONE and isinstance(value, str):
                clean[key] = _phone(value)
        customers.apply(keep, clean, batch)
        union = list(dict.fromkeys([*customers.to_dict(keep)["tags"],
                                    *(t for o in others for t in customers.to_dict(o)["tags"])]))
        added_tags = [t for t in union if t not in tags_before]
        if added_tags:
            customers.apply(keep, {"tags": union}, batch)
        keep = Customer.get_by_id(keep.id)
        after = _column_values(keep)
        changed = {c: [_json(before[c]), _json(after[c])] for c in after if before[c] != after[c]}
        own_after = custom_fields.read([keep.id]).get(keep.id, {})
        changed.update({k: [own_before.get(k), own_after.get(k)] for k in own_after.keys() | own_before.keys()
                        if own_before.get(k) != own_after.get(k)})  # undo puts the kept one's own back
        result = MergeResult(batch.id, keep.id, [o.id for o in others])
        for other in others:
            moved = _move_rows(other.id, keep.id)
            for table, ids in moved.items():
                if table != ChangeLog._meta.table_name:  # records, not their history
                    result.moved[table] = result.moved.get(table, 0) + len(ids)
            database.execute_sql(
                "INSERT INTO customer_merge (batch_id, kept_id, other_id, moved, kept_columns, added_tags, at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (batch.id, keep.id, other.id, json.dumps(moved), json.dumps(changed if other is others[0] else {}),
                 json.dumps(added_tags if other is others[0] else []), utcnow()))
        customers.delete([o.id for o in others], batch)
        _refresh([keep.id])
        _settle_team_duplicates([keep.uuid, *(o.uuid for o in others)])
    return result


def _settle_team_duplicates(uuids: list[str]) -> None:
    """A pair the team listed as possible duplicates (issue 20) leaves the Conflicts list once
    merged; the hub hears of it at the next sync."""
    marks = ",".join("?" * len(uuids))
    ids = [r[0] for r in database.execute_sql(
        f"SELECT id FROM sync_conflict WHERE kind = 'duplicate' AND resolved = 0 AND uuid IN ({marks})", uuids)]
    if ids:
        team_conflicts.resolve(ids, team_conflicts.THEIRS, online=False)


def attached(customer_id: int) -> dict[str, int]:
    """How many rows of each kind a merge would move from this customer (table -> count)."""
    counts = {}
    for model in MOVED:
        count = model.select().where(model.customer == customer_id).count()
        if count:
            counts[model._meta.table_name] = count
    return counts


def _phone(number: str) -> Optional[Phone]:
    return Phone(number, ()) if number else None


def _live(customer_id: int) -> Customer:
    customer = Customer.get_or_none((Customer.id == customer_id) & Customer.deleted_at.is_null())
    if customer is None:
        raise CrmError("merge_customer_missing", id=customer_id)
    return customer


def _same_contacts(keep_id: int) -> set[tuple]:
    return {tuple(getattr(c, k) for k in _CONTACT_SAME)
            for c in Contact.select().where((Contact.customer == keep_id) & Contact.deleted_at.is_null())}


def _move_rows(other_id: int, keep_id: int) -> dict[str, list[int]]:
    """Every row of ``other_id`` given to ``keep_id`` (a contact the kept customer already has,
    same name, phones and e-mail, stays behind); the ids moved, by table."""
    moved: dict[str, list[int]] = {}
    known = _same_contacts(keep_id)
    for model in MOVED:
        rows = model.select(model.id).where(model.customer == other_id)
        if model is Contact:
            rows = [c for c in Contact.select().where(Contact.customer == other_id)
                    if tuple(getattr(c, k) for k in _CONTACT_SAME) not in known]
        ids = [r.id for r in rows]
        if ids:
            for start in range(0, len(ids), 500):
                model.update(customer=keep_id).where(model.id.in_(ids[start:start + 500])).execute()
            moved[model._meta.table_name] = ids
    log = [r.id for r in ChangeLog.select(ChangeLog.id).where(ChangeLog.customer_id == other_id)]
    if log:
        for start in range(0, len(log), 500):
            ChangeLog.update(customer_id=keep_id).where(ChangeLog.id.in_(log[start:start + 500])).execute()
        moved[ChangeLog._meta.table_name] = log
    return moved


def _refresh(ids: list[int]) -> None:
    """What each customer's own rows decide: last and next visit, satisfaction, search text."""
    visits.refresh_customers(ids)
    for customer_id in ids:
        aftercare.refresh_satisfaction(customer_id)
        customers.refresh_search(customer_id)


_MODELS = {m._meta.table_name: m for m in (*MOVED, ChangeLog)}


@dataclass
class UndoResult:
    batch_id: int
    kept: int
    restored: list[int]
    left: int = 0  # rows moved again since the merge, left where they are

    @property
    def changes(self) -> tuple[Changes, ...]:
        return (Changes("customer", UPDATED, (self.kept,)), Changes("customer", RESTORED, tuple(self.restored)))


def last_merge() -> Optional[int]:
    row = database.execute_sql(
        "SELECT b.id FROM batch b WHERE b.kind = ? AND b.undone_at IS NULL ORDER BY b.id DESC LIMIT 1",
        (BATCH_KIND,)).fetchone()
    return row[0] if row else None


def undo_merge(batch_id: Optional[int] = None) -> UndoResult:
    """Take the merge ``batch_id`` (default: the last one not undone) back whole."""
    with transaction():
        if batch_id is None:
            batch_id = last_merge()
            if batch_id is None:
                raise CrmError("no_merge_to_undo")
        batch = database.execute_sql("SELECT kind, undone_at FROM batch WHERE id = ?", (batch_id,)).fetchone()
        if batch is None or batch[0] != BATCH_KIND:
            raise CrmError("merge_not_found", batch=batch_id)
        if batch[1] is not None:
            raise CrmError("merge_already_undone", batch=batch_id)
        records = database.execute_sql(
            "SELECT kept_id, other_id, moved, kept_columns, added_tags FROM customer_merge WHERE batch_id = ? "
            "ORDER BY id", (batch_id,)).fetchall()
        undo_batch = history.new_batch("undo_merge", f"{batch_id}")
        kept = records[0][0]
        result = UndoResult(batch_id, kept, [r[1] for r in records])
        customers.restore(result.restored, undo_batch)
        for _kept, other, moved, _columns, _tags in records:
            for table, ids in json.loads(moved).items():
                model = _MODELS[table]
                column = model.customer_id if model is ChangeLog else model.customer
                for start in range(0, len(ids), 500):
                    chunk = ids[start:start + 500]
                    done = model.update({column: other}).where(model.id.in_(chunk) & (column == kept)).execute()
                    result.left += len(chunk) - done
        _restore_kept(kept, json.loads(records[0][3]), json.loads(records[0][4]), undo_batch)
        database.execute_sql("UPDATE batch SET undone_at = ? WHERE id = ?", (utcnow(), batch_id))
        _refresh([kept, *result.restored])
    return result


def _restore_kept(kept: int, columns: dict, added_tags: list[str], batch) -> None:
    """The kept customer's columns as before the merge, where nobody changed them since."""
    customer = Customer.get_by_id(kept)
    own_now = custom_fields.read([kept]).get(kept, {})
    own_back = {k: old for k, (old, new) in columns.items() if custom_fields.is_custom(k) and own_now.get(k) == new}
    if own_back:
        changed = custom_fields.write(kept, customer.uuid, own_back)
        history.write([history.Entry("customer", kept, customer.uuid, kept, UPDATED, k, old, new)
                       for k, old, new in changed], batch)
        customers.refresh_search(kept)
    now = _column_values(customer)
    back = {c: _unjson(old) for c, (old, new) in columns.items()
            if c in now and _json(now[c]) == new and c not in ("updated_at", "tags", "search_text",
                                                                 "sort_name", "name_initials")}
    if back:
        entries = [history.Entry("customer", kept, customer.uuid, kept, UPDATED, c, now[c], v)
                   for c, v in back.items()]
        Customer.update({getattr(Customer, c): v for c, v in back.items()} |
                        {Customer.updated_at: customers.later(customer.updated_at)}).where(
            Customer.id == kept).execute()
        history.write(entries, batch)
    if added_tags:
        tags = [t for t in customers.to_dict(Customer.get_by_id(kept))["tags"] if t not in added_tags]
        customers.apply(Customer.get_by_id(kept), {"tags": tags}, batch)


def dismiss(first_id: int, second_id: int) -> None:
    """Remember that two customers are not duplicates: they are not listed as a pair again."""
    a, b = (Customer.get_by_id(first_id).uuid, Customer.get_by_id(second_id).uuid)
    a, b = sorted((a, b))
    database.execute_sql("INSERT OR IGNORE INTO duplicate_dismissed (first_uuid, second_uuid, at, actor) "
                         "VALUES (?, ?, ?, ?)", (a, b, utcnow(), history.actor()))
