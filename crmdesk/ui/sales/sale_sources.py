"""The ``ListSource`` of the sales list: values shown in the user's language, money
right-aligned, a refund said as such."""
from __future__ import annotations

import datetime as dt
from array import array
from dataclasses import replace
from typing import Any, Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QColor

from crmdesk.core.sales import sale_list
from crmdesk.core.sales.sale_list import SaleQuery
from crmdesk.ui.common import formatting

HEADERS = {
    "date": QT_TRANSLATE_NOOP("SaleList", "Date"),
    "customer_name": QT_TRANSLATE_NOOP("SaleList", "Customer"),
    "customer_code": QT_TRANSLATE_NOOP("SaleList", "Customer No."),
    "products": QT_TRANSLATE_NOOP("SaleList", "Products"),
    "amount": QT_TRANSLATE_NOOP("SaleList", "Amount"),
    "paid": QT_TRANSLATE_NOOP("SaleList", "Paid"),
    "owed": QT_TRANSLATE_NOOP("SaleList", "Owed"),
    "due_on": QT_TRANSLATE_NOOP("SaleList", "Due"),
    "owner": QT_TRANSLATE_NOOP("SaleList", "Owner"),
    "kind": QT_TRANSLATE_NOOP("SaleList", "Kind"),
    "notes": QT_TRANSLATE_NOOP("SaleList", "Notes"),
}
KINDS = {"sale": QT_TRANSLATE_NOOP("SaleList", "Sale"), "refund": QT_TRANSLATE_NOOP("SaleList", "Refund")}


def kind_label(kind: str) -> str:
    return QCoreApplication.translate("SaleList", KINDS.get(kind, kind))


class SaleSource:
    entity = "sale"

    def ids(self, query: SaleQuery, stop=None) -> array:
        return sale_list.ids(query, stop)

    def first_ids(self, query: SaleQuery, limit: int) -> list[int]:
        return sale_list.first_ids(query, limit)

    def rows(self, ids: Sequence[int], keys: Sequence[str]) -> dict[int, tuple]:
        """A refund's products come as ("refund", text), so that the list says it is one."""
        if "products" not in keys:
            return sale_list.rows(ids, keys)
        found = sale_list.rows(ids, [*keys, "kind"])
        at = list(keys).index("products")
        return {i: tuple((row[-1], v) if n == at and row[-1] == "refund" else v for n, v in enumerate(row[:-1]))
                for i, row in found.items()}

    def header(self, key: str) -> str:
        return QCoreApplication.translate("SaleList", HEADERS.get(key, key))

    def display(self, key: str, value: Any) -> str:
        if value is None:
            return ""
        if key in ("date", "due_on"):
            return formatting.date(value)
        if key in sale_list.MONEY:
            return "" if key == "owed" and value <= 0 else formatting.money(value)
        if key == "kind":
            return kind_label(value)
        if isinstance(value, tuple):  # a refund's products
            return QCoreApplication.translate("SaleList", "Refund: {products}").format(products=value[1] or "")
        return str(value).replace("\n", " ")

    def alignment(self, key: str) -> Qt.AlignmentFlag:
        return Qt.AlignmentFlag.AlignRight if key in sale_list.MONEY else Qt.AlignmentFlag.AlignLeft

    def sort_query(self, query: SaleQuery, key: str, descending: bool) -> SaleQuery:
        return replace(query, sort=key, descending=descending)

    def foreground(self, key: str, row: tuple, keys: Sequence[str]):
        """What is owed past its due date, in red."""
        if key not in ("owed", "due_on") or "owed" not in keys or "due_on" not in keys:
            return None
        owed, due = row[keys.index("owed")], row[keys.index("due_on")]
        if owed is not None and owed > 0 and due and str(due) < self.today().isoformat():
            return QColor("#b3261e")
        return None

    def today(self) -> dt.date:
        return self.pinned_today or dt.date.today()

    pinned_today = None  # tests pin it
