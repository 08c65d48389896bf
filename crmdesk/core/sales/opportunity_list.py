"""The opportunity list (the board as a table): ids for a filter and sort, and rows by id
in pages, for the lazy table model (DESIGN §5). Same filters as the board."""
from __future__ import annotations

import datetime as dt
from array import array
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Optional, Sequence

from crmdesk.core.db import read_ids
from crmdesk.core.models import database
from crmdesk.core.sales import board
from crmdesk.core.sales import stages as S

COLUMN_SQL = {
    "title": "o.title",
    "customer_name": "c.name",
    "stage": "o.stage",
    "amount": "o.amount",
    "probability": "o.probability",
    "expected_close": "o.expected_close",
    "days_in_stage": "CAST(julianday(?) - julianday(date(o.stage_since)) AS INTEGER)",
    "next_step": "o.next_step",
    "next_step_on": "o.next_step_on",
    "owner": "o.owner",
    "source": "o.source",
    "tier": "c.tier",
    "closed_on": "o.closed_on",
    "lost_reason": "o.lost_reason",
}
COLUMNS = tuple(COLUMN_SQL)
SORT_SQL = {**COLUMN_SQL, "customer_name": "c.sort_name"}  # Chinese names by pinyin
DEFAULT_COLUMNS = ("title", "customer_name", "stage", "amount", "probability", "expected_close", "days_in_stage",
                   "next_step", "owner")


@dataclass(frozen=True)
class OpportunityQuery:
    owner: str = ""
    team: str = ""
    period: str = "all"
    tier: str = ""
    stage: str = ""  # "" every stage the board shows
    search: str = ""
    customer_id: Optional[int] = None
    sort: str = "expected_close"
    descending: bool = False
    today: Optional[dt.date] = None

    def board(self) -> board.BoardQuery:
        return board.BoardQuery(owner=self.owner, team=self.team, period=self.period, tier=self.tier, today=self.today)


def _where(query: OpportunityQuery, stage_list: Sequence[S.Stage]) -> tuple[str, list]:
    where, params = board.where_sql(query.board(), stage_list)
    parts = [where]
    if query.stage:
        parts.append("o.stage = ?")
        params.append(query.stage)
    if query.customer_id is not None:
        parts.append("o.customer_id = ?")
        params.append(query.customer_id)
    text = query.search.strip()
    if text:
        like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        parts.append("(c.name LIKE ? ESCAPE '\\' OR c.code LIKE ? ESCAPE '\\' OR o.title LIKE ? ESCAPE '\\' "
                     "OR o.contacts LIKE ? ESCAPE '\\')")
        params += [like] * 4
    return " AND ".join(parts), params


def _today(query: OpportunityQuery) -> str:
    return (query.today or dt.date.today()).isoformat()


def _sql(query: OpportunityQuery, what: str) -> tuple[str, list]:
    where, params = _where(query, S.load())
    sort = query.sort if query.sort in COLUMN_SQL else "expected_close"
    direction = "DESC" if query.descending else "ASC"
    order_params = [_today(query)] * 2 if sort == "days_in_stage" else []  # IS NULL, then the value
    sql = (f"SELECT {what} {board.FROM} WHERE {where} "
           f"ORDER BY {SORT_SQL[sort]} IS NULL, {SORT_SQL[sort]} {direction}, o.id {direction}")
    return sql, params + order_params


def ids(query: OpportunityQuery, stop: Optional[Callable[[], bool]] = None) -> array:
    sql, params = _sql(query, "o.id")
    return read_ids(sql, params, stop)


def first_ids(query: OpportunityQuery, limit: int) -> list[int]:
    sql, params = _sql(query, "o.id")
    return [r[0] for r in database.execute_sql(f"{sql} LIMIT {int(limit)}", params)]


def count(query: OpportunityQuery) -> int:
    where, params = _where(query, S.load())
    return database.execute_sql(f"SELECT count(*) {board.FROM} WHERE {where}", params).fetchone()[0]


def rows(opportunity_ids: Sequence[int], keys: Sequence[str], today: Optional[dt.date] = None) -> dict[int, tuple]:
    """The values of ``keys`` for each id (amounts as Decimal yuan)."""
    if not opportunity_ids:
        return {}
    columns = ", ".join(COLUMN_SQL[k] for k in keys)
    params = [(today or dt.date.today()).isoformat()] * sum(1 for k in keys if k == "days_in_stage")
    marks = ",".join("?" * len(opportunity_ids))
    amount_at = [i for i, k in enumerate(keys) if k == "amount"]
    result = {}
    for row in database.execute_sql(f"SELECT o.id, {columns} {board.FROM} WHERE o.id IN ({marks})",
                                    params + list(opportunity_ids)):
        values = list(row[1:])
        for i in amount_at:
            values[i] = None if values[i] is None else Decimal(values[i]) / 100
        result[row[0]] = tuple(values)
    return result
