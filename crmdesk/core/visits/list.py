"""The visit list: ids for a search, filter and sort, and rows by id in pages, for the
lazy table model (DESIGN §5). A planned visit whose end has passed is listed as missed."""
from __future__ import annotations

import datetime as dt
from array import array
from dataclasses import dataclass
from typing import Callable, Optional, Sequence

from crmdesk.core.visits import fields as V
from crmdesk.core.db import read_ids
from crmdesk.core.models import database

SHOWN_STATE = "(CASE WHEN v.state = 'planned' AND v.ends_at < ? THEN 'missed' ELSE v.state END)"
COLUMN_SQL = {
    "starts_at": "v.starts_at",
    "ends_at": "v.ends_at",
    "customer_name": "c.name",
    "customer_code": "c.code",
    "kind": "v.kind",
    "state": SHOWN_STATE,
    "rep": "v.rep",
    "contacts": "v.contacts",
    "place": "v.place",
    "city": "c.city",
    "objective": "v.objective",
    "outcome": "v.outcome",
    "rating": "v.rating",
    "follow_up": "v.follow_up",
}
COLUMNS = tuple(COLUMN_SQL)
SORT_SQL = {**COLUMN_SQL, "customer_name": "c.sort_name"}  # Chinese names by pinyin, as the customer list
DEFAULT_COLUMNS = ("starts_at", "customer_name", "kind", "state", "rep", "place", "objective", "rating")
PERIODS = ("upcoming", "today", "week", "month", "past30", "all")


@dataclass(frozen=True)
class VisitQuery:
    period: str = "upcoming"
    today: Optional[dt.date] = None  # None: the real today
    state: str = ""  # "" every state; planned/missed as shown
    rep: str = ""
    team: str = ""  # "" every team; else the visits of that team's customers
    search: str = ""
    customer_id: Optional[int] = None
    sort: str = "starts_at"
    descending: bool = False
    now: Optional[dt.datetime] = None  # None: the real now

    def moment(self) -> dt.datetime:
        return self.now or dt.datetime.now().replace(second=0, microsecond=0)

    def day(self) -> dt.date:
        return self.today or self.moment().date()


def period_range(period: str, today: dt.date) -> tuple[Optional[dt.date], Optional[dt.date]]:
    """[start, end) of a period; None: open."""
    if period == "today":
        return today, today + dt.timedelta(days=1)
    if period == "week":
        monday = today - dt.timedelta(days=today.weekday())
        return monday, monday + dt.timedelta(days=7)
    if period == "month":
        first = today.replace(day=1)
        return first, (first + dt.timedelta(days=32)).replace(day=1)
    if period == "past30":
        return today - dt.timedelta(days=30), today + dt.timedelta(days=1)
    if period == "upcoming":
        return today, None
    return None, None


def _where(query: VisitQuery) -> tuple[str, list]:
    now = query.moment().isoformat(" ")
    where = ["v.deleted_at IS NULL", "c.deleted_at IS NULL"]
    params: list = []
    start, end = period_range(query.period, query.day())
    if query.period == "upcoming":  # from today on, plus what still needs recording
        where.append("(v.starts_at >= ? OR (v.state = 'planned' AND v.starts_at >= ?))")
        params += [dt.datetime.combine(start, dt.time()).isoformat(" "),
                   dt.datetime.combine(start - dt.timedelta(days=30), dt.time()).isoformat(" ")]
    else:
        if start is not None:
            where.append("v.starts_at >= ?")
            params.append(dt.datetime.combine(start, dt.time()).isoformat(" "))
        if end is not None:
            where.append("v.starts_at < ?")
            params.append(dt.datetime.combine(end, dt.time()).isoformat(" "))
    if query.state == V.MISSED:
        where.append("((v.state = 'planned' AND v.ends_at < ?) OR v.state = 'missed')")
        params.append(now)
    elif query.state == V.PLANNED:
        where.append("v.state = 'planned' AND v.ends_at >= ?")
        params.append(now)
    elif query.state:
        where.append("v.state = ?")
        params.append(query.state)
    if query.rep:
        where.append("v.rep = ?")
        params.append(query.rep)
    if query.team:
        where.append("c.team = ?")
        params.append(query.team)
    if query.customer_id is not None:
        where.append("v.customer_id = ?")
        params.append(query.customer_id)
    text = query.search.strip()
    if text:
        like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append("(c.name LIKE ? ESCAPE '\\' OR c.code LIKE ? ESCAPE '\\' OR v.place LIKE ? ESCAPE '\\' "
                     "OR v.objective LIKE ? ESCAPE '\\' OR v.contacts LIKE ? ESCAPE '\\')")
        params += [like] * 5
    return " AND ".join(where), params


def _sql(query: VisitQuery, what: str) -> tuple[str, list]:
    where, params = _where(query)
    sort = query.sort if query.sort in COLUMN_SQL else "starts_at"
    direction = "DESC" if query.descending else "ASC"
    order = SORT_SQL[sort]
    order_params = [query.moment().isoformat(" ")] if sort == "state" else []
    sql = (f"SELECT {what} FROM visit v JOIN customer c ON c.id = v.customer_id WHERE {where} "
           f"ORDER BY {order} {direction}, v.starts_at {direction}, v.id {direction}")
    return sql, params + order_params


def ids(query: VisitQuery, stop: Optional[Callable[[], bool]] = None) -> array:
    sql, params = _sql(query, "v.id")
    return read_ids(sql, params, stop)


def first_ids(query: VisitQuery, limit: int) -> list[int]:
    sql, params = _sql(query, "v.id")
    return [r[0] for r in database.execute_sql(f"{sql} LIMIT {int(limit)}", params)]


def count(query: VisitQuery) -> int:
    where, params = _where(query)
    return database.execute_sql(f"SELECT count(*) FROM visit v JOIN customer c ON c.id = v.customer_id "
                                f"WHERE {where}", params).fetchone()[0]


def rows(visit_ids: Sequence[int], keys: Sequence[str], now: Optional[dt.datetime] = None) -> dict[int, tuple]:
    if not visit_ids:
        return {}
    now_text = (now or dt.datetime.now()).isoformat(" ")
    columns = ", ".join(COLUMN_SQL[k] for k in keys)
    params = [now_text] * sum(1 for k in keys if k == "state") + list(visit_ids)
    marks = ",".join("?" * len(visit_ids))
    result = {}
    for row in database.execute_sql(f"SELECT v.id, {columns} FROM visit v JOIN customer c ON c.id = v.customer_id "
                                    f"WHERE v.id IN ({marks})", params):
        result[row[0]] = tuple(row[1:])
    return result
