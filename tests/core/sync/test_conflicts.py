"""The Conflicts list (issue 20) against a real PostgreSQL: both sides with who and when,
keep mine (a new edit that wins) or theirs, an edit against a delete restored, an edit the
hub refused dropped; resolved on the hub at once or at the next sync."""
from __future__ import annotations

import datetime as dt

import psycopg
import pytest

from crmdesk.core.errors import CrmError
from crmdesk.core.models import database
from crmdesk.core.customers import archive as customers
from crmdesk.core.sync import conflicts
from tests.core.sync.pkg_helpers import PASSWORD, Team, close

MEMBERS = {"lina": ("rep", ["华东"]), "wang": ("rep", ["华东"]), "desk": ("desk", [])}


@pytest.fixture
def team(pg_cluster, hub_db, tmp_path, time_machine):
    made = Team(pg_cluster, hub_db, tmp_path, MEMBERS, time_machine)
    lina = made.laptop("lina")
    lina.join()
    customers.create({"name": "东方贸易", "city": "杭州"})
    customers.create({"name": "西部电子", "phone": "0571-1"})
    lina.sync()
    made.laptop("wang").join()
    yield made
    close()


def _id(name: str) -> int:
    return database.execute_sql("SELECT id FROM customer WHERE name = ?", [name]).fetchone()[0]


def _field(name: str, column: str):
    return database.execute_sql(f"SELECT {column} FROM customer WHERE name = ?", [name]).fetchone()[0]


def _open_on_hub(team) -> int:
    with psycopg.connect(team.cluster.url(team.db)) as conn:
        return conn.execute("SELECT count(*) FROM sync.conflict WHERE resolved_at IS NULL").fetchone()[0]


def _both_edit_city(team, lina_city: str, wang_city: str):
    lina, wang = team.laptop("lina"), team.laptop("wang")
    lina.use()
    customers.update(_id("东方贸易"), {"city": lina_city})
    wang.use()
    customers.update(_id("东方贸易"), {"city": wang_city})  # later: it stands
    lina.sync()
    assert wang.sync().conflicts == 1
    lina.sync()
    return lina, wang


def test_keep_mine_writes_my_value_back_and_it_wins_everywhere(team):
    lina, wang = _both_edit_city(team, "上海", "北京")
    assert _field("东方贸易", "city") == "北京"
    [row] = conflicts.list_open()
    assert (row.kind, row.record, row.field, row.mine, row.theirs, row.who, row.theirs_who) == (
        "concurrent", "东方贸易 (C000001)", "city", "上海", "北京", "lina", "wang")
    assert isinstance(row.when, dt.datetime) and row.customer_id == _id("东方贸易")

    changes = conflicts.resolve([row.id], "mine")  # no password kept here: the hub hears at the next sync
    assert [c.entity for c in changes] == ["customer"]
    assert _field("东方贸易", "city") == "上海"
    assert conflicts.list_open() == [] and conflicts.pending() == [row.id]
    assert _open_on_hub(team) == 1
    result = lina.sync()
    assert result.conflicts == 0, "kept on purpose, after seeing theirs: no new conflict"
    assert conflicts.pending() == [] and _open_on_hub(team) == 0
    wang.sync()
    assert _field("东方贸易", "city") == "上海"
    assert conflicts.list_open() == []


def test_keep_theirs_changes_nothing_and_tells_the_hub_at_once(team):
    lina, wang = _both_edit_city(team, "上海", "北京")
    [row] = conflicts.list_open()
    outbox = database.execute_sql("SELECT count(*) FROM sync_outbox").fetchone()[0]
    assert conflicts.resolve([row.id], "theirs", password=PASSWORD) == []
    assert _field("东方贸易", "city") == "北京"
    assert database.execute_sql("SELECT count(*) FROM sync_outbox").fetchone()[0] == outbox
    assert conflicts.pending() == [] and _open_on_hub(team) == 0
    wang.sync()
    assert conflicts.list_open() == []


def test_an_edit_against_a_delete_can_be_restored(team):
    lina, wang = team.laptop("lina"), team.laptop("wang")
    wang.use()
    customers.delete([_id("西部电子")])
    wang.sync()
    lina.use()
    customers.update(_id("西部电子"), {"address": "文三路 1 号"})  # lina has not seen the delete
    lina.sync()
    assert _field("西部电子", "deleted_at") is not None  # the delete stands
    [row] = conflicts.list_open()
    assert (row.kind, row.field, row.mine, row.record) == ("edited_deleted", "address", "文三路 1 号", "西部电子 (C000002)")
    changes = conflicts.resolve([row.id], "mine")
    assert changes[0].kind == "restored"
    assert _field("西部电子", "deleted_at") is None and _field("西部电子", "address") == "文三路 1 号"
    lina.sync()
    wang.sync()
    assert _field("西部电子", "deleted_at") is None and _field("西部电子", "address") == "文三路 1 号"
    assert _open_on_hub(team) == 0


def test_an_edit_the_hub_refused_is_dropped_locally(team):
    desk = team.laptop("desk")
    desk.join()
    customers.update(_id("东方贸易"), {"city": "南京"})  # the desk may not edit customers
    assert desk.sync().refused == 2  # the city and the version stamp
    [row] = conflicts.list_open()
    assert row.kind == "refused" and row.id.startswith("local-") and row.mine == "南京"
    conflicts.resolve([row.id], "theirs")
    assert conflicts.list_open() == [] and conflicts.pending() == []
    assert desk.sync().refused == 0


def test_unknown_ids_and_sides_are_refused_with_nothing_changed(team):
    lina, wang = _both_edit_city(team, "上海", "北京")
    [row] = conflicts.list_open()
    for ids, keep, code in (([row.id, "999999"], "mine", "sync_conflict_unknown"),
                            (["local-nothing"], "theirs", "sync_conflict_unknown"),
                            ([row.id], "both", "sync_conflict_keep")):
        with pytest.raises(CrmError) as error:
            conflicts.resolve(ids, keep)
        assert error.value.code == code
    assert _field("东方贸易", "city") == "北京"
    assert [r.id for r in conflicts.list_open()] == [row.id] and conflicts.pending() == []
    conflicts.resolve([row.id], "theirs")
    with pytest.raises(CrmError) as error:  # resolved already: no longer open
        conflicts.resolve([row.id], "mine")
    assert error.value.code == "sync_conflict_unknown"
