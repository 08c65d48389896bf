"""``ListSource``s for the lazy table model: the visit list and the due-for-a-visit list,
values shown in the user's language."""
from __future__ import annotations

import datetime as dt
from array import array
from dataclasses import replace
from typing import Any, Optional, Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt

from crmdesk.core.visits import list as visit_list, planning as visit_planning
from crmdesk.core.visits.list import VisitQuery
from crmdesk.core.visits.planning import DueQuery
from crmdesk.ui.common import formatting
from crmdesk.ui.common.labels import choice_label
from crmdesk.ui.visits.labels import kind_label, state_label

VISIT_HEADERS = {
    "starts_at": QT_TRANSLATE_NOOP("VisitList", "When"),
    "ends_at": QT_TRANSLATE_NOOP("VisitList", "Until"),
    "customer_name": QT_TRANSLATE_NOOP("VisitList", "Customer"),
    "customer_code": QT_TRANSLATE_NOOP("VisitList", "Customer No."),
    "kind": QT_TRANSLATE_NOOP("VisitList", "Kind"),
    "state": QT_TRANSLATE_NOOP("VisitList", "State"),
    "rep": QT_TRANSLATE_NOOP("VisitList", "Rep"),
    "contacts": QT_TRANSLATE_NOOP("VisitList", "Contacts"),
    "place": QT_TRANSLATE_NOOP("VisitList", "Place"),
    "city": QT_TRANSLATE_NOOP("VisitList", "City"),
    "objective": QT_TRANSLATE_NOOP("VisitList", "Objective"),
    "outcome": QT_TRANSLATE_NOOP("VisitList", "What happened"),
    "rating": QT_TRANSLATE_NOOP("VisitList", "Result"),
    "follow_up": QT_TRANSLATE_NOOP("VisitList", "Follow-up"),
}


def when(value: Any) -> str:
    """A visit's local date and time, in the user's format."""
    if not value:
        return ""
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return f"{formatting.date(moment.date())} {moment:%H:%M}"


class VisitSource:
    entity = "visit"

    def __init__(self):
        self.now: Optional[dt.datetime] = None  # tests pin it

    def ids(self, query: VisitQuery, stop=None) -> array:
        return visit_list.ids(query, stop)

    def first_ids(self, query: VisitQuery, limit: int) -> list[int]:
        return visit_list.first_ids(query, limit)

    def rows(self, ids: Sequence[int], keys: Sequence[str]) -> dict[int, tuple]:
        return visit_list.rows(ids, keys, self.now)

    def header(self, key: str) -> str:
        return QCoreApplication.translate("VisitList", VISIT_HEADERS.get(key, key))

    def display(self, key: str, value: Any) -> str:
        if value is None:
            return ""
        if key in ("starts_at", "ends_at"):
            return when(value)
        if key == "kind":
            return kind_label(value)
        if key == "state":
            return state_label(value)
        if key == "rating":
            return "★" * int(value)
        return str(value).replace("\n", " ")

    def alignment(self, key: str) -> Qt.AlignmentFlag:
        return Qt.AlignmentFlag.AlignLeft

    def sort_query(self, query: VisitQuery, key: str, descending: bool) -> VisitQuery:
        return replace(query, sort=key, descending=descending)


DUE_KEYS = ("overdue_days", "name", "tier", "last_visit", "every_days", "next_visit", "city", "owner", "mobile", "value")
DUE_HEADERS = {
    "overdue_days": QT_TRANSLATE_NOOP("DueList", "Overdue"),
    "name": QT_TRANSLATE_NOOP("DueList", "Customer"),
    "tier": QT_TRANSLATE_NOOP("DueList", "Tier"),
    "last_visit": QT_TRANSLATE_NOOP("DueList", "Last visit"),
    "every_days": QT_TRANSLATE_NOOP("DueList", "Every"),
    "next_visit": QT_TRANSLATE_NOOP("DueList", "Planned"),
    "city": QT_TRANSLATE_NOOP("DueList", "City"),
    "owner": QT_TRANSLATE_NOOP("DueList", "Owner"),
    "mobile": QT_TRANSLATE_NOOP("DueList", "Mobile"),
    "value": QT_TRANSLATE_NOOP("DueList", "Evaluation"),
}


def days(count: int) -> str:
    if count == 1:
        return QCoreApplication.translate("DueList", "%n day", "", count)
    return QCoreApplication.translate("DueList", "%n days", "", count)


class DueSource:
    """Customers due for a visit, most overdue and most valuable first (the order is the
    service's; the columns don't re-sort it)."""
    entity = "customer"

    def __init__(self):
        self.query_today = dt.date.today()  # the tab keeps it in step with its query

    def ids(self, query: DueQuery, stop=None) -> array:
        return visit_planning.due_ids(query, stop)

    def first_ids(self, query: DueQuery, limit: int) -> list[int]:
        return visit_planning.first_due_ids(query, limit)

    def rows(self, ids: Sequence[int], keys: Sequence[str]) -> dict[int, tuple]:
        found = visit_planning.due_rows(ids, self.query_today)
        return {i: tuple(getattr(row, k) for k in keys) for i, row in found.items()}

    def header(self, key: str) -> str:
        return QCoreApplication.translate("DueList", DUE_HEADERS.get(key, key))

    def display(self, key: str, value: Any) -> str:
        if value is None or value == "":
            return "—" if key in ("last_visit", "next_visit") else ""
        if key == "overdue_days":
            if value > 0:
                return days(value)
            if value == 0:
                return QCoreApplication.translate("DueList", "due today")
            return (QCoreApplication.translate("DueList", "in %n day", "", -value) if value == -1 else
                    QCoreApplication.translate("DueList", "in %n days", "", -value))
        if key == "tier":
            return choice_label("tier", value) or QCoreApplication.translate("DueList", "No tier")
        if key == "last_visit":
            return formatting.date(value)
        if key == "next_visit":
            return when(value)
        if key == "every_days":
            return days(value)
        if key == "value":
            return f"{value}/25" if value else ""
        return str(value)

    def alignment(self, key: str) -> Qt.AlignmentFlag:
        return Qt.AlignmentFlag.AlignRight if key in ("overdue_days", "every_days", "value") else Qt.AlignmentFlag.AlignLeft

    def sort_query(self, query: DueQuery, key: str, descending: bool) -> DueQuery:
        return query
