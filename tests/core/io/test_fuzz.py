"""Property tests (hypothesis): whatever a cell or a CSV file holds, the value normaliser and
the CSV reader answer with a value or with the app's own ``CrmError``, never another
exception (a traceback for the user). Modest and derandomised: the same examples every run.
Each finding also has a plain example test (below the properties)."""
from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmdesk.core.customers import fields as F
from crmdesk.core.errors import CrmError
from crmdesk.core.io import normalize as N
from crmdesk.core.io.csv_read import CsvReader, detect_encoding, sniff_delimiter

FUZZ = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# What users type and what cells hold: the characters the rules look at, and anything at all.
RULE_CHARS = "0123456789-/.,:;T +eE年月日农历阴旧闰初十廿卅正冬腊一二两三四五六七八九零〇万亿千kmKM￥¥元RMBCNY@x转分机()（）、，；０１２３"
TEXTS = st.one_of(st.text(), st.text(alphabet=RULE_CHARS, max_size=30))
EXTREMES = st.sampled_from([10 ** 400, -10 ** 400, 10 ** 5000, 2 ** 63, -2 ** 63, 1e308, -1e308, 5e-324,
                            Decimal("1e999999999"), Decimal("-1e-999999999"), Decimal("sNaN"), Decimal("-0")])
NUMBERS = st.one_of(EXTREMES, st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                    st.decimals(allow_nan=True, allow_infinity=True), st.booleans())
DATES = st.one_of(st.dates(), st.datetimes())
VALUES = st.one_of(st.none(), TEXTS, NUMBERS, DATES)
ORDERS = st.sampled_from(["ymd", "dmy", "mdy"])


def only_crm_errors(call, *args):
    try:
        call(*args)
    except CrmError:
        pass


@FUZZ
@given(key=st.sampled_from(sorted(F.BY_KEY)), raw=st.one_of(VALUES, st.lists(TEXTS, max_size=4)), order=ORDERS)
def test_every_field_takes_any_value(key, raw, order):
    only_crm_errors(N.value, key, raw, order)


@FUZZ
@given(raw=VALUES, order=ORDERS)
def test_dates_and_birthdays_take_any_value(raw, order):
    only_crm_errors(N.date, raw, order)
    only_crm_errors(N.birthday, raw, order)


@FUZZ
@given(raw=VALUES)
def test_numbers_phones_and_texts_take_any_value(raw):
    only_crm_errors(N.money, raw)
    only_crm_errors(N.money, raw, Decimal(0))
    only_crm_errors(N.integer, raw, 1, 12)
    only_crm_errors(N.phone, raw)
    only_crm_errors(N.email, raw)
    only_crm_errors(N.text, raw, True)
    only_crm_errors(N.code, raw)
    only_crm_errors(N.tags, raw)
    N.is_blank(raw)
    for field in F.FIELDS if hasattr(F, "FIELDS") else F.BY_KEY.values():
        if field.choices:
            only_crm_errors(N.enum, field, raw)


@FUZZ
@given(number=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers()))
def test_excel_serials_take_any_number(number):
    only_crm_errors(N.excel_serial, number)


@FUZZ
@given(raw=st.text())
def test_halfwidth_takes_any_text(raw):
    assert len(N.halfwidth(raw)) == len(raw)


# ---------------------------------------------------------------- the CSV reader

CSV_BYTES = st.one_of(
    st.binary(max_size=2000),
    st.lists(st.sampled_from(list(',;\t|"\r\n =sep\x00客户名称甲乙ü') + ["sep=", "\r\n"]), max_size=150)
    .map(lambda t: "".join(t).encode("utf-8")),
    st.tuples(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"sep=", b"sep=;\r\n", b""]),
              st.binary(max_size=500)).map(lambda p: p[0] + p[1]),
)


def read_all(data: bytes, encoding=None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.csv"
        path.write_bytes(data)
        try:
            reader = CsvReader(path, encoding)
            rows = list(reader.rows())
            assert all(number >= 1 and values for number, values in rows)
            assert reader.row_count_hint() >= 0
        except CrmError:
            pass


@FUZZ
@given(data=CSV_BYTES)
def test_the_csv_reader_takes_any_bytes(data):
    read_all(data)


@FUZZ
@given(data=CSV_BYTES, encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "big5", "cp1252", "utf-16",
                                                 "utf-16-le", "latin-1", "no-such-encoding"]))
def test_the_csv_reader_takes_any_bytes_in_any_encoding_asked_for(data, encoding):
    read_all(data, encoding)


@FUZZ
@given(lines=st.lists(st.text(max_size=40), max_size=10))
def test_sniffing_takes_any_lines(lines):
    assert sniff_delimiter(lines) in ",;\t|"


# ---------------------------------------------------------------- what the properties found

def test_a_phone_cell_of_only_separators_is_no_phone():
    assert N.phone(";") is None
    assert N.phone(" / 、") is None
    assert N.value("mobile", "/") is None


def test_utf_16_asked_for_a_file_without_its_bom_is_one_sentence(tmp_path):
    path = tmp_path / "no-bom.csv"
    path.write_bytes("客户名称\n甲\n".encode("utf-16-le"))
    with pytest.raises(CrmError) as caught:
        CsvReader(path, "utf-16")
    assert caught.value.code == "file_wrong_encoding"


@pytest.mark.parametrize("number", [10 ** 400, -10 ** 400])
def test_an_integer_past_the_floats_is_no_date(number):
    with pytest.raises(CrmError) as caught:
        N.date(number)
    assert caught.value.code == "date_invalid"
    with pytest.raises(CrmError):
        N.birthday(number)


def test_an_integer_of_more_digits_than_python_writes_out_is_refused_in_words():
    huge = 10 ** 5000  # str() refuses it: more than 4,300 digits
    for call in (N.text, N.code, N.tags, N.phone, lambda v: N.value("notes", v), lambda v: N.value("name", v)):
        with pytest.raises(CrmError) as caught:
            call(huge)
        assert caught.value.code == "too_long"
    with pytest.raises(CrmError) as caught:
        N.integer(huge, 1, 12)
    assert caught.value.code == "number_out_of_range"
    with pytest.raises(CrmError) as caught:
        N.money(huge)
    assert caught.value.code == "money_too_large"


def test_numbers_in_notes_and_tags_read_as_typed():
    assert N.value("notes", 12.0) == "12"
    assert N.tags(3.0) == ["3"]
    assert N.value("notes", "  见面 聊 \n") == "见面 聊"
