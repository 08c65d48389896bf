"""A full disk, told in one sentence: the operating system's and SQLite's ways of saying
there is no room, found anywhere in an exception's chain, become ``CrmError("disk_full")``.

The command line (``cli.run``) and the app's error dialogs (``ui/errors.py``) ask here, so a
full disk reads the same everywhere and never as a traceback. Every write is a transaction
or a temporary file renamed at the end, so when the disk fills nothing was changed.

What counts as no room:
- ``OSError`` with ENOSPC (disk full), EFBIG (a file past the size the file system or the
  process's limit allows: a 4 GB FAT32 stick) or EDQUOT (the user's quota);
- SQLite's SQLITE_FULL ("database or disk is full"), which is how it reports ENOSPC;
- SQLite's SQLITE_IOERR_WRITE ("disk I/O error" from a failed write()), which is how it
  reports EFBIG and EDQUOT: it maps only ENOSPC to SQLITE_FULL (os_unix.c, unixWrite)."""
from __future__ import annotations

import errno
from typing import Optional

from crmdesk.core.errors import CrmError

DISK_FULL = "disk_full"
NO_ROOM = frozenset(code for code in (errno.ENOSPC, getattr(errno, "EFBIG", None),
                                      getattr(errno, "EDQUOT", None)) if code is not None)
SQLITE_FULL = 13
SQLITE_IOERR_WRITE = 10 | (3 << 8)  # 778
SQLITE_FULL_TEXT = "database or disk is full"


def _chain(error: BaseException):
    """``error``, its causes and contexts (suppressed ones too: ``raise ... from None``
    still keeps the original as ``__context__``), and wrapped exceptions (peewee keeps
    sqlite3's as ``orig``, others pass it as an argument), each once."""
    seen: set[int] = set()
    todo = [error]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo.extend((current.__cause__, current.__context__, getattr(current, "orig", None)))
        todo.extend(a for a in getattr(current, "args", ()) if isinstance(a, BaseException))


def is_disk_full(error: BaseException) -> bool:
    for current in _chain(error):
        if isinstance(current, OSError) and current.errno in NO_ROOM:
            return True
        code = getattr(current, "sqlite_errorcode", None)
        if code in (SQLITE_FULL, SQLITE_IOERR_WRITE):
            return True
        if SQLITE_FULL_TEXT in str(current):
            return True
    return False


def disk_full_error(error: BaseException) -> Optional[CrmError]:
    """``CrmError("disk_full")`` if ``error`` comes from a full disk, else None. A
    ``CrmError`` that a full disk caused (a backup that "failed its check") becomes it too."""
    if isinstance(error, CrmError) and error.code == DISK_FULL:
        return error
    return CrmError(DISK_FULL) if is_disk_full(error) else None
