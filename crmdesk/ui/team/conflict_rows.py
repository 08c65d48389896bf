"""What the Conflicts list shows, read from this laptop's mirror of the open conflicts
(``sync_conflict``): the record by its customer's name and code, the field's label, both
values, who made each and when. The rows are the core's ``conflicts.list_open()`` (which
leaves out the version stamps, resolved with their record); the core's row lacks when the
kept value was made, so both times are read from ``sync_conflict`` by id."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale, Qt, QT_TRANSLATE_NOOP, QTimeZone

from crmdesk.core import clock
from crmdesk.core.models import SyncConflict
from crmdesk.core.sync import conflicts
from crmdesk.ui.common.labels import choice_label, field_label

KIND_SOURCES = {
    "concurrent": QT_TRANSLATE_NOOP("TeamConflicts", "Edited by two people"),
    "edited_deleted": QT_TRANSLATE_NOOP("TeamConflicts", "Edited after it was deleted"),
    "renumbered": QT_TRANSLATE_NOOP("TeamConflicts", "Renumbered"),
    "refused": QT_TRANSLATE_NOOP("TeamConflicts", "Refused by the server"),
    "duplicate": QT_TRANSLATE_NOOP("TeamConflicts", "Possibly the same customer"),
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


def open_conflicts() -> list[conflicts.Row]:
    """The open conflicts, newest first: the core's list (which leaves out the version
    stamps no one typed) in the order the dialog shows them."""
    return list(reversed(conflicts.list_open()))


def times(ids: list[str]) -> dict[str, tuple[str, str]]:
    """(when "set aside" was made, when "kept" was made) as clock stamps, by conflict id: the
    core's row has the first as a datetime and not the second."""
    found: dict[str, tuple[str, str]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        query = SyncConflict.select(SyncConflict.id, SyncConflict.mine_at, SyncConflict.theirs_at).where(
            SyncConflict.id.in_(chunk))
        found.update({str(c.id): (c.mine_at or "", c.theirs_at or "") for c in query})
    return found


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


def value_text(field: str, decoded: object) -> str:
    """A value as the core decoded it, as people read it."""
    if decoded is None or decoded == "":
        return QCoreApplication.translate("TeamConflicts", "(empty)")
    if field == "deleted_at":
        return QCoreApplication.translate("TeamConflicts", "deleted {time}").format(time=stamp_text(str(decoded)))
    return choice_label(field, decoded) if isinstance(decoded, str) else str(decoded)


def stamp_text(stamp: str) -> str:
    """A stored UTC time ("2026-12-06 01:32:43") as the local date and time."""
    moment = QDateTime.fromString(stamp[:19].replace(" ", "T"), Qt.DateFormat.ISODate)
    if not moment.isValid():
        return stamp
    moment.setTimeZone(QTimeZone.utc())
    return QLocale().toString(moment.toLocalTime(), QLocale.FormatType.ShortFormat)


def record_label(row: conflicts.Row) -> str:
    """The record by its customer's name and code, prefixed by its kind when it is not the
    customer itself ("Visit — 华润商贸 (C0012)")."""
    if row.customer_id is None and row.entity != "product":
        return QCoreApplication.translate("TeamConflicts", "A record no longer here")
    if row.entity == "customer":
        return row.record
    return f"{_source(ENTITY_SOURCES.get(row.entity, row.entity))} — {row.record}"


def rows() -> list[ConflictRow]:
    found = open_conflicts()
    stamps = times([str(c.id) for c in found])
    out = []
    for c in found:
        mine_at, theirs_at = stamps.get(str(c.id), ("", ""))
        out.append(ConflictRow(str(c.id), c.kind, c.entity, c.uuid, c.field, record_label(c), field_label(c.field),
                               value_text(c.field, c.mine),
                               # an edit of a deleted record: what stands is the delete
                               value_text("deleted_at" if c.kind == "edited_deleted" else c.field, c.theirs),
                               _who(c.who, mine_at), _who(c.theirs_who, theirs_at)))
    return out
