"""Visits for a deal: plan a visit linked to an opportunity ("Plan a visit" from a card),
correct a visit's plan and its deal together, plan a repeating visit for a deal, link or
unlink a visit, and the visits of a deal. The opportunity must be a live one of the visit's
own customer; each write is one transaction (a refused link leaves the visit as it was).

A repeating plan made for a deal is for that deal while the deal is open (``plan_series``
here; what follows, ``series_deals``)."""
from __future__ import annotations

import datetime as dt
from typing import Any, Mapping, Optional

from crmdesk.core.changes import UPDATED, Changes
from crmdesk.core.db import transaction
from crmdesk.core.errors import CrmError
from crmdesk.core.models import Opportunity, Visit, utcnow
from crmdesk.core.sales import opportunities as O
from crmdesk.core.sales import stages as S
from crmdesk.core import history
from crmdesk.core.visits import series as visit_series, visits

RECENTLY_WON_DAYS = 90  # a sale is offered the deals won this recently

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


def update_plan(visit_id: int, plan: Mapping[str, Any], expected_version: Optional[int],
                opportunity_id: Optional[int]) -> visits.Written:
    """Correct a visit's plan (``visits.update_plan``) and the deal it is for, in one
    transaction: a refused deal leaves the plan unchanged too."""
    with transaction():
        written = visits.update_plan(visit_id, plan, expected_version)
        written.changes = written.changes + link(visit_id, opportunity_id)
    return written


def plan_series(plan: Mapping[str, Any], rule: Mapping[str, Any],
                opportunity_id: Optional[int]) -> visit_series.SeriesResult:
    """A repeating plan (``visit_series.create``) for a deal, in one transaction: every
    visit it plans now is for the deal; later ones follow ``series_deals``."""
    with transaction():
        _check(opportunity_id, int(plan.get("customer_id") or 0))
        result = visit_series.create(plan, rule)
        if opportunity_id:
            for visit_id in (result.changes[0].ids if result.changes else ()):
                result.changes += link(visit_id, opportunity_id)
    return result


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


def sale_choices(customer_id: int, today: dt.date, keep: Optional[int] = None) -> list[tuple[int, str]]:
    """(id, title) of the deals a sale of the customer can be for: the open ones and the
    ones won in the last ``RECENTLY_WON_DAYS`` days, the latest first; ``keep`` too."""
    won = [s.key for s in S.load() if s.kind == S.WON]
    query = Opportunity.select(Opportunity.id, Opportunity.title).where(
        (Opportunity.customer == customer_id) & Opportunity.deleted_at.is_null()
        & (Opportunity.stage.in_([s.key for s in S.open_stages()])
           | (Opportunity.stage.in_(won) & (Opportunity.closed_on >= today - dt.timedelta(days=RECENTLY_WON_DAYS)))))
    rows = [(o.id, o.title) for o in query.order_by(Opportunity.created_at.desc(), Opportunity.id.desc())]
    if keep and keep not in {i for i, _ in rows}:
        kept = Opportunity.get_or_none(Opportunity.id == keep)
        if kept is not None and kept.deleted_at is None:
            rows.append((kept.id, kept.title))
    return rows
