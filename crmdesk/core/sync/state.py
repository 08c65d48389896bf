"""This laptop's team state in ``sync_state``: which hub, which login, the pull cursor."""
from __future__ import annotations

import json
from typing import Optional

from crmdesk.core.models import database
from crmdesk.core.team_state import read, write
from crmdesk.core.sync.entities import ENTITIES


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
