"""Visits: plan one, reschedule it, record what came of it (or postpone, cancel, mark it
missed), and plan the next. Every write is one transaction, checks the version the user
was editing (two windows can't both win), keeps the change log, and keeps the customer's
last and next visit up to date for the due list.

Times are local wall-clock times, minutes precision, without a time zone: a visit at 9:00
in Shanghai stays at 9:00.

The checks, the reading, planning, deleting and restoring are ``records``' (which the
repeating ``series`` stand on too); this module's callers read them here, as one API."""
from __future__ import annotations

import datetime as dt
from typing import Any, Mapping, Optional

from crmdesk.core.visits import fields as V
from crmdesk.core.changes import CREATED, UPDATED, Changes
from crmdesk.core.db import transaction
from crmdesk.core.errors import CrmError, FieldError, ValidationError
from crmdesk.core.models import Visit, utcnow
from crmdesk.core.customers import archive as customers
from crmdesk.core import history
from crmdesk.core.visits import series as visit_series
from crmdesk.core.visits.records import (ENTITY, MAX_DAYS, NOT_FOUND, PLAN_TEXTS, RECORD_TEXTS, STALE, Written,
                                         changes_of, clashes, create, default_place, delete, for_customer, get,
                                         log_change, long_text, now, objections, parse_datetime, refresh_customers,
                                         reps, restore, shown_state, validate_plan, validate_record)

__all__ = [  # the visits' API: this module's own and, read through it, those of ``records``
    "BAD_TRANSITION", "ENTITY", "MAX_DAYS", "NEXT_STAGE", "NOT_FOUND", "PLAN_TEXTS", "RECORD_TEXTS", "STALE",
    "Written", "cancel", "clashes", "create", "default_place", "delete", "for_customer", "get", "log_visit",
    "mark_missed", "next_stage", "now", "objections", "parse_datetime", "postpone", "record", "refresh_customers",
    "reps", "reschedule", "restore", "shown_state", "update_plan", "validate_plan", "validate_record"]

BAD_TRANSITION = "visit_bad_transition"
NEXT_STAGE = {"prospect": "developing", "developing": "mature"}




def _editable(visit_id: int, expected_version: Optional[int]) -> Visit:
    visit = get(visit_id)
    if expected_version is not None and visit.version != expected_version:
        raise CrmError(STALE, name=visit.customer.name, fields=history.changed_fields(
            ENTITY, visit.id, writes=max(visit.version - expected_version, 1), columns=V.VISIT_COLUMNS))
    return visit


def _write(visit: Visit, values: Mapping[str, Any]) -> list[tuple[str, Any, Any]]:
    changed = [(k, getattr(visit, k), v) for k, v in values.items() if getattr(visit, k) != v]
    if changed:
        count = (Visit.update(**values, version=Visit.version + 1, updated_at=utcnow())
                 .where((Visit.id == visit.id) & (Visit.version == visit.version)).execute())
        if count != 1:  # another program wrote it between our read and this write
            raise CrmError(STALE, name=visit.customer.name, fields="")
        for key, value in values.items():
            setattr(visit, key, value)
        visit.version += 1
    return changed


def update_plan(visit_id: int, raw: Mapping[str, Any], expected_version: Optional[int] = None) -> Written:
    """Change a planned visit's plan (the keys present in ``raw``)."""
    with transaction():
        visit = _editable(visit_id, expected_version)
        if visit.state != V.PLANNED:
            raise CrmError(BAD_TRANSITION, state=visit.state, to="planned")
        clean = validate_plan({"starts_at": visit.starts_at, "ends_at": visit.ends_at, **raw}, partial=True)
        changed = _write(visit, clean)
        if changed:
            refresh_customers([visit.customer_id])
            log_change(visit, UPDATED, changed)
    return Written(visit.id, changes_of([visit.id], UPDATED, [visit.customer_id]) if changed else [])


def reschedule(visit_id: int, starts_at: dt.datetime, ends_at: Optional[dt.datetime] = None,
               expected_version: Optional[int] = None) -> Written:
    """Move a planned visit; without an end it keeps its length (a drag in the calendar)."""
    with transaction():
        visit = _editable(visit_id, expected_version)
        if ends_at is None:
            ends_at = parse_datetime(starts_at, "starts_at") + (visit.ends_at - visit.starts_at)
        return update_plan(visit_id, {"starts_at": starts_at, "ends_at": ends_at}, visit.version)


def _transition(visit: Visit, to: str) -> None:
    if to not in V.TRANSITIONS.get(visit.state, ()):
        raise CrmError(BAD_TRANSITION, state=visit.state, to=to)


def record(visit_id: int, raw: Mapping[str, Any], expected_version: Optional[int] = None,
           next_plan: Optional[Mapping[str, Any]] = None, stage: Optional[str] = None,
           at: Optional[dt.datetime] = None) -> Written:
    """Record a visit as done: what happened, objections and answers, a rating, the
    follow-up; optionally plan the next visit (``next_plan``: the plan's fields, the rest
    copied from this visit) and move the customer to lifecycle ``stage``."""
    with transaction():
        visit = _editable(visit_id, expected_version)
        _transition(visit, V.DONE)
        clean = validate_record(raw)
        if "starts_at" in raw or "ends_at" in raw:  # when it really happened
            clean.update(validate_plan({"starts_at": visit.starts_at, "ends_at": visit.ends_at,
                                        **{k: raw[k] for k in ("starts_at", "ends_at") if k in raw}},
                                       partial=True))
        first_record = visit.state != V.DONE
        clean.update(state=V.DONE)
        if first_record:
            clean["recorded_at"] = at or now()
        changed = _write(visit, clean)
        written = Written(visit.id, changes_of([visit.id], UPDATED, [visit.customer_id]))
        if next_plan is not None:
            written.next_visit_id = _plan_next(visit, next_plan)
            written.changes.append(Changes(ENTITY, CREATED, (written.next_visit_id,)))
        if stage:
            _move_stage(visit.customer_id, stage)
        refresh_customers([visit.customer_id])
        log_change(visit, UPDATED, changed)
        if visit.series_id and first_record:
            written.changes += visit_series.top_up(visit.series_id)
    return written


def _plan_next(visit: Visit, plan: Mapping[str, Any]) -> int:
    copied = {k: getattr(visit, k) for k in ("rep", "contacts", "place")}
    copied["kind"] = visit.kind
    copied.update({k: v for k, v in plan.items() if v not in (None, "") or k in ("objective",)})
    if "ends_at" not in plan and "starts_at" in plan:
        copied["ends_at"] = parse_datetime(plan["starts_at"], "starts_at") + (visit.ends_at - visit.starts_at)
    new_id = create({"customer_id": visit.customer_id, **copied}).visit_id
    _write(visit, {"next_visit": new_id})
    return new_id


def _move_stage(customer_id: int, stage: str) -> None:
    from crmdesk.core.customers import fields as F
    if F.BY_KEY["stage"].choice(stage) is None:
        raise ValidationError({"stage": FieldError("enum_invalid", "stage",
                                                   choices=", ".join(c.key for c in F.STAGE))})
    customer = customers.get(customer_id)
    customers.apply(customer, {"stage": stage})


def _close(visit_id: int, to: str, reason: str, expected_version: Optional[int]) -> tuple[Visit, Written]:
    visit = _editable(visit_id, expected_version)
    _transition(visit, to)
    reason = long_text(reason)
    if len(reason) > 5000:
        raise ValidationError({"reason": FieldError("too_long", "reason", max=5000)})
    changed = _write(visit, {"state": to, "reason": reason, "recorded_at": now()})
    log_change(visit, UPDATED, changed)
    return visit, Written(visit.id, changes_of([visit.id], UPDATED, [visit.customer_id]))


def postpone(visit_id: int, starts_at: Any, reason: str = "", ends_at: Any = None,
             expected_version: Optional[int] = None) -> Written:
    """The visit won't happen as planned: it is kept as postponed (with the reason) and a
    new planned visit, a copy of the plan, takes the new time."""
    with transaction():
        visit, written = _close(visit_id, V.POSTPONED, reason, expected_version)
        plan = {k: getattr(visit, k) for k in ("objective", "talking_points", "materials", "expected_result")}
        plan["starts_at"] = starts_at
        if ends_at is not None:
            plan["ends_at"] = ends_at
        written.next_visit_id = _plan_next(visit, plan)
        written.changes.append(Changes(ENTITY, CREATED, (written.next_visit_id,)))
        refresh_customers([visit.customer_id])
    return written


def cancel(visit_id: int, reason: str = "", expected_version: Optional[int] = None) -> Written:
    with transaction():
        visit, written = _close(visit_id, V.CANCELLED, reason, expected_version)
        refresh_customers([visit.customer_id])
        if visit.series_id:
            written.changes += visit_series.top_up(visit.series_id)
    return written


def mark_missed(visit_id: int, reason: str = "", expected_version: Optional[int] = None) -> Written:
    with transaction():
        visit, written = _close(visit_id, V.MISSED, reason, expected_version)
        refresh_customers([visit.customer_id])
        if visit.series_id:
            written.changes += visit_series.top_up(visit.series_id)
    return written


def log_visit(plan: Mapping[str, Any], result: Mapping[str, Any], stage: Optional[str] = None,
              next_plan: Optional[Mapping[str, Any]] = None) -> Written:
    """A visit that was never planned (a walk-in, a visit on the way): plan and record it
    in one go."""
    with transaction():
        written = create(plan)
        recorded = record(written.visit_id, result, next_plan=next_plan, stage=stage)
    recorded.changes = written.changes + recorded.changes
    return recorded


def next_stage(stage: Optional[str]) -> Optional[str]:
    """The lifecycle stage a good visit may move the customer to (prospect → developing →
    mature), or None."""
    return NEXT_STAGE.get(stage or "prospect")
