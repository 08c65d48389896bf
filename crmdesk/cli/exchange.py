"""Contacts to phones and visits to calendars on the command line (issue 21):

    crmdesk export vcard OUT.vcf [--vcard-version 3.0] [--per-customer]   (OUT a folder with --per-customer)
    crmdesk export calendar OUT.ics [--rep R] [--care] [--opportunities] [--lang zh|en]
    crmdesk import vcard FILE.vcf            the same as ``import customers FILE.vcf``
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from crmdesk.core.errors import CrmError
from crmdesk.i18n import translate

ENTITIES = ("vcard", "calendar")


def add_export_options(export: argparse.ArgumentParser) -> None:
    group = export.add_argument_group(translate("Cli", "vcard and calendar"))
    group.add_argument("--vcard-version", choices=["4.0", "3.0"], default="4.0",
                       help=translate("Cli", "vCard 4.0 (default), or 3.0 for older phones"))
    group.add_argument("--per-customer", action="store_true",
                       help=translate("Cli", "one .vcf file a customer, into the folder OUT"))
    group.add_argument("--rep", metavar="R", help=translate("Cli", "only this rep's visits (and customers' reminders)"))
    group.add_argument("--care", action="store_true", help=translate("Cli", "also the open care reminders"))
    group.add_argument("--opportunities", action="store_true",
                       help=translate("Cli", "also the opportunities' next steps"))


def handles(args: argparse.Namespace) -> bool:
    return args.command == "export" and args.entity in ENTITIES


def check(args: argparse.Namespace, db_path: Path) -> None:
    """Refuse a place that cannot be written before anything is opened."""
    from crmdesk.core.safety.outputs import check_output_path
    if args.entity == "vcard" and args.per_customer:
        if not Path(args.out).expanduser().is_dir():
            raise CrmError("file_unwritable", path=str(args.out))
        return
    check_output_path(args.out, db_path=db_path)


def run(args: argparse.Namespace, out: TextIO, db_path: Path, lang: str) -> int:
    from crmdesk.core import db as dbmod
    dbmod.open_database(db_path, create=False)
    try:
        if args.entity == "vcard":
            from crmdesk.core.exchange import vcard
            count = vcard.export(args.out, version=args.vcard_version, per_customer=args.per_customer)
            out.write(translate("Cli", "Wrote %n contact card(s) to {path}.", "", count).format(path=args.out) + "\n")
        else:
            from crmdesk.core.exchange import calendar
            count = calendar.write(args.out, calendar.build(rep=args.rep, lang=lang, care=args.care,
                                                            opportunities=args.opportunities))
            out.write(translate("Cli", "Wrote %n calendar event(s) to {path}.", "", count).format(path=args.out) + "\n")
    finally:
        dbmod.close_database()
    return 0
