"""``ListSource`` for the lazy table model: the care list, values in the user's language,
what each event is about in one line, overdue rows red and today's amber."""
from __future__ import annotations

import datetime as dt
import json
from array import array
from dataclasses import replace
from typing import Any, Optional, Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor

from crmdesk.core.care import list as care_list
from crmdesk.core.care.list import CareQuery
from crmdesk.ui.care import labels as CL
from crmdesk.ui.common import formatting

HEADERS = {
    "shown_on": QT_TRANSLATE_NOOP("CareList", "Due"),
    "kind": QT_TRANSLATE_NOOP("CareList", "Kind"),
    "customer_name": QT_TRANSLATE_NOOP("CareList", "Customer"),
    "contact": QT_TRANSLATE_NOOP("CareList", "Contact"),
    "channel": QT_TRANSLATE_NOOP("CareList", "Channel"),
    "about": QT_TRANSLATE_NOOP("CareList", "About"),
    "state": QT_TRANSLATE_NOOP("CareList", "State"),
    "owner": QT_TRANSLATE_NOOP("CareList", "Owner"),
    "result": QT_TRANSLATE_NOOP("CareList", "Result"),
    "done_at": QT_TRANSLATE_NOOP("CareList", "Done"),
}
KEYS = ("shown_on", "kind", "customer_name", "contact", "channel", "state", "owner", "about")  # about: stretches
_ABOUT_PARTS = ("kind", "occasion", "facts", "title", "contact")
SAMPLES = {"customer_name": "上海明华贸易有限公司", "contact": "欧阳明华", "owner": "欧阳明华",
           "about": "王经理生日（农历八月十五）", "result": "已发微信祝福，客户回复感谢"}


def samples(key: str) -> list[str]:
    if key in ("shown_on", "done_at"):
        return [formatting.date(dt.date(2026, 12, 28))]
    if key in ("kind", "channel", "state"):
        return [text for _k, text in CL.choices(key)]
    return [SAMPLES.get(key, "上海明华贸易")]


class CareSource:
    entity = "care_event"

    def __init__(self):
        self.today: Optional[dt.date] = None  # tests pin it

    def day(self) -> dt.date:
        return self.today or dt.date.today()

    def ids(self, query: CareQuery, stop=None) -> array:
        return care_list.ids(replace(query, today=query.today or self.today), stop)

    def first_ids(self, query: CareQuery, limit: int) -> list[int]:
        return care_list.first_ids(replace(query, today=query.today or self.today), limit)

    def rows(self, ids: Sequence[int], keys: Sequence[str]) -> dict[int, tuple]:
        wanted = [k for k in keys if k != "about"]
        extra = [k for k in (*_ABOUT_PARTS, "snoozed_until") if k not in wanted]
        fetched = care_list.rows(ids, wanted + extra)
        names = wanted + extra
        result = {}
        for eid, values in fetched.items():
            row = dict(zip(names, values))
            try:
                facts = json.loads(row["facts"]) if row["facts"] else {}
            except ValueError:
                facts = {}
            row["about"] = CL.about(row["kind"], row["occasion"] or "", facts if isinstance(facts, dict) else {},
                                    row["title"] or "", row["contact"] or "")
            if row.get("state") == "snoozed" and row.get("snoozed_until"):
                row["state"] = ("snoozed", row["snoozed_until"])
            result[eid] = tuple(row[k] for k in keys)
        return result

    def header(self, key: str) -> str:
        return QCoreApplication.translate("CareList", HEADERS.get(key, key))

    def display(self, key: str, value: Any) -> str:
        if value is None or value == "":
            return ""
        if key in ("shown_on", "done_at"):
            return formatting.date(str(value)[:10])
        if key == "state" and isinstance(value, tuple):
            return QCoreApplication.translate("CareList", "Snoozed to {date}").format(date=formatting.date(value[1]))
        if key in ("kind", "channel", "state"):
            return CL.label(key, value)
        return str(value).replace("\n", " ")

    def alignment(self, key: str) -> Qt.AlignmentFlag:
        return Qt.AlignmentFlag.AlignLeft

    def _standing(self, row: tuple, keys: Sequence[str]) -> str:
        if "shown_on" not in keys or "state" not in keys:
            return ""
        state = row[list(keys).index("state")]
        if state not in ("due",) and not isinstance(state, tuple):
            return ""
        shown = str(row[list(keys).index("shown_on")])[:10]
        today = self.day().isoformat()
        return "overdue" if shown < today else ("today" if shown == today else "")

    def foreground(self, key: str, row: tuple, keys: Sequence[str]) -> Optional[QBrush]:
        if key == "shown_on" and self._standing(row, keys) == "overdue":
            return QBrush(QColor(CL.OVERDUE_COLOR))
        return None

    def background(self, key: str, row: tuple, keys: Sequence[str]) -> Optional[QBrush]:
        standing = self._standing(row, keys)
        if standing == "overdue":
            return QBrush(QColor(CL.OVERDUE_TINT))
        if standing == "today":
            return QBrush(QColor(CL.TODAY_TINT))
        return None

    def sort_query(self, query: CareQuery, key: str, descending: bool) -> CareQuery:
        return replace(query, sort="shown_on" if key == "about" else key, descending=descending)
