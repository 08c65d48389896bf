"""The spec's "Values" rules (spec/customer-sheet.md), through crmdesk.core.io.normalize."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from crmdesk.core.customers import fields as F
from crmdesk.core.errors import CrmError, FieldError
from crmdesk.core.io import normalize as N
from crmdesk.core.phones.rules import display as dialled


def error_code(func, *args, **kwargs) -> str:
    with pytest.raises(FieldError) as info:
        func(*args, **kwargs)
    assert isinstance(info.value, CrmError)
    return info.value.code


# ---------------------------------------------------------------- phones

@pytest.mark.parametrize("raw", [
    13812345678.0,          # a numeric cell read as float
    1.3812345678E10,        # the same in scientific notation
    13812345678,            # a numeric cell read as int
    "13812345678.0",        # the float's text
    "1.3812345678E10",      # Excel's scientific display as text
    "1.3812345678e+10",
])
def test_phone_from_numeric_cell_is_restored_to_its_digits(raw):
    # stored in E.164 (issue 18), dialled as the digits the cell held
    assert N.phone(raw) == N.Phone("+8613812345678", ())
    assert dialled(N.phone(raw).number) == "13812345678"


@pytest.mark.parametrize("raw", [
    "+86 138 1234 5678", "+86-138-1234-5678", "0086 138-1234-5678", "0086 13812345678",
    "8613812345678",
])
def test_phone_country_prefix_becomes_plus_86(raw):
    assert N.phone(raw).number == "+8613812345678"


def test_phone_keeps_other_leading_plus():
    assert N.phone("+1 (415) 555-2671").number == "+14155552671"


@pytest.mark.parametrize("raw, expected", [
    ("138 1234 5678", "13812345678"),
    ("138-1234-5678", "13812345678"),
    ("138.1234.5678", "13812345678"),
    ("(010) 8888-9999", "01088889999"),
    ("（010）8888 9999", "01088889999"),   # full-width brackets
    ("[010]88889999", "01088889999"),
    ("  010 - 8888 . 9999  ", "01088889999"),
    ("\t13812345678\n", "13812345678"),
])
def test_phone_strips_spaces_dashes_dots_and_brackets(raw, expected):
    stored = N.phone(raw).number
    assert stored == "+86" + expected.lstrip("0")
    assert dialled(stored) == expected


@pytest.mark.parametrize("raw", [
    "010-88889999 x718", "010-88889999x718", "010-88889999 X718", "010 8888 9999 ext. 718",
    "010 8888 9999 ext718", "010 8888 9999 转 718", "010-88889999分机718",
])
def test_phone_extension_is_kept(raw):
    assert N.phone(raw).number == "+861088889999x718"
    assert dialled(N.phone(raw).number) == "01088889999x718"


@pytest.mark.parametrize("raw, first, extra", [
    ("138 1234 5678 / 139 8765 4321", "13812345678", ("13987654321",)),
    ("13812345678,13987654321", "13812345678", ("13987654321",)),
    ("13812345678，13987654321", "13812345678", ("13987654321",)),
    ("13812345678;13987654321", "13812345678", ("13987654321",)),
    ("13812345678；13987654321", "13812345678", ("13987654321",)),
    ("010-1234 5678, 021.6543.2100；0755 1234567", "01012345678", ("02165432100", "07551234567")),
])
def test_phone_several_numbers_keep_the_first_and_return_the_rest(raw, first, extra):
    result = N.phone(raw)
    assert result.number.startswith("+86")
    assert dialled(result.number) == first
    assert tuple(dialled(e) for e in result.extra) == extra


@pytest.mark.parametrize("raw", ["1234", "12-34", "1 2 3 4", "+1234", "(12)", "x", "0"])
def test_phone_with_fewer_than_five_digits_is_refused(raw):
    code = error_code(N.phone, raw)
    assert code in ("phone_too_short", "phone_invalid_chars")
    if any(ch.isdigit() for ch in raw):
        assert code == "phone_too_short"


def test_phone_with_exactly_five_digits_is_accepted():
    assert N.phone("12345").number == "12345"


def test_phone_too_short_in_several_numbers_is_refused():
    assert error_code(N.phone, "13812345678 / 123") == "phone_too_short"


def test_phone_letters_are_refused():
    assert error_code(N.phone, "abc12345") == "phone_invalid_chars"


def test_phone_too_long_is_refused():
    assert error_code(N.phone, "1" * 21) == "phone_too_long"


def test_phone_full_width_digits_become_half_width():
    assert N.phone("１３８-１２３４-５６７８").number == "+8613812345678"
    assert N.phone("＋８６　１３８１２３４５６７８").number == "+8613812345678"


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_phone_blank_is_none(raw):
    assert N.phone(raw) is None


def test_phone_error_through_value_names_the_field():
    with pytest.raises(FieldError) as info:
        N.value("mobile", "12")
    assert info.value.code == "phone_too_short"
    assert info.value.key == "mobile"
    assert info.value.params["key"] == "mobile"


# ---------------------------------------------------------------- email

@pytest.mark.parametrize("raw, expected", [
    ("x@y.cn", "x@y.cn"),
    ("  x@y.cn  ", "x@y.cn"),
    ("Zhang.San@Example.COM", "Zhang.San@example.com"),   # the domain is lower-cased
    ("ａ＠ｂ．ｃｏｍ", "a@b.com"),                           # full-width -> half-width
    ("li+crm@mail.example.com.cn", "li+crm@mail.example.com.cn"),
    (None, ""),
    ("", ""),
])
def test_email_accepted(raw, expected):
    assert N.email(raw) == expected


@pytest.mark.parametrize("raw", ["a@b", "a@@b.com", "a@b@c.com", "ab.com", "a b@c.com", "a@b.c.",
                                 "@b.com", "a@.com."])
def test_email_refused(raw):
    assert error_code(N.email, raw) == "email_invalid"


# ---------------------------------------------------------------- dates

@pytest.mark.parametrize("raw", [
    dt.date(2023, 4, 2),
    dt.datetime(2023, 4, 2, 10, 5),       # a real Excel date-time cell
    45018, 45018.0, 45018.75, "45018",    # Excel serial numbers
    "2023-04-02", "2023/4/2", "2023.4.2", "20230402", 20230402, "2023年4月2日",
    "2023 年 4 月 2 日", "２０２３年４月２日", "2023-04-02 10:30", "2023-04-02T10:30:00",
    "  2023-04-02  ",
])
def test_date_accepted_forms(raw):
    assert N.date(raw) == dt.date(2023, 4, 2)


def test_date_month_first_only_when_chosen():
    assert N.date("04/02/2023", "mdy") == dt.date(2023, 4, 2)
    assert N.date("04/02/2023", "dmy") == dt.date(2023, 2, 4)


@pytest.mark.parametrize("raw", ["04/02/2023", "4/2/2023", "02-04-2023", "13/02/2023"])
def test_date_day_month_ambiguous_without_an_order_is_an_error(raw):
    assert error_code(N.date, raw) == "date_ambiguous"


def test_date_impossible_with_chosen_order_is_invalid():
    assert error_code(N.date, "13/02/2023", "mdy") == "date_invalid"
    assert error_code(N.date, "02/13/2023", "dmy") == "date_invalid"


@pytest.mark.parametrize("raw", ["hello", "2023-02-30", "2023-13-01", "2023-00-10", "0", 0, -5,
                                 "2023-04", "23-4-2", "yesterday", "2023年13月1日", "20231301",
                                 10 ** 9])
def test_date_junk_is_invalid_never_guessed(raw):
    assert error_code(N.date, raw) == "date_invalid"


def test_date_without_year_is_an_error():
    assert error_code(N.date, "4月2日") == "date_no_year"


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_date_blank_is_none(raw):
    assert N.date(raw) is None


def test_excel_serial_epoch():
    assert N.excel_serial(1) == dt.date(1899, 12, 31)
    assert N.excel_serial(61) == dt.date(1900, 3, 1)
    assert N.excel_serial(45018) == dt.date(2023, 4, 2)


# ---------------------------------------------------------------- birthdays

@pytest.mark.parametrize("raw, expected", [
    ("--04-02", N.Birthday(None, 4, 2, None)),
    ("4月2日", N.Birthday(None, 4, 2, None)),
    ("04月02日", N.Birthday(None, 4, 2, None)),
    ("４月２日", N.Birthday(None, 4, 2, None)),
    ("1985-04-02", N.Birthday(1985, 4, 2, None)),
    ("1985年4月2日", N.Birthday(1985, 4, 2, None)),
    (dt.date(1985, 4, 2), N.Birthday(1985, 4, 2, None)),
    ("农历八月十五", N.Birthday(None, 8, 15, "lunar")),
    ("阴历8月15日", N.Birthday(None, 8, 15, "lunar")),
    ("农历腊月廿三", N.Birthday(None, 12, 23, "lunar")),
    ("农历正月初一", N.Birthday(None, 1, 1, "lunar")),
    ("旧历冬月初十", N.Birthday(None, 11, 10, "lunar")),
    ("农历十二月三十", N.Birthday(None, 12, 30, "lunar")),
    ("农历1990年八月十五", N.Birthday(1990, 8, 15, "lunar")),
])
def test_birthday_accepted(raw, expected):
    assert N.birthday(raw) == expected


def test_birthday_text_forms():
    assert N.Birthday(None, 4, 2, None).as_text() == "--04-02"
    assert N.Birthday(1985, 4, 2, None).as_text() == "1985-04-02"


@pytest.mark.parametrize("raw", ["--02-29", "2月29日", "02-29"])
def test_birthday_29_february_without_year_is_allowed(raw):
    assert N.birthday(raw) == N.Birthday(None, 2, 29, None)


@pytest.mark.parametrize("raw", ["--02-30", "2月30日", "--04-31"])
def test_birthday_impossible_day_is_refused(raw):
    assert error_code(N.birthday, raw) in ("birthday_invalid", "date_invalid")


def test_birthday_29_february_of_a_common_year_is_refused():
    assert error_code(N.birthday, "1985-02-29") in ("birthday_invalid", "date_invalid")


@pytest.mark.parametrize("raw", ["--13-01", "13月1日", "--00-10", "农历十三月初一"])
def test_birthday_month_13_is_refused(raw):
    assert error_code(N.birthday, raw) == "birthday_month_invalid"


def test_birthday_lunar_day_31_is_refused():
    assert error_code(N.birthday, "农历八月三十一") == "birthday_invalid"


def test_birthday_future_text_is_refused():
    future = dt.date.today() + dt.timedelta(days=400)
    assert error_code(N.birthday, future.isoformat()) == "birthday_in_future"
    assert error_code(N.birthday, "2999-01-01") == "birthday_in_future"


@pytest.mark.parametrize("raw", [dt.date(2999, 1, 1), dt.datetime(2999, 1, 1, 8, 0), 29990101,
                                 400000])
def test_birthday_future_date_cell_is_refused(raw):
    """A real date cell (or an Excel serial) in the future is no more a birthday than the
    same date typed as text."""
    try:
        result = N.birthday(raw)
    except FieldError as error:
        assert error.code == "birthday_in_future"
    else:
        pytest.fail(f"BUG: normalize.birthday({raw!r}) accepted a future birthday: {result!r}; "
                    "expected FieldError('birthday_in_future') as for the same date typed as text")


def test_birthday_junk_is_refused():
    assert error_code(N.birthday, "garbage") == "birthday_invalid"


def test_birthday_ambiguous_unless_order_chosen():
    assert error_code(N.birthday, "04/02/1985") == "date_ambiguous"
    assert N.birthday("04/02/1985", "mdy") == N.Birthday(1985, 4, 2, None)


@pytest.mark.parametrize("raw", [None, "", " "])
def test_birthday_blank_is_none(raw):
    assert N.birthday(raw) is None


# ---------------------------------------------------------------- money

@pytest.mark.parametrize("raw, expected", [
    ("1,234.50", Decimal("1234.50")),
    ("1，234.50", Decimal("1234.50")),
    ("¥1234", Decimal("1234")),
    ("￥1,234", Decimal("1234")),
    ("1234元", Decimal("1234")),
    ("RMB 100", Decimal("100")),
    ("1.2万", Decimal("12000")),
    ("3亿", Decimal("300000000")),
    ("１２３４", Decimal("1234")),
    ("１，２３４．５０", Decimal("1234.50")),
    ("１．２万", Decimal("12000")),
    (1234.5, Decimal("1234.5")),
    (1234, Decimal("1234")),
    (Decimal("0.01"), Decimal("0.01")),
    ("0", Decimal("0")),
])
def test_money_accepted(raw, expected):
    assert N.money(raw) == expected


@pytest.mark.parametrize("raw", ["abc", "1.2.3", "NaN", "inf", "万", True])
def test_money_invalid(raw):
    assert error_code(N.money, raw) == "money_invalid"


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_money_blank_is_none(raw):
    assert N.money(raw) is None


def test_money_negative_allowed_without_minimum():
    assert N.money("-5") == Decimal("-5")


@pytest.mark.parametrize("raw", ["-1", -1, "-1.2万", "-0.01"])
def test_annual_revenue_negative_is_refused(raw):
    with pytest.raises(FieldError) as info:
        N.value("annual_revenue", raw)
    assert info.value.code == "money_negative"
    assert info.value.key == "annual_revenue"


def test_annual_revenue_units():
    assert N.value("annual_revenue", "1.2万") == Decimal("12000")
    assert N.value("annual_revenue", "3亿") == Decimal("300000000")


# ---------------------------------------------------------------- integers

def test_month_and_scores():
    assert N.value("fiscal_year_start", "4") == 4
    assert N.value("fiscal_year_start", "０４") == 4
    assert N.value("need_score", 3) == 3
    assert N.value("need_score", "5") == 5
    with pytest.raises(FieldError) as info:
        N.value("fiscal_year_start", "13")
    assert info.value.code == "month_out_of_range"
    for bad, code in (("6", "score_out_of_range"), ("0", "score_out_of_range"),
                      ("2.5", "number_invalid"), ("x", "number_invalid")):
        with pytest.raises(FieldError) as info:
            N.value("need_score", bad)
        assert info.value.code == code, bad


# ---------------------------------------------------------------- enums

@pytest.mark.parametrize("key, raw, expected", [
    ("tier", "key", "key"),
    ("tier", "KEY", "key"),
    ("tier", " Key ", "key"),
    ("tier", "重点客户", "key"),
    ("tier", "大客户", "key"),
    ("tier", "VIP", "key"),
    ("tier", "vip", "key"),
    ("tier", "ＶＩＰ", "key"),          # full-width
    ("tier", "A", "key"),
    ("tier", "a", "key"),
    ("tier", "Ａ", "key"),
    ("tier", "关系型", "relationship"),
    ("tier", "R型", "relationship"),
    ("tier", "r型", "relationship"),
    ("tier", "B", "relationship"),
    ("tier", "交易型", "transactional"),
    ("tier", "T型", "transactional"),
    ("tier", "价格型", "transactional"),
    ("tier", "C", "transactional"),
    ("source", "cold_call", "cold_call"),
    ("source", "Cold call", "cold_call"),
    ("source", "COLD CALL", "cold_call"),
    ("source", "陌生拜访", "cold_call"),
    ("source", "转介绍", "referral"),
    ("source", "Referral", "referral"),
    ("stage", "潜在", "prospect"),
    ("stage", "发展期", "developing"),
    ("stage", "考察期", "developing"),
    ("stage", "成熟期", "mature"),
    ("stage", "稳定期", "mature"),
    ("stage", "Mature", "mature"),
    ("stage", "衰退期", "declining"),
    ("stage", "流失", "lost"),
    ("relationship", "买卖关系", "transactional"),
    ("relationship", "优先供应关系", "preferred_supplier"),
    ("relationship", "Preferred supplier", "preferred_supplier"),
    ("relationship", "合作伙伴关系", "partner"),
    ("relationship", "Strategic alliance", "strategic_alliance"),
    ("relationship", "strategic_alliance", "strategic_alliance"),
    ("relationship", "战略联盟关系", "strategic_alliance"),
    ("credit_rating", "b", "B"),
    ("gender", "男", "male"),
    ("gender", "女", "female"),
    ("gender", "Female", "female"),
    ("birthday_calendar", "公历", "solar"),
    ("birthday_calendar", "阳历", "solar"),
    ("birthday_calendar", "农历", "lunar"),
    ("birthday_calendar", "阴历", "lunar"),
    ("birthday_calendar", "Lunar", "lunar"),
    ("kind", "个人", "individual"),
    ("kind", "企业", "company"),
    ("kind", "Individual", "individual"),
])
def test_enum_accepts_keys_labels_and_synonyms(key, raw, expected):
    assert N.value(key, raw) == expected


def test_every_choice_accepts_its_key_both_labels_and_synonyms():
    for field in F.CUSTOMER_FIELDS:
        for choice in field.choices:
            for name in (choice.key, choice.zh, choice.en, choice.en.upper(), *choice.synonyms):
                assert N.enum(field, name) == choice.key, (field.key, name)


@pytest.mark.parametrize("key, raw", [("tier", "x"), ("tier", "D"), ("stage", "成熟"),
                                      ("credit_rating", "E"), ("gender", "other")])
def test_enum_unknown_is_refused_with_choices(key, raw):
    with pytest.raises(FieldError) as info:
        N.value(key, raw)
    assert info.value.code == "enum_invalid"
    assert info.value.key == key
    assert info.value.params["choices"]


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_enum_blank_is_none(raw):
    assert N.value("tier", raw) is None


# ---------------------------------------------------------------- tags

@pytest.mark.parametrize("raw, expected", [
    ("a,b，c;d；e、f", ["a", "b", "c", "d", "e", "f"]),
    ("VIP, 北京 ,  老客户", ["VIP", "北京", "老客户"]),
    ("a, a ,b", ["a", "b"]),                 # duplicates once, order kept
    (" , ；", []),
    (["x", " y ", ""], ["x", "y"]),
    ("  multi   space  tag ", ["multi space tag"]),
    (None, []),
    ("", []),
])
def test_tags_split(raw, expected):
    assert N.tags(raw) == expected


def test_tag_too_long():
    assert N.tags("x" * 50) == ["x" * 50]
    assert error_code(N.tags, "ok, " + "x" * 51) == "tag_too_long"


# ---------------------------------------------------------------- text

@pytest.mark.parametrize("key, raw, expected", [
    ("code", "Ｃ０００１２３", "C000123"),
    ("code", "  C-01  ", "C-01"),
    ("postal_code", "０１００２０", "010020"),
    ("postal_code", "010020", "010020"),      # leading zero kept
    ("postal_code", 100020, "100020"),        # numeric cell -> text
    ("postal_code", 100020.0, "100020"),
    ("tax_id", "９１１１０１０８ＭＡ００１２３４５Ｘ", "91110108MA0012345X"),
    ("bank_account", "6222021234567890123", "6222021234567890123"),
])
def test_full_width_to_half_width_in_codes(key, raw, expected):
    assert N.value(key, raw) == expected


def test_full_width_to_half_width_in_phones_and_emails():
    assert N.value("mobile", "１３８１２３４５６７８").number == "+8613812345678"
    assert N.value("email", "ｌｉ＠ｅｘａｍｐｌｅ．ｃｎ") == "li@example.cn"


def test_name_inner_whitespace_collapsed_and_trimmed():
    assert N.value("name", "  北京   华润\t 集团 \n ") == "北京 华润 集团"
    assert N.value("name", "ACME\u3000 Ltd") == "ACME Ltd"


def test_other_text_only_trimmed():
    assert N.value("city", "  上海 ") == "上海"
    assert N.value("notes", "  keep   inner\n\nlines  ") == "keep   inner\n\nlines"


def test_numeric_cell_as_text_keeps_its_digits():
    assert N.value("name", 12345) == "12345"
    assert N.value("name", 12345.0) == "12345"


@pytest.mark.parametrize("raw", ["", "   ", None, "\u3000"])
def test_name_required(raw):
    with pytest.raises(FieldError) as info:
        N.value("name", raw)
    assert info.value.code == "required"
    assert info.value.key == "name"


@pytest.mark.parametrize("key, limit", [
    ("name", 200), ("code", 40), ("contact_person", 100), ("wechat", 100), ("city", 50),
    ("address", 300), ("postal_code", 20), ("notes", 20000), ("bank_account", 40), ("tax_id", 30),
])
def test_max_lengths(key, limit):
    assert N.value(key, "x" * limit) == "x" * limit
    with pytest.raises(FieldError) as info:
        N.value(key, "x" * (limit + 1))
    assert info.value.code == "too_long"
    assert info.value.key == key
    assert info.value.params["max"] == limit


def test_email_max_length():
    with pytest.raises(FieldError) as info:
        N.value("email", "x" * 250 + "@a.cn")
    assert info.value.code == "too_long"


def test_max_length_counts_characters_not_bytes():
    assert N.value("name", "华" * 200) == "华" * 200


def test_every_max_length_in_fields_matches_model_column():
    from crmdesk.core.models import Customer
    for field in F.CUSTOMER_FIELDS:
        column = Customer._meta.fields.get(field.key)
        if field.max_length and column is not None and hasattr(column, "max_length") \
                and field.key != "notes":
            assert field.max_length <= column.max_length, field.key


def test_halfwidth():
    assert N.halfwidth("ＡＢＣ１２３\u3000ｘ！") == "ABC123 x!"
