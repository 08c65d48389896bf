"""The phone rules on top of the spec's clean-up (``core/io/normalize.py``): with
``phonenumbers`` (region CN unless the customer is elsewhere), a mobile field must hold a
mobile, a Chinese landline keeps its area code, foreign numbers with their ``+`` country code
and short service numbers (95588) keep working. A valid number is stored in E.164
(``+8613812345678``, ``+861088889999``, ``+15394020259``), so that one number typed three ways
is one value to match and de-duplicate; what is not a number phonenumbers knows (95588, an
internal line) is kept as typed, without separators. ``display`` gives the form people read."""
from __future__ import annotations

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from crmdesk.core.errors import FieldError
from crmdesk.core.phones import countries

DEFAULT_REGION = "CN"
MOBILE_TYPES = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)  # US numbers can't tell

# What a customer's province (or state) column says when the customer is not in mainland China.
_REGIONS = {"香港": "HK", "hong kong": "HK", "hk": "HK", "澳门": "MO", "澳門": "MO", "macau": "MO", "macao": "MO",
            "台湾": "TW", "臺灣": "TW", "taiwan": "TW", "新加坡": "SG", "singapore": "SG"}
_LOCAL_LANDLINE = re.compile(r"[2-9]\d{6,7}")  # 7 or 8 digits without the 0xx area code


def region_for(place: str | None, country: str | None = None) -> str:
    """The phonenumbers region of a customer's country, else of its province/state text
    (香港: HK); CN when neither names one."""
    region = countries.region_of(country) if country else None
    if region is not None:
        return region
    if not place:
        return DEFAULT_REGION
    text = place.strip().casefold()
    for name, region in _REGIONS.items():
        if text.startswith(name):
            return region
    return DEFAULT_REGION


_CN_MOBILE = re.compile(r"(?:\+86)?(1\d{10})")
_MOBILE_PREFIXES: dict[str, tuple[bool, bool]] = {}  # prefix -> (valid, a mobile)


def _chinese_mobile(local: str) -> tuple[bool, bool]:
    """(valid, a mobile) of 11 digits starting with 1 in China: decided by the first 5
    digits (7 under 179), as phonenumbers' metadata says (tests/core/phones compares every
    prefix), so asked once a prefix: phonenumbers took 150 µs a number, 60 % of a 100,000-row
    customer import's own thread."""
    key = local[:7] if local.startswith("179") else local[:5]
    found = _MOBILE_PREFIXES.get(key)
    if found is None:
        try:  # 1[12]xx and 179xx lead carrier codes that phonenumbers takes off first
            parsed = phonenumbers.parse(local, DEFAULT_REGION)
        except NumberParseException:
            found = _MOBILE_PREFIXES[key] = (False, False)
            return found
        valid = phonenumbers.is_valid_number(parsed)
        found = _MOBILE_PREFIXES[key] = (valid, valid and phonenumbers.number_type(parsed) in MOBILE_TYPES)
    return found


# A Chinese number with its area code, as typed (010…, 021…, 0755…) or stored (+86…): what
# phonenumbers says of it is decided by the first five digits after the 0 and the length
# (tests/core/phones compares; 4,000 valid prefixes x 40 numbers found no exception).
_HOME_LANDLINE = re.compile(r"(?:0|\+86)(10\d{7,9}|[2-9]\d{8,10})")
_LANDLINE_PREFIXES: dict[tuple[str, int], tuple[bool, bool]] = {}  # -> (valid, dialled as 0 + digits)


def _chinese_landline(digits: str) -> tuple[bool, bool]:
    """(valid, dialled as 0 + the digits) of a Chinese number after its 0 (not a mobile)."""
    key = (digits[:5], len(digits))
    found = _LANDLINE_PREFIXES.get(key)
    if found is None:
        try:
            parsed = phonenumbers.parse("0" + digits, DEFAULT_REGION)
        except NumberParseException:
            found = _LANDLINE_PREFIXES[key] = (False, False)
            return found
        valid = phonenumbers.is_valid_number(parsed)
        national = "".join(ch for ch in phonenumbers.format_number(parsed, PhoneNumberFormat.NATIONAL) if ch.isdigit())
        found = _LANDLINE_PREFIXES[key] = (valid, valid and national == "0" + digits)
    return found


def check(number: str, mobile: bool = False, region: str = DEFAULT_REGION) -> str:
    """``number`` is digits with an optional leading ``+`` (the spec's clean-up done);
    returns what to store (E.164 when valid, else as typed), or raises ``FieldError`` with
    the reason."""
    home = _CN_MOBILE.fullmatch(number)
    if home is not None and (number[0] == "+" or (region or DEFAULT_REGION) == DEFAULT_REGION):
        valid, a_mobile = _chinese_mobile(home.group(1))
        if valid and (a_mobile or not mobile):
            return "+86" + home.group(1)
        if mobile:
            raise FieldError("phone_not_mobile" if valid else "phone_not_valid")
        return number
    if not mobile:  # (a landline in a mobile field has its own messages, below)
        landline = _HOME_LANDLINE.fullmatch(number)
        if landline is not None and (number[0] == "+" or (region or DEFAULT_REGION) == DEFAULT_REGION):
            return "+86" + landline.group(1) if _chinese_landline(landline.group(1))[0] else number
    try:
        parsed = phonenumbers.parse(number, region or DEFAULT_REGION)
    except NumberParseException:
        if mobile:
            raise FieldError("phone_not_valid") from None
        return number  # not a number phonenumbers knows: kept as typed
    valid = phonenumbers.is_valid_number(parsed)
    chinese = parsed.country_code == 86
    # the digits as a Chinese caller dials them: the leading 0 of an area code kept
    local = str(parsed.national_number) if number.startswith("+") else number
    looks_mobile = chinese and local.startswith("1")
    if mobile:
        if valid and phonenumbers.number_type(parsed) in MOBILE_TYPES:
            return phonenumbers.format_number(parsed, PhoneNumberFormat.E164)
        if looks_mobile and len(local) != 11:
            raise FieldError("phone_mobile_digits")  # 1381234: digits missing
        if valid or (chinese and (local.startswith("0") or _LOCAL_LANDLINE.fullmatch(local))):
            raise FieldError("phone_not_mobile")
        raise FieldError("phone_not_valid")
    if valid:
        return phonenumbers.format_number(parsed, PhoneNumberFormat.E164)
    if chinese and not number.startswith("+") and _LOCAL_LANDLINE.fullmatch(local):
        raise FieldError("phone_no_area_code")
    # a service number (95588), an internal line, a foreign number typed without its + (a
    # sheet of US customers: 001-808-617-6467): kept as typed; only a mobile field is strict
    return number


HOME_COUNTRY_CODE = phonenumbers.country_code_for_region(DEFAULT_REGION)
_HOME_MOBILE = re.compile(r"\+861\d{10}")  # stored only when valid: dialled without the +86


def display(stored: str | None) -> str:
    """The form people read and type, shown in the lists and forms and written to exports:
    a number of the home country (China) as it is dialled there, without separators
    (``13812345678``, ``01088889999``); a foreign one in E.164 (``+15394020259``); an
    extension as ``x8001``; anything else as stored. Imported again, each gives the same
    stored value."""
    if not stored or not stored.startswith("+"):
        return stored or ""
    if _HOME_MOBILE.fullmatch(stored):  # the common case, without phonenumbers (16 µs each)
        return stored[3:]
    number, _, extension = stored.partition("x")
    landline = _HOME_LANDLINE.fullmatch(number)
    if landline is not None:  # +86 and an area code: 0 and the digits, mostly (58 µs each)
        valid, with_zero = _chinese_landline(landline.group(1))
        if not valid:
            return stored
        if with_zero:
            return f"0{landline.group(1)}x{extension}" if extension else f"0{landline.group(1)}"
    try:
        parsed = phonenumbers.parse(number, None)
    except NumberParseException:
        return stored
    if parsed.country_code != HOME_COUNTRY_CODE or not phonenumbers.is_valid_number(parsed):
        return stored
    local = "".join(ch for ch in phonenumbers.format_number(parsed, PhoneNumberFormat.NATIONAL) if ch.isdigit())
    return f"{local}x{extension}" if extension else local
