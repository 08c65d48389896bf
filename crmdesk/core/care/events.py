"""Care events one at a time and in bulk: plan one by hand, change it, mark it done with
its result and the customer's response, snooze it to a later day, skip it with a reason,
set it back to due, delete and restore it. Done and skipped events go into the customer's
timeline. Every write is one transaction; a bulk action on events of which some are
already done or gone changes the others and says how many it left alone."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Optional, Sequence

from peewee import SQL

from crmdesk.core.care import fields as C
from crmdesk.core.changes import CREATED, DELETED, RESTORED, UPDATED, Changes
from crmdesk.core.db import transaction
from crmdesk.core.errors import CrmError, FieldError, ValidationError
from crmdesk.core.io import normalize
from crmdesk.core.models import CareEvent, Contact, Customer, database, utcnow
from crmdesk.core import history

ENTITY = "care_event"
STALE = "care_changed_elsewhere"
MAX_TITLE, MAX_TEXT = 200, 5000
MAX_SNOOZE_DAYS = 366
FIRST_YEAR, LAST_YEAR = 1901, 2099


@dataclass
class Written:
    id: int
    changes: list[Changes] = field(default_factory=list)


@dataclass
class Done:
    """What a bulk action did: the events it changed, and how many it left as they were
    (already done or skipped, or deleted meanwhile)."""
    ids: list[int]
    left: int
    changes: list[Changes] = field(default_factory=list)


@dataclass(frozen=True)
class Event:
    id: int
    customer_id: int
    customer_code: str
    customer_name: str
    company: str  # the customer's name when it is a company, else ""
    contact_id: Optional[int]
    contact_name: str  # the contact's, or an individual customer's own name
    contact_title: str
    gender: Optional[str]
    mobile: str
    phone: str
    email: str
    wechat: str
    owner: str
    kind: str
    due_on: dt.date
    snoozed_until: Optional[dt.date]
    channel: str
    title: str
    message: str
    state: str
    result: str
    response: str
    done_at: Optional[dt.datetime]
    occasion: str
    facts: dict
    complaint_id: Optional[int]
    first_purchase: Optional[dt.date]
    version: int
    complaint_number: str = ""  # a complaint's follow-up: the complaint it follows

    @property
    def subject(self) -> str:
        """What the list calls it: its title, or the number of the complaint it follows up."""
        return self.title or self.complaint_number

    @property
    def shown_on(self) -> dt.date:
        return self.snoozed_until or self.due_on

    @property
    def pending(self) -> bool:
        return self.state in C.PENDING


_SELECT = ("SELECT e.id, e.customer_id, c.code, c.name, c.kind, e.contact_id, p.name, p.title, c.contact_person, "
           "c.title, c.gender, COALESCE(p.mobile, c.mobile), COALESCE(p.phone, c.phone), COALESCE(p.email, c.email), "
           "COALESCE(p.wechat, c.wechat), c.owner, e.kind, e.due_on, e.snoozed_until, e.channel, "
           "e.title, e.message, "
           "e.state, e.result, e.response, e.done_at, e.occasion, e.facts, e.complaint_id, "
           "(SELECT min(t.date) FROM transactions t WHERE t.customer_id = c.id AND t.deleted_at IS NULL), e.version, "
           "COALESCE((SELECT m.number FROM complaint m WHERE m.id = e.complaint_id), '') "
           "FROM care_event e JOIN customer c ON c.id = e.customer_id "
           "LEFT JOIN contact p ON p.id = e.contact_id "
           "WHERE e.deleted_at IS NULL AND c.deleted_at IS NULL")


def _day(value) -> Optional[dt.date]:
    return None if value is None else dt.date.fromisoformat(str(value)[:10])


def _event(row) -> Event:
    (eid, cid, code, name, kind, contact_id, p_name, p_title, person, person_title, gender, mobile, phone, email,
     wechat, owner, ekind, due, snoozed, channel, title, message, state, result, response, done_at, occasion,
     facts, complaint_id, first, version, complaint_number) = row
    individual = kind == "individual"
    try:
        figures = json.loads(facts) if facts else {}
    except ValueError:
        figures = {}
    return Event(eid, cid, code, name, "" if individual else name, contact_id if p_name is not None else None,
                 p_name if p_name is not None else (name if individual else person),
                 p_title if p_name is not None else ("" if individual else person_title),
                 gender if (p_name is None and individual) else None, mobile or "", phone or "", email or "",
                 wechat or "", owner, ekind, _day(due), _day(snoozed), channel, title, message, state, result,
                 response, None if done_at is None else dt.datetime.fromisoformat(str(done_at)), occasion,
                 figures if isinstance(figures, dict) else {}, complaint_id, _day(first), version, complaint_number)


def get(event_id: int) -> Event:
    row = database.execute_sql(_SELECT + " AND e.id = ?", (event_id,)).fetchone()
    if row is None:
        raise CrmError("care_not_found")
    return _event(row)


def many(event_ids: Sequence[int]) -> list[Event]:
    """The events of ``event_ids`` that still exist, in that order."""
    found: dict[int, Event] = {}
    for start in range(0, len(event_ids), 500):
        chunk = list(event_ids[start:start + 500])
        marks = ",".join("?" * len(chunk))
        for row in database.execute_sql(_SELECT + f" AND e.id IN ({marks})", chunk):
            found[row[0]] = _event(row)
    return [found[i] for i in event_ids if i in found]


def for_customer(customer_id: int) -> list[Event]:
    """The customer's care events, the latest due first."""
    return [_event(r) for r in database.execute_sql(
        _SELECT + " AND e.customer_id = ? ORDER BY COALESCE(e.snoozed_until, e.due_on) DESC, e.id DESC", (customer_id,))]


# ---------------------------------------------------------------- planning one

def _text(raw: Mapping[str, Any], key: str, limit: int, errors: dict) -> str:
    text = str(raw.get(key) or "").strip()
    if len(text) > limit:
        errors[key] = FieldError("too_long", key, max=limit)
    return text


def validate(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Checked values of a care event from a form: customer_id, contact_id, kind,
    due_on, channel, title, message."""
    errors: dict[str, FieldError] = {}
    clean: dict[str, Any] = {}
    customer = Customer.get_or_none((Customer.id == raw.get("customer_id")) & Customer.deleted_at.is_null()) \
        if raw.get("customer_id") else None
    if customer is None:
        errors["customer_id"] = FieldError("care_no_customer", "customer_id")
    else:
        clean["customer"] = customer.id
    contact_id = raw.get("contact_id") or None
    if contact_id and customer is not None:
        if not Contact.select().where((Contact.id == contact_id) & (Contact.customer == customer.id)
                                      & Contact.deleted_at.is_null()).exists():
            errors["contact_id"] = FieldError("care_contact_unknown", "contact_id")
    clean["contact"] = contact_id
    kind = raw.get("kind") or C.ROUTINE
    if kind not in C.KIND_KEYS:
        errors["kind"] = FieldError("enum_invalid", "kind", choices=", ".join(C.KIND_KEYS))
    clean["kind"] = kind
    channel = raw.get("channel") or "phone"
    if channel not in C.CHANNEL_KEYS:
        errors["channel"] = FieldError("enum_invalid", "channel", choices=", ".join(C.CHANNEL_KEYS))
    clean["channel"] = channel
    try:
        due = raw.get("due_on")
        due = due if isinstance(due, dt.date) else normalize.date(due)
        if due is None:
            errors["due_on"] = FieldError("required", "due_on")
        elif not FIRST_YEAR <= due.year <= LAST_YEAR:
            errors["due_on"] = FieldError("care_date_out_of_range", "due_on")
        clean["due_on"] = due
    except FieldError as error:
        errors["due_on"] = FieldError(error.code, "due_on", **{k: v for k, v in error.params.items() if k != "key"})
    clean["title"] = _text(raw, "title", MAX_TITLE, errors)
    clean["message"] = _text(raw, "message", MAX_TEXT, errors)
    if errors:
        raise ValidationError(errors)
    return clean


def create(raw: Mapping[str, Any]) -> Written:
    with transaction():
        clean = validate(raw)
        event = CareEvent.create(**clean)
        history.write([history.Entry(ENTITY, event.id, event.uuid, event.customer_id, CREATED, "", None,
                                     f"{event.kind} {event.due_on.isoformat()}")])
    return Written(event.id, _changes([event.id], CREATED, [event.customer_id]))


def update(event_id: int, raw: Mapping[str, Any], expected_version: Optional[int] = None) -> Written:
    with transaction():
        event = _editable(event_id, expected_version)
        clean = validate({**raw, "customer_id": event.customer_id})
        clean.pop("customer")
        before = {"contact": event.contact_id, **{k: getattr(event, k) for k in clean if k != "contact"}}
        changed = history.diff(before, clean)
        if changed:
            values = dict(clean)
            if clean["due_on"] != event.due_on and event.state == C.SNOOZED:
                values.update(state=C.DUE, snoozed_until=None)  # a new day replaces the snooze
            _write(event, values)
            history.write([history.Entry(ENTITY, event.id, event.uuid, event.customer_id, UPDATED, k,
                                         history.as_text(o), history.as_text(n)) for k, o, n in changed])
    return Written(event.id, _changes([event.id], UPDATED, [event.customer_id]) if changed else [])


def _editable(event_id: int, expected_version: Optional[int]) -> CareEvent:
    event = (CareEvent.select().join(Customer).where((CareEvent.id == event_id) & CareEvent.deleted_at.is_null()
                                                     & Customer.deleted_at.is_null()).first())
    if event is None:
        raise CrmError("care_not_found")
    if expected_version is not None and event.version != expected_version:
        raise CrmError(STALE, fields=history.changed_fields(ENTITY, event.id,
                                                            writes=max(event.version - expected_version, 1), columns=C.CARE_COLUMNS))
    return event


def _write(event: CareEvent, values: Mapping[str, Any]) -> None:
    count = (CareEvent.update(**values, version=CareEvent.version + 1, updated_at=utcnow())
             .where((CareEvent.id == event.id) & (CareEvent.version == event.version)).execute())
    if count != 1:
        raise CrmError(STALE, fields="")


def _changes(ids: Iterable[int], kind: str, customer_ids: Iterable[int]) -> list[Changes]:
    return [Changes(ENTITY, kind, tuple(ids)), Changes("customer", UPDATED, tuple(set(customer_ids)))]


# ---------------------------------------------------------------- acting on many

def _pending(event_ids: Sequence[int]) -> list[CareEvent]:
    rows: list[CareEvent] = []
    for start in range(0, len(event_ids), 500):
        chunk = list(event_ids[start:start + 500])
        rows += list(CareEvent.select().join(Customer).where(
            CareEvent.id.in_(chunk) & CareEvent.deleted_at.is_null() & Customer.deleted_at.is_null()
            & CareEvent.state.in_(C.PENDING)))
    return rows


def _act(event_ids: Sequence[int], values: Mapping[str, Any], entry_field: str, note: str,
         versions: Optional[Mapping[int, int]] = None) -> Done:
    """Write ``values`` to the pending events among ``event_ids`` in one transaction;
    ``versions`` (id → version read): an event changed since is refused, and nothing is written."""
    event_ids = list(dict.fromkeys(event_ids))
    with transaction():
        events = _pending(event_ids)
        if versions:
            for event in events:
                if event.id in versions and versions[event.id] != event.version:
                    raise CrmError(STALE, fields="")
        if len(event_ids) == 1 and not events:
            gone = not CareEvent.select().where((CareEvent.id == event_ids[0]) & CareEvent.deleted_at.is_null()).exists()
            raise CrmError("care_not_found" if gone else "care_not_pending")
        ids = [e.id for e in events]
        for start in range(0, len(ids), 500):
            (CareEvent.update(**values, version=CareEvent.version + 1, updated_at=utcnow())
             .where(CareEvent.id.in_(ids[start:start + 500])).execute())
        history.write([history.Entry(ENTITY, e.id, e.uuid, e.customer_id, UPDATED, entry_field, e.kind, note)
                       for e in events])
    return Done(ids, len(event_ids) - len(ids), _changes(ids, UPDATED, [e.customer_id for e in events]) if ids else [])


def mark_done(event_ids: Sequence[int], result: str = "", response: str = "", at: Optional[dt.datetime] = None,
              versions: Optional[Mapping[int, int]] = None, satisfaction: Optional[int] = None) -> Done:
    """Done, with what came of it and what the customer said (both may be blank); a survey
    may give the customer's satisfaction, 1 (very dissatisfied) to 5 (very satisfied),
    which the analytics' satisfaction trend counts beside the complaint closings."""
    result, response = str(result or "").strip(), str(response or "").strip()
    for key, text in (("result", result), ("response", response)):
        if len(text) > MAX_TEXT:
            raise ValidationError({key: FieldError("too_long", key, max=MAX_TEXT)})
    values: dict[str, Any] = {"state": C.DONE, "result": result, "response": response,
                              "done_at": (at or utcnow()).replace(microsecond=0), "snoozed_until": None}
    if satisfaction is not None:
        if isinstance(satisfaction, bool) or satisfaction not in range(1, 6):
            raise ValidationError({"satisfaction": FieldError("score_out_of_range", "satisfaction")})
        values["facts"] = SQL("json_set(CASE WHEN json_valid(facts) AND facts != '' THEN facts ELSE '{}' END, "
                              "'$.satisfaction', ?)", (satisfaction,))
    return _act(event_ids, values, C.DONE, result or response, versions)


def skip(event_ids: Sequence[int], reason: str, at: Optional[dt.datetime] = None,
         versions: Optional[Mapping[int, int]] = None) -> Done:
    """Skipped, with the reason why (required)."""
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationError({"result": FieldError("care_reason_required", "result")})
    if len(reason) > MAX_TEXT:
        raise ValidationError({"result": FieldError("too_long", "result", max=MAX_TEXT)})
    return _act(event_ids, {"state": C.SKIPPED, "result": reason, "done_at": (at or utcnow()).replace(microsecond=0),
                            "snoozed_until": None}, C.SKIPPED, reason, versions)


def snooze(event_ids: Sequence[int], until: dt.date, today: dt.date,
           versions: Optional[Mapping[int, int]] = None) -> Done:
    """Shown again on ``until``, a day after ``today`` and at most a year ahead."""
    if not isinstance(until, dt.date) or not today < until <= today + dt.timedelta(days=MAX_SNOOZE_DAYS):
        raise ValidationError({"snoozed_until": FieldError("care_snooze_invalid", "snoozed_until",
                                                           today=today.isoformat())})
    return _act(event_ids, {"state": C.SNOOZED, "snoozed_until": until}, C.SNOOZED, until.isoformat(), versions)


def reopen(event_ids: Sequence[int]) -> Done:
    """Back to due: a done or skipped event marked by mistake (its result is kept)."""
    event_ids = list(dict.fromkeys(event_ids))
    with transaction():
        events = [e for e in CareEvent.select().join(Customer).where(
            CareEvent.id.in_(event_ids) & CareEvent.deleted_at.is_null() & Customer.deleted_at.is_null()
            & CareEvent.state.in_((C.DONE, C.SKIPPED)))]
        ids = [e.id for e in events]
        if ids:
            (CareEvent.update(state=C.DUE, done_at=None, snoozed_until=None, version=CareEvent.version + 1,
                              updated_at=utcnow()).where(CareEvent.id.in_(ids)).execute())
            history.write([history.Entry(ENTITY, e.id, e.uuid, e.customer_id, UPDATED, "state", e.state, C.DUE)
                           for e in events])
    return Done(ids, len(event_ids) - len(ids), _changes(ids, UPDATED, [e.customer_id for e in events]) if ids else [])


def delete(event_ids: Sequence[int], when: Optional[dt.datetime] = None) -> list[Changes]:
    """Soft-delete (undoable: ``restore`` with the same moment)."""
    return _set_deleted(event_ids, when or utcnow(), DELETED)


def restore(event_ids: Sequence[int]) -> list[Changes]:
    return _set_deleted(event_ids, None, RESTORED)


def _set_deleted(event_ids: Sequence[int], when: Optional[dt.datetime], action: str) -> list[Changes]:
    with transaction():
        condition = CareEvent.deleted_at.is_null() if when else CareEvent.deleted_at.is_null(False)
        events = list(CareEvent.select().where(CareEvent.id.in_(list(event_ids)) & condition))
        if not events:
            return []
        (CareEvent.update(deleted_at=when, version=CareEvent.version + 1, updated_at=utcnow())
         .where(CareEvent.id.in_([e.id for e in events])).execute())
        history.write([history.Entry(ENTITY, e.id, e.uuid, e.customer_id, action, "", None,
                                     f"{e.kind} {e.due_on.isoformat()}") for e in events])
    return _changes([e.id for e in events], action, [e.customer_id for e in events])


# ---------------------------------------------------------------- when a contact changes

def withdraw_for_contacts(contact_ids: Sequence[int], when: dt.datetime) -> list[int]:
    """A contact deleted: the reminders still open for them go too (stamped ``when``);
    what was done for them stays in the history."""
    if not contact_ids:
        return []
    marks = ",".join("?" * len(contact_ids))
    events = list(CareEvent.select().where(CareEvent.contact.in_(list(contact_ids)) & CareEvent.deleted_at.is_null()
                                           & CareEvent.state.in_(C.PENDING)))
    if events:
        database.execute_sql(f"UPDATE care_event SET deleted_at = ?, version = version + 1, updated_at = ? "
                             f"WHERE contact_id IN ({marks}) AND deleted_at IS NULL AND state IN ('due', 'snoozed')",
                             [when, utcnow(), *contact_ids])
        history.write([history.Entry(ENTITY, e.id, e.uuid, e.customer_id, DELETED, "", None,
                                     f"{e.kind} {e.due_on.isoformat()}") for e in events])
    return [e.id for e in events]


def forget_birthdays(contact_id: int) -> None:
    """A contact's birthday corrected: the open birthday reminders the rules made from the
    old one go (they were never touched, or only snoozed), and the next run makes the new one."""
    database.execute_sql("DELETE FROM care_event WHERE contact_id = ? AND kind = ? AND state IN ('due', 'snoozed') "
                         "AND rule LIKE 'birthday:%'", (contact_id, C.BIRTHDAY))
