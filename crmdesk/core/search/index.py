"""The customer full-text indexes: ``customer_fts`` (FTS5 trigram, three characters and
more) and ``customer_words`` (FTS5 unicode61, one or two), both external-content indexes
over ``customer.search_text``, kept in step by triggers (migrations 0001 and 0002).

A bulk insert indexes its rows itself: row by row through the insert triggers, the
full-text part of a 100,000-customer import took 22 of its 29 seconds of SQLite time; the
same rows given to the indexes a chunk at a time right after the chunk's insert took 3.5
(benchmarks/bench_import.py). The update and delete triggers stay: an update of a row
this job inserted finds it indexed already."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator

from crmdesk.core.models import database

INDEXES = ("customer_fts", "customer_words")
INSERT_TRIGGERS = ("customer_fts_insert", "customer_words_insert")


@contextmanager
def caller_indexes() -> Iterator[None]:
    """Inside a transaction: the insert triggers are dropped, and every customer inserted
    meanwhile must be indexed (``insert_head``, ``add_range``) before anything updates or
    deletes it. The triggers are created again on the way out; a rollback restores them
    too, as DDL is part of the transaction."""
    marks = ", ".join("?" * len(INSERT_TRIGGERS))
    saved = database.execute_sql(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks}) ORDER BY name",
        list(INSERT_TRIGGERS)).fetchall()
    for name, _sql in saved:
        database.execute_sql(f'DROP TRIGGER "{name}"')
    try:
        yield
    finally:
        for _name, sql in saved:
            database.execute_sql(sql)


def insert_head(index: str) -> str:
    """The INSERT that indexes new customers, up to its VALUES: (id, search_text) rows."""
    return f"INSERT INTO {index}(rowid, search_text) VALUES"


def add_range(low: int, high: int) -> None:
    """Index the customers with ``low <= id < high``, read from the table."""
    for index in INDEXES:
        database.execute_sql(f"INSERT INTO {index}(rowid, search_text) SELECT id, search_text "
                             "FROM customer WHERE id >= ? AND id < ?", [low, high])


class Rebuild:
    """What ``rebuilt_afterwards`` yields: ``now(run)`` rebuilds the indexes earlier, through
    ``run`` (a writer thread's, say), once the customers' search text is written; a search
    text written after that (``stale()``) has them rebuilt on the way out once more."""

    def __init__(self) -> None:
        self.pending = True

    def now(self, run: Callable[[str], None]) -> None:
        for index in INDEXES:
            run(f"INSERT INTO {index}({index}) VALUES ('rebuild')")
        self.pending = False

    def stale(self) -> None:
        self.pending = True


@contextmanager
def rebuilt_afterwards() -> Iterator[Rebuild]:
    """Inside a transaction: no trigger keeps the full-text indexes in step meanwhile; on
    the way out both are rebuilt from the table in one pass (unless ``Rebuild.now`` did it
    already) and the triggers come back (a download inserts every customer, then writes
    each one's search text once its contacts are in: through the triggers, every customer
    was indexed twice)."""
    saved = database.execute_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'customer' "
        "AND (name LIKE 'customer_fts_%' OR name LIKE 'customer_words_%') ORDER BY name").fetchall()
    for name, _sql in saved:
        database.execute_sql(f'DROP TRIGGER "{name}"')
    rebuild = Rebuild()
    try:
        yield rebuild
    finally:
        if rebuild.pending:
            rebuild.now(database.execute_sql)
        for _name, sql in saved:
            database.execute_sql(sql)
