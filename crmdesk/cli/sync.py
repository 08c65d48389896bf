"""The team's conflicts, hand-overs and change packages on the command line (issue 20):

    crmdesk conflicts [--resolve ID mine|theirs]      each open conflict on one line
    crmdesk handover CUSTOMER... | --from-owner NAME  --to-owner NAME [--team T]
    crmdesk handover --undo BATCH
    crmdesk sync --export PACKAGE | --import PACKAGE  (options of cli_team's sync)

CUSTOMER is a customer's code (C000123), or its name when no code matches."""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from crmdesk.core.errors import CrmError
from crmdesk.i18n import translate

EXIT_OK = 0


def add_parsers(commands, db_option: argparse.ArgumentParser) -> None:
    conflicts = commands.add_parser("conflicts", parents=[db_option],
                                    help=translate("Cli", "list the open conflicts of the team, or resolve one"))
    conflicts.add_argument("--resolve", nargs=2, metavar=("ID", "mine|theirs"), action="append",
                           help=translate("Cli", "keep your value (mine) or the one that stands (theirs); repeat for several"))
    conflicts.add_argument("--password", metavar="P", help=translate("Cli", "your team password (default: the one kept)"))
    handover = commands.add_parser("handover", parents=[db_option],
                                   help=translate("Cli", "give customers to another rep or team (managers)"))
    handover.add_argument("customers", nargs="*", metavar="CUSTOMER", help=translate("Cli", "a customer's code or name"))
    handover.add_argument("--from-owner", metavar="NAME", help=translate("Cli", "all customers of this owner"))
    handover.add_argument("--to-owner", metavar="NAME", help=translate("Cli", "the new owner"))
    handover.add_argument("--team", metavar="T", help=translate("Cli", "the new team (default: the team stays)"))
    handover.add_argument("--undo", metavar="BATCH", type=int, help=translate("Cli", "take back the hand-over numbered BATCH"))


def add_package_options(sync: argparse.ArgumentParser) -> None:
    """``crmdesk sync --export PACKAGE | --import PACKAGE`` (cli_team's sync parser)."""
    group = sync.add_mutually_exclusive_group()
    group.add_argument("--export", metavar="PACKAGE", type=Path, dest="export_package",
                       help=translate("Cli", "write this computer's waiting changes to a file for a colleague"))
    group.add_argument("--import", metavar="PACKAGE", type=Path, dest="import_package",
                       help=translate("Cli", "merge a colleague's change package"))


def handles(args: argparse.Namespace) -> bool:
    return args.command in ("conflicts", "handover")


def run(args: argparse.Namespace, out: TextIO, err: TextIO, db_path: Path) -> int:
    from crmdesk.core import db as dbmod
    dbmod.open_database(db_path, create=False)
    try:
        if args.command == "conflicts":
            return _conflicts(args, out)
        return _handover(args, out)
    finally:
        dbmod.close_database()


def _value(value) -> str:
    return "—" if value is None or value == "" else str(value)


def _conflicts(args: argparse.Namespace, out: TextIO) -> int:
    from crmdesk.core.sync import conflicts
    if args.resolve:
        by_side: dict[str, list[str]] = {}
        for cid, keep in args.resolve:
            by_side.setdefault(keep, []).append(cid)
        for keep, ids in by_side.items():
            conflicts.resolve(ids, keep, password=args.password)
            count = len(ids)  # a plain name: lupdate skips a call as the count
            text = translate("Cli", "Resolved %n conflict(s), keeping {side}.", "", count)
            out.write(text.format(side=translate("Cli", "mine") if keep == conflicts.MINE
                                  else translate("Cli", "theirs")) + "\n")
        return EXIT_OK
    rows = conflicts.list_open()
    if not rows:
        out.write(translate("Cli", "No open conflicts.") + "\n")
        return EXIT_OK
    kinds = {"concurrent": translate("Cli", "both changed"), "edited_deleted": translate("Cli", "edited after it was deleted"),
             "renumbered": translate("Cli", "renumbered"), "refused": translate("Cli", "refused by the server"),
             "duplicate": translate("Cli", "possibly the same customer (mine and theirs both stay)")}
    for row in rows:
        out.write(translate("Cli", "{id}  {record}  {field}: mine {mine} ({who}, {when}) / theirs {theirs} ({theirs_who}) — {kind}")
                  .format(id=row.id, record=row.record, field=row.field, mine=_value(row.mine), theirs=_value(row.theirs),
                          who=row.who or "—", when=row.when.strftime("%Y-%m-%d %H:%M") if row.when else "—",
                          theirs_who=row.theirs_who or "—", kind=kinds.get(row.kind, row.kind)) + "\n")
    count = len(rows)
    out.write(translate("Cli", "%n open conflict(s): crmdesk conflicts --resolve ID mine|theirs", "", count) + "\n")
    return EXIT_OK


def _customer_ids(names: list[str]) -> list[int]:
    from crmdesk.core.customers import archive as customers
    return customers.ids_by_code_or_name(names, "sync_handover_customer")


def _handover(args: argparse.Namespace, out: TextIO) -> int:
    from crmdesk.core.sync import handover
    if args.undo is not None:
        result = handover.undo(args.undo)
        count = result.customers
        out.write(translate("Cli", "Undid hand-over {batch}: %n customer(s) back with their old owner and team.", "",
                            count).format(batch=args.undo) + "\n")
        return EXIT_OK
    if args.customers and args.from_owner:
        raise CrmError("sync_handover_both")
    ids = _customer_ids(args.customers) if args.customers else None
    result = handover.handover(ids, from_owner=args.from_owner, to_owner=args.to_owner or "", to_team=args.team)
    count = result.customers
    out.write(translate("Cli", "Handed %n customer(s) to {owner}{team} (hand-over {batch}; undo with crmdesk handover "
                               "--undo {batch}); they reach the team at the next sync.", "", count).format(
        owner=args.to_owner, team=f" ({args.team})" if args.team else "", batch=result.batch_id) + "\n")
    if result.opportunities or result.visits:
        out.write(translate("Cli", "Their open opportunities ({deals}) and planned visits ({visits}) went with them.")
                  .format(deals=result.opportunities, visits=result.visits) + "\n")
    return EXIT_OK


def check_package(args: argparse.Namespace, db_path: Path) -> None:
    """Before the database opens: where the package is written must be a file we may write."""
    if getattr(args, "export_package", None) is not None:
        from crmdesk.core.safety.outputs import check_output_path
        check_output_path(args.export_package, db_path=db_path)


def wants_package(args: argparse.Namespace) -> bool:
    return getattr(args, "export_package", None) is not None or getattr(args, "import_package", None) is not None


def run_package(args: argparse.Namespace, out: TextIO) -> int:
    """``crmdesk sync --export | --import`` (the database is open)."""
    from crmdesk.core.sync import packages
    if args.export_package is not None:
        count = packages.export_package(args.export_package)
        out.write(translate("Cli", "Wrote %n change(s) to {path}: give it to a colleague of the team "
                                   "(crmdesk sync --import).", "", count).format(path=args.export_package) + "\n")
        return EXIT_OK
    result = packages.import_package(args.import_package)
    queued, skipped = result.queued, result.skipped
    out.write(translate("Cli", "Imported %n change(s) from {user}'s package; they go to the team server at the next sync.",
                        "", queued).format(user=result.login or "—") + "\n")
    if skipped:
        out.write(translate("Cli", "%n change(s) were here already and were skipped.", "", skipped) + "\n")
    return EXIT_OK
