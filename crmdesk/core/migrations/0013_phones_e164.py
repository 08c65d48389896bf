"""Phones in E.164: every stored phone that is a valid number (by the customer's country:
China unless its province names Hong Kong, Macau, Taiwan or Singapore) is rewritten as
``+8613812345678``; what is not a valid number (95588, an internal line) stays as it was.
The customers', contacts' and complaints' phones. The search text is left alone: it already
holds the numbers as they were typed, and the next save adds the E.164 form.

Frozen, as every migration: the rules are written out here rather than imported."""
from __future__ import annotations

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

_REGIONS = {"香港": "HK", "hong kong": "HK", "hk": "HK", "澳门": "MO", "澳門": "MO", "macau": "MO", "macao": "MO",
            "台湾": "TW", "臺灣": "TW", "taiwan": "TW", "新加坡": "SG", "singapore": "SG"}
_CN_MOBILE = re.compile(r"1\d{10}")


def _region(place: str | None) -> str:
    text = (place or "").strip().casefold()
    for name, region in _REGIONS.items():
        if text.startswith(name):
            return region
    return "CN"


def _e164(value: str, region: str, cache: dict) -> str:
    if not value:
        return value
    number, _, extension = value.partition("x")
    suffix = f"x{extension}" if extension else ""
    # A Chinese mobile's validity is decided by its first 5 digits (by 7 under 179: measured
    # over every prefix with phonenumbers 9.0): a million mobiles in 1 s instead of 16.
    key = None
    if region == "CN" and _CN_MOBILE.fullmatch(number):
        key = number[:7] if number.startswith("179") else number[:5]
    if key is not None and key in cache:
        return f"+86{number}{suffix}" if cache[key] else value
    try:
        parsed = phonenumbers.parse(number, region)
        valid = phonenumbers.is_valid_number(parsed)
    except NumberParseException:
        valid = False
    if key is not None:
        cache[key] = valid
    return phonenumbers.format_number(parsed, PhoneNumberFormat.E164) + suffix if valid else value


def up(db) -> None:
    cache: dict = {}
    for table, columns, place in (("customer", ("mobile", "phone", "fax"), "province"),
                                  ("contact", ("mobile", "phone"), None),
                                  ("complaint", ("contact_phone",), None)):
        if place:
            select = f'SELECT "id", {", ".join(columns)}, "{place}" FROM "{table}"'
        else:  # a contact's or complaint's country is its customer's
            select = (f'SELECT t."id", {", ".join("t." + c for c in columns)}, c."province" FROM "{table}" t '
                      f'JOIN "customer" c ON c."id" = t."customer_id"')
        updates = []
        for row in db.execute_sql(select).fetchall():
            region = _region(row[-1])
            old = row[1:-1]
            new = tuple(_e164(v, region, cache) for v in old)
            if new != old:
                updates.append((*new, row[0]))
        if updates:
            assignments = ", ".join(f'"{c}" = ?' for c in columns)
            db.connection().executemany(f'UPDATE "{table}" SET {assignments} WHERE "id" = ?', updates)
