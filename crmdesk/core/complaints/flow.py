"""The way through a complaint, as the course teaches it: listen and let the customer
explain (acknowledge), establish the facts (investigate), offer a solution (propose),
resolve it with the customer's agreement, and follow up (close with a survey, which
creates the follow-up care event and feeds the customer's satisfaction). A rejected
solution goes back to the investigation; a resolved or closed complaint can be reopened.
While the desk waits for the customer the deadline clock stops.

Each step refuses what the previous ones left undone (``checklist``), and every step is
one transaction that checks the version the user was looking at."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping, Optional

from peewee import fn

from crmdesk.core.complaints import fields as K
from crmdesk.core.changes import CREATED, DELETED, RESTORED, UPDATED, Changes
from crmdesk.core.db import transaction
from crmdesk.core.errors import CrmError, FieldError, ValidationError
from crmdesk.core.io import normalize
from crmdesk.core.models import CareEvent, Complaint, ComplaintContact, utcnow
from crmdesk.core.complaints import settings as complaint_settings, complaints
from crmdesk.core import history
from crmdesk.core.complaints.aftercare import CARE_ENTITY, FOLLOW_UP_KIND, PENDING, follow_ups_with, refresh_satisfaction
from crmdesk.core.complaints.complaints import Written

BAD_TRANSITION = "complaint_bad_transition"
NOTE_LIMIT = 5000
CARE_CHANNELS = ("phone", "wechat", "email", "visit")


@dataclass(frozen=True)
class Item:
    """One point of a step's checklist."""
    state: str  # the step it belongs to
    key: str  # words, contact, first_response, facts, root_cause, solution, compensation, ...
    done: bool
    required: bool


def checklist(complaint: Complaint, follow_up: Optional[bool] = None) -> list[Item]:
    if follow_up is None:
        follow_up = complaint.id is not None and CareEvent.select().where(
            (CareEvent.complaint == complaint.id) & CareEvent.deleted_at.is_null()).exists()
    done = {
        "words": bool(complaint.words), "contact": bool(complaint.contact or complaint.contact_phone),
        "first_response": complaint.first_response_at is not None,
        "facts": bool(complaint.facts), "root_cause": bool(complaint.root_cause),
        "solution": bool(complaint.solution), "compensation": bool(complaint.compensation_kind),
        "accepted": complaint.accepted is True,
        "satisfaction": complaint.satisfaction is not None, "follow_up": bool(follow_up),
    }
    return [Item(state, key, done[key], required) for state in K.STATE_KEYS for key, required in K.CHECKLIST[state]]


def actions(complaint: Complaint) -> list[str]:
    """What can be done to it now: acknowledge, investigate, propose, reject, resolve,
    close, reopen, wait, resume (contacts can always be logged)."""
    state = complaint.state
    found = {K.NEW: ["acknowledge"], K.ACKNOWLEDGED: ["investigate"], K.INVESTIGATING: ["propose"],
             K.PROPOSED: ["resolve", "reject"], K.RESOLVED: ["close", "reopen"], K.CLOSED: ["reopen"]}[state]
    if state in K.WAITABLE:
        found.append("resume" if complaint.waiting_since is not None else "wait")
    return found


# ---------------------------------------------------------------- checks

def _moment(at: Any, complaint: Complaint, key: str, before_code: str, step: bool = True) -> dt.datetime:
    """When a step (or a contact) happened: not before the complaint came in, not in the
    future, and for a step not before the step before it (a contact may be logged late)."""
    moment = complaints.parse_moment(at, key) if at is not None else complaints.now()
    if moment < complaint.received_at:
        raise ValidationError({key: FieldError(before_code, key)})
    if moment > complaints.now() + complaints.FUTURE_SLACK:
        raise ValidationError({key: FieldError("complaint_time_in_future", key)})
    if step:
        _after_last_step(complaint, moment, key)
    return moment


def _after_last_step(complaint: Complaint, moment: dt.datetime, key: str) -> None:
    last = (ComplaintContact.select(fn.MAX(ComplaintContact.at))
            .where((ComplaintContact.complaint == complaint.id) & (ComplaintContact.step != "")
                   & ComplaintContact.deleted_at.is_null()).scalar())
    if last is not None and moment < last:
        raise ValidationError({key: FieldError("complaint_time_before_last_step", key, at=f"{last:%Y-%m-%d %H:%M}")})


def _move(complaint: Complaint, to: str) -> None:
    if to not in K.TRANSITIONS.get(complaint.state, ()):
        raise CrmError(BAD_TRANSITION, number=complaint.number, state=complaint.state, to=to)


def _note(value: Any) -> str:
    text = complaints.long_text(value)
    if len(text) > NOTE_LIMIT:
        raise ValidationError({"note": FieldError("too_long", "note", max=NOTE_LIMIT)})
    return text


def _contact(complaint: Complaint, at: dt.datetime, note: str, step: str = "",
             channel: Optional[str] = None, by: Optional[str] = None) -> None:
    ComplaintContact.create(complaint=complaint.id, at=at, note=note, step=step,
                            channel=channel if channel in K.CHANNEL_KEYS else complaint.channel,
                            by=by or history.actor())


def _resume_values(complaint: Complaint, at: dt.datetime, settings) -> dict[str, Any]:
    """Values that restart a stopped clock at ``at``: the wait is added to the pauses."""
    if complaint.waiting_since is None:
        return {}
    paused = complaint.paused_minutes + max(0, settings.calendar().minutes_between(complaint.waiting_since, at))
    return {"waiting_since": None, "paused_minutes": paused,
            **complaints.deadlines(complaint.severity, complaint.received_at, paused, settings)}


def _step(complaint: Complaint, to: str, values: Mapping[str, Any], at: dt.datetime, note: str,
          channel: Optional[str] = None) -> Written:
    changed = complaints.write(complaint, {"state": to, **values})
    _contact(complaint, at, note, to, channel)
    complaints.log(complaint, UPDATED, [c for c in changed if not c[0].endswith(("_due_at", "_warn_at"))])
    return Written(complaint.id, complaints.changes([complaint.id], UPDATED, [complaint.customer_id]))


# ---------------------------------------------------------------- the steps

def acknowledge(complaint_id: int, note: str = "", channel: Optional[str] = None, at: Any = None,
                expected_version: Optional[int] = None) -> Written:
    """The first response: the customer has been heard and told someone is on it."""
    with transaction():
        complaint = complaints.editable(complaint_id, expected_version)
        _move(complaint, K.ACKNOWLEDGED)
        if not complaint.words:
            raise CrmError("complaint_needs_words")
        moment = _moment(at, complaint, "first_response_at", "complaint_response_before_received")
        calendar = complaint_settings.load().calendar()
        values = {"first_response_at": moment,
                  "response_minutes": max(0, calendar.minutes_between(complaint.received_at, moment))}
        return _step(complaint, K.ACKNOWLEDGED, values, moment, _note(note), channel)


def investigate(complaint_id: int, note: str = "", at: Any = None, expected_version: Optional[int] = None) -> Written:
    with transaction():
        complaint = complaints.editable(complaint_id, expected_version)
        if complaint.state != K.ACKNOWLEDGED:
            raise CrmError(BAD_TRANSITION, number=complaint.number, state=complaint.state, to=K.INVESTIGATING)
        moment = _moment(at, complaint, "at", "complaint_time_before_received")
        # the desk takes it up again: a clock stopped for the customer runs again, as after
        # every other step forward
        values = _resume_values(complaint, moment, complaint_settings.load())
        return _step(complaint, K.INVESTIGATING, values, moment, _note(note))


def propose(complaint_id: int, raw: Mapping[str, Any], note: str = "", at: Any = None,
            expected_version: Optional[int] = None) -> Written:
    """The facts established, the root cause, and the solution offered (with any
    compensation) go to the customer."""
    with transaction():
        complaint = complaints.editable(complaint_id, expected_version)
        _move(complaint, K.PROPOSED)
        keys = ("facts", "root_cause", "solution", "compensation_kind", "compensation_amount")
        clean = complaints.validate({k: raw[k] for k in keys if k in raw}, partial=True)
        facts, solution = clean.get("facts", complaint.facts), clean.get("solution", complaint.solution)
        errors = {}
        if not facts:
            errors["facts"] = FieldError("complaint_needs_facts", "facts")
        if not solution:
            errors["solution"] = FieldError("complaint_needs_solution", "solution")
        if errors:
            raise ValidationError(errors)
        moment = _moment(at, complaint, "at", "complaint_time_before_received")
        settings = complaint_settings.load()
        values = {**clean, "accepted": None, **_resume_values(complaint, moment, settings)}
        return _step(complaint, K.PROPOSED, values, moment, _note(note))


def reject(complaint_id: int, note: str = "", at: Any = None, expected_version: Optional[int] = None) -> Written:
    """The customer did not accept the solution: back to the investigation."""
    with transaction():
        complaint = complaints.editable(complaint_id, expected_version)
        if complaint.state != K.PROPOSED:
            raise CrmError(BAD_TRANSITION, number=complaint.number, state=complaint.state, to=K.INVESTIGATING)
        moment = _moment(at, complaint, "at", "complaint_time_before_received")
        values = {"accepted": False, **_resume_values(complaint, moment, complaint_settings.load())}
        return _step(complaint, K.INVESTIGATING, values, moment, _note(note))


def resolve(complaint_id: int, note: str = "", at: Any = None, expected_version: Optional[int] = None) -> Written:
    """The customer accepted the solution and it has been carried out."""
    with transaction():
        complaint = complaints.editable(complaint_id, expected_version)
        _move(complaint, K.RESOLVED)
        if not complaint.solution:
            raise CrmError("complaint_no_solution", number=complaint.number)
        moment = _moment(at, complaint, "resolved_at", "complaint_resolved_before_received")
        settings = complaint_settings.load()
        values = {"accepted": True, "resolved_at": moment, **_resume_values(complaint, moment, settings)}
        paused = values.get("paused_minutes", complaint.paused_minutes)
        taken = settings.calendar().minutes_between(complaint.received_at, moment) - paused
        values["resolution_minutes"] = max(0, taken)
        return _step(complaint, K.RESOLVED, values, moment, _note(note))


def close(complaint_id: int, satisfaction: Any, survey_note: str = "", follow_up_days: Optional[int] = None,
          at: Any = None, expected_version: Optional[int] = None) -> Written:
    """Close with the customer's satisfaction (a level on the scale in the settings):
    a follow-up care event falls due ``follow_up_days`` later (the setting's by default),
    and the satisfaction feeds the customer's evaluation."""
    with transaction():
        complaint = complaints.editable(complaint_id, expected_version)
        _move(complaint, K.CLOSED)
        if not complaint.solution:
            raise CrmError("complaint_no_solution", number=complaint.number)
        settings = complaint_settings.load()
        scale = settings.options.satisfaction_scale
        try:
            level = normalize.integer(satisfaction, 1, scale)
        except FieldError as error:
            raise ValidationError({"satisfaction": FieldError(error.code, "satisfaction", **{
                k: v for k, v in error.params.items() if k != "key"})}) from None
        if level is None:
            raise ValidationError({"satisfaction": FieldError("complaint_needs_satisfaction", "satisfaction")})
        high = complaint_settings.MAX_FOLLOW_UP_DAYS
        try:
            days = (settings.options.follow_up_days if follow_up_days in (None, "")
                    else normalize.integer(follow_up_days, 0, high))
        except FieldError:
            raise ValidationError({"follow_up_days": FieldError(
                "number_out_of_range", "follow_up_days", low=0, high=high)}) from None
        moment = _moment(at, complaint, "closed_at", "complaint_time_before_received", step=False)
        if complaint.resolved_at and moment < complaint.resolved_at:
            raise ValidationError({"closed_at": FieldError("complaint_closed_before_resolved", "closed_at")})
        _after_last_step(complaint, moment, "closed_at")
        note = _note(survey_note)
        values = {"closed_at": moment, "satisfaction": level, "satisfaction_scale": scale, "survey_note": note}
        written = _step(complaint, K.CLOSED, values, moment, note)
        care_id, kind = _follow_up(complaint, moment.date() + dt.timedelta(days=days))
        refresh_satisfaction(complaint.customer_id)
    written.care_event_id = care_id
    written.changes.append(Changes(CARE_ENTITY, kind, (care_id,)))
    return written


def reopen(complaint_id: int, reason: str = "", at: Any = None, expected_version: Optional[int] = None) -> Written:
    """The problem is back: investigate again. The time it stood resolved does not count
    against the deadline; the survey and the pending follow-up are withdrawn."""
    with transaction():
        complaint = complaints.editable(complaint_id, expected_version)
        _move(complaint, K.INVESTIGATING)
        if complaint.state not in (K.RESOLVED, K.CLOSED):
            raise CrmError(BAD_TRANSITION, number=complaint.number, state=complaint.state, to=K.INVESTIGATING)
        moment = _moment(at, complaint, "at", "complaint_time_before_received")
        settings = complaint_settings.load()
        paused = complaint.paused_minutes + max(0, settings.calendar().minutes_between(
            complaint.resolved_at or moment, moment))
        values = {"accepted": None, "resolved_at": None, "closed_at": None, "resolution_minutes": None,
                  "satisfaction": None, "satisfaction_scale": None, "survey_note": "",
                  "reopened": complaint.reopened + 1,
                  "paused_minutes": paused,
                  **complaints.deadlines(complaint.severity, complaint.received_at, paused, settings)}
        written = _step(complaint, K.INVESTIGATING, values, moment, _note(reason))
        withdrawn = follow_ups_with(complaint, utcnow())
        if withdrawn:
            written.changes.append(Changes(CARE_ENTITY, DELETED, tuple(withdrawn)))
        refresh_satisfaction(complaint.customer_id)
    return written


def wait(complaint_id: int, note: str = "", at: Any = None, expected_version: Optional[int] = None) -> Written:
    """Stop the clock: the desk is waiting for the customer (documents, a visit, an answer)."""
    with transaction():
        complaint = complaints.editable(complaint_id, expected_version)
        if complaint.state not in K.WAITABLE or complaint.waiting_since is not None:
            raise CrmError("complaint_cannot_wait", number=complaint.number)
        moment = _moment(at, complaint, "at", "complaint_time_before_received", step=False)
        # not before the latest step (a resume among them): a pause counted twice would
        # push the deadlines further than the customer kept the desk waiting
        latest = (ComplaintContact.select(ComplaintContact.at)
                  .where((ComplaintContact.complaint == complaint.id) & (ComplaintContact.step != "")
                         & ComplaintContact.deleted_at.is_null())
                  .order_by(ComplaintContact.at.desc()).first())
        if latest is not None and moment < latest.at:
            moment = latest.at
        return _step(complaint, complaint.state, {"waiting_since": moment}, moment, _note(note))


def resume(complaint_id: int, note: str = "", at: Any = None, expected_version: Optional[int] = None) -> Written:
    """The customer answered: the clock runs again, the deadlines later by the wait."""
    with transaction():
        complaint = complaints.editable(complaint_id, expected_version)
        if complaint.waiting_since is None:
            raise CrmError("complaint_not_waiting", number=complaint.number)
        moment = _moment(at, complaint, "at", "complaint_time_before_received", step=False)
        if moment < complaint.waiting_since:
            moment = complaint.waiting_since
        values = _resume_values(complaint, moment, complaint_settings.load())
        return _step(complaint, complaint.state, values, moment, _note(note))


def add_contact(complaint_id: int, raw: Mapping[str, Any], expected_version: Optional[int] = None) -> Written:
    """Log a contact with the customer about the complaint (a call, a visit, a message)."""
    with transaction():
        complaint = complaints.editable(complaint_id, expected_version)
        moment = _moment(raw.get("at"), complaint, "at", "complaint_time_before_received", step=False)
        note = _note(raw.get("note"))
        if not note:
            raise ValidationError({"note": FieldError("required", "note")})
        channel = raw.get("channel") or complaint.channel
        if channel not in K.CHANNEL_KEYS:
            raise ValidationError({"channel": FieldError("enum_invalid", "channel", choices=", ".join(K.CHANNEL_KEYS))})
        by = normalize.text(raw.get("by"), collapse=True) or history.actor()
        if len(by) > 100:
            raise ValidationError({"by": FieldError("too_long", "by", max=100)})
        _contact(complaint, moment, note, "", channel, by)
        complaints.log(complaint, UPDATED, summary=f"contact {moment:%Y-%m-%d %H:%M}")
    return Written(complaint.id, complaints.changes([complaint.id], UPDATED, [complaint.customer_id]))


# ---------------------------------------------------------------- after closing

def _follow_up(complaint: Complaint, due: dt.date) -> tuple[int, str]:
    """The follow-up care event of a closed complaint, and whether it was created,
    restored or updated: closing again after a reopen moves the pending one (withdrawn by
    the reopen) rather than adding a second; a follow-up already done or skipped is kept
    as it is, and the new closing gets a new one."""
    pending = (CareEvent.select().where((CareEvent.complaint == complaint.id) & (CareEvent.kind == FOLLOW_UP_KIND)
                                        & CareEvent.state.in_(PENDING))
               .order_by(CareEvent.deleted_at.is_null(False), CareEvent.id.desc()).first())
    if pending is not None:
        (CareEvent.update(due_on=due, state="due", snoozed_until=None, deleted_at=None,
                          version=CareEvent.version + 1, updated_at=utcnow())
         .where(CareEvent.id == pending.id).execute())
        kind = RESTORED if pending.deleted_at is not None else UPDATED
        history.write([history.Entry(CARE_ENTITY, pending.id, pending.uuid, complaint.customer_id, kind, "due_on",
                                     history.as_text(pending.due_on), history.as_text(due))])
        return pending.id, kind
    rule = f"complaint:{complaint.uuid}"  # its uuid: the same on every laptop of a team
    earlier = CareEvent.select().where((CareEvent.rule == rule) | CareEvent.rule.startswith(rule + ":")).count()
    if earlier:
        rule = f"{rule}:{earlier + 1}"
    channel = complaint.channel if complaint.channel in CARE_CHANNELS else "phone"
    event = CareEvent.create(customer=complaint.customer_id, kind=FOLLOW_UP_KIND, due_on=due, channel=channel,
                             title=complaint.number, message=complaint.solution[:500], complaint=complaint.id,
                             rule=rule)
    history.write([history.Entry(CARE_ENTITY, event.id, event.uuid, complaint.customer_id, CREATED, "",
                                 None, f"{FOLLOW_UP_KIND} {due.isoformat()} {complaint.number}")])
    return event.id, CREATED


