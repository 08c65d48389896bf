"""Birthdays and festivals on the Chinese calendars, for days that are given (never the
clock), with ``lunar-python`` doing the lunar arithmetic.

Decisions, as Chinese families keep them:
- A solar birthday on 29 February falls on 28 February in common years.
- A lunar birthday is the day of that lunar month and day in each lunar year, so its solar
  date moves from year to year, and a lunar date may fall twice in one solar year (a 腊月
  birthday early in January and again late in December).
- Someone born in a leap month (闰月) celebrates in the regular month of that number, every
  year; a lunar year with a leap month of that number still gives one birthday, in the
  regular (first) month.
- Day 30 of a lunar month that has only 29 days this year falls on its 29th.
- Lunar dates exist from 1901 to 2099 (lunar-python's tables); outside them, nothing.

Festivals: 元旦, 劳动节 and 国庆 are solar; 春节, 元宵, 端午, 中秋 and 重阳 are lunar dates of
each lunar year; 清明 is the solar term. User-added festivals are solar days of each year."""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Iterable, Optional

FIRST_YEAR, LAST_YEAR = 1901, 2099
FESTIVALS: tuple[str, ...] = ("new_year", "spring", "lantern", "qingming", "labour", "dragon_boat", "mid_autumn",
                              "national", "double_ninth")
FESTIVAL_NAMES: dict[str, tuple[str, str]] = {
    "new_year": ("元旦", "New Year's Day"),
    "spring": ("春节", "Spring Festival"),
    "lantern": ("元宵节", "Lantern Festival"),
    "qingming": ("清明节", "Qingming Festival"),
    "labour": ("劳动节", "Labour Day"),
    "dragon_boat": ("端午节", "Dragon Boat Festival"),
    "mid_autumn": ("中秋节", "Mid-Autumn Festival"),
    "national": ("国庆节", "National Day"),
    "double_ninth": ("重阳节", "Double Ninth Festival"),
}
_SOLAR_FESTIVALS = {"new_year": (1, 1), "labour": (5, 1), "national": (10, 1)}
_LUNAR_FESTIVALS = {"spring": (1, 1), "lantern": (1, 15), "dragon_boat": (5, 5), "mid_autumn": (8, 15),
                    "double_ninth": (9, 9)}


class BadDate(ValueError):
    """A birthday that no calendar has: 30 February, lunar month 13."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def check_birthday(month: int, day: int, calendar: str) -> None:
    if not isinstance(month, int) or not 1 <= month <= 12:
        raise BadDate("birthday_month_invalid")
    if calendar == "lunar":
        if not isinstance(day, int) or not 1 <= day <= 30:
            raise BadDate("birthday_invalid")
        return
    try:
        dt.date(2000, month, day)  # a leap year: 29 February is a birthday
    except (TypeError, ValueError):
        raise BadDate("birthday_invalid") from None


@lru_cache(maxsize=None)
def _lunar(year: int, month: int, day: int) -> Optional[dt.date]:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    from lunar_python import Lunar, LunarMonth
    try:
        days = LunarMonth.fromYm(year, month).getDayCount()
        solar = Lunar.fromYmd(year, month, min(day, days)).getSolar()
    except Exception:  # lunar-python raises bare Exceptions outside its tables
        return None
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


@lru_cache(maxsize=65536)
def occurrence(month: int, day: int, calendar: str, year: int) -> Optional[dt.date]:
    """The solar day a birthday falls on in ``year`` (a lunar year for a lunar birthday)."""
    try:
        check_birthday(month, day, calendar)
    except BadDate:
        return None
    if calendar == "lunar":
        return _lunar(year, month, day)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    if month == 2 and day == 29 and not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        day = 28
    return dt.date(year, month, day)


def birthdays_between(month: int, day: int, calendar: str, start: dt.date, end: dt.date) -> list[dt.date]:
    """Every day in [start, end] the birthday falls on, in order."""
    found = []
    first = start.year - 1 if calendar == "lunar" else start.year
    for year in range(first, end.year + 1):
        day_of = occurrence(month, day, calendar, year)
        if day_of is not None and start <= day_of <= end:
            found.append(day_of)
    return sorted(found)


def next_birthday(month: int, day: int, calendar: str, on_or_after: dt.date) -> Optional[dt.date]:
    found = birthdays_between(month, day, calendar, on_or_after, on_or_after + dt.timedelta(days=400))
    return found[0] if found else None


@lru_cache(maxsize=None)
def festival_date(key: str, year: int) -> dt.date:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"year {year} is outside {FIRST_YEAR}..{LAST_YEAR}")
    if key in _SOLAR_FESTIVALS:
        return dt.date(year, *_SOLAR_FESTIVALS[key])
    if key in _LUNAR_FESTIVALS:
        found = _lunar(year, *_LUNAR_FESTIVALS[key])
        if found is None:
            raise ValueError(f"{key} {year} is outside lunar-python's tables")
        return found
    if key == "qingming":
        from lunar_python import Solar
        term = Solar.fromYmd(year, 6, 1).getLunar().getJieQiTable()["清明"]
        return dt.date(term.getYear(), term.getMonth(), term.getDay())
    raise ValueError(f"unknown festival {key!r}")


def festivals_between(start: dt.date, end: dt.date, keys: Iterable[str] = FESTIVALS,
                      custom: Iterable[tuple[str, int, int]] = ()) -> list[tuple[str, dt.date]]:
    """(key, day) of every festival in [start, end], by day then key; user-added ones as
    "custom:" + their name."""
    found = []
    for year in range(max(start.year, FIRST_YEAR), min(end.year, LAST_YEAR) + 1):
        for key in keys:
            day = festival_date(key, year)
            if start <= day <= end:
                found.append((key, day))
        for name, month, day_of_month in custom:
            day = occurrence(month, day_of_month, "solar", year)
            if day is not None and start <= day <= end:
                found.append((f"custom:{name}", day))
    return sorted(found, key=lambda pair: (pair[1], pair[0]))
