"""Entry point: ``main(argv) -> int``. With a subcommand it runs the command line (no Qt);
without one it opens the desktop app (DESIGN §9)."""
from __future__ import annotations

import sys
from typing import Optional, Sequence

COMMANDS = {"demo", "export", "template", "backup", "restore", "import", "undo-import", "agenda", "report",
            "sale", "team", "sync", "conflicts", "handover"}


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if any(a in COMMANDS for a in args) or any(a in ("-h", "--help", "--version") for a in args):
        from crmdesk.cli import run
        return run(args)
    from crmdesk.cli import build_parser
    parsed, _rest = build_parser().parse_known_args(args)
    if parsed.db is not None and not str(parsed.db).strip():  # `crmdesk --db ""`: not the default database
        from crmdesk.core.errors import CrmError
        from crmdesk.core.messages import message
        from crmdesk.i18n import translate
        sys.stderr.write(message(CrmError("db_path_empty"), translate) + "\n")
        return 2
    from crmdesk.ui.app import run_gui
    return run_gui(db=parsed.db)


if __name__ == "__main__":
    sys.exit(main())
