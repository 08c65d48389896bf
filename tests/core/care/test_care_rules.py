"""The care rules without Qt, on days that are given: birthdays solar and lunar, festivals
for the chosen tiers, purchase follow-ups, anniversaries, inactivity and churn warnings
with their figures, points; running twice creates nothing; deleted customers and
contacts get nothing; a clock set back creates nothing twice."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from crmdesk.core.care import fields as C
from crmdesk.core.models import CareEvent, Contact, Customer, PointsEntry, Transaction
from crmdesk.core.care import rules as care_rules, settings as care_settings
from crmdesk.core.care.settings import Rule, Rules

D = dt.date
OFF = Rule(False, 7)
ONLY = dict(birthdays=OFF, festivals=OFF, purchase=OFF, anniversary=OFF, no_contact=OFF,
            no_purchase=OFF, points_on=False)


def rules(**on) -> Rules:
    return Rules(**{**ONLY, **on})


def customer(name="上海明华贸易有限公司", **values) -> int:
    values.setdefault("code", f"C{Customer.select().count() + 1:05d}")
    return Customer.create(name=name, **values).id


def events(kind=None) -> list[CareEvent]:
    query = CareEvent.select().order_by(CareEvent.due_on, CareEvent.id)
    return list(query.where(CareEvent.kind == kind) if kind else query)


@pytest.fixture
def cid(db) -> int:
    return customer()


def test_solar_birthday_of_a_contact_appears_days_ahead_once(cid):
    contact = Contact.create(customer=cid, name="王伟", birthday_month=11, birthday_day=30)
    first = care_rules.run(D(2026, 11, 23), rules(birthdays=Rule(True, 7)))
    assert first.created["birthdays"] == 1
    [event] = events()
    assert (event.kind, event.due_on, event.contact_id, event.customer_id) == (C.BIRTHDAY, D(2026, 11, 30), contact.id, cid)
    assert json.loads(event.facts) == {"calendar": "solar", "month": 11, "day": 30}
    again = care_rules.run(D(2026, 11, 23), rules(birthdays=Rule(True, 7)))
    assert again.total == 0 and len(events()) == 1


def test_birthday_outside_the_horizon_waits(cid):
    Contact.create(customer=cid, name="王伟", birthday_month=12, birthday_day=5)
    assert care_rules.run(D(2026, 11, 23), rules(birthdays=Rule(True, 7))).total == 0
    assert care_rules.run(D(2026, 11, 28), rules(birthdays=Rule(True, 7))).total == 1


def test_lunar_birthday_falls_on_its_solar_day_each_year(cid):
    Contact.create(customer=cid, name="李娜", birthday_month=8, birthday_day=15, birthday_calendar="lunar")
    expected = {2026: D(2026, 9, 25), 2027: D(2027, 9, 15), 2028: D(2028, 10, 3)}
    for year, day in expected.items():
        care_rules.run(day - dt.timedelta(days=3), rules(birthdays=Rule(True, 7)))
    assert [e.due_on for e in events(C.BIRTHDAY)] == list(expected.values())


def test_29_february_birthday_in_a_common_year_is_on_the_28th(cid):
    Contact.create(customer=cid, name="赵敏", birthday_month=2, birthday_day=29)
    care_rules.run(D(2027, 2, 25), rules(birthdays=Rule(True, 7)))
    care_rules.run(D(2028, 2, 25), rules(birthdays=Rule(True, 7)))
    assert [e.due_on for e in events(C.BIRTHDAY)] == [D(2027, 2, 28), D(2028, 2, 29)]


def test_individual_customers_birthday_and_deleted_people_get_nothing(db):
    person = customer("张三", kind="individual", birthday_month=12, birthday_day=1)
    company = customer("华润五金", birthday_month=12, birthday_day=1)  # a company has no birthday
    gone = customer("已删除", kind="individual", birthday_month=12, birthday_day=1,
                    deleted_at=dt.datetime(2026, 1, 1))
    Contact.create(customer=company, name="已离职", birthday_month=12, birthday_day=1,
                   deleted_at=dt.datetime(2026, 1, 1))
    care_rules.run(D(2026, 11, 28), rules(birthdays=Rule(True, 7)))
    assert [(e.customer_id, e.contact_id) for e in events()] == [(person, None)]
    assert gone


def test_festivals_go_to_the_chosen_tiers(db):
    key = customer("重点", tier="key")
    customer("交易", tier="transactional")
    care_rules.run(D(2026, 9, 20), rules(festivals=Rule(True, 7)))
    [event] = events(C.FESTIVAL)
    assert (event.customer_id, event.occasion, event.due_on) == (key, "mid_autumn", D(2026, 9, 25))
    care_rules.run(D(2026, 9, 20), Rules(**{**ONLY, "festivals": Rule(True, 7), "festival_tiers": ()}))
    assert len(events(C.FESTIVAL)) == 2  # every customer now; the key account's is not doubled


def test_spring_festival_and_custom_dates(db):
    customer("重点", tier="key")
    care_rules.run(D(2027, 2, 1), Rules(**{**ONLY, "festivals": Rule(True, 7),
                                            "custom_festivals": (("店庆", 2, 3),)}))
    assert [(e.occasion, e.due_on) for e in events()] == [("custom:店庆", D(2027, 2, 3)), ("spring", D(2027, 2, 6))]


def test_purchase_follow_up_one_per_customer_and_day(cid):
    for product in ("A", "B"):
        Transaction.create(customer=cid, date=D(2026, 11, 20), product=product, amount=100)
    care_rules.run(D(2026, 11, 23), rules(purchase=Rule(True, 3)))
    [event] = events(C.PURCHASE)
    assert event.due_on == D(2026, 11, 23)
    assert json.loads(event.facts) == {"date": "2026-11-20", "lines": 2, "amount": 200.0}


def test_anniversary_of_the_first_purchase(cid):
    Transaction.create(customer=cid, date=D(2023, 12, 1), amount=100)
    Transaction.create(customer=cid, date=D(2024, 6, 1), amount=100)
    care_rules.run(D(2026, 11, 28), rules(anniversary=Rule(True, 7)))
    [event] = events(C.ANNIVERSARY)
    assert event.due_on == D(2026, 12, 1) and json.loads(event.facts)["years"] == 3


def test_no_contact_warning_carries_its_figures(db):
    quiet = customer("久未联系", created_at=dt.datetime(2026, 1, 1))
    customer("刚联系", created_at=dt.datetime(2026, 1, 1), last_visit_at=dt.datetime(2026, 11, 1, 9))
    care_rules.run(D(2026, 11, 23), rules(no_contact=Rule(True, 90)))
    [event] = events(C.INACTIVE)
    assert event.customer_id == quiet and event.due_on == D(2026, 11, 23)
    assert json.loads(event.facts) == {"reason": "no_contact", "last_contact": "2026-01-01", "days": 326, "limit": 90}
    care_rules.run(D(2026, 11, 24), rules(no_contact=Rule(True, 90)))
    assert len(events(C.INACTIVE)) == 1  # the same silence is warned about once


def test_churn_warning_after_one_and_a_half_usual_intervals(db):
    regular = customer("老客户", created_at=dt.datetime(2025, 1, 1))
    for day in (D(2026, 1, 1), D(2026, 3, 2), D(2026, 5, 1)):  # every 60 days
        Transaction.create(customer=regular, date=day, amount=100)
    assert care_rules.run(D(2026, 7, 30), rules(no_purchase=Rule(True, 0))).total == 0  # 90 days: not yet
    care_rules.run(D(2026, 7, 31), rules(no_purchase=Rule(True, 0)))
    [event] = events(C.INACTIVE)
    assert json.loads(event.facts) == {"reason": "no_purchase", "last_purchase": "2026-05-01", "purchases": 3,
                                       "interval": 60.0, "threshold": 90, "days": 91}


def test_points_are_credited_once_from_the_day_points_started(cid):
    Transaction.create(customer=cid, date=D(2026, 11, 1), amount=500)  # before points started
    care_rules.run(D(2026, 11, 20), rules(points_on=True))
    assert care_settings.load().points_from == "2026-11-20"  # points start with the first run
    assert PointsEntry.select().count() == 0  # the earlier purchase earns nothing
    Transaction.create(customer=cid, date=D(2026, 11, 21), amount="1234.56")
    run = care_rules.run(D(2026, 11, 22), Rules(**{**ONLY, "points_on": True, "points_from": "2026-11-20"}))
    assert run.points == 1
    assert [(p.points, p.kind) for p in PointsEntry.select()] == [(1234, "earned")]
    assert care_rules.run(D(2026, 11, 23), Rules(**{**ONLY, "points_on": True, "points_from": "2026-11-20"})).points == 0


def test_rules_run_twice_create_nothing_new(cid):
    Contact.create(customer=cid, name="王伟", birthday_month=11, birthday_day=25)
    Customer.update(tier="key").execute()
    Transaction.create(customer=cid, date=D(2023, 11, 24), amount=100)
    everything = Rules(points_on=False)
    first = care_rules.run(D(2026, 11, 23), everything)
    assert first.created["birthdays"] == first.created["anniversary"] == 1
    assert care_rules.run(D(2026, 11, 23), everything).total == 0
    assert CareEvent.select().count() == first.total


def test_a_clock_set_back_creates_nothing_twice(cid):
    Contact.create(customer=cid, name="王伟", birthday_month=11, birthday_day=25)
    care_rules.run(D(2026, 11, 23), rules(birthdays=Rule(True, 7)))
    back = care_rules.run(D(2026, 11, 20), rules(birthdays=Rule(True, 7)))
    assert back.clock_back and back.total == 0 and back.start == D(2026, 11, 20)
    assert care_rules.last_run() == D(2026, 11, 20)  # the reference is today's date from now on
    again = care_rules.run(D(2026, 11, 24), rules(birthdays=Rule(True, 7)))
    assert again.start == D(2026, 11, 21) and again.total == 0
    assert len(events()) == 1


def test_a_clock_that_ran_ahead_blocks_nothing_once_it_is_put_right(db):
    quiet = customer("久未联系", created_at=dt.datetime(2026, 1, 1))
    Contact.create(customer=quiet, name="王伟", birthday_month=12, birthday_day=1)
    inactive = rules(no_contact=Rule(True, 90), birthdays=Rule(True, 7))
    care_rules.run(D(2027, 11, 21), inactive)  # the clock a year ahead
    assert [e.due_on for e in events(C.INACTIVE)] == [D(2027, 11, 21)]
    care_rules.run(D(2026, 11, 20), inactive)  # put right
    assert [e.due_on for e in events(C.INACTIVE)] == [D(2026, 11, 20)]  # the future one is gone
    care_rules.run(D(2026, 12, 6), inactive)  # closed for two weeks: the 1 December birthday is caught up
    assert D(2026, 12, 1) in [e.due_on for e in events(C.BIRTHDAY)]


def test_purchases_entered_late_get_a_follow_up_due_today(cid):
    care_rules.run(D(2026, 11, 20), rules(purchase=Rule(True, 3)))
    Transaction.create(customer=cid, date=D(2026, 11, 11), amount=100)  # a monthly import, dated back
    Transaction.create(customer=cid, date=D(2026, 5, 1), amount=100)  # too old to follow up
    care_rules.run(D(2026, 11, 21), rules(purchase=Rule(True, 3)))
    [event] = events(C.PURCHASE)
    assert event.due_on == D(2026, 11, 21) and json.loads(event.facts)["date"] == "2026-11-11"


def test_occasions_that_fell_while_the_app_was_closed_are_created_late(cid):
    care_rules.run(D(2026, 11, 1), rules(purchase=Rule(True, 3)))
    Transaction.create(customer=cid, date=D(2026, 11, 5), amount=100)  # follow-up due on the 8th
    care_rules.run(D(2026, 11, 20), rules(purchase=Rule(True, 3)))  # the app was closed meanwhile
    assert [e.due_on for e in events(C.PURCHASE)] == [D(2026, 11, 8)]
    assert care_rules.window_start(D(2026, 11, 20), D(2026, 11, 1)) == D(2026, 11, 2)
    assert care_rules.window_start(D(2027, 6, 1), D(2026, 11, 1)) == D(2027, 6, 1) - dt.timedelta(days=C.CATCH_UP_DAYS)


def test_a_user_deleted_event_does_not_come_back(cid):
    Contact.create(customer=cid, name="王伟", birthday_month=11, birthday_day=25)
    care_rules.run(D(2026, 11, 23), rules(birthdays=Rule(True, 7)))
    CareEvent.update(deleted_at=dt.datetime(2026, 11, 23)).execute()
    assert care_rules.run(D(2026, 11, 24), rules(birthdays=Rule(True, 7))).total == 0


def test_one_open_inactivity_check_per_customer_the_churn_warning_first(db):
    both = customer("又久又少", created_at=dt.datetime(2025, 1, 1))
    for day in (D(2025, 1, 1), D(2025, 3, 2), D(2025, 5, 1)):
        Transaction.create(customer=both, date=day, amount=100)
    inactive = rules(no_contact=Rule(True, 90), no_purchase=Rule(True, 0))
    care_rules.run(D(2026, 11, 23), inactive)
    [event] = events(C.INACTIVE)
    assert json.loads(event.facts)["reason"] == "no_purchase"
    CareEvent.update(state=C.DONE).execute()  # dealt with: a later silence is warned about again
    care_rules.run(D(2026, 11, 24), inactive)
    assert [json.loads(e.facts)["reason"] for e in events(C.INACTIVE)] == ["no_purchase", "no_contact"]


@pytest.mark.parametrize("month, day, calendar", [(2, 30, "solar"), (13, 1, "lunar"), (4, 31, "solar"),
                                                  (8, 31, "lunar"), (0, 5, "solar")])
def test_an_impossible_stored_birthday_gets_no_event_and_stops_nothing(cid, month, day, calendar):
    """A birthday no calendar has (an old Access file, a hand-edited database) is passed over."""
    Contact.create(customer=cid, name="坏日期", birthday_month=month, birthday_day=day, birthday_calendar=calendar)
    good = Contact.create(customer=cid, name="王伟", birthday_month=3, birthday_day=1)
    run = care_rules.run(D(2027, 2, 25), rules(birthdays=Rule(True, 7)))
    assert run.created["birthdays"] == 1
    assert [e.contact_id for e in events(C.BIRTHDAY)] == [good.id]


def test_a_warning_the_customer_answered_is_withdrawn(db):
    quiet = customer("久未联系", created_at=dt.datetime(2026, 1, 1))
    inactive = rules(no_contact=Rule(True, 90))
    care_rules.run(D(2026, 11, 20), inactive)
    assert len(events(C.INACTIVE)) == 1
    Transaction.create(customer=quiet, date=D(2026, 11, 21), amount=100)  # an order came in
    run = care_rules.run(D(2026, 11, 22), inactive)
    assert run.resolved == 1 and run.total == 0
    assert CareEvent.select().where(CareEvent.deleted_at.is_null()).count() == 0
