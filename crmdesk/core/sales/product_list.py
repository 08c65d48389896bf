"""The product list: ids for a search and sort (by pinyin by default), rows by id in pages,
for the lazy table model. Merged variants are not listed; inactive products are, marked."""
from __future__ import annotations

from array import array
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Optional, Sequence

from crmdesk.core.db import read_ids
from crmdesk.core.models import database

SOLD = "(SELECT count(*) FROM transactions t WHERE t.product_id = p.id AND t.deleted_at IS NULL)"
COLUMN_SQL = {
    "code": "p.code",
    "name": "p.name",
    "category": "p.category",
    "unit": "p.unit",
    "list_price": "p.list_price",
    "active": "p.active",
    "sold": SOLD,
    "notes": "p.notes",
}
COLUMNS = tuple(COLUMN_SQL)
SORT_SQL = {**COLUMN_SQL, "name": "p.sort_name"}
DEFAULT_COLUMNS = ("name", "code", "category", "unit", "list_price", "active", "sold")


@dataclass(frozen=True)
class ProductQuery:
    search: str = ""
    active_only: bool = False
    sort: str = "name"
    descending: bool = False


def _where(query: ProductQuery) -> tuple[str, list]:
    where, params = ["p.deleted_at IS NULL", "p.merged_into_id IS NULL"], []
    if query.active_only:
        where.append("p.active = 1")
    text = query.search.strip().casefold()
    if text:
        like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append("(lower(p.name) LIKE ? ESCAPE '\\' OR lower(p.code) LIKE ? ESCAPE '\\' "
                     "OR p.sort_name LIKE ? ESCAPE '\\' OR p.name_initials LIKE ? ESCAPE '\\' "
                     "OR lower(p.category) LIKE ? ESCAPE '\\')")
        params += [like.replace(" ", "")] * 5
    return " AND ".join(where), params


def _sql(query: ProductQuery, what: str) -> tuple[str, list]:
    where, params = _where(query)
    sort = query.sort if query.sort in COLUMN_SQL else "name"
    direction = "DESC" if query.descending else "ASC"
    return (f"SELECT {what} FROM product p WHERE {where} ORDER BY {SORT_SQL[sort]} {direction}, p.id {direction}",
            params)


def ids(query: ProductQuery, stop: Optional[Callable[[], bool]] = None) -> array:
    sql, params = _sql(query, "p.id")
    return read_ids(sql, params, stop)


def first_ids(query: ProductQuery, limit: int) -> list[int]:
    sql, params = _sql(query, "p.id")
    return [r[0] for r in database.execute_sql(f"{sql} LIMIT {int(limit)}", params)]


def count(query: ProductQuery) -> int:
    where, params = _where(query)
    return database.execute_sql(f"SELECT count(*) FROM product p WHERE {where}", params).fetchone()[0]


def rows(product_ids: Sequence[int], keys: Sequence[str]) -> dict[int, tuple]:
    if not product_ids:
        return {}
    columns = ", ".join(COLUMN_SQL[k] for k in keys)
    marks = ",".join("?" * len(product_ids))
    price = keys.index("list_price") if "list_price" in keys else -1
    result = {}
    for row in database.execute_sql(f"SELECT p.id, {columns} FROM product p WHERE p.id IN ({marks})",
                                    list(product_ids)):
        values = list(row[1:])
        if price >= 0 and values[price] is not None:
            values[price] = Decimal(values[price]) / 100
        result[row[0]] = tuple(values)
    return result
