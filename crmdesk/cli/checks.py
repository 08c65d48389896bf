"""What every command checks before it opens the database or writes a file (issue 17):
one sentence and exit 2, nothing touched.

- ``--db ""`` is refused: an empty path never quietly means the default database.
- An empty (0-byte) file given as the database is a new, empty database for the commands
  that create data (``demo``, ``import``, and ``restore``, which fills it); the commands that
  read it (``export``, ``agenda``, ``report``, ``backup``, ``undo-import``) say that it is
  empty and has no crmdesk data, not that there is no database.
- Every file a command writes goes through ``core.safety.outputs.check_output_path``: never
  the database or its working files, an automatic backup, the file being imported, or a
  folder that does not exist; the workbooks (``export``, ``template``, ``report``,
  ``agenda --xlsx``, ``import --errors``) only under a name ending in .xlsx.
- ``import --encoding`` must name a text encoding Python knows, and a CSV file must be in it.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from crmdesk import paths
from crmdesk.core.errors import CrmError
from crmdesk.core.safety.outputs import check_output_path

READERS = {"export", "agenda", "report", "backup", "undo-import", "imports", "duplicates", "merge", "undo-merge"}
ENCODINGS = "utf-8, utf-8-sig, gb18030, big5, cp1252, utf-16"


def database_path(args: argparse.Namespace) -> Path:
    """The database the command works on: --db, else CRMDESK_DB, else the data folder's."""
    if args.db is not None and not str(args.db).strip():
        raise CrmError("db_path_empty")
    return Path(args.db).expanduser() if args.db else paths.default_db_path()


def check_command(args: argparse.Namespace, db_path: Path) -> None:
    """Refuse, before anything is opened or written, what the command must not do."""
    if args.command in READERS and db_path.is_file() and db_path.stat().st_size == 0:
        raise CrmError("db_empty", path=str(db_path))
    if args.command == "export" and args.entity in ("vcard", "calendar"):
        from crmdesk.cli import exchange as cli_exchange
        cli_exchange.check(args, db_path)
    elif args.command in ("export", "template", "report"):
        check_output_path(args.out, db_path=db_path, xlsx=True)
    elif args.command in ("agenda", "duplicates") and args.xlsx is not None:
        check_output_path(args.xlsx, db_path=db_path, xlsx=True)
    elif args.command == "backup" and args.out is not None:
        check_output_path(args.out, db_path=db_path)
    elif args.command == "import":
        _check_import(args, db_path)


def _check_import(args: argparse.Namespace, db_path: Path) -> None:
    from crmdesk.core.imports import error_book
    if not args.file.is_file():
        raise CrmError("file_missing", path=str(args.file))
    if args.encoding is not None:
        try:
            b"x".decode(args.encoding)  # LookupError for a name Python doesn't know, or base64 and the like
        except LookupError:
            raise CrmError("option_invalid", option="--encoding", choices=ENCODINGS) from None
        except UnicodeError:
            pass  # a text encoding; whether the file is in it is checked next
        if args.file.suffix.lower() in (".csv", ".txt", ".tsv"):
            from crmdesk.core.io.csv_read import CsvReader
            CsvReader(args.file, args.encoding)  # not in that encoding: one sentence, no database created
    errors = args.errors if args.errors is not None else error_book.default_path(args.file)
    check_output_path(errors, db_path=db_path, sources=(args.file,), xlsx=True)
