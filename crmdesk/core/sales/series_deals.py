"""A repeating visit plan made for a deal is for that deal while the deal is open.

The visits the series plans while the deal is open are linked to it (``carry_deal``: the
series plans its next visits as the earlier ones are done, and those follow the deal its
earlier visits were for, when that deal is still open). When the deal is won or lost, the
series' visits still planned after the day it closed are no longer for it (``release``;
an undo of the close puts them back, ``relink``): the series goes on for the customer
alone, and a closed deal keeps only the visits that happened while it was open. Visits
planned one by one keep their deal: the user chose it for each. Callers hold the
transaction; each link change is logged on the visit as ``opportunities_visits.link`` does."""
from __future__ import annotations

import datetime as dt
from typing import Iterable, Optional

from crmdesk.core.visits import fields as V
from crmdesk.core.changes import UPDATED, Changes
from crmdesk.core.models import Opportunity, Visit, utcnow
from crmdesk.core.sales import stages as S
from crmdesk.core import history
from crmdesk.core.visits import records

OPPORTUNITY_ENTITY = "opportunity"


def is_open(row: Opportunity) -> bool:
    return row.deleted_at is None and row.stage in {s.key for s in S.open_stages()}


def _set(visit_ids: Iterable[int], opportunity_id: Optional[int]) -> list[Changes]:
    rows = list(Visit.select().where(Visit.id.in_(tuple(visit_ids))))
    rows = [v for v in rows if v.opportunity_id != opportunity_id]
    if not rows:
        return []
    ids = tuple(v.id for v in rows)
    (Visit.update(opportunity=opportunity_id, version=Visit.version + 1, updated_at=utcnow())
     .where(Visit.id.in_(ids)).execute())
    history.write([history.Entry(records.ENTITY, v.id, v.uuid, v.customer_id, UPDATED, "opportunity",
                                 v.opportunity_id, opportunity_id) for v in rows])
    deals = tuple(sorted({i for i in [opportunity_id] + [v.opportunity_id for v in rows] if i}))
    return [Changes(records.ENTITY, UPDATED, ids), Changes(OPPORTUNITY_ENTITY, UPDATED, deals)]


def carry_deal(series_id: int, new_ids: Iterable[int]) -> list[Changes]:
    """Visits a series just planned: for the deal its latest linked visit is for, while
    that deal is open."""
    new_ids = tuple(new_ids)
    earlier = (Visit.select(Visit.opportunity).where((Visit.series == series_id) & Visit.id.not_in(new_ids)
                                                    & Visit.opportunity.is_null(False))
               .order_by(Visit.starts_at.desc(), Visit.id.desc()).first())
    deal = Opportunity.get_or_none(Opportunity.id == earlier.opportunity_id) if earlier else None
    if deal is None or not is_open(deal):
        return []
    return _set(new_ids, deal.id)


def release(opportunity_id: int, closed_on: dt.date) -> tuple[tuple[int, ...], list[Changes]]:
    """The deal closed on ``closed_on``: its series visits still planned after that day
    are no longer for it. Returns their ids (for an undo) and the Changes."""
    after = dt.datetime.combine(closed_on + dt.timedelta(days=1), dt.time())
    ids = tuple(v.id for v in Visit.select(Visit.id).where(
        (Visit.opportunity == opportunity_id) & Visit.series.is_null(False) & (Visit.state == V.PLANNED)
        & Visit.deleted_at.is_null() & (Visit.starts_at >= after)))
    return ids, _set(ids, None) if ids else []


def relink(opportunity_id: int, visit_ids: Iterable[int]) -> list[Changes]:
    """Undo of ``release``: the visits it let go that are still for no deal are the deal's again."""
    ids = tuple(v.id for v in Visit.select(Visit.id).where(
        Visit.id.in_(tuple(visit_ids)) & Visit.opportunity.is_null() & Visit.deleted_at.is_null()))
    return _set(ids, opportunity_id) if ids else []
