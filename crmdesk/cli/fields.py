"""The user's own customer fields on the command line (issue 21):

    crmdesk fields                                     each field: name, English name, type, options, values
    crmdesk fields add NAME --type text|number|date|choice|yesno [--options "高,中,低"] [--english NAME]
    crmdesk fields change NAME [--name NEW] [--english NAME] [--options "…"]
    crmdesk fields remove NAME                         its values are kept hidden (adding it again brings them back)

An import fills a field from the column of the same name; the field is then a column of
``crmdesk export customers`` and of the template."""
from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import TextIO

from crmdesk.i18n import translate

EXIT_OK = 0


def add_parsers(commands, db_option: argparse.ArgumentParser) -> None:
    fields = commands.add_parser("fields", parents=[db_option],
                                 help=translate("Cli", "list, add, change or remove your own customer fields"))
    actions = fields.add_subparsers(dest="fields_action", metavar="ACTION")
    add = actions.add_parser("add", parents=[db_option], help=translate("Cli", "add a customer field"))
    add.add_argument("name", metavar="NAME")
    add.add_argument("--type", dest="kind", default="text", metavar="TYPE",
                     help=translate("Cli", "text, number, date, choice or yesno (default text)"))
    add.add_argument("--options", default="", metavar="A,B,C", help=translate("Cli", "a choice field's options, separated by commas"))
    add.add_argument("--english", default="", metavar="NAME", help=translate("Cli", "the name English readers see"))
    change = actions.add_parser("change", parents=[db_option], help=translate("Cli", "rename a field or change its options"))
    change.add_argument("name", metavar="NAME")
    change.add_argument("--name", dest="new_name", default=None, metavar="NEW")
    change.add_argument("--english", default=None, metavar="NAME")
    change.add_argument("--options", default=None, metavar="A,B,C")
    remove = actions.add_parser("remove", parents=[db_option], help=translate("Cli", "remove a field (its values are kept hidden)"))
    remove.add_argument("name", metavar="NAME")


def handles(args: argparse.Namespace) -> bool:
    return args.command == "fields"


def _options(text) -> list[str]:
    return [part for part in re.split(r"[,，;；、\n]", text or "") if part.strip()]


def _field(name: str):
    from crmdesk.core import custom_fields as CF
    from crmdesk.core.errors import CrmError
    from crmdesk.core.io.headers import fold
    found = next((f for f in CF.all_fields() if fold(name) in (fold(f.label), fold(f.label_en), fold(f.key))), None)
    if found is None:
        raise CrmError("custom_field_unknown", name=name)
    return found


def run(args: argparse.Namespace, out: TextIO, db_path: Path) -> int:
    from crmdesk.core import custom_fields as CF
    from crmdesk.core import db as dbmod
    dbmod.open_database(db_path, create=args.fields_action == "add")
    try:
        if args.fields_action == "add":
            made, _ = CF.add(args.name, args.kind, _options(args.options), args.english)
            out.write(translate("Cli", "Added the customer field {name}.").format(name=made.label) + "\n")
        elif args.fields_action == "change":
            field = _field(args.name)
            CF.edit(field.key, field.label if args.new_name is None else args.new_name,
                    field.choices if args.options is None else _options(args.options),
                    field.label_en if args.english is None else args.english)
            out.write(translate("Cli", "Changed the customer field {name}.").format(name=CF.get(field.key).label) + "\n")
        elif args.fields_action == "remove":
            field = _field(args.name)
            count = CF.value_count(field.key)
            CF.remove(field.key)
            out.write(translate("Cli", "Removed the customer field {name}; the values of %n customer(s) are kept hidden.",
                                "", count).format(name=field.label) + "\n")
        else:
            listed = CF.all_fields()
            for field in listed:
                out.write("\t".join((field.label, field.label_en or "-", field.type, ", ".join(field.choices) or "-",
                                     str(CF.value_count(field.key)))) + "\n")
            if not listed:
                out.write(translate("Cli", "No customer fields of your own yet: crmdesk fields add NAME --type TYPE adds one.") + "\n")
        return EXIT_OK
    finally:
        dbmod.close_database()
