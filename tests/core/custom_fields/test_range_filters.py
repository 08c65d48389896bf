"""Range filters on number and date custom fields: SQL on the (field, value) index, open at
either end, never taking a value of another type someone kept in the field."""
from __future__ import annotations

import pytest

from crmdesk.core import custom_fields as CF
from crmdesk.core.models import database
from crmdesk.core.customers import archive as customers
from crmdesk.core.customers.list import ListQuery, count, first_ids, ids


@pytest.fixture
def people(db):
    CF.add("家庭人数", CF.NUMBER)
    CF.add("纪念日", CF.DATE)
    made = {}
    for name, size, day in (("甲", 1, "2020-02-29"), ("乙", 3, "2021-06-01"), ("丙", 4.5, "2022-01-01"),
                            ("丁", 12, "2022-12-31"), ("戊", None, None), ("己", -2, "1999-05-04")):
        made[name] = customers.create({"name": name, "cf:家庭人数": size, "cf:纪念日": day})[0]
    return made


def names(people, query):
    by_id = {v: k for k, v in people.items()}
    return sorted(by_id[i] for i in ids(query))


@pytest.mark.parametrize("text, expected", [
    ("3..12", ["乙", "丙", "丁"]),
    ("3..", ["乙", "丙", "丁"]),
    ("..3", ["甲", "乙", "己"]),
    ("4.5..4.5", ["丙"]),
    ("12..3", ["乙", "丙", "丁"]),  # typed the wrong way round: between the two
    ("-5..0", ["己"]),
    ("13..", []),
])
def test_a_number_range_takes_the_numbers_in_it(people, text, expected):
    query = ListQuery(filters=(("cf:家庭人数", text),))
    assert names(people, query) == sorted(expected)
    assert count(query) == len(expected)


@pytest.mark.parametrize("text, expected", [
    ("2021-01-01..2022-12-31", ["乙", "丙", "丁"]),
    ("2022-01-01..", ["丙", "丁"]),
    ("..2020-02-29", ["甲", "己"]),
    ("2023-01-01..", []),
])
def test_a_date_range_takes_the_days_in_it_ends_included(people, text, expected):
    assert names(people, ListQuery(filters=(("cf:纪念日", text),))) == sorted(expected)


def test_a_text_kept_in_a_number_field_is_outside_every_number_range(people):
    """A value an import kept as it was (or a field whose type came from a sheet) sorts
    after every number in SQLite: an open upper end must not take it."""
    database.execute_sql("UPDATE customer_field_value SET value = 'viele' WHERE customer_id = ? AND field = ?",
                         [people["丁"], "家庭人数"])
    database.execute_sql("UPDATE customer_field_value SET value = 20221231 WHERE customer_id = ? AND field = ?",
                         [people["甲"], "纪念日"])
    assert names(people, ListQuery(filters=(("cf:家庭人数", "0.."),))) == sorted(["甲", "乙", "丙"])
    assert "丁" not in names(people, ListQuery(filters=(("cf:家庭人数", "..1000000"),)))
    assert "甲" not in names(people, ListQuery(filters=(("cf:纪念日", "..2030-01-01"),)))
    assert "甲" not in names(people, ListQuery(filters=(("cf:纪念日", "1900-01-01.."),)))


@pytest.mark.parametrize("text", ["abc..", "3", "..2020-13-01", "inf..", "..nan"])
def test_a_range_that_is_none_matches_nobody_and_says_so_to_no_one(people, text):
    field = "cf:纪念日" if "2020" in text else "cf:家庭人数"
    query = ListQuery(filters=((field, text),))
    assert list(ids(query)) == [] and count(query) == 0
    assert CF.matches(CF.get(field), text) == 0


def test_a_range_is_the_same_walked_in_order_or_taken_at_once(db):
    """Wide ranges are probed row by row along the list order, narrow ones taken at once
    (``customer_list.DENSE_SHARE``): both plans, one answer."""
    CF.add("年收入", CF.NUMBER)
    made = [customers.create({"name": f"客户{i:02d}", "cf:年收入": i * 1000})[0] for i in range(40)]
    for text, expected in (("5000..5000", [made[5]]), ("1000..", made[1:]), ("..39000", made)):
        query = ListQuery(filters=(("cf:年收入", text),))
        assert first_ids(query, 100) == expected == list(ids(query))
        assert count(query) == len(expected) == CF.matches(CF.get("cf:年收入"), text)


def test_range_text_and_back(db):
    number, _ = CF.add("家庭人数", CF.NUMBER)
    day, _ = CF.add("纪念日", CF.DATE)
    assert CF.range_text(3, 12) == "3..12" and CF.range_text(None, 2.5) == "..2.5"
    assert CF.range_text(12000.0, None) == "12000.." and CF.range_text() == ""
    assert CF.parse_range(number, "3..12") == (3, 12) and CF.parse_range(number, "..2.5") == (None, 2.5)
    assert CF.parse_range(day, "2024-01-01..") == ("2024-01-01", None)
    assert CF.value_span(number) == (None, None)
    customers.create({"name": "甲", "cf:家庭人数": 4, "cf:纪念日": "2024-03-01"})
    customers.create({"name": "乙", "cf:家庭人数": 1.5, "cf:纪念日": "2019-03-01"})
    assert CF.value_span(number) == (1.5, 4) and CF.value_span(day) == ("2019-03-01", "2024-03-01")
