"""The care list: ids for a view, filter and sort, and rows by id in pages, for the lazy
table model (DESIGN §5); and the counts the tab's buttons and the reminders show.

Views, on the day the query names (``today``): "today" (due or snoozed to today),
"overdue" (before today, still open), "week" (today and the six days after), "open"
(every event not done or skipped), "done" (done or skipped) and "all". The open views
read the partial index ``care_event_open``; events of deleted customers are left out."""
from __future__ import annotations

import datetime as dt
from array import array
from dataclasses import dataclass
from typing import Callable, Optional, Sequence

from crmdesk.core.bulk_indexes import indexed_by
from crmdesk.core.care import fields as C
from crmdesk.core.db import read_ids
from crmdesk.core.models import database

SHOWN = C.SHOWN_ON
OPEN = "e.state IN ('due', 'snoozed')"
# the title, or for a complaint's follow-up the complaint's number
SUBJECT = "COALESCE(NULLIF(e.title, ''), (SELECT m.number FROM complaint m WHERE m.id = e.complaint_id), '')"
CONTACT_NAME = "COALESCE(p.name, CASE WHEN c.kind = 'individual' THEN c.name ELSE c.contact_person END)"
COLUMN_SQL = {
    "shown_on": SHOWN,
    "due_on": "e.due_on",
    "kind": "e.kind",
    "customer_name": "c.name",
    "customer_code": "c.code",
    "contact": CONTACT_NAME,
    "channel": "e.channel",
    "title": SUBJECT,
    "occasion": "e.occasion",
    "facts": "e.facts",
    "state": "e.state",
    "snoozed_until": "e.snoozed_until",
    "result": "e.result",
    "done_at": "e.done_at",
    "owner": "c.owner",
    "tier": "c.tier",
}
COLUMNS = tuple(COLUMN_SQL)
KIND_RANK = "CASE e.kind " + " ".join(f"WHEN '{k}' THEN {i}" for i, k in enumerate(C.KIND_KEYS)) + " END"
SORT_SQL = {**COLUMN_SQL, "customer_name": "c.sort_name", "kind": KIND_RANK, "contact": CONTACT_NAME}
VIEWS = ("today", "overdue", "week", "open", "done", "all")
WEEK_DAYS = 7


@dataclass(frozen=True)
class CareQuery:
    view: str = "today"  # one of VIEWS
    kind: str = ""
    owner: str = ""
    search: str = ""
    customer_id: Optional[int] = None
    sort: str = "shown_on"
    descending: bool = False
    today: Optional[dt.date] = None  # None: the real today

    def day(self) -> dt.date:
        return self.today or dt.date.today()


def where_clause(query: CareQuery) -> tuple[str, dict]:
    today = query.day()
    params: dict = {"today": today.isoformat(), "week_end": (today + dt.timedelta(days=WEEK_DAYS - 1)).isoformat()}
    where = ["e.deleted_at IS NULL", "c.deleted_at IS NULL"]
    if query.view in ("today", "overdue", "week", "open"):
        where.append(OPEN)
    if query.view == "today":
        where.append(f"{SHOWN} = :today")
    elif query.view == "overdue":
        where.append(f"{SHOWN} < :today")
    elif query.view == "week":
        where.append(f"{SHOWN} >= :today AND {SHOWN} <= :week_end")
    elif query.view == "done":
        where.append("e.state IN ('done', 'skipped')")
    if query.kind:
        where.append("e.kind = :kind")
        params["kind"] = query.kind
    if query.owner:
        where.append("c.owner = :owner")
        params["owner"] = query.owner
    if query.customer_id is not None:
        where.append("e.customer_id = :customer_id")
        params["customer_id"] = query.customer_id
    text = query.search.strip()
    if text:
        params["like"] = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append("(c.name LIKE :like ESCAPE '\\' OR c.code LIKE :like ESCAPE '\\' OR p.name LIKE :like ESCAPE '\\' "
                     "OR c.contact_person LIKE :like ESCAPE '\\' OR e.title LIKE :like ESCAPE '\\' "
                     "OR e.message LIKE :like ESCAPE '\\' OR e.result LIKE :like ESCAPE '\\')")
    return " AND ".join(where), params


FROM = ("FROM care_event e JOIN customer c ON c.id = e.customer_id "
        "LEFT JOIN contact p ON p.id = e.contact_id")  # a deleted contact's name stays on what was done


def _sql(query: CareQuery, what: str) -> tuple[str, dict]:
    where, params = where_clause(query)
    sort = query.sort if query.sort in SORT_SQL else "shown_on"
    direction = "DESC" if query.descending else "ASC"
    if query.view == "done" and sort == "shown_on":  # the latest done first
        sort, direction = "done_at", ("ASC" if query.descending else "DESC")
    sql = (f"SELECT {what} {FROM} WHERE {where} ORDER BY ({SORT_SQL[sort]}) IS NULL, {SORT_SQL[sort]} {direction}, "
           f"{SHOWN} {direction}, {KIND_RANK}, c.sort_name, e.id {direction}")
    return sql, params


def ids(query: CareQuery, stop: Optional[Callable[[], bool]] = None) -> array:
    sql, params = _sql(query, "e.id")
    return read_ids(sql, params, stop)


def first_ids(query: CareQuery, limit: int) -> list[int]:
    sql, params = _sql(query, "e.id")
    return [r[0] for r in database.execute_sql(f"{sql} LIMIT {int(limit)}", params)]


def count(query: CareQuery) -> int:
    where, params = where_clause(query)
    return database.execute_sql(f"SELECT count(*) {FROM} WHERE {where}", params).fetchone()[0]


def rows(event_ids: Sequence[int], keys: Sequence[str]) -> dict[int, tuple]:
    if not event_ids:
        return {}
    columns = ", ".join(COLUMN_SQL[k] for k in keys)
    result = {}
    for start in range(0, len(event_ids), 500):
        chunk = list(event_ids[start:start + 500])
        for row in database.execute_sql(f"SELECT e.id, {columns} {FROM} WHERE e.id IN ({','.join('?' * len(chunk))})",
                                        chunk):
            result[row[0]] = tuple(row[1:])
    return result


@dataclass(frozen=True)
class Counts:
    today: int
    overdue: int
    week: int

    @property
    def due(self) -> int:
        """What wants doing now: today's and the overdue."""
        return self.today + self.overdue


def counts(today: dt.date, owner: str = "") -> Counts:
    """How many open events fall today, are overdue, and fall this week: one pass over
    the partial index of open events."""
    params = [today.isoformat(), today.isoformat(), today.isoformat(),
              (today + dt.timedelta(days=WEEK_DAYS - 1)).isoformat()]
    extra = ""
    if owner:
        extra = " AND c.owner = ?"
        params.append(owner)
    row = database.execute_sql(
        f"SELECT sum({SHOWN} = ?), sum({SHOWN} < ?), sum({SHOWN} >= ? AND {SHOWN} <= ?) "
        f"FROM care_event e {indexed_by('care_event_open')}JOIN customer c ON c.id = e.customer_id "
        f"WHERE {OPEN} AND e.deleted_at IS NULL AND c.deleted_at IS NULL{extra}", params).fetchone()
    return Counts(row[0] or 0, row[1] or 0, row[2] or 0)
