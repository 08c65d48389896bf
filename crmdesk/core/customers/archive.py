"""The customer archive: validate, create, read, update, delete softly and restore."""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Iterable, Mapping, Optional

from peewee import fn

from crmdesk.core import clock, number_blocks, team_state
from crmdesk.core import custom_fields
from crmdesk.core.customers import fields as F
from crmdesk.core.changes import CREATED, DELETED, RESTORED, UPDATED, Changes
from crmdesk.core.db import transaction
from crmdesk.core.errors import CrmError, FieldError, ValidationError
from crmdesk.core.io import normalize
from crmdesk.core.phones.rules import DEFAULT_REGION, region_for
from crmdesk.core.phones.rules import display as phone_display
from crmdesk.core.models import Batch, Contact, Customer, CustomerTag, database, utcnow
from crmdesk.core.search import customer_text
from crmdesk.core import history

ENTITY = "customer"
STALE = "record_changed_elsewhere"
NOT_FOUND = "customer_not_found"


# ---------------------------------------------------------------- values

def validate(raw: Mapping[str, Any], customer_id: Optional[int] = None,
             date_order: str = "ymd") -> tuple[dict[str, Any], dict[str, FieldError]]:
    """Normalise the fields present in ``raw``: (clean values, errors by key); a customer
    number another customer has is an error."""
    clean, errors = normalize_values(raw, date_order)
    code = clean.get("code")
    if code and "code" not in errors and code_taken(code, customer_id):
        errors["code"] = FieldError("code_taken", "code", code=code)
    return clean, errors


def normalize_values(raw: Mapping[str, Any], date_order: str = "ymd",
                     memo: Optional["NormalizeMemo"] = None) -> tuple[dict[str, Any], dict[str, FieldError]]:
    """The spec's rules for every customer field in ``raw`` (other keys are ignored), with
    no look-up in the database: (clean values, errors by key). ``memo`` remembers the
    results of values that repeat (an import's tiers, cities, sources...)."""
    clean: dict[str, Any] = {}
    errors: dict[str, FieldError] = {}
    province, country = raw.get("province"), raw.get("country")
    region = region_for(province if isinstance(province, str) else None,
                        country if isinstance(country, str) else None)  # phones dialled there
    for key, value in raw.items():
        if key not in F.BY_KEY:
            continue
        try:
            clean[key] = (normalize.value(key, value, date_order, region) if memo is None
                          else memo.value(key, value, date_order, region))
        except FieldError as error:
            errors[key] = error
    birthday = clean.get("birthday")
    if birthday is not None and birthday.calendar == "lunar":
        clean["birthday_calendar"] = "lunar"
    if any(key.startswith(custom_fields.PREFIX) for key in raw):  # the user's own fields (cf:…)
        more, more_errors = custom_fields.parse_all(raw, date_order, memo.fields() if memo else None)
        clean.update(more)
        errors.update(more_errors)
    return clean, errors


class NormalizeMemo:
    """``normalize.value`` remembered per field and value, for one import with one date
    order. A field keeps at most ``PER_FIELD`` values: low-cardinality columns (tier,
    stage, city, source, owner: most of a customer sheet) are then looked up, and
    columns of unique values (names, phones) stop filling it. A result is never mutated
    by its users (tags are copied into ``to_columns``' list), and an error is re-raised
    as the same ``FieldError``."""
    PER_FIELD = 2_000

    def __init__(self) -> None:
        self._memo: dict[str, dict[tuple[type, Any], tuple[bool, Any]]] = {}
        self._fields: Optional[dict] = None

    def fields(self) -> dict:
        """The custom fields, read once for the import."""
        if self._fields is None:
            self._fields = custom_fields.by_field_key()
        return self._fields

    def value(self, key: str, raw: Any, date_order: str, region: str = DEFAULT_REGION) -> Any:
        memo = self._memo.setdefault(key if region == DEFAULT_REGION else f"{key}@{region}", {})
        # The type is part of the key: 1, 1.0 and True are equal (and hash alike).
        found = memo.get((type(raw), raw)) if raw.__hash__ is not None else None
        if found is None:
            try:
                found = (True, normalize.value(key, raw, date_order, region))
            except FieldError as error:
                found = (False, error)
            if raw.__hash__ is not None and len(memo) < self.PER_FIELD:
                memo[(type(raw), raw)] = found
        ok, result = found
        if not ok:
            raise result.with_traceback(None)  # not the growing traceback of every raise
        return result


def code_taken(code: str, customer_id: Optional[int] = None) -> bool:
    query = Customer.select(Customer.id).where(Customer.code == code)
    if customer_id:
        query = query.where(Customer.id != customer_id)
    return query.exists()


def next_code() -> str:
    """C000001, C000002, ... after the highest generated code in use; on a team's laptop
    the next number of the block it leased from the hub (issue 20, ``sync.numbers``)."""
    leased = number_blocks.next_customer_code()
    if leased:
        return leased
    cursor = database.execute_sql(
        "SELECT max(CAST(substr(code, 2) AS INTEGER)) FROM customer "
        "WHERE code >= 'C0' AND code < 'C:' AND substr(code, 2) GLOB '[0-9]*' "
        "AND substr(code, 2) NOT GLOB '*[^0-9]*'")
    highest = cursor.fetchone()[0] or 0
    return f"C{highest + 1:06d}"


class NextCodes:
    """Free C000001-style numbers for a bulk write: counting up from ``next_code()`` as it is
    when first asked (after ``wait()``, so that what the job wrote so far is in the table),
    leaving out those ``taken(code)`` says the job brought itself."""

    def __init__(self, wait: Callable[[], None], taken: Callable[[str], bool]) -> None:
        self._wait, self._taken, self._next = wait, taken, None

    def __call__(self) -> str:
        if self._next is None:
            self._wait()
            self._next = int(next_code()[1:])
        while True:
            code = f"C{self._next:06d}"
            self._next += 1
            if not self._taken(code):
                return code


def team_default() -> str:
    """The team a new customer of a team's laptop belongs to: the login's first team."""
    return team_state.first_team()


def to_columns(clean: Mapping[str, Any]) -> tuple[dict[str, Any], list[str], Optional[list[str]]]:
    """Model columns for clean values; (columns, extra phone numbers, tags or None)."""
    columns: dict[str, Any] = {}
    extras: list[str] = []
    tags = None
    for key, value in clean.items():
        field = F.BY_KEY.get(key)
        if field is None:  # a custom field's value (cf:…): stored apart (``custom_fields.write``)
            continue
        if field.type == F.PHONE:
            columns[key] = value.number if value else ""
            if value:
                extras.extend(phone_display(n) for n in value.extra)  # notes are read: as dialled
        elif field.type == F.BIRTHDAY:
            columns["birthday_year"] = value.year if value else None
            columns["birthday_month"] = value.month if value else None
            columns["birthday_day"] = value.day if value else None
        elif field.type == F.TAGS:
            tags = list(value)
            columns["tags"] = ", ".join(tags)
        elif key == "created_at":
            if value:
                columns["created_at"] = dt.datetime.combine(value, dt.time())
        elif field.type == F.ENUM and key in ("kind", "birthday_calendar"):
            columns[key] = value or field.default
        elif value is None and field.type in (F.TEXT, F.LONGTEXT, F.CODE, F.EMAIL):
            columns[key] = ""
        else:
            columns[key] = value
    return columns, extras, tags


def to_dict(customer: Customer) -> dict[str, Any]:
    """A customer's values by field key, in their stored Python form."""
    result: dict[str, Any] = {}
    for field in F.CUSTOMER_FIELDS:
        if field.type == F.BIRTHDAY:
            result[field.key] = (normalize.Birthday(customer.birthday_year, customer.birthday_month,
                                                    customer.birthday_day, None)
                                 if customer.birthday_month else None)
        elif field.type == F.TAGS:
            result[field.key] = [t.strip() for t in customer.tags.split(",") if t.strip()]
        elif field.key == "created_at":
            result[field.key] = customer.created_at.date() if customer.created_at else None
        else:
            result[field.key] = getattr(customer, field.key)
    return result


def _derived(customer: Customer, custom: Optional[Mapping[str, Any]] = None) -> None:
    """Keep the pinyin sort key and the search text in step with the record; ``custom``:
    its custom values when they are not (all) stored yet."""
    contacts = Contact.select(Contact.name, Contact.mobile, Contact.phone).where(
        (Contact.customer == customer.id) & Contact.deleted_at.is_null()) if customer.id else []
    contact_parts = [part for c in contacts for part in (c.name, c.mobile, c.phone)]
    texts = customer_text.custom_texts([customer.id]).get(customer.id, []) if customer.id else []
    values = customer_text.derived_columns({key: getattr(customer, key) for key in customer_text.SEARCHED}, contact_parts,
                             texts + custom_fields.search_parts(custom or {}))
    for key, value in values.items():
        setattr(customer, key, value)


def refresh_search(customer_id: int) -> None:
    customer = Customer.get_by_id(customer_id)
    _derived(customer)
    Customer.update(search_text=customer.search_text, sort_name=customer.sort_name,
                    name_initials=customer.name_initials).where(Customer.id == customer_id).execute()


def set_tags(customer_id: int, tags: Iterable[str]) -> None:
    CustomerTag.delete().where(CustomerTag.customer == customer_id).execute()
    rows = [{"customer": customer_id, "tag": tag} for tag in tags]
    if rows:
        CustomerTag.insert_many(rows).execute()


def append_notes(notes: str, extras: list[str]) -> str:
    if not extras:
        return notes
    addition = " / ".join(extras)
    return f"{notes}\n{addition}".strip() if notes else addition


# ---------------------------------------------------------------- reading

def get(customer_id: int, include_deleted: bool = False) -> Customer:
    customer = Customer.get_or_none(Customer.id == customer_id)
    if customer is None or (customer.deleted_at and not include_deleted):
        raise CrmError(NOT_FOUND, id=customer_id)
    return customer


def ids_by_code_or_name(names: Iterable[str], unknown: str) -> list[int]:
    """The live customer each of ``names`` names: by its number (C000123), else by its exact
    name, which must be one customer's; ``CrmError(unknown, name=...)`` for one that is neither."""
    ids = []
    for name in names:
        row = database.execute_sql("SELECT id FROM customer WHERE code = ? AND deleted_at IS NULL",
                                   [normalize.code(name)]).fetchone()
        if row is None:
            found = database.execute_sql("SELECT id FROM customer WHERE name = ? AND deleted_at IS NULL",
                                         [name]).fetchall()
            if len(found) != 1:
                raise CrmError(unknown, name=name)
            row = found[0]
        ids.append(row[0])
    return ids


def count(include_deleted: bool = False) -> int:
    """Live customers: all rows less the deleted ones. Both counts come from indexes
    (3 ms at a million rows, where counting ``deleted_at IS NULL`` scans the table)."""
    total = database.execute_sql("SELECT count(*) FROM customer").fetchone()[0]
    if include_deleted:
        return total
    deleted = database.execute_sql("SELECT count(*) FROM customer WHERE deleted_at IS NOT NULL").fetchone()[0]
    return total - deleted


# ---------------------------------------------------------------- writing

def create(raw: Mapping[str, Any], batch: Optional[Batch] = None,
           date_order: str = "ymd") -> tuple[int, Changes]:
    """Create a customer from what the user typed; raises ``ValidationError``."""
    with transaction():
        clean, errors = validate(raw, None, date_order)
        if "name" not in clean and "name" not in errors:
            errors["name"] = FieldError("required", "name")
        if errors:
            raise ValidationError(errors)
        columns, extras, tags = to_columns(clean)
        custom = {k: v for k, v in clean.items() if custom_fields.is_custom(k) and v is not None}
        if not columns.get("code"):
            columns["code"] = next_code()
        if not columns.get("team") and clock.clock is not None:  # issue 20: a new customer is the rep's team's
            columns["team"] = team_default()
        columns["notes"] = append_notes(columns.get("notes", ""), extras)
        customer = Customer(**columns)
        _derived(customer, custom)
        customer.save(force_insert=True)
        if tags:
            set_tags(customer.id, tags)
        custom_fields.write(customer.id, customer.uuid, custom)
        history.write([history.Entry(ENTITY, customer.id, customer.uuid, customer.id, CREATED,
                                     "", None, customer.name)], batch)
    return customer.id, Changes(ENTITY, CREATED, (customer.id,))


def update(customer_id: int, raw: Mapping[str, Any], expected_updated_at: Optional[dt.datetime] = None,
           batch: Optional[Batch] = None, date_order: str = "ymd") -> Changes:
    """Change the fields present in ``raw``. ``expected_updated_at`` is the version the
    user was editing: if someone saved the record since, nothing is overwritten."""
    with transaction():
        customer = get(customer_id)
        if expected_updated_at is not None and customer.updated_at != expected_updated_at:
            own = [F.Column(f.field_key, f.label, f.label_en or f.label) for f in custom_fields.all_fields()]
            raise CrmError(STALE, name=customer.name, fields=history.changed_fields(
                ENTITY, customer.id, since=expected_updated_at, columns=[*F.CUSTOMER_FIELDS, *own]))
        clean, errors = validate(raw, customer_id, date_order)
        if errors:
            raise ValidationError(errors)
        if not apply(customer, clean, batch):
            return Changes(ENTITY, UPDATED, ())
    return Changes(ENTITY, UPDATED, (customer_id,))


def apply(customer: Customer, clean: Mapping[str, Any], batch: Optional[Batch] = None) -> bool:
    """Write validated values to ``customer`` with their change log; False when nothing
    changed. The caller holds the transaction."""
    before = to_dict(customer)
    columns, extras, tags = to_columns(clean)
    if "code" in columns and not columns["code"]:
        columns["code"] = customer.code  # a blank code keeps the one it had
    if extras:
        columns["notes"] = append_notes(columns.get("notes", customer.notes), extras)
    for key, value in columns.items():
        setattr(customer, key, value)
    after = to_dict(customer)
    changed = history.diff(before, {k: after[k] for k in clean if k in after} |
                           ({"notes": after["notes"]} if extras else {}))
    custom = {k: v for k, v in clean.items() if custom_fields.is_custom(k)}
    changed += custom_fields.write(customer.id, customer.uuid, custom)
    if not changed:
        return False
    customer.updated_at = later(customer.updated_at)
    _derived(customer)
    customer.save()
    if tags is not None:
        set_tags(customer.id, tags)
    history.write([history.Entry(ENTITY, customer.id, customer.uuid, customer.id, UPDATED,
                                 key, old, new) for key, old, new in changed], batch)
    return True


def touch(customer_id: int) -> None:
    """Move the customer's version stamp on: its contacts changed."""
    customer = get(customer_id)
    Customer.update(updated_at=later(customer.updated_at)).where(Customer.id == customer_id).execute()


def later(previous: Optional[dt.datetime]) -> dt.datetime:
    """Now, but always after ``previous``: the version stamp must change on every save."""
    now = utcnow()
    if previous is not None and now <= previous:
        now = previous + dt.timedelta(seconds=1)
    return now


def delete(ids: Iterable[int], batch: Optional[Batch] = None) -> Changes:
    """Soft delete: the customers leave every list and can be restored."""
    return _set_deleted(list(ids), utcnow(), DELETED, batch)


def restore(ids: Iterable[int], batch: Optional[Batch] = None) -> Changes:
    return _set_deleted(list(ids), None, RESTORED, batch)


def _set_deleted(ids: list[int], when: Optional[dt.datetime], action: str,
                 batch: Optional[Batch]) -> Changes:
    with transaction():
        condition = Customer.deleted_at.is_null() if when else Customer.deleted_at.is_null(False)
        entries, done = [], []
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            rows = list(Customer.select(Customer.id, Customer.uuid, Customer.name, Customer.updated_at)
                        .where(Customer.id.in_(chunk) & condition))
            if not rows:
                continue
            found = [r.id for r in rows]
            # The version stamp moves forward even within the same second (see ``_later``).
            stamp = fn.MAX(utcnow(), fn.datetime(Customer.updated_at, "+1 second"))
            Customer.update(deleted_at=when, updated_at=stamp).where(Customer.id.in_(found)).execute()
            entries += [history.Entry(ENTITY, r.id, r.uuid, r.id, action, "", None, r.name) for r in rows]
            done += found
        history.write(entries, batch)
    return Changes(ENTITY, action, tuple(done))
