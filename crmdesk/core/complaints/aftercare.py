"""What a complaint leaves with the customer beyond itself: its follow-up care events
(withdrawn when the complaint is deleted, brought back when it is restored) and the
customer's satisfaction, worked out from the surveys of its latest closings. Both the
complaint's own writes (``complaints``) and its steps (``flow``) use these."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from crmdesk.core.changes import DELETED, RESTORED
from crmdesk.core.models import CareEvent, Complaint, database, utcnow
from crmdesk.core import history

CARE_ENTITY = "care_event"
FOLLOW_UP_KIND = "complaint_follow_up"
SATISFACTION_WINDOW = 5  # the customer's satisfaction: the mean of its latest closings
PENDING = ("due", "snoozed")  # a follow-up not yet done or skipped


def follow_ups_with(complaint: Complaint, when: Optional[dt.datetime]) -> list[int]:
    """Withdraw (``when``: the moment) the complaint's pending follow-ups, or bring back
    (None) those withdrawn at the moment the complaint itself was deleted."""
    if when is not None:
        condition = CareEvent.state.in_(PENDING) & CareEvent.deleted_at.is_null()
        action = DELETED
    elif complaint.deleted_at is not None:
        condition = CareEvent.deleted_at == complaint.deleted_at
        action = RESTORED
    else:
        return []
    events = list(CareEvent.select().where((CareEvent.complaint == complaint.id) & condition))
    if events:
        (CareEvent.update(deleted_at=when, version=CareEvent.version + 1, updated_at=utcnow())
         .where(CareEvent.id.in_([e.id for e in events])).execute())
        history.write([history.Entry(CARE_ENTITY, e.id, e.uuid, complaint.customer_id, action, "", None,
                                     f"{e.kind} {e.due_on.isoformat()} {complaint.number}") for e in events])
    return [e.id for e in events]


def refresh_satisfaction(customer_id: Optional[int] = None) -> None:
    """The customer's satisfaction: the mean, on a 1-5 score, of its latest closings. None:
    every customer with a surveyed complaint (the demo, after writing its complaints)."""
    which = "id = ?" if customer_id is not None else \
        "id IN (SELECT DISTINCT customer_id FROM complaint WHERE satisfaction IS NOT NULL)"
    database.execute_sql(
        "UPDATE customer SET satisfaction = (SELECT ROUND(AVG(1 + (satisfaction - 1) * 4.0 / "
        "(satisfaction_scale - 1)), 2) FROM (SELECT satisfaction, satisfaction_scale FROM complaint "
        "WHERE customer_id = customer.id AND state = 'closed' AND satisfaction IS NOT NULL AND deleted_at IS NULL "
        f"ORDER BY closed_at DESC LIMIT {SATISFACTION_WINDOW})) WHERE {which}",
        (customer_id,) if customer_id is not None else ())
