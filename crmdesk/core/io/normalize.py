"""One set of value rules (``spec/customer-sheet.md`` § Values) for the form, the import
and the export. Every function takes what a user typed or a cell held and returns the
stored value, or raises ``FieldError`` with a code the UI and CLI turn into a sentence."""
from __future__ import annotations

import datetime as dt
import re
import sys
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple, Optional

from crmdesk.core.customers import fields as F
from crmdesk.core.errors import FieldError
from crmdesk.core.phones import rules as phone_rules

EXCEL_EPOCH = dt.date(1899, 12, 30)
_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20


def halfwidth(text: str) -> str:
    """Full-width digits, letters and punctuation become their ASCII forms."""
    return text.translate(_FULLWIDTH)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number_to_text(value: float | int) -> str:
    """A number read from a numeric cell back to the digits the user typed."""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(Decimal(str(value)).normalize(), "f")
    try:
        return str(value)
    except ValueError:  # Python writes out at most 4,300 digits (sys.get_int_max_str_digits)
        raise FieldError("too_long", max=sys.get_int_max_str_digits()) from None


def text(value: Any, collapse: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = _number_to_text(value)
    result = str(value).strip()
    if "\x00" in result:  # a NUL cuts the text short in SQLite's functions and in Qt: never store one
        result = result.replace("\x00", "").strip()
    if collapse:
        result = re.sub(r"\s+", " ", result)
    return result


def code(value: Any) -> str:
    return halfwidth(text(value)).strip()


# ---------------------------------------------------------------- phones

class Phone(NamedTuple):
    number: str
    extra: tuple[str, ...]  # further numbers from the same cell: they go to notes


_PHONE_SPLIT = re.compile(r"\s*[/,，;；、]\s*")
_PHONE_JUNK = re.compile(r"[\s\-.()（）\[\]]")
_EXTENSION = re.compile(r"^(.*?)(?:x|ext\.?|转|分机)\s*(\d+)$", re.IGNORECASE)
_DASHED_EXTENSION = re.compile(r"^(\(?0[1-9]\d{1,2}\)?[-\s]*[2-9]\d{2,3}[-\s]?\d{4})\s*-\s*(\d{1,6})$")  # 010-8888-9999-8001


def _one_phone(raw: str, mobile: bool = False, region: str = phone_rules.DEFAULT_REGION) -> str:
    raw = halfwidth(raw).strip()
    if re.fullmatch(r"[+-]?\d+(\.\d+)?[eE][+]?\d+", raw):  # 1.3812345678E10 from a numeric cell
        raw = _number_to_text(float(raw))
    elif re.fullmatch(r"\d+\.0+", raw):  # 13812345678.0
        raw = raw.split(".")[0]
    extension = ""
    match = _EXTENSION.match(raw) or _DASHED_EXTENSION.match(raw)
    if match:
        raw, extension = match.group(1), match.group(2)
    number = _PHONE_JUNK.sub("", raw)
    if number.startswith("0086"):
        number = "+86" + number[4:]
    elif number.startswith("86") and len(number) == 13 and number[2] == "1":
        number = "+86" + number[2:]
    body = number[1:] if number.startswith("+") else number
    if not body.isdigit():
        raise FieldError("phone_invalid_chars")
    if len(body) < 5:
        raise FieldError("phone_too_short")
    if len(body) > 20:
        raise FieldError("phone_too_long")
    number = phone_rules.check(number, mobile and not extension, region)
    return f"{number}x{extension}" if extension else number


def phone(value: Any, mobile: bool = False, region: str = phone_rules.DEFAULT_REGION) -> Optional[Phone]:
    """The spec's clean-up, then ``core/phones`` (``mobile``: the first number must be one)."""
    if is_blank(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = _number_to_text(value)
    parts = [p for p in _PHONE_SPLIT.split(str(value).strip()) if p]
    if not parts:  # nothing but separators ("/", "、"): no number, as a blank cell
        return None
    numbers = [_one_phone(p, mobile and i == 0, region) for i, p in enumerate(parts)]
    return Phone(numbers[0], tuple(numbers[1:]))


# ---------------------------------------------------------------- email

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


def email(value: Any) -> str:
    result = halfwidth(text(value))
    if not result:
        return ""
    if result.count("@") != 1 or not _EMAIL.match(result):
        raise FieldError("email_invalid")
    local, domain = result.split("@")
    return f"{local}@{domain.lower()}"


# ---------------------------------------------------------------- numbers

_MONEY_UNITS = {"万": Decimal(10_000), "亿": Decimal(100_000_000), "千": Decimal(1000),
                "k": Decimal(1000), "m": Decimal(1_000_000)}


MONEY_MAX = Decimal("90000000000000")  # integer cents must fit in 64 bits


def money(value: Any, minimum: Optional[Decimal] = None) -> Optional[Decimal]:
    try:
        return _money(value, minimum)
    except (ArithmeticError, ValueError):  # decimal.Overflow, InvalidOperation, ...
        raise FieldError("money_invalid") from None


_PLAIN_MONEY = re.compile(r"-?\d{1,13}(?:\.\d{1,2})?")  # 1234.5: most cells of a sales export's CSV
_CENT = Decimal("0.01")


def _money(value: Any, minimum: Optional[Decimal] = None) -> Optional[Decimal]:
    if value.__class__ is str and _PLAIN_MONEY.fullmatch(value):  # the rules below give the same, slower
        result = Decimal(value)
        if minimum is not None and result < minimum:
            raise FieldError("money_negative")
        return result.quantize(_CENT)
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise FieldError("money_invalid")
    if isinstance(value, int):
        result = Decimal(value)  # not str(value): refused past 4,300 digits
    elif isinstance(value, (float, Decimal)):
        result = Decimal(str(value))
    else:
        raw = halfwidth(str(value)).strip().replace(",", "").replace("，", "").replace(" ", "")
        raw = raw.replace("￥", "").replace("¥", "").replace("元", "")
        if raw.upper().startswith("RMB") or raw.upper().startswith("CNY"):
            raw = raw[3:]
        factor = Decimal(1)
        if raw and raw[-1].lower() in _MONEY_UNITS:
            factor = _MONEY_UNITS[raw[-1].lower()]
            raw = raw[:-1]
        try:
            result = Decimal(raw) * factor
        except InvalidOperation:
            raise FieldError("money_invalid") from None
    if not result.is_finite():
        raise FieldError("money_invalid")
    if minimum is not None and result < minimum:
        raise FieldError("money_negative")
    if abs(result) > MONEY_MAX:
        raise FieldError("money_too_large")
    return result.quantize(_CENT) if result == result.quantize(_CENT) else result


def integer(value: Any, low: int, high: int, code_: str = "number_out_of_range") -> Optional[int]:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise FieldError("number_invalid")
    try:
        # an int as it is: str() refuses one of more than 4,300 digits
        number = Decimal(value) if isinstance(value, int) else Decimal(halfwidth(str(value)).strip())
    except InvalidOperation:
        raise FieldError("number_invalid") from None
    if not number.is_finite():
        raise FieldError("number_invalid")
    if not low <= number <= high:  # before int(): 1e999999999 would build a huge integer
        raise FieldError(code_, low=low, high=high)
    if number != number.to_integral_value():
        raise FieldError("number_invalid")
    return int(number)


# ---------------------------------------------------------------- dates

class Birthday(NamedTuple):
    year: Optional[int]
    month: int
    day: int
    calendar: Optional[str]  # "lunar" when the text said so, else None (the column decides)

    def as_text(self) -> str:
        if self.year:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        return f"--{self.month:02d}-{self.day:02d}"


_ISO = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SLASHED = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4}|\d{2})(?:[ T]\d{1,2}:\d{2}(:\d{2})?)?$")
_MONTH_DAY = re.compile(r"^(?:--)?(\d{1,2})\s*[-月/]\s*(\d{1,2})\s*日?$")


def _make_date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise FieldError("date_invalid") from None


def excel_serial(number: float) -> dt.date:
    if not 1 <= number < 2958466:
        raise FieldError("date_invalid")
    return EXCEL_EPOCH + dt.timedelta(days=int(number))


def date(value: Any, date_order: str = "ymd") -> Optional[dt.date]:
    """A full date; ``date_order`` (ymd, dmy, mdy) reads 04/02/2023-style values."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 19000101 <= value <= 29991231 and float(value).is_integer():
            return date(str(int(value)), date_order)
        return excel_serial(value)  # not float(value): an int past 1e308 has no float
    raw = halfwidth(str(value)).strip()
    if match := _ISO.match(raw):
        return _make_date(*(int(g) for g in match.groups()[:3]))
    if match := _COMPACT.match(raw):
        return _make_date(*(int(g) for g in match.groups()))
    if match := _SLASHED.match(raw):
        first, second, year = (int(g) for g in match.groups()[:3])
        if len(match.group(3)) == 2:  # 16-01-17: two-digit years as POSIX reads them
            year += 2000 if year < 69 else 1900
        if date_order == "mdy":
            return _make_date(year, first, second)
        if date_order == "dmy":
            return _make_date(year, second, first)
        raise FieldError("date_ambiguous")
    if re.fullmatch(r"\d+(\.\d+)?", raw):
        return excel_serial(float(raw))
    if _MONTH_DAY.match(raw):
        raise FieldError("date_no_year")
    raise FieldError("date_invalid")


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_LUNAR_MONTHS = {"正": 1, "冬": 11, "腊": 12}


def _cn_number(token: str) -> int:
    token = token.strip()
    if token.isdigit():
        return int(token)
    token = token.replace("初", "").replace("廿", "二十").replace("卅", "三十")
    if not token or any(ch not in _CN_DIGITS for ch in token):
        raise FieldError("birthday_invalid")
    if "十" not in token:
        return _CN_DIGITS[token] if len(token) == 1 else int("".join(str(_CN_DIGITS[c]) for c in token))
    tens, _, units = token.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


_LUNAR = re.compile(r"^(?:农历|阴历|旧历)\s*(闰)?\s*(?:(\d{4})年)?\s*([0-9一二三四五六七八九十正冬腊]+)\s*月\s*([0-9初一二三四五六七八九十廿卅]+)\s*日?$")


def _check_month_day(year: Optional[int], month: int, day: int, lunar: bool) -> None:
    if not 1 <= month <= 12:
        raise FieldError("birthday_month_invalid")
    if lunar:
        if not 1 <= day <= 30:
            raise FieldError("birthday_invalid")
        return
    _make_date(year or 2000, month, day)  # 2000 is a leap year: 29 February is allowed


def birthday(value: Any, date_order: str = "ymd") -> Optional[Birthday]:
    """A birthday, with or without a year: ``--04-02``, ``4月2日``, ``农历八月十五``..."""
    if is_blank(value):
        return None
    if isinstance(value, (dt.date, int, float)) and not isinstance(value, bool):
        day = date(value, date_order)
        if day > dt.date.today():
            raise FieldError("birthday_in_future")
        return Birthday(day.year, day.month, day.day, None)
    raw = halfwidth(str(value)).strip()
    if match := _LUNAR.match(raw):
        _leap, year, month_text, day_text = match.groups()
        month = _LUNAR_MONTHS.get(month_text) or _cn_number(month_text)
        day = _cn_number(day_text)
        _check_month_day(None, month, day, lunar=True)
        return Birthday(int(year) if year else None, month, day, "lunar")
    if match := _MONTH_DAY.match(raw):
        month, day = int(match.group(1)), int(match.group(2))
        _check_month_day(None, month, day, lunar=False)
        return Birthday(None, month, day, None)
    try:
        day = date(raw, date_order)
    except FieldError as error:
        raise FieldError("birthday_invalid") if error.code == "date_invalid" else error
    if day > dt.date.today():
        raise FieldError("birthday_in_future")
    return Birthday(day.year, day.month, day.day, None)


# ---------------------------------------------------------------- enums and lists

def _fold(text_: str) -> str:
    return re.sub(r"[\s_]+", " ", halfwidth(text_)).strip().casefold()


_ENUM_NAMES: dict[str, dict[str, str]] = {}


def _enum_names(field: F.Field) -> dict[str, str]:
    """Every accepted name of a field's choices, folded -> key (built once per field)."""
    names = _ENUM_NAMES.get(field.key)
    if names is None:
        names = {}
        for choice in field.choices:
            for name in (choice.key, choice.zh, choice.en, *choice.synonyms):
                names.setdefault(_fold(name), choice.key)
        _ENUM_NAMES[field.key] = names
    return names


def enum(field: F.Field, value: Any) -> Optional[str]:
    if is_blank(value):
        return None
    key = _enum_names(field).get(_fold(text(value)))
    if key is None:
        raise FieldError("enum_invalid", choices=", ".join(c.zh for c in field.choices))
    return key


_TAG_SPLIT = re.compile(r"[,，;；、]")


def tags(value: Any) -> list[str]:
    if is_blank(value):
        return []
    items = value if isinstance(value, (list, tuple)) else _TAG_SPLIT.split(text(value))
    seen: dict[str, None] = {}
    for item in items:
        tag = re.sub(r"\s+", " ", text(item)).strip()
        if tag:
            if len(tag) > 50:
                raise FieldError("tag_too_long", max=50)
            seen.setdefault(tag, None)
    return list(seen)


# ---------------------------------------------------------------- one field

def value(key: str, raw: Any, date_order: str = "ymd", region: str = phone_rules.DEFAULT_REGION) -> Any:
    """Normalise one customer field; raises ``FieldError`` (with ``key`` set); ``region``: phones'."""
    field = F.BY_KEY[key]
    try:
        result = _value(field, raw, date_order, region)
    except FieldError as error:
        raise FieldError(error.code, key, **{k: v for k, v in error.params.items() if k != "key"}) from None
    if field.required and is_blank(result):
        raise FieldError("required", key)
    if field.max_length and isinstance(result, str) and len(result) > field.max_length:
        raise FieldError("too_long", key, max=field.max_length)
    return result


def _value(field: F.Field, raw: Any, date_order: str, region: str = phone_rules.DEFAULT_REGION) -> Any:
    kind = field.type
    if kind == F.TEXT:
        return text(raw, collapse=field.key == "name")
    if kind == F.LONGTEXT:
        return text(raw)  # as str(raw).strip(), but numbers as typed and never a ValueError
    if kind == F.CODE:
        return code(raw)
    if kind == F.PHONE:
        return phone(raw, mobile=field.key == "mobile", region=region)
    if kind == F.EMAIL:
        return email(raw)
    if kind == F.ENUM:
        return enum(field, raw)
    if kind == F.DECIMAL:
        return money(raw, minimum=Decimal(0))
    if kind == F.MONTH:
        return integer(raw, 1, 12, "month_out_of_range")
    if kind == F.SCORE:
        return integer(raw, 1, 5, "score_out_of_range")
    if kind == F.DATE:
        return date(raw, date_order)
    if kind == F.BIRTHDAY:
        return birthday(raw, date_order)
    if kind == F.TAGS:
        return tags(raw)
    raise AssertionError(kind)
