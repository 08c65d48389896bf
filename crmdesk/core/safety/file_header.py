"""What a database file's first 100 bytes say (sqlite.org/fileformat.html), read without
opening it through SQLite, which would leave -wal and -shm files beside a file it then
refuses: whether it is SQLite at all, and whose and which version it is."""
from __future__ import annotations

from pathlib import Path

from crmdesk.core import migrations
from crmdesk.core.errors import DB_CORRUPT, DB_NOT_CRMDESK, DB_UNWRITABLE, CrmError

SQLITE_MAGIC = b"SQLite format 3\x00"


def schema_version(path: Path) -> tuple[int, int]:
    """(application_id, user_version), read from the file's header without opening it
    through SQLite, which would leave -wal and -shm files beside a file it then refuses."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
    except OSError:
        raise CrmError(DB_UNWRITABLE, path=str(path)) from None
    page_size = int.from_bytes(header[16:18], "big")
    sane = (len(header) == 100 and header.startswith(SQLITE_MAGIC)
            and (page_size == 1 or (512 <= page_size <= 32768 and page_size & (page_size - 1) == 0))
            and header[18] in (1, 2) and header[19] in (1, 2) and header[21:24] == b"\x40\x20\x20")
    if not sane:  # the fixed fields of the SQLite header (sqlite.org/fileformat.html)
        raise CrmError(DB_CORRUPT, path=str(path))
    schema_cookie = int.from_bytes(header[40:44], "big")
    version = int.from_bytes(header[60:64], "big")
    app_id = int.from_bytes(header[68:72], "big", signed=True)
    if app_id != migrations.APPLICATION_ID and schema_cookie:
        raise CrmError(DB_NOT_CRMDESK, path=str(path))
    return app_id, version
