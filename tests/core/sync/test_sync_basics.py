"""Syncing laptops through a real PostgreSQL hub (issue 20, "Tests"): joining with data and
empty, edits travelling both ways, the change log naming the team login, derived columns
recomputed after a pull, deletes and products travelling, and the three kinds of merge."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import psycopg
import pytest

from crmdesk.core.db import close_database, open_database
from crmdesk.core.search import customer_text
from crmdesk.core.sync import hub, session
from crmdesk.core.sync.connection import parse


class Laptop:
    """One simulated laptop: its own SQLite file and team login; opening it switches the
    process's database to it."""

    def __init__(self, team: "Team", name: str, path: Path) -> None:
        self.team, self.login, self.path = team, name, path
        self.password = team.passwords[name]

    def open(self):
        open_database(self.path)
        return self

    def join(self):
        self.open()
        return session.join(self.team.member_url(self.login), self.login, self.password, remember=False)

    def sync(self):
        self.open()
        return session.sync(self.password)

    def sql(self, text: str, params=()):
        self.open()
        from crmdesk.core.models import database
        return database.execute_sql(text, list(params)).fetchall()


class Team:
    """A hub on a fresh database of the test cluster and the laptops of its members."""

    def __init__(self, pg_cluster, hub_db: str, folder: Path, first_team: str = "A") -> None:
        self.cluster, self.db, self.folder = pg_cluster, hub_db, folder
        self.admin = parse(pg_cluster.url(hub_db))
        self.passwords: dict[str, str] = {}
        hub.init(self.admin, manager="boss", manager_password="pw-boss", team=first_team)
        self.passwords["boss"] = "pw-boss"

    def server_now(self):
        """The hub's clock: a laptop whose clock is right agrees with it (the tests pin
        "now" to a date the real server does not share)."""
        return self.query("SELECT clock_timestamp()")[0][0]

    def member_url(self, name: str) -> str:
        return f"postgresql://{name}@127.0.0.1:{self.cluster.port}/{self.db}"

    def add(self, name: str, teams=("A",), role: str = "rep") -> str:
        self.passwords[name] = hub.add_user(self.admin, name, list(teams), role, password=f"pw-{name}")
        return name

    def laptop(self, name: str) -> Laptop:
        return Laptop(self, name, self.folder / f"{name}.sqlite")

    def query(self, text: str, params=()):
        with psycopg.connect(self.cluster.url(self.db), autocommit=True) as conn:
            cursor = conn.execute(text, list(params))
            return cursor.fetchall() if cursor.description else []


@pytest.fixture
def team(pg_cluster, hub_db, tmp_path, time_machine):
    made = Team(pg_cluster, hub_db, tmp_path)
    time_machine.move_to(made.server_now(), tick=True)
    yield made
    close_database()


def new_customer(name: str, **more) -> int:
    from crmdesk.core.customers import archive as customers
    return customers.create({"name": name, **more})[0]


def customer_id(name: str) -> int:
    from crmdesk.core.models import database
    return database.execute_sql("SELECT id FROM customer WHERE name = ?", [name]).fetchone()[0]


def edit(who: str, /, **values) -> None:
    from crmdesk.core.customers import archive as customers
    customers.update(customer_id(who), values)


def hub_value(team: Team, uuid: str, field: str):
    rows = team.query("SELECT value FROM sync.field_state WHERE uuid = %s AND field = %s", [uuid, field])
    return rows[0][0] if rows else None


def uuid_of(laptop: Laptop, name: str) -> str:
    return laptop.sql("SELECT uuid FROM customer WHERE name = ?", [name])[0][0]


def two_reps(team: Team):
    team.add("li", ["A"])
    team.add("wang", ["A"])
    li, wang = team.laptop("li"), team.laptop("wang")
    li.open()
    new_customer("北京华信科技", city="北京")
    li.join()
    wang.join()
    return li, wang


def test_a_laptop_with_data_uploads_and_an_empty_one_gets_what_its_login_sees(team):
    team.add("li", ["A"])
    team.add("zhao", ["B"])
    team.add("wang", ["A"])
    li = team.laptop("li").open()
    new_customer("北京华信科技")
    new_customer("上海东方贸易")
    joined = li.join()
    assert joined.pushed > 0 and joined.refused == 0
    zhao = team.laptop("zhao").open()
    new_customer("广州南方物流")
    zhao.join()
    hub_teams = dict(team.query("SELECT r.uuid::text, t.name FROM sync.record r JOIN sync.team t ON t.id = r.team "
                                "WHERE r.entity = 'customer'"))
    assert sorted(hub_teams.values()) == ["A", "A", "B"]

    wang = team.laptop("wang")
    got = wang.join()
    assert sorted(r[0] for r in wang.sql("SELECT name FROM customer")) == ["上海东方贸易", "北京华信科技"]
    assert got.refused == 0
    # What came down is exactly the hub's state of team A, field by field.
    mine = {uuid for uuid, t in hub_teams.items() if t == "A"}
    assert {r[0] for r in wang.sql("SELECT uuid FROM customer")} == mine
    assert wang.sql("SELECT count(*) FROM sync_outbox") == [(0,)]
    boss = team.laptop("boss")
    boss.join()
    assert len(boss.sql("SELECT name FROM customer")) == 3  # a manager sees every team


def test_an_edit_travels_and_the_change_log_names_the_team_login(team):
    li, wang = two_reps(team)
    li.open()
    edit("北京华信科技", address="中关村大街1号")
    assert li.sync().pushed > 0
    got = wang.sync()
    assert got.pulled >= 1
    assert wang.sql("SELECT address FROM customer WHERE name = '北京华信科技'") == [("中关村大街1号",)]
    rows = wang.sql("SELECT l.actor, b.kind, b.actor FROM change_log l JOIN batch b ON b.id = l.batch_id "
                    "WHERE l.field = 'address' AND l.new = '中关村大街1号'")
    assert rows == [("li", "sync", "wang")]
    # The editor's own log names the team login too, not the computer's account.
    assert li.sql("SELECT actor FROM change_log WHERE field = 'address'") == [("li",)]
    assert team.query("SELECT actor FROM sync.field_change WHERE field = 'address' AND value <> '\"\"'") == [("li",)]


def test_derived_columns_are_recomputed_so_search_finds_a_remote_rename(team):
    from crmdesk.core.customers import list as customer_list
    li, wang = two_reps(team)
    li.open()
    edit("北京华信科技", name="杭州西湖茶业", tags="VIP, 茶")
    li.sync()
    wang.sync()
    found = customer_list.ids(customer_list.ListQuery(search="xihu"))
    assert [customer_id("杭州西湖茶业")] == list(found)
    assert list(customer_list.ids(customer_list.ListQuery(search="杭州"))) == list(found)
    assert wang.sql("SELECT sort_name <> '' AND name_initials = 'hzxhcy' FROM customer") == [(1,)]
    assert sorted(r[0] for r in wang.sql("SELECT tag FROM customer_tag")) == ["VIP", "茶"]
    assert not list(customer_list.ids(customer_list.ListQuery(search="huaxin")))


def test_a_delete_travels_softly(team):
    from crmdesk.core.customers import archive as customers
    li, wang = two_reps(team)
    li.open()
    customers.delete([customer_id("北京华信科技")])
    li.sync()
    wang.sync()
    assert wang.sql("SELECT deleted_at IS NOT NULL FROM customer") == [(1,)]


def test_products_travel_to_everyone(team):
    from crmdesk.core.sales import products
    li, wang = two_reps(team)
    team.add("zhao", ["B"])
    li.open()
    products.create({"name": "绿茶礼盒", "list_price": "88"})
    li.sync()
    wang.sync()
    zhao = team.laptop("zhao")
    zhao.join()
    for laptop in (wang, zhao):
        assert laptop.sql("SELECT name FROM product") == [("绿茶礼盒",)]


def test_the_same_field_edited_on_two_laptops_gives_one_conflict_and_the_later_wins(team, time_machine):
    li, wang = two_reps(team)
    uuid = uuid_of(li, "北京华信科技")
    li.open()
    edit("北京华信科技", address="111号")
    time_machine.shift(dt.timedelta(seconds=2))
    wang.open()
    edit("北京华信科技", address="222号")  # later: wang's clock is read after li's
    li.sync()
    got = wang.sync()
    assert got.conflicts == 1
    li.sync()
    for laptop in (li, wang):
        assert laptop.sql("SELECT address FROM customer") == [("222号",)]
    rows = team.query("SELECT kind, field, winner, loser, winner_actor, loser_actor FROM sync.conflict")
    assert rows == [("concurrent", "address", '"222号"', '"111号"', "wang", "li")]
    assert hub_value(team, uuid, "address") == '"222号"'
    # The other way round: the earlier edit pushed last still loses.
    wang.open()
    edit("北京华信科技", address="333号")
    li.open()
    edit("北京华信科技", address="444号")
    li.sync()
    wang.sync()
    li.sync()
    for laptop in (li, wang):
        assert laptop.sql("SELECT address FROM customer") == [("444号",)]
    assert team.query("SELECT count(*) FROM sync.conflict") == [(2,)]
    assert li.sql("SELECT count(*) FROM sync_conflict WHERE resolved = 0") == [(2,)]


def test_edits_of_different_fields_are_both_kept(team, time_machine):
    li, wang = two_reps(team)
    li.open()
    edit("北京华信科技", address="111号")
    time_machine.shift(dt.timedelta(seconds=3))  # the version stamps (updated_at) differ too
    wang.open()
    edit("北京华信科技", email="a@b.cn")
    li.sync()
    assert wang.sync().conflicts == 0
    li.sync()
    for laptop in (li, wang):
        assert laptop.sql("SELECT address, email FROM customer") == [("111号", "a@b.cn")]
    assert team.query("SELECT count(*) FROM sync.conflict") == [(0,)]


def test_an_edit_against_a_delete_keeps_the_delete_and_a_conflict(team):
    from crmdesk.core.customers import archive as customers
    li, wang = two_reps(team)
    li.open()
    customers.delete([customer_id("北京华信科技")])
    wang.open()
    edit("北京华信科技", address="999号")
    li.sync()
    wang.sync()
    li.sync()
    for laptop in (li, wang):
        assert laptop.sql("SELECT deleted_at IS NOT NULL FROM customer") == [(1,)]
    rows = team.query("SELECT kind, field, loser, loser_actor FROM sync.conflict")
    assert rows == [("edited_deleted", "address", '"999号"', "wang")]


def test_a_customer_made_after_joining_reaches_the_team_with_its_team(team):
    li, wang = two_reps(team)
    li.open()
    new_customer("上海东方贸易")
    assert li.sql("SELECT team FROM customer WHERE name = '上海东方贸易'") == [("A",)]
    li.sync()
    wang.sync()
    assert sorted(wang.sql("SELECT name, team FROM customer")) == [("上海东方贸易", "A"), ("北京华信科技", "A")]
    uuid = uuid_of(li, "上海东方贸易")
    assert hub_value(team, uuid, "team") == '"A"'
    # A team name the hub does not know becomes the rep's team there, and on every laptop.
    li.open()
    from crmdesk.core.models import Customer
    made = Customer.create(code="C900", name="广州南方物流", team="不存在的组")
    li.sync()
    wang.sync()
    assert wang.sql("SELECT team FROM customer WHERE name = '广州南方物流'") == [("A",)]
    assert hub_value(team, str(made.uuid), "team") == '"A"'


def test_an_edit_the_hub_refuses_is_kept_as_a_conflict_and_the_field_shows_the_teams_value(team):
    li, _wang = two_reps(team)
    team.add("desk1", [], role="desk")
    desk = team.laptop("desk1")
    desk.join()
    desk.open()
    edit("北京华信科技", address="前台改的")  # the desk works complaints and care, not customers
    got = desk.sync()
    assert got.refused == 2  # the address and the version stamp
    assert desk.sql("SELECT address FROM customer") == [("",)]
    assert desk.sql("SELECT kind, mine FROM sync_conflict WHERE field = 'address'") == [("refused", '"前台改的"')]
    li.open()
    edit("北京华信科技", address="li 写的")
    li.sync()
    desk.sync()
    assert desk.sql("SELECT address FROM customer") == [("li 写的",)]


def test_chunks_never_split_a_record(team, monkeypatch):
    """Downloads and pulls come in chunks; a record whose fields straddle two chunks arrives
    whole (it was dropped: its first part could not be inserted without the rest)."""
    team.add("li", ["A"])
    team.add("wang", ["A"])
    li = team.laptop("li").open()
    for n in range(3):
        new_customer(f"客户{n}", address=f"地址{n}")
    li.join()
    monkeypatch.setattr(session, "PULL_CHUNK", 7)
    wang = team.laptop("wang")
    wang.join()
    li.open()
    for n in range(3, 5):
        new_customer(f"客户{n}", address=f"地址{n}")
    li.sync()
    wang.sync()
    columns = "uuid, code, name, address, created_at, updated_at, team"
    assert sorted(wang.sql(f"SELECT {columns} FROM customer")) == sorted(li.sql(f"SELECT {columns} FROM customer"))
    assert len(wang.sql("SELECT 1 FROM customer")) == 5


def test_the_fields_that_refresh_search_are_the_ones_search_is_made_of():
    """A pull refreshes the search text only when one of these changed: they must be the
    customer service's searched fields and the tags, or a remote rename would not be found."""
    from crmdesk.core.sync import derived
    assert derived.DERIVED_FROM == set(customer_text.SEARCHED) | {"tags"}


def test_two_laptops_that_imported_the_same_sheet_meet_as_duplicates_not_as_a_failure(team):
    """li and wang each typed (or imported) the same two customers before joining: the
    second to join keeps both, its codes renumbered where the team's holder had them, each
    renumbering and each pair listed; nothing is lost and the laptops agree."""
    team.add("li", ["A"])
    team.add("wang", ["A"])
    li, wang = team.laptop("li"), team.laptop("wang")
    for laptop in (li, wang):
        laptop.open()
        new_customer("北京华信科技", city="北京")
        new_customer("上海东方贸易", city="上海")
    li.join()
    result = wang.join()
    assert sorted(old for _table, _uuid, old, _new in result.renamed) == ["C000001", "C000002"]
    li.sync()
    wang.sync()
    rows = [sorted(laptop.sql("SELECT name, code, city FROM customer")) for laptop in (li, wang)]
    assert rows[0] == rows[1]
    assert [name for name, _code, _city in rows[0]] == ["上海东方贸易"] * 2 + ["北京华信科技"] * 2
    assert len({code for _name, code, _city in rows[0]}) == 4
    kinds = wang.sql("SELECT kind, field FROM sync_conflict WHERE resolved = 0")
    assert sorted(kinds) == [("duplicate", "name")] * 2 + [("renumbered", "code")] * 2  # and each pair listed


def test_two_reps_planning_visits_offline_agree_on_the_next_visit_without_a_conflict(team):
    """A customer's last and next visit dates are worked out from its visits on each
    laptop: two reps who plan a visit each without seeing the other's get no conflict
    nobody typed, and every laptop (one joining later too) shows the earlier of the two."""
    import datetime as dt

    from crmdesk.core.visits import visits

    li, wang = two_reps(team)
    for laptop, day in ((li, 12), (wang, 11)):  # wang's visit comes first, planned last
        laptop.open()
        start = dt.datetime(2026, 12, day, 9, 0)
        visits.create({"customer_id": customer_id("北京华信科技"), "starts_at": start,
                       "ends_at": start + dt.timedelta(hours=1)})
    li.sync()
    wang.sync()
    li.sync()
    assert team.query("SELECT count(*) FROM sync.conflict") == [(0,)]
    team.add("zhao", ["A"])
    zhao = team.laptop("zhao")
    zhao.join()
    for laptop in (li, wang, zhao):
        assert laptop.sql("SELECT next_visit_at FROM customer") == [("2026-12-11 09:00:00",)], laptop.login
        assert laptop.sql("SELECT count(*) FROM visit") == [(2,)]
