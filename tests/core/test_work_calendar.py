"""Business hours on China's working calendar: weekends, Spring Festival and National Day
2026 with their adjusted working days (调休), the end of the working day, moments outside
working hours, custom working hours, and a randomized check that ``add`` and
``minutes_between`` agree."""
from __future__ import annotations

import datetime as dt
import random
import threading

import pytest

from crmdesk.core.work_calendar import OutOfRange, WorkCalendar, calendar

D = dt.datetime
DAY = 9 * 60  # 09:00-18:00


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar()


# ---------------------------------------------------------------- working days

def test_weekdays_work_and_weekends_do_not(cal):
    assert [cal.is_working_day(dt.date(2026, 3, d)) for d in range(2, 9)] == [True] * 5 + [False] * 2


def test_spring_festival_2026_with_its_two_working_saturdays(cal):
    worked = {d: cal.is_working_day(dt.date(2026, 2, d)) for d in range(12, 29)}
    assert worked[13] and worked[14]  # Friday, and Saturday 14 February worked (调休)
    assert not any(worked[d] for d in range(15, 24))  # Sunday 15 to Monday 23 off
    assert all(worked[d] for d in range(24, 28))  # back on Tuesday 24
    assert worked[28]  # Saturday 28 February worked (调休)
    assert not cal.is_working_day(dt.date(2026, 3, 1))  # an ordinary Sunday


def test_national_day_2026_with_its_working_weekend_days(cal):
    assert cal.is_working_day(dt.date(2026, 9, 20))  # a Sunday worked
    assert cal.is_working_day(dt.date(2026, 9, 30))
    assert not any(cal.is_working_day(dt.date(2026, 10, d)) for d in range(1, 8))
    assert cal.is_working_day(dt.date(2026, 10, 8)) and cal.is_working_day(dt.date(2026, 10, 9))
    assert cal.is_working_day(dt.date(2026, 10, 10))  # a Saturday worked
    assert not cal.is_working_day(dt.date(2026, 10, 11))


# ---------------------------------------------------------------- arithmetic

def test_within_one_day(cal):
    assert cal.add(D(2026, 3, 9, 9), 60) == D(2026, 3, 9, 10)
    assert cal.minutes_between(D(2026, 3, 9, 9, 15), D(2026, 3, 9, 17, 45)) == 510


def test_across_a_weekend(cal):
    friday = D(2026, 3, 6, 17)
    assert cal.add(friday, 120) == D(2026, 3, 9, 10)
    assert cal.minutes_between(friday, D(2026, 3, 9, 10)) == 120
    assert cal.minutes_between(D(2026, 3, 6, 9), D(2026, 3, 13, 9)) == 5 * DAY  # a week: five days


def test_a_deadline_that_fills_a_working_day_ends_at_closing_time(cal):
    assert cal.add(D(2026, 3, 6, 17), 60) == D(2026, 3, 6, 18)  # not Monday 09:00
    assert cal.add(D(2026, 3, 6, 17), 61) == D(2026, 3, 9, 9, 1)
    assert cal.add(D(2026, 3, 6, 9), DAY) == D(2026, 3, 6, 18)
    assert cal.add(D(2026, 3, 9, 9), 2 * DAY) == D(2026, 3, 10, 18)
    assert cal.add(D(2026, 2, 14, 9), DAY) == D(2026, 2, 14, 18)  # the working Saturday before the holiday


def test_spring_festival_deadlines(cal):
    assert cal.add(D(2026, 2, 13, 17), 120) == D(2026, 2, 14, 10)  # into the working Saturday
    assert cal.add(D(2026, 2, 13, 17), 8 * 60) == D(2026, 2, 14, 16)
    assert cal.add(D(2026, 2, 14, 17), 120) == D(2026, 2, 24, 10)  # over the whole holiday
    assert cal.minutes_between(D(2026, 2, 14, 18), D(2026, 2, 24, 9)) == 0
    assert cal.minutes_between(D(2026, 2, 13, 9), D(2026, 2, 25, 9)) == 3 * DAY  # 13, 14, 24
    assert cal.add(D(2026, 2, 27, 17), 120) == D(2026, 2, 28, 10)  # Saturday 28 worked
    assert cal.add(D(2026, 2, 28, 17), 120) == D(2026, 3, 2, 10)  # Sunday 1 March not


def test_national_day_deadlines(cal):
    assert cal.add(D(2026, 9, 30, 17), 120) == D(2026, 10, 8, 10)
    assert cal.minutes_between(D(2026, 9, 30, 17), D(2026, 10, 9, 9)) == 60 + DAY
    assert cal.add(D(2026, 10, 9, 17), 120) == D(2026, 10, 10, 10)  # the working Saturday
    assert cal.add(D(2026, 10, 10, 17), 120) == D(2026, 10, 12, 10)
    assert cal.add(D(2026, 9, 18, 17), 120) == D(2026, 9, 20, 10)  # Saturday off, Sunday 20 worked


def test_a_deadline_runs_over_new_year(cal):
    assert cal.add(D(2026, 12, 31, 17), 120) == D(2027, 1, 4, 10)  # 1 January a holiday, then a weekend
    assert cal.minutes_between(D(2026, 12, 31, 17), D(2027, 1, 4, 10)) == 120


def test_minutes_between_is_antisymmetric(cal):
    a, b = D(2026, 2, 13, 10, 30), D(2026, 3, 2, 15, 5)
    assert cal.minutes_between(a, b) > 0
    assert cal.minutes_between(b, a) == -cal.minutes_between(a, b)
    assert cal.minutes_between(a, a) == 0


def test_adding_nothing_or_less_returns_the_start_as_it_is(cal):
    evening = D(2026, 3, 6, 20, 15)
    assert cal.add(evening, 0) == evening
    assert cal.add(evening, -30) == evening
    assert cal.add(D(2026, 3, 9, 10), 0) == D(2026, 3, 9, 10)


def test_moments_outside_working_hours(cal):
    assert cal.add(D(2026, 3, 6, 20), 60) == D(2026, 3, 9, 10)  # Friday evening
    assert cal.add(D(2026, 3, 9, 7), 60) == D(2026, 3, 9, 10)  # before opening
    assert cal.add(D(2026, 3, 7, 11), 60) == D(2026, 3, 9, 10)  # a Saturday
    assert cal.add(D(2026, 3, 6, 12, 30), 60) == D(2026, 3, 6, 13, 30)  # lunch counts: 09:00-18:00 straight
    assert cal.minutes_between(D(2026, 3, 6, 18), D(2026, 3, 9, 9)) == 0
    assert cal.minutes_between(D(2026, 3, 6, 20), D(2026, 3, 7, 11)) == 0
    assert cal.minutes_between(D(2026, 3, 6, 7), D(2026, 3, 6, 23)) == DAY


def test_working_moment(cal):
    assert cal.working_moment(D(2026, 3, 6, 10, 5)) == D(2026, 3, 6, 10, 5)
    assert cal.working_moment(D(2026, 3, 6, 18)) == D(2026, 3, 9, 9)
    assert cal.working_moment(D(2026, 3, 9, 6)) == D(2026, 3, 9, 9)
    assert cal.working_moment(D(2026, 2, 15, 10)) == D(2026, 2, 24, 9)


def test_seconds_are_ignored(cal):
    assert cal.minutes_between(D(2026, 3, 9, 9, 0, 59), D(2026, 3, 9, 9, 2)) == 2
    assert cal.add(D(2026, 3, 9, 9, 0, 30), 1) == D(2026, 3, 9, 9, 1)


def test_custom_working_hours():
    early = WorkCalendar(dt.time(8, 30), dt.time(17, 30))
    assert early.day_minutes == 540
    assert early.add(D(2026, 3, 6, 17), 60) == D(2026, 3, 9, 9)
    assert early.add(D(2026, 3, 6, 8, 30), 540) == D(2026, 3, 6, 17, 30)
    mornings = WorkCalendar(dt.time(9), dt.time(12))
    assert mornings.add(D(2026, 3, 9, 11), 120) == D(2026, 3, 10, 10)
    assert mornings.minutes_between(D(2026, 3, 9, 9), D(2026, 3, 10, 9)) == 180
    assert mornings.add(D(2026, 2, 14, 11), 120) == D(2026, 2, 24, 10)


def test_a_working_day_must_end_after_it_starts():
    with pytest.raises(ValueError):
        WorkCalendar(dt.time(18), dt.time(9))
    with pytest.raises(ValueError):
        WorkCalendar(dt.time(9), dt.time(9))


def test_the_shared_calendar_is_built_once_per_working_day():
    assert calendar() is calendar(dt.time(9), dt.time(18))
    assert calendar(dt.time(8), dt.time(17)) is not calendar()
    assert calendar(dt.time(8), dt.time(17)).day_minutes == 540


# ---------------------------------------------------------------- consistency

def test_add_and_minutes_between_agree_at_random():
    cal = WorkCalendar()
    chance = random.Random(20260213)
    start = D(2025, 1, 1)
    for _ in range(3000):
        a = start + dt.timedelta(minutes=chance.randrange(3 * 365 * 24 * 60))
        m = chance.choice((chance.randrange(1, 600), chance.randrange(1, 60 * DAY)))
        b = cal.add(a, m)
        assert b > a
        assert cal.minutes_between(a, b) == m, (a, m, b)
        assert cal.minutes_between(b, a) == -m
        # on a working day, after opening and at the latest at closing time ...
        assert cal.is_working_day(b.date()) and dt.time(9) < b.time() <= dt.time(18), (a, m, b)
        # ... and the first such moment: a minute earlier is one business minute short
        assert cal.minutes_between(a, b - dt.timedelta(minutes=1)) == m - 1, (a, m, b)


def test_a_wider_table_gives_the_same_answers():
    cal = WorkCalendar()
    a, b = D(2026, 2, 13, 17), D(2026, 10, 9, 11)
    before = (cal.minutes_between(a, b), cal.add(a, 12345))
    cal.minutes_between(D(2001, 5, 8, 10), D(2098, 5, 8, 10))  # widens it both ways
    assert (cal.minutes_between(a, b), cal.add(a, 12345)) == before


def test_threads_building_the_table_at_once_agree():
    expected = {}
    years = (2003, 2026, 2051, 2077, 2095, 2012, 2040, 2088)
    for year in years:
        expected[year] = WorkCalendar().add(D(year, 3, 2, 17), 5 * DAY)
    shared = WorkCalendar()
    found, errors = {}, []

    def work(year):
        try:
            for _ in range(20):
                found[year] = shared.add(D(year, 3, 2, 17), 5 * DAY)
                assert shared.minutes_between(D(year, 3, 2, 17), found[year]) == 5 * DAY
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(y,)) for y in years]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and found == expected


def test_years_outside_the_calendar_are_refused(cal):
    with pytest.raises(OutOfRange):
        cal.add(D(1999, 12, 31, 10), 60)
    with pytest.raises(OutOfRange):
        cal.minutes_between(D(2026, 1, 5, 9), D(2100, 1, 4, 9))
    with pytest.raises(OutOfRange):
        cal.is_working_day(dt.date(2100, 1, 1))
    with pytest.raises(OutOfRange):
        cal.add(D(2099, 12, 31, 17), 120)  # the deadline would fall in 2100
    assert cal.add(D(2099, 12, 30, 17), 60) == D(2099, 12, 30, 18)
    assert cal.minutes_between(D(2000, 1, 4, 9), D(2000, 1, 4, 10)) == 60  # 3 January 2000 was a holiday
