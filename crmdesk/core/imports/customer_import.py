"""Customers in from a spreadsheet or CSV (``spec/cli.md`` import, ``spec/customer-sheet.md``).

One transaction per import: rows are read as a stream, normalised with the form's rules,
matched to existing customers (code, then mobile/phone, then e-mail, then exact name),
and written in chunks. A dry run, an all-or-nothing import that met a bad row, a cancel or
a crash roll the whole transaction back. Each import is a batch in the change log, which
is what ``undo`` takes back.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Iterable, Iterator, Optional

from crmdesk.core import custom_fields
from crmdesk.core.search import index as search_index
from crmdesk.core.bulk_write import BackgroundWrites
from crmdesk.core.db import snapshot_reader, transaction
from crmdesk.core.errors import CrmError
from crmdesk.core.io import access
from crmdesk.core.io import headers as H
from crmdesk.core.models import database
from crmdesk.core.progress import Progress, report
from crmdesk.core.customers import archive as customers
from crmdesk.core import history
from crmdesk.core.imports import plan as P
from crmdesk.core.imports.customer_writer import Writer
from crmdesk.core.imports.options import MAX_ROWS, ImportOptions, ImportResult
from crmdesk.core.imports.rows import (SheetRow, check, is_blank_row, is_example_row, mark_example,
                                                  number_of_another)

BATCH_KIND = "import"
FLUSH = 500  # rows matched and written together (250: 16.4 s, 500: 14.8 s, 1000: 15.6 s at 100k)


class RollBack(Exception):
    """Leave the transaction without keeping anything (dry run, all-or-nothing)."""


class _Unchanged(Exception):
    """The import created and changed nothing: no batch is left for "undo" to show."""


def _usable(layout: H.Layout) -> bool:
    targets = layout.targets
    if "code" in targets and len(targets) >= 2:
        return True  # customer numbers and what to change: a sheet that only updates
    if not H.looks_like_customers(layout.mapping, layout.unmatched):
        raise CrmError("not_customer_list", headers=", ".join(h for h in layout.headers if h)[:200])
    return True


def prepare(source, options: ImportOptions) -> P.Plan:
    """Find the sheet, header and mapping; raises ``CrmError`` when the file holds no
    customer list (the user's own mapping is taken as it is)."""
    options.check()
    usable = _usable if options.mapping is None else (lambda layout: True)
    sheet, layout = P.choose(source, options.sheet, options.header_row, custom_fields.header_index(), usable,
                             first_row_is_header=options.mapping is not None)
    plan = P.Plan(sheet, layout)
    if options.mapping is not None:
        P.apply_mapping(layout, options.mapping)
    else:
        saved = P.remembered_mapping(layout.headers)
        if saved:
            P.apply_mapping(layout, saved)
            plan.remembered = True
        else:
            rows = source.preview(sheet, layout.header_row + P.SAMPLE_ROWS)
            plan.demoted = P.demote_false_friends(layout, rows, options.date_order)
        if not plan.remembered:  # moving columns to the notes may have left no customer list
            _usable(layout)
    return plan


def sheet_rows(source, plan: P.Plan) -> Iterator[SheetRow]:
    """The data rows under the header, blank rows left out."""
    for number, values in source.rows(plan.sheet):
        if number <= plan.layout.header_row or is_blank_row(values):
            continue
        yield SheetRow(number, list(values))


def validator(options: ImportOptions):
    """The form's rules without its customer-number check: in an import a number that
    exists means "this customer", which matching decides. Values that repeat are
    normalised once (``customers.NormalizeMemo``)."""
    memo = customers.NormalizeMemo()
    return lambda raw: customers.normalize_values(raw, options.date_order, memo)


def check_row(row: SheetRow, plan: P.Plan, options: ImportOptions, csv: bool = False) -> SheetRow:
    """Normalise one row (the wizard calls this again after the user fixes a cell)."""
    check(row, plan.layout, validator(options), plan.width if csv else None,
          options.bad_values == "keep", options.translate)
    if mark_example(row):
        return row
    if row.ok and "code" in options.match_keys:
        problem = number_of_another(plan.names_by_code, row.clean.get("code"), row.clean.get("name"), "name")
        if problem is not None:
            row.errors, row.clean = {problem.key: problem}, None
    return row


def run(rows: Iterable[SheetRow], plan: P.Plan, options: ImportOptions, *,
        csv: bool = False, description: str = "", total: Optional[int] = None,
        progress: Optional[Progress] = None) -> ImportResult:
    """Import ``rows`` in one transaction. ``progress`` may raise ``Cancelled``: then
    nothing is kept."""
    options.check()
    result = ImportResult(dry_run=options.dry_run)
    validate = validator(options)
    keep = options.bad_values == "keep"
    try:
        with transaction(), search_index.caller_indexes(), snapshot_reader() as reader, \
                BackgroundWrites(database.connection()) as writes:
            batch = history.new_batch(BATCH_KIND, description)
            result.batch_id = batch.id
            writer = Writer(batch, options, result, writes, reader)
            report(progress, 0, total or 0, "")
            done = 0
            for row in rows:
                done += 1
                if done > MAX_ROWS:
                    raise CrmError("too_many_rows", max=MAX_ROWS)
                if is_example_row(row.values):  # the template's example: never data
                    result.examples += 1
                    continue
                check(row, plan.layout, validate, plan.width if csv else None, keep, options.translate)
                if row.ok:
                    writer.add(row)
                    if row.kept:
                        result.kept_rows.append(row)
                else:
                    result.rejected += 1
                    result.rejected_rows.append(row)
                if done % FLUSH == 0:
                    writer.flush()
                    report(progress, done, max(total or 0, done), "")
            writer.flush()
            report(progress, done, max(total or 0, done), "")
            result.kept_rows = [r for r in result.kept_rows if r.ok]  # not rejected while writing
            result.note_examples()
            if options.dry_run or (options.all_or_nothing and result.rejected) or result.only_example:
                raise RollBack  # an untouched template leaves not even an empty batch behind
            if not result.created and not result.updated:
                raise _Unchanged
            if options.mapping is not None:
                P.remember_mapping(plan.layout.headers, plan.layout.mapping)
    except _Unchanged:
        result.batch_id = None
    except RollBack:
        result.nothing_written = options.dry_run or not result.only_example
        result.batch_id = None
        if not options.dry_run:  # all or nothing: the good rows did not go in either
            result.skipped += result.created + result.updated
            result.created = result.updated = 0
            result.created_ids, result.updated_ids = [], []
    return result


GUESS_ROWS = 500  # the rows whose values suggest a new field's type


def new_fields(path: Path | str, options: ImportOptions, encoding: Optional[str] = None,
               make: bool = True) -> list:
    """The file's columns that match no field made custom fields (``make``; else only
    proposed), each typed as its first rows' values suggest: [(header, type, options)]."""
    from crmdesk.core.io.sheet_read import open_source
    made = []
    with open_source(path, encoding=encoding, max_rows=MAX_ROWS) as source:
        if source.format == "access" and options.sheet is None:
            options = replace(options, sheet=access.default_table(source))
        plan = prepare(source, options)
        layout = plan.layout
        rows = [values for number, values in source.preview(plan.sheet, layout.header_row + GUESS_ROWS)
                if number > layout.header_row]
        for column, header in enumerate(layout.headers):
            if not header or column in layout.mapping:
                continue
            kind, choices = custom_fields.guess([v[column] for v in rows if column < len(v)])
            if make:
                custom_fields.add(header, kind, choices)
            made.append((header, kind, choices))
    return made


def import_file(path: Path | str, options: ImportOptions, progress: Optional[Progress] = None,
                encoding: Optional[str] = None) -> tuple[ImportResult, P.Plan]:
    """The command line's import: open, plan, import; the source is always closed."""
    return import_with(prepare, run, path, options, progress, encoding)


def import_with(prepare_, run_, path: Path | str, options: ImportOptions,
                progress: Optional[Progress] = None, encoding: Optional[str] = None,
                sales: bool = False) -> tuple[ImportResult, P.Plan]:
    """Open ``path``, plan with ``prepare_`` and import with ``run_`` (customers or
    transactions). An Access database needs its table named, except for sales (``sales``)
    from a database whose orders, lines and products can be joined."""
    from crmdesk.core.io.sheet_read import open_source
    with open_source(path, encoding=encoding, max_rows=MAX_ROWS) as source:
        if source.format == "access" and options.sheet is None:
            options = replace(options, sheet=access.default_table(source, sales))
        plan = prepare_(source, options)
        result = run_(sheet_rows(source, plan), plan, options, csv=source.format == "csv",
                      description=Path(path).name, total=source.row_count_hint(plan.sheet),
                      progress=progress)
        result.warnings.extend(source.warnings(plan.sheet))
    return result, plan
