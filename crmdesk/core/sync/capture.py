"""Change capture: triggers on every shared table write each edited field to the outbox,
in the edit's own transaction, stamped by the hybrid clock (``crm_hlc()``). Whatever wrote
the row (a form, an import, a bulk edit, the command line), the edit goes out; an edit
applied from the team (capture off meanwhile) never goes back out.

The triggers exist only while the database belongs to a team: ``install`` when it joins,
``remove`` when it leaves. ``snapshot`` puts every shared record in the outbox at once, for
a hub restored from a backup (a first upload reads the tables itself: ``upload``)."""
from __future__ import annotations


from crmdesk.core import clock
from crmdesk.core.models import database
from crmdesk.core.sync import team_settings
from crmdesk.core.sync.entities import ENTITIES, Entity

OUTBOX_COLUMNS = "hlc, entity, uuid, field, value, parent, seen, actor"
# The team a customer made on this laptop without one belongs to: the login's first team
# (a rep's customers are the team's; without it the other reps' laptops would drop it).
DEFAULT_TEAM = "coalesce((SELECT json_extract(value, '$[0]') FROM sync_state WHERE key = 'teams'), '')"


def _value(entity: Entity, column: str, row: str = "NEW") -> str:
    """The JSON text of a column; a reference as the uuid of the record it names."""
    target = entity.refs.get(column)
    if entity.name == "customer" and column == "team" and row == "NEW":
        return f"json_quote(CASE WHEN NEW.team = '' THEN {DEFAULT_TEAM} ELSE NEW.team END)"
    if target:
        return f'json_quote((SELECT uuid FROM "{target}" WHERE id = {row}."{column}"))'
    return f'json_quote({row}."{column}")'


def _selects(entity: Entity, changed_only: bool, row: str = "NEW") -> str:
    parts = []
    for column in entity.fields:
        where = f' WHERE {row}."{column}" IS NOT OLD."{column}"' if changed_only else ""
        parts.append(f"SELECT '{column}' AS f, {_value(entity, column, row)} AS v{where}")
    return " UNION ALL ".join(parts)


def trigger_sql(entity: Entity) -> list[str]:
    table = entity.table
    parent = entity.parent_sql
    head = f"INSERT INTO sync_outbox ({OUTBOX_COLUMNS}) SELECT crm_hlc(), '{entity.name}', NEW.uuid, f, v, {parent}, crm_seen(), crm_actor()"
    extra = []
    if entity.name == "customer":  # a new customer takes the login's team (what went out says so too)
        extra.append(f'CREATE TRIGGER "sync_{table}_team" AFTER INSERT ON "{table}" WHEN crm_capture() AND NEW.team = \'\' '
                     f"BEGIN UPDATE \"{table}\" SET team = {DEFAULT_TEAM} WHERE id = NEW.id; END")
    return extra + [
        f'CREATE TRIGGER "sync_{table}_insert" AFTER INSERT ON "{table}" WHEN crm_capture() BEGIN '
        f"{head} FROM ({_selects(entity, False)}) WHERE v IS NOT NULL AND v <> 'null'; END",
        f'CREATE TRIGGER "sync_{table}_update" AFTER UPDATE ON "{table}" WHEN crm_capture() BEGIN '
        f"{head} FROM ({_selects(entity, True)}); END",
        # A record removed for good (rare: the services delete softly) leaves the team deleted.
        f'CREATE TRIGGER "sync_{table}_delete" AFTER DELETE ON "{table}" WHEN crm_capture() AND OLD.deleted_at IS NULL BEGIN '
        f"INSERT INTO sync_outbox ({OUTBOX_COLUMNS}) VALUES (crm_hlc(), '{entity.name}', OLD.uuid, 'deleted_at', "
        f"json_quote(strftime('%Y-%m-%d %H:%M:%S', 'now')), NULL, crm_seen(), crm_actor()); END",
    ]


def install() -> None:
    remove()
    for entity in ENTITIES:
        for statement in trigger_sql(entity):
            database.execute_sql(statement)
    for statement in team_settings.trigger_sql():
        database.execute_sql(statement)


def after_migrations(db) -> None:
    """A new schema: the triggers of a database that captures (it joined a team) are made
    again from the models, so that a new column is captured too."""
    if db.execute_sql("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'sync\\_%' ESCAPE '\\'"
                      " LIMIT 1").fetchone():
        install()


def remove() -> None:
    names = [row[0] for row in database.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'sync\\_%' ESCAPE '\\'")]
    for name in names:
        database.execute_sql(f'DROP TRIGGER "{name}"')


def snapshot(resend_seen: str) -> int:
    """Every shared record into the outbox, parents first. Returns the rows added.

    ``resend_seen`` (a pull cursor of the hub as it is now): the hub was restored from a
    backup and lost some of what it had. Each field goes again with the time this laptop
    knows for it (the oldest possible when it knows none) and as made after everything the
    hub holds: the hub takes back what it lost, keeps whatever is newer, and no edit made
    since the restore loses to an old value or turns into a conflict."""
    added = 0
    stamp = "coalesce((SELECT k.hlc FROM sync_field k WHERE k.uuid = x.uuid AND k.field = x.f), ?)"
    seen = "?"
    params = [clock.make(0, 0, clock.clock.site if clock.clock else ""), resend_seen]
    for entity in ENTITIES:
        names = " UNION ALL ".join(f"SELECT '{column}' AS f" for column in entity.fields)
        case = " ".join(f"WHEN '{column}' THEN {_value(entity, column, 'r')}" for column in entity.fields)
        parent = entity.parent_sql.replace("NEW.", "r.")
        cursor = database.execute_sql(
            f"INSERT INTO sync_outbox ({OUTBOX_COLUMNS}) "
            f"SELECT {stamp}, '{entity.name}', uuid, f, v, parent, {seen}, crm_actor() FROM ("
            f"SELECT r.id, r.uuid, x.f, CASE x.f {case} END AS v, {parent} AS parent "
            f'FROM "{entity.table}" r CROSS JOIN ({names}) x ORDER BY r.id) x '
            f"WHERE v IS NOT NULL AND v <> 'null'", params)
        added += cursor.rowcount
    return added
