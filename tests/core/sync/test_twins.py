"""What each laptop of a team makes for itself (issue 20): the care rules run on every
laptop, and a purchase earns its points on each. Against a real PostgreSQL hub: two
laptops that both ran the rules hold one reminder and one points entry; twins made before
(random uuids, as until migration 0023) are settled the same way on every laptop and on
the hub, what a user did to the one withdrawn carried over; a laptop that joins later
sees the settled pair; and a team laptop's migration tells the team the new keys."""
from __future__ import annotations

import datetime as dt
import uuid

import pytest

from crmdesk.core.care import events as care_events, points as care_points, rules
from crmdesk.core.db import close_database, open_database
from crmdesk.core.made_ids import made_uuid
from crmdesk.core.models import Transaction, database
from crmdesk.core.sync import twins
from tests.core.sync.test_sync_basics import new_customer, team  # noqa: F401  (the fixture)

TODAY = dt.date(2026, 12, 7)
REMINDERS = "SELECT uuid, state, result, deleted_at IS NOT NULL, rule FROM care_event WHERE kind = 'inactivity' ORDER BY uuid"
LIVE = "SELECT uuid, state, result FROM care_event WHERE kind = 'inactivity' AND deleted_at IS NULL"


def shared_customer(team):
    """li and wang, reps of team A, hold a customer nobody has been in touch with since
    2025, and another with a purchase of today that earns points."""
    team.add("li")
    team.add("wang")
    li = team.laptop("li")
    li.join()
    new_customer("北京华信科技")
    database.execute_sql("UPDATE customer SET last_visit_at = NULL, created_at = '2025-01-01'")
    Transaction.create(customer=new_customer("上海明华贸易"), date=TODAY, amount=500)
    li.sync()
    wang = team.laptop("wang")
    wang.join()
    return li, wang


def run_rules(laptop) -> rules.Run:
    laptop.open()
    return rules.run(TODAY)


def customer_points(laptop) -> int:
    laptop.open()
    return care_points.balance(database.execute_sql("SELECT id FROM customer WHERE name = '上海明华贸易'").fetchone()[0])


def test_two_laptops_that_both_ran_the_rules_hold_one_reminder_and_one_points_entry(team):
    li, wang = shared_customer(team)
    first = run_rules(li)  # counted as made: not the 15 outbox rows each, which made it "a flood"
    assert first.created["no_contact"] == 1 and first.spread is None
    li.sync()
    assert run_rules(wang).created["no_contact"] == 1  # the same one: wang has not seen li's
    wang.sync()
    assert run_rules(li).total == 0
    li.sync()
    assert team.query("SELECT count(*) FROM sync.record WHERE entity = 'care_event' AND doc ->> 'rule' LIKE 'no_contact:%%'") \
        == [(1,)]
    assert team.query("SELECT count(*) FROM sync.record WHERE entity = 'points_entry'") == [(1,)]
    assert team.query("SELECT count(*) FROM sync.conflict") == [(0,)]  # the same values: nothing to list
    for laptop in (li, wang):
        [(event_uuid, state, _result)] = laptop.sql(LIVE)
        assert state == "due" and event_uuid == made_uuid(
            laptop.sql("SELECT rule FROM care_event WHERE kind = 'inactivity'")[0][0])
        assert laptop.sql("SELECT count(*) FROM sync_parked") == [(0,)]
        assert customer_points(laptop) == 500
    li.open()
    care_events.mark_done([li.sql("SELECT id FROM care_event WHERE kind = 'inactivity'")[0][0]], "已电话联系")
    li.sync()
    wang.sync()
    assert [row[1:] for row in wang.sql(LIVE)] == [("done", "已电话联系")]


class RandomUuids:
    """The rules as they were: a uuid of their own for each reminder and each purchase's
    points; ``first`` (a hex digit) orders one laptop's before or after the other's."""

    def __init__(self) -> None:
        self.first, self.count = "1", 0

    def __call__(self, _key: str) -> str:
        self.count += 1
        return f"{self.first}{self.count:07x}-0000-4000-8000-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def as_before_0023(monkeypatch):
    made = RandomUuids()
    monkeypatch.setattr(rules, "made_uuid", made)
    database.register_function(made, "crm_made_uuid", 1)
    yield made
    database.register_function(made_uuid, "crm_made_uuid", 1, deterministic=True)


@pytest.mark.parametrize("wang_first", [False, True], ids=["li's stays", "wang's stays"])
def test_twins_made_before_are_settled_alike_on_every_laptop_and_the_hub(team, as_before_0023, wang_first):
    li, wang = shared_customer(team)
    as_before_0023.first = "2" if wang_first else "1"
    run_rules(li)
    li.sync()
    as_before_0023.first = "1" if wang_first else "2"
    run_rules(wang)  # the same reminder under another uuid; wang's user calls the customer
    care_events.mark_done([wang.sql("SELECT id FROM care_event WHERE kind = 'inactivity'")[0][0]], "已拜访，客户下月续订")
    both = sorted([li.sql(LIVE)[0][0], wang.sql(LIVE)[0][0]])
    assert (both[0] == wang.sql(LIVE)[0][0]) == wang_first
    for laptop in (wang, li, wang, li):
        laptop.sync()
    stays, goes = both
    for laptop in (li, wang):
        rows = laptop.sql(REMINDERS)
        assert [(row[0], row[3]) for row in rows] == [(stays, 0), (goes, 1)]  # the smaller uuid stays
        assert rows[0][1:3] == ("done", "已拜访，客户下月续订") and rows[1][4] == f"twin:{stays}:{goes}"
        assert laptop.sql("SELECT count(*) FROM sync_parked") == [(0,)]
        assert customer_points(laptop) == 500  # not twice
    hub = dict(team.query("SELECT uuid::text, doc ->> 'rule' FROM sync.record WHERE entity = 'care_event'"))
    assert hub[goes] == f"twin:{stays}:{goes}" and hub[stays].startswith("no_contact:")
    boss = team.laptop("boss")
    boss.join()
    assert boss.sql(LIVE) == [(stays, "done", "已拜访，客户下月续订")]
    assert customer_points(boss) == 500


def test_a_team_laptops_migration_tells_the_team_its_new_keys_and_settles_twins_it_holds(team, as_before_0023):
    li, wang = shared_customer(team)
    for laptop in (li, wang):
        run_rules(laptop)
    # Two keys of local ids: wang's reminder names wang's customer 1, li's its own 1; here
    # both laptops made their keys apart on purpose, as laptops with other ids did.
    li.sql("UPDATE care_event SET rule = 'no_contact:1:2025-01-01' WHERE kind = 'inactivity'")
    wang.sql("UPDATE care_event SET rule = 'no_contact:2:2025-01-01' WHERE kind = 'inactivity'")
    li.sync()
    wang.sync()
    li.sync()  # each laptop now holds both reminders: two keys, one customer
    for laptop in (li, wang):
        assert len(laptop.sql(LIVE)) == 2
        laptop.sql("PRAGMA user_version = 22")
        close_database()
    for laptop in (li, wang):
        open_database(laptop.path)  # migrates
        assert len(laptop.sql(LIVE)) == 1
        assert laptop.sql("SELECT count(*) FROM sync_outbox WHERE entity = 'care_event' AND field = 'rule'") == [(2,)]
        laptop.sync()
    key = li.sql("SELECT rule FROM care_event WHERE deleted_at IS NULL AND kind = 'inactivity'")[0][0]
    assert key == f"no_contact:{li.sql('SELECT uuid FROM customer WHERE name = ?', ['北京华信科技'])[0][0]}:2025-01-01"
    assert li.sql(REMINDERS) == wang.sql(REMINDERS)
    hub = team.query("SELECT doc ->> 'rule', doc ->> 'deleted_at' FROM sync.record WHERE entity = 'care_event' "
                     "AND doc ->> 'kind' = 'inactivity' ORDER BY uuid")
    assert [rule for rule, deleted in hub if deleted is None] == [key]
    assert [rule.startswith("twin:") for rule, deleted in hub if deleted is not None] == [True]


def test_a_laptop_that_joins_before_the_twins_are_settled_keeps_the_one_that_stays(team, as_before_0023, monkeypatch):
    """The twins went up from laptops that did not settle them (as before): a download of
    both used to fail on the key's unique index, so no laptop could join the team any
    more. It keeps the smaller uuid, as a laptop settling them does, and what the laptops
    settle later reaches it."""
    li, wang = shared_customer(team)
    run_rules(li)
    li.open()
    care_events.mark_done([li.sql("SELECT id FROM care_event WHERE kind = 'inactivity'")[0][0]], "已电话联系")
    li.sync()
    as_before_0023.first = "0"  # wang's is the smaller uuid
    run_rules(wang)
    with monkeypatch.context() as old:
        old.setattr(twins, "settle", lambda *args: None)  # wang's laptop does not settle them yet
        wang.sync()
    rules_on_hub = "SELECT count(*) FROM sync.record WHERE entity = 'care_event' AND doc ->> 'rule' LIKE 'no_contact:%%'"
    assert team.query(rules_on_hub) == [(2,)]  # the same key twice on the hub
    boss = team.laptop("boss")
    boss.join()
    [(stays,)] = wang.sql("SELECT uuid FROM care_event WHERE kind = 'inactivity'")
    assert stays.startswith("0") and boss.sql(LIVE) == [(stays, "due", "")]
    assert customer_points(boss) == 500
    for laptop in (wang, li, wang, boss):  # wang's parked twin is settled now, and li's
        laptop.sync()
    for laptop in (li, wang, boss):  # li's call carried over to the one that stays
        assert laptop.sql(LIVE) == [(stays, "done", "已电话联系")]
        assert laptop.sql("SELECT count(*) FROM sync_parked") == [(0,)]


def test_a_part_of_a_twin_that_cannot_go_in_changes_nothing_here(db):
    """Edits of a twin that came before the twin itself (a change package) cannot make a
    record: settling them is all or nothing, so the reminder here keeps its key."""
    from crmdesk.core.sync import apply as applying
    new_customer("北京华信科技")
    database.execute_sql("UPDATE customer SET last_visit_at = NULL, created_at = '2025-01-01'")
    rules.run(TODAY)
    before = database.execute_sql(REMINDERS).fetchall()
    [(key,)] = database.execute_sql("SELECT rule FROM care_event WHERE kind = 'inactivity'").fetchall()
    part = {**applying.column_defaults(applying.entities.get("care_event")), "uuid": "00000000-0000-4000-8000-000000000000",
            "rule": key, "state": "done"}  # no customer: it cannot be a record
    assert twins.settle("care_event", part["uuid"], part, applying_insert) is None
    assert database.execute_sql(REMINDERS).fetchall() == before


def applying_insert(row: dict) -> int:
    names = list(row)
    return database.execute_sql(f'INSERT INTO care_event ({", ".join(names)}) VALUES ({", ".join("?" * len(names))})',
                                [row[n] for n in names]).lastrowid


def test_a_call_on_a_twin_after_another_laptop_withdrew_it_reaches_the_one_that_stays(team, as_before_0023):
    """li calls the customer from the reminder on a laptop that has not heard yet that wang
    settled the pair the other way: the call is carried to the reminder that stays."""
    li, wang = shared_customer(team)
    run_rules(li)
    li.sync()
    as_before_0023.first = "0"  # wang's stays
    run_rules(wang)
    wang.sync()  # settles: li's is withdrawn, on the hub too
    li.open()
    care_events.mark_done([li.sql("SELECT id FROM care_event WHERE kind = 'inactivity'")[0][0]], "已电话联系")
    li.sync()
    wang.sync()
    stays = wang.sql(LIVE)[0][0]
    for laptop in (li, wang):
        assert laptop.sql(LIVE) == [(stays, "done", "已电话联系")]
