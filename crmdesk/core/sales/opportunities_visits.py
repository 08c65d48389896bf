"""Visits for a deal: plan a visit linked to an opportunity ("Plan a visit" from a card),
link or unlink a visit, and the visits of a deal. The opportunity must be a live one of
the visit's own customer."""
from __future__ import annotations

from typing import Any, Mapping, Optional

from crmdesk.core.changes import UPDATED, Changes
from crmdesk.core.db import transaction
from crmdesk.core.errors import CrmError
from crmdesk.core.models import Visit, utcnow
from crmdesk.core.sales import opportunities as O
from crmdesk.core.services import history, visits

OTHER_CUSTOMER = "opportunity_other_customer"


def _check(opportunity_id: Optional[int], customer_id: int) -> None:
    if not opportunity_id:
        return
    row = O.get(opportunity_id)
    if row.customer_id != customer_id:
        raise CrmError(OTHER_CUSTOMER, title=row.title)


def link(visit_id: int, opportunity_id: Optional[int]) -> list[Changes]:
    """The visit is for ``opportunity_id`` (None: for no deal); logged on the visit."""
    with transaction():
        visit = visits.get(visit_id)
        _check(opportunity_id, visit.customer_id)
        if visit.opportunity_id == (opportunity_id or None):
            return []
        (Visit.update(opportunity=opportunity_id or None, version=Visit.version + 1, updated_at=utcnow())
         .where(Visit.id == visit_id).execute())
        history.write([history.Entry(visits.ENTITY, visit.id, visit.uuid, visit.customer_id, UPDATED,
                                     "opportunity", visit.opportunity_id, opportunity_id or None)])
    return [Changes(visits.ENTITY, UPDATED, (visit_id,)), Changes(O.ENTITY, UPDATED,
                                                                 tuple(i for i in (opportunity_id,) if i))]


def plan_visit(plan: Mapping[str, Any], opportunity_id: Optional[int]) -> visits.Written:
    """Plan a visit (``visits.create``'s fields) for a deal, in one transaction."""
    with transaction():
        _check(opportunity_id, int(plan.get("customer_id") or 0))
        written = visits.create(plan)
        if opportunity_id:
            written.changes += link(written.visit_id, opportunity_id)
    return written


def visits_of(opportunity_id: int) -> list[Visit]:
    """The deal's live visits, the latest first."""
    return list(Visit.select().where((Visit.opportunity == opportunity_id) & Visit.deleted_at.is_null())
                .order_by(Visit.starts_at.desc(), Visit.id.desc()))


def choices(customer_id: int, keep: Optional[int] = None) -> list[tuple[int, str]]:
    """(id, title) of the customer's open deals, for a visit form; ``keep``: the one the
    visit is linked to, even when it has closed since."""
    rows = [(o.id, o.title) for o in O.for_customer(customer_id, open_only=True)]
    if keep and keep not in {i for i, _ in rows}:
        try:
            kept = O.get(keep)
            rows.append((kept.id, kept.title))
        except CrmError:
            pass
    return rows
