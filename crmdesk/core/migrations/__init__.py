"""Numbered schema migrations: ``0001_initial.py``, ``0002_....py``, each with ``up(db)``.
The database records its version in ``PRAGMA user_version``; ``application_id`` marks the
file as crmdesk's."""
from __future__ import annotations

import importlib
import re
from pathlib import Path
from types import ModuleType

APPLICATION_ID = 0x43524D44  # "CRMD"
_NAME = re.compile(r"^(\d{4})_\w+\.py$")


def available() -> list[tuple[int, ModuleType]]:
    found = []
    for path in sorted(Path(__file__).parent.iterdir()):
        match = _NAME.match(path.name)
        if match:
            found.append((int(match.group(1)), importlib.import_module(f"{__name__}.{path.stem}")))
    return found


# What must follow the schema after any migration, named here rather than imported (the
# kernel imports no capability): each module's ``after_migrations(db)`` runs in the
# migrations' transaction. The team's change capture lists every synced column in its
# triggers, so a laptop that joined a team needs them made again for a new column.
AFTER_MIGRATIONS = ("crmdesk.core.sync.capture",)


def after_migrations(db) -> None:
    for name in AFTER_MIGRATIONS:
        importlib.import_module(name).after_migrations(db)


def latest_version() -> int:
    return available()[-1][0]


def pending(current: int) -> list[tuple[int, ModuleType]]:
    return [(number, module) for number, module in available() if number > current]
