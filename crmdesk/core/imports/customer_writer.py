"""Matching import rows to customers and writing them, a chunk at a time.

A chunk's match keys are looked up in one query; rows this import already wrote or is
about to write are found in memory first, so a later row of the same file updates the
earlier one instead of creating a duplicate. New customers go in with one multi-row
INSERT per chunk; updates touch only the columns the sheet has and never blank a value.
"""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Optional

from crmdesk.core.changes import CREATED
from crmdesk.core.errors import FieldError
from peewee import CharField, DateTimeField, IntegerField, TextField

from crmdesk.core import custom_fields
from crmdesk.core.search import index as search_index
from crmdesk.core.custom_fields import values as custom_values
from crmdesk.core.bulk_write import BackgroundWrites
from crmdesk.core.models import Batch, Customer, database, utcnow
from crmdesk.core.search import customer_text
from crmdesk.core.customers import archive as customers
from crmdesk.core import history
from crmdesk.core.imports.options import ImportOptions, ImportResult
from crmdesk.core.imports.rows import SheetRow, names_differ

# ``seen`` maps a match key, as one string (``_key``), to its target: a customer id, or
# ``-(i + 1)`` for the i-th customer waiting to be created. Ints and strings, not tuples:
# for a 100,000-row file it holds half a million keys, and tuples took 45 MB more.
_SEP = "\x1f"


def _key(key: tuple[str, str]) -> str:
    return key[0] + _SEP + key[1]


def _pending(index: int) -> int:
    return -(index + 1)


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == ()


def _numbers(clean: dict) -> list[str]:
    found = []
    for key in ("mobile", "phone"):
        value = clean.get(key)
        if value:
            found.append(value.number)
    return found


# One INSERT over every column, many rows at a time (core/bulk_write.py): peewee's
# insert_many builds its SQL value by value, which took 5 of the 11 seconds of a
# 20,000-row import.
_FIELDS = [f for f in Customer._meta.sorted_fields if f.name != "id"]
_INSERT_HEAD = f'INSERT INTO "customer" (id, {", ".join(f.column_name for f in _FIELDS)}) VALUES'
_TAG_HEAD = 'INSERT INTO "customer_tag" ("customer_id", "tag") VALUES'
_DEFAULTS = {f.name: (f.default() if callable(f.default) else f.default) for f in _FIELDS
             if f.name not in ("uuid", "created_at", "updated_at")}


def _converter(f):
    """What a column's value needs before SQLite takes it: text and whole numbers nothing."""
    if isinstance(f, (CharField, TextField)) or type(f) is IntegerField:
        return None
    if isinstance(f, DateTimeField):
        return lambda v: v.isoformat(" ") if isinstance(v, dt.datetime) else v
    return f.db_value


_COLUMNS = [(f.name, _DEFAULTS.get(f.name), _converter(f)) for f in _FIELDS]


def _db_row(record: dict) -> tuple:
    get = record.get
    return tuple(
        (value if (value := get(name, default)) is None or convert is None else convert(value))
        for name, default, convert in _COLUMNS)


def _other_code(code: Optional[str], theirs: Optional[str]) -> bool:
    return bool(code and theirs and code != theirs)


def match_keys(clean: dict, wanted: tuple[str, ...]) -> list[tuple[str, str]]:
    """The row's keys, in the order they are tried."""
    keys: list[tuple[str, str]] = []
    name = clean.get("name") or ""
    for kind in wanted:
        if kind == "code" and clean.get("code"):
            keys.append(("code", clean["code"]))
        elif kind == "phone":
            keys += [("phone", n) for n in _numbers(clean)]
        elif kind == "email" and clean.get("email"):
            keys.append(("email", clean["email"]))
        elif kind == "name" and name:
            keys.append(("name", name))
        elif kind == "name-phone" and name:
            keys += [("name-phone", f"{name}\x00{n}") for n in _numbers(clean)]
    return keys


class Writer:
    def __init__(self, batch: Batch, options: ImportOptions, result: ImportResult, writes: BackgroundWrites,
                 reader=None):
        """``writes`` runs the INSERTs; ``reader`` (``db.snapshot_reader``) answers the
        look-ups of existing customers: what this import wrote is in ``seen``."""
        self.batch, self.options, self.result, self.writes = batch, options, result, writes
        self._read = reader.execute if reader is not None else database.execute_sql
        self.keys = options.match_keys
        self.seen: dict[str, int] = {}  # key -> customer id, or a pending customer (< 0)
        self.buffer: list[SheetRow] = []
        self.pending: list[dict] = []  # clean values of customers to create
        self.new_keys: list[str] = []  # keys in ``seen`` that point at pending rows
        self.target_codes: dict[int, str] = {}  # the customer number of a target
        self.created_here: set[int] = set()
        self.names_of: dict[int, str] = {}  # the names of existing customers found
        self._codes = customers.NextCodes(self.writes.wait, lambda code: _key(("code", code)) in self.seen)
        self._next_id: Optional[int] = None

    def add(self, row: SheetRow) -> None:
        self.buffer.append(row)

    # ------------------------------------------------------------ matching

    def _lookup(self, rows: list[SheetRow]) -> tuple[dict, set[str], dict[int, str]]:
        """Existing live customers for the rows' keys, and every code in use (live or in
        the trash) among the rows' codes."""
        wanted: dict[str, set[str]] = {"code": set(), "phone": set(), "email": set(), "name": set()}
        codes: set[str] = set()
        for row in rows:
            clean = row.clean
            if clean.get("code"):
                codes.add(clean["code"])
            for kind, value in match_keys(clean, self.keys):
                if kind == "name-phone":
                    wanted["name"].add(value.split("\x00")[0])
                else:
                    wanted[kind].add(value)
        found: dict[tuple[str, str], int] = {}
        codes_of: dict[int, str] = {}
        clauses, params = [], []
        for kind, columns in (("code", ("code",)), ("phone", ("mobile", "phone")),
                              ("email", ("email",)), ("name", ("name",))):
            values = sorted(wanted[kind])
            if values:
                marks = ",".join("?" * len(values))
                for column in columns:
                    clauses.append(f"{column} IN ({marks})")
                    params += values
        if clauses:
            sql = ("SELECT id, code, mobile, phone, email, name FROM customer WHERE deleted_at IS NULL "
                   f"AND ({' OR '.join(clauses)}) ORDER BY id")
            for cid, code, mobile, phone, email, name in self._read(sql, params):
                codes_of[cid] = code
                self.names_of[cid] = name
                for key in (("code", code), ("phone", mobile), ("phone", phone), ("email", email),
                            ("name", name), ("name-phone", f"{name}\x00{mobile}"),
                            ("name-phone", f"{name}\x00{phone}")):
                    if key[1] and key[1] != f"{name}\x00":
                        found.setdefault(key, cid)
        taken: set[str] = set()
        if codes:
            marks = ",".join("?" * len(codes))
            taken = {r[0] for r in self._read(
                f"SELECT code FROM customer WHERE code IN ({marks})", sorted(codes))}
        return found, taken, codes_of

    def flush(self) -> None:
        if not self.buffer:
            return
        rows, self.buffer = self.buffer, []
        found, taken, codes_of = self._lookup(rows)
        updates: dict[int, list[SheetRow]] = {}
        for row in rows:
            keys = match_keys(row.clean, self.keys)
            code = row.clean.get("code")
            # Two different customer numbers are two customers, whatever else they share.
            seen_keys = [_key(k) for k in keys]
            target = next((self.seen[k] for k in seen_keys if k in self.seen
                           and not _other_code(code, self.target_codes.get(self.seen[k]))), None)
            if target is None:
                cid = next((found[k] for k in keys if k in found
                            and not _other_code(code, codes_of.get(found[k]))), None)
                target = cid
                if cid is not None and code and found.get(("code", code)) == cid \
                        and names_differ(self.names_of.get(cid), row.clean.get("name")):
                    self._reject(row, FieldError("import_name_mismatch", "name", code=code,
                                                 existing=self.names_of[cid], given=row.clean.get("name")))
                    continue
            if self.options.on_duplicate == "new" and target is not None and target > 0 \
                    and target not in self.created_here:
                target = None  # a new customer even though one matches
            if target is None:
                if not row.clean.get("name"):  # a sheet that only updates: this number is no customer yet
                    self._reject(row, FieldError("import_name_for_new", "name", code=code))
                    continue
                if code and (code in taken or _key(("code", code)) in self.seen):
                    self._reject(row, FieldError("code_taken", "code", code=code))
                    continue
                self.pending.append(dict(row.clean))
                target = _pending(len(self.pending) - 1)
            elif target < 0:
                self._merge(self.pending[-target - 1], row.clean)
                self.result.updated += 1
            elif self.options.on_duplicate == "skip" and target not in self.created_here:
                self.result.skipped += 1
            else:
                updates.setdefault(target, []).append(row)
            if code:
                self.target_codes.setdefault(target, code)
            elif target > 0 and target in codes_of:
                self.target_codes.setdefault(target, codes_of[target])
            for key in seen_keys + ([_key(("code", code))] if code else []):
                if key not in self.seen:
                    self.seen[key] = target
                    if target < 0:
                        self.new_keys.append(key)
        self._insert_pending()
        self._apply_updates(updates)

    def _reject(self, row: SheetRow, error: FieldError) -> None:
        row.errors = {error.key: error}
        row.clean = None
        self.result.rejected += 1
        self.result.rejected_rows.append(row)

    @staticmethod
    def _merge(into: dict, clean: dict) -> None:
        for key, value in clean.items():
            if not _blank(value):
                into[key] = value

    # ------------------------------------------------------------ writing

    def _code(self) -> str:
        """The next free C000001-style number: above every such number in the database
        (``next_code``) and not one a row of this import brought (``seen`` holds each)."""
        return self._codes()

    def _insert_pending(self) -> None:
        """Give the pending customers their ids and queue their rows: the customer, its
        full-text entries (the insert triggers are off, see ``customer_import.run``), tags
        and change-log entry. The ids are taken here, above the highest in the table, as
        SQLite would (this transaction holds the write lock), so that matching the next
        rows goes on while these are written."""
        if not self.pending:
            return
        if self._next_id is None:
            self._next_id = (database.execute_sql("SELECT max(id) FROM customer").fetchone()[0] or 0) + 1
        now = utcnow()
        rows, texts, tag_rows, entries, ids, own = [], [], [], [], [], []
        for clean in self.pending:
            cid = self._next_id
            self._next_id += 1
            columns, extras, tags = customers.to_columns(clean)
            if not columns.get("code"):
                columns["code"] = self._code()
                self.seen[_key(("code", columns["code"]))] = cid
            if extras:
                columns["notes"] = customers.append_notes(columns.get("notes", ""), extras)
            custom = {k: v for k, v in clean.items() if k.startswith(custom_fields.PREFIX) and v is not None}
            columns.update(customer_text.derived_columns(columns, (), custom_fields.search_parts(custom)))
            record_uuid = str(uuid.uuid4())
            columns.update(uuid=record_uuid, updated_at=now)
            columns.setdefault("created_at", now)
            rows.append((cid, *_db_row(columns)))
            texts.append((cid, columns["search_text"]))
            entries.append(history.Entry(customers.ENTITY, cid, record_uuid, cid, CREATED, "", None, columns["name"]))
            if tags:
                tag_rows += [(cid, tag) for tag in tags]
            if custom:
                own += custom_values.insert_rows(cid, record_uuid, custom, now)
            ids.append(cid)
        self.writes.insert(_INSERT_HEAD, rows)
        for index in search_index.INDEXES:
            self.writes.insert(search_index.insert_head(index), texts)
        self.writes.insert(_TAG_HEAD, tag_rows)
        self.writes.insert(custom_values.INSERT_HEAD, own)
        self.writes.insert(history.INSERT_HEAD, history.log_rows(entries, self.batch))
        self.created_here.update(ids)
        self.result.created_ids += ids
        self.result.created += len(rows)
        # Point the rows' keys at the ids the new customers got.
        for key in self.new_keys:
            target = self.seen[key]
            if target < 0:
                self.seen[key] = ids[-target - 1]
                if target in self.target_codes:
                    self.target_codes[self.seen[key]] = self.target_codes[target]
        self.new_keys = []
        for target in [t for t in self.target_codes if t < 0]:
            del self.target_codes[target]
        self.pending = []

    def _apply_updates(self, updates: dict[int, list[SheetRow]]) -> None:
        if not updates:
            return
        self.writes.wait()  # a customer an earlier chunk created is in the table
        loaded = {c.id: c for c in Customer.select().where(Customer.id.in_(list(updates)))}
        for cid, rows in updates.items():
            customer = loaded.get(cid)
            if customer is None:
                continue
            clean: dict = {}
            for row in rows:
                self._merge(clean, row.clean)
            code = clean.get("code")
            if code and code != customer.code and customers.code_taken(code, cid):
                for row in rows:
                    self._reject(row, FieldError("code_taken", "code", code=code))
                continue
            changed = customers.apply(customer, clean, self.batch)
            if changed:
                self.result.updated += len(rows)
                if cid not in self.created_here:
                    self.result.updated_ids.append(cid)
            else:
                self.result.skipped += len(rows)
