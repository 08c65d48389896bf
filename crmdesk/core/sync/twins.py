"""Twins: two records that two laptops of a team made for one occasion, under two uuids.

The care rules run on every laptop, and a purchase earns its points on each. Their uuids
now come from the occasion's key (``made_ids``), so the laptops make one record; but two
laptops that ran the rules before that, or that keyed a reminder by local ids, sent twins,
and a twin cannot go in beside the record here that holds its key (the table's unique
index): it used to wait in ``sync_parked`` for good, a different one on each laptop.

A twin is settled the same way on every laptop: the smaller uuid stays, the other is
withdrawn (deleted, its key set aside as "twin:<the uuid that stays>:<its own>"), and what
a user did to the withdrawn one (done, skipped, snoozed, withdrawn) is carried to the one
that stays if nobody acted on that one yet. The withdrawal and the carrying are edits of
this laptop's, sent to the team like any (capture on), so the hub and a laptop that joins
later hold the settled pair too."""
from __future__ import annotations

import contextlib
from typing import Callable, Optional

import peewee

from crmdesk.core import clock
from crmdesk.core.models import database, utcnow

KEYS = {"care_event": "rule", "points_entry": "transaction_id"}  # table → the key two laptops both make
CARRIED = ("state", "snoozed_until", "result", "response", "done_at")  # a care event's, as a user leaves it
UNTOUCHED = "due"


def settle(table: str, uuid: str, row: dict, insert: Callable[[dict], int]) -> Optional[tuple[int, int]]:
    """``row``, the columns of the record ``uuid`` from the team, failed to go in. If a
    record here holds its key under another uuid, put it in beside that one and settle
    the pair: (its new local id, the id of the one that was here). None: no twin."""
    key = KEYS.get(table)
    value = row.get(key) if key else None
    if value is None:
        return None
    here = database.execute_sql(f'SELECT id, uuid FROM "{table}" WHERE "{key}" = ?', [value]).fetchone()
    if here is None or here[1] == uuid:
        return None
    here_id, here_uuid = here
    try:
        with database.atomic():  # all of it or nothing: a part of a record only cannot go in
            if uuid < here_uuid:  # the one coming stays
                done = _done_to(table, here_id)
                with _capturing():
                    _withdraw(table, key, here_id, here_uuid, uuid)
                local = insert(row)
                kept = local
            else:
                done = {name: row.get(name) for name in (*CARRIED, "deleted_at")}
                local = insert({**row, key: None})
                with _capturing():
                    _withdraw(table, key, local, uuid, here_uuid)
                kept = here_id
            if table == "care_event":
                with _capturing():
                    _carry(done, kept)
    except peewee.IntegrityError:
        return None
    return local, here_id


def withdrawn(table: str, columns: dict) -> bool:
    """Whether the fields ``columns`` of a record not here are a twin's withdrawal: a
    laptop that never held the twin (its download kept the one that stays) has nothing to
    apply them to, and nothing will come for them to wait for."""
    key = KEYS.get(table)
    if key == "rule":
        return str(columns.get("rule") or "").startswith("twin:")
    return (key is not None and set(columns) <= {key, "deleted_at"} and key in columns
            and columns[key] is None and columns.get("deleted_at") is not None)


@contextlib.contextmanager
def _capturing():
    """This laptop's own edits (sent to the team) inside an apply, which captures nothing."""
    was, clock.capturing = clock.capturing, clock.clock is not None
    try:
        yield
    finally:
        clock.capturing = was


def _withdraw(table: str, key: str, local: int, own: str, stays: str) -> None:
    """Only the key and the deletion change: a colleague's edit of the same record (done,
    on the laptop that made it) is no conflict to list."""
    spare = f"'twin:{stays}:{own}'" if key == "rule" else "NULL"
    database.execute_sql(f'UPDATE "{table}" SET "{key}" = {spare}, deleted_at = COALESCE(deleted_at, ?) WHERE id = ?',
                         [utcnow().isoformat(" "), local])


def _done_to(table: str, local: int) -> dict:
    if table != "care_event":
        return {}
    names = (*CARRIED, "deleted_at")
    row = database.execute_sql(f"SELECT {', '.join(names)} FROM care_event WHERE id = ?", [local]).fetchone()
    return dict(zip(names, row))


def _carry(done: dict, kept: int) -> None:
    """What a user (or this laptop's rules) did to the withdrawn care event, before it was
    withdrawn, onto the one that stays, unless that one was acted on too: each laptop's
    own user saw it and did something, and the one that stays keeps what was done to it."""
    now = database.execute_sql("SELECT state, deleted_at FROM care_event WHERE id = ?", [kept]).fetchone()
    if not done or now is None or now[0] != UNTOUCHED or now[1] is not None:
        return
    if done.get("deleted_at") is not None:
        changes = {"deleted_at": done["deleted_at"]}
    elif done.get("state", UNTOUCHED) != UNTOUCHED:
        changes = {name: done.get(name) for name in CARRIED}
    else:
        return
    sets = ", ".join(f'"{name}" = ?' for name in changes)
    database.execute_sql(f"UPDATE care_event SET {sets}, version = version + 1 WHERE id = ?", [*changes.values(), kept])
