"""``ListSource`` for the lazy table model: the complaint list, values shown in the user's
language, overdue rows red and due-soon rows amber."""
from __future__ import annotations

import datetime as dt
from array import array
from dataclasses import replace
from typing import Any, Optional, Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor

from crmdesk.core.complaints import list as complaint_list
from crmdesk.core.complaints.list import ComplaintQuery
from crmdesk.ui.complaints import labels as CL
from crmdesk.ui.visits.sources import when

HEADERS = {
    "number": QT_TRANSLATE_NOOP("ComplaintList", "No."),
    "received_at": QT_TRANSLATE_NOOP("ComplaintList", "Received"),
    "customer_name": QT_TRANSLATE_NOOP("ComplaintList", "Customer"),
    "customer_code": QT_TRANSLATE_NOOP("ComplaintList", "Customer No."),
    "contact": QT_TRANSLATE_NOOP("ComplaintList", "Contact"),
    "channel": QT_TRANSLATE_NOOP("ComplaintList", "Channel"),
    "category": QT_TRANSLATE_NOOP("ComplaintList", "Category"),
    "subcategory": QT_TRANSLATE_NOOP("ComplaintList", "Subcategory"),
    "product": QT_TRANSLATE_NOOP("ComplaintList", "Product"),
    "severity": QT_TRANSLATE_NOOP("ComplaintList", "Severity"),
    "state": QT_TRANSLATE_NOOP("ComplaintList", "State"),
    "status": QT_TRANSLATE_NOOP("ComplaintList", "Deadline"),
    "due_at": QT_TRANSLATE_NOOP("ComplaintList", "Due"),
    "owner": QT_TRANSLATE_NOOP("ComplaintList", "Owner"),
    "words": QT_TRANSLATE_NOOP("ComplaintList", "Customer's words"),
    "solution": QT_TRANSLATE_NOOP("ComplaintList", "Solution"),
    "repeat": QT_TRANSLATE_NOOP("ComplaintList", "Repeat"),
    "satisfaction": QT_TRANSLATE_NOOP("ComplaintList", "Satisfaction"),
    "resolved_at": QT_TRANSLATE_NOOP("ComplaintList", "Resolved"),
    "closed_at": QT_TRANSLATE_NOOP("ComplaintList", "Closed"),
}
KEYS = ("number", "received_at", "customer_name", "category", "severity", "state", "status", "due_at", "owner",
        "repeat")


SAMPLE_MOMENT = dt.datetime(2026, 12, 28, 23, 59)
SAMPLES = {"number": ("CMP-20261231-999",), "customer_name": ("上海明华贸易有限公司",), "owner": ("欧阳明华",),
           "contact": ("王经理",), "product": ("激光打印机 LJ-2400",)}


def samples(key: str) -> list[str]:
    """Texts as wide as the column's usual values, to size it before any row is read."""
    if key in ("received_at", "due_at", "resolved_at", "closed_at"):
        return [when(SAMPLE_MOMENT)]
    if key in ("channel", "category", "severity", "state", "status"):
        return [CL.label(key, k) for k in CL.SOURCES[key]]
    if key == "repeat":
        return [QCoreApplication.translate("ComplaintList", "Repeat")]
    return list(SAMPLES.get(key, ("上海明华贸易",)))


class ComplaintSource:
    entity = "complaint"

    def __init__(self):
        self.now: Optional[dt.datetime] = None  # tests pin it

    def moment(self) -> dt.datetime:
        return self.now or dt.datetime.now().replace(second=0, microsecond=0)

    def ids(self, query: ComplaintQuery, stop=None) -> array:
        return complaint_list.ids(replace(query, now=query.now or self.now), stop)

    def first_ids(self, query: ComplaintQuery, limit: int) -> list[int]:
        return complaint_list.first_ids(replace(query, now=query.now or self.now), limit)

    def rows(self, ids: Sequence[int], keys: Sequence[str]) -> dict[int, tuple]:
        return complaint_list.rows(ids, keys, self.moment())

    def header(self, key: str) -> str:
        return QCoreApplication.translate("ComplaintList", HEADERS.get(key, key))

    def display(self, key: str, value: Any) -> str:
        if value is None or value == "":
            return ""
        if key in ("received_at", "due_at", "resolved_at", "closed_at"):
            return when(value)
        if key in ("channel", "category", "severity", "state", "status"):
            return CL.label(key, value)
        if key == "repeat":
            return QCoreApplication.translate("ComplaintList", "Repeat") if value else ""
        if key == "satisfaction":
            return "★" * int(value)
        return str(value).replace("\n", " ")

    def alignment(self, key: str) -> Qt.AlignmentFlag:
        return Qt.AlignmentFlag.AlignLeft

    def foreground(self, key: str, row: tuple, keys: Sequence[str]) -> Optional[QBrush]:
        status = row[list(keys).index("status")] if "status" in keys else None
        if key in ("status", "due_at") and status in CL.STATUS_COLORS:
            return QBrush(CL.status_color(status))
        return None

    def background(self, key: str, row: tuple, keys: Sequence[str]) -> Optional[QBrush]:
        status = row[list(keys).index("status")] if "status" in keys else None
        tint = CL.STATUS_TINTS.get(status)
        return QBrush(QColor(tint)) if tint else None

    def sort_query(self, query: ComplaintQuery, key: str, descending: bool) -> ComplaintQuery:
        return replace(query, sort=key, descending=descending)
