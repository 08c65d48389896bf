"""Opportunities (商机): create, edit, delete and restore a deal; move it between the stages
of the pipeline (an undoable step: a drag on the board), win it, lose it (with a reason),
reopen it. Every write is one transaction, checks the version the user was looking at
(a drag of a deal changed elsewhere meanwhile is refused), keeps the change log (the
customer's timeline shows it) and returns the Changes to broadcast.

Each stay in a stage is a ``StageChange`` row (entered, left); ``stage_since`` is when the
deal entered its current stage, for the days in stage and the stalled mark."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Optional, Sequence

from crmdesk.core.customers import fields as F
from crmdesk.core.changes import CREATED, DELETED, RESTORED, UPDATED, Changes
from crmdesk.core.db import transaction
from crmdesk.core.errors import CrmError, FieldError, ValidationError
from crmdesk.core.io import normalize
from crmdesk.core.models import Batch, Customer, Opportunity, StageChange, utcnow
from crmdesk.core.sales import series_deals
from crmdesk.core.sales import stages as S
from crmdesk.core.sales.fields import LOST_REASONS
from crmdesk.core.customers import archive as customers
from crmdesk.core import history

ENTITY = "opportunity"
NOT_FOUND = "opportunity_not_found"
STALE = "record_changed_elsewhere"
STAGE_UNKNOWN = "opportunity_stage_unknown"
REASON_REQUIRED = "opportunity_lost_reason_required"
NOT_CLOSED = "opportunity_not_closed"
TEXTS = {"title": 200, "contacts": 500, "competitors": 300, "owner": 100, "next_step": 5000, "notes": 20000,
         "lost_note": 5000}
SHORT = ("title", "contacts", "competitors", "owner")
DATES = ("expected_close", "next_step_on", "closed_on")
NEXT_LIFECYCLE = {"prospect": "developing"}  # a won deal offers to move a prospect on


@dataclass
class Written:
    """What a write did: the opportunity, the changes to broadcast, and (after a win) the
    lifecycle stage its customer may move to, for the UI to offer."""
    opportunity_id: int
    changes: list[Changes] = field(default_factory=list)
    offer_stage: Optional[str] = None


@dataclass(frozen=True)
class Moved:
    """A stage change, with what its undo puts back."""
    opportunity_id: int
    version: int  # the version the move left: an undo after another write is refused
    stage: str
    probability: int
    stage_since: dt.datetime
    closed_on: Optional[dt.date]
    lost_reason: Optional[str]
    lost_note: str
    left_row: Optional[int]  # the StageChange the move closed
    entered_row: int  # the one it opened
    changes: tuple[Changes, ...] = ()
    offer_stage: Optional[str] = None
    released: tuple[int, ...] = ()  # series visits no longer for the deal once closed (series_deals)


# ---------------------------------------------------------------- values

def _text(key: str, value: Any) -> str:
    if key in SHORT:
        return normalize.text(value, collapse=True)
    return "" if value is None else str(value).replace("\r\n", "\n").strip()


def validate(raw: Mapping[str, Any], partial: bool = False,
             stage_list: Optional[Sequence[S.Stage]] = None) -> dict[str, Any]:
    """The fields of ``raw``, checked (``partial``: only the keys present). A missing
    probability is the stage's default."""
    known = S.by_key(stage_list)
    clean: dict[str, Any] = {}
    errors: dict[str, FieldError] = {}
    for key, limit in TEXTS.items():
        if key in raw:
            clean[key] = _text(key, raw[key])
            if len(clean[key]) > limit:
                errors[key] = FieldError("too_long", key, max=limit)
    if (not partial or "title" in raw) and not clean.get("title"):
        errors["title"] = FieldError("required", "title")
    if "amount" in raw:
        try:
            clean["amount"] = normalize.money(raw["amount"], minimum=Decimal(0))
        except FieldError as error:
            errors["amount"] = FieldError(error.code, "amount", **{k: v for k, v in error.params.items() if k != "key"})
    for key in DATES:
        if key in raw:
            try:
                clean[key] = normalize.date(raw[key])
            except FieldError:
                errors[key] = FieldError("date_invalid", key)
    if raw.get("lost_reason") not in (None, ""):
        if raw["lost_reason"] not in LOST_REASONS:
            errors["lost_reason"] = FieldError("enum_invalid", "lost_reason", choices=", ".join(LOST_REASONS))
        clean["lost_reason"] = raw["lost_reason"]
    if "source" in raw:
        source = raw["source"] or ""
        if source and F.BY_KEY["source"].choice(source) is None:
            errors["source"] = FieldError("enum_invalid", "source", choices=", ".join(c.key for c in F.SOURCE))
        clean["source"] = source
    if not partial or "stage" in raw:
        stage = raw.get("stage") or next(iter(S.open_stages(stage_list))).key
        if stage not in known:
            raise CrmError(STAGE_UNKNOWN, stage=stage, known=", ".join(known))
        clean["stage"] = stage
    if raw.get("probability") not in (None, ""):
        try:
            clean["probability"] = normalize.integer(raw["probability"], 0, 100)
        except FieldError as error:
            errors["probability"] = FieldError(error.code, "probability", low=0, high=100)
    elif "stage" in clean:
        clean["probability"] = known[clean["stage"]].probability
    if errors:
        raise ValidationError(errors)
    return clean


def lost_stage(stage_list: Optional[Sequence[S.Stage]] = None) -> S.Stage:
    return next(s for s in (stage_list or S.load()) if s.kind == S.LOST)


def won_stage(stage_list: Optional[Sequence[S.Stage]] = None) -> S.Stage:
    return next(s for s in (stage_list or S.load()) if s.kind == S.WON)


# ---------------------------------------------------------------- reading

def get(opportunity_id: int) -> Opportunity:
    row = (Opportunity.select(Opportunity, Customer).join(Customer)
           .where((Opportunity.id == opportunity_id) & Opportunity.deleted_at.is_null()
                  & Customer.deleted_at.is_null()).first())
    if row is None:
        raise CrmError(NOT_FOUND, id=opportunity_id)
    return row


def for_customer(customer_id: int, open_only: bool = False) -> list[Opportunity]:
    """The customer's live opportunities, the latest first; ``open_only``: not won or lost."""
    query = Opportunity.select().where((Opportunity.customer == customer_id) & Opportunity.deleted_at.is_null())
    if open_only:
        query = query.where(Opportunity.stage.in_([s.key for s in S.open_stages()]))
    return list(query.order_by(Opportunity.created_at.desc(), Opportunity.id.desc()))


def title_of(opportunity_id: Any) -> str:
    """A deal's title for the timeline (a link logged by id), deleted or not; "" when unknown."""
    try:
        row = Opportunity.get_or_none(Opportunity.id == int(opportunity_id))
    except (TypeError, ValueError):
        return ""
    return row.title if row is not None else ""


def history_of(opportunity_id: int) -> list[StageChange]:
    return list(StageChange.select().where(StageChange.opportunity == opportunity_id)
                .order_by(StageChange.entered_at, StageChange.id))


def offer_for(customer: Customer) -> Optional[str]:
    """The lifecycle stage a won deal offers its customer: a prospect moves on."""
    return NEXT_LIFECYCLE.get(customer.stage or "prospect")


# ---------------------------------------------------------------- writing

def _log(row: Opportunity, action: str, changed: Iterable[tuple[str, Any, Any]] = (),
         summary: Optional[str] = None, batch: Optional[Batch] = None) -> None:
    entries = [history.Entry(ENTITY, row.id, row.uuid, row.customer_id, action, key,
                             history.as_text(old), history.as_text(new)) for key, old, new in changed]
    if summary is not None:
        entries.append(history.Entry(ENTITY, row.id, row.uuid, row.customer_id, action, "", None, summary))
    history.write(entries, batch)


def _changes(ids: Iterable[int], kind: str, customer_ids: Iterable[int]) -> list[Changes]:
    return [Changes(ENTITY, kind, tuple(ids)), Changes("customer", UPDATED, tuple(sorted(set(customer_ids))))]


def _editable(opportunity_id: int, expected_version: Optional[int]) -> Opportunity:
    row = get(opportunity_id)
    if expected_version is not None and row.version != expected_version:
        raise CrmError(STALE, name=row.title, fields=history.changed_fields(
            ENTITY, row.id, writes=max(row.version - expected_version, 1)))
    return row


def _write(row: Opportunity, values: Mapping[str, Any]) -> list[tuple[str, Any, Any]]:
    changed = [(k, getattr(row, k), v) for k, v in values.items() if getattr(row, k) != v]
    if changed:
        count = (Opportunity.update(**values, version=Opportunity.version + 1, updated_at=utcnow())
                 .where((Opportunity.id == row.id) & (Opportunity.version == row.version)).execute())
        if count != 1:  # another program wrote it between our read and this write
            raise CrmError(STALE, name=row.title, fields="")
        for key, value in values.items():
            setattr(row, key, value)
        row.version += 1
    return changed


def _enter(row: Opportunity, stage: str, at: dt.datetime) -> tuple[Optional[int], int]:
    """Close the open stay and open one in ``stage``: (closed row id, new row id)."""
    open_row = (StageChange.select().where((StageChange.opportunity == row.id) & StageChange.left_at.is_null())
                .order_by(StageChange.id.desc()).first())
    if open_row is not None:
        StageChange.update(left_at=at).where(StageChange.id == open_row.id).execute()
    entered = StageChange.create(opportunity=row.id, stage=stage, entered_at=at)
    return (open_row.id if open_row else None), entered.id


def create(raw: Mapping[str, Any], now: Optional[dt.datetime] = None, batch: Optional[Batch] = None) -> Written:
    """A new opportunity for ``raw["customer_id"]`` (a deleted customer is refused); the
    owner defaults to the customer's owner."""
    at = now or utcnow()
    with transaction():
        customer = customers.get(int(raw.get("customer_id") or 0))
        stage_list = S.load()
        clean = validate(raw, stage_list=stage_list)
        clean["owner"] = clean.get("owner") or customer.owner or history.actor()
        stage = S.by_key(stage_list)[clean["stage"]]
        if stage.closed:
            clean["closed_on"] = clean.get("closed_on") or at.date()
        else:
            clean.pop("closed_on", None)
        if stage.kind != S.LOST:
            clean.pop("lost_reason", None)
        elif not clean.get("lost_reason"):
            raise CrmError(REASON_REQUIRED, title=clean.get("title", ""))
        row = Opportunity.create(customer=customer.id, stage_since=at, batch=batch, **clean)
        _enter(row, row.stage, at)
        _log(row, CREATED, summary=row.title, batch=batch)
    return Written(row.id, _changes([row.id], CREATED, [customer.id]))


def update(opportunity_id: int, raw: Mapping[str, Any], expected_version: Optional[int] = None,
           now: Optional[dt.datetime] = None) -> Written:
    """Change the fields present in ``raw``. A new stage is a stage change (as ``move``);
    the probability follows the new stage unless it was edited too."""
    at = now or utcnow()
    with transaction():
        row = _editable(opportunity_id, expected_version)
        stage_list = S.load()
        clean = validate(raw, partial=True, stage_list=stage_list)
        if "stage" in clean and clean["stage"] == row.stage and raw.get("probability") in (None, ""):
            clean.pop("probability", None)  # the same stage keeps the probability it had
        new_stage = clean.get("stage", row.stage) != row.stage
        target = S.by_key(stage_list)[clean.get("stage", row.stage)]
        if target.kind == S.LOST and not clean.get("lost_reason", row.lost_reason):
            raise CrmError(REASON_REQUIRED, title=clean.get("title", row.title))
        if new_stage:
            reason = clean.get("lost_reason")
            clean.update(_stage_values(row, target, at))
            if target.kind == S.LOST:
                clean["lost_reason"] = reason
        changed = _write(row, clean)
        if new_stage:
            _enter(row, row.stage, at)
        _log(row, UPDATED, changed)
        _, visit_changes = (series_deals.release(row.id, row.closed_on or at.date())
                            if new_stage and target.closed else ((), []))
    return Written(row.id, (_changes([row.id], UPDATED, [row.customer_id]) + visit_changes) if changed else [])


def _stage_values(row: Opportunity, stage: S.Stage, at: dt.datetime) -> dict[str, Any]:
    values: dict[str, Any] = {"stage": stage.key, "stage_since": at}
    values["closed_on"] = row.closed_on or at.date() if stage.closed else None
    if stage.kind != S.LOST:
        values.update(lost_reason=None, lost_note="")
    return values


def move(opportunity_id: int, stage: str, version: Optional[int], now: Optional[dt.datetime] = None,
         reason: Optional[str] = None, note: str = "", closed_on: Optional[dt.date] = None) -> Moved:
    """Move the deal to ``stage`` (a drag on the board): the open stay is closed and a new
    one opened, the probability becomes the stage's default. Lost needs a ``reason``; won
    and lost set the day it closed. Refused when the deal changed since ``version``."""
    at = now or utcnow()
    with transaction():
        row = _editable(opportunity_id, version)
        stage_list = S.load()
        target = S.by_key(stage_list).get(stage)
        if target is None:
            raise CrmError(STAGE_UNKNOWN, stage=stage, known=", ".join(s.key for s in stage_list))
        before = {k: getattr(row, k) for k in ("stage", "probability", "stage_since", "closed_on",
                                                "lost_reason", "lost_note")}
        values = _stage_values(row, target, at)
        values["probability"] = target.probability
        if target.kind == S.LOST:
            if reason not in LOST_REASONS:
                raise CrmError(REASON_REQUIRED, title=row.title)
            values.update(lost_reason=reason, lost_note=_text("lost_note", note)[:TEXTS["lost_note"]])
        if target.closed:
            values["closed_on"] = closed_on or at.date()
        if row.stage == target.key:
            values.pop("stage_since")
            values.pop("probability")
            changed = _write(row, values)
            left_row, entered_row = None, 0
        else:
            changed = _write(row, values)
            left_row, entered_row = _enter(row, target.key, at)
        _log(row, UPDATED, [c for c in changed if c[0] != "stage_since"])
        offer = offer_for(row.customer) if target.kind == S.WON else None
        released, visit_changes = (series_deals.release(row.id, values["closed_on"])
                                   if target.closed and before["stage"] != target.key else ((), []))
    return Moved(row.id, row.version, before["stage"], before["probability"], before["stage_since"],
                 before["closed_on"], before["lost_reason"], before["lost_note"], left_row, entered_row,
                 tuple(_changes([row.id], UPDATED, [row.customer_id]) + visit_changes), offer, released)


def undo_move(moved: Moved) -> list[Changes]:
    """Put back what ``move`` changed: the stage, probability, close and loss, and the
    stage history. Refused when the deal was changed again since."""
    with transaction():
        row = _editable(moved.opportunity_id, moved.version)
        changed = _write(row, {"stage": moved.stage, "probability": moved.probability,
                               "stage_since": moved.stage_since, "closed_on": moved.closed_on,
                               "lost_reason": moved.lost_reason, "lost_note": moved.lost_note})
        if moved.entered_row:
            StageChange.delete().where(StageChange.id == moved.entered_row).execute()
        if moved.left_row:
            StageChange.update(left_at=None).where(StageChange.id == moved.left_row).execute()
        _log(row, UPDATED, [c for c in changed if c[0] != "stage_since"])
        visit_changes = series_deals.relink(row.id, moved.released) if moved.released else []
    return _changes([row.id], UPDATED, [row.customer_id]) + visit_changes


def win(opportunity_id: int, version: Optional[int], closed_on: Optional[dt.date] = None,
        now: Optional[dt.datetime] = None) -> Moved:
    """Won: the deal closes on ``closed_on`` (today by default). ``offer_stage`` says to
    which lifecycle stage its customer may move (a prospect: developing)."""
    return move(opportunity_id, won_stage().key, version, now, closed_on=closed_on)


def lose(opportunity_id: int, version: Optional[int], reason: Optional[str], note: str = "",
         closed_on: Optional[dt.date] = None, now: Optional[dt.datetime] = None) -> Moved:
    """Lost, with the reason (one of ``LOST_REASONS``, required) and a note."""
    return move(opportunity_id, lost_stage().key, version, now, reason=reason, note=note, closed_on=closed_on)


def reopen(opportunity_id: int, version: Optional[int], stage: Optional[str] = None,
           now: Optional[dt.datetime] = None) -> Moved:
    """A won or lost deal back on the board: in ``stage``, or the open stage it was last in."""
    row = get(opportunity_id)
    open_keys = [s.key for s in S.open_stages()]
    if row.stage in open_keys:
        raise CrmError(NOT_CLOSED, title=row.title)
    if stage is None:
        last = [c.stage for c in history_of(row.id) if c.stage in open_keys]
        stage = last[-1] if last else open_keys[0]
    return move(opportunity_id, stage, version, now)


def advance_customer(customer_id: int, stage: str) -> list[Changes]:
    """Move a won deal's customer to lifecycle ``stage`` (after the user said yes)."""
    if F.BY_KEY["stage"].choice(stage) is None:
        raise ValidationError({"stage": FieldError("enum_invalid", "stage",
                                                   choices=", ".join(c.key for c in F.STAGE))})
    with transaction():
        customer = customers.get(customer_id)
        changed = customers.apply(customer, {"stage": stage})
    return [Changes("customer", UPDATED, (customer_id,))] if changed else []


def _set_deleted(ids: list[int], when: Optional[dt.datetime], action: str) -> list[Changes]:
    with transaction():
        condition = Opportunity.deleted_at.is_null() if when else Opportunity.deleted_at.is_null(False)
        rows = list(Opportunity.select().where(Opportunity.id.in_(ids) & condition))
        if rows:
            (Opportunity.update(deleted_at=when, version=Opportunity.version + 1, updated_at=utcnow())
             .where(Opportunity.id.in_([r.id for r in rows])).execute())
            for row in rows:
                _log(row, action, summary=row.title)
    return _changes([r.id for r in rows], action, [r.customer_id for r in rows])


def delete(ids: Iterable[int]) -> list[Changes]:
    """Soft delete: the deals leave the board and the lists and can be restored."""
    return _set_deleted(list(ids), utcnow(), DELETED)


def restore(ids: Iterable[int]) -> list[Changes]:
    return _set_deleted(list(ids), None, RESTORED)
