"""Repeating plans, frequencies, the due and overdue list (month ends, leap years), the
calendar's clashes and the day plan, without Qt."""
from __future__ import annotations

import datetime as dt

import pytest

from crmdesk.core.visits import fields as V
from crmdesk.core.errors import ValidationError
from crmdesk.core.models import Customer, Visit, VisitSeries, database
from crmdesk.core.customers import archive as customers
from crmdesk.core.visits import planning as P, series as S, visits
from crmdesk.core.visits.planning import DueQuery

MONDAY = dt.date(2026, 11, 23)


def make(name, **values) -> int:
    return customers.create({"name": name, "owner": "张伟", **values})[0]


def done_visit(customer_id, when: dt.datetime) -> int:
    return visits.log_visit({"customer_id": customer_id, "starts_at": when,
                             "ends_at": when + dt.timedelta(hours=1)}, {"outcome": "ok"}).visit_id


# ---------------------------------------------------------------- repeating plans

def rule(**kw) -> S.Rule:
    return S.Rule(**{"first_date": MONDAY, **kw})


def test_weekly_on_two_weekdays():
    got = list(S.dates(rule(interval=1, unit="week", weekdays=(0, 3), count=5)))
    assert got == [dt.date(2026, 11, 23), dt.date(2026, 11, 26), dt.date(2026, 11, 30),
                   dt.date(2026, 12, 3), dt.date(2026, 12, 7)]


def test_every_second_week_starting_midweek_skips_earlier_days():
    got = list(S.dates(S.Rule(dt.date(2026, 11, 25), 2, "week", (0, 2), count=3)))
    assert got == [dt.date(2026, 11, 25), dt.date(2026, 12, 7), dt.date(2026, 12, 9)]


def test_every_n_days_until_a_date_across_a_leap_day():
    got = list(S.dates(S.Rule(dt.date(2028, 2, 27), 1, "day", until=dt.date(2028, 3, 1))))
    assert got == [dt.date(2028, 2, 27), dt.date(2028, 2, 28), dt.date(2028, 2, 29), dt.date(2028, 3, 1)]


def test_skip_continues_where_generation_stopped():
    assert next(S.dates(rule(unit="day", interval=3), skip=2)) == MONDAY + dt.timedelta(days=6)


@pytest.mark.parametrize("raw,key,code", [
    ({"interval": 0}, "interval", "number_out_of_range"),
    ({"interval": "abc"}, "interval", "number_out_of_range"),
    ({"unit": "year"}, "unit", "enum_invalid"),
    ({"until": "2026-11-01"}, "until", "repeat_until_before_start"),
    ({"count": 5000}, "count", "number_out_of_range"),
    ({"weekdays": [9]}, "weekdays", "enum_invalid"),
    ({"weekdays": [0], "until": "2026-11-25", "first": dt.date(2026, 11, 24)}, "weekdays", "repeat_no_dates"),
])
def test_bad_rules_are_refused(raw, key, code):
    first = raw.pop("first", MONDAY)
    with pytest.raises(ValidationError) as caught:
        S.validate_rule(raw, first)
    assert caught.value.errors[key].code == code


def test_a_rule_that_never_ends_plans_a_capped_number_and_says_so(db):
    cid = make("恒通机械", tier="key")
    start = dt.datetime.combine(MONDAY, dt.time(14, 30))
    result = S.create({"customer_id": cid, "starts_at": start, "ends_at": start + dt.timedelta(minutes=45),
                       "kind": "care", "objective": "例行回访"}, {"interval": 1, "unit": "day"})
    assert result.planned == S.MAX_PENDING and result.capped
    rows = list(Visit.select().where(Visit.series == result.series_id).order_by(Visit.starts_at))
    assert len(rows) == S.MAX_PENDING
    assert rows[1].starts_at == start + dt.timedelta(days=1)
    assert all(r.objective == "例行回访" and (r.ends_at - r.starts_at).seconds == 45 * 60 for r in rows)
    # Recording one plans the next occurrence.
    written = visits.record(rows[0].id, {"outcome": "ok"})
    assert S.pending(result.series_id) == S.MAX_PENDING
    latest = Visit.select().where(Visit.series == result.series_id).order_by(Visit.starts_at.desc()).first()
    assert latest.starts_at == start + dt.timedelta(days=S.MAX_PENDING)
    assert any(c.entity == "visit" and c.kind == "created" for c in written.changes)


def test_a_thousand_visit_rule_is_capped_in_one_click(db):
    cid = make("鑫达")
    start = dt.datetime.combine(MONDAY, dt.time(9))
    result = S.create({"customer_id": cid, "starts_at": start, "ends_at": start + dt.timedelta(hours=1)},
                      {"interval": 1, "unit": "day", "count": 1000})
    assert result.planned == S.MAX_PENDING and result.capped
    assert VisitSeries.get_by_id(result.series_id).generated == S.MAX_PENDING


def test_a_short_rule_is_planned_whole(db):
    cid = make("瑞丰")
    start = dt.datetime.combine(MONDAY, dt.time(9))
    result = S.create({"customer_id": cid, "starts_at": start, "ends_at": start + dt.timedelta(hours=1)},
                      {"interval": 2, "unit": "week", "weekdays": [0, 4], "until": "2026-12-31"})
    assert result.planned == 6 and not result.capped
    visits.cancel(Visit.select().where(Visit.series == result.series_id).first().id, "节假日")
    assert S.pending(result.series_id) == 5  # nothing left to generate


def test_ending_a_series_removes_its_future_plans(db):
    cid = make("宏远")
    start = dt.datetime.combine(MONDAY, dt.time(9))
    result = S.create({"customer_id": cid, "starts_at": start, "ends_at": start + dt.timedelta(hours=1)},
                      {"unit": "week", "count": 4})
    S.end(result.series_id, MONDAY + dt.timedelta(days=8))
    assert S.pending(result.series_id) == 2
    assert S.top_up(result.series_id) == []


# ---------------------------------------------------------------- frequencies and due list

def test_frequencies_default_and_change(db):
    assert P.frequencies() == V.DEFAULT_FREQUENCY
    P.set_frequencies({"key": "7", "relationship": 21, "transactional": "", "none": 45})
    assert P.frequencies() == {"key": 7, "relationship": 21, "transactional": None, "none": 45}
    with pytest.raises(ValidationError) as caught:
        P.set_frequencies({"key": 0, "relationship": "often"})
    assert set(caught.value.errors) == {"key", "relationship"}
    assert P.frequencies()["key"] == 7


def _due(today, **kw) -> list[int]:
    return list(P.due_ids(DueQuery(today, **kw)))


def test_overdue_by_tier_sorted_by_how_overdue_then_value(db):
    key = make("重点", tier="key", need_score=5)
    rel = make("关系", tier="relationship")
    trans = make("交易", tier="transactional")
    key_low = make("重点二", tier="key", need_score=1)
    for cid in (key, rel, trans, key_low):
        done_visit(cid, dt.datetime(2026, 10, 1, 10))
    today = dt.date(2026, 11, 23)  # 53 days since the visit
    # key: 14 days -> 39 overdue; relationship: 30 -> 23; transactional: 90 -> not yet due
    assert _due(today) == [key, key_low, rel]
    rows = P.due_rows([key, rel], today)
    assert rows[key].overdue_days == 39 and rows[key].due_date == dt.date(2026, 10, 15)
    assert rows[rel].overdue_days == 23 and rows[rel].last_visit == dt.date(2026, 10, 1)
    assert P.due_count(DueQuery(today)) == 3
    assert _due(today, tier="relationship") == [rel]
    assert _due(today, ahead=40) == [key, key_low, rel, trans]


def test_due_at_a_month_end_in_a_leap_year(db):
    cid = make("月末", tier="relationship")
    done_visit(cid, dt.datetime(2024, 1, 31, 15))
    assert _due(dt.date(2024, 2, 29)) == []  # 29 days: due tomorrow
    assert _due(dt.date(2024, 3, 1)) == [cid]  # 30 days: due today
    assert P.due_rows([cid], dt.date(2024, 3, 1))[cid].due_date == dt.date(2024, 3, 1)
    assert _due(dt.date(2024, 2, 29), ahead=1) == [cid]


def test_due_in_a_common_year_february(db):
    cid = make("二月", tier="relationship")
    done_visit(cid, dt.datetime(2025, 1, 31, 15))
    assert P.due_rows([cid], dt.date(2025, 3, 2))[cid].due_date == dt.date(2025, 3, 2)
    assert _due(dt.date(2025, 3, 1)) == []
    assert _due(dt.date(2025, 3, 2)) == [cid]


def test_a_planned_visit_takes_the_customer_off_the_list(db):
    cid = make("已计划", tier="key")
    done_visit(cid, dt.datetime(2026, 10, 1, 10))
    today = dt.date(2026, 11, 23)
    start = dt.datetime(2026, 11, 25, 9)
    visits.create({"customer_id": cid, "starts_at": start, "ends_at": start + dt.timedelta(hours=1)})
    assert _due(today) == []
    assert _due(today, include_planned=True) == [cid]
    # The planned visit passed unrecorded: the customer is due again.
    assert _due(dt.date(2026, 11, 26)) == [cid]


def test_own_frequency_lost_customers_and_untracked_tiers(db):
    own = make("自定", tier="transactional")
    lost = make("流失", tier="key", stage="lost")
    none = make("无等级")
    for cid in (own, lost, none):
        done_visit(cid, dt.datetime(2026, 11, 1, 10))
    today = dt.date(2026, 11, 23)
    P.set_customer_frequency(own, 7)
    assert Customer.get_by_id(own).visit_every_days == 7
    assert _due(today) == [own]
    P.set_frequencies({**V.DEFAULT_FREQUENCY, "none": 10})
    assert _due(today) == [own, none]
    P.set_frequencies({**V.DEFAULT_FREQUENCY, "none": None})
    assert _due(today) == [own]
    with pytest.raises(ValidationError):
        P.set_customer_frequency(own, -3)


def test_never_visited_customers_count_from_when_they_were_added(db):
    cid = make("新客户", tier="key")
    database.execute_sql("UPDATE customer SET created_at = '2026-11-01 02:00:00' WHERE id = ?", (cid,))
    assert _due(dt.date(2026, 11, 14)) == []
    assert _due(dt.date(2026, 11, 15)) == [cid]
    assert P.due_rows([cid], dt.date(2026, 11, 15))[cid].last_visit is None


# ---------------------------------------------------------------- calendar and day plan

def test_calendar_flags_a_reps_overlapping_visits(db):
    a = make("甲", city="杭州", district="西湖区")
    b = make("乙", city="杭州", district="滨江区")
    c = make("丙", city="宁波", district="鄞州区")
    day = dt.date(2026, 11, 24)
    at = lambda h, m=0: dt.datetime.combine(day, dt.time(h, m))  # noqa: E731
    v1 = visits.create({"customer_id": a, "starts_at": at(9), "ends_at": at(10)}).visit_id
    v2 = visits.create({"customer_id": b, "starts_at": at(9, 30), "ends_at": at(11)}).visit_id
    v3 = visits.create({"customer_id": c, "starts_at": at(14), "ends_at": at(15)}).visit_id
    v4 = visits.create({"customer_id": a, "starts_at": at(16), "ends_at": at(17)}).visit_id
    visits.cancel(v4, "")
    items = P.in_range(day, day + dt.timedelta(days=1), at=at(8))
    assert [(i.id, i.clash) for i in items] == [(v1, True), (v2, True), (v3, False), (v4, False)]
    assert P.in_range(day, day + dt.timedelta(days=1), rep="李娜", at=at(8)) == []
    groups = P.day_plan(day, at=at(8))
    assert [(g.city, g.district, [s.id for s in g.stops]) for g in groups] == [
        ("杭州", "西湖区", [v1]), ("杭州", "滨江区", [v2]), ("宁波", "鄞州区", [v3])]
    assert groups[0].stops[0].place.startswith("杭州")


def test_a_day_with_nothing_planned_is_an_empty_plan(db):
    assert P.day_plan(dt.date(2026, 12, 25)) == []


def test_the_calendar_shows_passed_unrecorded_visits_as_missed(db):
    cid = make("丁")
    start = dt.datetime(2026, 11, 20, 9)
    visits.create({"customer_id": cid, "starts_at": start, "ends_at": start + dt.timedelta(hours=1)})
    [item] = P.in_range(dt.date(2026, 11, 1), dt.date(2026, 12, 1), at=dt.datetime(2026, 11, 23, 8))
    assert item.state == V.MISSED and not item.clash
