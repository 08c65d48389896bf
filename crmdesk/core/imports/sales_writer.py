"""Writing a sales import a chunk at a time: the buyers (found by number, else by exact
name, created when missing) and each row's sale, line and change-log entry.

Everything goes in as multi-row INSERTs on the bulk-write thread (``core/bulk_write.py``)
while this thread checks the next rows; the ids are taken here, above the highest in each
table, as SQLite would (the import holds the write lock), so nothing is read back. The
look-ups of existing customers go to the snapshot connection (the state before the
import); what this import created is in the maps. Measured in
``benchmarks/bench_sales_import.py`` and docs/performance.md."""
from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from typing import Optional

from crmdesk.core import clock
from crmdesk.core.search import index as search_index
from crmdesk.core.bulk_write import BackgroundWrites
from crmdesk.core.changes import CREATED
from crmdesk.core.errors import FieldError
from crmdesk.core.models import Customer, Transaction, database, utcnow
from crmdesk.core.search import customer_text
from crmdesk.core.customers import archive as customers
from crmdesk.core import history
from crmdesk.core.customers import transactions as T
from crmdesk.core.imports.options import ImportResult
from crmdesk.core.imports.rows import SheetRow, names_differ

LOOKUP = 500  # keys in one IN (...) look-up
TABLES = ("sale", "transactions", "change_log")  # what every row adds to
# ...and the leading columns of their indexes that its rows fill in key order
IN_ORDER = ("batch_id", "sale_id", "product_id", "opportunity_id", "visit_id", "due_on", "entity")

# Every column of a new customer, the model's defaults for those a sales row does not fill.
_FIELDS = [f for f in Customer._meta.sorted_fields if f.name != "id"]
_CUSTOMER_HEAD = f'INSERT INTO "customer" (id, {", ".join(f.column_name for f in _FIELDS)}) VALUES'
SALE_HEAD = ('INSERT INTO "sale" ("id", "uuid", "created_at", "updated_at", "customer_id", "date", "kind", "owner", '
             '"paid", "paid_on", "notes", "batch_id", "version") VALUES')
LINE_HEAD = ('INSERT INTO "transactions" ("id", "uuid", "created_at", "updated_at", "customer_id", "date", "product", '
             '"category", "quantity", "amount", "paid", "notes", "batch_id", "line_no", "sale_id") VALUES')


_VARIANT = {c: "89ab"[int(c, 16) & 3] for c in "0123456789abcdef"}


def uuid4s(count: int) -> list[str]:
    """``count`` random (version 4) uuids as text, from one read of the system's random
    source (2 million of them in a million-row import)."""
    h = os.urandom(16 * count).hex()
    return [f"{h[i:i + 8]}-{h[i + 8:i + 12]}-4{h[i + 13:i + 16]}-{_VARIANT[h[i + 16]]}{h[i + 17:i + 20]}-{h[i + 20:i + 32]}"
            for i in range(0, 32 * count, 32)]


def uuid4() -> str:
    return uuid4s(1)[0]


_to_cents = Transaction.amount.db_value


def cents(value: Optional[Decimal]) -> Optional[int]:
    """Money as the integer cents the table keeps (``MoneyField``), quickly for whole cents."""
    if value is None:
        return None
    hundred = value * 100
    whole = int(hundred)
    return whole if whole == hundred else _to_cents(value)


def _column_value(field, value):
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat(" ")  # peewee's text form of a datetime
    return field.db_value(value)


class Buyers:
    """Customers by number and by name, the missing ones created a chunk at a time."""

    def __init__(self, batch, result: ImportResult, writes: BackgroundWrites, reader=None):
        self.batch, self.result, self.writes = batch, result, writes
        self._read = reader.execute if reader is not None else database.execute_sql
        self.by_code: dict[str, int] = {}
        self.by_name: dict[str, int] = {}
        self.name_of: dict[int, str] = {}  # the names of the customers found by number
        self.owner_of: dict[int, str] = {}  # a sale's owner is its customer's
        self.taken: set[str] = set()  # numbers of customers in the trash
        self._same: set[tuple[int, str]] = set()  # (customer, name) pairs that name it: checked once
        self._pending: list[dict] = []
        self._next_id: Optional[int] = None
        self._codes = customers.NextCodes(self.writes.wait, lambda code: code in self.by_code or code in self.taken)
        self._memo = customers.NormalizeMemo()
        self._team = customers.team_default() if clock.clock is not None else ""

    def resolve(self, cleans: list[dict]) -> None:
        """Look up the chunk's numbers and names this import has not met yet."""
        codes = sorted({c["customer_code"] for c in cleans if c["customer_code"]} - self.by_code.keys())
        names = sorted({c["customer_name"] for c in cleans if c["customer_name"]} - self.by_name.keys())
        for column, values, into in (("code", codes, self.by_code), ("name", names, self.by_name)):
            for start in range(0, len(values), LOOKUP):
                chunk = values[start:start + LOOKUP]
                marks = ",".join("?" * len(chunk))
                sql = (f"SELECT {column}, id, name, owner FROM customer WHERE deleted_at IS NULL AND {column} IN "
                       f"({marks}) ORDER BY id DESC")
                for key, cid, name, owner in self._read(sql, chunk).fetchall():
                    into[key] = cid
                    self.name_of[cid] = name
                    self.owner_of[cid] = owner or ""
        missing = [c for c in codes if c not in self.by_code]
        for start in range(0, len(missing), LOOKUP):  # a number in the trash is taken
            chunk = missing[start:start + LOOKUP]
            self.taken.update(r[0] for r in self._read(
                f"SELECT code FROM customer WHERE code IN ({','.join('?' * len(chunk))})", chunk).fetchall())

    def id_for(self, row: dict) -> int:
        """The row's customer, created (pending until ``flush``) when missing; raises
        ``FieldError`` for the number of another customer or one in the trash."""
        code, name = row["customer_code"], row["customer_name"]
        if code and code in self.by_code:
            cid = self.by_code[code]
            if (cid, name) not in self._same:
                if names_differ(self.name_of.get(cid), name):  # the number of someone else
                    raise FieldError("import_name_mismatch", "customer_name", code=code,
                                     existing=self.name_of[cid], given=name)
                self._same.add((cid, name))
            return cid
        if not code and name in self.by_name:
            return self.by_name[name]
        if code and code in self.taken:
            raise FieldError("code_taken", "customer_code", code=code)
        cid = self._create(code, name or code)
        if code:
            self.by_code[code] = cid
        self.by_name.setdefault(name or code, cid)
        return cid

    def _create(self, code: str, name: str) -> int:
        """A new customer as ``customers.create`` makes it, waiting for ``flush``."""
        if self._next_id is None:
            self._next_id = (database.execute_sql("SELECT max(id) FROM customer").fetchone()[0] or 0) + 1
        cid = self._next_id
        self._next_id += 1
        raw = {"name": name, "code": code} if code else {"name": name}
        clean, _errors = customers.normalize_values(raw, "ymd", self._memo)  # checked already: none
        columns, extras, _tags = customers.to_columns(clean)
        if not columns.get("code"):
            columns["code"] = self._code()
            self.by_code[columns["code"]] = cid  # a later row may give this number
            self.name_of[cid] = columns["name"]
        if self._team:
            columns["team"] = self._team
        columns["notes"] = customers.append_notes(columns.get("notes", ""), extras)
        columns.update(customer_text.derived_columns(columns))
        columns["id"] = cid
        self._pending.append(columns)
        self.owner_of[cid] = ""
        return cid

    def _code(self) -> str:
        """The next free C000001-style number (``customers.next_code``): on a team's laptop
        from its leased block, which counts what is in the table; else above the highest
        in the table and not one this import brought."""
        if clock.clock is not None:
            self.flush()
            self.writes.wait()
            return customers.next_code()
        return self._codes()

    def flush(self) -> None:
        """Queue the pending customers: rows, full-text entries (the insert triggers are
        off, ``search_index.caller_indexes``) and change-log entries; before their sales."""
        if not self._pending:
            return
        now = utcnow()
        rows, texts, entries = [], [], []
        for columns in self._pending:
            data = Customer(**columns).__data__  # the model's defaults for the rest
            data.update(uuid=uuid4(), created_at=now, updated_at=now)
            rows.append((columns["id"], *(_column_value(f, data.get(f.name)) for f in _FIELDS)))
            texts.append((columns["id"], data["search_text"]))
            entries.append(history.Entry(customers.ENTITY, columns["id"], data["uuid"], columns["id"], CREATED,
                                         "", None, data["name"]))
            self.result.created_customer_ids.append(columns["id"])
        self.result.customers_created += len(rows)
        self.writes.insert(_CUSTOMER_HEAD, rows)
        for index in search_index.INDEXES:
            self.writes.insert(search_index.insert_head(index), texts)
        self.writes.insert(history.INSERT_HEAD, history.log_rows(entries, self.batch))
        self._pending = []


class Lines:
    """Each row's sale (every line has one) and line, and the line's change-log entry."""

    def __init__(self, batch, result: ImportResult, writes: BackgroundWrites):
        self.batch, self.result, self.writes = batch, result, writes
        self._next_sale = (database.execute_sql('SELECT max("id") FROM "sale"').fetchone()[0] or 0) + 1
        self._next_line = (database.execute_sql('SELECT max("id") FROM "transactions"').fetchone()[0] or 0) + 1

    def write(self, pending: list[tuple[SheetRow, dict]], buyers: Buyers) -> None:
        if not pending:
            return
        buyers.resolve([clean for _, clean in pending])
        stamp = utcnow().isoformat(" ")
        batch_id, owner_of = self.batch.id, buyers.owner_of
        sales, lines, logs = [], [], []
        who = history.actor()
        sale_id, line_id = self._next_sale, self._next_line
        uuids = iter(uuid4s(2 * len(pending)))
        for row, clean in pending:
            try:
                cid = buyers.id_for(clean)
            except FieldError as error:
                row.errors = {error.key: error}
                self.result.rejected += 1
                self.result.rejected_rows.append(row)
                continue
            day, amount, paid = clean["date"].isoformat(), clean["amount"], cents(clean["paid"])
            sales.append((sale_id, next(uuids), stamp, stamp, cid, day, "refund" if amount < 0 else "sale",
                          owner_of.get(cid, ""), paid, day if clean["paid"] else None, "", batch_id, 1))
            line_uuid = next(uuids)
            lines.append((line_id, line_uuid, stamp, stamp, cid, day, clean["product"], clean["category"],
                          clean["quantity"], cents(amount), paid, clean["notes"], batch_id, 1, sale_id))
            logs.append((stamp, who, T.ENTITY, line_id, line_uuid, cid, CREATED, "", None, f"{day} {amount}", batch_id))
            sale_id += 1
            line_id += 1
        buyers.flush()  # the customers before the sales that point at them
        self.writes.insert(SALE_HEAD, sales)
        self.writes.insert(LINE_HEAD, lines)
        self.writes.insert(history.INSERT_HEAD, logs)
        self.result.created_ids += range(self._next_line, line_id)
        self.result.created += len(lines)
        self._next_sale, self._next_line = sale_id, line_id
