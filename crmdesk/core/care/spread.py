"""A first run, an import or a long absence must not bury the care list.

The inactivity rules ("no contact for 90 days", churn warnings) are made due on the day of
the run. On an everyday run that is a handful of checks; on the rules' first run over an
existing book, after an import of old customers, or after weeks without a run, it is
hundreds (705 on the 2,000-customer demo), all due today. Such a run is a *flood*:

- it created more than ``FLOOD`` (20) inactivity checks, or
- it is the rules' first run, or the first after more than ``ABSENCE_DAYS`` (14) days,
  and some rep got more than a day's quota of them.

A flood's new checks are spread per rep (the customer's owner; customers without one
share the "" rep) over the working days from today on (weekends and Chinese public
holidays skipped, ``core.work_calendar``), at most ``DAILY_QUOTA`` per rep and day, the
most valuable first: key accounts, then by lifetime revenue, then the customer's number.
A quota per rep rather than one summary item: each check stays a call to one customer the
rep can do, snooze or finish as any other, and the customers who matter most are called
first; a summary item would only move the pile one click further. Five a day is what a rep
can add to the day's visits without dropping them; the demo's 705 checks over 13 reps end
within three weeks.

Everyday runs are left alone: their checks stay due today. Spreading only moves due days
of the run's own new checks; it never touches older events. Deterministic: the order is
fixed by tier, revenue and number, and the days by the calendar, for a given ``today``."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from crmdesk.core.models import database
from crmdesk.core.work_calendar import OutOfRange, calendar

FLOOD = 20  # more new inactivity checks than this in one run is a flood
ABSENCE_DAYS = 14  # a run after more days than this without one is a long absence
DAILY_QUOTA = 5  # inactivity checks per rep and working day at most, in a flood
FIRST_RUN, ABSENCE, MANY = "first_run", "absence", "many"  # why a run was a flood


@dataclass(frozen=True)
class Spread:
    count: int  # inactivity checks the run created (all of them spread or due today)
    reason: str  # FIRST_RUN, ABSENCE or MANY
    last_day: dt.date  # the last day one of them is due on
    today: dt.date
    reps: int  # reps with checks

    @property
    def weeks(self) -> int:
        """Over how many weeks (counting this one) the checks are spread: at least 1."""
        return max(1, (self.last_day - self.today).days // 7 + 1)


def working_days(today: dt.date):
    """``today`` (whatever day it is: the user is at work) and the working days after it."""
    yield today
    day = today + dt.timedelta(days=1)
    work = calendar()
    while True:
        try:
            worked = work.is_working_day(day)
        except OutOfRange:  # beyond the holiday tables: weekdays only
            worked = day.weekday() < 5
        if worked:
            yield day
        day += dt.timedelta(days=1)


def reason(created: int, last: Optional[dt.date], today: dt.date, biggest_share: int) -> Optional[str]:
    """Why a run that created ``created`` inactivity checks (``biggest_share`` of them for
    one rep) is a flood, or None for an everyday run."""
    if created > FLOOD:
        return MANY
    if biggest_share > DAILY_QUOTA:
        if last is None:
            return FIRST_RUN
        if (today - last).days > ABSENCE_DAYS:
            return ABSENCE
    return None


def spread(created_at: str, kind: str, today: dt.date, last: Optional[dt.date]) -> Optional[Spread]:
    """Spread the open inactivity checks (``kind``) created at ``created_at`` (one run's
    stamp) if the run was a flood; the Spread, or None when they stay due today."""
    rows = database.execute_sql(
        "SELECT e.id, COALESCE(c.owner, ''), COALESCE(c.tier, ''), COALESCE(v.total, 0), c.code FROM care_event e "
        "JOIN customer c ON c.id = e.customer_id "
        "LEFT JOIN (SELECT customer_id, sum(amount) AS total FROM transactions WHERE deleted_at IS NULL "
        "GROUP BY customer_id) v ON v.customer_id = e.customer_id "
        "WHERE e.kind = ? AND e.created_at = ? AND e.state = 'due' AND e.deleted_at IS NULL AND e.due_on = ?",
        (kind, created_at, today.isoformat())).fetchall()
    by_rep: dict[str, list[tuple]] = {}
    for eid, owner, tier, total, code in rows:
        by_rep.setdefault(owner, []).append((tier != "key", -total, code or "", eid))
    why = reason(len(rows), last, today, max((len(v) for v in by_rep.values()), default=0))
    if why is None:
        return None
    moves: list[tuple[str, int]] = []
    last_day = today
    for checks in by_rep.values():
        checks.sort()
        days = working_days(today)
        for start in range(0, len(checks), DAILY_QUOTA):
            day = next(days)
            last_day = max(last_day, day)
            if day != today:
                moves += [(day.isoformat(), check[-1]) for check in checks[start:start + DAILY_QUOTA]]
    database.cursor().executemany("UPDATE care_event SET due_on = ? WHERE id = ?", moves)
    return Spread(len(rows), why, last_day, today, len(by_rep))
