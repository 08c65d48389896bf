"""What travels between laptops: the records a team shares, in the order parents come
before children, with the fields that sync. Local-only things stay home: integer ids,
import batches, and what each laptop derives itself (pinyin sort keys, search text, the
optimistic-lock counters), which it recomputes after applying remote changes."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from peewee import ForeignKeyField, Model

from crmdesk.core.models import (Batch, CareEvent, Complaint, ComplaintContact, Contact, Customer, CustomValue,
                                 Opportunity, PointsEntry, Product, Sale, StageChange, Transaction, Visit, VisitSeries,
                                 database)

# A customer's last and next visit dates are worked out from its visits on each laptop
# (``visits.records.refresh_customers``): sent as fields, two reps planning visits offline
# made a conflict nobody typed, and the later writer's date stood where the earlier visit was due.
# The customer's visit dates and satisfaction are worked out on each laptop from its visits
# and complaints (as fields, two reps' visits made conflicts nobody typed, and the desk's
# survey was refused: the desk may not write customers).
LOCAL_ONLY = {"id", "sort_name", "name_initials", "search_text", "version"}
CUSTOMER_LOCAL_ONLY = {"last_visit_at", "next_visit_at", "satisfaction"}  # a complaint's satisfaction travels
# Entities whose records the desk may write (spec: the desk works complaints and care).
DESK_WRITES = {"complaint", "complaint_contact", "care_event", "points_entry"}


@dataclass(frozen=True)
class Entity:
    name: str  # the table, as the change log names it
    model: type[Model]
    fields: tuple[str, ...]  # the columns that sync
    refs: dict  # column -> the entity its uuid names
    parent_sql: str  # SQL giving the customer's uuid from NEW

    @property
    def table(self) -> str:
        return self.model._meta.table_name

    @property
    def required(self) -> frozenset:
        """The references a row cannot do without (NOT NULL)."""
        return frozenset(f.column_name for f in self.model._meta.sorted_fields
                         if f.column_name in self.refs and not f.null)


def _entity(model: type[Model], parent_sql: str) -> Entity:
    fields, refs = [], {}
    for field in model._meta.sorted_fields:
        if field.column_name in LOCAL_ONLY or field.column_name == "uuid" or \
                (model is Customer and field.column_name in CUSTOMER_LOCAL_ONLY):
            continue
        if isinstance(field, ForeignKeyField):
            if field.rel_model is Batch:
                continue
            refs[field.column_name] = field.rel_model._meta.table_name
        fields.append(field.column_name)
    return Entity(model._meta.table_name, model, tuple(fields), refs, parent_sql)


BY_CUSTOMER = "(SELECT uuid FROM customer WHERE id = NEW.customer_id)"  # the parent of most entities
ENTITIES: tuple[Entity, ...] = (
    _entity(Customer, "NEW.uuid"),
    _entity(Product, "NULL"),
    _entity(Contact, BY_CUSTOMER),
    _entity(CustomValue, BY_CUSTOMER),  # the custom fields' values (their uuid is the same on every laptop)
    _entity(Opportunity, BY_CUSTOMER),
    _entity(StageChange, "(SELECT c.uuid FROM opportunity o JOIN customer c ON c.id = o.customer_id "
                         "WHERE o.id = NEW.opportunity_id)"),
    _entity(VisitSeries, BY_CUSTOMER),
    _entity(Visit, BY_CUSTOMER),
    _entity(Sale, BY_CUSTOMER),
    _entity(Transaction, BY_CUSTOMER),
    _entity(Complaint, BY_CUSTOMER),
    _entity(ComplaintContact, "(SELECT c.uuid FROM complaint k JOIN customer c ON c.id = k.customer_id "
                              "WHERE k.id = NEW.complaint_id)"),
    _entity(CareEvent, BY_CUSTOMER),
    _entity(PointsEntry, BY_CUSTOMER),
)
BY_NAME = {entity.name: entity for entity in ENTITIES}
RANK = {entity.name: rank for rank, entity in enumerate(ENTITIES)}


def get(name: str) -> Optional[Entity]:
    return BY_NAME.get(name)


def held(records) -> set[str]:
    """The uuids of these (entity name, uuid) that this laptop holds."""
    wanted: dict[str, set] = {}
    for name, uuid in records:
        if name in BY_NAME:
            wanted.setdefault(name, set()).add(uuid)
    out: set[str] = set()
    for name, uuids in wanted.items():
        chunk = sorted(uuids)
        for start in range(0, len(chunk), 500):
            part = chunk[start:start + 500]
            out.update(row[0] for row in database.execute_sql(
                f'SELECT uuid FROM "{BY_NAME[name].table}" WHERE uuid IN ({",".join("?" * len(part))})', part))
    return out
