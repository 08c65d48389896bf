"""Files written whole or not at all: to a temporary file beside the target, flushed to disk,
then renamed over it. A failure or a cancel leaves the target as it was and no temporary
file behind; a place that cannot be written is ``file_unwritable`` before any work."""
from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path
from typing import BinaryIO, Callable, Optional

from crmdesk.core.errors import CrmError

FILE_UNWRITABLE = "file_unwritable"


def check_target(path: Path | str) -> Path:
    """Raise ``file_unwritable`` unless a file can be written at ``path``."""
    path = Path(path).expanduser()
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir() or not folder.is_dir():
        raise CrmError(FILE_UNWRITABLE, path=str(path))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise CrmError(FILE_UNWRITABLE, path=str(path))
    if path.exists() and not os.access(path, os.W_OK):  # a read-only file: respect it
        raise CrmError(FILE_UNWRITABLE, path=str(path))
    return path


def temporary_beside(path: Path) -> tuple[int, Path]:
    """A new file beside ``path``, created with the user's umask (mkstemp's 0600 would
    leave the file unreadable to others)."""
    for _attempt in range(100):
        candidate = path.with_name(f".~{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
            return os.open(candidate, flags, 0o666), candidate
        except FileExistsError:
            continue
    raise FileExistsError(str(path))


def write(path: Path | str, fill: Callable[[BinaryIO], None]) -> Path:
    """``fill(stream)`` writes the content; it lands at ``path`` only whole."""
    path = check_target(path)
    temporary: Optional[Path] = None
    try:
        try:
            handle, temporary = temporary_beside(path)
        except OSError:
            raise CrmError(FILE_UNWRITABLE, path=str(path)) from None
        with os.fdopen(handle, "wb") as stream:
            try:
                fill(stream)
                stream.flush()
                os.fsync(stream.fileno())
            except OSError:
                raise CrmError(FILE_UNWRITABLE, path=str(path)) from None
        try:
            os.replace(temporary, path)
        except OSError:  # e.g. the file is open in another program on Windows
            raise CrmError(FILE_UNWRITABLE, path=str(path)) from None
        temporary = None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    return path


def write_bytes(path: Path | str, data: bytes) -> Path:
    return write(path, lambda stream: stream.write(data))
