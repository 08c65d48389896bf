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
from crmdesk.core import history

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
    """Undo a batch of applied suggestions: each customer's tier and relationship back to
    what they were, if both still hold what the batch gave them; a customer changed again
    since keeps its later values and is counted as kept."""
    with transaction():
        batch = Batch.get_or_none((Batch.id == batch_id) & (Batch.kind == KIND))
        if batch is None or batch.undone_at is not None:
            raise CrmError("import_already_undone", batch=batch_id)
        rows = list(ChangeLog.select().where((ChangeLog.batch == batch_id) & ChangeLog.field.in_(FIELDS))
                    .order_by(ChangeLog.id))
        by_customer: dict[int, list] = {}
        for row in rows:
            by_customer.setdefault(row.record_id, []).append(row)
        entries, ids, kept = [], [], []
        for cid, changed in by_customer.items():
            customer = Customer.get_or_none((Customer.id == cid) & Customer.deleted_at.is_null())
            if customer is None:
                continue
            if any(getattr(customer, row.field) != row.new for row in changed):
                kept.append(cid)  # changed again since: its tier and relationship stay as they are now
                continue
            Customer.update(**{row.field: row.old for row in changed}, updated_at=utcnow()).where(
                Customer.id == cid).execute()
            entries += [history.Entry("customer", customer.id, customer.uuid, customer.id, UPDATED, row.field,
                                      row.new, row.old) for row in changed]
            ids.append(cid)
        history.write(entries)
        Batch.update(undone_at=utcnow()).where(Batch.id == batch_id).execute()
    return Applied(batch_id, len(ids), len(kept), [Changes("customer", UPDATED, tuple(sorted(ids)))])
