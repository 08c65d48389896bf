"""Complaint numbers that stay unique across the team (issue 20) against a real PostgreSQL:
CMP-YYYYMMDD-NNN counts per received day, so while online each laptop leases blocks of a
day's numbers (today's and tomorrow's) from the hub; offline past its block a laptop makes a
provisional number that the hub renumbers on a collision, and its owner is told.

The laptops' clocks must agree with the hub's (the drift check), so "now" is the hub's time
when the test starts, frozen there: the day cannot change under a test. The day is read
only from the app's own clock (``number_blocks.today()``)."""
from __future__ import annotations

import datetime as dt
import io
import json
import uuid as uuids

import psycopg
import pytest

from crmdesk.core.models import database
from crmdesk.core.complaints import complaints
from crmdesk.core.customers import archive as customers
from crmdesk.core import number_blocks
from crmdesk.core.sync import conflicts, hub, state
from tests.core.sync.pkg_helpers import PASSWORD, Team, close

MEMBERS = {"lina": ("rep", ["华东"]), "wang": ("rep", ["华东"])}


@pytest.fixture
def team(pg_cluster, hub_db, tmp_path, time_machine):
    made = Team(pg_cluster, hub_db, tmp_path, MEMBERS, time_machine)
    time_machine.move_to(hub_rows(made, "SELECT now()")[0][0], tick=False)
    yield made
    close()


def hub_rows(team: Team, sql: str, params=None) -> list:
    """A statement on the hub as its administrator; the rows it returns."""
    with psycopg.connect(team.cluster.url(team.db), autocommit=True) as conn:
        cur = conn.execute(sql, params)
        return cur.fetchall() if cur.description else []


def _days() -> tuple[str, str]:
    """Today and tomorrow on the laptop's clock, as the keys of its blocks (20261206)."""
    today = number_blocks.today()
    return number_blocks.day_key(today), number_blocks.day_key(today + dt.timedelta(days=1))


def new_complaint(customer: str, received: dt.datetime = None) -> str:
    """A complaint made as the app makes one (the service), for a new customer; its number."""
    cid = customers.create({"name": customer})[0]
    raw = {"customer_id": cid, "category": "delivery", "words": "货晚到了三天"}
    if received is not None:
        raw["received_at"] = received
    return complaints.get(complaints.create(raw).complaint_id).number


def _numbers() -> list[str]:
    return [row[0] for row in database.execute_sql("SELECT number FROM complaint ORDER BY number")]


def test_two_laptops_online_number_the_same_day_apart(team):
    today, tomorrow = _days()
    lina, wang = team.laptop("lina"), team.laptop("wang")
    lina.join()
    assert number_blocks.day_blocks(today) == [[1, 10]] and number_blocks.day_blocks(tomorrow) == [[1, 10]]
    wang.join()
    assert number_blocks.day_blocks(today) == [[11, 20]] and number_blocks.day_blocks(tomorrow) == [[11, 20]]
    assert new_complaint("王的客户甲") == f"CMP-{today}-011"  # the service takes the leased number
    assert new_complaint("王的客户乙") == f"CMP-{today}-012"
    lina.use()
    assert new_complaint("李的客户甲") == f"CMP-{today}-001"
    assert new_complaint("李的客户乙", complaints.now() + dt.timedelta(days=1)) == f"CMP-{tomorrow}-001"
    for laptop in (lina, wang, lina):
        result = laptop.sync()
        assert result.renamed == []
    wanted = sorted([f"CMP-{today}-001", f"CMP-{today}-011", f"CMP-{today}-012", f"CMP-{tomorrow}-001"])
    for laptop in (lina, wang):
        laptop.use()
        assert _numbers() == wanted
        assert conflicts.list_open() == []
    assert hub_rows(team, "SELECT kind FROM sync.conflict") == []
    blocks = hub_rows(team, "SELECT entity, first, last FROM sync.number_block WHERE entity LIKE 'complaint:%' "
                        "ORDER BY entity, first")
    assert blocks == [(f"complaint:{today}", 1, 10), (f"complaint:{today}", 11, 20),
                      (f"complaint:{tomorrow}", 1, 10), (f"complaint:{tomorrow}", 11, 20)]


def test_a_block_is_topped_up_below_three_left_and_days_past_are_forgotten(team):
    today, tomorrow = _days()
    yesterday = number_blocks.day_key(number_blocks.today() - dt.timedelta(days=1))
    lina = team.laptop("lina")
    lina.join()
    customer_blocks = number_blocks.blocks()
    for n in range(7):
        assert new_complaint(f"客户{n}") == f"CMP-{today}-{n + 1:03d}"
    assert number_blocks.next_complaint_number(number_blocks.today()) == f"CMP-{today}-008"
    lina.sync()
    assert number_blocks.day_blocks(today) == [[1, 10]]  # three left: enough
    new_complaint("客户7")
    stored = json.loads(state.read()["numbers"])
    stored["complaint"][yesterday] = [[11, 20]]  # a block of a day past, as an earlier sync left it
    with database.atomic():
        state.write(numbers=stored)
    assert number_blocks.day_blocks(yesterday) == [[11, 20]]
    lina.sync()
    assert number_blocks.day_blocks(today) == [[1, 10], [11, 20]]
    assert number_blocks.day_blocks(tomorrow) == [[1, 10]]
    assert number_blocks.day_blocks(yesterday) == []
    assert number_blocks.blocks() == customer_blocks  # the customer codes' blocks as they were
    assert [new_complaint(f"客户{n}") for n in (8, 9, 10)] == [f"CMP-{today}-009", f"CMP-{today}-010",
                                                             f"CMP-{today}-011"]
    lina.sync()
    assert number_blocks.day_blocks(today) == [[11, 20]]  # the block used up is forgotten


def test_a_laptop_keeping_customer_blocks_only_as_before_gets_complaint_blocks(team):
    """The ``numbers`` state as the customer-only version stored it still reads."""
    today, _tomorrow = _days()
    lina = team.laptop("lina")
    lina.join()
    with database.atomic():
        state.write(numbers={"customer": [[1, 100]]})
    assert number_blocks.blocks() == [[1, 100]] and number_blocks.day_blocks(today) == []
    assert new_complaint("客户甲") == f"CMP-{today}-001"  # no block: the local rule
    lina.sync()
    assert number_blocks.blocks() == [[1, 100]]
    assert number_blocks.day_blocks(today) == [[11, 20]]
    assert new_complaint("客户乙") == f"CMP-{today}-011"


def test_an_offline_number_that_collides_is_renumbered_and_the_owner_told(team):
    today, _tomorrow = _days()
    lina, wang = team.laptop("lina"), team.laptop("wang")
    lina.join()
    wang.join()
    stored = json.loads(state.read()["numbers"])
    stored["complaint"] = {}  # offline, past its blocks: the local rule
    with database.atomic():
        state.write(numbers=stored)
    assert number_blocks.day_blocks(today) == [] and number_blocks.blocks()
    assert new_complaint("王的新客户") == f"CMP-{today}-001"
    lina.use()
    assert new_complaint("李的新客户") == f"CMP-{today}-001"  # leased
    lina.sync()

    wang.use()
    from crmdesk import cli
    out, err = io.StringIO(), io.StringIO()
    assert cli.run(["sync", "--db", str(wang.path), "--password", PASSWORD], out, err) == 0, err.getvalue()
    taken = f"CMP-{today}-001"
    assert f"{taken} was taken by another record on the team: it is now {taken}-2." in out.getvalue()
    wang.use()
    assert _numbers() == [taken, f"{taken}-2"]
    found = [row for row in conflicts.list_open() if row.kind == "renumbered"]
    assert len(found) == 1 and found[0].mine == taken and found[0].theirs == f"{taken}-2"
    assert found[0].entity == "complaint" and found[0].who == "wang" and found[0].record.startswith("王的新客户 (")
    assert number_blocks.day_blocks(today) == [[21, 30]], "online again: a new block past both laptops'"
    lina.sync()
    assert _numbers() == [taken, f"{taken}-2"]
    assert hub_rows(team, "SELECT kind, loser_actor FROM sync.conflict") == [("renumbered", "wang")]


def test_the_lease_starts_past_the_numbers_the_team_holds_for_that_day(team):
    today, tomorrow = _days()
    lina, wang = team.laptop("lina"), team.laptop("wang")
    lina.use()
    made = [new_complaint(name) for name in ("甲", "乙", "丙")]  # before joining: they go up with the laptop
    assert made == [f"CMP-{today}-001", f"CMP-{today}-002", f"CMP-{today}-003"]
    assert new_complaint("丁", complaints.now() + dt.timedelta(days=1)) == f"CMP-{tomorrow}-001"
    lina.join()
    assert number_blocks.day_blocks(today) == [[4, 13]] and number_blocks.day_blocks(tomorrow) == [[2, 11]]
    assert new_complaint("戊") == f"CMP-{today}-004"
    wang.join()
    assert number_blocks.day_blocks(today) == [[14, 23]] and number_blocks.day_blocks(tomorrow) == [[12, 21]]
    assert new_complaint("己") == f"CMP-{today}-014"
    wang.sync()
    lina.sync()
    assert hub_rows(team, "SELECT count(*) FROM sync.conflict") == [(0,)]
    assert len(_numbers()) == 6 == len(set(_numbers()))


def _member(team: Team, login: str, password: str = PASSWORD):
    return psycopg.connect(f"postgresql://{login}:{password}@127.0.0.1:{team.cluster.port}/{team.db}",
                           autocommit=True)


def _lease(conn, what: str, size: int = 10) -> tuple[int, int]:
    return conn.execute("SELECT lower(r), upper(r) - 1 FROM sync.lease(%s, 'site-x', %s) AS r",
                        [what, size]).fetchone()


def test_the_hub_leases_a_day_past_its_numbers_and_only_to_members(team):
    """Raw psycopg, the app bypassed: numbers of the day with a numeric tail count; other
    days, renumbered ones and customer codes do not; a removed or outside login leases nothing."""
    held = [("complaint", "CMP-20261206-041"), ("complaint", "CMP-20261206-099-2"), ("complaint", "CMP-20261207-500"),
            ("complaint", "CMP-2026120-900"), ("customer", "C000777")]
    for entity, number in held:
        hub_rows(team, "INSERT INTO sync.code VALUES (%s, %s, %s)", [entity, number, str(uuids.uuid4())])
    with _member(team, "lina") as conn:
        assert _lease(conn, "complaint:20261206") == (42, 51)
        assert _lease(conn, "complaint:20261206", 5) == (52, 56)
        assert _lease(conn, "complaint:20261208") == (1, 10)
        assert _lease(conn, "customer", 100) == (778, 877)  # customer codes as before
        for what, size in (("complaint:2026-12-06", 10), ("complaint", 10), ("visit", 10),
                           ("complaint:20261206", 0), ("complaint:20261206", -50)):
            with pytest.raises(psycopg.errors.InvalidParameterValue):
                _lease(conn, what, size)
    before = hub_rows(team, "SELECT entity, first, last FROM sync.number_block ORDER BY entity, first")
    assert len(before) == 4

    hub_rows(team, "UPDATE sync.member SET active = false WHERE login = 'lina'")  # still able to log in
    with _member(team, "lina") as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            _lease(conn, "complaint:20261206")
    hub_rows(team, "CREATE ROLE outsider LOGIN PASSWORD 'pw-out'")
    try:
        with _member(team, "outsider", "pw-out") as conn:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                _lease(conn, "complaint:20261206")
    finally:
        hub_rows(team, "DROP ROLE outsider")
    hub.remove_user(team.admin, "wang")
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        _member(team, "wang")
    assert hub_rows(team, "SELECT entity, first, last FROM sync.number_block ORDER BY entity, first") == before
    assert hub_rows(team, "SELECT next FROM sync.counter WHERE entity = 'complaint:20261206'") == [(57,)]
