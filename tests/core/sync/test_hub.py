"""The team hub's commands against a real PostgreSQL (issue 20): init on an empty database,
init twice refused, add-user / remove-user / status, bad names, a rep without a team. A
refusal is a CrmError whose one sentence (crmdesk.core.messages.message) says what to do."""
from __future__ import annotations

import psycopg
import pytest

from crmdesk.core.errors import CrmError
from crmdesk.core.messages import message
from crmdesk.core.sync import hub
from crmdesk.core.sync.connection import parse


@pytest.fixture
def admin(pg_cluster, hub_db):
    return parse(pg_cluster.url(hub_db))


def query(pg_cluster, hub_db, text, params=()):
    with psycopg.connect(pg_cluster.url(hub_db), autocommit=True) as conn:
        return conn.execute(text, list(params)).fetchall()


def refused(call, *args, **kwargs) -> CrmError:
    with pytest.raises(CrmError) as caught:
        call(*args, **kwargs)
    return caught.value


def test_init_makes_the_schema_the_roles_and_the_first_manager(pg_cluster, hub_db, admin):
    made = hub.init(admin, manager="boss", team="北京一组")
    assert made  # the new manager's password, shown once
    assert query(pg_cluster, hub_db, "SELECT key FROM sync.meta ORDER BY key") == [
        ("channel",), ("epoch",), ("prefix",), ("version",)]
    assert query(pg_cluster, hub_db, "SELECT login, role, active FROM sync.member") == [("boss", "manager", True)]
    groups = {r[0] for r in query(pg_cluster, hub_db, "SELECT rolname FROM pg_roles WHERE rolname LIKE %s",
                                 [hub.prefix(hub_db) + "\\_%"])}
    assert {hub.prefix(hub_db) + "_" + s for s in ("member", "rep", "desk", "manager")} <= groups
    with psycopg.connect(f"postgresql://boss:{made}@127.0.0.1:{pg_cluster.port}/{hub_db}") as conn:
        answer = conn.execute("SELECT sync.hello()").fetchone()[0]
    assert answer["role"] == "manager" and answer["teams"] == ["北京一组"]


def test_init_twice_is_refused_and_changes_nothing(pg_cluster, hub_db, admin):
    hub.init(admin, manager="boss", team="A")
    epoch = query(pg_cluster, hub_db, "SELECT value FROM sync.meta WHERE key = 'epoch'")
    error = refused(hub.init, admin, manager="boss", team="A")
    assert error.code == "sync_hub_exists"
    assert message(error) == (f"{admin.server} is already a crmdesk team server: add people with crmdesk team "
                              "add-user, or give another database.")
    assert query(pg_cluster, hub_db, "SELECT value FROM sync.meta WHERE key = 'epoch'") == epoch


def test_add_user_remove_user_and_status(pg_cluster, hub_db, admin):
    hub.init(admin, manager="boss", team="A")
    password = hub.add_user(admin, "李娜", ["A", "B"], "rep")
    assert password
    assert hub.add_user(admin, "desk1", [], "desk", password="given") == "given"
    with psycopg.connect(f"postgresql://李娜:{password}@127.0.0.1:{pg_cluster.port}/{hub_db}") as conn:
        assert conn.execute("SELECT sync.hello()->'teams'").fetchone()[0] == ["A", "B"]
    status = hub.status(admin)
    assert status.teams == ["A", "B"]
    assert [(m.login, m.role, m.teams, m.active) for m in status.members] == [
        ("boss", "manager", ["A"], True), ("desk1", "desk", [], True), ("李娜", "rep", ["A", "B"], True)]
    assert (status.changes, status.conflicts) == (0, 0)
    # Adding again changes the role and teams.
    hub.add_user(admin, "李娜", ["B"], "rep", password=password)
    assert [m.teams for m in hub.status(admin).members if m.login == "李娜"] == [["B"]]

    hub.remove_user(admin, "李娜")
    assert [(m.login, m.active) for m in hub.status(admin).members][-1] == ("李娜", False)
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        psycopg.connect(f"postgresql://李娜:{password}@127.0.0.1:{pg_cluster.port}/{hub_db}")
    error = refused(hub.remove_user, admin, "李娜")
    assert error.code == "sync_no_such_user"
    assert message(error) == "The team has no member 李娜: crmdesk team status lists them."


@pytest.mark.parametrize("name", ["", "a'b", 'x"y', "drop;table", "a" * 61, "tab\there"])
def test_bad_names_are_refused(pg_cluster, hub_db, admin, name):
    hub.init(admin, manager="boss", team="A")
    error = refused(hub.add_user, admin, name, ["A"], "rep")
    assert error.code == "sync_bad_name"
    assert message(error) == (f"\"{name.strip()}\" cannot be a login or team name: use 1 to 60 characters without quotes "
                              "or semicolons.")
    error = refused(hub.add_user, admin, "li", [name + "'"], "rep")
    assert error.code == "sync_bad_name" and "team name" in message(error)
    assert query(pg_cluster, hub_db, "SELECT login FROM sync.member") == [("boss",)]


def test_a_rep_needs_a_team_and_roles_are_checked(pg_cluster, hub_db, admin):
    hub.init(admin, manager="boss", team="A")
    error = refused(hub.add_user, admin, "li", [], "rep")
    assert message(error) == "A rep works in a team: give li one with --team."
    error = refused(hub.add_user, admin, "li", ["A"], "boss")
    assert message(error) == "boss is not a role: choose rep, desk or manager."
    error = refused(hub.add_user, admin, "postgres", ["A"], "rep")
    assert error.code == "sync_user_is_admin"
    assert query(pg_cluster, hub_db, "SELECT login FROM sync.member") == [("boss",)]


def test_commands_on_a_database_that_is_no_hub_say_so(pg_cluster, hub_db, admin):
    for call, args in ((hub.add_user, ("li", ["A"], "rep")), (hub.remove_user, ("li",)), (hub.status, ())):
        error = refused(call, admin, *args)
        assert message(error) == (f"{admin.server} is a PostgreSQL database but not a crmdesk team server: check "
                                  "the address, or create the team with crmdesk team init.")
