"""The phone rules on top of the spec's clean-up (``core/io/normalize.py``): with
``phonenumbers`` (region CN unless the customer is elsewhere), a mobile field must hold a
mobile, a Chinese landline keeps its area code, foreign numbers with their ``+`` country code
and short service numbers (95588) keep working. The stored form stays the one the spec's
examples show: the digits as typed without separators, ``+86``/``0086`` as ``+86``."""
from __future__ import annotations

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType

from crmdesk.core.errors import FieldError

DEFAULT_REGION = "CN"
MOBILE_TYPES = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)  # US numbers can't tell

# What a customer's province (or state) column says when the customer is not in mainland China.
_REGIONS = {"香港": "HK", "hong kong": "HK", "hk": "HK", "澳门": "MO", "澳門": "MO", "macau": "MO", "macao": "MO",
            "台湾": "TW", "臺灣": "TW", "taiwan": "TW", "新加坡": "SG", "singapore": "SG"}
_LOCAL_LANDLINE = re.compile(r"[2-9]\d{6,7}")  # 7 or 8 digits without the 0xx area code


def region_for(place: str | None) -> str:
    """The phonenumbers region of a customer's province/state text; CN when it names none."""
    if not place:
        return DEFAULT_REGION
    text = place.strip().casefold()
    for name, region in _REGIONS.items():
        if text.startswith(name):
            return region
    return DEFAULT_REGION


def check(number: str, mobile: bool = False, region: str = DEFAULT_REGION) -> str:
    """``number`` is digits with an optional leading ``+`` (the spec's clean-up done);
    returns it to store, or raises ``FieldError`` with the reason."""
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
            return number
        if looks_mobile and len(local) != 11:
            raise FieldError("phone_mobile_digits")  # 1381234: digits missing
        if valid or (chinese and (local.startswith("0") or _LOCAL_LANDLINE.fullmatch(local))):
            raise FieldError("phone_not_mobile")
        raise FieldError("phone_not_valid")
    if valid:
        return number
    if chinese and not number.startswith("+") and _LOCAL_LANDLINE.fullmatch(local):
        raise FieldError("phone_no_area_code")
    # a service number (95588), an internal line, a foreign number typed without its + (a
    # sheet of US customers: 001-808-617-6467): kept as typed; only a mobile field is strict
    return number
