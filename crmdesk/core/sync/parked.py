"""Team changes that name a record this laptop does not hold yet wait in ``sync_parked``
until it arrives. The hub sends parents before children, but not every reference points
up: a visit names its follow-up, a complaint the one it repeats, and a hand-over sends each
table's records in uuid order; a change package may come before the one holding the
customer. Such a field (or, when the reference is required, the whole record) is parked,
not applied and not remembered as known, and applied with its own time once the record it
names is here, where the later time wins as in any pull.

A record that waits for itself (its insert failed) may be the twin of one here, made on
another laptop for the same occasion (``twins``): it is ready when a record here holds
its key, and settled as it goes in."""
from __future__ import annotations

from typing import Iterable

from crmdesk.core.models import database
from crmdesk.core.sync.entities import ENTITIES, RANK


def park(rows: Iterable[tuple]) -> None:
    """Keep (entity, uuid, field, value, hlc, actor, waits_in, waits_for) rows; a newer time
    for the same field replaces an older one."""
    rows = list(rows)
    if rows:
        database.cursor().executemany(
            "INSERT INTO sync_parked (entity, uuid, field, value, hlc, actor, waits_in, waits_for) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (uuid, field) DO UPDATE SET value = excluded.value, "
            "hlc = excluded.hlc, actor = excluded.actor, waits_in = excluded.waits_in, waits_for = excluded.waits_for "
            "WHERE excluded.hlc > sync_parked.hlc", rows)


def ready() -> list[tuple]:
    """The parked fields of every record whose awaited record is here now, taken out of
    the table (each record with all its parked fields), parents first: (entity, uuid,
    field, value, hlc, actor) rows."""
    known = {entity.table for entity in ENTITIES}
    tables = [row[0] for row in database.execute_sql("SELECT DISTINCT waits_in FROM sync_parked") if row[0] in known]
    uuids: list[str] = []
    for table in tables:
        uuids += [row[0] for row in database.execute_sql(
            f'SELECT DISTINCT p.uuid FROM sync_parked p JOIN "{table}" t ON t.uuid = p.waits_for '
            "WHERE p.waits_in = ?", [table])]
    uuids += twins_ready()
    out: list[tuple] = []
    for start in range(0, len(uuids), 500):
        chunk = uuids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        out += database.execute_sql(f"SELECT entity, uuid, field, value, hlc, actor FROM sync_parked "
                                    f"WHERE uuid IN ({marks})", chunk).fetchall()
        database.execute_sql(f"DELETE FROM sync_parked WHERE uuid IN ({marks})", chunk)
    return sorted(out, key=lambda row: (RANK.get(row[0], len(RANK)), row[1]))  # parents first


# A twin's parked key field matches a record here: the rule key as it is, the points'
# purchase by its uuid.
TWINS = (
    "SELECT DISTINCT p.uuid FROM sync_parked p JOIN care_event t ON t.rule = json_extract(p.value, '$') "
    "WHERE p.waits_in = 'care_event' AND p.waits_for = p.uuid AND p.field = 'rule'",
    "SELECT DISTINCT p.uuid FROM sync_parked p JOIN transactions x ON x.uuid = json_extract(p.value, '$') "
    "JOIN points_entry t ON t.transaction_id = x.id "
    "WHERE p.waits_in = 'points_entry' AND p.waits_for = p.uuid AND p.field = 'transaction_id'",
)


def twins_ready() -> list[str]:
    """The records parked for themselves that are twins of one here (see ``twins``)."""
    return [row[0] for sql in TWINS for row in database.execute_sql(sql)]
