"""The complaint list: ids for a search, filter and sort, and rows by id in pages, for the
lazy table model (DESIGN §5); and the escalation list: what is late, by how many business
hours, and whose it is.

How a complaint stands against its deadlines is worked out in SQL from the deadlines the
services keep on the row, at the moment the query names (``now``), so the list, the
filters and the statistics agree and tests need no clock: "overdue" (a deadline has
passed), "due_soon" (three quarters of its time is used), "waiting" (the clock is stopped
for the customer), "on_time", or "" once resolved. The open complaints are read through
the partial index ``complaint_open_due``."""
from __future__ import annotations

import datetime as dt
from array import array
from dataclasses import dataclass
from typing import Callable, Optional, Sequence

from crmdesk.core.bulk_indexes import indexed_by
from crmdesk.core.complaints import fields as K
from crmdesk.core.db import read_ids
from crmdesk.core.models import database
from crmdesk.core.complaints import settings as complaint_settings

OPEN = "m.state NOT IN ('resolved', 'closed') AND m.deleted_at IS NULL"
STATUS = ("(CASE WHEN m.state IN ('resolved', 'closed') THEN '' "
          "WHEN m.waiting_since IS NOT NULL THEN 'waiting' "
          "WHEN m.resolution_due_at < :now OR (m.state = 'new' AND m.response_due_at < :now) THEN 'overdue' "
          "WHEN (m.state = 'new' AND m.response_warn_at <= :now) OR m.resolution_warn_at <= :now THEN 'due_soon' "
          "ELSE 'on_time' END)")
DUE = ("(CASE WHEN m.state IN ('resolved', 'closed') THEN NULL WHEN m.state = 'new' "
       "AND (m.response_due_at < m.resolution_due_at) THEN m.response_due_at ELSE m.resolution_due_at END)")
COLUMN_SQL = {
    "number": "m.number",
    "received_at": "m.received_at",
    "customer_name": "c.name",
    "customer_code": "c.code",
    "contact": "m.contact",
    "channel": "m.channel",
    "category": "m.category",
    "subcategory": "m.subcategory",
    "product": "m.product",
    "severity": "m.severity",
    "state": "m.state",
    "status": STATUS,
    "due_at": DUE,
    "owner": "m.owner",
    "words": "m.words",
    "solution": "m.solution",
    "repeat": "(m.repeat_of_id IS NOT NULL)",
    "satisfaction": "m.satisfaction",
    "satisfaction_scale": "m.satisfaction_scale",
    "resolved_at": "m.resolved_at",
    "closed_at": "m.closed_at",
}
COLUMNS = tuple(COLUMN_SQL)
SEVERITY_RANK = ("CASE m.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END")
STATE_RANK = "CASE m.state " + " ".join(f"WHEN '{k}' THEN {i}" for i, k in enumerate(K.STATE_KEYS)) + " END"
SORT_SQL = {**COLUMN_SQL, "customer_name": "c.sort_name", "severity": SEVERITY_RANK, "state": STATE_RANK}
DEFAULT_COLUMNS = ("number", "received_at", "customer_name", "category", "severity", "state", "status",
                   "due_at", "owner")
VIEWS = ("open", "overdue", "due_soon", "waiting", "closed", "all")
PERIODS = ("all", "month", "past30", "past90", "year")


@dataclass(frozen=True)
class ComplaintQuery:
    view: str = "open"  # one of VIEWS
    period: str = "all"  # by time of receipt; one of PERIODS
    state: str = ""
    severity: str = ""
    category: str = ""
    owner: str = ""
    team: str = ""  # "" every team; else the complaints of that team's customers
    search: str = ""
    customer_id: Optional[int] = None
    sort: str = "due_at"
    descending: bool = False
    now: Optional[dt.datetime] = None  # None: the real now
    today: Optional[dt.date] = None

    def moment(self) -> dt.datetime:
        return self.now or dt.datetime.now().replace(second=0, microsecond=0)


def _since(period: str, today: dt.date) -> Optional[dt.date]:
    if period == "month":
        return today.replace(day=1)
    if period == "past30":
        return today - dt.timedelta(days=30)
    if period == "past90":
        return today - dt.timedelta(days=90)
    if period == "year":
        return today.replace(month=1, day=1)
    return None


def _where(query: ComplaintQuery) -> tuple[str, dict]:
    now = query.moment()
    params: dict = {"now": now.isoformat(" ")}
    where = ["m.deleted_at IS NULL", "c.deleted_at IS NULL"]
    if query.view in ("open", "overdue", "due_soon", "waiting"):
        where.append("m.state NOT IN ('resolved', 'closed')")
    if query.view == "overdue":
        where.append("m.waiting_since IS NULL AND (m.resolution_due_at < :now "
                     "OR (m.state = 'new' AND m.response_due_at < :now))")
    elif query.view == "due_soon":
        where.append(f"{STATUS} = 'due_soon'")
    elif query.view == "waiting":
        where.append("m.waiting_since IS NOT NULL")
    elif query.view == "closed":
        where.append("m.state IN ('resolved', 'closed')")
    since = _since(query.period, query.today or now.date())
    if since is not None:
        where.append("m.received_at >= :since")
        params["since"] = dt.datetime.combine(since, dt.time()).isoformat(" ")
    for key in ("state", "severity", "category", "owner"):
        value = getattr(query, key)
        if value:
            where.append(f"m.{key} = :{key}")
            params[key] = value
    if query.team:
        where.append("c.team = :team")
        params["team"] = query.team
    if query.customer_id is not None:
        where.append("m.customer_id = :customer_id")
        params["customer_id"] = query.customer_id
    text = query.search.strip()
    if text:
        params["like"] = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append("(m.number LIKE :like ESCAPE '\\' OR c.name LIKE :like ESCAPE '\\' OR c.code LIKE :like ESCAPE '\\' "
                     "OR m.contact LIKE :like ESCAPE '\\' OR m.product LIKE :like ESCAPE '\\' "
                     "OR m.words LIKE :like ESCAPE '\\' OR m.subcategory LIKE :like ESCAPE '\\')")
    return " AND ".join(where), params


def _sql(query: ComplaintQuery, what: str) -> tuple[str, dict]:
    where, params = _where(query)
    sort = query.sort if query.sort in SORT_SQL else "due_at"
    direction = "DESC" if query.descending else "ASC"
    nulls = "IS NULL" if not query.descending else "IS NOT NULL"  # no deadline: last
    sql = (f"SELECT {what} FROM complaint m JOIN customer c ON c.id = m.customer_id WHERE {where} "
           f"ORDER BY ({SORT_SQL[sort]}) {nulls}, {SORT_SQL[sort]} {direction}, m.received_at {direction}, "
           f"m.id {direction}")
    return sql, params


def ids(query: ComplaintQuery, stop: Optional[Callable[[], bool]] = None) -> array:
    sql, params = _sql(query, "m.id")
    return read_ids(sql, params, stop)


def first_ids(query: ComplaintQuery, limit: int) -> list[int]:
    sql, params = _sql(query, "m.id")
    return [r[0] for r in database.execute_sql(f"{sql} LIMIT {int(limit)}", params)]


def count(query: ComplaintQuery) -> int:
    where, params = _where(query)
    return database.execute_sql(f"SELECT count(*) FROM complaint m JOIN customer c ON c.id = m.customer_id "
                                f"WHERE {where}", params).fetchone()[0]


def rows(complaint_ids: Sequence[int], keys: Sequence[str], now: Optional[dt.datetime] = None) -> dict[int, tuple]:
    if not complaint_ids:
        return {}
    params = {"now": (now or dt.datetime.now()).isoformat(" ")}
    marks = []
    for i, value in enumerate(complaint_ids):
        params[f"i{i}"] = value
        marks.append(f":i{i}")
    columns = ", ".join(COLUMN_SQL[k] for k in keys)
    result = {}
    for row in database.execute_sql(f"SELECT m.id, {columns} FROM complaint m JOIN customer c ON c.id = m.customer_id "
                                    f"WHERE m.id IN ({','.join(marks)})", params):
        result[row[0]] = tuple(row[1:])
    return result


# ---------------------------------------------------------------- escalation

@dataclass(frozen=True)
class Late:
    """A complaint past a deadline: which one, since when, by how many business minutes."""
    complaint_id: int
    number: str
    customer_id: int
    customer_name: str
    owner: str
    severity: str
    state: str
    deadline: str  # "response" or "resolution"
    due_at: dt.datetime
    late_minutes: int


def escalations(now: Optional[dt.datetime] = None, owner: str = "") -> list[Late]:
    """Every open complaint past a deadline, the latest first (by business time), with the
    deadline it missed: the first response while it is new, else the resolution."""
    now = now or dt.datetime.now().replace(second=0, microsecond=0)
    calendar = complaint_settings.load().calendar()
    params: list = [now.isoformat(" "), now.isoformat(" ")]
    extra = ""
    if owner:
        extra = " AND m.owner = ?"
        params.append(owner)
    found = []
    parse = dt.datetime.fromisoformat
    sql = (f"SELECT m.id, m.number, m.customer_id, c.name, m.owner, m.severity, m.state, m.response_due_at, "
           f"m.resolution_due_at FROM complaint m {indexed_by('complaint_open_due')}JOIN customer c ON c.id = m.customer_id "
           f"WHERE {OPEN} AND m.waiting_since IS NULL AND (m.resolution_due_at < ? OR "
           f"(m.state = 'new' AND m.response_due_at < ?)) AND c.deleted_at IS NULL{extra}")
    for cid, number, customer_id, name, person, severity, state, response_due, resolution_due in \
            database.execute_sql(sql, params):
        response_due, resolution_due = parse(str(response_due)), parse(str(resolution_due))
        if resolution_due < now:
            deadline, due = "resolution", resolution_due
        else:
            deadline, due = "response", response_due
        found.append(Late(cid, number, customer_id, name, person, severity, state, deadline, due,
                          calendar.minutes_between(due, now)))
    found.sort(key=lambda late: (-late.late_minutes, late.due_at, late.number))
    return found


def late_by_owner(late: Sequence[Late]) -> list[tuple[str, int, int]]:
    """(owner, how many late, the most business minutes any of them is late), the most first."""
    grouped: dict[str, list[int]] = {}
    for item in late:
        grouped.setdefault(item.owner, []).append(item.late_minutes)
    return sorted(((o, len(m), max(m)) for o, m in grouped.items()), key=lambda t: (-t[1], -t[2], t[0]))
