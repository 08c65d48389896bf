"""Complaint deadlines for the agenda (``crmdesk agenda``): every open complaint whose next
deadline (the first response while it is new, else the resolution) falls before the end
of the agenda's days, overdue ones included, the soonest first. Complaints waiting for
the customer have no running deadline and are left out."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from crmdesk.core.models import database
from crmdesk.core.complaints import settings as complaint_settings
from crmdesk.core.complaints.list import DUE

MAX_SHOWN = 200


@dataclass(frozen=True)
class Deadline:
    complaint_id: int
    number: str
    customer_name: str
    owner: str
    severity: str
    state: str
    deadline: str  # "response" or "resolution"
    due_at: dt.datetime
    late_minutes: int  # business minutes past the deadline at ``now`` (0 on the evening or weekend after it)
    overdue: bool  # the deadline has passed at ``now``


def deadlines(until: dt.datetime, now: Optional[dt.datetime] = None, owner: str = "",
              limit: int = MAX_SHOWN) -> tuple[int, list[Deadline]]:
    """(how many, the ``limit`` soonest) open complaints with a deadline before ``until``."""
    now = now or dt.datetime.now().replace(second=0, microsecond=0)
    due = DUE  # the next deadline, as the list sorts by it
    where = (f"m.state NOT IN ('resolved', 'closed') AND m.deleted_at IS NULL AND m.waiting_since IS NULL "
             f"AND c.deleted_at IS NULL AND {due} < ?")
    params: list = [until.isoformat(" ")]
    if owner:
        where += " AND m.owner = ?"
        params.append(owner)
    base = f"FROM complaint m JOIN customer c ON c.id = m.customer_id WHERE {where}"
    count = database.execute_sql(f"SELECT count(*) {base}", params).fetchone()[0]
    calendar = complaint_settings.load().calendar()
    found = []
    for cid, number, name, person, severity, state, response_due, resolution_due in database.execute_sql(
            f"SELECT m.id, m.number, c.name, m.owner, m.severity, m.state, m.response_due_at, m.resolution_due_at "
            f"{base} ORDER BY {due}, m.id LIMIT {int(limit)}", params):
        response_due = dt.datetime.fromisoformat(str(response_due))
        resolution_due = dt.datetime.fromisoformat(str(resolution_due))
        if state == "new" and response_due < resolution_due:
            deadline, moment = "response", response_due
        else:
            deadline, moment = "resolution", resolution_due
        late = max(0, calendar.minutes_between(moment, now)) if moment < now else 0
        found.append(Deadline(cid, number, name, person, severity, state, deadline, moment, late, moment < now))
    return count, found
