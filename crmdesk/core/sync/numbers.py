"""Customer codes that stay unique across the team (spec team-sync, "Business keys"):
while online a laptop leases blocks of numbers from the hub's counter (``sync.lease``) and
keeps them in ``sync_state`` (key ``numbers``: ``{"customer": [[first, last], ...]}``);
``crmdesk.core.services.customers.next_code`` takes the lowest number of its blocks that
no customer here holds yet. Offline past its blocks a laptop falls back to the old rule
(after the highest code in use): a provisional code that the hub renumbers on a collision
("C000123-2"), which the owner sees as a conflict of kind "renumbered"."""
from __future__ import annotations

import json
from typing import Optional

import psycopg

from crmdesk.core import clock
from crmdesk.core.models import database
from crmdesk.core.sync import state

BLOCK = 100  # numbers per lease
LOW = 20  # lease another block when fewer than this are left
KEY = "numbers"
CUSTOMER = "customer"


def code(number: int) -> str:
    """A customer code as the app writes them: C000123."""
    return f"C{number:06d}"


def blocks(entity: str = CUSTOMER, rows: Optional[dict] = None) -> list[list[int]]:
    rows = rows if rows is not None else state.read()
    return [list(b) for b in json.loads(rows.get(KEY) or "{}").get(entity, [])]


def _taken(first: int, last: int) -> set[int]:
    """The numbers of the block that customers here hold already."""
    found = database.execute_sql(
        "SELECT code FROM customer WHERE code >= ? AND code <= ?", [code(first), code(last)]).fetchall()
    return {int(c[1:]) for (c,) in found if c[1:].isdigit()}


def _free(block: list[int]) -> list[int]:
    first, last = block
    taken = _taken(first, last)
    return [n for n in range(first, last + 1) if n not in taken]


def next_customer_code() -> Optional[str]:
    """The lowest free number of this laptop's leased blocks, or None (not in a team, or
    past its blocks: the caller falls back to the local rule)."""
    if clock.clock is None:
        return None
    for block in blocks():
        free = _free(block)
        if free:
            return code(free[0])
    return None


def remaining(entity: str = CUSTOMER) -> int:
    return sum(len(_free(b)) for b in blocks(entity))


def top_up(conn: psycopg.Connection, size: Optional[int] = None, low: Optional[int] = None) -> Optional[tuple[int, int]]:
    """While online: lease a block (``BLOCK`` numbers) when fewer than ``LOW`` are left, and
    forget the blocks used up. Returns the new block (first, last) or None."""
    size, low = size or BLOCK, LOW if low is None else low
    rows = state.read()
    kept = [b for b in blocks(CUSTOMER, rows) if _free(b)]
    if sum(len(_free(b)) for b in kept) >= low:
        if kept != blocks(CUSTOMER, rows):
            _store(kept, rows)
        return None
    first, upper = conn.execute("SELECT lower(r), upper(r) FROM sync.lease(%s, %s, %s) AS r",
                                [CUSTOMER, rows.get("site", ""), size]).fetchone()
    kept.append([int(first), int(upper) - 1])
    _store(kept, rows)
    return int(first), int(upper) - 1


def _store(kept: list, rows: dict) -> None:
    numbers = json.loads(rows.get(KEY) or "{}")
    numbers[CUSTOMER] = kept
    with database.atomic():
        state.write(**{KEY: numbers})


def codes_waiting() -> bool:
    """Does the outbox hold a customer code or complaint number made here? The hub may
    renumber it: a sync then pushes before it pulls, so the record that holds the code on
    the team never meets this laptop's copy of the same code (both are unique here)."""
    return database.execute_sql(
        "SELECT EXISTS (SELECT 1 FROM sync_outbox WHERE (entity = 'customer' AND field = 'code') "
        "OR (entity = 'complaint' AND field = 'number'))").fetchone()[0] == 1
