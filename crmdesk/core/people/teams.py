"""The sales teams the customers belong to (``customer.team``, synced from the team hub),
for the team filters of the lists, the calendar, the pipeline and the analytics. A laptop
used alone has none, and its filters stay hidden.

Read from the partial index ``customer_live_team`` (migration 0017): one seek per team,
and "are there any teams?" is a single seek, where without it both read every customer."""
from __future__ import annotations

from crmdesk.core.models import database
from crmdesk.core.people import named


def team_names() -> list[str]:
    """The distinct non-empty teams of the live customers, sorted."""
    return named("customer", "team")


def has_teams() -> bool:
    """Whether any live customer belongs to a team (one index seek)."""
    return database.execute_sql("SELECT 1 FROM customer WHERE team > '' AND deleted_at IS NULL LIMIT 1"
                                ).fetchone() is not None
