"""Undo import: take back what one import did, from its batch in the change log.

Customers it created are removed (with their tags and transactions); a created customer
that somebody edited since goes to the trash instead, so the edit is not lost. Fields it
changed get their old values back, unless somebody changed that field again since: then
the later value stays and is counted as a conflict. Transactions it added are removed.
Everything else, including edits to other records after the import, is left alone.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from peewee import fn

from crmdesk.core.changes import CREATED, DELETED, UPDATED, Changes
from crmdesk.core.db import transaction
from crmdesk.core.errors import CrmError, FieldError
from crmdesk.core.io import normalize
from crmdesk.core.models import Batch, ChangeLog, Customer, Sale, Transaction, utcnow
from crmdesk.core.sales import import_undo as sales_undo
from crmdesk.core.customers import archive as customers
from crmdesk.core import history
from crmdesk.core.customers.transactions import ENTITY as TRANSACTION_ENTITY

IMPORT_KINDS = ("import", "import_transactions", sales_undo.OPPORTUNITIES_KIND, sales_undo.PRODUCTS_KIND)
KIND_OPPORTUNITIES, KIND_PRODUCTS = sales_undo.OPPORTUNITIES_KIND, sales_undo.PRODUCTS_KIND
KIND_NAMES = {"import_transactions": "transactions", sales_undo.OPPORTUNITIES_KIND: "opportunities",
              sales_undo.PRODUCTS_KIND: "products"}  # any other: "customers"
UNDO_KIND = "undo_import"


@dataclass
class UndoResult:
    batch_id: int
    removed: int = 0  # customers the import created, now gone
    trashed: int = 0  # created, edited since: moved to the trash
    restored: int = 0  # customers whose changed fields got their old values back
    conflicts: int = 0  # fields changed again after the import: left as they are
    transactions: int = 0
    opportunities: int = 0  # deals the import created, now in the trash
    products_removed: int = 0  # products it created, now in the trash
    products_restored: int = 0  # products whose changed fields got their old values back
    kind: str = "customers"  # what was imported: as ImportSummary.kind
    changes: tuple[Changes, ...] = ()


def last_import() -> Optional[Batch]:
    return (Batch.select().where(Batch.kind.in_(IMPORT_KINDS) & Batch.undone_at.is_null())
            .order_by(Batch.id.desc()).first())


def imports(limit: int = 20) -> list[Batch]:
    """Recent imports, newest first (for the GUI's Undo import list)."""
    return list(Batch.select().where(Batch.kind.in_(IMPORT_KINDS))
                .order_by(Batch.id.desc()).limit(limit))


@dataclass
class ImportSummary:
    """One import as the import history lists it: when, which file, what it did."""
    batch_id: int
    kind: str  # "customers", "transactions", "opportunities" or "products"
    description: str  # the file's name
    created_at: dt.datetime  # UTC
    undone_at: Optional[dt.datetime] = None  # UTC; an undone import cannot be undone again
    customers_created: int = 0
    customers_updated: int = 0  # existing customers it changed
    transactions_created: int = 0
    opportunities_created: int = 0
    products_created: int = 0
    products_updated: int = 0  # existing products it changed

    @property
    def undoable(self) -> bool:
        return self.undone_at is None


def import_history(limit: int = 50) -> list[ImportSummary]:
    """Recent imports, newest first, each with what it did (from its change-log entries;
    they stay after an undo, so an undone import still says what it had done)."""
    summaries = [ImportSummary(b.id, KIND_NAMES.get(b.kind, "customers"), b.description, b.created_at, b.undone_at)
                 for b in imports(limit)]
    by_id = {s.batch_id: s for s in summaries}
    if not by_id:
        return summaries
    rows = history.batch_record_counts(list(by_id))
    for batch_id, entity, action, count in rows:
        summary = by_id[batch_id]
        if entity == customers.ENTITY and action == CREATED:
            summary.customers_created = count
        elif entity == customers.ENTITY:
            summary.customers_updated = count
        elif entity == TRANSACTION_ENTITY and action == CREATED:
            summary.transactions_created = count
    for batch_id, found in sales_undo.counts(rows).items():
        summary = by_id[batch_id]
        for key, count in found.items():
            setattr(summary, key, count)
        if summary.kind == "customers" and summary.opportunities_created and not summary.customers_created:
            summary.kind = "opportunities"  # imported before the opportunities had a batch kind of their own
    return summaries


def _find(batch_ref: Optional[str]) -> Batch:
    if batch_ref is None:
        batch = last_import()
        if batch is None:
            raise CrmError("no_import_to_undo")
        return batch
    batch = None
    if str(batch_ref).isdigit():
        batch = Batch.get_or_none(Batch.id == int(batch_ref))
    if batch is None:
        batch = Batch.get_or_none(Batch.uuid == str(batch_ref))
    if batch is None or batch.kind not in IMPORT_KINDS:
        raise CrmError("import_not_found", batch=batch_ref)
    if batch.undone_at is not None:
        raise CrmError("import_already_undone", batch=batch_ref)
    return batch


def _edited_since(customer_ids: list[int], batch: Batch, after: int) -> set[int]:
    """Customers with change-log entries outside this batch made after it (change-log id
    above ``after``): edits since the import. Entries from before it can only belong to
    an earlier customer that had the same id (SQLite reuses the id of the last row
    deleted), never to this one."""
    found: set[int] = set()
    for start in range(0, len(customer_ids), 500):
        chunk = customer_ids[start:start + 500]
        query = (ChangeLog.select(fn.DISTINCT(ChangeLog.customer_id))
                 .where(ChangeLog.customer_id.in_(chunk) & (ChangeLog.id > after)
                        & ((ChangeLog.batch != batch.id) | ChangeLog.batch.is_null())))
        found.update(r[0] for r in query.tuples())
    return found


def undo_import(batch_ref: Optional[str] = None) -> UndoResult:
    with transaction():
        batch = _find(batch_ref)
        undo = history.new_batch(UNDO_KIND, str(batch.id))
        result = UndoResult(batch.id, kind=KIND_NAMES.get(batch.kind, "customers"))
        entries = list(ChangeLog.select().where(ChangeLog.batch == batch.id).order_by(ChangeLog.id))
        created = [e.record_id for e in entries if e.entity == customers.ENTITY and e.action == CREATED]
        created_set = set(created)
        removed_transactions = tuple(r[0] for r in Transaction.select(Transaction.id)
                                     .where(Transaction.batch == batch.id).tuples())
        result.transactions = (Transaction.delete().where(Transaction.batch == batch.id).execute())
        Sale.delete().where(Sale.batch == batch.id).execute()  # the import's sales, one per line
        edited = _edited_since(created, batch, entries[0].id if entries else 0)
        gone = [cid for cid in created if cid not in edited]
        for start in range(0, len(gone), 500):
            result.removed += Customer.delete().where(Customer.id.in_(gone[start:start + 500])).execute()
        trashed = [cid for cid in created if cid in edited]
        if trashed:
            customers.delete(trashed, undo)
            result.trashed = len(trashed)
        # Changed fields: the oldest old value and the newest new value per field.
        changed: dict[int, dict[str, list]] = {}
        for e in entries:
            if e.entity == customers.ENTITY and e.action == UPDATED and e.record_id not in created_set:
                fields = changed.setdefault(e.record_id, {})
                if e.field in fields:
                    fields[e.field][1] = e.new
                else:
                    fields[e.field] = [e.old, e.new]
        updated_ids = []
        for cid, fields in changed.items():
            customer = Customer.get_or_none(Customer.id == cid)
            if customer is None:
                continue
            now = customers.to_dict(customer)
            back: dict = {}
            for key, (old, new) in fields.items():
                if key not in now:
                    continue
                if history.as_text(now[key]) != new:
                    result.conflicts += 1
                    continue
                try:
                    back[key] = normalize.value(key, old) if old is not None else None
                except FieldError:
                    result.conflicts += 1
            if back and customers.apply(customer, back, undo):
                result.restored += 1
                updated_ids.append(cid)
        sales = sales_undo.undo(entries, undo)  # the deals and products of a sales import
        result.opportunities, result.products_removed = sales.opportunities, sales.products_removed
        result.products_restored = sales.products_restored
        result.conflicts += sales.conflicts
        if result.kind == "customers" and sales.opportunities and not created:
            result.kind = "opportunities"  # imported before the opportunities had a batch kind of their own
        Batch.update(undone_at=utcnow()).where(Batch.id == batch.id).execute()
        result.changes = (Changes(customers.ENTITY, DELETED, tuple(created)),
                          Changes(customers.ENTITY, UPDATED, tuple(updated_ids)),
                          Changes(TRANSACTION_ENTITY, DELETED, removed_transactions), *sales.changes)
    return result
