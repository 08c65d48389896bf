"""Care events for the agenda (``crmdesk agenda``): every open event (due or snoozed) shown
on or before the agenda's last day, the overdue ones included, the soonest first; how many
there are, and the first ``MAX_SHOWN`` of them. Events of deleted customers are left out."""
from __future__ import annotations

import datetime as dt

from crmdesk.core.models import database
from crmdesk.core.care import events as care, list as care_list
from crmdesk.core.care.list import FROM, KIND_RANK, SHOWN, CareQuery

MAX_SHOWN = 50


def care_agenda(day: dt.date, days: int = 1, owner: str = "", limit: int = MAX_SHOWN) -> tuple[int, list[care.Event]]:
    """(how many, the ``limit`` soonest) open events shown before ``day`` + ``days``."""
    where, params = care_list.where_clause(CareQuery(view="open", owner=owner, today=day))
    where += f" AND {SHOWN} < :until"
    params["until"] = (day + dt.timedelta(days=max(1, int(days)))).isoformat()
    count = database.execute_sql(f"SELECT count(*) {FROM} WHERE {where}", params).fetchone()[0]
    if not count:
        return 0, []
    ids = [r[0] for r in database.execute_sql(
        f"SELECT e.id {FROM} WHERE {where} ORDER BY {SHOWN}, {KIND_RANK}, c.sort_name, e.id LIMIT {int(limit)}",
        params)]
    return count, care.many(ids)
