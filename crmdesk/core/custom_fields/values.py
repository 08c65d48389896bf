"""Each customer's values of the custom fields: read from what a user typed or a sheet
holds (``parse``), stored one row a customer and field with the value in its own SQLite
type (text, integer or real, an ISO date, 1/0), shown back (``display``), and written
with the customer's change log (``write``)."""
from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any, Mapping, Optional, Sequence

from crmdesk.core.custom_fields.definitions import (CHOICE, DATE, MAX_TEXT, NUMBER, PREFIX, TEXT, YESNO,
                                                   CustomField, by_field_key, folded)
from crmdesk.core.errors import FieldError
from crmdesk.core.io import normalize
from crmdesk.core.models import database, utcnow

TABLE = "customer_field_value"
# A value's record has the same uuid on every laptop: two reps filling in the same field of
# the same customer offline edit one record (the team's merge keeps the later value).
_NAMESPACE = uuid.UUID("6f1d9a52-3c1e-4c0b-9a57-2f6b1f0c7e21")

_YES = {"是", "有", "对", "真", "√", "✓", "✔", "y", "yes", "true", "t", "1", "ja", "oui", "sí", "si"}
_NO = {"否", "无", "没有", "不是", "不", "假", "×", "✗", "n", "no", "false", "f", "0", "nein", "non"}


def record_uuid(customer_uuid: str, key: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{customer_uuid}/{key}"))


def parse(field: CustomField, raw: Any, date_order: str = "ymd") -> Any:
    """The value to store for what was typed or read from a cell (None for blank); raises
    ``FieldError`` with the customer field key (``cf:…``) set."""
    try:
        return _parse(field, raw, date_order)
    except FieldError as error:
        raise FieldError(error.code, field.field_key, **{k: v for k, v in error.params.items() if k != "key"}) from None


def _parse(field: CustomField, raw: Any, date_order: str) -> Any:
    if normalize.is_blank(raw):
        return None
    if field.type == TEXT:
        text = normalize.text(raw)
        if len(text) > MAX_TEXT:
            raise FieldError("too_long", max=MAX_TEXT)
        return text or None
    if field.type == NUMBER:
        if isinstance(raw, bool):
            raise FieldError("custom_number_invalid")
        try:
            number = normalize.money(raw)
        except FieldError:
            raise FieldError("custom_number_invalid") from None
        return int(number) if number == number.to_integral_value() else float(number)
    if field.type == DATE:
        return normalize.date(raw, date_order).isoformat()
    if field.type == YESNO:
        if isinstance(raw, bool):
            return int(raw)
        word = normalize.halfwidth(normalize.text(raw)).strip().casefold()
        if word in _YES:
            return 1
        if word in _NO:
            return 0
        raise FieldError("custom_yesno_invalid")
    if field.type == CHOICE:
        typed = folded(normalize.text(raw)).casefold()
        found = next((c for c in field.choices if c.casefold() == typed), None)
        if found is None:
            raise FieldError("enum_invalid", choices=", ".join(field.choices))
        return found
    raise AssertionError(field.type)


def display(field: CustomField, value: Any, yes: str = "Yes", no: str = "No") -> str:
    """The value as a person reads it ("" for none); ``yes``/``no`` in the reader's language."""
    if value is None or value == "":
        return ""
    if field.type == YESNO:
        return yes if value in (1, "1", True) else no
    if field.type == NUMBER and isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value)


def as_python(field: CustomField, value: Any) -> Any:
    """A stored value as a file writes it: a date as a date, a number as a number."""
    if value is None:
        return None
    if field.type == DATE and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def parse_all(raw: Mapping[str, Any], date_order: str = "ymd",
              fields: Optional[Mapping[str, CustomField]] = None) -> tuple[dict, dict]:
    """The custom-field keys of ``raw`` (``cf:…``): (clean values, errors by key); keys of
    fields that no longer exist are left out."""
    fields = by_field_key() if fields is None else fields
    clean: dict[str, Any] = {}
    errors: dict[str, FieldError] = {}
    for key, value in raw.items():
        field = fields.get(key) if key.startswith(PREFIX) else None
        if field is None:
            continue
        try:
            clean[key] = parse(field, value, date_order)
        except FieldError as error:
            errors[key] = error
    return clean, errors


def read(customer_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """{customer id: {"cf:…": value}} for the fields there are (values of removed fields left out)."""
    fields = by_field_key()
    found: dict[int, dict[str, Any]] = {}
    if not fields or not customer_ids:
        return found
    ids = list(customer_ids)
    for start in range(0, len(ids), 500):
        part = ids[start:start + 500]
        rows = database.execute_sql(
            f"SELECT customer_id, field, value FROM {TABLE} WHERE customer_id IN ({','.join('?' * len(part))}) "
            "AND deleted_at IS NULL AND value IS NOT NULL", part)
        for cid, key, value in rows:
            if PREFIX + key in fields:
                found.setdefault(cid, {})[PREFIX + key] = value
    return found


def search_parts(values: Mapping[str, Any]) -> list[str]:
    """The text values (text, choices, dates) of ``{"cf:…": value}``, for the customer's search text."""
    return [v for v in values.values() if isinstance(v, str) and v]


def write(customer_id: int, customer_uuid: str, values: Mapping[str, Any]) -> list[tuple[str, Any, Any]]:
    """Store the customer's values of these fields (``cf:…`` -> clean value or None); the
    caller holds the transaction and writes the change log. Returns (key, old, new) of each
    value that changed."""
    if not values:
        return []
    keys = [k[len(PREFIX):] for k in values]
    marks = ",".join("?" * len(keys))
    stored = {key: (value, deleted) for key, value, deleted in database.execute_sql(
        f"SELECT field, value, deleted_at FROM {TABLE} WHERE customer_id = ? AND field IN ({marks})",
        [customer_id, *keys])}
    changed = []
    now = utcnow()
    for field_key, new in values.items():
        key = field_key[len(PREFIX):]
        old_value, deleted = stored.get(key, (None, None))
        old = None if deleted is not None else old_value
        if old == new and type(old) is type(new):
            continue
        if key in stored:
            database.execute_sql(f"UPDATE {TABLE} SET value = ?, deleted_at = NULL, updated_at = ? "
                                 "WHERE customer_id = ? AND field = ?", [new, now, customer_id, key])
        elif new is not None:
            database.execute_sql(f"INSERT INTO {TABLE} (uuid, created_at, updated_at, customer_id, field, value) "
                                 "VALUES (?, ?, ?, ?, ?, ?)",
                                 [record_uuid(customer_uuid, key), now, now, customer_id, key, new])
        else:
            continue
        if old != new:
            changed.append((field_key, old, new))
    return changed


INSERT_HEAD = f"INSERT INTO {TABLE} (uuid, created_at, updated_at, customer_id, field, value) VALUES"


def insert_rows(customer_id: int, customer_uuid: str, values: Mapping[str, Any], now: dt.datetime) -> list[tuple]:
    """Rows for ``INSERT_HEAD`` of a customer that is new (an import's bulk insert)."""
    stamp = now.isoformat(" ")
    return [(record_uuid(customer_uuid, k[len(PREFIX):]), stamp, stamp, customer_id, k[len(PREFIX):], v)
            for k, v in values.items() if v is not None]


# ------------------------------------------------------------------ a column made a field

GUESS_CHOICES = 12  # at most this many different values, each repeated, make a choice


def guess(cells: Sequence[Any]) -> tuple[str, tuple[str, ...]]:
    """The type (and a choice's options) that a column's sample values suggest: yes/no
    words, numbers, dates, a few repeating values, else text."""
    filled = [c for c in cells if not normalize.is_blank(c)]
    if not filled:
        return TEXT, ()
    words = [normalize.halfwidth(normalize.text(c)).strip().casefold() for c in filled]
    if all(w in _YES or w in _NO for w in words) and not all(w in ("0", "1") for w in words):
        return YESNO, ()
    if all(_parses(NUMBER, c) for c in filled):
        return NUMBER, ()
    if all(isinstance(c, (dt.date, dt.datetime)) or (isinstance(c, str) and _parses(DATE, c)) for c in filled):
        return DATE, ()
    options = list(dict.fromkeys(folded(normalize.text(c)) for c in filled))
    if len(options) <= GUESS_CHOICES and len(filled) >= 2 * len(options) and all(len(o) <= 20 for o in options):
        return CHOICE, tuple(options)
    return TEXT, ()


def _parses(kind: str, raw: Any) -> bool:
    try:
        _parse(CustomField("x", "x", kind), raw, "ymd")
    except FieldError:
        return False
    return True


# ------------------------------------------------------------------ the list's SQL

def _quoted(key: str) -> str:
    return "'" + key.replace("'", "''") + "'"


def column_sql(field: CustomField, alias: str = "c") -> str:
    """The field's value for the list's row ``alias``: one look-up in the (customer, field) index."""
    return (f"(SELECT v.value FROM {TABLE} v WHERE v.customer_id = {alias}.id AND v.field = {_quoted(field.key)} "
            "AND v.deleted_at IS NULL)")


