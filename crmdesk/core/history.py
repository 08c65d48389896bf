"""The change log: who changed which field of which record, from what to what, when."""
from __future__ import annotations

import datetime as dt
import getpass
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable, Optional

from peewee import JOIN

from crmdesk import i18n

from crmdesk.core import clock
from crmdesk.core.changes import CREATED, UPDATED
from crmdesk.core.models import Batch, ChangeLog, database, utcnow

_actor: Optional[str] = None


def actor() -> str:
    """The person making changes: the team login when the database belongs to a team, else
    the operating-system user unless set otherwise."""
    global _actor
    if clock.team_actor:
        return clock.team_actor
    if _actor is None:
        try:
            _actor = getpass.getuser()
        except Exception:  # no login name (some containers): still log, anonymously
            _actor = "user"
    return _actor


def set_actor(name: str) -> None:
    global _actor
    _actor = name


def as_text(value: Any) -> Optional[str]:
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if hasattr(value, "as_text"):  # a birthday: 1985-04-02 or --04-02, which reads back
        return value.as_text()
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def new_batch(kind: str, description: str = "") -> Batch:
    return Batch.create(kind=kind, description=description, actor=actor())


@dataclass
class Entry:
    entity: str
    record_id: int
    record_uuid: str
    customer_id: Optional[int]
    action: str
    field: str = ""
    old: Any = None
    new: Any = None


def write(entries: Iterable[Entry], batch: Optional[Batch] = None) -> None:
    rows = log_rows(entries, batch)
    if rows:  # one prepared statement for all: an import logs tens of thousands of entries
        ChangeLog._meta.database.cursor().executemany(INSERT_HEAD + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def log_rows(entries: Iterable[Entry], batch: Optional[Batch] = None) -> list[tuple]:
    """The change_log rows of ``entries``, in ``INSERT_HEAD``'s columns."""
    now, who = utcnow().isoformat(" "), actor()  # peewee's text form of a datetime
    batch_id = batch.id if batch else None
    return [(now, who, e.entity, e.record_id, e.record_uuid, e.customer_id, e.action, e.field,
             as_text(e.old), as_text(e.new), batch_id) for e in entries]


INSERT_HEAD = ('INSERT INTO "change_log" ("at", "actor", "entity", "record_id", "record_uuid", '
               '"customer_id", "action", "field", "old", "new", "batch_id") VALUES')


def diff(before: dict[str, Any], after: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(field, old, new) for every field whose text form changed."""
    return [(key, before.get(key), value) for key, value in after.items()
            if as_text(before.get(key)) != as_text(value)]


@dataclass
class TimelineItem:
    at: dt.datetime
    actor: str
    entity: str
    record_id: int
    action: str
    field: str
    old: Optional[str]
    new: Optional[str]
    batch_kind: Optional[str]


def timeline(customer_id: int, limit: int = 500) -> list[TimelineItem]:
    """Every change to the customer and its contacts and transactions, newest first."""
    query = (ChangeLog.select(ChangeLog, Batch.kind)
             .join(Batch, on=(ChangeLog.batch == Batch.id), join_type=JOIN.LEFT_OUTER)
             .where(ChangeLog.customer_id == customer_id)
             .order_by(ChangeLog.at.desc(), ChangeLog.id.desc()).limit(limit))
    return [TimelineItem(row.at, row.actor, row.entity, row.record_id, row.action, row.field,
                         row.old, row.new, row.batch.kind if row.batch_id else None)
            for row in query]


def changed_fields(entity: str, record_id: int, since: Optional[dt.datetime] = None,
                   writes: Optional[int] = None, columns: Iterable = ()) -> str:
    """What changed a record since a user opened it, as " (phone, owner)" for a "changed
    elsewhere" sentence ("" when the log does not say): the fields of the updates logged
    after ``since``, or of the last ``writes`` updates (one write logs its fields at one moment)."""
    query = (ChangeLog.select(ChangeLog.field, ChangeLog.at)
             .where((ChangeLog.entity == entity) & (ChangeLog.record_id == record_id) & (ChangeLog.field != ""))
             .order_by(ChangeLog.id.desc()).limit(500))
    if since is not None:  # the opener's own last write logs a moment after its stamp: skip those microseconds
        query = query.where(ChangeLog.at > since + dt.timedelta(milliseconds=50))
    chinese = i18n.language().startswith("zh")
    labels = {c.key: (c.zh if chinese else c.en.lower()) for c in columns}  # the sheet's column names
    names: dict[str, None] = {}
    moments: list[dt.datetime] = []
    for row in query:
        if writes is not None and row.at not in moments:
            if len(moments) >= writes:
                break
            moments.append(row.at)
        names.setdefault(labels.get(row.field, row.field.replace("_", " ")), None)
    if not names:
        return ""
    return f"（{'、'.join(reversed(list(names)))}）" if chinese else f" ({', '.join(reversed(list(names)))})"


def batch_record_counts(batch_ids: list[int]) -> list[tuple[int, str, str, int]]:
    """(batch, entity, action, records) for the records each batch created or updated, each
    counted once: one created and then changed by a later row of the same file counts as
    created. From the change log, so an undone batch still says what it had done."""
    if not batch_ids:
        return []
    marks = ",".join("?" * len(batch_ids))
    sql = (f"SELECT c.batch_id, c.entity, c.action, COUNT(DISTINCT c.record_id) FROM change_log c "
           f"WHERE c.batch_id IN ({marks}) AND c.action IN (?, ?) "
           f"AND NOT (c.action = ? AND EXISTS (SELECT 1 FROM change_log d WHERE d.batch_id = c.batch_id "
           f"AND d.entity = c.entity AND d.record_id = c.record_id AND d.action = ?)) "
           f"GROUP BY c.batch_id, c.entity, c.action")
    return list(database.execute_sql(sql, [*batch_ids, CREATED, UPDATED, UPDATED, CREATED]))
