"""Objections met on visits, with the course's type (需求 need, 财力 budget, 权力 authority,
价格 price, 产品 product, 营销员 salesperson, 购买时间 timing): stored on the visit as JSON
``[[objection, answer, type], ...]`` (rows written before types are two long and still
read), and the statistic per type: how often raised, how often answered, and how many of
the deals they were raised on were lost."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Optional, Sequence

from crmdesk.core.db import transaction
from crmdesk.core.errors import FieldError, ValidationError
from crmdesk.core.io import normalize
from crmdesk.core.models import Visit, database
from crmdesk.core.sales import opportunities_visits
from crmdesk.core.sales.figures import Period
from crmdesk.core.sales import stages as S
from crmdesk.core.sales.fields import OBJECTION_TYPES
from crmdesk.core import history
from crmdesk.core.visits import visits


@dataclass(frozen=True)
class Objection:
    text: str
    answer: str = ""
    type: str = ""  # one of OBJECTION_TYPES, or "" (not typed)


def parse(raw: Optional[str]) -> list[Objection]:
    """The objections stored on a visit; two-element rows (before types) read untyped, a
    text that is no such JSON is one objection."""
    if not raw:
        return []
    try:
        rows = json.loads(raw)
        if not isinstance(rows, list):
            raise ValueError
    except (ValueError, TypeError):
        return [Objection(raw)]
    result = []
    for row in rows:
        cells = (list(row) if isinstance(row, (list, tuple)) else [row]) + ["", "", ""]
        kind = str(cells[2] or "")
        result.append(Objection(str(cells[0] or ""), str(cells[1] or ""), kind if kind in OBJECTION_TYPES else ""))
    return result


def dump(rows: Iterable[Objection | Sequence[str]]) -> str:
    """The JSON stored for ``rows`` (empty ones dropped); ``ValidationError`` for an
    unknown type."""
    clean = []
    for row in rows:
        item = row if isinstance(row, Objection) else Objection(*(list(row) + ["", "", ""])[:3])
        text, answer = normalize.text(item.text), normalize.text(item.answer)
        if item.type and item.type not in OBJECTION_TYPES:
            raise ValidationError({"objections": FieldError("enum_invalid", "objections",
                                                            choices=", ".join(OBJECTION_TYPES))})
        if text or answer:
            clean.append([text, answer, item.type] if item.type else [text, answer])
    return json.dumps(clean, ensure_ascii=False) if clean else ""


def _set(visit_id: int, rows: Sequence[Objection | Sequence[str]]) -> None:
    """Store the typed rows over what ``visits.record`` stored (the same texts, untyped)."""
    visit = Visit.get_by_id(visit_id)
    typed = dump(rows)
    if typed != visit.objections:
        Visit.update(objections=typed).where(Visit.id == visit_id).execute()
        history.write([history.Entry(visits.ENTITY, visit.id, visit.uuid, visit.customer_id, "updated",
                                     "objections", visit.objections, typed)])


def record(visit_id: Optional[int], result: Mapping[str, Any], rows: Sequence[Objection | Sequence[str]],
           expected_version: Optional[int] = None, next_plan: Optional[Mapping[str, Any]] = None,
           stage: Optional[str] = None, plan: Optional[Mapping[str, Any]] = None,
           opportunity_id: Optional[int] = None) -> visits.Written:
    """Record a visit (``visits.record``, or ``visits.log_visit`` with ``plan`` when
    ``visit_id`` is None) with typed objections and the deal it was for, in one transaction."""
    dump(rows)  # an unknown type is refused before anything is written
    pairs = [(r.text, r.answer) if isinstance(r, Objection) else tuple(r)[:2] for r in rows]
    with transaction():
        values = {**result, "objections": pairs}
        if visit_id is None:
            written = visits.log_visit(plan or {}, values, stage, next_plan)
        else:
            written = visits.record(visit_id, values, expected_version, next_plan, stage)
        _set(written.visit_id, rows)
        if opportunity_id is not None:
            written.changes += opportunities_visits.link(written.visit_id, opportunity_id or None)
    return written


@dataclass(frozen=True)
class TypeStat:
    type: str  # "" for objections without a type
    raised: int
    answered: int
    deals: int  # distinct deals it was raised on
    deals_lost: int


def statistics(stage_list: Optional[Sequence[S.Stage]] = None, period: Optional[Period] = None,
               today: Optional[dt.date] = None) -> list[TypeStat]:
    """Per objection type (the course's order, then the untyped ones): how often raised,
    how often answered, on how many deals, and how many of those were lost. With a
    ``period`` (and ``today``, its end at the latest): the visits that started in it, of the
    customers it chooses (owner, region, tier), as the sales figures count them."""
    lost = [s.key for s in (stage_list or S.load()) if s.kind == S.LOST]
    within, params = "", []
    if period is not None:
        if today is None:
            raise ValueError("a period needs today")
        chosen, params = period.customers()
        within = f" AND v.starts_at >= ? AND v.starts_at < ?{chosen}"
        params = [*period.bounds(today), *params]
    rows = database.execute_sql(
        "SELECT CASE WHEN j.type = 'array' THEN coalesce(json_extract(j.value, '$[2]'), '') ELSE '' END, count(*), "
        "sum(j.type = 'array' AND coalesce(json_extract(j.value, '$[1]'), '') != ''), count(DISTINCT o.id), "
        f"count(DISTINCT CASE WHEN o.stage IN ({','.join('?' * len(lost))}) THEN o.id END) "
        "FROM visit v JOIN customer c ON c.id = v.customer_id "
        "JOIN json_each(CASE WHEN json_valid(v.objections) AND json_type(v.objections) = 'array' "
        "THEN v.objections ELSE '[]' END) j "
        "LEFT JOIN opportunity o ON o.id = v.opportunity_id AND o.deleted_at IS NULL "
        f"WHERE v.deleted_at IS NULL AND c.deleted_at IS NULL AND v.objections != ''{within} "
        "GROUP BY 1", [*lost, *params])
    found: dict[str, list[int]] = {}
    for kind, raised, answered, deals, deals_lost in rows:
        key = kind if kind in OBJECTION_TYPES else ""
        totals = found.setdefault(key, [0, 0, 0, 0])
        for i, value in enumerate((raised, answered or 0, deals, deals_lost)):
            totals[i] += value
    order = list(OBJECTION_TYPES) + [""]
    return [TypeStat(key, *found[key]) for key in order if key in found]
