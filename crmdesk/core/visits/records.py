"""A visit as a record: what is typed for a plan or a record checked, visits read, a visit
planned, deleted and restored, the change log written, and each customer's last visit made
and next visit planned kept in step. ``visits`` (the visit's course: edit, reschedule,
record, postpone, cancel, miss) and ``series`` (repeating visits) both stand on this.

Times are local wall-clock times, minutes precision, without a time zone."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Optional

from crmdesk.core.visits import fields as V
from crmdesk.core.changes import CREATED, DELETED, RESTORED, UPDATED, Changes
from crmdesk.core.db import transaction
from crmdesk.core.errors import CrmError, FieldError, ValidationError
from crmdesk.core.io import normalize
from crmdesk.core.models import Batch, Customer, Visit, database, utcnow
from crmdesk.core.customers import archive as customers
from crmdesk.core import history

ENTITY = "visit"
NOT_FOUND = "visit_not_found"
STALE = "visit_changed_elsewhere"
MAX_DAYS = 31  # a visit longer than a month is a typing mistake
PLAN_TEXTS = {"rep": 100, "contacts": 500, "place": 300, "objective": 5000, "talking_points": 5000,
              "materials": 5000, "expected_result": 5000}
RECORD_TEXTS = {"outcome": 20000, "follow_up": 5000}



@dataclass
class Written:
    """What a write did: the visit it made or changed, and the changes to broadcast."""
    visit_id: int
    changes: list[Changes] = field(default_factory=list)
    next_visit_id: Optional[int] = None



def now() -> dt.datetime:
    return dt.datetime.now().replace(second=0, microsecond=0)



def parse_datetime(value: Any, key: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(9))
    text = normalize.text(value)
    if not text:
        raise FieldError("required", key)
    try:
        return dt.datetime.fromisoformat(text.replace("T", " ")).replace(second=0, microsecond=0, tzinfo=None)
    except ValueError:
        raise FieldError("datetime_invalid", key) from None



def _texts(raw: Mapping[str, Any], limits: Mapping[str, int], clean: dict, errors: dict) -> None:
    for key, limit in limits.items():
        if key not in raw:
            continue
        text = normalize.text(raw.get(key)) if key in ("rep", "contacts", "place") else long_text(raw.get(key))
        if len(text) > limit:
            errors[key] = FieldError("too_long", key, max=limit)
        else:
            clean[key] = text



def long_text(value: Any) -> str:
    """Multi-line text keeps its lines; only the ends are trimmed."""
    return "" if value is None else str(value).replace("\r\n", "\n").strip()



def validate_plan(raw: Mapping[str, Any], partial: bool = False) -> dict[str, Any]:
    """The plan's fields, checked; ``partial``: only the keys present (an edit)."""
    clean: dict[str, Any] = {}
    errors: dict[str, FieldError] = {}
    for key in ("starts_at", "ends_at"):
        if partial and key not in raw:
            continue
        try:
            clean[key] = parse_datetime(raw.get(key), key)
        except FieldError as error:
            errors[key] = error
    if "starts_at" in clean and "ends_at" in clean and "ends_at" not in errors:
        if clean["ends_at"] <= clean["starts_at"]:
            errors["ends_at"] = FieldError("end_before_start", "ends_at")
        elif clean["ends_at"] - clean["starts_at"] > dt.timedelta(days=MAX_DAYS):
            errors["ends_at"] = FieldError("visit_too_long", "ends_at", days=MAX_DAYS)
    if not partial or "kind" in raw:
        kind = raw.get("kind") or "needs_analysis"
        if kind not in V.KIND_KEYS:
            errors["kind"] = FieldError("enum_invalid", "kind", choices=", ".join(V.KIND_KEYS))
        else:
            clean["kind"] = kind
    _texts(raw, PLAN_TEXTS, clean, errors)
    if errors:
        raise ValidationError(errors)
    return clean



def validate_record(raw: Mapping[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    errors: dict[str, FieldError] = {}
    _texts(raw, RECORD_TEXTS, clean, errors)
    rating = raw.get("rating")
    if rating in (None, ""):
        clean["rating"] = None
    else:
        try:
            clean["rating"] = int(rating)
            if not 1 <= clean["rating"] <= 5:
                raise ValueError
        except (TypeError, ValueError):
            errors["rating"] = FieldError("rating_out_of_range", "rating")
    pairs = [(normalize.text(a), normalize.text(b)) for a, b in raw.get("objections") or ()]
    pairs = [(a, b) for a, b in pairs if a or b]
    clean["objections"] = json.dumps(pairs, ensure_ascii=False) if pairs else ""
    if len(clean["objections"]) > 20000:
        errors["objections"] = FieldError("too_long", "objections", max=20000)
    if errors:
        raise ValidationError(errors)
    return clean



def objections(visit: Visit) -> list[tuple[str, str]]:
    try:
        return [tuple(pair) for pair in json.loads(visit.objections)] if visit.objections else []
    except (ValueError, TypeError):
        return [(visit.objections, "")]



def default_place(customer: Customer) -> str:
    """Where the customer is, written the Chinese way: province, city, district, street
    (without repeating what the street address already says)."""
    address = customer.address or ""
    parts = [p for p in (customer.province, customer.city, customer.district) if p and p not in address]
    if len(parts) >= 2 and parts[0] == parts[1]:  # 上海 上海
        parts = parts[1:]
    return "".join(parts) + address



def shown_state(visit: Visit, at: Optional[dt.datetime] = None) -> str:
    """Its state as the user sees it: a planned visit whose end has passed is missed until
    it is recorded."""
    if visit.state == V.PLANNED and visit.ends_at < (at or now()):
        return V.MISSED
    return visit.state



def get(visit_id: int) -> Visit:
    visit = (Visit.select(Visit, Customer).join(Customer)
             .where((Visit.id == visit_id) & Visit.deleted_at.is_null() & Customer.deleted_at.is_null())
             .first())
    if visit is None:
        raise CrmError(NOT_FOUND, id=visit_id)
    return visit



def for_customer(customer_id: int, limit: int = 500) -> list[Visit]:
    """The customer's visits, the latest first (planned ones ahead of the past)."""
    return list(Visit.select().where((Visit.customer == customer_id) & Visit.deleted_at.is_null())
                .order_by(Visit.starts_at.desc(), Visit.id.desc()).limit(limit))



def clashes(rep: str, starts_at: dt.datetime, ends_at: dt.datetime,
            exclude: Optional[int] = None) -> list[Visit]:
    """The same rep's other planned visits that overlap this time."""
    if not rep:
        return []
    query = (Visit.select(Visit, Customer).join(Customer)
             .where((Visit.rep == rep) & (Visit.starts_at < ends_at) & (Visit.ends_at > starts_at)
                    & (Visit.state == V.PLANNED) & Visit.deleted_at.is_null() & Customer.deleted_at.is_null()))
    if exclude is not None:
        query = query.where(Visit.id != exclude)
    return list(query.order_by(Visit.starts_at))



def reps() -> list[str]:
    """Everyone who has visits or customers, for the rep filters."""
    rows = database.execute_sql(
        "SELECT rep FROM visit WHERE rep != '' AND deleted_at IS NULL GROUP BY rep "
        "UNION SELECT owner FROM customer WHERE owner != '' AND deleted_at IS NULL GROUP BY owner")
    return sorted({r[0] for r in rows})



def refresh_customers(customer_ids: Iterable[int]) -> None:
    """Keep each customer's last visit made and next visit planned in step with its visits."""
    ids = sorted(set(customer_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        database.execute_sql(
            "UPDATE customer SET "
            "last_visit_at = (SELECT MAX(starts_at) FROM visit WHERE customer_id = customer.id "
            "AND state = 'done' AND deleted_at IS NULL), "
            "next_visit_at = (SELECT MIN(starts_at) FROM visit WHERE customer_id = customer.id "
            f"AND state = 'planned' AND deleted_at IS NULL) WHERE id IN ({marks})", chunk)



def log_change(visit: Visit, action: str, changed: Iterable[tuple[str, Any, Any]] = (),
         summary: Optional[str] = None, batch: Optional[Batch] = None) -> None:
    entries = [history.Entry(ENTITY, visit.id, visit.uuid, visit.customer_id, action, key,
                             history.as_text(old), history.as_text(new)) for key, old, new in changed]
    if summary is not None:
        entries.append(history.Entry(ENTITY, visit.id, visit.uuid, visit.customer_id, action, "",
                                     None, summary))
    history.write(entries, batch)



def summary(visit: Visit) -> str:
    return f"{visit.starts_at:%Y-%m-%d %H:%M} {V.label(V.KINDS, visit.kind, 'en')}"



def changes_of(visit_ids: Iterable[int], kind: str, customer_ids: Iterable[int]) -> list[Changes]:
    return [Changes(ENTITY, kind, tuple(visit_ids)), Changes("customer", UPDATED, tuple(set(customer_ids)))]



def create(raw: Mapping[str, Any], batch: Optional[Batch] = None, series_id: Optional[int] = None) -> Written:
    """Plan a visit for ``raw["customer_id"]``. The place defaults to the customer's
    address and the rep to the customer's owner."""
    with transaction():
        customer = customers.get(int(raw.get("customer_id") or 0))
        clean = validate_plan(raw)
        clean.setdefault("place", "")
        clean["place"] = clean["place"] or default_place(customer)
        clean["rep"] = clean.get("rep") or customer.owner or history.actor()
        visit = Visit.create(customer=customer.id, series=series_id, **clean)
        refresh_customers([customer.id])
        log_change(visit, CREATED, summary=summary(visit), batch=batch)
    return Written(visit.id, changes_of([visit.id], CREATED, [customer.id]))



def _set_deleted(ids: list[int], when: Optional[dt.datetime], action: str) -> list[Changes]:
    with transaction():
        condition = Visit.deleted_at.is_null() if when else Visit.deleted_at.is_null(False)
        rows = list(Visit.select().where(Visit.id.in_(ids) & condition))
        if rows:
            (Visit.update(deleted_at=when, version=Visit.version + 1, updated_at=utcnow())
             .where(Visit.id.in_([r.id for r in rows])).execute())
            for row in rows:
                log_change(row, action, summary=summary(row))
            refresh_customers([r.customer_id for r in rows])
    return changes_of([r.id for r in rows], action, [r.customer_id for r in rows])



def delete(ids: Iterable[int]) -> list[Changes]:
    """Soft delete: the visits leave every list and calendar and can be restored."""
    return _set_deleted(list(ids), utcnow(), DELETED)



def restore(ids: Iterable[int]) -> list[Changes]:
    return _set_deleted(list(ids), None, RESTORED)
