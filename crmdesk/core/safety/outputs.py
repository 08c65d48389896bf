"""Where crmdesk may write a file (issue 17): never over the open database or its
``-wal``/``-shm``/``-journal`` files, never over an automatic backup in the data folder,
never over the file being read, never into a folder that does not exist, and an Excel
workbook only under a name that says so.

``check_output_path(path, db_path=..., sources=..., xlsx=...)`` is called by every
command that writes a file (``crmdesk.cli_outputs``) and by every save dialog of the app
(``crmdesk.ui.common.save_dialog``) before anything is written; it raises a ``CrmError`` whose
sentence says what is wrong and what to do, and touches nothing.

A path is "the same file" as a protected one when it names it after symbolic links are
followed (``Path.resolve``), or, where both exist, when it is the same file on disk
(``os.path.samefile``: hard links too)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Optional

from crmdesk.core.errors import CrmError

OUTPUT_IS_DATABASE = "output_is_database"
OUTPUT_IS_BACKUP = "output_is_backup"
OUTPUT_IS_SOURCE = "output_is_source"
OUTPUT_FOLDER_MISSING = "output_folder_missing"
OUTPUT_NOT_XLSX = "output_not_xlsx"

DATABASE_FILES = ("", "-wal", "-shm", "-journal")  # the database and the files SQLite keeps beside it


def open_database_path() -> Optional[Path]:
    """The file of the database the models are bound to now, None when there is none."""
    from crmdesk.core.models import database
    name = getattr(database, "database", None)
    if not name or name == ":memory:" or str(name).startswith("file:"):
        return None
    return Path(name)


def same_file(first: Path, second: Path) -> bool:
    """True when ``first`` and ``second`` name one file: the same path once symbolic links
    are followed, or (both existing) the same file on disk, which catches hard links."""
    try:
        if Path(first).expanduser().resolve() == Path(second).expanduser().resolve():
            return True
    except (OSError, RuntimeError):  # a loop of links
        pass
    try:
        return os.path.samefile(first, second)
    except (OSError, ValueError):
        return False


def database_files(db_path: Path) -> list[Path]:
    """The database and its working files, by the name given and by the file it links to
    (SQLite names the -wal after either, depending on its version)."""
    db_path = Path(db_path).expanduser()
    names = {db_path}
    try:
        names.add(db_path.resolve())
    except (OSError, RuntimeError):
        pass
    return [Path(f"{name}{suffix}") for name in names for suffix in DATABASE_FILES]


def backups_root() -> Path:
    """The data folder's backups (one subfolder per database, ``crmdesk.paths.backups_dir``)."""
    from crmdesk import paths
    return paths.data_dir() / "backups"


def _is_backup(path: Path) -> bool:
    """True when ``path`` is an existing file among the automatic backups (by its path, or
    by the file itself: a link to a backup from elsewhere)."""
    root = backups_root()
    if not root.is_dir() or not path.exists():
        return False
    try:
        resolved, root_resolved = path.resolve(), root.resolve()
    except (OSError, RuntimeError):
        return False
    if resolved.is_relative_to(root_resolved):
        return True
    try:
        status = path.stat()
    except OSError:
        return False
    for candidate in root.rglob("*"):
        try:
            other = candidate.stat()
        except OSError:
            continue
        if (other.st_dev, other.st_ino) == (status.st_dev, status.st_ino):
            return True
    return False


def check_output_path(path: Path | str, *, db_path: Optional[Path | str] = None,
                      sources: Iterable[Path | str] = (), xlsx: bool = False) -> Path:
    """Raise a ``CrmError`` unless a file may be written at ``path``; return it (with ``~``
    expanded). ``db_path``: the database in use (None: the one open now, if any);
    ``sources``: the files being read (an import's sheet); ``xlsx``: an Excel workbook is
    written, so the name must end in .xlsx (Excel refuses to open a workbook named .csv).
    Nothing is created or changed."""
    target = Path(path).expanduser()
    database = Path(db_path).expanduser() if db_path else open_database_path()
    if database is not None:
        for protected in database_files(database):
            if same_file(target, protected):
                raise CrmError(OUTPUT_IS_DATABASE, path=str(target))
    for source in sources:
        if source and same_file(target, Path(source)):
            raise CrmError(OUTPUT_IS_SOURCE, path=str(target))
    if _is_backup(target):
        raise CrmError(OUTPUT_IS_BACKUP, path=str(target))
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.exists():
        raise CrmError(OUTPUT_FOLDER_MISSING, path=str(target), folder=str(folder))
    if xlsx and target.suffix.lower() != ".xlsx":
        raise CrmError(OUTPUT_NOT_XLSX, path=str(target))
    return target
