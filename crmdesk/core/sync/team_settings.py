"""Business settings the team shares (issue 20): pipeline stages, visit frequencies,
complaint deadlines and options, the complaint team, care rules and templates, the
analytics' parameters. Each is one JSON value on the hub (``sync.setting``), the later time
winning; every member reads them, a manager may change any, the desk those of complaints
and care (the hub checks it: ``sync.put_setting``). What each laptop keeps for itself
(when care last ran, import column plans, the analytics' snapshot) stays home.

On the laptop a trigger on ``setting`` marks a shared key changed (``sync_setting``) with
the clock's time; each sync sends the changed ones and takes the hub's newer ones. When a
laptop joins, its values go up only where the hub has none yet (with the oldest time), so
the first laptop sets the team's settings and the others take them."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import psycopg

from crmdesk.core import clock
from crmdesk.core import custom_fields
from crmdesk.core.analytics import settings as analytics_settings
from crmdesk.core.changes import Changes
from crmdesk.core.models import database
from crmdesk.core.sales import stages
from crmdesk.core.care import settings as care_settings
from crmdesk.core.complaints import settings as complaint_settings
from crmdesk.core.visits import planning as visit_planning
from crmdesk.core.sync import state

# key -> who besides a manager may change it
SHARED = {
    stages.KEY: (),
    visit_planning.FREQUENCY_KEY: (),
    analytics_settings.KEY: (),
    complaint_settings.DEADLINES_KEY: ("desk",),
    complaint_settings.OPTIONS_KEY: ("desk",),
    complaint_settings.TEAM_KEY: ("desk",),
    care_settings.RULES_KEY: ("desk",),
    care_settings.TEMPLATES_KEY: ("desk",),
    custom_fields.KEY: ("rep", "desk"),  # anyone who imports makes a field of a column
}


def _array(names) -> str:
    return "ARRAY[" + ", ".join(f"'{name}'" for name in sorted(names)) + "]::text[]"


HUB_SQL = r"""
CREATE TABLE sync.setting (key text PRIMARY KEY, value jsonb NOT NULL, hlc text NOT NULL, actor text NOT NULL,
    at timestamptz NOT NULL DEFAULT now());
ALTER TABLE sync.setting ENABLE ROW LEVEL SECURITY;
CREATE POLICY visible ON sync.setting FOR SELECT USING ((SELECT sync.my_teams()) IS NOT NULL);

-- A laptop's value of a shared setting: 'taken', 'older' (the hub holds a later one) or
-- 'refused' (this login may not change it: the laptop takes the hub's back).
CREATE FUNCTION sync.put_setting(k text, v jsonb, h text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = sync, pg_temp AS $$
DECLARE my_role text := (SELECT role FROM sync.member WHERE login = session_user AND active);
BEGIN
    IF my_role IS NULL THEN
        RAISE EXCEPTION 'crmdesk: not a team member' USING ERRCODE = '42501';
    END IF;
    IF k IS NULL OR NOT k = ANY (@SHARED@) OR v IS NULL OR h IS NULL THEN
        RAISE EXCEPTION 'crmdesk: no shared setting %', k USING ERRCODE = '22023';
    END IF;
    IF NOT (my_role = 'manager' OR (my_role = 'desk' AND k = ANY (@DESK@)) OR (my_role = 'rep' AND k = ANY (@REP@))) THEN
        RETURN 'refused';
    END IF;
    INSERT INTO sync.setting AS s (key, value, hlc, actor) VALUES (k, v, h, session_user)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value, hlc = excluded.hlc, actor = excluded.actor, at = now()
        WHERE excluded.hlc > s.hlc;
    IF NOT FOUND THEN
        RETURN 'older';
    END IF;
    PERFORM pg_notify((SELECT value FROM sync.meta WHERE key = 'channel'), '');
    RETURN 'taken';
END $$;
REVOKE EXECUTE ON FUNCTION sync.put_setting(text, jsonb, text) FROM PUBLIC;
GRANT SELECT ON sync.setting TO {member};
GRANT EXECUTE ON FUNCTION sync.put_setting(text, jsonb, text) TO {member};
""".replace("@SHARED@", _array(SHARED)).replace("@DESK@", _array(k for k, who in SHARED.items() if "desk" in who)) \
   .replace("@REP@", _array(k for k, who in SHARED.items() if "rep" in who))


def trigger_sql() -> list[str]:
    keys = ", ".join(f"'{key}'" for key in sorted(SHARED))
    mark = "BEGIN INSERT OR REPLACE INTO sync_setting (key, hlc, pending) VALUES (NEW.key, crm_hlc(), 1); END"
    return [f'CREATE TRIGGER "sync_setting_{when.lower()}" AFTER {when} ON "setting" '
            f"WHEN crm_capture() AND NEW.key IN ({keys}) {mark}" for when in ("INSERT", "UPDATE")]


def offer_all() -> None:
    """A laptop joining: its shared settings go up where the hub has none yet (the oldest
    time loses to any value there), else the hub's come down."""
    oldest = clock.make(0, 0, clock.clock.site if clock.clock else "")
    keys = list(SHARED)
    database.execute_sql(
        f"INSERT OR REPLACE INTO sync_setting (key, hlc, pending) SELECT key, ?, 1 FROM setting "
        f"WHERE key IN ({','.join('?' * len(keys))})", [oldest, *keys])


def _put(conn: psycopg.Connection, key: str, value: str, hlc: str) -> str:
    """The hub's answer to this laptop's value; "unknown" from a hub made by an older
    crmdesk that does not share this setting yet (it stays on this laptop, as before)."""
    try:
        with conn.transaction():  # a savepoint: the refusal does not end the sync's transaction
            return conn.execute("SELECT sync.put_setting(%s, %s::jsonb, %s)", [key, value, hlc]).fetchone()[0]
    except psycopg.errors.InvalidParameterValue:
        return "unknown"


@dataclass
class Exchanged:
    sent: int = 0
    received: int = 0
    refused: list = field(default_factory=list)  # keys this login may not change
    changes: list = field(default_factory=list)


def exchange(conn: psycopg.Connection) -> Exchanged:
    """Send what this laptop changed, then take the hub's later values."""
    out = Exchanged()
    oldest = clock.make(0, 0, "")
    for key, hlc, value in database.execute_sql(
            "SELECT k.key, k.hlc, s.value FROM sync_setting k JOIN setting s ON s.key = k.key WHERE k.pending = 1"):
        # A damaged value (not JSON) stays home, unsent, as it is: the services read it as the defaults.
        answer = _put(conn, key, value, hlc) if _json(value) else "damaged"
        with database.atomic():
            if answer == "refused":
                if not hlc.startswith(oldest):  # what a joining laptop offered is no change of anyone's
                    out.refused.append(key)
                database.execute_sql("UPDATE sync_setting SET hlc = '', pending = 0 WHERE key = ?", [key])
            else:
                out.sent += answer == "taken"
                database.execute_sql("UPDATE sync_setting SET pending = 0 WHERE key = ? AND hlc = ?", [key, hlc])
    known = dict(database.execute_sql("SELECT key, hlc FROM sync_setting WHERE pending = 0"))
    pending = {row[0] for row in database.execute_sql("SELECT key FROM sync_setting WHERE pending = 1")}
    held = {key: (value, hlc) for key, value, hlc in conn.execute("SELECT key, value::text, hlc FROM sync.setting")}
    newer = [(key, value, hlc) for key, (value, hlc) in held.items()
             if key in SHARED and key not in pending and hlc > known.get(key, "")]
    # A refused change of a setting the team has not set: back to the defaults everyone has.
    newer += [(key, None, "") for key in out.refused if key not in held]
    if newer:
        was, clock.capturing = clock.capturing, False
        try:
            with database.atomic():
                for key, value, hlc in newer:
                    if value is None:
                        database.execute_sql("DELETE FROM setting WHERE key = ?", [key])
                    else:
                        database.execute_sql("INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)",
                                             [key, value])
                    database.execute_sql("INSERT OR REPLACE INTO sync_setting (key, hlc, pending) VALUES (?, ?, 0)",
                                         [key, hlc])
                    if clock.clock and hlc:
                        clock.clock.receive(hlc)
        finally:
            clock.capturing = was
        out.received = len(newer)
        out.changes = [Changes.reset()]
    return out


def _json(text: str) -> bool:
    try:
        json.loads(text)
    except (TypeError, ValueError):
        return False
    return True


def may_change(key: str) -> bool:
    """Whether this login may change a setting: anyone alone; in a team a manager, the desk
    the settings of complaints and care, a rep none of the shared ones."""
    rows = state.read()
    if rows.get("joined") != "1" or key not in SHARED:
        return True
    role = rows.get("role")
    return role == "manager" or role in SHARED[key]


def desk_may_change(key: str) -> bool:
    return "desk" in SHARED.get(key, ())
