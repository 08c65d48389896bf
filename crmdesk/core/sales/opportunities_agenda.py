"""Deals for the agenda (``crmdesk agenda``): every open opportunity whose next step or
expected close falls before the end of the agenda's days, overdue ones included, the
soonest first."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Optional

from crmdesk.core.models import database
from crmdesk.core.sales import stages as S

MAX_SHOWN = 200


@dataclass(frozen=True)
class DueDeal:
    opportunity_id: int
    title: str
    customer_name: str
    owner: str
    stage: str
    what: str  # "next_step" or "close": which date is due (the sooner of the two)
    due_on: dt.date
    next_step: str
    overdue: bool  # the date is before the agenda's first day
    amount: Optional[Decimal] = None  # the deal's expected amount (yuan), when one is set


def due(day: dt.date, until: dt.date, owner: str = "", limit: int = MAX_SHOWN) -> tuple[int, list[DueDeal]]:
    """(how many, the ``limit`` soonest) open deals with a next step or a close before ``until``."""
    open_keys = [s.key for s in S.open_stages()]
    marks = ",".join("?" * len(open_keys))
    soonest = ("(CASE WHEN o.next_step_on IS NOT NULL AND (o.expected_close IS NULL OR o.next_step_on <= "
               "o.expected_close) THEN o.next_step_on ELSE o.expected_close END)")
    where = (f"o.stage IN ({marks}) AND o.deleted_at IS NULL AND c.deleted_at IS NULL "
             f"AND (o.next_step_on < ? OR o.expected_close < ?)")
    params: list = open_keys + [until.isoformat(), until.isoformat()]
    if owner:
        where += " AND o.owner = ?"
        params.append(owner)
    base = f"FROM opportunity o JOIN customer c ON c.id = o.customer_id WHERE {where}"
    count = database.execute_sql(f"SELECT count(*) {base}", params).fetchone()[0]
    found = []
    for oid, title, name, person, stage, next_on, close, step, cents in database.execute_sql(
            f"SELECT o.id, o.title, c.name, o.owner, o.stage, o.next_step_on, o.expected_close, o.next_step, o.amount "
            f"{base} ORDER BY {soonest}, o.id LIMIT {int(limit)}", params):
        next_day = dt.date.fromisoformat(next_on) if next_on else None
        close_day = dt.date.fromisoformat(close) if close else None
        if next_day is not None and next_day < until and (close_day is None or next_day <= close_day):
            what, on = "next_step", next_day
        else:
            what, on = "close", close_day
        found.append(DueDeal(oid, title, name, person, stage, what, on, step, on < day,
                             None if cents is None else Decimal(cents) / 100))
    return count, found


def stage_name(key: str, lang: str, stage_list: Optional[list] = None) -> str:
    stage = S.by_key(stage_list).get(key)
    return stage.name(lang) if stage else key
