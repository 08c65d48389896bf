"""A flood of inactivity checks (a first run over a book, an import, a long absence) is
spread per rep over the coming working days, key accounts and big buyers first, at most
the daily quota per rep and day; an everyday run's few checks stay due today."""
from __future__ import annotations

import datetime as dt
from collections import Counter

from crmdesk.core.care import fields as C
from crmdesk.core.care import spread as S
from crmdesk.core.models import CareEvent, Customer, Transaction
from crmdesk.core.care import reminders as care_reminders, rules as care_rules
from crmdesk.core.care.settings import Rule, Rules

D = dt.date
OFF = Rule(False, 7)
NO_CONTACT = Rules(birthdays=OFF, festivals=OFF, purchase=OFF, anniversary=OFF, no_contact=Rule(True, 90),
                   no_purchase=OFF, points_on=False)
TODAY = D(2026, 12, 4)  # a Friday


def book(count: int, reps=("王伟", "李娜", "张敏"), created="2026-01-05 09:00:00") -> list[int]:
    ids = []
    for i in range(count):
        ids.append(Customer.create(code=f"C{i + 1:05d}", name=f"客户{i + 1}", owner=reps[i % len(reps)],
                                   created_at=created).id)
    return ids


def due_days(owner=None) -> Counter:
    query = CareEvent.select(CareEvent, Customer).join(Customer).where(CareEvent.kind == C.INACTIVE)
    if owner is not None:
        query = query.where(Customer.owner == owner)
    return Counter(e.due_on for e in query)


def test_first_run_over_a_demo_sized_book_spreads_per_rep_within_the_quota(db):
    book(705, reps=[f"rep{r:02d}" for r in range(13)])
    run = care_rules.run(TODAY, NO_CONTACT)
    assert run.created["no_contact"] == 705
    assert run.spread is not None and run.spread.count == 705 and run.spread.reason == S.MANY
    assert run.spread.reps == 13
    days = due_days()
    assert sum(days.values()) == 705
    assert days[TODAY] == 13 * S.DAILY_QUOTA  # today: a day's quota per rep, not 705
    for owner in (f"rep{r:02d}" for r in range(13)):
        per_day = due_days(owner)
        assert max(per_day.values()) <= S.DAILY_QUOTA
        assert all(d == TODAY or d.weekday() < 5 for d in per_day)  # no weekends
    assert D(2026, 12, 5) not in days and D(2026, 12, 6) not in days  # Saturday, Sunday
    assert max(days) == run.spread.last_day == D(2026, 12, 18)  # 55 checks a rep: 11 working days
    assert run.spread.weeks == 3


def test_holidays_are_skipped(db):
    book(30, reps=["王伟"])
    run = care_rules.run(D(2026, 9, 30), NO_CONTACT)  # National Day: 1-7 October off
    days = sorted(due_days())
    assert days[0] == D(2026, 9, 30)
    assert not any(D(2026, 10, 1) <= d <= D(2026, 10, 7) for d in days)
    assert run.spread.last_day == max(days)


def test_key_accounts_first_then_by_lifetime_value(db):
    ids = book(12, reps=["王伟"])
    Customer.update(tier="key").where(Customer.id == ids[11]).execute()
    Transaction.create(customer=ids[3], date=D(2025, 6, 1), amount=900_000)  # fen: ¥9,000
    Transaction.create(customer=ids[7], date=D(2025, 6, 1), amount=50_000)
    Customer.update(created_at="2026-01-05 09:00:00").execute()
    run = care_rules.run(TODAY, NO_CONTACT)  # first run, 12 for one rep: more than a day's quota
    assert run.spread.reason == S.FIRST_RUN
    by_customer = {e.customer_id: e.due_on for e in CareEvent.select()}
    today = [cid for cid, day in by_customer.items() if day == TODAY]
    assert ids[11] in today and ids[3] in today and ids[7] in today and len(today) == S.DAILY_QUOTA
    assert set(today) == {ids[11], ids[3], ids[7], ids[0], ids[1]}  # then by number
    assert by_customer[ids[-2]] == D(2026, 12, 8)  # the third working day (Fri, Mon, Tue)


def test_everyday_run_stays_due_today(db):
    book(3)
    care_rules.run(D(2026, 12, 3), NO_CONTACT)
    book_more = Customer.create(code="C09999", name="新客户", owner="王伟", created_at="2026-09-01 09:00:00")
    run = care_rules.run(TODAY, NO_CONTACT)
    assert run.spread is None and run.created["no_contact"] == 1
    assert CareEvent.get(CareEvent.customer == book_more.id).due_on == TODAY


def test_a_few_on_the_first_run_stay_due_today(db):
    book(6)  # two a rep
    run = care_rules.run(TODAY, NO_CONTACT)
    assert run.spread is None and set(due_days()) == {TODAY}


def test_long_absence_spreads(db):
    care_rules.run(D(2026, 11, 1), NO_CONTACT)  # an empty book: the rules have run before
    book(8, reps=["王伟"])
    run = care_rules.run(TODAY, NO_CONTACT)
    assert run.spread.reason == S.ABSENCE and due_days()[TODAY] == S.DAILY_QUOTA


def test_spread_is_deterministic_and_nothing_repeats(db):
    book(40)
    care_rules.run(TODAY, NO_CONTACT)
    first = {e.customer_id: e.due_on for e in CareEvent.select()}
    again = care_rules.run(TODAY, NO_CONTACT)
    assert again.total == 0 and again.spread is None
    assert {e.customer_id: e.due_on for e in CareEvent.select()} == first
    assert care_rules.run(D(2026, 12, 7), NO_CONTACT).total == 0  # spread checks are open: none again


def test_wake_reports_the_spread(db, monkeypatch):
    book(40)
    monkeypatch.setattr(care_rules.care_settings, "load", lambda: NO_CONTACT)
    wake = care_reminders.wake(TODAY)
    assert wake.spread is not None and wake.spread.count == 40
