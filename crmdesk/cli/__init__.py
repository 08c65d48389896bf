"""The command line (``spec/cli.md``): the second door to the same services."""
from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path
from typing import Optional, Sequence, TextIO

from crmdesk import __version__
from crmdesk.core import db as dbmod
from crmdesk.core.errors import CrmError
from crmdesk.core.messages import message
from crmdesk.i18n import translate

EXIT_OK, EXIT_FAILED, EXIT_UNUSABLE, EXIT_REJECTED = 0, 1, 2, 3


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crmdesk",
        description=translate("Cli", "crmdesk: an offline-first desktop CRM. Without a command, opens the app."))
    parser.add_argument("--version", action="version", version=f"crmdesk {__version__}")
    parser.add_argument("--db", metavar="PATH", help=translate("Cli",
        "the database file (default: crmdesk.sqlite in your data folder; CRMDESK_DB overrides it)"))
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    # --db is accepted after the command too (crmdesk export customers out.xlsx --db x)
    db_option = argparse.ArgumentParser(add_help=False)
    db_option.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    demo = commands.add_parser("demo", parents=[db_option], help=translate("Cli", "fill an empty database with realistic sample data"))
    demo.add_argument("--customers", type=int, default=200, metavar="N", help=translate("Cli", "how many customers (default 200)"))
    demo.add_argument("--seed", type=int, default=20261123, help=translate("Cli", "random seed: the same seed gives the same data"))
    demo.add_argument("--no-visits", dest="visits", action="store_false", help=translate("Cli",
        "customers, contacts and transactions only, no visits (a million customers' visits take some 13 GB)"))

    from crmdesk.cli import imports as cli_import, report as cli_report, sales as cli_sales, visits as cli_visits
    cli_import.add_parsers(commands, db_option)
    cli_visits.add_parsers(commands, db_option)
    cli_report.add_parsers(commands, db_option)
    cli_sales.add_parsers(commands, db_option)  # issue 19: crmdesk sale add
    from crmdesk.cli import team as cli_team
    cli_team.add_parsers(commands, db_option)  # issue 20: crmdesk team ..., crmdesk sync
    from crmdesk.cli import sync as cli_sync
    cli_sync.add_parsers(commands, db_option)  # issue 20: crmdesk conflicts, crmdesk handover
    from crmdesk.cli import dedupe as cli_dedupe
    cli_dedupe.add_parsers(commands, db_option)  # issue 21: crmdesk duplicates, merge, undo-merge
    from crmdesk.cli import fields as cli_fields
    cli_fields.add_parsers(commands, db_option)  # issue 21: crmdesk fields

    export = commands.add_parser("export", parents=[db_option], help=translate("Cli", "write customers, transactions, visits or complaints to an Excel file"))
    export.add_argument("entity", choices=["customers", "transactions", "visits", "complaints", "care", "opportunities", "products",
                                           "vcard", "calendar"],
                        help=translate("Cli", "what to export (vcard: contacts for phones; calendar: visits as .ics)"))
    export.add_argument("out", type=Path, metavar="OUT.xlsx")
    from crmdesk.cli import exchange as cli_exchange
    cli_exchange.add_export_options(export)  # issue 21
    export.add_argument("--lang", choices=["zh", "en"], default=None,
                        help=translate("Cli", "header language (default: your system language)"))

    template = commands.add_parser("template", parents=[db_option], help=translate("Cli", "write an empty sheet with headers and an example row"))
    template.add_argument("entity", choices=["customers", "transactions"])
    template.add_argument("out", type=Path, metavar="OUT.xlsx")
    template.add_argument("--lang", choices=["zh", "en"], default=None)

    backup = commands.add_parser("backup", parents=[db_option], help=translate("Cli", "a consistent copy of the database, while the app may be open"))
    backup.add_argument("out", type=Path, nargs="?", metavar="OUT.sqlite")

    restore = commands.add_parser("restore", parents=[db_option], help=translate("Cli", "replace the data with a backup; keeps a copy of the current data"))
    restore.add_argument("file", type=Path, metavar="FILE.sqlite")
    return parser


def _lang(value: Optional[str]) -> str:
    if value:
        return value
    from crmdesk.i18n import system_language
    return "zh" if system_language().startswith("zh") else "en"


def _progress_printer(out: TextIO, label: str):
    state = {"last": -1}

    def progress(done: int, total: int, _message: str = "") -> None:
        if total and out.isatty():
            percent = done * 100 // total
            if percent != state["last"]:
                state["last"] = percent
                out.write(f"\r{label} {percent}%")
                out.flush()
    return progress


def run(argv: Sequence[str], out: Optional[TextIO] = None, err: Optional[TextIO] = None) -> int:
    # sys.stdout as it is now, not as it was when this module was imported (a test's capture,
    # a redirection): a default bound at import time writes to a closed stream later.
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    parser = build_parser()
    args = parser.parse_args(list(argv))
    try:
        return _dispatch(args, out, err)
    except CrmError as error:
        from crmdesk.core.safety.oserrors import disk_full_error
        err.write(message(disk_full_error(error) or error, translate) + "\n")
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        err.write(translate("Cli", "Stopped: nothing was changed.") + "\n")
        return EXIT_FAILED
    except BrokenPipeError:  # the reader has gone (crmdesk agenda | head): no traceback
        if out is sys.stdout:
            with contextlib.suppress(OSError, ValueError):  # nor one when Python flushes at exit
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as error:  # a bug: one line for the user, the traceback for a report
        from crmdesk.cli import checks as cli_checks
        from crmdesk.core.safety import damage
        if damage.is_database_damage(error):  # the first "malformed" anywhere
            dbmod.close_database()
            err.write(message(damage.damaged_error(cli_checks.database_path(args)), translate) + "\n")
            return EXIT_UNUSABLE
        from crmdesk.core.safety.oserrors import disk_full_error
        full = disk_full_error(error)
        if full is not None:  # not a bug: no room on the disk
            err.write(message(full, translate) + "\n")
            return EXIT_UNUSABLE
        import logging
        logging.getLogger("crmdesk").exception("command failed")
        err.write(message(CrmError(type(error).__name__), translate) + "\n")
        return EXIT_FAILED


def _own_fields(db_path: Path) -> list:
    """The custom fields of the database there, for the customer template's columns. A
    template needs no database: none when there is none yet (it creates none), or the file
    there is empty or no database it can open (the import will say why)."""
    path = Path(db_path).expanduser()
    if not path.is_file() or path.stat().st_size == 0:
        return []
    from crmdesk.core import custom_fields as CF
    try:
        dbmod.open_database(path, create=False)
        return CF.all_fields()
    except CrmError:
        return []
    finally:
        dbmod.close_database()


def _dispatch(args, out: TextIO, err: TextIO) -> int:
    from crmdesk.cli import checks as cli_checks
    db_path = cli_checks.database_path(args)
    cli_checks.check_command(args, db_path)  # nothing opened or written yet
    from crmdesk.cli import team as cli_team
    if cli_team.handles(args):  # issue 20: the hub commands open no local database
        return cli_team.run(args, out, err, db_path)
    from crmdesk.cli import exchange as cli_exchange
    if cli_exchange.handles(args):  # issue 21: vCard, iCalendar
        return cli_exchange.run(args, out, db_path, _lang(getattr(args, "lang", None)))
    from crmdesk.cli import dedupe as cli_dedupe
    if cli_dedupe.handles(args):  # issue 21
        return cli_dedupe.run(args, out, err, db_path)
    from crmdesk.cli import fields as cli_fields
    if cli_fields.handles(args):  # issue 21
        return cli_fields.run(args, out, db_path)
    from crmdesk.cli import sync as cli_sync
    if cli_sync.handles(args):  # issue 20: conflicts, hand-over
        return cli_sync.run(args, out, err, db_path)
    if args.command == "restore":
        from crmdesk.core.safety import backup, generations, restoring
        kept = restoring.restore(args.file, db_path)
        out.write(translate("Cli", "Restored {file} into {db}.").format(file=args.file, db=db_path) + "\n")
        if kept and generations.is_raw_copy(kept):
            out.write(translate("Cli", "The database it replaced was damaged: a raw copy of its files is kept in {path}.")
                      .format(path=kept) + "\n")
        elif kept:
            out.write(translate("Cli", "The data it replaced is kept in {path}.").format(path=kept) + "\n")
        return EXIT_OK
    if args.command == "template":
        if args.entity == "transactions":
            from crmdesk.core.customers import transactions_export as transaction_export
            transaction_export.template_transactions(args.out, _lang(args.lang))
        else:
            from crmdesk.core.customers import export
            export.template_customers(args.out, _lang(args.lang), _own_fields(db_path))
        out.write(translate("Cli", "Wrote {path}.").format(path=args.out) + "\n")
        return EXIT_OK

    if args.command == "demo":
        from crmdesk.core import demo
        demo.check_count(args.customers)  # before the database file is created
    if args.command == "agenda":
        from crmdesk.cli import visits as cli_visits
        cli_visits.check_agenda(args)  # a bad --date or --days: one sentence, before the database opens
    if args.command == "report":
        from crmdesk.cli import report as cli_report
        cli_report.check(args)  # a bad --from or --to: one sentence, before the database opens
    dbmod.open_database(db_path, create=args.command in ("demo", "import"))
    try:
        from crmdesk.cli import pipeline as cli_pipeline
        if cli_pipeline.handles(args):  # sales (issue 19): opportunities
            return cli_pipeline.run(args, out, err, _lang(getattr(args, "lang", None)),
                                    _progress_printer(out, translate("Cli", "Exporting")))
        if args.command == "demo":
            from crmdesk.core import demo
            result = demo.generate(args.customers, seed=args.seed,
                                   progress=_progress_printer(out, translate("Cli", "Creating demo data")),
                                   visits=args.visits)
            out.write("\n" if out.isatty() else "")
            out.write(translate("Cli", "Created {customers} customers, {contacts} contacts and {transactions} transactions in {db}.")
                      .format(customers=result.customers, contacts=result.contacts,
                              transactions=result.transactions, db=db_path) + "\n")
            if args.visits:
                out.write(translate("Cli", "Created {count} visits, past and planned.").format(count=result.visits) + "\n")
            out.write(translate("Cli", "Created {complaints} complaints, {care} care reminders and {points} points "
                                       "entries.").format(complaints=result.complaints,
                                                          care=result.care + result.care_events,
                                                          points=result.points) + "\n")
            out.write(translate("Cli", "Created {products} products, {sales} sales and {deals} opportunities.").format(
                products=result.products, sales=result.sales, deals=result.opportunities) + "\n")
        elif args.command == "export" and args.entity == "products":  # issue 19
            from crmdesk.cli import sales as cli_sales
            return cli_sales.run_products(args, out, err, _lang(getattr(args, "lang", None)))
        elif args.command == "export" and args.entity == "visits":
            from crmdesk.cli import visits as cli_visits
            return cli_visits.run_export(args, out, _lang(args.lang), _progress_printer(out, translate("Cli", "Exporting")))
        elif args.command == "export" and args.entity == "complaints":
            from crmdesk.core.complaints import export as complaint_export
            count = complaint_export.export_complaints(
                args.out, _lang(args.lang), progress=_progress_printer(out, translate("Cli", "Exporting")))
            out.write("\n" if out.isatty() else "")
            text = translate("Cli", "Exported %n complaint(s) to {path}.", "", count)
            out.write(text.format(count=count, path=args.out) + "\n")
        elif args.command == "export" and args.entity == "care":
            from crmdesk.core.care import export as care_export
            count = care_export.export_care(
                args.out, _lang(args.lang), progress=_progress_printer(out, translate("Cli", "Exporting")))
            out.write("\n" if out.isatty() else "")
            text = translate("Cli", "Exported %n care event(s) to {path}.", "", count)
            out.write(text.format(count=count, path=args.out) + "\n")
        elif args.command == "report":
            from crmdesk.cli import report as cli_report
            return cli_report.run(args, out, _lang(args.lang), _progress_printer(out, translate("Cli", "Analysing")))
        elif args.command == "agenda":
            from crmdesk.cli import visits as cli_visits
            return cli_visits.run_agenda(args, out, _lang(None))
        elif args.command == "export" and args.entity == "transactions":
            from crmdesk.core.customers import transactions_export as transaction_export
            count = transaction_export.export_transactions(
                args.out, _lang(args.lang), progress=_progress_printer(out, translate("Cli", "Exporting")))
            out.write("\n" if out.isatty() else "")
            text = translate("Cli", "Exported %n transaction(s) to {path}.", "", count)
            out.write(text.format(count=count, path=args.out) + "\n")
        elif args.command == "export":
            from crmdesk.core.customers import export
            count = export.export_customers(args.out, _lang(args.lang),
                                            progress=_progress_printer(out, translate("Cli", "Exporting")))
            out.write("\n" if out.isatty() else "")
            text = translate("Cli", "Exported %n customer(s) to {path}.", "", count)
            out.write(text.format(count=count, path=args.out) + "\n")
        elif args.command == "import":
            from crmdesk.cli import imports as cli_import
            return cli_import.run_import(args, out, err, _progress_printer(out, translate("Cli", "Importing")), _lang(None))
        elif args.command == "undo-import":
            from crmdesk.cli import imports as cli_import
            return cli_import.run_undo(args, out)
        elif args.command == "imports":  # issue 21
            from crmdesk.cli import imports as cli_import
            return cli_import.run_imports(args, out)
        elif args.command == "sale":
            from crmdesk.cli import sales as cli_sales
            return cli_sales.run_add(args, out)
        elif args.command == "backup":
            from crmdesk.core.safety import backup
            target = backup.backup(db_path, args.out)
            out.write(translate("Cli", "Backed up {db} to {path}.").format(db=db_path, path=target) + "\n")
    finally:
        dbmod.close_database()
    return EXIT_OK
