"""Who to visit and when: the visit frequency of each tier (a business setting) and of a
customer, the due and overdue list, the calendar's visits with clashes flagged, and the
day plan grouped by city and district.

The due list reads one row per customer: the visit services keep each customer's last
visit made and next visit planned (``customer.last_visit_at``/``next_visit_at``), so at a
million visits it costs what a scan of the customers costs, and that scan reads the narrow
covering index ``customer_live_due`` instead of the wide rows (migration 0007). The
calendar reads its visits from the covering index ``visit_live_calendar`` by start time and
their customers from ``customer_live_calendar``: a month of 40,000 visits among a million
in ~150 ms instead of ~450 (``benchmarks/bench_visits.py``)."""
from __future__ import annotations

import datetime as dt
import json
from array import array
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Optional, Sequence

from crmdesk.core.bulk_indexes import indexed_by
from crmdesk.core.visits import fields as V
from crmdesk.core.changes import UPDATED, Changes
from crmdesk.core.db import read_ids, transaction
from crmdesk.core.errors import FieldError, ValidationError
from crmdesk.core.models import Customer, Setting, database
from crmdesk.core.phones.rules import display as phone_display
from crmdesk.core.customers import archive as customers
from crmdesk.core import history

FREQUENCY_KEY = "visits.frequency"
TIER_RANK = "CASE tier WHEN 'key' THEN 0 WHEN 'relationship' THEN 1 WHEN 'transactional' THEN 2 ELSE 3 END"
# The evaluation the course teaches (need, volume, purchasing power, credit, decision
# authority) is the customer's value here, then its revenue.
VALUE = ("(COALESCE(need_score, 0) + COALESCE(volume_score, 0) + COALESCE(purchasing_power_score, 0) "
         "+ COALESCE(credit_score, 0) + COALESCE(decision_score, 0))")


# ---------------------------------------------------------------- frequencies

def frequencies() -> dict[str, Optional[int]]:
    """Days between visits for each tier ("none": customers without a tier); None: not tracked."""
    row = Setting.get_or_none(Setting.key == FREQUENCY_KEY)
    result = dict(V.DEFAULT_FREQUENCY)
    if row is not None:
        try:
            stored = json.loads(row.value)
            result.update({k: stored[k] for k in V.FREQUENCY_TIERS if k in stored})
        except (ValueError, TypeError, KeyError):
            pass  # a damaged setting falls back to the defaults
    return result


def _days(value: Any, key: str) -> Optional[int]:
    if value in (None, ""):
        return None
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise FieldError("number_invalid", key) from None
    if not 1 <= days <= V.MAX_FREQUENCY:
        raise FieldError("number_out_of_range", key, low=1, high=V.MAX_FREQUENCY)
    return days


def set_frequencies(values: Mapping[str, Any]) -> list[Changes]:
    errors, clean = {}, {}
    for key in V.FREQUENCY_TIERS:
        try:
            clean[key] = _days(values.get(key), key)
        except FieldError as error:
            errors[key] = error
    if errors:
        raise ValidationError(errors)
    with transaction():
        Setting.insert(key=FREQUENCY_KEY, value=json.dumps(clean)).on_conflict_replace().execute()
    return [Changes.reset("due")]


def set_customer_frequency(customer_id: int, days: Any) -> list[Changes]:
    """A customer's own frequency (None: its tier's)."""
    try:
        clean = _days(days, "visit_every_days")
    except FieldError as error:
        raise ValidationError({"visit_every_days": error}) from None
    with transaction():
        customer = customers.get(customer_id)
        Customer.update(visit_every_days=clean).where(Customer.id == customer_id).execute()
        history.write([history.Entry("customer", customer.id, customer.uuid, customer.id, UPDATED,
                                     "visit_every_days", history.as_text(customer.visit_every_days),
                                     history.as_text(clean))])
    return [Changes("customer", UPDATED, (customer_id,)), Changes.reset("due")]


# ---------------------------------------------------------------- due and overdue

@dataclass(frozen=True)
class DueQuery:
    today: dt.date
    owner: str = ""  # "" everyone's
    team: str = ""  # "" every team's
    tier: str = ""  # "" every tier
    ahead: int = 0  # also customers due within this many days
    include_planned: bool = False  # also customers who already have a visit planned


@dataclass
class DueRow:
    id: int
    code: str
    name: str
    tier: Optional[str]
    city: str
    district: str
    owner: str
    mobile: str
    last_visit: Optional[dt.date]
    next_visit: Optional[dt.datetime]
    every_days: int
    due_date: dt.date
    overdue_days: int
    value: int


def _due_sql(query: DueQuery, what: str, order: bool = True) -> tuple[str, list]:
    freq = frequencies()
    today = query.today.isoformat()
    now = dt.datetime.combine(query.today, dt.time()).isoformat(" ")
    every = ("COALESCE(visit_every_days, CASE tier WHEN 'key' THEN ? WHEN 'relationship' THEN ? "
             "WHEN 'transactional' THEN ? ELSE ? END)")
    # The overdue expression's parameters: today, then the tiers' frequencies.
    params: list = [today, freq["key"], freq["relationship"], freq["transactional"], freq["none"]]
    overdue = f"(julianday(?) - julianday(date(COALESCE(last_visit_at, created_at))) - {every})"
    where = ["deleted_at IS NULL", "(stage IS NULL OR stage != 'lost')", f"{overdue} >= ?"]
    where_params: list = params + [-query.ahead]
    if not query.include_planned:
        where.append("(next_visit_at IS NULL OR next_visit_at < ?)")
        where_params.append(now)
    if query.owner:
        where.append("owner = ?")
        where_params.append(query.owner)
    if query.team:
        where.append("team = ?")
        where_params.append(query.team)
    if query.tier == "none":
        where.append("tier IS NULL")
    elif query.tier:
        where.append("tier = ?")
        where_params.append(query.tier)
    # The covering index: a scan of it, never of the wide rows (nor a filter index like
    # customer_live_tier, whose 60,000 row lookups for one tier cost more than the scan).
    sql = f"SELECT {what} FROM customer {indexed_by('customer_live_due')}WHERE {' AND '.join(where)}"
    if order:
        sql += f" ORDER BY {overdue} DESC, {TIER_RANK}, {VALUE} DESC, annual_revenue DESC, id"
        return sql, where_params + params
    return sql, where_params


def due_ids(query: DueQuery, stop: Optional[Callable[[], bool]] = None) -> array:
    sql, params = _due_sql(query, "id")
    return read_ids(sql, params, stop)


def first_due_ids(query: DueQuery, limit: int) -> list[int]:
    sql, params = _due_sql(query, "id")
    return [r[0] for r in database.execute_sql(f"{sql} LIMIT {int(limit)}", params)]


def due_count(query: DueQuery) -> int:
    sql, params = _due_sql(query, "count(*)", order=False)
    return database.execute_sql(sql, params).fetchone()[0]


def due_rows(ids: Sequence[int], today: dt.date) -> dict[int, DueRow]:
    if not ids:
        return {}
    freq = frequencies()
    marks = ",".join("?" * len(ids))
    rows = database.execute_sql(
        "SELECT id, code, name, tier, city, district, owner, mobile, last_visit_at, next_visit_at, "
        f"visit_every_days, created_at, {VALUE} FROM customer WHERE id IN ({marks})", list(ids))
    result = {}
    for (cid, code, name, tier, city, district, owner, mobile, last, next_, own,
         created, value) in rows:
        every = own or freq.get(tier or "none") or 0
        since = _date(last) or _date(created) or today
        due = since + dt.timedelta(days=every)
        result[cid] = DueRow(cid, code, name, tier, city, district, owner, mobile, _date(last),
                             stored_datetime(next_), every, due, (today - due).days, value)
    return result


def _date(value: Any) -> Optional[dt.date]:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def stored_datetime(value: Any) -> Optional[dt.datetime]:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


# ---------------------------------------------------------------- calendar and day plan

@dataclass
class CalendarItem:
    id: int
    customer_id: int
    customer_name: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    state: str  # as shown: a planned visit that has passed is missed
    kind: str
    rep: str
    place: str
    version: int
    clash: bool = False
    city: str = ""
    district: str = ""
    phones: str = ""
    contacts: str = ""
    objective: str = ""
    talking_points: str = ""
    materials: str = ""


CALENDAR_COLUMNS = ("v.id, v.customer_id, c.name, v.starts_at, v.ends_at, v.state, v.kind, v.rep, v.place, "
                "v.version, c.city, c.district, c.mobile, c.phone, c.contact_person, v.contacts, "
                "v.objective, v.talking_points, v.materials")
CALENDAR_LIGHT_COLUMNS = "v.id, v.customer_id, c.name, v.starts_at, v.ends_at, v.state, v.kind, v.rep, v.place, v.version"


def in_range(start: dt.date, end: dt.date, rep: str = "", at: Optional[dt.datetime] = None,
             include_closed: bool = True, details: bool = False, team: str = "") -> list[CalendarItem]:
    """The visits starting on ``start`` up to (not including) ``end``, by start time; a
    rep's planned visits that overlap are flagged as clashes. ``details``: also what the
    road needs (city, district, phones, contacts, objective, talking points, materials);
    without it those are blank, and everything comes from covering indexes: what a calendar
    shows, a month of 40,000 visits in ~150 ms (each column fetched costs ~10 ms of it).
    ``team``: only the visits of that team's customers."""
    at_text = (at or dt.datetime.now()).isoformat(" ")
    where = ["v.starts_at >= ?", "v.starts_at < ?", "v.deleted_at IS NULL", "c.deleted_at IS NULL"]
    params: list = [dt.datetime.combine(start, dt.time()).isoformat(" "),
                    dt.datetime.combine(end, dt.time()).isoformat(" ")]
    if rep:
        where.append("v.rep = ?")
        params.append(rep)
    if team:
        where.append("c.team = ?")
        params.append(team)
    if not include_closed:
        where.append("v.state IN ('planned', 'done')")
    if details:
        source = f"visit v {indexed_by('visit_live_calendar')}JOIN customer c ON c.id = v.customer_id"
        columns = CALENDAR_COLUMNS
    else:
        source = (f"visit v {indexed_by('visit_live_calendar')}"
                  f"JOIN customer c {indexed_by('customer_live_calendar')}ON c.id = v.customer_id")
        columns = CALENDAR_LIGHT_COLUMNS
    rows = database.execute_sql(f"SELECT {columns} FROM {source} WHERE {' AND '.join(where)} "
                                "ORDER BY v.starts_at, v.id", params)
    items: list[CalendarItem] = []
    append, item = items.append, CalendarItem
    times: dict[Any, dt.datetime] = {}  # a month's visits start and end at a few hundred times
    for row in rows:
        starts, ends, state = row[3], row[4], row[5]
        starts_at = times.get(starts)
        if starts_at is None:
            starts_at = times[starts] = stored_datetime(starts)
        ends_at = times.get(ends)
        if ends_at is None:
            ends_at = times[ends] = stored_datetime(ends)
        if state == V.PLANNED and str(ends) < at_text:
            state = V.MISSED
        if details:
            mobile, phone = row[12], row[13]
            append(item(row[0], row[1], row[2], starts_at, ends_at, state, row[6], row[7], row[8], row[9],
                        False, row[10], row[11], " / ".join(phone_display(p) for p in (mobile, phone) if p),
                        row[15] or row[14], row[16], row[17], row[18]))
        else:
            append(item(row[0], row[1], row[2], starts_at, ends_at, state, row[6], row[7], row[8], row[9]))
    flag_clashes(items)
    return items


def flag_clashes(items: list[CalendarItem]) -> None:
    """Mark planned visits of one rep that overlap in time (``items`` sorted by start)."""
    latest: dict[str, CalendarItem] = {}  # per rep: the planned visit that ends last so far
    for item in items:
        if item.state != V.PLANNED or not item.rep:
            continue
        before = latest.get(item.rep)
        if before is not None and item.starts_at < before.ends_at:
            before.clash = item.clash = True
        if before is None or item.ends_at > before.ends_at:
            latest[item.rep] = item


@dataclass
class DayGroup:
    city: str
    district: str
    stops: list[CalendarItem] = field(default_factory=list)


def day_plan(day: dt.date, rep: str = "", at: Optional[dt.datetime] = None, team: str = "") -> list[DayGroup]:
    """The day's visits (not the postponed or cancelled ones) grouped by city and district,
    groups in the order of their first visit, visits by time."""
    groups: dict[tuple[str, str], DayGroup] = {}
    for item in in_range(day, day + dt.timedelta(days=1), rep, at, include_closed=False, details=True, team=team):
        key = (item.city or "", item.district or "")
        groups.setdefault(key, DayGroup(*key)).stops.append(item)
    return list(groups.values())
