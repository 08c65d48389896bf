"""The hybrid logical clock that orders every edit across the team's laptops (spec
team-sync, "Ordering and merging"; after actualbudget's crdt/timestamp.ts and cockroachdb's
hlc.go): (wall-clock milliseconds, counter, site). It never goes backwards, it moves past
every time it receives, and it refuses a remote time too far ahead of this computer's clock.

A time is the text ``"0001733400000000-0007-9f2c4a1e0b3d5c7a"``: fixed widths, so the text
order is the time order, and the site at the end breaks ties between laptops.

The change capture (``crmdesk.core.sync.capture``) stamps each captured field through the
SQLite function ``crm_hlc()`` registered here, in the same transaction as the edit; this
module also holds whether capture is on and who the team knows this computer's user as."""
from __future__ import annotations

import secrets
import threading
import time
from typing import Optional

from crmdesk.core.errors import CrmError
from crmdesk.core.models.base import database

MAX_DRIFT_MS = 5 * 60 * 1000  # a remote time further ahead than this is refused
CLOCK_AHEAD = "sync_clock_ahead"

_lock = threading.Lock()


def new_site() -> str:
    return secrets.token_hex(8)


def wall_ms() -> int:
    return int(time.time() * 1000)


def make(ms: int, counter: int, site: str) -> str:
    return f"{ms:016d}-{counter:04d}-{site}"


def parse(stamp: str) -> tuple[int, int, str]:
    ms, counter, site = stamp.split("-", 2)
    return int(ms), int(counter), site


class Clock:
    """One laptop's clock. ``site`` names the laptop; ``last`` is the newest time it made
    or received, kept in ``sync_state`` by whoever persists it."""

    def __init__(self, site: str, last: str = "") -> None:
        self.site = site
        self.ms, self.counter = (parse(last)[:2] if last else (0, 0))

    def now(self) -> str:
        """A new time, later than every time this clock made or received."""
        with _lock:
            wall = wall_ms()
            if wall > self.ms:
                self.ms, self.counter = wall, 0
            else:
                self.counter += 1
            return make(self.ms, self.counter, self.site)

    def receive(self, stamp: str) -> None:
        """Move past a time seen from another laptop; refuse one too far in the future."""
        ms, counter, _site = parse(stamp)
        wall = wall_ms()
        if ms - wall > MAX_DRIFT_MS:
            raise CrmError(CLOCK_AHEAD, minutes=(ms - wall) // 60000)
        with _lock:
            if (ms, counter) > (self.ms, self.counter):
                self.ms, self.counter = ms, counter

    def rewind(self) -> None:
        """Back to this computer's clock, after it was set right from a day or so ahead:
        the one time a clock goes backwards, so that the edits made meanwhile (restamped
        by the caller) do not carry a date the team refuses."""
        with _lock:
            self.ms, self.counter = wall_ms(), 0

    @property
    def last(self) -> str:
        return make(self.ms, self.counter, self.site)


# The state of this process's open database: set by ``crmdesk.core.sync`` when the file
# belongs to a team, cleared when it leaves or another file opens.
clock: Optional[Clock] = None
capturing = False  # the triggers write the outbox only while this is true
team_actor: Optional[str] = None  # the team login that names this user in the change log
seen_cursor = ""  # the pull cursor when the edit was made: what the editor had seen


def _sql_hlc() -> Optional[str]:
    return clock.now() if clock is not None else None


def _sql_capture() -> int:
    return 1 if capturing and clock is not None else 0


def _sql_seen() -> str:
    return seen_cursor


def _sql_actor() -> str:
    return team_actor or ""


database.register_function(_sql_hlc, "crm_hlc", 0)
database.register_function(_sql_capture, "crm_capture", 0)
database.register_function(_sql_seen, "crm_seen", 0)
database.register_function(_sql_actor, "crm_actor", 0)


def reset() -> None:
    global clock, capturing, team_actor, seen_cursor
    clock, capturing, team_actor, seen_cursor = None, False, None, ""


def load() -> None:
    """Read this database's team state (``sync_state``) after it opens: a database that
    belongs to a team captures its edits, names its user by the team login, and its clock
    continues from the newest time it made."""
    global clock, capturing, team_actor, seen_cursor
    reset()
    if not database.execute_sql("SELECT 1 FROM sqlite_master WHERE name = 'sync_state'").fetchone():
        return  # a database older than team use (tests open those on purpose)
    rows = dict(database.execute_sql("SELECT key, value FROM sync_state").fetchall())
    if rows.get("joined") != "1" or not rows.get("site"):
        return
    newest = database.execute_sql("SELECT max(hlc) FROM sync_outbox").fetchone()[0] or ""
    clock = Clock(rows["site"], max(rows.get("hlc", ""), newest))
    capturing = True
    team_actor = rows.get("login") or None
    seen_cursor = rows.get("cursor", "")
