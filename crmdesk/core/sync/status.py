"""What the status bar and ``crmdesk team status`` say of this laptop: whether it is in a
team, as whom, the changes waiting to go out and the conflicts open."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from crmdesk.core.models import database
from crmdesk.core.sync import conflicts as conflict_list
from crmdesk.core.sync.state import read, upload_pending


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
    conflicts = conflict_list.open_count()
    return Local(True, rows.get("url", ""), rows.get("login", ""), rows.get("role", ""),
                 json.loads(rows.get("teams") or "[]"), waiting, conflicts, rows.get("last_sync", ""),
                 rows.get("phase") == "upload")
