"""Business hours on China's working calendar: weekends off, public holidays off, and the
adjusted working days (调休, a Saturday or Sunday worked to make a holiday longer) on, as the
``holidays`` library publishes them.

A complaint's deadline is so many business hours after it was received; a pause (waiting
for the customer) adds the business minutes it lasted. Both questions are answered in
constant time from a table of cumulative working minutes per day, built a few years at a
time: ``position(t)`` is the number of working minutes from the table's first day to ``t``;
``minutes_between(a, b)`` is ``position(b) - position(a)``; ``add(a, m)`` finds the moment
whose position is ``position(a) + m`` by bisection. Times are local, without a time zone.
"""
from __future__ import annotations

import bisect
import datetime as dt
import threading
from array import array
from functools import lru_cache
from typing import NamedTuple, Optional


FIRST_YEAR, LAST_YEAR = 2000, 2099  # what a complaint's dates may be
MARGIN_YEARS = 2  # built beyond the year asked for, so that a deadline can run past New Year


class OutOfRange(ValueError):
    """A moment outside the years the calendar covers."""


class _Table(NamedTuple):
    """Days ``first`` (1 January of ``low``) to 31 December of ``high``: per day whether it
    is worked, and the working minutes before it (one extra entry at the end)."""
    first: dt.date
    low: int
    high: int
    working: bytes
    before: array


class WorkCalendar:
    """Working days and hours: ``start`` to ``end`` on every working day.

    The table only ever grows (a wider one replaces it whole, in one assignment), so a
    table read once answers for every year it covered: one calculation reads one table,
    even while another thread widens it."""

    def __init__(self, start: dt.time = dt.time(9), end: dt.time = dt.time(18)):
        if end <= start:
            raise ValueError("the working day must end after it starts")
        self.start, self.end = start, end
        self.start_minute = start.hour * 60 + start.minute
        self.day_minutes = end.hour * 60 + end.minute - self.start_minute
        self._table: Optional[_Table] = None
        self._lock = threading.Lock()

    # ------------------------------------------------------------ the table
    def _covering(self, *years: int) -> _Table:
        """A table covering ``years`` (built or widened if need be)."""
        for year in years:
            if not FIRST_YEAR <= year <= LAST_YEAR:
                raise OutOfRange(year)
        table = self._table
        if table is not None and all(table.low <= y <= table.high for y in years):
            return table
        with self._lock:
            table = self._table
            low, high = min(years) - MARGIN_YEARS, max(years) + MARGIN_YEARS
            if table is not None:
                if all(table.low <= y <= table.high for y in years):
                    return table  # another thread built it meanwhile
                low, high = min(low, table.low), max(high, table.high)
            table = self._build(max(low, FIRST_YEAR), min(high, LAST_YEAR))
            self._table = table
            return table

    def _build(self, low: int, high: int) -> _Table:
        import holidays  # 50 ms to import: only when a calendar is first needed
        calendar = holidays.China(years=range(low, high + 1))
        extra = getattr(calendar, "weekend_workdays", set())
        first, last = dt.date(low, 1, 1), dt.date(high, 12, 31)
        working = bytearray()
        before = array("q", [0])
        day = first
        one = dt.timedelta(days=1)
        while day <= last:
            works = day in extra or (day.weekday() < 5 and day not in calendar)
            working.append(1 if works else 0)
            before.append(before[-1] + (self.day_minutes if works else 0))
            day += one
        return _Table(first, low, high, bytes(working), before)

    def is_working_day(self, day: dt.date) -> bool:
        table = self._covering(day.year)
        return bool(table.working[(day - table.first).days])

    # ------------------------------------------------------------ arithmetic
    def _position(self, table: _Table, moment: dt.datetime) -> int:
        index = (moment.date() - table.first).days
        minutes = 0
        if table.working[index]:
            into = moment.hour * 60 + moment.minute - self.start_minute
            minutes = min(max(into, 0), self.day_minutes)
        return table.before[index] + minutes

    def position(self, moment: dt.datetime) -> int:
        """Working minutes from the table's first day up to ``moment`` (whole minutes:
        seconds are dropped). Only differences of positions mean anything."""
        return self._position(self._covering(moment.year), moment)

    def minutes_between(self, start: dt.datetime, end: dt.datetime) -> int:
        """Business minutes from ``start`` to ``end`` (negative when ``end`` is earlier)."""
        table = self._covering(start.year, end.year)
        return self._position(table, end) - self._position(table, start)

    def add(self, start: dt.datetime, minutes: int) -> dt.datetime:
        """The moment ``minutes`` business minutes after ``start``: on a working day, between
        the start and the end of work. A deadline that ends with a working day is at its
        closing time (18:00), not at the next morning's opening. ``minutes`` <= 0: ``start``."""
        minutes = int(minutes)
        if minutes <= 0:
            return start
        table = self._covering(start.year)
        target = self._position(table, start) + minutes
        while target > table.before[-1]:  # past the table's last day: build further
            table = self._covering(table.high + 1)
            target = self._position(table, start) + minutes
        # the day on which the target is reached: the last day whose minutes-before is < target
        index = bisect.bisect_left(table.before, target) - 1
        into = target - table.before[index]
        day = table.first + dt.timedelta(days=index)
        return dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=self.start_minute + into)

    def working_moment(self, moment: dt.datetime) -> dt.datetime:
        """``moment`` if it is within working hours, else the next opening time."""
        minute = moment.hour * 60 + moment.minute
        if (self.is_working_day(moment.date())
                and self.start_minute <= minute < self.start_minute + self.day_minutes):
            return moment
        return self.add(moment, 1) - dt.timedelta(minutes=1)


def calendar(start: dt.time = dt.time(9), end: dt.time = dt.time(18)) -> WorkCalendar:
    """The shared calendar for these working hours (its table is built once), however the
    hours are passed: ``calendar()`` is ``calendar(dt.time(9), dt.time(18))``."""
    return _shared(start, end)


@lru_cache(maxsize=8)
def _shared(start: dt.time, end: dt.time) -> WorkCalendar:
    return WorkCalendar(start, end)
