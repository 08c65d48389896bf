"""The care rules' keys name records by their uuids (issue 20, ``crmdesk.core.made_ids``).

Until now a reminder's key held local ids ("no_contact:7:2025-01-01"): customer 7 of one
laptop is another customer on the next, so the laptops of a team made the same reminder
twice, or keyed one reminder two ways. Each key is made again from the uuid of the record
the event itself names (its customer, contact, complaint; a payment reminder's sale by its
customer, date and due date), never from the id in the old key, which on a reminder made
by another laptop is that laptop's. A key whose record is gone stays as it was: the rules
never make it again either way.

On a laptop of no team, each rule-made reminder, and each purchase's points, also takes
the uuid its key gives (``made_ids``), as the rules now make them; the change log follows. A team's
laptop keeps its uuids (the hub knows the records by them) and tells the team the new keys
through its change capture. Where a team's laptop holds a reminder twice (its own and a
twin from another laptop, keyed apart until now) the smaller uuid stays and the other is
withdrawn, its key set aside as "twin:<the uuid that stayed>:<its own>"; every laptop
chooses the same one."""
from __future__ import annotations

import json
import re

from crmdesk.core import clock
from crmdesk.core.made_ids import made_uuid, points_uuid_sql
from crmdesk.core.models import utcnow

# An old key's shape → the column of the event that names the record, its table, and the
# new key from that record's uuid and the old key's other parts.
SHAPES = (
    (re.compile(r"^birthday:p\d+:(.+)$"), "contact_id", "contact", lambda u, g: f"birthday:p{u}:{g[0]}"),
    (re.compile(r"^birthday:c\d+:(.+)$"), "customer_id", "customer", lambda u, g: f"birthday:c{u}:{g[0]}"),
    (re.compile(r"^(purchase|anniversary|no_contact|no_purchase):\d+:(.+)$"), "customer_id", "customer",
     lambda u, g: f"{g[0]}:{u}:{g[1]}"),
    (re.compile(r"^festival:(.+):(\d{4}):\d+$"), "customer_id", "customer", lambda u, g: f"festival:{g[0]}:{g[1]}:{u}"),
    (re.compile(r"^complaint:\d+(:\d+)?$"), "complaint_id", "complaint", lambda u, g: f"complaint:{u}{g[0] or ''}"),
    (re.compile(r"^payment_due:\d+:(.+)$"), "", "sale", lambda u, g: f"payment_due:{u}:{g[0]}"),
)


def new_key(rule: str, event: dict, uuids: "Uuids") -> str | None:
    """The key ``rule`` becomes for ``event`` (its columns); None: it stays."""
    for pattern, column, table, spell in SHAPES:
        match = pattern.match(rule)
        if match:
            found = uuids.sale(event) if table == "sale" else uuids.of(table, event[column])
            return None if found is None else spell(found, match.groups())
    return None


class Uuids:
    def __init__(self, db):
        self.db = db
        self.maps: dict[str, dict[int, str]] = {}

    def of(self, table: str, local_id) -> str | None:
        if local_id is None:
            return None
        if table not in self.maps:
            self.maps[table] = dict(self.db.execute_sql(f'SELECT id, uuid FROM "{table}"').fetchall())
        return self.maps[table].get(local_id)

    def sale(self, event: dict) -> str | None:
        """A payment reminder's sale: its customer's, of the day and due date the
        reminder's figures name (the sale id in them is the laptop's that made it)."""
        try:
            facts = json.loads(event["facts"] or "{}")
        except ValueError:
            return None
        if not isinstance(facts, dict):
            return None
        rows = self.db.execute_sql("SELECT uuid FROM sale WHERE customer_id = ? AND date = ? AND due_on = ? "
                                   "ORDER BY deleted_at IS NOT NULL, id",
                                   (event["customer_id"], facts.get("date"), facts.get("due_on"))).fetchall()
        return rows[0][0] if rows else None


def up(db) -> None:
    # on this connection too: the integrity check replays the migrations in a database of its own
    db.connection().create_function("crm_made_uuid", 1, made_uuid, deterministic=True)
    team = db.execute_sql("SELECT value FROM sync_state WHERE key = 'joined'").fetchone()
    in_team = bool(team and team[0] == "1")
    columns = ("id", "uuid", "rule", "customer_id", "contact_id", "complaint_id", "facts", "deleted_at")
    events = [dict(zip(columns, row)) for row in db.execute_sql(
        f"SELECT {', '.join(columns)} FROM care_event WHERE rule IS NOT NULL ORDER BY uuid")]
    uuids = Uuids(db)
    by_key: dict[str, dict] = {}
    for event in events:
        key = new_key(event["rule"], event, uuids)
        if key is None:
            continue
        event["key"] = key
        if key not in by_key:
            by_key[key] = event  # the smallest uuid first (ordered so)
        else:
            event["twin_of"] = by_key[key]["uuid"]
    moved = [event for event in events if "key" in event]
    now = utcnow().isoformat(" ")
    if in_team:
        clock.load()  # the team hears of the new keys as of any edit (capture on, for this block)
    try:
        # No new key can be an old one (a uuid where an id was), so they change in place.
        db.connection().executemany("UPDATE care_event SET rule = ? WHERE id = ?",
                                    [(e["key"], e["id"]) for e in moved if "twin_of" not in e])
        db.connection().executemany(
            "UPDATE care_event SET rule = ?, deleted_at = COALESCE(deleted_at, ?) WHERE id = ?", [(f"twin:{e['twin_of']}:{e['uuid']}", now, e["id"]) for e in moved if "twin_of" in e])
        db.connection().executemany("UPDATE care_event SET facts = ? WHERE id = ?", [
            (_sale_named(event["facts"], event["key"].split(":")[1]), event["id"])
            for event in moved if event["rule"].startswith("payment_due:") and "twin_of" not in event])
    finally:
        if in_team:
            clock.reset()
    if in_team:
        return
    db.connection().executemany("UPDATE care_event SET uuid = ? WHERE id = ?", [
        (made_uuid(event["key"]), event["id"]) for event in moved if not event["rule"].startswith("complaint:")])
    db.execute_sql(f"UPDATE points_entry SET uuid = {points_uuid_sql('t.uuid')} FROM transactions t "
                   "WHERE t.id = points_entry.transaction_id")
    for table in ("care_event", "points_entry"):
        db.execute_sql(f"UPDATE change_log SET record_uuid = x.uuid FROM {table} x WHERE change_log.entity = ? "
                       "AND x.id = change_log.record_id AND change_log.record_uuid != x.uuid", [table])


def _sale_named(facts: str, sale: str) -> str:
    """A payment reminder's figures naming its sale by uuid ("sale"), not by this or
    another laptop's id ("sale_id")."""
    values = json.loads(facts)  # the sale was found from them: they are JSON
    values.pop("sale_id", None)
    values["sale"] = sale
    return json.dumps(values, ensure_ascii=False)
