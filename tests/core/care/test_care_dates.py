"""Birthdays and festivals on the solar and lunar calendars (crmdesk.core.care.dates).

Every expected date was checked against lunar-python and, where it lists the day, against
the ``holidays`` package's PRC calendar; no clock is read and no Qt is imported."""
import subprocess
import sys
from datetime import date, timedelta

import pytest

from crmdesk.core.care import dates as D

SPRING = {2020: date(2020, 1, 25), 2021: date(2021, 2, 12), 2022: date(2022, 2, 1), 2023: date(2023, 1, 22),
          2024: date(2024, 2, 10), 2025: date(2025, 1, 29), 2026: date(2026, 2, 17), 2027: date(2027, 2, 6),
          2028: date(2028, 1, 26), 2029: date(2029, 2, 13), 2030: date(2030, 2, 3)}
MID_AUTUMN = {2020: date(2020, 10, 1), 2021: date(2021, 9, 21), 2022: date(2022, 9, 10), 2023: date(2023, 9, 29),
              2024: date(2024, 9, 17), 2025: date(2025, 10, 6), 2026: date(2026, 9, 25), 2027: date(2027, 9, 15),
              2028: date(2028, 10, 3), 2029: date(2029, 9, 22), 2030: date(2030, 9, 12)}


# --- festivals ---------------------------------------------------------------------------

@pytest.mark.parametrize("year", sorted(SPRING))
def test_spring_and_mid_autumn_match_the_official_table(year):
    assert D.festival_date("spring", year) == SPRING[year]
    assert D.festival_date("mid_autumn", year) == MID_AUTUMN[year]


def test_other_festivals_2026():
    assert D.festival_date("new_year", 2026) == date(2026, 1, 1)
    assert D.festival_date("lantern", 2026) == date(2026, 3, 3)
    assert D.festival_date("qingming", 2026) == date(2026, 4, 5)
    assert D.festival_date("labour", 2026) == date(2026, 5, 1)
    assert D.festival_date("dragon_boat", 2026) == date(2026, 6, 19)
    assert D.festival_date("national", 2026) == date(2026, 10, 1)
    assert D.festival_date("double_ninth", 2026) == date(2026, 10, 18)


def test_qingming_is_the_solar_term():
    assert D.festival_date("qingming", 2024) == date(2024, 4, 4)
    assert D.festival_date("qingming", 2025) == date(2025, 4, 4)
    assert D.festival_date("qingming", 2026) == date(2026, 4, 5)


def test_lunar_festivals_agree_with_the_holidays_package():
    holidays = pytest.importorskip("holidays")
    names = {"spring": "Chinese New Year (Spring Festival)", "mid_autumn": "Mid-Autumn Festival",
             "dragon_boat": "Dragon Boat Festival", "qingming": "Tomb-Sweeping Day"}
    compared = 0
    for year in range(2010, 2031):
        calendar = holidays.China(years=[year])
        for key, name in names.items():
            days = sorted(day for day, what in calendar.items() if what == name)
            if days:  # Mid-Autumn inside the National Day week has no holiday of its own
                assert days[0] == D.festival_date(key, year), (key, year)
                compared += 1
    assert compared > 70


def test_festival_names_and_keys():
    assert D.FESTIVALS == ("new_year", "spring", "lantern", "qingming", "labour", "dragon_boat", "mid_autumn",
                           "national", "double_ninth")
    assert set(D.FESTIVAL_NAMES) == set(D.FESTIVALS)
    assert D.FESTIVAL_NAMES["mid_autumn"] == ("中秋节", "Mid-Autumn Festival")
    assert D.FESTIVAL_NAMES["spring"] == ("春节", "Spring Festival")


@pytest.mark.parametrize("key, year", [("easter", 2026), ("spring", 1900), ("spring", 2100), ("new_year", 2100)])
def test_festival_date_refuses_unknown_keys_and_years(key, year):
    with pytest.raises(ValueError):
        D.festival_date(key, year)


def test_festivals_between_across_new_year():
    assert D.festivals_between(date(2026, 12, 25), date(2027, 1, 10)) == [("new_year", date(2027, 1, 1))]


def test_festivals_between_whole_year_sorted_and_filtered_by_keys():
    found = D.festivals_between(date(2026, 1, 1), date(2026, 12, 31))
    assert [key for key, _ in found] == ["new_year", "spring", "lantern", "qingming", "labour", "dragon_boat",
                                         "mid_autumn", "national", "double_ninth"]
    assert [day for _, day in found] == sorted(day for _, day in found)
    assert D.festivals_between(date(2026, 1, 1), date(2026, 12, 31), keys=("national", "spring")) == [
        ("spring", date(2026, 2, 17)), ("national", date(2026, 10, 1))]


def test_same_day_festivals_are_sorted_by_key():
    # 2020: Mid-Autumn fell on National Day
    assert D.festivals_between(date(2020, 10, 1), date(2020, 10, 1)) == [
        ("mid_autumn", date(2020, 10, 1)), ("national", date(2020, 10, 1))]


def test_custom_festivals_recur_and_bad_ones_are_skipped():
    custom = [("店庆", 3, 18), ("bad", 2, 30), ("leap", 2, 29)]
    found = D.festivals_between(date(2025, 1, 1), date(2026, 12, 31), keys=(), custom=custom)
    assert found == [("custom:leap", date(2025, 2, 28)), ("custom:店庆", date(2025, 3, 18)),
                     ("custom:leap", date(2026, 2, 28)), ("custom:店庆", date(2026, 3, 18))]
    assert ("custom:leap", date(2024, 2, 29)) in D.festivals_between(date(2024, 2, 1), date(2024, 3, 1),
                                                                   custom=custom)


# --- birthdays ---------------------------------------------------------------------------

def test_lunar_mid_autumn_birthday_over_ten_years():
    for year in range(2020, 2030):
        assert D.occurrence(8, 15, "lunar", year) == D.festival_date("mid_autumn", year) == MID_AUTUMN[year]
    assert D.birthdays_between(8, 15, "lunar", date(2020, 1, 1), date(2029, 12, 31)) == [
        MID_AUTUMN[year] for year in range(2020, 2030)]


@pytest.mark.parametrize("year, month, regular, leap", [
    (2020, 4, date(2020, 5, 2), date(2020, 6, 1)),    # 闰四月
    (2023, 2, date(2023, 3, 1), date(2023, 3, 31)),   # 闰二月
    (2025, 6, date(2025, 7, 4), date(2025, 8, 3)),    # 闰六月
])
def test_birthday_in_a_month_with_a_leap_month_falls_once_in_the_regular_month(year, month, regular, leap):
    assert D.occurrence(month, 10, "lunar", year) == regular
    found = D.birthdays_between(month, 10, "lunar", date(year, 1, 1), date(year, 12, 31))
    assert found == [regular]
    assert leap not in found


def test_lunar_day_30_in_a_29_day_month_is_its_last_day():
    # 2025 腊月 has 29 days: 廿九 is 2026-02-16 (New Year's Eve); 2023 腊月 has 30
    assert D.occurrence(12, 30, "lunar", 2025) == D.occurrence(12, 29, "lunar", 2025) == date(2026, 2, 16)
    assert D.occurrence(12, 29, "lunar", 2023) == date(2024, 2, 8)
    assert D.occurrence(12, 30, "lunar", 2023) == date(2024, 2, 9)
    # a 29-day month inside a year: 2025 二月 (29 days) -> 三月初一 is the next day
    assert D.occurrence(2, 30, "lunar", 2025) == D.occurrence(2, 29, "lunar", 2025)
    assert D.occurrence(3, 1, "lunar", 2025) - D.occurrence(2, 30, "lunar", 2025) == timedelta(days=1)


def test_solar_29_february():
    assert D.occurrence(2, 29, "solar", 2024) == date(2024, 2, 29)
    assert D.occurrence(2, 29, "solar", 2025) == date(2025, 2, 28)
    assert D.occurrence(2, 29, "solar", 2026) == date(2026, 2, 28)
    assert D.birthdays_between(2, 29, "solar", date(2024, 1, 1), date(2026, 12, 31)) == [
        date(2024, 2, 29), date(2025, 2, 28), date(2026, 2, 28)]
    D.check_birthday(2, 29, "solar")


def test_lunar_12th_month_birthday_twice_in_one_solar_year():
    # 腊月初三 of lunar 2021 is 2022-01-05 and of lunar 2022 is 2022-12-25
    assert D.birthdays_between(12, 3, "lunar", date(2022, 1, 1), date(2022, 12, 31)) == [
        date(2022, 1, 5), date(2022, 12, 25)]
    # ...but only once in 2025 (lunar 2025's falls on 2026-01-21)
    assert D.birthdays_between(12, 3, "lunar", date(2025, 1, 1), date(2025, 12, 31)) == [date(2025, 1, 2)]
    assert D.occurrence(12, 3, "lunar", 2025) == date(2026, 1, 21)


def test_next_birthday():
    assert D.next_birthday(8, 15, "lunar", date(2025, 10, 6)) == date(2025, 10, 6)
    assert D.next_birthday(8, 15, "lunar", date(2025, 10, 7)) == date(2026, 9, 25)
    assert D.next_birthday(12, 3, "lunar", date(2025, 1, 3)) == date(2026, 1, 21)
    assert D.next_birthday(2, 29, "solar", date(2025, 3, 1)) == date(2026, 2, 28)
    assert D.next_birthday(2, 29, "solar", date(2027, 3, 1)) == date(2028, 2, 29)


def test_outside_supported_years_is_none():
    assert D.occurrence(1, 1, "lunar", 1900) is None
    assert D.occurrence(1, 1, "lunar", 2100) is None
    assert D.occurrence(5, 1, "solar", 2100) is None
    assert D.occurrence(1, 1, "lunar", 1901) == date(1901, 2, 19)


@pytest.mark.parametrize("month, day, calendar, code", [
    (2, 30, "solar", "birthday_invalid"),
    (4, 31, "solar", "birthday_invalid"),
    (1, 0, "solar", "birthday_invalid"),
    (13, 1, "solar", "birthday_month_invalid"),
    (13, 1, "lunar", "birthday_month_invalid"),
    (0, 1, "lunar", "birthday_month_invalid"),
    (1, 31, "lunar", "birthday_invalid"),
    (1, 0, "lunar", "birthday_invalid"),
])
def test_bad_birthdays_raise_with_a_code(month, day, calendar, code):
    with pytest.raises(D.BadDate) as raised:
        D.check_birthday(month, day, calendar)
    assert raised.value.code == code
    assert isinstance(raised.value, ValueError)
    assert D.occurrence(month, day, calendar, 2026) is None


def test_good_birthdays_pass():
    D.check_birthday(12, 30, "lunar")
    D.check_birthday(12, 31, "solar")
    D.check_birthday(2, 29, "solar")


# --- cost --------------------------------------------------------------------------------

def test_occurrence_is_cached():
    D.occurrence(8, 15, "lunar", 2027)
    hits = D.occurrence.cache_info().hits
    for _ in range(100):
        D.occurrence(8, 15, "lunar", 2027)
    assert D.occurrence.cache_info().hits == hits + 100  # lunar-python is asked once per birthday and year


def test_import_is_cheap_and_free_of_qt_and_lunar_python():
    code = ("import sys, crmdesk.core.care.dates; "
            "print(any(m.startswith(('PySide', 'PyQt', 'lunar_python')) for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
