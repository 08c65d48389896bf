"""Transactions in from a sheet (``spec/customer-sheet.md`` § Transactions sheet).

Each row is linked to a customer by code, else by exact name; a customer the database
does not have yet is created from the row's code and name (a sales export lists the
buyers it sold to). One transaction per import, a batch that ``undo`` takes back.
"""
from __future__ import annotations

import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterable, Optional

from crmdesk.core import fields as F
from crmdesk.core.changes import CREATED
from crmdesk.core.db import transaction
from crmdesk.core.errors import CrmError, FieldError, ValidationError
from crmdesk.core.io import access
from crmdesk.core.io import headers as H
from crmdesk.core.io import normalize
from crmdesk.core.models import Transaction, database, utcnow
from crmdesk.core.progress import Progress, report
from crmdesk.core.safety.crashpoints import crash_point
from crmdesk.core.sales import products
from crmdesk.core.services import customers, history
from crmdesk.core.services import transactions as T
from crmdesk.core.services.imports import plan as P
from crmdesk.core.services.imports.customer_import import _RollBack, sheet_rows
from crmdesk.core.services.imports.options import TRANSACTION_MAX_ROWS as MAX_ROWS
from crmdesk.core.services.imports.options import ImportOptions, ImportResult
from crmdesk.core.services.imports.rows import (SheetRow, is_example_row, mark_example, names_differ,
                                                  number_of_another, oversized_cell, shape_error)

BATCH_KIND = "import_transactions"
INDEX = H.build_index({c.key: (c.zh, c.en, *c.synonyms) for c in F.TRANSACTION_COLUMNS})
CHUNK = 500


def _usable(layout: H.Layout) -> bool:
    targets = layout.targets
    if "date" not in targets or not targets & {"amount", "product", "quantity"}:
        raise CrmError("not_transaction_list", headers=", ".join(h for h in layout.headers if h)[:200])
    if not targets & {"customer_code", "customer_name"}:
        raise CrmError("no_customer_column")
    return True


def prepare(source, options: ImportOptions) -> P.Plan:
    """The plan for ``source``; an Access database's joined orders when no sheet is named."""
    if options.sheet is None and source.sales_sheet() is not None:
        options = replace(options, sheet=source.sales_sheet())
    return P.prepare(source, options, INDEX, _usable)


KEYS = tuple(c.key for c in F.TRANSACTION_COLUMNS)


def prepare_by_hand(source, options: ImportOptions) -> P.Plan:
    """The sheet and header row with the automatic mapping, whether or not it makes a
    list of transactions: for the user to map the columns themselves (the wizard, after
    ``prepare`` said ``not_transaction_list`` or ``no_customer_column``). Without a
    header row that looks like one, the first row with data holds the headers."""
    options.check()
    try:
        sheet, layout = P.choose(source, options.sheet, options.header_row, INDEX)
    except CrmError:
        sheet, layout = P.choose(source, options.sheet, options.header_row, INDEX, first_row_is_header=True)
    layout.mapping, layout.unmatched = H.auto_mapping(layout.headers, INDEX)
    return P.Plan(sheet, layout)


def apply_mapping(layout: H.Layout, mapping: dict[int, Optional[str]]) -> None:
    """The user's own mapping replaces the automatic one; raises ``CrmError`` when a target
    is unknown or taken twice, or when the mapping makes no list of transactions."""
    P.apply_index_mapping(layout, mapping, KEYS, _usable)


def check_row(row: SheetRow, plan: P.Plan, options: ImportOptions, csv: bool = False) -> SheetRow:
    """Check one row with the import's rules (the wizard's preview, and again after the
    user fixes a cell). A totals row under the data passes: the import skips it."""
    row.errors, row.clean = {}, None
    if not _is_totals_row(row, plan.layout):
        row.clean = _check(row, plan.layout, options, plan.width if csv else None)
    if mark_example(row):
        return row
    if row.clean is not None:
        problem = number_of_another(plan.names_by_code, row.clean["customer_code"], row.clean["customer_name"],
                                    "customer_name")
        if problem is not None:
            row.errors, row.clean = {problem.key: problem}, None
    return row


def _raw(row: SheetRow, layout: H.Layout) -> dict[str, Any]:
    return {key: (row.values[i] if i < len(row.values) else None) for i, key in layout.mapping.items()}


def _check(row: SheetRow, layout: H.Layout, options: ImportOptions, csv_width: Optional[int]) -> Optional[dict]:
    problem = (shape_error(row, csv_width) if csv_width else None) or oversized_cell(row)
    if problem is not None:
        row.errors = {"": problem}
        return None
    raw = _raw(row, layout)
    if "amount" not in layout.targets:
        raw["amount"] = 0  # the file has no amounts: the user is told once, not per row
    try:
        clean = T.validate(raw, options.date_order)
    except ValidationError as error:
        row.errors = dict(error.errors)
        return None
    code = normalize.code(raw.get("customer_code"))
    name = normalize.text(raw.get("customer_name"), collapse=True)
    if not code and not name:
        row.errors = {"customer_name": FieldError("required", "customer_name")}
        return None
    if len(name) > 200 or len(code) > 40:
        row.errors = {"customer_name": FieldError("too_long", "customer_name", max=200)}
        return None
    clean.update(customer_code=code, customer_name=name)
    return clean


def _is_totals_row(row: SheetRow, layout: H.Layout) -> bool:
    """A sum line under the data: no date and no customer, only numbers."""
    raw = _raw(row, layout)
    return all(normalize.is_blank(raw.get(k)) for k in ("date", "customer_code", "customer_name"))


class _Customers:
    """Customers by code and by name, created when missing."""

    def __init__(self, batch, result: ImportResult):
        self.batch, self.result = batch, result
        self.by_code: dict[str, int] = {}
        self.by_name: dict[str, int] = {}
        self.name_of: dict[int, str] = {}  # the names of the customers found by code

    def resolve(self, rows: list[dict]) -> None:
        codes = sorted({r["customer_code"] for r in rows if r["customer_code"]} - set(self.by_code))
        names = sorted({r["customer_name"] for r in rows if r["customer_name"]} - set(self.by_name))
        for column, values, into in (("code", codes, self.by_code), ("name", names, self.by_name)):
            for start in range(0, len(values), 500):
                chunk = values[start:start + 500]
                sql = (f"SELECT {column}, id, name FROM customer WHERE deleted_at IS NULL AND {column} IN "
                       f"({','.join('?' * len(chunk))}) ORDER BY id DESC")
                for key, cid, name in database.execute_sql(sql, chunk).fetchall():
                    into[key] = cid
                    self.name_of[cid] = name

    def id_for(self, row: dict) -> int:
        code, name = row["customer_code"], row["customer_name"]
        if code and code in self.by_code:
            cid = self.by_code[code]
            if names_differ(self.name_of.get(cid), name):  # the number of someone else
                raise FieldError("import_name_mismatch", "customer_name", code=code,
                                 existing=self.name_of[cid], given=name)
            return cid
        if not code and name in self.by_name:
            return self.by_name[name]
        if code and customers.code_taken(code):
            raise FieldError("code_taken", "customer_code", code=code)
        raw = {"name": name or code}
        if code:
            raw["code"] = code
        cid, _ = customers.create(raw, batch=self.batch)
        self.result.customers_created += 1
        self.result.created_customer_ids.append(cid)
        if code:
            self.by_code[code] = cid
        self.by_name.setdefault(name or code, cid)
        return cid


def run(rows: Iterable[SheetRow], plan: P.Plan, options: ImportOptions, *, csv: bool = False,
        description: str = "", total: Optional[int] = None,
        progress: Optional[Progress] = None) -> ImportResult:
    options.check()
    layout = plan.layout
    result = ImportResult(dry_run=options.dry_run)
    if "amount" not in layout.targets:
        result.warnings.append(CrmError("no_amount_column"))
    try:
        with transaction():
            batch = history.new_batch(BATCH_KIND, description)
            result.batch_id = batch.id
            people = _Customers(batch, result)
            done, pending = 0, []
            report(progress, 0, total or 0, "")
            for row in rows:
                done += 1
                if done > MAX_ROWS:
                    raise CrmError("too_many_rows", max=MAX_ROWS)
                if is_example_row(row.values):  # the template's example: never data
                    result.examples += 1
                    continue
                if _is_totals_row(row, layout):
                    result.skipped += 1
                    continue
                clean = _check(row, layout, options, plan.width if csv else None)
                if clean is None:
                    result.rejected += 1
                    result.rejected_rows.append(row)
                    continue
                pending.append((row, clean))
                if len(pending) >= CHUNK:
                    _write(pending, people, batch, result)
                    pending = []
                    report(progress, done, max(total or 0, done), "")
            _write(pending, people, batch, result)
            _sale_owners(batch.id)
            products.adopt_batch(batch.id)  # names not on the product list yet join it
            report(progress, done, max(total or 0, done), "")
            result.note_examples()
            if options.dry_run or (options.all_or_nothing and result.rejected) or result.only_example:
                raise _RollBack  # an untouched template leaves not even an empty batch behind
    except _RollBack:
        result.nothing_written = options.dry_run or not result.only_example
        result.batch_id = None
        if not options.dry_run:
            result.skipped += result.created
            result.created, result.created_ids = 0, []
            result.customers_created, result.created_customer_ids = 0, []
    return result


def _write(pending: list[tuple[SheetRow, dict]], people: _Customers, batch, result: ImportResult) -> None:
    if not pending:
        return
    people.resolve([clean for _, clean in pending])
    now = utcnow()
    stamp = str(now)  # peewee's text form of a datetime
    records, sales = [], []
    for row, clean in pending:
        try:
            cid = people.id_for(clean)
        except FieldError as error:
            row.errors = {error.key: error}
            result.rejected += 1
            result.rejected_rows.append(row)
            continue
        # one sale per row (every line has a sale): what the row says was paid goes to it
        sales.append((str(uuid.uuid4()), stamp, stamp, cid, clean["date"].isoformat(), "refund" if clean["amount"] < 0 else "sale",
                      _cents(clean["paid"]), clean["date"].isoformat() if clean["paid"] else None, batch.id))
        records.append(dict(uuid=str(uuid.uuid4()), created_at=now, updated_at=now, customer=cid,
                            date=clean["date"], product=clean["product"], category=clean["category"],
                            quantity=clean["quantity"], amount=clean["amount"], paid=clean["paid"],
                            notes=clean["notes"], batch=batch.id, line_no=1))
    if not records:
        return
    # the sales take the ids after the highest (the import holds the write lock): no look-up
    first = (database.execute_sql('SELECT COALESCE(max("id"), 0) FROM "sale"').fetchone()[0] or 0) + 1
    database.cursor().executemany(SALE_INSERT, [(first + n, *sale) for n, sale in enumerate(sales)])
    for n, record in enumerate(records):
        record["sale"] = first + n
    Transaction.insert_many(records).execute()
    crash_point("mid-chunk")  # a test hook (core/safety/crashpoints.py)
    ids = _ids_by_uuid("transactions", [r["uuid"] for r in records])
    history.write([history.Entry(T.ENTITY, ids[r["uuid"]], r["uuid"], r["customer"], CREATED, "",
                                 None, f'{r["date"]} {r["amount"]}') for r in records], batch)
    result.created += len(records)
    result.created_ids += [ids[r["uuid"]] for r in records]


# The sales of an import: the owner is the customer's (filled for the whole batch at the end).
SALE_INSERT = ('INSERT INTO "sale" ("id", "uuid", "created_at", "updated_at", "customer_id", "date", "kind", "owner", '
               '"paid", "paid_on", "notes", "batch_id", "version") VALUES (?, ?, ?, ?, ?, ?, ?, \'\', ?, ?, \'\', ?, 1)')


def _cents(value) -> Optional[int]:
    return None if value is None else Transaction.paid.db_value(value)


def _ids_by_uuid(table: str, uuids: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(uuids), 900):
        chunk = uuids[start:start + 900]
        found.update(database.execute_sql(f'SELECT uuid, id FROM "{table}" WHERE uuid IN ({",".join("?" * len(chunk))})',
                                          chunk).fetchall())
    return found


def _sale_owners(batch_id: int) -> None:
    database.execute_sql('UPDATE "sale" SET "owner" = COALESCE((SELECT c."owner" FROM "customer" c '
                         'WHERE c."id" = "sale"."customer_id"), \'\') WHERE "batch_id" = ?', (batch_id,))


def import_file(path: Path | str, options: ImportOptions, progress: Optional[Progress] = None,
                encoding: Optional[str] = None) -> tuple[ImportResult, P.Plan]:
    """The command line's import: open (refusing more rows than ``MAX_ROWS``, the sales
    lines' own limit), plan, import; the source is always closed."""
    from crmdesk.core.io.sheet_read import open_source
    with open_source(path, encoding=encoding, max_rows=MAX_ROWS) as source:
        if source.format == "access" and options.sheet is None:
            options = replace(options, sheet=access.default_table(source, True))
        plan = prepare(source, options)
        result = run(sheet_rows(source, plan), plan, options, csv=source.format == "csv",
                     description=Path(path).name, total=source.row_count_hint(plan.sheet), progress=progress)
        result.warnings.extend(source.warnings(plan.sheet))
    return result, plan
