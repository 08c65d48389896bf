"""Numbers that stay unique across the team (spec team-sync, "Business keys"): customer
codes (C000123) and complaint numbers (CMP-20261206-001, counted per received day). While
online a laptop leases blocks of numbers from the hub's counters (``sync.lease``) and keeps
them in ``sync_state`` (key ``numbers``: ``{"customer": [[first, last], ...], "complaint":
{"20261206": [[first, last], ...]}}``): customer codes a hundred at a time, complaint
numbers ten at a time for its today and tomorrow. A new record takes the lowest number of
its blocks that no record here holds yet. Offline past its blocks (or for a day it has
none) a laptop falls back to the old rule (after the highest in use here): a provisional
number that the hub renumbers on a collision ("C000123-2"), which the owner sees as a
conflict of kind "renumbered"."""
from __future__ import annotations

import datetime as dt
import json
from typing import Optional

import psycopg

from crmdesk.core import clock, number_blocks, team_state
from crmdesk.core.models import database
from crmdesk.core.sync import entities, state

BLOCK = 100  # customer numbers per lease
LOW = 20  # lease another block when fewer than this are left
DAY_BLOCK = 10  # complaint numbers per lease, for one received day
DAY_LOW = 3  # lease another block for a day when fewer than this are left
DAYS = 2  # the days a laptop keeps complaint numbers for: today and tomorrow
ASIDE = "aside"  # sync_state: [[entity, uuid], ...] that stepped aside for a number (``make_room``)
# Numbers that must stay unique (spec: business keys): the hub holds each once.
UNIQUE = {"customer": "code", "complaint": "number"}


def top_up(conn: psycopg.Connection, size: Optional[int] = None, low: Optional[int] = None) -> list[tuple]:
    """While online: lease a block of customer numbers (``BLOCK``) when fewer than ``LOW``
    are left, and one of complaint numbers (``DAY_BLOCK``) for today and for tomorrow when
    fewer than ``DAY_LOW`` are left of that day; forget the blocks used up and the days
    past. Returns what it leased: [(series, first, last), ...]."""
    size, low = size or BLOCK, LOW if low is None else low
    rows = team_state.read()
    site, stored = rows.get("site", ""), number_blocks.stored(rows)
    leased = []

    def lease(what: str, count: int) -> list[int]:
        first, upper = conn.execute("SELECT lower(r), upper(r) FROM sync.lease(%s, %s, %s) AS r",
                                    [what, site, count]).fetchone()
        leased.append((what, int(first), int(upper) - 1))
        return [int(first), int(upper) - 1]

    customer = [b for b in number_blocks.blocks(number_blocks.CUSTOMER, rows) if number_blocks.free_numbers(b)]
    if sum(len(number_blocks.free_numbers(b)) for b in customer) < low:
        customer.append(lease(number_blocks.CUSTOMER, size))
    start = number_blocks.today()
    wanted = [number_blocks.day_key(start + dt.timedelta(days=n)) for n in range(DAYS)]
    days = {}
    for day in sorted(set(stored.get(number_blocks.COMPLAINT, {})) | set(wanted)):
        if day < wanted[0]:
            continue  # a day past: nobody numbers a new complaint from its blocks
        kept = [b for b in number_blocks.day_blocks(day, rows) if number_blocks.free_numbers(b, day)]
        if day in wanted and sum(len(number_blocks.free_numbers(b, day)) for b in kept) < DAY_LOW:
            kept.append(lease(f"{number_blocks.COMPLAINT}:{day}", DAY_BLOCK))
        if kept:
            days[day] = kept
    if customer != number_blocks.blocks(number_blocks.CUSTOMER, rows) or days != stored.get(number_blocks.COMPLAINT, {}):
        with database.atomic():
            state.write(**{number_blocks.KEY: {**stored, number_blocks.CUSTOMER: customer, number_blocks.COMPLAINT: days}})
    return leased


def codes_waiting() -> bool:
    """Does the outbox hold a customer code or complaint number made here? The hub may
    renumber it: a sync then pushes before it pulls, so the record that holds the code on
    the team never meets this laptop's copy of the same code (both are unique here)."""
    return database.execute_sql(
        "SELECT EXISTS (SELECT 1 FROM sync_outbox WHERE (entity = 'customer' AND field = 'code') "
        "OR (entity = 'complaint' AND field = 'number'))").fetchone()[0] == 1


def make_room(entity: entities.Entity, uuid: str, columns: dict) -> None:
    """A number the hub gave this record is held here by another one, made on this laptop
    and not yet pushed (the hub will renumber it and say so) or renumbered meanwhile (its
    new number is on its way): that one steps aside ('C000123~1f2e3d4c'), so the record
    arriving is not lost, and is noted for ``settle``."""
    column = UNIQUE.get(entity.name)
    if column is None or not columns.get(column):
        return
    moved = [row[0] for row in database.execute_sql(
        f'SELECT uuid FROM "{entity.table}" WHERE "{column}" = ? AND uuid <> ?', [columns[column], uuid])]
    if not moved:
        return
    database.execute_sql(f'UPDATE "{entity.table}" SET "{column}" = "{column}" || \'~\' || substr(uuid, 1, 8) '
                         f'WHERE "{column}" = ? AND uuid <> ?', [columns[column], uuid])
    aside = json.loads(team_state.read().get(ASIDE) or "[]")
    state.write(**{ASIDE: aside + [[entity.name, moved_uuid] for moved_uuid in moved]})


def settle(conn: psycopg.Connection) -> int:
    """At the end of a sync, each record that stepped aside takes the number the hub holds
    for it. A change package brings numbers the hub has not given yet: the record that
    stepped aside for one may be the one the hub gave it to, and no answer or pull would
    ever have told it. A record the hub does not hold (yet) waits for the next sync.
    Returns how many took their number."""
    settled, tried, waiting = 0, set(), []
    while True:
        noted = [tuple(x) for x in json.loads(team_state.read().get(ASIDE) or "[]")]
        todo = [x for x in noted if x not in tried]
        if not todo:
            break
        tried.update(todo)
        held = dict(conn.execute("SELECT uuid::text, doc ->> CASE entity WHEN 'customer' THEN 'code' ELSE 'number' END "
                                 "FROM sync.record WHERE uuid = ANY (%s::uuid[])", [[u for _e, u in todo]]).fetchall())
        with database.atomic():
            state.write(**{ASIDE: [list(x) for x in noted if x not in todo]})
            was, clock.capturing = clock.capturing, False  # the hub's number: nothing to send
            try:
                for name, uuid in todo:
                    entity, column = entities.get(name), UNIQUE[name]
                    found = database.execute_sql(f'SELECT "{column}" FROM "{entity.table}" WHERE uuid = ?',
                                                 [uuid]).fetchone()
                    if found is None:
                        continue  # gone from this laptop
                    if held.get(uuid) is None:
                        waiting.append([name, uuid])
                    elif found[0] != held[uuid]:
                        make_room(entity, uuid, {column: held[uuid]})
                        database.execute_sql(f'UPDATE "{entity.table}" SET "{column}" = ? WHERE uuid = ?',
                                             [held[uuid], uuid])
                        settled += 1
            finally:
                clock.capturing = was
    if waiting:
        with database.atomic():
            state.write(**{ASIDE: json.loads(team_state.read().get(ASIDE) or "[]") + waiting})
    return settled
