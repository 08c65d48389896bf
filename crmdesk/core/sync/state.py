"""This laptop's team state in ``sync_state``: which hub, which login, the pull cursor."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Optional

from crmdesk.core.models import database
from crmdesk.core.sync.entities import ENTITIES


def read() -> dict[str, str]:
    return dict(database.execute_sql("SELECT key, value FROM sync_state").fetchall())


def write(**values) -> None:
    rows = [(key, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
            for key, value in values.items()]
    database.cursor().executemany(
        "INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", rows)


def clear() -> None:
    database.execute_sql("DELETE FROM sync_state")


@dataclass
class Local:
    """What the status bar and ``crmdesk team status`` on a laptop say."""
    joined: bool
    url: str = ""
    login: str = ""
    role: str = ""
    teams: list = field(default_factory=list)
    waiting: int = 0
    conflicts: int = 0
    last_sync: str = ""
    uploading: bool = False


def local() -> Local:
    rows = read()
    if rows.get("joined") != "1":
        return Local(False)
    # Records with edits waiting (one new customer is some 35 field edits: people count records).
    waiting = database.execute_sql("SELECT count(*) FROM (SELECT DISTINCT uuid FROM sync_outbox)").fetchone()[0]
    if rows.get("phase") == "upload":
        waiting += upload_pending(rows)
    from crmdesk.core.sync import conflicts as conflict_list  # the count the Conflicts list agrees with
    conflicts = conflict_list.open_count()
    return Local(True, rows.get("url", ""), rows.get("login", ""), rows.get("role", ""),
                 json.loads(rows.get("teams") or "[]"), waiting, conflicts, rows.get("last_sync", ""),
                 rows.get("phase") == "upload")


def visible_teams(rows: Optional[dict] = None) -> Optional[set]:
    """The teams whose customers this laptop keeps; None when it sees all (desk, manager)."""
    rows = rows if rows is not None else read()
    if rows.get("role") in ("desk", "manager"):
        return None
    return set(json.loads(rows.get("teams") or "[]"))


def ready_after(snapshot: str) -> str:
    """The laptop holds what the hub's snapshot (``pg_current_snapshot()``) held: the pull
    cursor starts at its xmin, and the feed rows after it that the snapshot saw already
    are skipped (``download_snapshot``). Returns the cursor."""
    cursor = f"{snapshot.split(':')[0]}:0"
    write(phase="ready", cursor=cursor, download_snapshot=snapshot)
    return cursor


def upload_pending(rows: Optional[dict] = None) -> int:
    """Records the first upload has still to send."""
    rows = rows if rows is not None else read()
    until, done = json.loads(rows.get("upload_until") or "{}"), json.loads(rows.get("upload_done") or "{}")
    total = 0
    for entity in ENTITIES:
        first, last = int(done.get(entity.name, 0)), int(until.get(entity.name, 0))
        if last > first:
            total += database.execute_sql(f'SELECT count(*) FROM "{entity.table}" WHERE id > ? AND id <= ?',
                                          [first, last]).fetchone()[0]
    return total
