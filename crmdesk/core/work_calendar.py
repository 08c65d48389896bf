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
from array import array
from functools import lru_cache

import holidays

FIRST_YEAR, LAST_YEAR = 2000, 2099  # what a complaint's dates may be
MARGIN_YEARS = 2  # built beyond the year asked for, so that a deadline can run past New Year


class OutOfRange(ValueError):
    """A moment outside the years the calendar covers."""


class WorkCalendar:
    """Working days and hours: ``start`` to ``end`` on every working day."""

    def __init__(self, start: dt.time = dt.time(9), end: dt.time = dt.time(18)):
        if end <= start:
            raise ValueError("the working day must end after it starts")
        self.start, self.end = start, end
        self.start_minute = start.hour * 60 + start.minute
        self.day_minutes = end.hour * 60 + end.minute - self.start_minute
        self._first: dt.date | None = None  # the table's first day
        self._years = (0, -1)
        self._working = bytearray()  # per day: 1 working, 0 not
        self._before = array("q")  # per day: working minutes before it, from _first; one extra at the end

    # ------------------------------------------------------------ the table
    def _cover(self, year: int) -> None:
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise OutOfRange(year)
        low, high = self._years
        if low <= year <= high:
            return
        low = min(low, year - MARGIN_YEARS) if high >= low else year - MARGIN_YEARS
        high = max(high, year + MARGIN_YEARS)
        low, high = max(low, FIRST_YEAR), min(high, LAST_YEAR)
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
        self._first, self._years, self._working, self._before = first, (low, high), working, before

    def _index(self, day: dt.date) -> int:
        self._cover(day.year)
        return (day - self._first).days

    def is_working_day(self, day: dt.date) -> bool:
        return bool(self._working[self._index(day)])

    # ------------------------------------------------------------ arithmetic
    def position(self, moment: dt.datetime) -> int:
        """Working minutes from the table's first day up to ``moment``."""
        index = self._index(moment.date())
        minutes = 0
        if self._working[index]:
            into = moment.hour * 60 + moment.minute - self.start_minute
            minutes = min(max(into, 0), self.day_minutes)
        return self._before[index] + minutes

    def minutes_between(self, start: dt.datetime, end: dt.datetime) -> int:
        """Business minutes from ``start`` to ``end`` (negative when ``end`` is earlier)."""
        if end < start:
            return -self.minutes_between(end, start)
        position = self.position(start)  # builds the table for start's years first
        return self.position(end) - position

    def add(self, start: dt.datetime, minutes: int) -> dt.datetime:
        """The moment ``minutes`` business minutes after ``start``: on a working day, between
        the start and the end of work. A deadline that ends with a working day is at its
        closing time (18:00), not at the next morning's opening."""
        minutes = int(minutes)
        if minutes <= 0:
            return start
        target = self.position(start) + minutes
        while target > self._before[-1]:  # past the table's last day: build further
            self._cover(self._years[1] + 1)
            target = self.position(start) + minutes
        # the day on which the target is reached: the last day whose minutes-before is < target
        index = bisect.bisect_left(self._before, target) - 1
        into = target - self._before[index]
        day = self._first + dt.timedelta(days=index)
        return dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=self.start_minute + into)

    def working_moment(self, moment: dt.datetime) -> dt.datetime:
        """``moment`` if it is within working hours, else the next opening time."""
        index = self._index(moment.date())
        minute = moment.hour * 60 + moment.minute
        if self._working[index] and self.start_minute <= minute < self.start_minute + self.day_minutes:
            return moment
        return self.add(moment, 1) - dt.timedelta(minutes=1)


@lru_cache(maxsize=8)
def calendar(start: dt.time = dt.time(9), end: dt.time = dt.time(18)) -> WorkCalendar:
    """The shared calendar for these working hours (its table is built once)."""
    return WorkCalendar(start, end)
