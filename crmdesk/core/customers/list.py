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

from crmdesk.core.bulk_indexes import indexed_by
from crmdesk.core import custom_fields as CF
from crmdesk.core.customers import fields as F
from crmdesk.core.io.normalize import halfwidth
from crmdesk.core.models import database
from crmdesk.core.people import teams
from crmdesk.core.progress import Cancelled
from crmdesk.core.phones.rules import display as phone_display
from crmdesk.core.customers import archive as customers


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
    Column("country", "c.country"),
    Column("province", "c.province"),
    Column("city", "c.city"),
    Column("district", "c.district"),
    Column("address", "c.address"),
    Column("industry", "c.industry"),
    Column("owner", "c.owner"),
    Column("team", "c.team"),  # team use (issue 20): shown by default only when there are teams
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


def _column(key: str) -> Optional[Column]:
    """A column of the list: a built-in one, or a custom field's (``cf:…``; None once removed)."""
    found = BY_KEY.get(key)
    if found is None and CF.is_custom(key):
        field = CF.get(key)
        found = Column(key, CF.column_sql(field)) if field else None
    return found
DEFAULT_COLUMNS = ("code", "name", "contact_person", "mobile", "city", "tier", "stage", "owner")


def default_columns() -> list[str]:
    """The columns shown until the user chooses: the team's beside the owner when there are teams."""
    if not teams.has_teams():
        return list(DEFAULT_COLUMNS)
    keys = list(DEFAULT_COLUMNS)
    return keys[:keys.index("owner") + 1] + ["team"] + keys[keys.index("owner") + 1:]


DENSE_SHARE = 20  # a custom filter matching a twentieth of the customers or more is probed row by row
FILTER_KEYS = ("tier", "stage", "relationship", "owner", "team", "city", "tag")


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


# Search words made of these characters are checked in the row's own search text when the
# list is walked in order (a few microseconds a row, where a full-text probe costs 50-200).
# The answer is the full-text index's: the trigram tokenizer folds only A-Z, U+212A (Kelvin)
# and U+017F (long s) into these characters (SQLite 3.40, every code point tried), and
# ``search_keys.search_text`` writes the search text case-folded, without any of them, so a
# word of three such characters or more is in a row's trigrams exactly when it is in the
# row's text. Every Chinese character of the text also stands there on its own (search_keys;
# migration 0002 for older rows), which the one- and two-character check below relies on
# only to skip the probe, never to decide without it that a row does not match.
_TEXT_CHECKED = re.compile(r"[\x01-\x7f\u3400-\u9fff]+")


def _search_condition(word: str, walk: bool) -> tuple[str, list]:
    """The condition for one search word (no white space in it). ``walk``: for walking the
    list order, checking row by row; otherwise for finding every match at once."""
    term = word.casefold()
    if len(term) >= 3:
        # Trigram FTS5: the text anywhere in name, code, contacts, phones, city, pinyin
        # (codes, phones and cities are matched from three characters on).
        if walk and _TEXT_CHECKED.fullmatch(term):
            return "instr(c.search_text, ?) > 0", [term]
        return _fts("customer_fts", walk), [_fts_string(term)]
    if _CJK.search(term):
        # One or two Chinese characters (most surnames and given names): the word index
        # holds every character on its own, so this is a phrase look-up, not a scan.
        phrase = " ".join(term)
        if walk and all(_CJK.match(ch) for ch in term):
            # A row without every character can't match; one with the phrase between
            # spaces does (the tokenizer separates words at spaces); others ask the index.
            present = " AND ".join(["instr(c.search_text, ?) > 0"] * len(term))
            return (f"CASE WHEN {present} THEN CASE WHEN instr(' ' || c.search_text || ' ', ?) > 0 "
                    f"THEN 1 ELSE {_fts('customer_words', True)} END ELSE 0 END",
                    [*term, f" {phrase} ", _fts_string(phrase)])
        return _fts("customer_words", walk), [_fts_string(phrase)]
    if term.isascii():
        # One or two letters or digits: the pinyin or the initials of the name (b, bj).
        # Both lie in the range of names whose pinyin starts with the same character, which
        # the covering index walks in order. (A word-index prefix like 'c' or '1' matches
        # every code or mobile, and SQLite reads all of those before the first row.)
        return ("(c.sort_name >= ? AND c.sort_name < ? AND ((c.sort_name >= ? AND c.sort_name < ?) "
                "OR (c.name_initials >= ? AND c.name_initials < ?)))",
                [term[0], term[0] + _HIGH, term, term + _HIGH, term, term + _HIGH])
    return _fts("customer_words", walk), [_fts_string(term) + "*"]


def _uses_fts(word: str) -> bool:
    """Whether finding every match of this word at once asks a full-text index (and not
    the range of names that one or two letters search)."""
    term = word.casefold()
    return len(term) >= 3 or not term.isascii() or bool(_CJK.search(term))


def _where(query: ListQuery, walk: bool = False) -> tuple[str, list]:
    conditions = ["c.deleted_at IS NOT NULL" if query.deleted else "c.deleted_at IS NULL"]
    params: list = []
    for key, value in query.filters:
        if key == "tag":
            conditions.append("c.id IN (SELECT customer_id FROM customer_tag WHERE tag = ?)")
        elif key in FILTER_KEYS:
            conditions.append(f"c.{key} = ?")
        elif CF.is_custom(key) and (field := CF.get(key)) is not None:
            # walking the list order: probe each row when matches are common (the first
            # screen comes after a few rows), else take the few matches and sort them
            dense = walk and CF.matches(field, value) * DENSE_SHARE >= customers.count()
            sql, custom_params = CF.condition(field, value, probe=dense)
            conditions.append(sql)
            params += custom_params
            continue
        elif CF.is_custom(key):  # a field removed since the filter was chosen: nobody has it
            conditions.append("0")
            continue
        else:
            raise ValueError(f"unknown filter {key}")
        params.append(value)
    for word in halfwidth(query.search).split():  # every word must match: 华润 北京
        search_sql, search_params = _search_condition(word, walk)
        conditions.append(search_sql)
        params += search_params
    return " AND ".join(conditions), params


def _order(query: ListQuery, by_sorting: bool = False) -> str:
    """ORDER BY for the list. ``by_sorting`` puts a unary + before each term, which keeps
    SQLite from walking an index in that order: it then finds the matches first (through
    the search index) and sorts them."""
    column = _column(query.sort) or BY_KEY["name"]
    direction = "DESC" if query.descending else "ASC"
    plus = "+" if by_sorting else ""
    terms = ["c.sort_name", "c.id"] if column.key == "name" else [column.sort_sql or column.sql, "c.sort_name", "c.id"]
    return "ORDER BY " + ", ".join(f"{plus}{term} {direction}" for term in terms)


# A search has two good plans, and which is good depends on how many customers match. Few
# (up to ~20,000 at a million customers) -> find them through the search index and sort
# them (under 15 ms). More -> walk the list order checking each row's search text (~2 us a
# row), which reaches the first screen sooner the more rows match (~5 ms for 7% of a
# million). In between both take 20-30 ms. The first screen tries each within a time box,
# in that order, then sorts however long it takes. The answer is the same whichever plan
# gives it; only the time differs.
SORT_FIRST_SECONDS = 0.015
WALK_SECONDS = 0.06


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
    tail, tail_params = (" LIMIT ?", [limit]) if limit else ("", [])
    walk_where, walk_params = _where(query, walk=True)
    walk = f"SELECT c.id FROM customer c WHERE {walk_where} {_order(query)}{tail}"
    words = halfwidth(query.search).split()
    if not words:
        return _run(walk, walk_params + tail_params, None, stop)
    where, params = _where(query)
    # By name, the matches' sort keys come from the narrow (id, sort_name) index (when a
    # full-text index finds them; one or two letters find them in a range of names).
    by_id = query.sort == "name" and not query.deleted and any(_uses_fts(w) for w in words)
    hint = indexed_by("customer_live_id_sort") if by_id else ""
    sort = f"SELECT c.id FROM customer c {hint}WHERE {where} {_order(query, by_sorting=True)}{tail}"
    if limit:
        for sql, sql_params, seconds in ((sort, params, SORT_FIRST_SECONDS), (walk, walk_params, WALK_SECONDS)):
            rows = _run(sql, sql_params + tail_params, seconds)
            if rows is not None:
                return rows
    return _run(sort, params + tail_params, None, stop)


def ids(query: ListQuery, stop: Optional[Callable[[], bool]] = None) -> array:
    """Every matching customer id, in list order, as a compact array. ``stop()`` true
    (checked as SQLite works) ends it early with ``Cancelled``."""
    return array("q", (row[0] for row in _select_ids(query, None, stop)))


def first_ids(query: ListQuery, limit: int) -> list[int]:
    """The first ``limit`` ids: enough for the first screen, before ``ids`` finishes."""
    global _last_screen
    state = _data_state()
    found = _narrowed(query, limit, state)
    if found is None:
        found = [row[0] for row in _select_ids(query, limit)]
    _last_screen = _Screen(state, query, tuple(found), limit)
    return found


# ------------------------------------------------------------ narrowing while typing
# Typing on (bei -> beij -> beijing, 厦 -> 厦门) can only take matches away. The first
# screen of the word typed so far holds every match up to its last row, so the longer
# word's matches up to there are those of its rows that still match, a check of at most a
# screenful of rows; past that row the walk in list order goes on, as long as the longer
# word kept at least half of those rows (else it is rarer, and the plans above find it
# sooner). The data must not have changed in between: SQLite's data_version (other
# connections' commits) and this connection's total_changes say so.
CONTINUE_SECONDS = 0.02


@dataclass(frozen=True)
class _Screen:
    state: tuple
    query: ListQuery
    ids: tuple[int, ...]
    limit: int


_last_screen: Optional[_Screen] = None


def _data_state() -> tuple:
    connection = database.connection()
    version = connection.execute("PRAGMA data_version").fetchone()[0]
    return database.database, id(connection), version, connection.total_changes


def _checked_in_text(term: str) -> bool:
    """Whether the walk checks this (case-folded) word without a full-text probe."""
    if len(term) >= 3:
        return bool(_TEXT_CHECKED.fullmatch(term))
    if _CJK.search(term):
        return all(_CJK.match(ch) for ch in term)
    return term.isascii()


def _implies(new: str, old: str) -> bool:
    """Whether every row that search word ``new`` finds is one that ``old`` finds."""
    if new == old:
        return True
    if len(old) >= 3:
        return old in new  # text in the trigrams: the longer text's are the shorter's too
    if _CJK.search(old):
        return len(new) <= 2 and old in new and all(_CJK.match(ch) for ch in new)  # phrases
    return old.isascii() and len(new) <= 2 and new.isascii() and new.startswith(old)  # ranges


def _narrowed(query: ListQuery, limit: int, state: tuple) -> Optional[list[int]]:
    """The first ``limit`` ids of ``query`` from the last first screen, when ``query``
    only narrows that one's search; None when it doesn't or would take longer so."""
    last = _last_screen
    if last is None or last.state != state or replace(last.query, search="") != replace(query, search=""):
        return None
    old = [w.casefold() for w in halfwidth(last.query.search).split()]
    new = [w.casefold() for w in halfwidth(query.search).split()]
    if (not old or len(new) < len(old) or not all(_implies(n, o) for n, o in zip(new, old))
            or not all(_checked_in_text(w) for w in new)):
        return None
    where, params = _where(query, walk=True)
    kept: set[int] = set()
    if last.ids:
        marks = ",".join("?" * len(last.ids))
        rows = database.execute_sql(f"SELECT c.id FROM customer c WHERE c.id IN ({marks}) AND {where}",
                                    list(last.ids) + params)
        kept = {row[0] for row in rows}
    head = [i for i in last.ids if i in kept]
    if len(last.ids) < last.limit:  # that screen held every match
        return head[:limit]
    if len(head) >= limit:
        return head[:limit]
    if (_column(query.sort) or BY_KEY["name"]).key != "name" or 2 * len(head) < len(last.ids):
        return None
    # Past the last row of that screen, in list order (sort_name, id).
    after = database.execute_sql("SELECT sort_name FROM customer WHERE id = ?", [last.ids[-1]]).fetchone()
    if after is None:
        return None
    beyond = "<" if query.descending else ">"
    sql = (f"SELECT c.id FROM customer c WHERE {where} AND (c.sort_name, c.id) {beyond} (?, ?) "
           f"{_order(query)} LIMIT ?")
    rows = _run(sql, params + [after[0], last.ids[-1], limit - len(head)], CONTINUE_SECONDS)
    return None if rows is None else head + [row[0] for row in rows]


def count(query: ListQuery) -> int:
    if not query.search and not query.filters and not query.deleted:
        return customers.count()  # from indexes, where the query below scans the table
    where, params = _where(query)
    return database.execute_sql(f"SELECT count(*) FROM customer c WHERE {where}", params).fetchone()[0]


def rows(customer_ids: Sequence[int], columns: Sequence[str]) -> dict[int, tuple]:
    """Values of ``columns`` for these ids: {id: (value, ...)}."""
    if not customer_ids:
        return {}
    expressions = ", ".join(found.sql if (found := _column(key)) else "NULL" for key in columns)
    marks = ",".join("?" * len(customer_ids))
    sql = f"SELECT c.id, {expressions} FROM customer c WHERE c.id IN ({marks})"
    phones = [i for i, key in enumerate(columns) if key in ("mobile", "phone")]
    result = {}
    for row in database.execute_sql(sql, list(customer_ids)):
        values = row[1:]
        if phones:  # stored in E.164, shown as dialled
            values = tuple(phone_display(v) if i in phones else v for i, v in enumerate(values))
        result[row[0]] = values
    return result


def distinct_values(key: str, limit: int = 500) -> list[str]:
    """The values a filter offers: owners, cities, tags in use (most common first)."""
    if CF.is_custom(key):
        field = CF.get(key)
        return CF.distinct_values(field, limit) if field else []
    if key == "tag":
        # the deleted customers are few: leaving theirs out reads the tag index alone, where a
        # join looks every tagged customer up (3.6 s at a million customers, 0.1 s this way)
        sql = ("SELECT tag, count(*) n FROM customer_tag WHERE customer_id NOT IN "
               "(SELECT id FROM customer WHERE deleted_at IS NOT NULL) GROUP BY tag ORDER BY n DESC, tag LIMIT ?")
    elif key == "team":  # few, by name: a skip-scan of customer_live_team
        return teams.team_names()
    elif key in ("owner", "city"):
        sql = (f"SELECT {key}, count(*) n FROM customer c WHERE c.deleted_at IS NULL AND {key} != '' "
               f"GROUP BY {key} ORDER BY n DESC, {key} LIMIT ?")
    else:
        return [choice.key for choice in F.BY_KEY[key].choices]
    return [row[0] for row in database.execute_sql(sql, [limit])]
