"""What the Conflicts list shows, read from this laptop's mirror of the open conflicts
(``sync_conflict``): the record by its customer's name and code, the field's label, both
values, who made each and when. ``open_conflicts`` is the one read: it can be switched to
``crmdesk.core.sync.conflicts.list_open`` once that exists."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Optional

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale, QT_TRANSLATE_NOOP

from crmdesk.core import clock
from crmdesk.core.models import Customer, SyncConflict
from crmdesk.core.sync import entities
from crmdesk.ui.labels import choice_label, field_label

KIND_SOURCES = {
    "concurrent": QT_TRANSLATE_NOOP("TeamConflicts", "Edited by two people"),
    "edited_deleted": QT_TRANSLATE_NOOP("TeamConflicts", "Edited after it was deleted"),
    "renumbered": QT_TRANSLATE_NOOP("TeamConflicts", "Renumbered"),
    "refused": QT_TRANSLATE_NOOP("TeamConflicts", "Refused by the server"),
}
ENTITY_SOURCES = {
    "customer": QT_TRANSLATE_NOOP("TeamConflicts", "Customer"),
    "contact": QT_TRANSLATE_NOOP("TeamConflicts", "Contact"),
    "opportunity": QT_TRANSLATE_NOOP("TeamConflicts", "Opportunity"),
    "visit": QT_TRANSLATE_NOOP("TeamConflicts", "Visit"),
    "complaint": QT_TRANSLATE_NOOP("TeamConflicts", "Complaint"),
    "care_event": QT_TRANSLATE_NOOP("TeamConflicts", "Care"),
    "sale": QT_TRANSLATE_NOOP("TeamConflicts", "Sale"),
    "transaction": QT_TRANSLATE_NOOP("TeamConflicts", "Transaction"),
    "product": QT_TRANSLATE_NOOP("TeamConflicts", "Product"),
    "points_entry": QT_TRANSLATE_NOOP("TeamConflicts", "Points"),
    "visit_series": QT_TRANSLATE_NOOP("TeamConflicts", "Visit series"),
    "stage_change": QT_TRANSLATE_NOOP("TeamConflicts", "Stage"),
    "complaint_contact": QT_TRANSLATE_NOOP("TeamConflicts", "Complaint contact"),
}


def _source(text: str) -> str:
    """A string marked with QT_TRANSLATE_NOOP above, in the user's language."""
    return QCoreApplication.translate("TeamConflicts", text)


def kind_label(kind: str) -> str:
    return _source(KIND_SOURCES[kind]) if kind in KIND_SOURCES else kind


@dataclass
class ConflictRow:
    id: str
    kind: str
    entity: str
    uuid: str
    field: str
    record: str  # "华润商贸 (C0012)" or "Visit — 华润商贸 (C0012)"
    field_label: str
    set_aside: str  # the value that lost
    kept: str  # the value that stands
    set_aside_by: str  # "李娜 · 12/4/2026 10:42"
    kept_by: str


def open_conflicts() -> list[SyncConflict]:
    """The open conflicts, newest first."""
    return list(SyncConflict.select().where(SyncConflict.resolved == 0).order_by(SyncConflict.mine_at.desc()))


def when(hlc: str) -> str:
    """A hybrid-clock time ("ms-counter-site") as the local date and time."""
    if not hlc:
        return ""
    try:
        ms = clock.parse(hlc)[0]
    except ValueError:
        return ""
    moment = QDateTime.fromMSecsSinceEpoch(ms).toLocalTime()
    return QLocale().toString(moment, QLocale.FormatType.ShortFormat)


def _who(actor: str, hlc: str) -> str:
    return " · ".join(part for part in (actor, when(hlc)) if part)


def value_text(field: str, value: Optional[str]) -> str:
    if value is None:
        return QCoreApplication.translate("TeamConflicts", "(nothing)")
    try:
        decoded = json.loads(value)
    except ValueError:
        return value
    if decoded is None or decoded == "":
        return QCoreApplication.translate("TeamConflicts", "(empty)")
    if field == "deleted_at":
        return QCoreApplication.translate("TeamConflicts", "deleted {time}").format(time=decoded)
    return choice_label(field, decoded) if isinstance(decoded, str) else str(decoded)


def _customer(customer_id) -> str:
    customer = Customer.get_or_none(Customer.id == customer_id)
    return f"{customer.name} ({customer.code})" if customer else ""


def record_label(entity: str, uuid: str) -> str:
    found = entities.get(entity)
    if found is None:
        return uuid
    row = found.model.get_or_none(found.model.uuid == uuid)
    if row is None:
        return QCoreApplication.translate("TeamConflicts", "A record no longer here")
    if entity == "customer":
        return f"{row.name} ({row.code})"
    name = _source(ENTITY_SOURCES.get(entity, entity))
    customer_id = getattr(row, "customer_id", None)
    return f"{name} — {_customer(customer_id)}" if customer_id else name


def rows() -> list[ConflictRow]:
    out = []
    labels: dict[tuple[str, str], str] = {}
    for c in open_conflicts():
        key = (c.entity, c.uuid)
        if key not in labels:
            labels[key] = record_label(c.entity, c.uuid)
        out.append(ConflictRow(c.id, c.kind, c.entity, c.uuid, c.field, labels[key], field_label(c.field),
                               value_text(c.field, c.mine), value_text(c.field, c.theirs),
                               _who(c.mine_actor, c.mine_at), _who(c.theirs_actor, c.theirs_at)))
    return out
