"""Demo data: realistic Chinese customers, contacts, three years of transactions and of
visits, and the next three weeks' visit plans, for an empty database, generated in bulk
(DESIGN §5).

``generate(customers, seed)`` is deterministic: the same seed and count give the same
rows, uuids and timestamps included (only the ``batch`` row that records the job carries
the real time and user). Everything is drawn from one ``random.Random(seed)`` in a fixed
order, with ``random()`` and ``getrandbits()`` only, whose sequences Python keeps stable.

Speed: rows are generated and inserted in chunks of ``CHUNK`` customers with
``executemany`` on the raw connection, inside one transaction, so a million customers
take minutes and little memory. Names are composed from parts whose pinyin is cached per
part (``pypinyin`` is the slow step); the parts are chosen so that the pinyin of the whole
name is the pinyin of its parts put together, which the tests check against
``search_keys.pinyin_keys``.
"""
from __future__ import annotations

import contextlib
import datetime as dt

from dataclasses import dataclass
from typing import Optional

from crmdesk.core.search import index as search_index
from crmdesk.core.db import transaction
from crmdesk.core.errors import CrmError
from crmdesk.core.models import database
from crmdesk.core.progress import Progress, report
from crmdesk.core.safety.crashpoints import crash_point
from crmdesk.core import history
from crmdesk.core.demo.generator import Generator
from crmdesk.core.demo.reps import rep_count
from crmdesk.core.demo.visits import VISIT_COLUMNS
from crmdesk.core.demo.vocabulary import (
    CHUNK,
    DEFAULT_SEED,
    MAX_CUSTOMERS,
)

# How the bulk insert is done; benchmarks/bench_demo.py --compare measures the choices.
# The full-text index: the insert trigger is dropped while the job runs and each chunk of
# customers is indexed by one INSERT ... SELECT (as fast as a 'rebuild' at the end, and
# it reports progress and can be cancelled). Row by row through the trigger, the
# full-text part of the job takes several times longer.
FTS_PER_CHUNK = True
# The secondary indexes of the tables filled are dropped, and created after the inserts:
# building an index from sorted rows beats inserting random uuids into it row by row.
DEFER_INDEXES = True
# Kept while inserting: a visit row that names its successor before that row is in leaves a
# deferred foreign-key violation, and while one is open SQLite looks up, for every visit
# inserted, the visits naming it: without this index, a scan of the table each time.
# The same holds for the sales naming a visit (none in the demo, but SQLite still looks).
KEEP_INDEXES = frozenset({"visit_next_visit_id", "sale_visit_id"})
# Checkpoint and truncate the write-ahead log, which holds the whole job, afterwards.
CHECKPOINT = True



@dataclass(frozen=True)
class DemoResult:
    customers: int
    contacts: int
    transactions: int
    batch_id: int
    tags: int = 0
    changes: int = 0
    visits: int = 0
    complaints: int = 0
    care_events: int = 0  # the complaints' follow-ups
    care: int = 0  # the care history (``demo.care``): greetings, follow-ups, surveys, gifts
    points: int = 0  # points ledger entries
    products: int = 0  # the product list (``core.sales.demo``)
    sales: int = 0  # every purchase as a sale, its lines under it
    opportunities: int = 0  # the pipeline: open, won and lost deals

    @property
    def rows(self) -> int:
        """Every row written (customers, contacts, transactions, tags, change log, visits)."""
        return self.customers + self.contacts + self.transactions + self.tags + self.changes + self.visits


# ---------------------------------------------------------------- writing

CUSTOMER_COLUMNS = (
    "id", "uuid", "created_at", "updated_at", "code", "name", "kind", "contact_person", "title",
    "mobile", "phone", "fax", "email", "wechat", "province", "city", "district", "address",
    "postal_code", "website", "industry", "ownership", "company_size", "annual_revenue",
    "fiscal_year_start", "source", "owner", "tier", "stage", "relationship", "credit_rating",
    "need_score", "volume_score", "purchasing_power_score", "credit_score", "decision_score",
    "gender", "birthday_year", "birthday_month", "birthday_day", "birthday_calendar", "hometown",
    "education", "hobbies", "preferences", "delivery_preference", "payment_terms", "bank_name",
    "bank_account", "tax_id", "tags", "notes", "sort_name", "name_initials", "search_text",
    "visit_every_days", "last_visit_at", "next_visit_at")
CONTACT_COLUMNS = (
    "id", "uuid", "created_at", "updated_at", "customer_id", "name", "title", "mobile", "phone",
    "email", "wechat", "birthday_year", "birthday_month", "birthday_day", "birthday_calendar",
    "is_decision_maker", "notes")
TRANSACTION_COLUMNS = (
    "id", "uuid", "created_at", "updated_at", "customer_id", "date", "product", "category",
    "quantity", "amount", "paid", "notes", "batch_id")
TAG_COLUMNS = ("id", "customer_id", "tag")
CHANGE_COLUMNS = ("id", "at", "actor", "entity", "record_id", "record_uuid", "customer_id",
                  "action", "field", "old", "new", "batch_id")
TABLES = (("customer", CUSTOMER_COLUMNS), ("contact", CONTACT_COLUMNS),
          ("transactions", TRANSACTION_COLUMNS), ("customer_tag", TAG_COLUMNS),
          ("change_log", CHANGE_COLUMNS), ("visit", VISIT_COLUMNS))


def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    names = ", ".join(f'"{c}"' for c in columns)
    return f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))})'


def check_count(customers) -> None:
    if isinstance(customers, bool) or not isinstance(customers, int):
        raise CrmError("number_out_of_range", low=1, high=MAX_CUSTOMERS)
    if customers > MAX_CUSTOMERS:
        raise CrmError("demo_too_many", max=MAX_CUSTOMERS)
    if customers < 1:
        raise CrmError("number_out_of_range", low=1, high=MAX_CUSTOMERS)


def _schema_objects(kind: str, tables: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """(name, exact SQL, table) of the indexes or triggers on ``tables`` that have SQL (not
    the automatic indexes behind PRIMARY KEY and UNIQUE constraints)."""
    marks = ", ".join("?" * len(tables))
    return database.execute_sql(
        f"SELECT name, sql, tbl_name FROM sqlite_master WHERE type = ? AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks}) ORDER BY name", [kind, *tables]).fetchall()


def generate(customers: int, seed: int = DEFAULT_SEED, progress: Optional[Progress] = None,
             visits: bool = True) -> DemoResult:
    """Fill an empty database with ``customers`` sample customers, their contacts and
    transactions, and (``visits``) their visits, in one transaction. About one sales rep
    per 150 customers owns them (``demo.reps``). ``progress`` may raise ``Cancelled``: then
    nothing is kept. Without visits the customers are the same but for their visit columns
    (a million customers' visits are some twelve million rows, 13 GB)."""
    check_count(customers)
    from crmdesk.core.sales import demo as demo_sales
    counts = dict.fromkeys((table for table, _columns in TABLES + demo_sales.TABLES), 0)
    # Progress counts customers, then building the indexes, which takes about 0.2 (100k)
    # to 0.4 (1M) of the time the customers take.
    finishing = max(1, customers * 3 // 10) if DEFER_INDEXES else 0
    total = customers + finishing
    with transaction():
        if database.execute_sql("SELECT EXISTS (SELECT 1 FROM customer)").fetchone()[0]:
            raise CrmError("demo_not_empty")
        report(progress, 0, total, "")
        batch = history.new_batch("demo", f"seed={seed} customers={customers}")
        # A visit names its successor (next_visit_id) before that row is in: the
        # foreign keys are checked at commit. (Off again when the transaction ends.)
        database.execute_sql("PRAGMA defer_foreign_keys = ON")
        first_ids = {table: (database.execute_sql(f'SELECT max(id) FROM "{table}"').fetchone()[0] or 0) + 1
                     for table, _columns in TABLES}
        generator = Generator(seed, batch.id, first_ids, rep_count(customers), visits)
        sales = demo_sales.SalesMaker(seed, batch.id)  # the products; then each chunk's sales and deals
        # Dropped here and created again below with their own SQL, in this transaction:
        # the schema is the same afterwards, and after a rollback.
        indexes = [i for i in _schema_objects("index", tuple(counts)) if i[0] not in KEEP_INDEXES] \
            if DEFER_INDEXES else []
        for name, _sql, _table in indexes:
            database.execute_sql(f'DROP INDEX "{name}"')
        connection = database.connection()
        statements = [(_insert_sql(table, columns + (demo_sales.LINE_EXTRA if table == "transactions" else ())), table)
                      for table, columns in TABLES]
        more_statements = {table: _insert_sql(table, columns) for table, columns in demo_sales.TABLES}
        done = 0
        with search_index.caller_indexes() if FTS_PER_CHUNK else contextlib.nullcontext():
            while done < customers:
                size = min(CHUNK, customers - done)
                for number in range(done + 1, done + size + 1):
                    generator.customer(number)
                taken = list(generator.take())
                taken[2], deal_changes, more = sales.chunk(taken[0], CUSTOMER_COLUMNS, taken[2], generator.next_id)
                taken[4] += deal_changes
                # The deals and sales after their customers and before the lines that name
                # them: a row naming one not yet in would make SQLite look for it row by row.
                writes = [*zip(statements[:2], taken[:2]),
                          *(((more_statements[table], table), rows) for table, rows in more.items()),
                          *zip(statements[2:], taken[2:])]
                for (sql, table), rows in writes:
                    if rows:
                        connection.executemany(sql, rows)
                        counts[table] += len(rows)
                if FTS_PER_CHUNK:
                    low = first_ids["customer"] + done
                    search_index.add_range(low, low + size)
                done += size
                crash_point("mid-chunk")  # a test hook (core/safety/crashpoints.py)
                report(progress, done, total, "")
        complaint_count, care_count = _complaints(seed, batch.id)
        counts["change_log"] += complaint_count  # each complaint's "created" in the customer's timeline
        # Each index weighs as many rows as its table holds.
        weights = [counts[table] for _name, _sql, table in indexes]
        built = 0
        for (_name, sql, _table), weight in zip(indexes, weights):
            database.execute_sql(sql)
            built += weight
            report(progress, customers + finishing * built // max(1, sum(weights)), total, "")
        sold = sales.finish()  # visits linked to the deals they served
        from crmdesk.core.demo import care as demo_care
        care_count_history, points_count, care_changes = demo_care.generate(seed, batch.id)  # reads the contacts by their index
        counts["change_log"] += care_changes  # done and skipped care in the customers' timelines
        # why the lost customers left, as a sales team records it: most known, some not
        database.execute_sql("UPDATE customer SET churn_cause = CASE id % 8 WHEN 0 THEN 'product' WHEN 1 THEN "
                             "'service' WHEN 2 THEN 'competitor' WHEN 3 THEN 'competitor' WHEN 4 THEN 'staff' "
                             "WHEN 5 THEN 'customer' WHEN 6 THEN 'image' ELSE NULL END WHERE stage = 'lost'")
    if CHECKPOINT:
        # Copy the log into the database now and give the disk space back, rather than
        # at the next save (a long pause in the middle of someone's work).
        database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return DemoResult(customers, counts["contact"], counts["transactions"], batch.id,
                      counts["customer_tag"], counts["change_log"], counts["visit"], complaint_count, care_count,
                      care_count_history, points_count, sold.products, sold.sales, sold.opportunities)


def _complaints(seed: int, batch_id: int) -> tuple[int, int]:
    """Every customer's complaints (``demo.complaints``), read back from the customers just
    written; their follow-up care events; the customers' satisfaction. (complaints, care events)"""
    from crmdesk.core.complaints import aftercare
    from crmdesk.core.demo import complaints as C
    first = (database.execute_sql("SELECT max(id) FROM complaint").fetchone()[0] or 0) + 1
    maker = C.ComplaintMaker(seed, first, batch_id)
    connection = database.connection()
    statements = [_insert_sql(table, columns) for table, columns in (
        ("complaint", C.COMPLAINT_COLUMNS), ("complaint_contact", C.CONTACT_COLUMNS),
        ("care_event", C.CARE_COLUMNS), ("change_log", C.CHANGE_COLUMNS))]
    counts = [0, 0, 0, 0]
    cursor = database.execute_sql("SELECT id, owner, contact_person, mobile, tier, created_at FROM customer ORDER BY id")
    number = 0
    while True:
        rows = cursor.fetchmany(CHUNK)
        if not rows:
            break
        for cid, owner, person, mobile, tier, created in rows:
            number += 1
            maker.customer(number, cid, owner, person, mobile, tier, dt.date.fromisoformat(str(created)[:10]))
        for index, (sql, made) in enumerate(zip(statements, maker.take())):
            if made:
                connection.executemany(sql, made)
                counts[index] += len(made)
    aftercare.refresh_satisfaction()  # every customer with a surveyed complaint
    return counts[0], counts[2]

# The modules other packages may use: tests/test_architecture.py holds every import from
# outside this package to this list; the others are the package's own.
__all__ = ["vocabulary"]
