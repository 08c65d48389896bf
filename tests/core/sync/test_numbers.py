"""Customer codes that stay unique across the team (issue 20) against a real PostgreSQL:
leased blocks while online; past its block, offline, a laptop makes a provisional code that
the hub renumbers on a collision, and its owner is told."""
from __future__ import annotations

import io

import psycopg

from crmdesk.core.models import database
from crmdesk.core.customers import archive as customers
from crmdesk.core import number_blocks
from crmdesk.core.sync import conflicts, numbers, state
from tests.core.sync.pkg_helpers import PASSWORD, team_fixture

MEMBERS = {"lina": ("rep", ["华东"]), "wang": ("rep", ["华东"])}


team = team_fixture(MEMBERS)


def _codes() -> list[str]:
    return [row[0] for row in database.execute_sql("SELECT code FROM customer ORDER BY code")]


def test_each_laptop_numbers_from_its_own_block(team, monkeypatch):
    lina, wang = team.laptop("lina"), team.laptop("wang")
    lina.use()
    for name in ("甲", "乙", "丙"):  # made before joining: C000001..3 go up with the laptop
        customers.create({"name": name})
    lina.join()
    assert number_blocks.blocks() == [[4, 103]]  # the lease starts past the codes the team holds
    wang.join()
    assert number_blocks.blocks() == [[104, 203]]
    assert customers.create({"name": "王的客户"})[0] and _codes()[-1] == "C000104"
    lina.use()
    customers.create({"name": "李的客户"})
    assert "C000004" in _codes()
    lina.sync()
    wang.sync()
    assert _codes() == ["C000001", "C000002", "C000003", "C000004", "C000104"]

    monkeypatch.setattr(numbers, "BLOCK", 5)
    monkeypatch.setattr(numbers, "LOW", 3)
    state.write(numbers={"customer": [[105, 107]]})  # two used, one left: below LOW
    customers.create({"name": "再一个"})
    wang.sync()
    assert number_blocks.blocks() == [[105, 107], [204, 208]]


def test_offline_codes_that_collide_are_renumbered_and_the_owner_told(team):
    lina, wang = team.laptop("lina"), team.laptop("wang")
    lina.join()
    wang.join()
    for laptop, name in ((lina, "李的新客户"), (wang, "王的新客户")):
        laptop.use()
        with database.atomic():
            state.write(numbers={"customer": []})  # offline, past its blocks: the local rule
        customers.create({"name": name})
        assert _codes() == ["C000001"]
    lina.sync()
    wang.use()
    from crmdesk import cli
    out, err = io.StringIO(), io.StringIO()
    assert cli.run(["sync", "--db", str(wang.path), "--password", PASSWORD], out, err) == 0, err.getvalue()
    assert "C000001 was taken by another record on the team: it is now C000001-2." in out.getvalue()
    wang.use()
    assert sorted(_codes()) == ["C000001", "C000001-2"]
    mine = database.execute_sql("SELECT code FROM customer WHERE name = '王的新客户'").fetchone()[0]
    assert mine == "C000001-2"
    found = [row for row in conflicts.list_open() if row.kind == "renumbered"]
    assert len(found) == 1 and found[0].mine == "C000001" and found[0].theirs == "C000001-2"
    assert found[0].record == "王的新客户 (C000001-2)" and found[0].who == "wang"
    lina.sync()
    assert sorted(_codes()) == ["C000001", "C000001-2"]
    assert database.execute_sql("SELECT code FROM customer WHERE name = '李的新客户'").fetchone()[0] == "C000001"
    assert number_blocks.blocks(), "online again: a new block"


def test_a_laptop_alone_numbers_as_before(db):
    customers.create({"name": "单机"})
    assert number_blocks.next_customer_code() is None
    assert customers.next_code() == "C000002"


def test_a_package_bringing_a_taken_code_does_not_take_it_from_the_record_the_hub_gave_it_to(team, tmp_path):
    """lina's and wang's customers got the same code offline; lina's reached the hub first.
    wang's package brings his with that code to lina: hers steps aside for it, and after
    lina's sync each has the code the hub holds for it (hers stayed 'C000001~…')."""
    from crmdesk.core.sync import packages
    lina, wang = team.laptop("lina"), team.laptop("wang")
    lina.join()
    wang.join()
    made = {}
    for laptop, name in ((lina, "李的新客户"), (wang, "王的新客户")):
        laptop.use()
        with database.atomic():
            state.write(numbers={"customer": []})  # offline, past its blocks: the local rule
        made[name] = database.execute_sql("SELECT uuid FROM customer WHERE id = ?",
                                          [customers.create({"name": name})[0]]).fetchone()[0]
    package = tmp_path / "wang.crmchanges"
    packages.export_package(package)
    lina.sync()
    packages.import_package(package)
    lina.sync()
    wang.sync()
    with psycopg.connect(team.cluster.url(team.db)) as conn:
        hub = dict(conn.execute("SELECT uuid::text, doc ->> 'code' FROM sync.record WHERE entity = 'customer'"))
    assert hub == {made["李的新客户"]: "C000001", made["王的新客户"]: "C000001-2"}
    for laptop in (lina, wang):
        laptop.use()
        assert dict(database.execute_sql("SELECT uuid, code FROM customer")) == hub, laptop.login
