"""A laptop's first upload and an empty laptop's download as whole records (team hub v2):
a whole demo book goes up and comes down the same, in chunks; an upload cut off after the
hub took a chunk resumes and doubles nothing; what the hub refuses is listed, not lost;
the derived search columns that arrive are kept only where they still hold."""
from __future__ import annotations

import json

import psycopg
import pytest

from crmdesk.core.search import customer_text
from crmdesk.core.sync import download, sending, status, upload
from crmdesk.core.sync.entities import ENTITIES
from tests.core.sync.test_sync_basics import edit, new_customer, team  # noqa: F401  (the fixture)


def book(laptop) -> dict[str, list]:
    """Every shared record of a laptop, references as the uuids they name: what two
    laptops holding the same book agree on, whatever their local ids."""
    out = {}
    for entity in ENTITIES:
        columns = []
        for column in entity.fields:
            target = entity.refs.get(column)
            columns.append(f'(SELECT uuid FROM "{target}" WHERE id = t."{column}")' if target else f't."{column}"')
        out[entity.name] = sorted(laptop.sql(f'SELECT t.uuid, {", ".join(columns)} FROM "{entity.table}" t'),
                                  key=lambda row: row[0])
    return out


def test_a_demo_book_goes_up_and_comes_down_the_same_in_small_chunks(team, monkeypatch):
    from crmdesk.core import demo
    monkeypatch.setattr(upload, "CHUNK", 7)
    monkeypatch.setattr(download, "CHUNK", 5)
    team.add("li", ["A"])
    li = team.laptop("li").open()
    demo.generate(12, visits=True)
    # A reference to a record that comes later in the upload: it must survive the download.
    li.sql("UPDATE customer SET team = 'A'")  # what joining as a rep of A does
    li.sql("UPDATE visit SET next_visit_id = (SELECT max(id) FROM visit) WHERE id = (SELECT min(id) FROM visit)")
    before = book(li)
    joined = li.join()
    assert joined.refused == 0 and joined.conflicts == 0
    assert joined.pushed == team.query("SELECT count(*) FROM sync.field_state WHERE field NOT IN "
                                       "('sort_name', 'name_initials', 'search_text', 'derived_of')")[0][0]
    assert book(li) == before  # uploading changed nothing here
    boss = team.laptop("boss")
    got = boss.join()
    assert got.pulled == joined.pushed
    assert book(boss) == before
    assert boss.sql("SELECT count(*) FROM visit WHERE next_visit_id IS NOT NULL") == \
        li.sql("SELECT count(*) FROM visit WHERE next_visit_id IS NOT NULL")
    assert boss.sql("SELECT count(*) FROM sync_outbox") == [(0,)]
    triggers = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'sync%' ORDER BY name"
    assert boss.sql(triggers) == li.sql(triggers) != []  # the download took them off while it ran, and put them back
    assert team.query("SELECT count(*) FROM sync.change") == team.query("SELECT count(*) FROM sync.record")


def test_the_search_keys_that_arrive_are_kept_only_where_they_still_hold(team):
    from crmdesk.core.customers import list as customer_list
    team.add("li", ["A"])
    team.add("wang", ["A"])
    li = team.laptop("li").open()
    new_customer("北京华信科技", mobile="13812345678")
    new_customer("上海东方贸易", city="上海")
    li.join()
    edit("北京华信科技", name="杭州西湖茶业")  # after the upload: the hub's search keys for it are stale
    li.sync()
    wang = team.laptop("wang")
    wang.join()
    for search, names in (("xihu", ["杭州西湖茶业"]), ("huaxin", []), ("dongfang", ["上海东方贸易"]),
                          ("13812345678", ["杭州西湖茶业"]), ("shdfmy", ["上海东方贸易"])):
        found = customer_list.ids(customer_list.ListQuery(search=search))
        assert sorted(wang.sql(f"SELECT name FROM customer WHERE id IN ({','.join(map(str, found)) or 0})")) == \
            [(name,) for name in names], search
    columns = "name, sort_name, name_initials, search_text"
    assert sorted(wang.sql(f"SELECT {columns} FROM customer")) == sorted(li.sql(f"SELECT {columns} FROM customer"))
    row = wang.sql("SELECT name, code, city, mobile, search_text FROM customer WHERE name = '杭州西湖茶业'")[0]
    expected = customer_text.derived_columns({"name": row[0], "code": row[1], "city": row[2], "mobile": row[3]})
    assert row[4] == expected["search_text"]


def answer_lost(monkeypatch, nth: int) -> None:
    """The hub commits the ``nth`` chunk of an upload; its answer never arrives."""
    real, calls = sending.renamed, []

    def line_drops(renamed):
        calls.append(1)
        if len(calls) == nth:
            raise psycopg.OperationalError("server closed the connection unexpectedly")
        return real(renamed)

    monkeypatch.setattr(sending, "renamed", line_drops)


def test_an_upload_cut_off_after_the_hub_took_a_chunk_resumes_and_doubles_nothing(team, monkeypatch):
    from crmdesk.core.errors import CrmError
    monkeypatch.setattr(upload, "CHUNK", 6)  # customers go half as many: 3 a call
    team.add("li", ["A"])
    team.add("wang", ["A"])
    li = team.laptop("li").open()
    for n in range(10):
        new_customer(f"客户{n}", address=f"地址{n}")
    answer_lost(monkeypatch, 2)
    with pytest.raises(CrmError) as error:
        li.join()
    assert error.value.code == "sync_offline"
    assert team.query("SELECT count(*) FROM sync.record") == [(6,)]
    assert status.local().waiting == 7  # what the hub has not confirmed is still waiting
    got = li.sync()
    assert got.conflicts == 0 and got.refused == 0
    assert team.query("SELECT count(*) FROM sync.record") == [(10,)]
    assert team.query("SELECT count(*) FROM sync.change") == [(10,)]  # the retried chunk left no second row
    assert team.query("SELECT count(*) FROM sync.conflict") == [(0,)]
    assert status.local().waiting == 0
    wang = team.laptop("wang")
    wang.join()
    assert sorted(wang.sql("SELECT name, address FROM customer")) == sorted(li.sql("SELECT name, address FROM customer"))


def test_what_the_hub_refuses_to_take_from_an_upload_is_listed_and_stays_here(team):
    team.add("desk", [], role="desk")
    desk = team.laptop("desk").open()
    new_customer("前台录的客户")
    got = desk.join()  # the desk works complaints and care: it may not add customers
    assert got.refused > 0
    assert team.query("SELECT count(*) FROM sync.record WHERE entity = 'customer'") == [(0,)]
    assert desk.sql("SELECT name FROM customer") == [("前台录的客户",)]
    assert desk.sql("SELECT DISTINCT kind FROM sync_conflict") == [("refused",)]
    assert desk.sql("SELECT mine FROM sync_conflict WHERE field = 'name'") == [('"前台录的客户"',)]


def test_a_change_the_download_already_had_is_not_applied_and_logged_again(team):
    team.add("li", ["A"])
    team.add("wang", ["A"])
    li = team.laptop("li").open()
    new_customer("北京华信科技")
    li.join()
    # A transaction left open on the hub keeps the download's xmin behind li's next push,
    # which the download sees committed: the pull after it must not take it again.
    with psycopg.connect(team.cluster.url(team.db)) as other:
        other.execute("SELECT pg_current_xact_id()")
        li.open()
        edit("北京华信科技", address="中关村1号")
        li.sync()
        wang = team.laptop("wang")
        wang.join()
        assert wang.sql("SELECT address FROM customer") == [("中关村1号",)]
    got = wang.sync()
    assert got.pulled == 0
    assert wang.sql("SELECT count(*) FROM change_log WHERE field = 'address'") == [(0,)]
    li.open()
    edit("北京华信科技", address="中关村2号")
    li.sync()
    assert wang.sync().pulled > 0  # past the download's snapshot, pulls take everything again
    assert wang.sql("SELECT address FROM customer") == [("中关村2号",)]
    assert wang.sql("SELECT value FROM sync_state WHERE key = 'download_snapshot'") == [("",)]


def test_two_records_of_one_upload_naming_the_same_number_the_first_keeps_it(team):
    """The hub's own guard (a laptop's unique index keeps one book from holding a code
    twice, but a hand-made or damaged upload may): the first record of the batch takes
    the number, the other is renumbered and its owner told; both are kept, each with the
    team it names or, naming none the hub knows, the login's first."""
    import uuid as uuids
    from tests.core.sync.test_rls import connect_as
    team.add("li", ["A"])
    first, second, visit = str(uuids.uuid4()), str(uuids.uuid4()), str(uuids.uuid4())
    batch = [{"e": "customer", "u": first, "p": None, "n": 2, "d": {"name": "华润商贸", "code": "C000777", "team": "A"}},
             {"e": "customer", "u": second, "p": None, "n": 2, "d": {"name": "华润商贸(北京)", "code": "C000777",
                                                                      "team": "Nowhere"}}]
    with connect_as(team, "li") as conn:
        answer = conn.execute("SELECT sync.upload(%s::jsonb, '2026-12-06T10:00:00.000Z-0000-li', 'site-li')",
                              [json.dumps(batch)]).fetchone()[0]
        assert answer["whole"] == 1
        assert [(r["u"], r["from"]) for r in answer["renamed"]] == [(second, "C000777")]
        visits = [{"e": "visit", "u": visit, "p": second, "n": 1, "d": {"customer_id": second}}]
        assert conn.execute("SELECT sync.upload(%s::jsonb, '2026-12-06T10:00:00.000Z-0000-li', 'site-li')",
                            [json.dumps(visits)]).fetchone()[0]["whole"] == 1
    rows = dict(team.query("SELECT uuid::text, doc ->> 'code' FROM sync.record WHERE entity = 'customer'"))
    assert rows[first] == "C000777" and rows[second] not in ("C000777", None)
    teams = team.query("SELECT r.uuid::text, t.name FROM sync.record r JOIN sync.team t ON t.id = r.team ORDER BY r.entity")
    assert sorted(teams) == sorted([(first, "A"), (second, "A"), (visit, "A")])
