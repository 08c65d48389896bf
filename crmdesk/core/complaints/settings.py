"""The complaint desk's business settings, kept in the database (DESIGN §4): deadlines per
severity in business hours (to the first response and to the resolution), the working
day, the satisfaction scale, when the follow-up after closing falls due, and the team a
complaint can be given to."""
from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional

from crmdesk.core.complaints import fields as K
from crmdesk.core import people as people_index
from crmdesk.core.changes import Changes
from crmdesk.core.db import transaction
from crmdesk.core.errors import FieldError, ValidationError
from crmdesk.core.models import Setting, database
from crmdesk.core.work_calendar import WorkCalendar, calendar

DEADLINES_KEY = "complaints.deadlines"
OPTIONS_KEY = "complaints.options"
TEAM_KEY = "complaints.team"
MAX_FOLLOW_UP_DAYS = 365
MAX_TEAM = 500


@dataclass(frozen=True)
class Options:
    workday_start: dt.time = dt.time(9)
    workday_end: dt.time = dt.time(18)
    satisfaction_scale: int = 5
    follow_up_days: int = K.FOLLOW_UP_DAYS

    def calendar(self) -> WorkCalendar:
        return calendar(self.workday_start, self.workday_end)


@dataclass(frozen=True)
class Settings:
    deadlines: dict[str, tuple[int, int]] = field(default_factory=lambda: dict(K.DEFAULT_DEADLINES))
    options: Options = field(default_factory=Options)

    def calendar(self) -> WorkCalendar:
        return self.options.calendar()


def _stored(key: str) -> Any:
    row = Setting.get_or_none(Setting.key == key)
    if row is None:
        return None
    try:
        return json.loads(row.value)
    except (TypeError, ValueError):
        return None  # a damaged setting falls back to the defaults


def _time(text: Any) -> Optional[dt.time]:
    try:
        hour, minute = (int(p) for p in str(text).strip().split(":"))
        return dt.time(hour, minute)
    except (TypeError, ValueError):
        return None


def load() -> Settings:
    deadlines = dict(K.DEFAULT_DEADLINES)
    stored = _stored(DEADLINES_KEY)
    if isinstance(stored, dict):
        for severity in K.SEVERITY_KEYS:
            pair = stored.get(severity)
            if (isinstance(pair, list) and len(pair) == 2 and all(type(h) is int for h in pair)
                    and all(1 <= h <= K.MAX_DEADLINE_HOURS for h in pair) and pair[0] <= pair[1]):
                deadlines[severity] = (pair[0], pair[1])
    options = Options()
    stored = _stored(OPTIONS_KEY)
    if isinstance(stored, dict):
        start, end = _time(stored.get("workday_start")), _time(stored.get("workday_end"))
        scale = stored.get("satisfaction_scale")
        days = stored.get("follow_up_days")
        options = Options(
            workday_start=start if start and end and start < end else options.workday_start,
            workday_end=end if start and end and start < end else options.workday_end,
            satisfaction_scale=scale if type(scale) is int and scale in K.SATISFACTION else options.satisfaction_scale,
            follow_up_days=days if type(days) is int and 0 <= days <= MAX_FOLLOW_UP_DAYS else options.follow_up_days)
    return Settings(deadlines, options)


def _hours(value: Any, key: str) -> int:
    if isinstance(value, bool):
        raise FieldError("complaint_deadline_invalid", key, max=K.MAX_DEADLINE_HOURS)
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        raise FieldError("complaint_deadline_invalid", key, max=K.MAX_DEADLINE_HOURS) from None
    if not math.isfinite(number) or number != int(number) or not 1 <= number <= K.MAX_DEADLINE_HOURS:
        raise FieldError("complaint_deadline_invalid", key, max=K.MAX_DEADLINE_HOURS)
    return int(number)


def validate(deadlines: Mapping[str, Any], options: Mapping[str, Any]) -> tuple[dict, dict]:
    """Checked settings. ``deadlines``: {severity: (response hours, resolution hours)};
    ``options``: workday_start, workday_end ("09:00"), satisfaction_scale (5 or 7),
    follow_up_days. Field keys in errors: ``low.response``, ``workday_end``, ..."""
    errors: dict[str, FieldError] = {}
    clean_deadlines: dict[str, list[int]] = {}
    for severity in K.SEVERITY_KEYS:
        pair = deadlines.get(severity)
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            pair = (None, None)  # both parts missing or unreadable: each is an error
        hours = []
        for part, value in zip(("response", "resolution"), pair):
            try:
                hours.append(_hours(value, f"{severity}.{part}"))
            except FieldError as error:
                errors[error.key] = error
        if len(hours) == 2:
            if hours[1] < hours[0]:
                errors[f"{severity}.resolution"] = FieldError("complaint_resolution_before_response",
                                                              f"{severity}.resolution")
            clean_deadlines[severity] = hours
    clean_options: dict[str, Any] = {}
    start, end = _time(options.get("workday_start", "09:00")), _time(options.get("workday_end", "18:00"))
    if start is None:
        errors["workday_start"] = FieldError("time_invalid", "workday_start")
    if end is None:
        errors["workday_end"] = FieldError("time_invalid", "workday_end")
    elif start is not None and end <= start:
        errors["workday_end"] = FieldError("workday_end_before_start", "workday_end")
    if start and end:
        clean_options.update(workday_start=f"{start:%H:%M}", workday_end=f"{end:%H:%M}")
    scale = options.get("satisfaction_scale", 5)
    try:
        scale = int(str(scale).strip())  # "7" or 7, not 7.5 or True
    except (TypeError, ValueError):
        scale = 0
    if scale not in K.SATISFACTION:
        errors["satisfaction_scale"] = FieldError("enum_invalid", "satisfaction_scale", choices="5, 7")
    clean_options["satisfaction_scale"] = scale
    try:
        days = int(str(options.get("follow_up_days", K.FOLLOW_UP_DAYS)).strip())
        if not 0 <= days <= MAX_FOLLOW_UP_DAYS:
            raise ValueError
        clean_options["follow_up_days"] = days
    except (TypeError, ValueError):
        errors["follow_up_days"] = FieldError("number_out_of_range", "follow_up_days", low=0, high=MAX_FOLLOW_UP_DAYS)
    if errors:
        raise ValidationError(errors)
    return clean_deadlines, clean_options


def save(deadlines: Mapping[str, Any], options: Mapping[str, Any]) -> list[Changes]:
    """Store the settings; nothing is stored when any value is wrong. New deadlines apply
    to complaints logged from now on and to those whose severity changes."""
    clean_deadlines, clean_options = validate(deadlines, options)
    with transaction():
        for key, value in ((DEADLINES_KEY, clean_deadlines), (OPTIONS_KEY, clean_options)):
            Setting.insert(key=key, value=json.dumps(value)).on_conflict_replace().execute()
    return [Changes.reset("complaint_settings")]


# ---------------------------------------------------------------- the team

def team() -> list[str]:
    """The people named in the settings as the complaint desk's team."""
    stored = _stored(TEAM_KEY)
    return [str(n) for n in stored if str(n).strip()] if isinstance(stored, list) else []


def set_team(names: list[str]) -> list[Changes]:
    clean = []
    for name in names:
        text = " ".join(str(name).split())
        if len(text) > 100:
            raise ValidationError({"team": FieldError("too_long", "team", max=100)})
        if text and text not in clean:
            clean.append(text)
    if len(clean) > MAX_TEAM:
        raise ValidationError({"team": FieldError("number_out_of_range", "team", low=0, high=MAX_TEAM)})
    with transaction():
        Setting.insert(key=TEAM_KEY, value=json.dumps(clean, ensure_ascii=False)).on_conflict_replace().execute()
    return [Changes.reset("complaint_settings")]


def people() -> list[str]:
    """Everyone a complaint can be given to: the team, the customers' owners, the visit
    reps and the complaints' owners so far (read through indexes: crmdesk.core.people)."""
    return sorted(people_index.in_data() | set(team()))


def is_person(name: str) -> bool:
    if not str(name or "").strip():
        return False  # a blank name is nobody, however many customers have no owner
    if name in team():
        return True
    return people_index.is_named(name)


def save_all(deadlines: Mapping[str, Any], options: Mapping[str, Any], names: list[str]) -> list[Changes]:
    """The settings window's save: deadlines, options and team in one transaction, so that
    a wrong value anywhere stores nothing."""
    with transaction():
        return save(deadlines, options) + set_team(names)
