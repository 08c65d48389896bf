"""``crmdesk import`` and ``crmdesk undo-import``: output exactly as ``spec/cli.md`` shows.

    created N, updated N, skipped N, rejected N
    batch: ID
    row R: column: reason
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from crmdesk.core.errors import CrmError
from crmdesk.core.messages import message
from crmdesk.i18n import translate

EXIT_OK, EXIT_REJECTED = 0, 3


def add_parsers(commands, db_option) -> None:
    imp = commands.add_parser("import", parents=[db_option], help=translate("Cli", "read customers or transactions from .xlsx .xlsm .xls .xlsb .ods .csv, or an Access database (.mdb .accdb)"))
    imp.add_argument("entity", choices=["customers", "transactions", "opportunities", "products", "vcard"])
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("--sheet", "--table", dest="sheet", metavar="NAME",
                     help=translate("Cli", "which worksheet, or which table of an Access database (default: the first sheet with data; "
                                           "for transactions from Access, the orders joined with their lines and products)"))
    imp.add_argument("--header-row", type=int, metavar="N", help=translate("Cli", "1-based row of the headers (default: detected)"))
    imp.add_argument("--on-duplicate", choices=["update", "skip", "new"], default="update",
                     help=translate("Cli", "what a row matching an existing customer does (default: update)"))
    imp.add_argument("--match", choices=["auto", "code", "name-phone", "email", "phone", "name"], default="auto",
                     help=translate("Cli", "how rows are matched to existing customers (default: code, then mobile/phone, then email, then exact name)"))
    imp.add_argument("--date-order", choices=["ymd", "dmy", "mdy"], default="ymd",
                     help=translate("Cli", "how to read ambiguous dates like 04/02/2023 (default: ymd, ambiguous dates are errors)"))
    imp.add_argument("--bad-values", choices=["reject", "keep"], default="reject",
                     help=translate("Cli", "customers: a row with a bad value other than its name or number is rejected "
                                           "(default), or imported with the value kept in its notes (keep)"))
    imp.add_argument("--new-fields", action="store_true", help=translate("Cli",
        "make each column that matches no field a customer field of your own first (its type guessed from its values)"))
    imp.add_argument("--all-or-nothing", action="store_true", help=translate("Cli", "any row error: import nothing"))
    imp.add_argument("--dry-run", action="store_true", help=translate("Cli", "validate and report, write nothing"))
    imp.add_argument("--errors", type=Path, metavar="OUT.xlsx", help=translate("Cli", "where to write the rejected rows (default: FILE-errors.xlsx beside the input)"))
    imp.add_argument("--encoding", metavar="NAME", help=translate("Cli", "the CSV's text encoding, when detection gets it wrong (e.g. gb18030, cp1252)"))

    undo = commands.add_parser("undo-import", parents=[db_option], help=translate("Cli", "take back the last import (or the one named)"))
    undo.add_argument("batch", nargs="?", metavar="BATCH")
    recent = commands.add_parser("imports", parents=[db_option], help=translate("Cli", "list the recent imports, newest first"))
    recent.add_argument("--limit", type=int, default=20, metavar="N", help=translate("Cli", "how many (default 20)"))


def run_import(args: argparse.Namespace, out: TextIO, err: TextIO, progress, lang: str) -> int:
    from crmdesk.core.imports import customer_import, error_book, transaction_import
    from crmdesk.core.imports.options import ImportOptions

    options = ImportOptions(sheet=args.sheet, header_row=args.header_row, on_duplicate=args.on_duplicate,
                            match=args.match, date_order=args.date_order,
                            all_or_nothing=args.all_or_nothing, dry_run=args.dry_run,
                            bad_values=args.bad_values, translate=translate)
    from crmdesk.core.sales import product_io  # issue 19: crmdesk import products
    module = {"customers": customer_import, "vcard": customer_import,  # a .vcf: its cards are customers
              "transactions": transaction_import, "products": product_io}[args.entity]
    made = []
    if args.new_fields and args.entity not in ("customers", "vcard"):
        raise CrmError("new_fields_customers_only")
    if args.new_fields:
        made = customer_import.new_fields(args.file, options, args.encoding, make=not args.dry_run)
    result, plan = module.import_file(args.file, options, progress=progress, encoding=args.encoding)
    out.write("\n" if out.isatty() else "")
    out.write(f"created {result.created}, updated {result.updated}, skipped {result.skipped}, "
              f"rejected {result.rejected}\n")
    out.write(f"batch: {result.batch_id if result.batch_id is not None else '-'}\n")
    day_first = bool(result.rejected and args.date_order == "ymd" and _mostly_date_errors(result.rejected_rows))
    if day_first:  # before thousands of row lines, not after them
        err.write(message(CrmError("dates_look_day_first"), translate) + "\n")
        err.flush()
    for row in result.rejected_rows:
        for column, text in error_book.row_problems(row, plan.layout, translate, lang):
            out.write(f"row {row.number}: {column}: {text}\n" if column else f"row {row.number}: {text}\n")
    kept = translate("Cli", "kept in the notes")
    for row in result.kept_rows:
        for column, text in error_book.kept_problems(row, plan.layout, translate, lang):
            out.write(f"row {row.number}: {column}: {text} ({kept})\n")
    notes = []
    if made:
        listed = ", ".join(f"{header} ({kind})" for header, kind, _choices in made)
        notes.append((translate("Cli", "Would make these columns customer fields: {fields}.") if args.dry_run else
                      translate("Cli", "Made these columns customer fields: {fields}.")).format(fields=listed))
    if result.customers_created:
        notes.append(_count(result.customers_created,
                            translate("Cli", "Created {count} customer that was not in the database yet."),
                            translate("Cli", "Created {count} customers that were not in the database yet.")))
    if plan.demoted:
        notes.append(translate("Cli", "These columns did not hold what their header says and were kept in the notes: {columns}.")
                     .format(columns=", ".join(plan.demoted)))
    if plan.layout.unmatched:
        notes.append(translate("Cli", "Ignored columns that match no field: {columns}. --new-fields makes them "
                               "customer fields of your own.").format(columns=", ".join(plan.layout.unmatched)))
    notes += [message(w, translate) for w in result.warnings]
    if result.dry_run:
        notes.append(translate("Cli", "Dry run: nothing was written."))
    elif result.nothing_written:
        notes.append(translate("Cli", "Nothing was imported, because some rows were rejected and --all-or-nothing was given."))
    if result.rejected_rows:
        target = args.errors or error_book.default_path(args.file)
        try:
            error_book.write(target, result.rejected_rows, plan.layout, translate, lang)
            notes.append(translate("Cli", "The rejected rows, with the reason for each, are in {path}: fix them there and import that file.")
                         .format(path=target))
        except CrmError as error:
            notes.append(message(error, translate))
    for note in notes:
        err.write(note + "\n")
    return EXIT_REJECTED if result.rejected else EXIT_OK


def _mostly_date_errors(rows) -> bool:
    dated = sum(1 for r in rows if any(e.code in ("date_ambiguous", "date_invalid") for e in r.errors.values()))
    return dated * 2 > len(rows)


def _count(count: int, one: str, many: str) -> str:
    """``one`` or ``many`` (each already translated) with ``{count}`` filled in: "1 customer",
    "2 customers". Chinese has one form, so both translate the same."""
    return (one if count == 1 else many).format(count=count)


def run_undo(args: argparse.Namespace, out: TextIO) -> int:
    from crmdesk.core.imports import undo
    result = undo.undo_import(args.batch)
    if result.kind in ("opportunities", "products"):
        _sales_undone(result, out)
        return EXIT_OK
    removed = _count(result.removed, translate("Cli", "{count} customer removed"),
                     translate("Cli", "{count} customers removed"))
    trashed = _count(result.trashed, translate("Cli", "{count} moved to the trash because it was edited since"),
                     translate("Cli", "{count} moved to the trash because they were edited since"))
    restored = _count(result.restored, translate("Cli", "{count} customer put back as it was"),
                      translate("Cli", "{count} customers put back as they were"))
    transactions = _count(result.transactions, translate("Cli", "{count} transaction removed"),
                          translate("Cli", "{count} transactions removed"))
    out.write(translate("Cli", "Import {batch} undone: {removed}, {trashed}, {restored}, {transactions}.")
              .format(batch=result.batch_id, removed=removed, trashed=trashed, restored=restored,
                      transactions=transactions) + "\n")
    if result.conflicts:
        out.write(_count(result.conflicts,
                         translate("Cli", "{count} field was changed again after the import, so it was left as it is now."),
                         translate("Cli", "{count} fields were changed again after the import, so they were left as they are now."))
                  + "\n")
    return EXIT_OK


def _sales_undone(result, out: TextIO) -> None:
    """What the undo of an opportunities or products import did (issue 19)."""
    if result.kind == "opportunities":
        what = _count(result.opportunities, translate("Cli", "{count} opportunity moved to the trash"),
                      translate("Cli", "{count} opportunities moved to the trash"))
    else:
        removed = _count(result.products_removed, translate("Cli", "{count} product moved to the trash"),
                         translate("Cli", "{count} products moved to the trash"))
        restored = _count(result.products_restored, translate("Cli", "{count} product put back as it was"),
                          translate("Cli", "{count} products put back as they were"))
        what = translate("Cli", "{first}, {second}").format(first=removed, second=restored)
    out.write(translate("Cli", "Import {batch} undone: {what}.").format(batch=result.batch_id, what=what) + "\n")
    if result.conflicts:
        out.write(_count(result.conflicts,
                         translate("Cli", "{count} field was changed again after the import, so it was left as it is now."),
                         translate("Cli", "{count} fields were changed again after the import, so they were left as they are now."))
                  + "\n")


def run_imports(args: argparse.Namespace, out: TextIO) -> int:
    """``crmdesk imports``: one line an import, newest first: batch, when (UTC), what, file,
    what it did, and whether it was undone."""
    from crmdesk.core.imports import undo
    kinds = {"customers": translate("Cli", "customers"), "transactions": translate("Cli", "transactions"),
             "opportunities": translate("Cli", "opportunities"), "products": translate("Cli", "products")}
    for s in undo.import_history(max(1, args.limit)):
        did = {"customers": f"created {s.customers_created}, updated {s.customers_updated}",
               "transactions": f"transactions {s.transactions_created}, new customers {s.customers_created}",
               "opportunities": f"opportunities {s.opportunities_created}",
               "products": f"created {s.products_created}, updated {s.products_updated}"}[s.kind]
        undone = "\t" + translate("Cli", "undone") if s.undone_at else ""
        out.write(f"{s.batch_id}\t{s.created_at:%Y-%m-%d %H:%M}\t{kinds[s.kind]}\t{s.description}\t{did}{undone}\n")
    return EXIT_OK

