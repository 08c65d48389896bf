"""The customer list's ``ListSource``: ids and rows from ``customer_list``, values shown
in the user's language."""
from __future__ import annotations

from array import array
from dataclasses import replace
from decimal import Decimal
from typing import Any, Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt

from crmdesk.core import custom_fields
from crmdesk.core.customers import fields as F
from crmdesk.core.customers import list as customer_list
from crmdesk.core.customers.list import ListQuery
from crmdesk.ui.common import formatting
from crmdesk.ui.common.labels import choice_label, field_label

ENUM_KEYS = {f.key for f in F.CUSTOMER_FIELDS if f.type == F.ENUM}
# Columns the list shows beyond the spec's fields.
EXTRA_HEADERS = {"updated_at": QT_TRANSLATE_NOOP("CustomerList", "Last changed"),
                 "deleted_at": QT_TRANSLATE_NOOP("CustomerList", "Deleted"),
                 "team": QT_TRANSLATE_NOOP("CustomerList", "Team")}


class CustomerSource:
    entity = "customer"

    def ids(self, query: ListQuery, stop=None) -> array:
        return customer_list.ids(query, stop)

    def first_ids(self, query: ListQuery, limit: int) -> list[int]:
        return customer_list.first_ids(query, limit)

    # The custom fields as of the last page read: ``display`` and ``alignment`` run for
    # every painted cell, and a look-up each would read the setting each time.
    own: dict = {}

    def rows(self, ids: Sequence[int], keys: Sequence[str]) -> dict[int, tuple]:
        self.own = custom_fields.by_field_key()
        return customer_list.rows(ids, keys)

    def header(self, key: str) -> str:
        if key in EXTRA_HEADERS:
            return QCoreApplication.translate("CustomerList", EXTRA_HEADERS[key])
        return field_label(key)

    def display(self, key: str, value: Any) -> str:
        if value is None:
            return ""
        if key in ENUM_KEYS:
            return choice_label(key, value)
        if custom_fields.is_custom(key):
            field = self.own.get(key)
            return formatting.custom_value(field, value) if field else str(value)
        if key == "annual_revenue":
            return formatting.money(Decimal(value) / 100)
        if key == "created_at":
            return formatting.date(str(value))
        if key in ("updated_at", "deleted_at"):
            return formatting.utc_datetime(str(value))
        return str(value)

    def alignment(self, key: str) -> Qt.AlignmentFlag:
        if key == "annual_revenue":
            return Qt.AlignmentFlag.AlignRight
        if custom_fields.is_custom(key) and (field := self.own.get(key)) and field.type == custom_fields.NUMBER:
            return Qt.AlignmentFlag.AlignRight
        return Qt.AlignmentFlag.AlignLeft

    def sort_query(self, query: ListQuery, key: str, descending: bool) -> ListQuery:
        return replace(query, sort=key, descending=descending)


def available_columns() -> list[str]:
    """The built-in columns, then the user's own fields."""
    return [c.key for c in customer_list.COLUMNS] + [f.field_key for f in custom_fields.all_fields()]
