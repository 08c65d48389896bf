"""The customer list as SQL: ids for the current search, filters and sort, then rows for
the ids that scroll into view (DESIGN §5). Search covers name, code, contact, phones,
city, pinyin and pinyin initials: a trigram FTS5 index for three characters and more, a
word FTS5 index for one or two Chinese characters, and the pinyin range of names for
one or two letters or digits."""
from __future__ import annotations

import re
import sqlite3
import time
from array import array
from dataclasses import dataclass, replace
from typing import Callable, Optional, Sequence

from crmdesk.core import fields as F
from crmdesk.core.io.normalize import halfwidth
from crmdesk.core.models import database
from crmdesk.core.progress import Cancelled
from crmdesk.core.services import customers


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


_CJK = re.compile(r"[\u3400-\u9fff]")
_HIGH = "\U0010ffff"


def _fts_string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _fts(table: str, probe: bool) -> str:
    """A full-text condition. ``probe`` asks it row by row (FTS5 seeks to the rowid), for
    walking the list order: ``IN (SELECT ...)`` would read every match before the first
    row, which is what sorting the matches wants."""
    if probe:
        return f"EXISTS (SELECT 1 FROM {table} f WHERE f.{table} MATCH ? AND f.rowid = c.id)"
    return f"c.id IN (SELECT rowid FROM {table} WHERE {table} MATCH ?)"


def _search_condition(word: str, probe: bool) -> tuple[str, list]:
    """The condition for one search word (no white space in it)."""
    term = word.casefold()
    if len(term) >= 3:
        # Trigram FTS5: the text anywhere in name, code, contacts, phones, city, pinyin
        # (codes, phones and cities are matched from three characters on).
        return _fts("customer_fts", probe), [_fts_string(term)]
    if _CJK.search(term):
        # One or two Chinese characters (most surnames and given names): the word index
        # holds every character on its own, so this is a phrase look-up, not a scan.
        return _fts("customer_words", probe), [_fts_string(" ".join(term))]
    if term.isascii():
        # One or two letters or digits: the pinyin or the initials of the name (b, bj).
        # Both lie in the range of names whose pinyin starts with the same character, which
        # the covering index walks in order. (A word-index prefix like 'c' or '1' matches
        # every code or mobile, and SQLite reads all of those before the first row.)
        return ("(c.sort_name >= ? AND c.sort_name < ? AND ((c.sort_name >= ? AND c.sort_name < ?) "
                "OR (c.name_initials >= ? AND c.name_initials < ?)))",
                [term[0], term[0] + _HIGH, term, term + _HIGH, term, term + _HIGH])
    return _fts("customer_words", probe), [_fts_string(term) + "*"]


def _where(query: ListQuery, probe: bool = False) -> tuple[str, list]:
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
    for word in halfwidth(query.search).split():  # every word must match: 华润 北京
        search_sql, search_params = _search_condition(word, probe)
        conditions.append(search_sql)
        params += search_params
    return " AND ".join(conditions), params


def _order(query: ListQuery, by_sorting: bool = False) -> str:
    """ORDER BY for the list. ``by_sorting`` puts a unary + before each term, which keeps
    SQLite from walking an index in that order: it then finds the matches first (through
    the search index) and sorts them."""
    column = BY_KEY.get(query.sort, BY_KEY["name"])
    direction = "DESC" if query.descending else "ASC"
    plus = "+" if by_sorting else ""
    terms = ["c.sort_name", "c.id"] if column.key == "name" else [column.sort_sql or column.sql, "c.sort_name", "c.id"]
    return "ORDER BY " + ", ".join(f"{plus}{term} {direction}" for term in terms)


# A search has two good plans, and which is good depends on how many customers match:
# up to ~100,000 -> find them through the search index and sort them (~60 ms at that
# size); more -> walk the list order and probe each row, stopping at the page. The first
# screen tries each within a time box, in that order, then sorts however long it takes.
# The answer is the same whichever plan gives it; only the time differs.
SORT_FIRST_SECONDS = 0.08
WALK_SECONDS = 0.15


def _run(sql: str, params: list, seconds: Optional[float], stop: Optional[Callable[[], bool]] = None):
    """Rows of ``sql``, or None when it ran past ``seconds``. ``stop()`` true ends it
    with ``Cancelled`` (a list query that a newer one replaced)."""
    if seconds is None and stop is None:
        return database.execute_sql(sql, params).fetchall()
    connection = database.connection()
    deadline = time.perf_counter() + seconds if seconds is not None else float("inf")
    connection.set_progress_handler(lambda: time.perf_counter() > deadline or bool(stop and stop()), 1000)
    try:
        return connection.execute(sql, params).fetchall()
    except sqlite3.OperationalError as error:
        if "interrupted" in str(error):
            if stop and stop():
                raise Cancelled() from None
            return None
        raise
    finally:
        connection.set_progress_handler(None, 0)


def _select_ids(query: ListQuery, limit: Optional[int], stop: Optional[Callable[[], bool]] = None) -> list:
    where, params = _where(query)
    tail, tail_params = (" LIMIT ?", [limit]) if limit else ("", [])
    walk = f"SELECT c.id FROM customer c WHERE {_where(query, probe=True)[0]} {_order(query)}{tail}"
    if not query.search:
        return _run(walk, params + tail_params, None, stop)
    # By name, the matches' sort keys come from the narrow (id, sort_name) index.
    hint = "INDEXED BY customer_live_id_sort " if query.sort == "name" and not query.deleted else ""
    sort = f"SELECT c.id FROM customer c {hint}WHERE {where} {_order(query, by_sorting=True)}{tail}"
    if limit:
        for sql, seconds in ((sort, SORT_FIRST_SECONDS), (walk, WALK_SECONDS)):
            rows = _run(sql, params + tail_params, seconds)
            if rows is not None:
                return rows
    return _run(sort, params + tail_params, None, stop)


def ids(query: ListQuery, stop: Optional[Callable[[], bool]] = None) -> array:
    """Every matching customer id, in list order, as a compact array. ``stop()`` true
    (checked as SQLite works) ends it early with ``Cancelled``."""
    return array("q", (row[0] for row in _select_ids(query, None, stop)))


def first_ids(query: ListQuery, limit: int) -> list[int]:
    """The first ``limit`` ids: enough for the first screen, before ``ids`` finishes."""
    return [row[0] for row in _select_ids(query, limit)]


def count(query: ListQuery) -> int:
    if not query.search and not query.filters and not query.deleted:
        return customers.count()  # from indexes, where the query below scans the table
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
