"""The numbers a team's laptop leased from the hub (spec team-sync, "Business keys"), as
the records here take them: customer codes (C000123) and complaint numbers
(CMP-20261206-001, counted per received day), kept in ``sync_state`` under ``numbers``
(``{"customer": [[first, last], ...], "complaint": {"20261206": [[first, last], ...]}}``).
A new record takes the lowest number of its blocks that no record here holds yet; None
when there is none (not in a team, or past the blocks): the caller then falls back to the
local rule. Leasing, settling and renumbering are ``sync.numbers``'."""
from __future__ import annotations

import datetime as dt
import json
from typing import Optional

from crmdesk.core import clock, team_state
from crmdesk.core.models import database

KEY = "numbers"
CUSTOMER = "customer"
COMPLAINT = "complaint"


def code(number: int) -> str:
    """A customer code as the app writes them: C000123."""
    return f"C{number:06d}"


def complaint_number(day: str, number: int) -> str:
    """A complaint number as the app writes them: CMP-20261206-001 (``day``: 20261206)."""
    return f"CMP-{day}-{number:03d}"


def day_key(day: dt.date) -> str:
    return f"{day:%Y%m%d}"


def today() -> dt.date:
    """This laptop's local date: the clock ``complaints.now()`` gives the received time by."""
    return dt.datetime.now().date()


def stored(rows: Optional[dict] = None) -> dict:
    rows = rows if rows is not None else team_state.read()
    return json.loads(rows.get(KEY) or "{}")


def blocks(entity: str = CUSTOMER, rows: Optional[dict] = None) -> list[list[int]]:
    """The customer-code blocks this laptop holds."""
    return [list(b) for b in stored(rows).get(entity, [])]


def day_blocks(day: str, rows: Optional[dict] = None) -> list[list[int]]:
    """The complaint-number blocks this laptop holds for a received day (20261206)."""
    return [list(b) for b in stored(rows).get(COMPLAINT, {}).get(day, [])]


def taken_numbers(first: int, last: int, day: Optional[str] = None) -> set[int]:
    """The numbers of the block that records here hold already: customers, or with ``day``
    that day's complaints (deleted ones too: a number is never given twice)."""
    if day is None:
        found = database.execute_sql(
            "SELECT code FROM customer WHERE code >= ? AND code <= ?", [code(first), code(last)]).fetchall()
        tails = [c[1:] for (c,) in found]
    else:
        prefix = f"CMP-{day}-"
        found = database.execute_sql(  # the unique index on number: '.' follows '-'
            "SELECT number FROM complaint WHERE number > ? AND number < ?", [prefix, f"CMP-{day}."]).fetchall()
        tails = [n[len(prefix):] for (n,) in found]
    return {int(t) for t in tails if t.isdigit() and first <= int(t) <= last}


def free_numbers(block: list[int], day: Optional[str] = None) -> list[int]:
    first, last = block
    taken = taken_numbers(first, last, day)
    return [n for n in range(first, last + 1) if n not in taken]


def next_customer_code() -> Optional[str]:
    """The lowest free number of this laptop's leased blocks, or None (not in a team, or
    past its blocks: the caller falls back to the local rule)."""
    if clock.clock is None:
        return None
    for block in blocks():
        free = free_numbers(block)
        if free:
            return code(free[0])
    return None


def next_complaint_number(received: dt.date) -> Optional[str]:
    """The lowest free number of the blocks this laptop leased for the received day, or
    None (not in a team, no block for that day, or past them: the caller falls back to the
    local rule)."""
    if clock.clock is None:
        return None
    day = day_key(received)
    for block in sorted(day_blocks(day)):
        free = free_numbers(block, day)
        if free:
            return complaint_number(day, free[0])
    return None
