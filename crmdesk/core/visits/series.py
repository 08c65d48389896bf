"""Repeating visit plans: every N days, or every N weeks on chosen weekdays, until a date,
for a number of visits, or open-ended. A plan never puts more than ``MAX_PENDING`` planned
visits in the calendar at once: the rest are planned one by one as those are recorded,
cancelled or missed, so a rule that never ends (or one of 10,000 visits) costs a few rows,
and the user is told so."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping, Optional

from crmdesk.core.visits import fields as V
from crmdesk.core.changes import CREATED, DELETED, Changes
from crmdesk.core.db import transaction
from crmdesk.core.errors import CrmError, FieldError, ValidationError
from crmdesk.core.models import Visit, VisitSeries, utcnow
from crmdesk.core.customers import archive as customers
from crmdesk.core.visits import records

MAX_PENDING = 52
MAX_INTERVAL = 365
MAX_COUNT = 1000
UNITS = ("day", "week")
PLAN_KEYS = ("rep", "contacts", "place", "kind", "objective", "talking_points", "materials", "expected_result")


@dataclass
class Rule:
    first_date: dt.date
    interval: int = 1
    unit: str = "week"
    weekdays: tuple[int, ...] = ()
    until: Optional[dt.date] = None
    count: Optional[int] = None

    @property
    def ends(self) -> bool:
        return self.until is not None or self.count is not None


@dataclass
class SeriesResult:
    series_id: int
    planned: int  # visits put in the calendar now
    capped: bool  # the rule has more visits than were planned now
    changes: list[Changes] = field(default_factory=list)


def dates(rule: Rule, skip: int = 0) -> Iterator[dt.date]:
    """The rule's dates in order, from the ``skip``-th on; ends with the rule or never."""
    produced = 0
    if rule.unit == "day":
        candidates = (rule.first_date + dt.timedelta(days=rule.interval * k) for k in _count_up())
    else:
        weekdays = sorted(set(rule.weekdays)) or [rule.first_date.weekday()]
        monday = rule.first_date - dt.timedelta(days=rule.first_date.weekday())
        candidates = (monday + dt.timedelta(days=7 * rule.interval * k + wd)
                      for k in _count_up() for wd in weekdays)
    for day in candidates:
        if day < rule.first_date:
            continue
        if (rule.until is not None and day > rule.until) or (rule.count is not None and produced >= rule.count):
            return
        if produced >= skip:
            yield day
        produced += 1


def _count_up() -> Iterator[int]:
    k = 0
    while True:
        yield k
        k += 1


def validate_rule(raw: Mapping[str, Any], first_date: dt.date) -> Rule:
    errors: dict[str, FieldError] = {}
    rule = Rule(first_date)
    try:
        interval = raw.get("interval")
        rule.interval = 1 if interval in (None, "") else int(interval)
        if not 1 <= rule.interval <= MAX_INTERVAL:
            raise ValueError
    except (TypeError, ValueError):
        errors["interval"] = FieldError("number_out_of_range", "interval", low=1, high=MAX_INTERVAL)
    rule.unit = raw.get("unit") or "week"
    if rule.unit not in UNITS:
        errors["unit"] = FieldError("enum_invalid", "unit", choices=", ".join(UNITS))
    weekdays = tuple(raw.get("weekdays") or ())
    if any(not isinstance(d, int) or not 0 <= d <= 6 for d in weekdays):
        errors["weekdays"] = FieldError("enum_invalid", "weekdays", choices="0-6")
    rule.weekdays = tuple(sorted(set(d for d in weekdays if isinstance(d, int))))
    until = raw.get("until")
    if until not in (None, ""):
        try:
            rule.until = until if isinstance(until, dt.date) else dt.date.fromisoformat(str(until))
            if rule.until < first_date:
                errors["until"] = FieldError("repeat_until_before_start", "until")
        except ValueError:
            errors["until"] = FieldError("date_invalid", "until")
    count = raw.get("count")
    if count not in (None, ""):
        try:
            rule.count = int(count)
            if not 1 <= rule.count <= MAX_COUNT:
                raise ValueError
        except (TypeError, ValueError):
            errors["count"] = FieldError("number_out_of_range", "count", low=1, high=MAX_COUNT)
    if not errors and next(dates(rule), None) is None:
        errors["weekdays"] = FieldError("repeat_no_dates", "weekdays")
    if errors:
        raise ValidationError(errors)
    return rule


def create(raw: Mapping[str, Any], rule_raw: Mapping[str, Any]) -> SeriesResult:
    """A repeating plan: ``raw`` is the first visit's plan (its start gives the first date
    and the time of day of every visit), ``rule_raw`` the repetition."""
    with transaction():
        customer = customers.get(int(raw.get("customer_id") or 0))
        plan = records.validate_plan(raw)
        rule = validate_rule(rule_raw, plan["starts_at"].date())
        minutes = int((plan["ends_at"] - plan["starts_at"]).total_seconds() // 60)
        series = VisitSeries.create(
            customer=customer.id, interval=rule.interval, unit=rule.unit,
            weekdays=",".join(str(d) for d in rule.weekdays), first_date=rule.first_date,
            until=rule.until, count=rule.count, start_time=f"{plan['starts_at']:%H:%M}", minutes=minutes)
        template = {k: v for k, v in raw.items() if k in PLAN_KEYS}
        changes = _generate(series, template, MAX_PENDING)
        planned = len(changes[0].ids) if changes else 0
        capped = next(dates(rule_of(series), series.generated), None) is not None
    return SeriesResult(series.id, planned, capped, changes)


def rule_of(series: VisitSeries) -> Rule:
    weekdays = tuple(int(d) for d in series.weekdays.split(",") if d.strip())
    return Rule(series.first_date, series.interval, series.unit, weekdays, series.until, series.count)


def _template(series: VisitSeries) -> dict[str, Any]:
    last = (Visit.select().where(Visit.series == series.id).order_by(Visit.starts_at.desc()).first())
    return {k: getattr(last, k) for k in PLAN_KEYS} if last else {}


def _generate(series: VisitSeries, template: Mapping[str, Any], wanted: int) -> list[Changes]:
    hour, minute = (int(p) for p in series.start_time.split(":"))
    created = []
    for day in dates(rule_of(series), series.generated):
        if len(created) >= wanted:
            break
        starts_at = dt.datetime.combine(day, dt.time(hour, minute))
        plan = {**template, "customer_id": series.customer_id, "starts_at": starts_at,
                "ends_at": starts_at + dt.timedelta(minutes=series.minutes)}
        created.append(records.create(plan, series_id=series.id).visit_id)
    if not created:
        return []
    VisitSeries.update(generated=VisitSeries.generated + len(created), updated_at=utcnow()).where(
        VisitSeries.id == series.id).execute()
    series.generated += len(created)
    from crmdesk.core.sales import series_deals  # issue 19: a series planned for a deal follows it while open
    return ([Changes(records.ENTITY, CREATED, tuple(created)), Changes("customer", "updated", (series.customer_id,))]
            + series_deals.carry_deal(series.id, created))


def pending(series_id: int) -> int:
    return (Visit.select().where((Visit.series == series_id) & (Visit.state == V.PLANNED)
                                 & Visit.deleted_at.is_null()).count())


def top_up(series_id: int) -> list[Changes]:
    """After one of its visits was recorded, cancelled or missed: plan the next ones, so
    that up to ``MAX_PENDING`` are planned. The caller holds the transaction."""
    series = VisitSeries.get_or_none(VisitSeries.id == series_id)
    if series is None or series.ended_at or series.deleted_at:
        return []
    wanted = MAX_PENDING - pending(series_id)
    return _generate(series, _template(series), wanted) if wanted > 0 else []


def end(series_id: int, from_date: dt.date) -> list[Changes]:
    """Stop repeating: no more visits are planned, and the planned ones from ``from_date``
    on are removed (the ones already recorded stay)."""
    with transaction():
        series = VisitSeries.get_or_none(VisitSeries.id == series_id)
        if series is None:
            raise CrmError("visit_not_found", id=series_id)
        VisitSeries.update(ended_at=utcnow(), updated_at=utcnow()).where(VisitSeries.id == series_id).execute()
        doomed = [v.id for v in Visit.select(Visit.id).where(
            (Visit.series == series_id) & (Visit.state == V.PLANNED) & Visit.deleted_at.is_null()
            & (Visit.starts_at >= dt.datetime.combine(from_date, dt.time())))]
        changes = records.delete(doomed) if doomed else []
    return changes or [Changes(records.ENTITY, DELETED, ())]

