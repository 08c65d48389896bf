"""The customer list as SQL: ids for the current search, filters and sort, then rows for
the ids that scroll into view (DESIGN §5). Search covers name, code, contact, phones,
city, pinyin and pinyin initials: trigram FTS5 for three characters and more, indexed
prefix look-ups for one or two."""
from __future__ import annotations

import re
from array import array
from dataclasses import dataclass, field, replace
from typing import Optional, Sequence

from crmdesk.core import fields as F
from crmdesk.core.io.normalize import halfwidth
from crmdesk.core.models import database


@dataclass(frozen=True)
class Column:
    key: str
    sql: str  # expression over table alias c
    sort_sql: Optional[str] = None  # what ORDER BY uses, when not ``sql``


COLUMNS: tuple[Column, ...] = (
    Column("code", "c.code"),
    Column("name", "c.name", "c.sort_name"),
    Column("kind", "c.kind"),
    Column("contact_person", "c.contact_person"),
    Column("title", "c.title"),
    Column("mobile", "c.mobile"),
    Column("phone", "c.phone"),
    Column("email", "c.email"),
    Column("wechat", "c.wechat"),
    Column("province", "c.province"),
    Column("city", "c.city"),
    Column("district", "c.district"),
    Column("address", "c.address"),
    Column("industry", "c.industry"),
    Column("owner", "c.owner"),
    Column("tier", "c.tier"),
    Column("stage", "c.stage"),
    Column("relationship", "c.relationship"),
    Column("credit_rating", "c.credit_rating"),
    Column("source", "c.source"),
    Column("annual_revenue", "c.annual_revenue"),
    Column("tags", "c.tags"),
    Column("created_at", "c.created_at"),
    Column("updated_at", "c.updated_at"),
    Column("deleted_at", "c.deleted_at"),
)
BY_KEY = {c.key: c for c in COLUMNS}
DEFAULT_COLUMNS = ("code", "name", "contact_person", "mobile", "city", "tier", "stage", "owner")
FILTER_KEYS = ("tier", "stage", "relationship", "owner", "city", "tag")


@dataclass(frozen=True)
class ListQuery:
    search: str = ""
    filters: tuple[tuple[str, str], ...] = ()  # (key, value) for keys in FILTER_KEYS
    sort: str = "name"
    descending: bool = False
    deleted: bool = False  # the trash: only deleted customers

    def with_filter(self, key: str, value: Optional[str]) -> "ListQuery":
        rest = tuple((k, v) for k, v in self.filters if k != key)
        return replace(self, filters=rest + (((key, value),) if value else ()))

    def filter_value(self, key: str) -> Optional[str]:
        return next((v for k, v in self.filters if k == key), None)


_SHORT_SEARCH_COLUMNS = ("name", "name_initials", "sort_name", "code", "contact_person",
                         "mobile", "phone", "city")


def _search_condition(text: str) -> tuple[str, list]:
    term = halfwidth(text).strip().casefold()
    if not term:
        return "", []
    term = re.sub(r"\s+", " ", term)
    if len(term) >= 3:
        # A quoted FTS5 string: trigram matches it anywhere in the search text.
        quoted = '"' + term.replace('"', '""') + '"'
        return "c.id IN (SELECT rowid FROM customer_fts WHERE customer_fts MATCH ?)", [quoted]
    # One or two characters: indexed prefix ranges (trigram can't match them) in the
    # spellings a user means (c0 finds C000001, sh finds Shenzhen), plus the contacts'
    # names and mobiles; Chinese characters are also looked for anywhere in the name and
    # the contact person (a scan: 华 must find 北京华润).
    parts, params = [], []
    original = halfwidth(text).strip()
    for column in _SHORT_SEARCH_COLUMNS:
        spellings = {term} if column in ("name_initials", "sort_name") else \
            {term, original, term.upper(), term.capitalize()}
        for spelling in sorted(spellings):
            parts.append(f"(c.{column} >= ? AND c.{column} < ?)")
            params += [spelling, spelling + "\U0010ffff"]
    high = term + "\U0010ffff"
    parts.append("c.id IN (SELECT customer_id FROM contact WHERE deleted_at IS NULL AND "
                 "((name >= ? AND name < ?) OR (mobile >= ? AND mobile < ?)))")
    params += [term, high, term, high]
    if re.search(r"[\u3400-\u9fff]", term):
        parts.append("(instr(c.name, ?) > 0 OR instr(c.contact_person, ?) > 0)")
        params += [term, term]
    return "(" + " OR ".join(parts) + ")", params


def _where(query: ListQuery) -> tuple[str, list]:
    conditions = ["c.deleted_at IS NOT NULL" if query.deleted else "c.deleted_at IS NULL"]
    params: list = []
    for key, value in query.filters:
        if key == "tag":
            conditions.append("c.id IN (SELECT customer_id FROM customer_tag WHERE tag = ?)")
        elif key in FILTER_KEYS:
            conditions.append(f"c.{key} = ?")
        else:
            raise ValueError(f"unknown filter {key}")
        params.append(value)
    search_sql, search_params = _search_condition(query.search)
    if search_sql:
        conditions.append(search_sql)
        params += search_params
    return " AND ".join(conditions), params


def _order(query: ListQuery) -> str:
    column = BY_KEY.get(query.sort, BY_KEY["name"])
    direction = "DESC" if query.descending else "ASC"
    expression = column.sort_sql or column.sql
    if column.key == "name":
        return f"ORDER BY c.sort_name {direction}, c.id {direction}"
    return f"ORDER BY {expression} {direction}, c.sort_name {direction}, c.id {direction}"


def ids(query: ListQuery) -> array:
    """Every matching customer id, in list order, as a compact array."""
    where, params = _where(query)
    sql = f"SELECT c.id FROM customer c WHERE {where} {_order(query)}"
    result = array("q")
    cursor = database.execute_sql(sql, params)
    while True:
        chunk = cursor.fetchmany(20000)
        if not chunk:
            break
        result.extend(row[0] for row in chunk)
    return result


def first_ids(query: ListQuery, limit: int) -> list[int]:
    """The first ``limit`` ids: enough for the first screen, before ``ids`` finishes."""
    where, params = _where(query)
    sql = f"SELECT c.id FROM customer c WHERE {where} {_order(query)} LIMIT ?"
    return [row[0] for row in database.execute_sql(sql, params + [limit])]


def count(query: ListQuery) -> int:
    if not query.search and not query.filters and not query.deleted:
        from crmdesk.core.services.customers import count as live_count
        return live_count()
    where, params = _where(query)
    return database.execute_sql(f"SELECT count(*) FROM customer c WHERE {where}", params).fetchone()[0]


def rows(customer_ids: Sequence[int], columns: Sequence[str]) -> dict[int, tuple]:
    """Values of ``columns`` for these ids: {id: (value, ...)}."""
    if not customer_ids:
        return {}
    expressions = ", ".join(BY_KEY[key].sql for key in columns)
    marks = ",".join("?" * len(customer_ids))
    sql = f"SELECT c.id, {expressions} FROM customer c WHERE c.id IN ({marks})"
    return {row[0]: row[1:] for row in database.execute_sql(sql, list(customer_ids))}


def distinct_values(key: str, limit: int = 500) -> list[str]:
    """The values a filter offers: owners, cities, tags in use (most common first)."""
    if key == "tag":
        sql = ("SELECT tag, count(*) n FROM customer_tag t JOIN customer c ON c.id = t.customer_id "
               "WHERE c.deleted_at IS NULL GROUP BY tag ORDER BY n DESC, tag LIMIT ?")
    elif key in ("owner", "city"):
        sql = (f"SELECT {key}, count(*) n FROM customer c WHERE c.deleted_at IS NULL AND {key} != '' "
               f"GROUP BY {key} ORDER BY n DESC, {key} LIMIT ?")
    else:
        return [choice.key for choice in F.BY_KEY[key].choices]
    return [row[0] for row in database.execute_sql(sql, [limit])]
