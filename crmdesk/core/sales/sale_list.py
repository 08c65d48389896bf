"""The sales list: ids for a search, filter and sort, and rows by id in pages, for the lazy
table model (DESIGN §5). Filters: owing (something left to pay), overdue (owing after the
due date), refunds, an owner, a period. Amounts are in yuan (the lines' total, the paid,
what is owed)."""
from __future__ import annotations

import datetime as dt
from array import array
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Optional, Sequence

from crmdesk.core.db import read_ids
from crmdesk.core.models import database

TOTAL = "(SELECT COALESCE(sum(t.amount), 0) FROM transactions t WHERE t.sale_id = s.id AND t.deleted_at IS NULL)"
OWED = f"({TOTAL} - COALESCE(s.paid, {TOTAL}))"
PRODUCTS = ("(SELECT group_concat(product, '、') FROM (SELECT t.product FROM transactions t WHERE t.sale_id = s.id "
            "AND t.deleted_at IS NULL AND t.product != '' ORDER BY t.line_no, t.id))")
COLUMN_SQL = {
    "date": "s.date",
    "customer_name": "c.name",
    "customer_code": "c.code",
    "products": PRODUCTS,
    "amount": TOTAL,
    "paid": f"COALESCE(s.paid, {TOTAL})",
    "owed": OWED,
    "due_on": "s.due_on",
    "owner": "s.owner",
    "kind": "s.kind",
    "notes": "s.notes",
}
COLUMNS = tuple(COLUMN_SQL)
MONEY = ("amount", "paid", "owed")
SORT_SQL = {**COLUMN_SQL, "customer_name": "c.sort_name"}
DEFAULT_COLUMNS = ("date", "customer_name", "products", "amount", "paid", "owed", "due_on", "owner")
FILTERS = ("all", "owing", "overdue", "refunds")


@dataclass(frozen=True)
class SaleQuery:
    filter: str = "all"
    search: str = ""
    owner: str = ""
    customer_id: Optional[int] = None
    start: Optional[dt.date] = None
    end: Optional[dt.date] = None  # inclusive
    today: Optional[dt.date] = None  # None: the real today (for "overdue")
    sort: str = "date"
    descending: bool = True

    def day(self) -> dt.date:
        return self.today or dt.date.today()


def _where(query: SaleQuery) -> tuple[str, list]:
    where = ["s.deleted_at IS NULL", "c.deleted_at IS NULL"]
    params: list = []
    if query.filter == "owing":
        where.append(f"{OWED} > 0")
    elif query.filter == "overdue":
        where.append(f"s.due_on < ? AND {OWED} > 0")
        params.append(query.day().isoformat())
    elif query.filter == "refunds":
        where.append("s.kind = 'refund'")
    if query.owner:
        where.append("s.owner = ?")
        params.append(query.owner)
    if query.customer_id is not None:
        where.append("s.customer_id = ?")
        params.append(query.customer_id)
    if query.start is not None:
        where.append("s.date >= ?")
        params.append(query.start.isoformat())
    if query.end is not None:
        where.append("s.date <= ?")
        params.append(query.end.isoformat())
    text = query.search.strip()
    if text:
        like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append("(c.name LIKE ? ESCAPE '\\' OR c.code LIKE ? ESCAPE '\\' OR s.notes LIKE ? ESCAPE '\\' "
                     "OR s.owner LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM transactions t WHERE t.sale_id = s.id "
                     "AND t.deleted_at IS NULL AND (t.product LIKE ? ESCAPE '\\' OR t.category LIKE ? ESCAPE '\\')))")
        params += [like] * 6
    return " AND ".join(where), params


def _sql(query: SaleQuery, what: str) -> tuple[str, list]:
    where, params = _where(query)
    sort = query.sort if query.sort in COLUMN_SQL else "date"
    direction = "DESC" if query.descending else "ASC"
    sql = (f"SELECT {what} FROM sale s JOIN customer c ON c.id = s.customer_id WHERE {where} "
           f"ORDER BY {SORT_SQL[sort]} {direction}, s.date {direction}, s.id {direction}")
    return sql, params


def ids(query: SaleQuery, stop: Optional[Callable[[], bool]] = None) -> array:
    sql, params = _sql(query, "s.id")
    return read_ids(sql, params, stop)


def first_ids(query: SaleQuery, limit: int) -> list[int]:
    sql, params = _sql(query, "s.id")
    return [r[0] for r in database.execute_sql(f"{sql} LIMIT {int(limit)}", params)]


def count(query: SaleQuery) -> int:
    where, params = _where(query)
    return database.execute_sql(f"SELECT count(*) FROM sale s JOIN customer c ON c.id = s.customer_id "
                                f"WHERE {where}", params).fetchone()[0]


def rows(sale_ids: Sequence[int], keys: Sequence[str]) -> dict[int, tuple]:
    """The values of ``keys`` for each sale (money as Decimal yuan, dates as text)."""
    if not sale_ids:
        return {}
    columns = ", ".join(COLUMN_SQL[k] for k in keys)
    marks = ",".join("?" * len(sale_ids))
    money = [i for i, k in enumerate(keys) if k in MONEY]
    result = {}
    for row in database.execute_sql(f"SELECT s.id, {columns} FROM sale s JOIN customer c ON c.id = s.customer_id "
                                    f"WHERE s.id IN ({marks})", list(sale_ids)):
        values = list(row[1:])
        for i in money:
            values[i] = None if values[i] is None else Decimal(values[i]) / 100
        result[row[0]] = tuple(values)
    return result


def owners() -> list[str]:
    return [r[0] for r in database.execute_sql(
        "SELECT DISTINCT owner FROM sale WHERE owner != '' AND deleted_at IS NULL ORDER BY owner")]
