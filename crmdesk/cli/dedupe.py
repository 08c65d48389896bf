"""Duplicate customers on the command line (issue 21):

    crmdesk duplicates [--min-score S] [--xlsx OUT]    one pair a line: numbers, score, reasons
    crmdesk duplicates --not-duplicate A B             never list that pair again
    crmdesk merge KEEP OTHER...                        prints the batch
    crmdesk undo-merge [BATCH]                         the last merge, or the one named

A customer is named by its number (C000123), or by its name when no number matches."""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from crmdesk.core.errors import CrmError
from crmdesk.i18n import translate

EXIT_OK = 0
COMMANDS = ("duplicates", "merge", "undo-merge")


def add_parsers(commands, db_option: argparse.ArgumentParser) -> None:
    find = commands.add_parser("duplicates", parents=[db_option],
                               help=translate("Cli", "list the customers that are probably the same, with a score and the reasons"))
    find.add_argument("--min-score", type=int, default=50, metavar="S",
                      help=translate("Cli", "leave out pairs scoring under S, from 0 to 100 (default 50)"))
    find.add_argument("--xlsx", type=Path, metavar="OUT.xlsx", help=translate("Cli", "also write the pairs to a workbook"))
    find.add_argument("--not-duplicate", nargs=2, metavar=("A", "B"),
                      help=translate("Cli", "remember that customers A and B are not the same"))
    merge = commands.add_parser("merge", parents=[db_option],
                                help=translate("Cli", "merge customers into the first one: their visits, sales, complaints and care move to it"))
    merge.add_argument("keep", metavar="KEEP", help=translate("Cli", "the customer that stays (number or name)"))
    merge.add_argument("others", nargs="+", metavar="OTHER", help=translate("Cli", "the customers merged into it"))
    undo = commands.add_parser("undo-merge", parents=[db_option], help=translate("Cli", "take back the last merge (or the one named)"))
    undo.add_argument("batch", nargs="?", type=int, metavar="BATCH")


def handles(args: argparse.Namespace) -> bool:
    return args.command in COMMANDS


def run(args: argparse.Namespace, out: TextIO, err: TextIO, db_path: Path) -> int:
    from crmdesk.core import db as dbmod
    dbmod.open_database(db_path, create=False)
    try:
        if args.command == "duplicates":
            return _duplicates(args, out, err)
        if args.command == "merge":
            return _merge(args, out)
        return _undo(args, out)
    finally:
        dbmod.close_database()


def reason_text(reason: str) -> str:
    return {"tax_id": translate("Cli", "same tax id"), "email": translate("Cli", "same e-mail"),
            "phone": translate("Cli", "same phone"), "code": translate("Cli", "same customer number"),
            "name": translate("Cli", "same name"), "pinyin": translate("Cli", "same pinyin"),
            "similar_name": translate("Cli", "similar name in the same city")}.get(reason, reason)


def _duplicates(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from crmdesk.core import dedupe
    if args.not_duplicate:
        first, second = customer_ids(args.not_duplicate)
        dedupe.dismiss(first, second)
        out.write(translate("Cli", "{a} and {b} will not be listed as duplicates again.").format(
            a=args.not_duplicate[0], b=args.not_duplicate[1]) + "\n")
        return EXIT_OK
    if not 0 <= args.min_score <= 100:
        raise CrmError("option_invalid", option="--min-score", choices="0-100")
    pairs = dedupe.find_pairs(args.min_score)
    for pair in pairs:
        out.write(f"{pair.first.code}\t{pair.second.code}\t{pair.score}\t"
                  + ", ".join(reason_text(r) for r in pair.reasons) + "\n")
    if args.xlsx:
        from crmdesk.core.dedupe.export import write_pairs
        write_pairs(args.xlsx, pairs, reason_text)
    count = len(pairs)
    err.write(translate("Cli", "%n pair(s) of probable duplicates: crmdesk merge KEEP OTHER merges one.", "",
                        count) + "\n")
    return EXIT_OK


def _merge(args: argparse.Namespace, out: TextIO) -> int:
    from crmdesk.core import dedupe
    keep, *others = customer_ids([args.keep, *args.others])
    result = dedupe.merge(keep, others)
    moved = sum(result.moved.values())
    out.write(translate("Cli", "Merged {others} into {keep}: %n record(s) moved to it.", "", moved).format(
        others=", ".join(args.others), keep=args.keep) + "\n")
    out.write(f"batch: {result.batch_id}\n")
    return EXIT_OK


def _undo(args: argparse.Namespace, out: TextIO) -> int:
    from crmdesk.core import dedupe
    result = dedupe.undo_merge(args.batch)
    count = len(result.restored)
    out.write(translate("Cli", "Merge {batch} undone: %n customer(s) back with their own records.", "",
                        count).format(batch=result.batch_id) + "\n")
    return EXIT_OK


def customer_ids(names: list[str]) -> list[int]:
    from crmdesk.core.customers import archive as customers
    return customers.ids_by_code_or_name(names, "merge_customer_unknown")
