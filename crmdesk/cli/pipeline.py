"""``crmdesk export opportunities OUT.xlsx [--lang zh|en]`` and ``crmdesk import
opportunities FILE`` (sales, issue 19). The output of an import is the one ``spec/cli.md`` shows for every import:

    created N, updated N, skipped N, rejected N
    batch: ID
    row R: column: reason
"""
from __future__ import annotations

import argparse
from typing import TextIO

from crmdesk.i18n import translate

EXIT_OK, EXIT_REJECTED = 0, 3
ENTITY = "opportunities"


def handles(args: argparse.Namespace) -> bool:
    return args.command in ("export", "import") and getattr(args, "entity", None) == ENTITY


def run(args: argparse.Namespace, out: TextIO, err: TextIO, lang: str, progress) -> int:
    from crmdesk.core.sales import opportunities_io
    if args.command == "export":
        count = opportunities_io.export_opportunities(args.out, lang, progress=progress)
        out.write("\n" if out.isatty() else "")
        text = translate("Cli", "Exported %n opportunity(ies) to {path}.", "", count)
        out.write(text.format(count=count, path=args.out) + "\n")
        return EXIT_OK
    result = opportunities_io.import_opportunities(args.file, all_or_nothing=args.all_or_nothing,
                                                   translate=translate)
    out.write(f"created {result.created}, updated 0, skipped 0, rejected {result.rejected}\n")
    out.write(f"batch: {result.batch_id if result.batch_id is not None else '-'}\n")
    for problem in result.errors:
        out.write(f"row {problem.row}: {problem.column}: {problem.reason}\n" if problem.column
                  else f"row {problem.row}: {problem.reason}\n")
    if result.nothing_written:
        err.write(translate("Cli", "Nothing was imported, because some rows were rejected and --all-or-nothing "
                                   "was given.") + "\n")
    return EXIT_REJECTED if result.rejected else EXIT_OK
