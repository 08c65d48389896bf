"""Custom fields in a team (issue 21 on issue 20's hub, a real PostgreSQL): a rep's new
field and its values reach the others, who find the customer by them; two reps who fill in
the same field of the same customer offline edit one record, the later value winning; a
hub made before fields were shared keeps each laptop's definitions home and syncs on."""
from __future__ import annotations

import psycopg

from crmdesk.core import custom_fields as CF
from crmdesk.core.models import Customer, CustomValue
from crmdesk.core.customers import archive as customers
from crmdesk.core.customers.list import ListQuery, ids
from tests.core.sync.pkg_helpers import team_fixture

MEMBERS = {"lina": ("rep", ["华东"]), "wang": ("rep", ["华东"]), "boss": ("manager", [])}

team = team_fixture(MEMBERS)


def test_a_reps_field_and_values_reach_the_team_and_are_searched(team):
    lina, boss = team.laptop("lina"), team.laptop("boss")
    lina.join()
    boss.join()
    lina.use()
    CF.add("宗教信仰", CF.TEXT)
    cid, _ = customers.create({"name": "华润商贸", "cf:宗教信仰": "天主教"})
    uuid = Customer.get_by_id(cid).uuid
    assert lina.sync().settings_refused == []
    boss.sync()
    assert [f.label for f in CF.all_fields()] == ["宗教信仰"]
    there = Customer.get(Customer.uuid == uuid).id
    assert CF.read([there])[there] == {"cf:宗教信仰": "天主教"}
    assert list(ids(ListQuery(search="天主教"))) == [there]  # the search text was made again here


def test_the_same_field_filled_in_on_two_laptops_is_one_value(team, time_machine):
    lina, wang = team.laptop("lina"), team.laptop("wang")
    lina.join()
    lina.use()
    CF.add("收入水平", CF.CHOICE, ("高", "中", "低"))
    cid, _ = customers.create({"name": "华润商贸"})
    uuid = Customer.get_by_id(cid).uuid
    lina.sync()
    wang.join()
    wang.use()
    mine = Customer.get(Customer.uuid == uuid).id
    customers.update(mine, {"cf:收入水平": "高"})  # offline, both
    lina.use()
    time_machine.shift(60)
    customers.update(cid, {"cf:收入水平": "低"})
    wang.sync()
    lina.sync()
    wang.sync()
    for laptop in (lina, wang):
        laptop.use()
        here = Customer.get(Customer.uuid == uuid).id
        assert CustomValue.select().where(CustomValue.customer == here).count() == 1
        assert CF.read([here])[here] == {"cf:收入水平": "低"}  # the later edit


def test_a_hub_that_does_not_share_fields_yet_syncs_on(team):
    lina = team.laptop("lina")
    lina.join()
    with psycopg.connect(team.cluster.url(team.db)) as conn:  # as an older crmdesk made it
        body = conn.execute("SELECT prosrc FROM pg_proc WHERE proname = 'put_setting'").fetchone()[0]
        assert "'customers.custom_fields'" in body
        conn.execute("UPDATE pg_proc SET prosrc = replace(prosrc, '''customers.custom_fields''', '''x''') "
                     "WHERE proname = 'put_setting'")
    lina.use()
    CF.add("宗教信仰", CF.TEXT)
    customers.create({"name": "华润商贸", "cf:宗教信仰": "佛教"})
    got = lina.sync()
    assert got.pushed >= 1
    assert [f.label for f in CF.all_fields()] == ["宗教信仰"]  # kept on this laptop
