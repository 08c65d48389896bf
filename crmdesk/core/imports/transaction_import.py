"""Transactions in from a sheet (``spec/customer-sheet.md`` § Transactions sheet).

Each row is linked to a customer by code, else by exact name; a customer the database
does not have yet is created from the row's code and name (a sales export lists the
buyers it sold to). One transaction per import, a batch that ``undo`` takes back.
"""
from __future__ import annotations

import operator
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

from crmdesk.core.customers import fields as F
from crmdesk.core import bulk_indexes
from crmdesk.core.search import index as search_index
from crmdesk.core.bulk_write import BackgroundWrites
from crmdesk.core.db import snapshot_reader, transaction
from crmdesk.core.errors import CrmError, FieldError, ValidationError
from crmdesk.core.io import access
from crmdesk.core.io import headers as H
from crmdesk.core.io import normalize
from crmdesk.core.models import database
from crmdesk.core.progress import Progress, report
from crmdesk.core.sales import products
from crmdesk.core import history
from crmdesk.core.customers import transactions as T
from crmdesk.core.imports import plan as P
from crmdesk.core.imports import sales_writer as W
from crmdesk.core.imports.customer_import import RollBack, sheet_rows
from crmdesk.core.imports.options import TRANSACTION_MAX_ROWS as MAX_ROWS
from crmdesk.core.imports.options import ImportOptions, ImportResult
from crmdesk.core.imports.rows import (SheetRow, is_example_row, mark_example, number_of_another,
                                                  oversized_cell, shape_error)

BATCH_KIND = "import_transactions"
INDEX = H.build_index({c.key: (c.zh, c.en, *c.synonyms) for c in F.TRANSACTION_COLUMNS})
CHUNK = 2_000  # rows checked, looked up and written together
# An .xlsx sheet of more XML than this (~60,000 sales rows) is read row by row: python-calamine
# builds a sheet whole, 670 MB at its peak for a million rows (core/io/xlsx_stream.py).
STREAM_BYTES = 16 << 20


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
    raw = _raw(row, plan.layout)
    if not _is_totals_row(raw):
        row.clean = _check(row, raw, plan.layout, options, plan.width if csv else None)
    if mark_example(row):
        return row
    if row.clean is not None:
        problem = number_of_another(plan.names_by_code, row.clean["customer_code"], row.clean["customer_name"],
                                    "customer_name")
        if problem is not None:
            row.errors, row.clean = {problem.key: problem}, None
    return row


def _raw(row: SheetRow, layout: H.Layout) -> dict[str, Any]:
    values = row.values
    count = len(values)
    return {key: (values[i] if i < count else None) for i, key in layout.mapping.items()}


def _picker(layout: H.Layout) -> Callable[[list], dict[str, Any]]:
    """``_raw`` for every row of one import, the cells taken by one ``itemgetter`` (the
    comprehension was 5 s of a million-row import)."""
    indices, keys = list(layout.mapping), list(layout.mapping.values())
    if not indices:
        return lambda _values: {}
    width, getter = max(indices) + 1, operator.itemgetter(*indices)
    if len(indices) == 1:
        return lambda values: {keys[0]: values[indices[0]] if indices[0] < len(values) else None}

    def pick(values: list) -> dict[str, Any]:
        if len(values) < width:
            values = values + [None] * (width - len(values))
        return dict(zip(keys, getter(values)))
    return pick


class _Memo:
    """What one import parses once: its repeating values (``T.ValueMemo``) and its buyers'
    numbers and names (50,000 buyers in a million lines)."""
    PER_IMPORT = 200_000

    def __init__(self) -> None:
        self.values = T.ValueMemo()
        self.buyers: dict[tuple, tuple[str, str]] = {}

    def buyer(self, code: Any, name: Any) -> tuple[str, str]:
        key = (code.__class__, code, name.__class__, name)
        try:
            found = self.buyers.get(key)
        except TypeError:
            found, key = None, None
        if found is None:
            found = (normalize.code(code), normalize.text(name, collapse=True))
            if key is not None and len(self.buyers) < self.PER_IMPORT:
                self.buyers[key] = found
        return found


def _check(row: SheetRow, raw: dict[str, Any], layout: H.Layout, options: ImportOptions,
           csv_width: Optional[int], memo: Optional[_Memo] = None) -> Optional[dict]:
    problem = (shape_error(row, csv_width) if csv_width else None) or oversized_cell(row)
    if problem is not None:
        row.errors = {"": problem}
        return None
    if "amount" not in layout.targets:
        raw["amount"] = 0  # the file has no amounts: the user is told once, not per row
    try:
        clean = T.validate(raw, options.date_order, memo.values if memo is not None else None)
    except ValidationError as error:
        row.errors = dict(error.errors)
        return None
    code_, name = (memo or _Memo()).buyer(raw.get("customer_code"), raw.get("customer_name"))
    if not code_ and not name:
        row.errors = {"customer_name": FieldError("required", "customer_name")}
        return None
    if len(name) > 200 or len(code_) > 40:
        row.errors = {"customer_name": FieldError("too_long", "customer_name", max=200)}
        return None
    clean.update(customer_code=code_, customer_name=name)
    return clean


def _is_totals_row(raw: dict[str, Any]) -> bool:
    """A sum line under the data: no date and no customer, only numbers."""
    for key in ("date", "customer_code", "customer_name"):
        value = raw.get(key)  # normalize.is_blank, asked once a row: the first key mostly answers
        if value is not None and (not isinstance(value, str) or value.strip()):
            return False
    return True


def run(rows: Iterable[SheetRow], plan: P.Plan, options: ImportOptions, *, csv: bool = False,
        description: str = "", total: Optional[int] = None,
        progress: Optional[Progress] = None) -> ImportResult:
    """Import ``rows`` in one transaction; ``progress`` may raise ``Cancelled``: then
    nothing is kept. The rows are checked here while the bulk-write thread writes the
    chunks before them (``sales_writer``)."""
    options.check()
    layout = plan.layout
    result = ImportResult(dry_run=options.dry_run)
    if "amount" not in layout.targets:
        result.warnings.append(CrmError("no_amount_column"))
    memo, width, pick = _Memo(), plan.width if csv else None, _picker(layout)
    try:
        with transaction(), search_index.caller_indexes(), snapshot_reader() as reader, \
                BackgroundWrites(database.connection()) as writes:
            batch = history.new_batch(BATCH_KIND, description)
            result.batch_id = batch.id
            buyers = W.Buyers(batch, result, writes, reader)
            lines = W.Lines(batch, result, writes)
            rebuild = bulk_indexes.set_aside(W.TABLES, total, W.IN_ORDER)  # a big file into small tables
            done, pending = 0, []
            report(progress, 0, total or 0, "")
            for row in rows:
                done += 1
                if done > MAX_ROWS:
                    raise CrmError("too_many_rows", max=MAX_ROWS)
                if is_example_row(row.values):  # the template's example: never data
                    result.examples += 1
                    continue
                raw = pick(row.values)
                if _is_totals_row(raw):
                    result.skipped += 1
                    continue
                clean = _check(row, raw, layout, options, width, memo)
                if clean is None:
                    result.rejected += 1
                    result.rejected_rows.append(row)
                    continue
                pending.append((row, clean))
                if len(pending) >= CHUNK:
                    lines.write(pending, buyers)
                    pending = []
                    report(progress, done, max(total or 0, done), "")
            lines.write(pending, buyers)
            for sql in rebuild:
                writes.run(sql)
            writes.wait()
            products.adopt_batch(batch.id)  # names not on the product list yet join it
            report(progress, done, max(total or 0, done), "")
            result.note_examples()
            if options.dry_run or (options.all_or_nothing and result.rejected) or result.only_example:
                raise RollBack  # an untouched template leaves not even an empty batch behind
    except RollBack:
        result.nothing_written = options.dry_run or not result.only_example
        result.batch_id = None
        if not options.dry_run:
            result.skipped += result.created
            result.created, result.created_ids = 0, []
            result.customers_created, result.created_customer_ids = 0, []
    return result


def import_file(path: Path | str, options: ImportOptions, progress: Optional[Progress] = None,
                encoding: Optional[str] = None) -> tuple[ImportResult, P.Plan]:
    """The command line's import: open (refusing more rows than ``MAX_ROWS``, the sales
    lines' own limit; a big sheet streamed), plan, import; the source is always closed."""
    from crmdesk.core.io.sheet_read import open_source
    with open_source(path, encoding=encoding, max_rows=MAX_ROWS, stream_bytes=STREAM_BYTES) as source:
        if source.format == "access" and options.sheet is None:
            options = replace(options, sheet=access.default_table(source, True))
        plan = prepare(source, options)
        result = run(sheet_rows(source, plan), plan, options, csv=source.format == "csv",
                     description=Path(path).name, total=source.row_count_hint(plan.sheet), progress=progress)
        result.warnings.extend(source.warnings(plan.sheet))
    return result, plan
