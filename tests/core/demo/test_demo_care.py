"""Demo care (``demo.care``): a care history done, skipped and still open around the demo's
"now", with the rules' own keys, so a rules run on the demo's day makes none of them again;
a points ledger of every purchase and a few gifts; the same rows for the same seed."""
from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from crmdesk.core.care import fields as C
from crmdesk.core.made_ids import made_uuid, points_key
from crmdesk.core.models import CareEvent, PointsEntry, Transaction, database
from crmdesk.core.care import list as care_list, rules as care_rules, points
from crmdesk.core import demo
from crmdesk.core.care.list import CareQuery
from crmdesk.core.demo.vocabulary import END_DATE

COUNT = 200


@pytest.fixture
def demo_db(db):
    return demo.generate(COUNT, visits=False)


def history():
    return CareEvent.select().where(CareEvent.complaint.is_null())


def test_done_skipped_and_open_events(demo_db):
    assert demo_db.care == history().count() > COUNT // 5
    states = Counter(e.state for e in history())
    assert states[C.DONE] > states[C.SKIPPED] > 0
    assert states[C.DUE] > 0
    kinds = {e.kind for e in history()}
    assert {C.BIRTHDAY, C.PURCHASE, C.SURVEY} <= kinds
    for event in history().where(CareEvent.state == C.DONE):
        assert event.result and event.done_at and event.done_at.date() >= event.due_on
    for event in history().where(CareEvent.state == C.SKIPPED):
        assert event.result  # the reason
    assert care_list.count(CareQuery(view="today", today=END_DATE)) >= 1
    assert care_list.count(CareQuery(view="overdue", today=END_DATE)) >= 1
    assert care_list.count(CareQuery(view="week", today=END_DATE)) >= 1
    assert history().where(CareEvent.state.in_(C.PENDING) & (CareEvent.due_on < END_DATE - dt.timedelta(days=7))
                           ).count() == 0  # nothing older than a week left undone


def test_festival_greetings_for_key_accounts_with_the_rules_keys(demo_db):
    festivals = list(history().where(CareEvent.kind == C.FESTIVAL))
    for event in festivals:
        assert event.customer.tier == "key"
        assert event.occasion in ("spring", "mid_autumn", "national")
        assert event.rule == f"festival:{event.occasion}:{event.due_on.year}:{event.customer.uuid}"
        assert event.uuid == made_uuid(event.rule)
    for event in history().where(CareEvent.kind == C.BIRTHDAY):
        who = f"p{event.contact.uuid}" if event.contact_id else f"c{event.customer.uuid}"
        assert event.rule == f"birthday:{who}:{event.due_on.isoformat()}" and event.uuid == made_uuid(event.rule)


def test_points_earned_per_yuan_and_a_few_redeemed(demo_db):
    earned = PointsEntry.select().where(PointsEntry.kind == "earned")
    assert earned.count() == Transaction.select().where(Transaction.amount >= 1).count()  # in yuan
    for entry in earned.limit(50):
        assert entry.points == int(entry.transaction.amount) and entry.on == entry.transaction.date
    redeemed = list(PointsEntry.select().where(PointsEntry.kind == "redeemed"))
    assert redeemed and demo_db.points == earned.count() + len(redeemed)
    for line in redeemed:
        assert line.points < 0 and line.care_event.kind == C.GIFT and line.care_event.state == C.DONE
        assert points.balance(line.customer_id) >= 0
    uuids = [u for (u,) in database.execute_sql("SELECT uuid FROM points_entry")]
    assert len(set(uuids)) == len(uuids) and all(len(u) == 36 for u in uuids)
    for entry in earned.limit(50):  # the purchase's points by the purchase's uuid, as the rules credit them
        assert entry.uuid == made_uuid(points_key(entry.transaction.uuid))
    assert all(u[14] == "4" for (u,) in database.execute_sql(
        "SELECT uuid FROM points_entry WHERE kind = 'redeemed'"))


def test_rules_on_the_demo_day_duplicate_nothing_the_demo_made(demo_db):
    before = {e.id for e in CareEvent.select()}
    points_before = PointsEntry.select().count()
    run = care_rules.run(END_DATE)
    assert run.points == 0 and PointsEntry.select().count() == points_before  # every purchase already credited
    occasions = Counter((e.customer_id, e.contact_id, e.kind, e.due_on) for e in CareEvent.select()
                        if e.kind in (C.BIRTHDAY, C.FESTIVAL, C.PURCHASE))
    assert [k for k, n in occasions.items() if n > 1] == []
    new = CareEvent.select().where(CareEvent.id.not_in(list(before)))
    made = {(e.customer_id, e.contact_id, e.kind, e.due_on) for e in history().where(CareEvent.id.in_(list(before)))}
    assert not [e for e in new if (e.customer_id, e.contact_id, e.kind, e.due_on) in made]
    assert care_rules.run(END_DATE).total == 0


def test_same_seed_same_care(db, tmp_path):
    first = demo.generate(60, visits=False, seed=7)
    rows = database.execute_sql("SELECT uuid, kind, due_on, state, result, rule FROM care_event ORDER BY id").fetchall()
    assert first.care and rows
    from crmdesk.core.db import close_database, open_database
    close_database()
    open_database(tmp_path / "again.sqlite")
    demo.generate(60, visits=False, seed=7)
    assert database.execute_sql("SELECT uuid, kind, due_on, state, result, rule FROM care_event ORDER BY id"
                                ).fetchall() == rows


def test_done_and_skipped_demo_events_are_in_the_timeline(demo_db):
    from crmdesk.core import history as change_history
    event = history().where(CareEvent.state == C.DONE).first()
    entries = [e for e in change_history.timeline(event.customer_id)
               if e.entity == "care_event" and e.record_id == event.id]
    assert [(e.field, e.old, e.new) for e in entries] == [(C.DONE, event.kind, event.result)]
