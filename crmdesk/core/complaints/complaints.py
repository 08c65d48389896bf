"""Complaints: log one, change its details, read it, delete it (undoable). The way through
(acknowledge, investigate, propose, resolve, close, reopen, wait for the customer) is in
``complaint_flow``.

Every write is one transaction, checks the version the user was editing (two windows can't
both win), and keeps the change log, so the customer's timeline shows the complaint. The
services keep the deadlines on the row (``response_due_at``, ``resolution_due_at`` and the
"due soon" points before them), computed in business hours on the working calendar, so
that the overdue list and the statistics are plain SQL."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Optional

from crmdesk.core.complaints import fields as K
from crmdesk.core.changes import CREATED, DELETED, RESTORED, UPDATED, Changes
from crmdesk.core.db import transaction
from crmdesk.core.errors import CrmError, FieldError, ValidationError
from crmdesk.core.io import normalize
from crmdesk.core.models import Complaint, ComplaintContact, Customer, Transaction, database, utcnow
from crmdesk.core.complaints import settings as complaint_settings
from crmdesk.core.customers import archive as customers
from crmdesk.core import history, number_blocks
from crmdesk.core.complaints import aftercare
from crmdesk.core.work_calendar import FIRST_YEAR, LAST_YEAR

ENTITY = "complaint"
NOT_FOUND = "complaint_not_found"
STALE = "complaint_changed_elsewhere"
SHORT_TEXTS = {"contact": 100, "subcategory": 100, "product": 200}
LONG_TEXTS = {"words": 20000, "facts": 20000, "root_cause": 20000, "solution": 20000}
EDITABLE = ("contact", "contact_phone", "channel", "received_at", "category", "subcategory", "product",
            "transaction_id", "severity", "words", "facts", "root_cause", "solution", "compensation_kind",
            "compensation_amount", "owner")
FUTURE_SLACK = dt.timedelta(days=1)  # clocks differ; a complaint "received" next week is a typo


@dataclass
class Written:
    """What a write did: the complaint it made or changed, and the changes to broadcast."""
    complaint_id: int
    changes: list[Changes] = field(default_factory=list)
    care_event_id: Optional[int] = None


def now() -> dt.datetime:
    return dt.datetime.now().replace(second=0, microsecond=0)


# ---------------------------------------------------------------- values

def parse_moment(value: Any, key: str) -> dt.datetime:
    """A local date and time, minutes precision, within the years the calendar knows."""
    if isinstance(value, dt.datetime):
        moment = value.replace(second=0, microsecond=0, tzinfo=None)
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time(9))
    else:
        text = normalize.text(value)
        if not text:
            raise FieldError("required", key)
        try:
            moment = dt.datetime.fromisoformat(text.replace("T", " ")).replace(second=0, microsecond=0, tzinfo=None)
        except ValueError:
            raise FieldError("datetime_invalid", key) from None
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise FieldError("datetime_out_of_range", key, low=FIRST_YEAR, high=LAST_YEAR)
    return moment


def _rekeyed(error: FieldError, key: str) -> FieldError:
    """A normalizer's error (no key) as this field's."""
    return FieldError(error.code, key, **{k: v for k, v in error.params.items() if k != "key"})


def long_text(value: Any) -> str:
    """Multi-line text keeps its lines; only the ends are trimmed."""
    return "" if value is None else str(value).replace("\r\n", "\n").strip()


def _enum(raw: Mapping[str, Any], key: str, keys: tuple[str, ...], default: Optional[str],
          clean: dict, errors: dict, allow_blank: bool = False) -> None:
    value = raw.get(key)
    if value in (None, ""):
        if allow_blank:
            clean[key] = ""
            return
        value = default
    if value not in keys:
        errors[key] = FieldError("enum_invalid", key, choices=", ".join(keys)) if value else FieldError("required", key)
    else:
        clean[key] = value


def validate(raw: Mapping[str, Any], partial: bool = False, at: Optional[dt.datetime] = None) -> dict[str, Any]:
    """The complaint's fields, checked; ``partial``: only the keys present (an edit)."""
    clean: dict[str, Any] = {}
    errors: dict[str, FieldError] = {}

    def present(key: str) -> bool:
        return not partial or key in raw

    if present("received_at"):
        try:
            clean["received_at"] = parse_moment(raw.get("received_at") or (at or now()) if not partial
                                                else raw.get("received_at"), "received_at")
            if clean["received_at"] > (at or now()) + FUTURE_SLACK:
                errors["received_at"] = FieldError("complaint_received_in_future", "received_at")
        except FieldError as error:
            errors["received_at"] = error
    for key, keys, default in (("channel", K.CHANNEL_KEYS, "phone"), ("category", K.CATEGORY_KEYS, None),
                               ("severity", K.SEVERITY_KEYS, K.NORMAL)):
        if present(key):
            _enum(raw, key, keys, default, clean, errors)
    if present("compensation_kind"):
        _enum(raw, "compensation_kind", K.COMPENSATION_KEYS, None, clean, errors, allow_blank=True)
    for key, limit in SHORT_TEXTS.items():
        if present(key):
            text = normalize.text(raw.get(key))
            if len(text) > limit:
                errors[key] = FieldError("too_long", key, max=limit)
            clean[key] = text
    for key, limit in LONG_TEXTS.items():
        if present(key):
            text = long_text(raw.get(key))
            if len(text) > limit:
                errors[key] = FieldError("too_long", key, max=limit)
            clean[key] = text
    if present("contact_phone"):
        try:
            phone = normalize.phone(raw.get("contact_phone"))
            clean["contact_phone"] = phone.number if phone is not None else ""
        except FieldError as error:
            errors["contact_phone"] = _rekeyed(error, "contact_phone")
    if present("compensation_amount"):
        try:
            clean["compensation_amount"] = normalize.money(raw.get("compensation_amount"), minimum=0)
        except FieldError as error:
            errors["compensation_amount"] = _rekeyed(error, "compensation_amount")
    if present("owner"):
        owner = normalize.text(raw.get("owner"), collapse=True)
        if len(owner) > 100:
            errors["owner"] = FieldError("too_long", "owner", max=100)
        clean["owner"] = owner
    if present("transaction_id"):
        value = raw.get("transaction_id")
        try:
            clean["transaction_id"] = int(value) if value not in (None, "", 0) else None
        except (TypeError, ValueError):
            errors["transaction_id"] = FieldError("complaint_transaction_unknown", "transaction_id")
    if errors:
        raise ValidationError(errors)
    return clean


def _customer(value: Any) -> Customer:
    """The live customer a new complaint is for: none chosen is the user's to fix, a
    deleted one is ``customer_not_found``."""
    try:
        customer_id = int(value) if value not in (None, "") and not isinstance(value, bool) else 0
    except (TypeError, ValueError):
        customer_id = 0
    if customer_id <= 0:
        raise ValidationError({"customer_id": FieldError("complaint_no_customer", "customer_id")})
    return customers.get(customer_id)


def _check_owner(owner: str, previous: str = "") -> None:
    if owner and owner != previous and owner != history.actor() and not complaint_settings.is_person(owner):
        raise ValidationError({"owner": FieldError("complaint_owner_unknown", "owner", name=owner)})


def _check_transaction(transaction_id: Optional[int], customer_id: int) -> None:
    if transaction_id is None:
        return
    row = Transaction.get_or_none((Transaction.id == transaction_id) & Transaction.deleted_at.is_null())
    if row is None or row.customer_id != customer_id:
        raise ValidationError({"transaction_id": FieldError("complaint_transaction_unknown", "transaction_id")})


# ---------------------------------------------------------------- derived values

def next_number(received: dt.datetime) -> str:
    """CMP-YYYYMMDD-NNN: the day it was received, then its place among that day's. On a
    team's laptop the lowest free number of the block it leased from the hub for that day
    (issue 20, ``sync.numbers``); without one, after the highest of that day here (on a
    team, a provisional number the hub renumbers if another complaint holds it)."""
    leased = number_blocks.next_complaint_number(received.date())
    if leased:
        return leased
    prefix = f"CMP-{received:%Y%m%d}-"
    row = database.execute_sql("SELECT MAX(CAST(substr(number, 14) AS INTEGER)) FROM complaint "
                                "WHERE number LIKE ?", (prefix + "%",)).fetchone()
    return f"{prefix}{(row[0] or 0) + 1:03d}"


def repeat_of(customer_id: int, category: str, received: dt.datetime, exclude: Optional[int] = None) -> Optional[int]:
    """The customer's latest earlier complaint of the same category within 90 days."""
    query = (Complaint.select(Complaint.id)
             .where((Complaint.customer == customer_id) & (Complaint.category == category)
                    & Complaint.deleted_at.is_null()
                    & (Complaint.received_at >= received - dt.timedelta(days=K.REPEAT_DAYS))
                    & (Complaint.received_at <= received))
             .order_by(Complaint.received_at.desc(), Complaint.id.desc()))
    if exclude is not None:
        query = query.where(Complaint.id != exclude)
    row = query.first()
    return row.id if row else None


def deadlines(severity: str, received: dt.datetime, paused_minutes: int = 0,
              settings: Optional[complaint_settings.Settings] = None) -> dict[str, dt.datetime]:
    """When the first response and the resolution are due, and when each becomes "due
    soon", in business hours from receipt; pauses push them later."""
    settings = settings or complaint_settings.load()
    calendar = settings.calendar()
    response, resolution = settings.deadlines[severity]
    result = {}
    for name, hours in (("response", response), ("resolution", resolution)):
        minutes = hours * 60
        result[f"{name}_due_at"] = calendar.add(received, minutes + paused_minutes)
        result[f"{name}_warn_at"] = calendar.add(received, int(minutes * K.DUE_SOON_SHARE) + paused_minutes)
    return result


# ---------------------------------------------------------------- reading

def get(complaint_id: int) -> Complaint:
    complaint = (Complaint.select(Complaint, Customer).join(Customer)
                 .where((Complaint.id == complaint_id) & Complaint.deleted_at.is_null()
                        & Customer.deleted_at.is_null()).first())
    if complaint is None:
        raise CrmError(NOT_FOUND, id=complaint_id)
    return complaint


def for_customer(customer_id: int, limit: int = 500) -> list[Complaint]:
    """The customer's complaints, the latest first."""
    return list(Complaint.select().where((Complaint.customer == customer_id) & Complaint.deleted_at.is_null())
                .order_by(Complaint.received_at.desc(), Complaint.id.desc()).limit(limit))


def contacts_of(complaint_id: int) -> list[ComplaintContact]:
    return list(ComplaintContact.select().where((ComplaintContact.complaint == complaint_id)
                                                & ComplaintContact.deleted_at.is_null())
                .order_by(ComplaintContact.at, ComplaintContact.id))


def status(complaint: Complaint, at: Optional[dt.datetime] = None) -> str:
    """How its deadlines stand at ``at``: "overdue", "due_soon", "waiting" (the clock is
    stopped), "on_time", or "" once it is resolved."""
    at = at or now()
    if complaint.state not in K.OPEN_STATES:
        return ""
    if complaint.waiting_since is not None:
        return "waiting"
    due, warn = ((complaint.response_due_at, complaint.response_warn_at) if complaint.state == K.NEW
                 else (complaint.resolution_due_at, complaint.resolution_warn_at))
    if complaint.resolution_due_at and complaint.resolution_due_at < at:
        return "overdue"
    if due and due < at:
        return "overdue"
    if (warn and warn <= at) or (complaint.resolution_warn_at and complaint.resolution_warn_at <= at):
        return "due_soon"
    return "on_time"


# ---------------------------------------------------------------- writing

def log(complaint: Complaint, action: str, changed: Iterable[tuple[str, Any, Any]] = (),
        summary: Optional[str] = None) -> None:
    entries = [history.Entry(ENTITY, complaint.id, complaint.uuid, complaint.customer_id, action, key,
                             history.as_text(old), history.as_text(new)) for key, old, new in changed]
    if summary is not None:
        entries.append(history.Entry(ENTITY, complaint.id, complaint.uuid, complaint.customer_id, action, "",
                                     None, summary))
    history.write(entries)


def summary(complaint: Complaint) -> str:
    return f"{complaint.number} {K.label(K.CATEGORIES, complaint.category, 'en')}"


def changes(complaint_ids: Iterable[int], kind: str, customer_ids: Iterable[int]) -> list[Changes]:
    return [Changes(ENTITY, kind, tuple(complaint_ids)), Changes("customer", UPDATED, tuple(set(customer_ids)))]


def create(raw: Mapping[str, Any], at: Optional[dt.datetime] = None) -> Written:
    """Log a complaint for ``raw["customer_id"]``. The owner defaults to the customer's
    owner (or whoever logs it); the contact to the customer's contact person."""
    with transaction():
        customer = _customer(raw.get("customer_id"))
        clean = validate(raw, at=at)
        clean["owner"] = clean.get("owner") or customer.owner or history.actor()
        _check_owner(clean["owner"])
        _check_transaction(clean.get("transaction_id"), customer.id)
        if not clean.get("contact"):
            clean["contact"] = customer.contact_person
        if not clean.get("contact_phone"):
            clean["contact_phone"] = customer.mobile or customer.phone
        clean["number"] = next_number(clean["received_at"])
        clean["repeat_of"] = repeat_of(customer.id, clean["category"], clean["received_at"])
        clean.update(deadlines(clean["severity"], clean["received_at"]))
        transaction_id = clean.pop("transaction_id", None)
        complaint = Complaint.create(customer=customer.id, transaction=transaction_id, **clean)
        log(complaint, CREATED, summary=summary(complaint))
    return Written(complaint.id, changes([complaint.id], CREATED, [customer.id]))


def editable(complaint_id: int, expected_version: Optional[int]) -> Complaint:
    complaint = get(complaint_id)
    if expected_version is not None and complaint.version != expected_version:
        raise CrmError(STALE, number=complaint.number, fields=history.changed_fields(
            ENTITY, complaint.id, writes=max(complaint.version - expected_version, 1), columns=K.COMPLAINT_COLUMNS))
    return complaint


def write(complaint: Complaint, values: Mapping[str, Any]) -> list[tuple[str, Any, Any]]:
    """Write ``values`` if the row is still the version read; the changed fields."""
    def current(key: str) -> Any:
        return getattr(complaint, key + "_id") if key in ("transaction", "repeat_of") else getattr(complaint, key)
    changed = [(k, current(k), v) for k, v in values.items() if current(k) != v]
    if changed:
        count = (Complaint.update(**{k: v for k, v in values.items()}, version=Complaint.version + 1,
                                  updated_at=utcnow())
                 .where((Complaint.id == complaint.id) & (Complaint.version == complaint.version)).execute())
        if count != 1:  # another program wrote it between our read and this write
            raise CrmError(STALE, number=complaint.number, fields="")
        for key, value in values.items():
            setattr(complaint, key + "_id" if key in ("transaction", "repeat_of") else key, value)
        complaint.version += 1
    return changed


def update(complaint_id: int, raw: Mapping[str, Any], expected_version: Optional[int] = None) -> Written:
    """Change a complaint's details (the keys of ``raw`` among ``EDITABLE``). A new severity
    or receipt time moves the deadlines; a new category re-checks the repeat flag."""
    with transaction():
        complaint = editable(complaint_id, expected_version)
        clean = validate({k: v for k, v in raw.items() if k in EDITABLE}, partial=True)
        if "owner" in clean:
            clean["owner"] = clean["owner"] or complaint.owner
            _check_owner(clean["owner"], complaint.owner)
        if "transaction_id" in clean:
            _check_transaction(clean["transaction_id"], complaint.customer_id)
            clean["transaction"] = clean.pop("transaction_id")
        received = clean.get("received_at", complaint.received_at)
        for moment, key in ((complaint.first_response_at, "first_response_at"), (complaint.resolved_at, "resolved_at")):
            if moment is not None and moment < received:
                raise ValidationError({"received_at": FieldError("complaint_received_after_" + key.split("_at")[0],
                                                                 "received_at")})
        if clean.get("severity", complaint.severity) != complaint.severity or received != complaint.received_at:
            clean.update(deadlines(clean.get("severity", complaint.severity), received, complaint.paused_minutes))
        if clean.get("category", complaint.category) != complaint.category or received != complaint.received_at:
            clean["repeat_of"] = repeat_of(complaint.customer_id, clean.get("category", complaint.category),
                                           received, exclude=complaint.id)
        changed = write(complaint, clean)
        if changed:
            log(complaint, UPDATED, [c for c in changed if not c[0].endswith(("_due_at", "_warn_at"))])
    return Written(complaint.id, changes([complaint.id], UPDATED, [complaint.customer_id]) if changed else [])


def _set_deleted(ids: list[int], when: Optional[dt.datetime], action: str) -> list[Changes]:
    """Delete (``when``) or restore (None) complaints. A deleted complaint's pending
    follow-up leaves the care list with it (stamped with the same moment), and comes back
    when the complaint is restored; a follow-up deleted on its own stays deleted."""
    care_ids: list[int] = []
    with transaction():
        condition = Complaint.deleted_at.is_null() if when else Complaint.deleted_at.is_null(False)
        rows = list(Complaint.select().where(Complaint.id.in_(ids) & condition))
        if rows:
            (Complaint.update(deleted_at=when, version=Complaint.version + 1, updated_at=utcnow())
             .where(Complaint.id.in_([r.id for r in rows])).execute())
            for row in rows:
                log(row, action, summary=summary(row))
                care_ids += aftercare.follow_ups_with(row, when)
            for customer_id in {r.customer_id for r in rows}:
                aftercare.refresh_satisfaction(customer_id)
    found = changes([r.id for r in rows], action, [r.customer_id for r in rows])
    if care_ids:
        found.append(Changes(aftercare.CARE_ENTITY, action, tuple(care_ids)))
    return found


def delete(ids: Iterable[int]) -> list[Changes]:
    """Soft delete: the complaints leave every list and statistic and can be restored."""
    return _set_deleted(list(ids), utcnow(), DELETED)


def restore(ids: Iterable[int]) -> list[Changes]:
    return _set_deleted(list(ids), None, RESTORED)
