"""Row-level security of the hub, with the app bypassed (issue 20): a raw psycopg connection
under a rep's login reads nothing of another team, cannot push into another team's record,
cannot write the sync tables directly; a removed login cannot connect; logins outside the
team cannot call the sync functions."""
from __future__ import annotations

import json
import uuid as uuids

import psycopg
import pytest

from crmdesk.core.sync import hub
from tests.core.sync.test_sync_basics import Team, new_customer


@pytest.fixture
def team(pg_cluster, hub_db, tmp_path, time_machine):
    from crmdesk.core.db import close_database
    made = Team(pg_cluster, hub_db, tmp_path)
    time_machine.move_to(made.server_now(), tick=True)
    made.add("li", ["A"])
    made.add("zhao", ["B"])
    li = made.laptop("li").open()
    new_customer("北京华信科技")
    li.join()
    zhao = made.laptop("zhao").open()
    new_customer("广州南方物流")
    zhao.join()
    # A conflict in each team, so every table has rows of both.
    for laptop, name in ((li, "北京华信科技"), (zhao, "广州南方物流")):
        cid = laptop.sql("SELECT uuid FROM customer")[0][0]
        made.query("INSERT INTO sync.conflict (kind, entity, uuid, team, field, loser, loser_hlc) SELECT 'concurrent', "
                   "'customer', %s, team, 'city', '\"x\"', '1' FROM sync.record WHERE uuid = %s", [cid, cid])
    yield made
    close_database()


def connect_as(team: Team, login: str, password: str = None):
    password = password or team.passwords[login]
    return psycopg.connect(f"postgresql://{login}:{password}@127.0.0.1:{team.cluster.port}/{team.db}", autocommit=True)


def team_ids(team: Team) -> dict:
    return dict(team.query("SELECT name, id FROM sync.team"))


@pytest.mark.parametrize("table", ["change", "record", "conflict"])
def test_a_rep_reads_nothing_of_another_team(team, table):
    ids = team_ids(team)
    assert team.query(f"SELECT count(*) FROM sync.{table} WHERE team = %s", [ids["B"]])[0][0] > 0
    with connect_as(team, "li") as conn:
        rows = conn.execute(f"SELECT DISTINCT team FROM sync.{table}").fetchall()
        assert rows == [(ids["A"],)]
        assert conn.execute(f"SELECT count(*) FROM sync.{table} WHERE team = %s", [ids["B"]]).fetchone() == (0,)


def test_a_push_into_another_teams_record_is_refused(team):
    target = team.query("SELECT uuid::text FROM sync.record WHERE team = %s AND entity = 'customer'",
                        [team_ids(team)["B"]])[0][0]
    before = team.query("SELECT field, value, hlc FROM sync.field_state WHERE uuid = %s ORDER BY field", [target])
    changes = team.query("SELECT count(*) FROM sync.change")
    batch = [{"e": "customer", "u": target, "f": "name", "v": json.dumps("抢来的客户"), "h": "9999999999999999-0000-evil",
              "p": target, "n": "", "a": "li"},
             {"e": "contact", "u": str(uuids.uuid4()), "f": "name", "v": json.dumps("王经理"),
              "h": "9999999999999999-0001-evil", "p": target, "n": "", "a": "li"}]
    with connect_as(team, "li") as conn:
        answer = conn.execute("SELECT sync.push(%s::jsonb, 'evil')", [json.dumps(batch)]).fetchone()[0]
    assert answer["applied"] == 0
    assert sorted((r["u"], r["f"]) for r in answer["refused"]) == sorted((b["u"], b["f"]) for b in batch)
    assert team.query("SELECT field, value, hlc FROM sync.field_state WHERE uuid = %s ORDER BY field",
                      [target]) == before
    assert team.query("SELECT count(*) FROM sync.change") == changes
    # Nor may a rep move a customer of its own team to another team (only a manager hands over).
    mine = team.query("SELECT uuid::text FROM sync.record WHERE team = %s AND entity = 'customer'",
                      [team_ids(team)["A"]])[0][0]
    move = [{"e": "customer", "u": mine, "f": "team", "v": json.dumps("B"), "h": "9999999999999999-0002-evil",
             "p": mine, "n": "", "a": "li"}]
    with connect_as(team, "li") as conn:
        answer = conn.execute("SELECT sync.push(%s::jsonb, 'evil')", [json.dumps(move)]).fetchone()[0]
    assert [r["f"] for r in answer["refused"]] == ["team"]
    assert team.query("SELECT t.name FROM sync.record r JOIN sync.team t ON t.id = r.team WHERE r.uuid = %s",
                      [mine]) == [("A",)]


@pytest.mark.parametrize("statement", [
    "INSERT INTO sync.change (entity, uuid, team, doc, hlc, actor) "
    "VALUES ('customer', gen_random_uuid(), 1, '{\"name\": \"x\"}', '1', 'li')",
    "UPDATE sync.record SET doc = '{}'",
    "DELETE FROM sync.change",
    "DELETE FROM sync.conflict",
    "UPDATE sync.record SET team = 1",
    "INSERT INTO sync.member (login, role) VALUES ('li2', 'manager')",
    "UPDATE sync.member SET role = 'manager' WHERE login = 'li'",
    "UPDATE sync.meta SET value = '2' WHERE key = 'version'",
    "TRUNCATE sync.change",
])
def test_writing_the_sync_tables_directly_is_denied(team, statement):
    before = team.query("SELECT (SELECT count(*) FROM sync.change), (SELECT count(*) FROM sync.conflict), "
                        "(SELECT string_agg(value, ',' ORDER BY uuid, field) FROM sync.field_state)")
    with connect_as(team, "li") as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(statement)
    assert team.query("SELECT (SELECT count(*) FROM sync.change), (SELECT count(*) FROM sync.conflict), "
                      "(SELECT string_agg(value, ',' ORDER BY uuid, field) FROM sync.field_state)") == before


def test_a_removed_login_cannot_connect(team):
    hub.remove_user(team.admin, "li")
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        connect_as(team, "li")


def test_a_login_outside_the_team_cannot_call_the_sync_functions(team):
    team.query("CREATE ROLE outsider LOGIN PASSWORD 'pw-out'")
    try:
        with connect_as(team, "outsider", "pw-out") as conn:
            for call in ("SELECT sync.push('[]'::jsonb, 'x')", "SELECT sync.hello()", "SELECT sync.my_teams()",
                         "SELECT sync.lease('customer', 'x', 10)", "SELECT count(*) FROM sync.change",
                         "SELECT sync.upload('[]'::jsonb, '1', 'x')"):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    conn.execute(call)
        routines = team.query("SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                              "WHERE n.nspname = 'sync' AND has_function_privilege('public', p.oid, 'EXECUTE')")
        assert routines == []
    finally:
        team.query("DROP ROLE outsider")


def test_a_member_deactivated_but_still_able_to_log_in_is_refused_by_the_functions(team):
    """Fail closed: a login in the member group but no longer an active member pushes nothing."""
    team.query("UPDATE sync.member SET active = false WHERE login = 'li'")
    with connect_as(team, "li") as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT sync.push('[]'::jsonb, 'x')")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT sync.upload('[]'::jsonb, '1', 'x')")
        assert conn.execute("SELECT count(*) FROM sync.record").fetchone() == (0,)
