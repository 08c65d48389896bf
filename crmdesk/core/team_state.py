"""What this laptop keeps of its team in ``sync_state`` (key -> text): read by the
capabilities that behave differently on a team's laptop (a new customer's team, the
numbers leased from the hub), written by ``sync``. An empty table: not in a team."""
from __future__ import annotations

import json

from crmdesk.core.models import database


def read() -> dict[str, str]:
    return dict(database.execute_sql("SELECT key, value FROM sync_state").fetchall())


def write(**values) -> None:
    rows = [(key, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
            for key, value in values.items()]
    database.cursor().executemany(
        "INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", rows)


def clear() -> None:
    database.execute_sql("DELETE FROM sync_state")


def first_team() -> str:
    """The team a new customer of a team's laptop belongs to: the login's first team ("" when
    not in a team)."""
    found = json.loads(read().get("teams") or "[]")
    return found[0] if found else ""
