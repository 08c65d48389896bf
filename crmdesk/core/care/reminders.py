"""Nothing is missed: what the app tells the user when it starts and when a day begins
while it runs.

``wake(today)`` runs the care rules for ``today`` and says how many open events fell due
since the app last looked (while it was closed), how many are due today and overdue. The
day it last looked is kept in the database, and never moves backwards: a clock set back
between two starts reports nothing as newly missed, creates nothing twice, and the day
after the real last one counts again once the clock is right. One summary, however many
events are due: 50,000 are one notice, not 50,000."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Optional

from crmdesk.core.bulk_indexes import indexed_by
from crmdesk.core.care import fields as C
from crmdesk.core.care.spread import Spread
from crmdesk.core.db import transaction
from crmdesk.core.models import Setting, database
from crmdesk.core.care import list as care_list, rules as care_rules

LAST_SEEN_KEY = "care.last_seen"


@dataclass(frozen=True)
class Wake:
    today: dt.date
    last_seen: Optional[dt.date]
    missed: int  # open events that fell due after the last day looked at and before today
    counts: care_list.Counts
    created: int  # events the rules created just now
    clock_back: bool  # today is before the last day looked at
    spread: Optional[Spread] = None  # a flood of inactivity checks, spread over the coming weeks

    @property
    def worth_a_notice(self) -> bool:
        return self.counts.due > 0


def last_seen() -> Optional[dt.date]:
    return care_rules.stored_day(LAST_SEEN_KEY)


def wake(today: dt.date, owner: str = "") -> Wake:
    run = care_rules.run(today)
    with transaction():
        seen = last_seen()
        missed = 0
        if seen is not None and seen < today:
            missed = database.execute_sql(
                f"SELECT count(*) FROM care_event e {indexed_by('care_event_open')}JOIN customer c ON c.id = e.customer_id "
                f"WHERE {care_list.OPEN} AND e.deleted_at IS NULL AND c.deleted_at IS NULL "
                f"AND {C.SHOWN_ON} > ? AND {C.SHOWN_ON} < ?", (seen.isoformat(), today.isoformat())).fetchone()[0]
        Setting.insert(key=LAST_SEEN_KEY, value=json.dumps(today.isoformat())).on_conflict_replace().execute()
    return Wake(today, seen, missed, care_list.counts(today, owner), run.total,
                seen is not None and seen > today, run.spread)
