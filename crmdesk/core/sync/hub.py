"""Running the team hub: ``crmdesk team init | add-user | remove-user | status``. These
connect as a PostgreSQL administrator (a role that may create roles); the schema, the group
roles (``<prefix>_member``, ``_rep``, ``_desk``, ``_manager``) and the members are theirs."""
from __future__ import annotations

import re
import secrets
import uuid
from dataclasses import dataclass, field
from typing import Optional

import psycopg
from psycopg import sql

from crmdesk.core.errors import CrmError
from crmdesk.core.sync import duplicates_met, server_schema, server_writes, team_settings
from crmdesk.core.sync.connection import Address, connect

ROLES = ("rep", "desk", "manager")
NAME = re.compile(r"^[^\x00-\x1f\"'\\;]{1,60}$")  # a login or team name: no quotes, no control characters


def prefix(database: str) -> str:
    """Group roles are cluster-wide; one PostgreSQL may serve several teams' databases."""
    return "crm_" + re.sub(r"[^a-z0-9_]", "_", database.lower())[:40]


def _check_name(name: str, what: str) -> str:
    name = (name or "").strip()
    if not NAME.match(name):
        raise CrmError("sync_bad_name", what=what, name=name)
    return name


def _admin(address: Address) -> psycopg.Connection:
    return connect(address, autocommit=False)


def is_hub(conn: psycopg.Connection) -> bool:
    with conn.cursor() as cur:
        cur.execute("SELECT to_regclass('sync.meta') IS NOT NULL")
        return bool(cur.fetchone()[0])


def init(address: Address, manager: Optional[str] = None, manager_password: Optional[str] = None,
         team: str = "") -> Optional[str]:
    """Create the hub on an empty database; ``manager`` (default: the administrator) is
    the first manager. Returns the password made for a new manager login, or None."""
    manager = _check_name(manager or address.user, "user")
    team = _check_name(team, "team") if team else ""
    group = prefix(address.database)
    made = None
    with _admin(address) as conn:
        if is_hub(conn):
            raise CrmError("sync_hub_exists", server=address.server)
        with conn.cursor() as cur:
            cur.execute("SELECT current_setting('server_version_num')::int")
            if cur.fetchone()[0] < 130000:
                raise CrmError("sync_server_too_old", server=address.server)
            cur.execute(server_schema.TABLES)
            cur.execute(server_schema.FUNCTIONS)
            cur.execute(server_writes.WRITES)
            cur.execute(server_schema.POLICIES)
            for role in ("member",) + ROLES:
                cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [f"{group}_{role}"])
                if not cur.fetchone():
                    cur.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(f"{group}_{role}")))
            member = sql.Identifier(f"{group}_member").as_string(cur)
            cur.execute(server_schema.GRANTS.format(member=member))
            cur.execute(team_settings.HUB_SQL.format(member=member))
            cur.execute(duplicates_met.HUB_SQL)
            cur.execute("INSERT INTO sync.meta VALUES ('version', %s), ('epoch', %s), ('channel', %s), ('prefix', %s)",
                        [str(server_schema.VERSION), str(uuid.uuid4()), f"{group}_changes", group])
            if team:
                cur.execute("INSERT INTO sync.team (name) VALUES (%s)", [team])
            if manager != address.user:
                made = manager_password or secrets.token_urlsafe(12)
            _add(cur, group, manager, "manager", [team] if team else [], made)
        conn.commit()
    return made


def _add(cur, group: str, name: str, role: str, teams: list[str], password: Optional[str]) -> None:
    cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name])
    ident = sql.Identifier(name)
    if not cur.fetchone():
        cur.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(ident, sql.Literal(password)))
    elif password is not None:
        cur.execute(sql.SQL("ALTER ROLE {} LOGIN PASSWORD {}").format(ident, sql.Literal(password)))
    else:
        cur.execute(sql.SQL("ALTER ROLE {} LOGIN").format(ident))
    for other in ROLES:
        if other != role:
            cur.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(f"{group}_{other}"), ident))
    cur.execute(sql.SQL("GRANT {}, {} TO {}").format(sql.Identifier(f"{group}_member"),
                                                     sql.Identifier(f"{group}_{role}"), ident))
    ids = []
    for team in teams:
        cur.execute("INSERT INTO sync.team (name) VALUES (%s) ON CONFLICT (name) DO UPDATE SET name = excluded.name "
                    "RETURNING id", [team])
        ids.append(cur.fetchone()[0])
    cur.execute("INSERT INTO sync.member (login, role, teams) VALUES (%s, %s, %s) "
                "ON CONFLICT (login) DO UPDATE SET role = excluded.role, teams = excluded.teams, active = true, "
                "removed_at = NULL", [name, role, ids])


def _hub_prefix(cur, address: Address) -> str:
    try:
        cur.execute("SELECT value FROM sync.meta WHERE key = 'prefix'")
    except psycopg.errors.UndefinedTable:
        raise CrmError("sync_not_hub", server=address.server) from None
    return cur.fetchone()[0]


def add_user(address: Address, name: str, teams: list[str], role: str, password: Optional[str] = None) -> str:
    """Add (or change) a member; returns the password set, made up when none was given."""
    name = _check_name(name, "user")
    teams = [_check_name(t, "team") for t in teams if t.strip()]
    if role not in ROLES:
        raise CrmError("sync_bad_role", role=role)
    if role == "rep" and not teams:
        raise CrmError("sync_rep_needs_team", user=name)
    if name == address.user:
        raise CrmError("sync_user_is_admin", user=name)
    password = password or secrets.token_urlsafe(12)
    with _admin(address) as conn:
        with conn.cursor() as cur:
            group = _hub_prefix(cur, address)
            _add(cur, group, name, role, teams, password)
        conn.commit()
    return password


def remove_user(address: Address, name: str) -> None:
    """The login can no longer sign in, pull or push; its records stay the company's."""
    with _admin(address) as conn:
        with conn.cursor() as cur:
            _hub_prefix(cur, address)
            cur.execute("UPDATE sync.member SET active = false, removed_at = now() WHERE login = %s AND active", [name])
            if cur.rowcount == 0:
                raise CrmError("sync_no_such_user", user=name)
            cur.execute(sql.SQL("ALTER ROLE {} NOLOGIN").format(sql.Identifier(name)))
            cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", [name])
        conn.commit()


@dataclass
class Member:
    login: str
    role: str
    teams: list[str]
    active: bool
    last_push: object = None
    last_pull: object = None
    waiting: int = 0
    devices: int = 0


@dataclass
class Status:
    server: str
    members: list[Member] = field(default_factory=list)
    teams: list[str] = field(default_factory=list)
    changes: int = 0
    conflicts: int = 0


def status(address: Address) -> Status:
    with _admin(address) as conn:
        with conn.cursor() as cur:
            _hub_prefix(cur, address)
            result = Status(address.server)
            cur.execute("SELECT name FROM sync.team ORDER BY name")
            result.teams = [row[0] for row in cur.fetchall()]
            cur.execute("""
                SELECT m.login, m.role, m.active,
                       ARRAY(SELECT t.name FROM sync.team t WHERE t.id = ANY (m.teams) ORDER BY t.name),
                       max(d.last_push), max(d.last_pull), coalesce(sum(d.waiting), 0), count(d.site)
                FROM sync.member m LEFT JOIN sync.device d ON d.login = m.login
                GROUP BY m.login ORDER BY m.active DESC, m.login""")
            result.members = [Member(login, role, list(teams), active, push, pull, int(waiting), devices)
                              for login, role, active, teams, push, pull, waiting, devices in cur.fetchall()]
            cur.execute("SELECT count(*) FROM sync.change")
            result.changes = cur.fetchone()[0]
            cur.execute("SELECT count(*) FROM sync.conflict WHERE resolved_at IS NULL")
            result.conflicts = cur.fetchone()[0]
        conn.rollback()
    return result
