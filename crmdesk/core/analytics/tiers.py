"""Applying the suggested tiers and relationship types, reviewed by the user, in one batch:
every change is in the change log under the batch, and the whole batch can be taken back
(a customer changed again since keeps its later value, and is counted apart)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from crmdesk.core.changes import UPDATED, Changes
from crmdesk.core.db import transaction
from crmdesk.core.errors import CrmError
from crmdesk.core.models import Batch, ChangeLog, Customer, utcnow
from crmdesk.core.services import history

KIND = "suggested_tiers"
FIELDS = ("tier", "relationship")


@dataclass
class Applied:
    batch_id: int
    customers: int  # customers changed
    kept: int = 0  # (taking back) customers changed again since, left as they are
    changes: list[Changes] = field(default_factory=list)


def apply(chosen: Iterable) -> Applied:
    """Write each ``figures.Suggestion`` in ``chosen`` whose customer still has the tier and
    relationship it was suggested against."""
    with transaction():
        batch = history.new_batch(KIND, "suggested tiers")
        entries, ids = [], []
        for s in chosen:
            customer = Customer.get_or_none((Customer.id == s.customer_id) & Customer.deleted_at.is_null())
            if customer is None or (customer.tier, customer.relationship) != (s.tier, s.relationship):
                continue  # deleted or changed since the report: not ours to overwrite
            new = {"tier": s.suggested_tier, "relationship": s.suggested_relationship}
            changed = [(k, getattr(customer, k), v) for k, v in new.items() if getattr(customer, k) != v]
            if not changed:
                continue
            Customer.update(**new, updated_at=utcnow()).where(Customer.id == customer.id).execute()
            entries += [history.Entry("customer", customer.id, customer.uuid, customer.id, UPDATED, k, o, v)
                        for k, o, v in changed]
            ids.append(customer.id)
        history.write(entries, batch)
    return Applied(batch.id, len(ids), 0, [Changes("customer", UPDATED, tuple(ids))] if ids else [])


def take_back(batch_id: int) -> Applied:
    """Undo a batch of applied suggestions: each field back to its old value where it still
    has the value the batch gave it."""
    with transaction():
        batch = Batch.get_or_none((Batch.id == batch_id) & (Batch.kind == KIND))
        if batch is None or batch.undone_at is not None:
            raise CrmError("import_already_undone", batch=batch_id)
        rows = list(ChangeLog.select().where((ChangeLog.batch == batch_id) & ChangeLog.field.in_(FIELDS)))
        entries, ids, kept = [], set(), set()
        for row in rows:
            customer = Customer.get_or_none(Customer.id == row.record_id)
            if customer is None:
                continue
            if getattr(customer, row.field) != row.new:
                kept.add(customer.id)
                continue
            Customer.update(**{row.field: row.old}, updated_at=utcnow()).where(Customer.id == customer.id).execute()
            entries.append(history.Entry("customer", customer.id, customer.uuid, customer.id, UPDATED, row.field,
                                         row.new, row.old))
            ids.add(customer.id)
        history.write(entries)
        Batch.update(undone_at=utcnow()).where(Batch.id == batch_id).execute()
    return Applied(batch_id, len(ids), len(kept - ids), [Changes("customer", UPDATED, tuple(sorted(ids)))])
