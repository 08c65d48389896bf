"""Undo of the sales imports (issue 19): ``crmdesk import opportunities`` and ``crmdesk
import products`` (and the wizard's product import), taken back from their batch in the
change log as ``core.imports.undo`` takes back customer and transaction imports,
and inside its transaction.

The deals and products an import created are deleted softly (they go to the trash and can
be restored; the lines sold under a product keep its name). A product it changed gets the
old value of each field back, unless somebody changed that field again since: then the
later value stays and is counted as a conflict, as for customers.

Nothing here imports the customer undo back: that module calls this one."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from crmdesk.core.changes import CREATED, UPDATED, Changes
from crmdesk.core.errors import CrmError, ValidationError
from crmdesk.core.models import Batch, Opportunity, Product
from crmdesk.core.sales import opportunities as O
from crmdesk.core.sales import products as PR
from crmdesk.core import history

OPPORTUNITIES_KIND = "import_opportunities"
PRODUCTS_KIND = "import_products"  # product_io.BATCH_KIND
ENTITIES = (O.ENTITY, PR.ENTITY)


@dataclass
class SalesUndo:
    opportunities: int = 0  # deals the import created, now in the trash
    products_removed: int = 0  # products it created, now in the trash
    products_restored: int = 0  # products whose changed fields got their old values back
    conflicts: int = 0  # product fields changed again after the import: left as they are
    changes: list[Changes] = field(default_factory=list)


def _old_value(key: str, old):
    """A product field's value as the change log holds it (text), for ``products.update``."""
    if key == "active":
        return old == "1"
    return "" if old is None else old


def undo(entries: list, undo_batch: Batch) -> SalesUndo:
    """Take back the sales records of one import, from its change-log ``entries`` (by id)."""
    result = SalesUndo()
    created = {entity: [e.record_id for e in entries if e.entity == entity and e.action == CREATED]
               for entity in ENTITIES}
    deals = [r[0] for r in Opportunity.select(Opportunity.id).where(
        Opportunity.id.in_(created[O.ENTITY]) & Opportunity.deleted_at.is_null()).tuples()]
    if deals:
        result.changes.extend(O.delete(deals))
        result.opportunities = len(deals)
    made = [r[0] for r in Product.select(Product.id).where(
        Product.id.in_(created[PR.ENTITY]) & Product.deleted_at.is_null()).tuples()]
    if made:
        result.changes.extend(PR.delete(made))
        result.products_removed = len(made)
    # Changed fields: the oldest old value and the newest new value per field.
    changed: dict[int, dict[str, list]] = {}
    for e in entries:
        if e.entity == PR.ENTITY and e.action == UPDATED and e.field and e.record_id not in created[PR.ENTITY]:
            fields = changed.setdefault(e.record_id, {})
            if e.field in fields:
                fields[e.field][1] = e.new
            else:
                fields[e.field] = [e.old, e.new]
    restored = []
    for product_id, fields in changed.items():
        product = Product.get_or_none((Product.id == product_id) & Product.deleted_at.is_null())
        if product is None:
            continue
        back = {}
        for key, (old, new) in fields.items():
            if not hasattr(product, key) or history.as_text(getattr(product, key)) != new:
                result.conflicts += 1  # changed again since (or gone): the later value stays
                continue
            back[key] = _old_value(key, old)
        if not back:
            continue
        try:
            if PR.update(product_id, back, undo_batch).ids:
                restored.append(product_id)
        except (ValidationError, CrmError):  # e.g. the old name is another product's now
            result.conflicts += len(back)
    if restored:
        result.changes.append(Changes(PR.ENTITY, UPDATED, tuple(restored)))
        result.products_restored = len(restored)
    return result


def counts(rows: Iterable[tuple[int, str, str, int]]) -> dict[int, dict[str, int]]:
    """Per batch: opportunities_created, products_created, products_updated, from the
    change log's counts (``history.batch_record_counts``)."""
    found: dict[int, dict[str, int]] = {}
    for batch_id, entity, action, count in rows:
        if entity == O.ENTITY and action == CREATED:
            found.setdefault(batch_id, {})["opportunities_created"] = count
        elif entity == PR.ENTITY:
            key = "products_created" if action == CREATED else "products_updated"
            found.setdefault(batch_id, {})[key] = count
    return found

