"""Dates, times and money in the user's locale (QLocale), and a customer's field values as
people read them."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Optional, Union

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLocale, QTime, QTimeZone

from crmdesk.core import custom_fields
from crmdesk.core.customers import fields as F
from crmdesk.core.phones.rules import display as phone_display
from crmdesk.ui.common.labels import choice_label

Number = Union[Decimal, int, float]


def money(value: Optional[Number]) -> str:
    if value is None:
        return ""
    return "¥" + QLocale().toString(float(value), "f", 2)


def number(value: Optional[Number], decimals: int = 0) -> str:
    if value is None:
        return ""
    return QLocale().toString(float(value), "f", decimals)


def date(value: Optional[Union[dt.date, str]]) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    return QLocale().toString(QDate(value.year, value.month, value.day), date_format())


def date_format() -> str:
    """The locale's short date format, always with a four-digit year (en_US's is M/d/yy)."""
    pattern = QLocale().dateFormat(QLocale.FormatType.ShortFormat)
    if "yyyy" not in pattern:
        pattern = pattern.replace("yy", "yyyy")
    return pattern


def utc_datetime(value: Optional[Union[dt.datetime, str]]) -> str:
    """A UTC timestamp from the database, shown in local time."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    moment = QDateTime(QDate(value.year, value.month, value.day),
                       QTime(value.hour, value.minute, value.second), QTimeZone.utc())
    return QLocale().toString(moment.toLocalTime(), f"{date_format()} HH:mm")


def customer_value(field, value) -> str:
    """A customer field's stored value as the profile and the merge show it ("" when blank)."""
    if value is None or value == "" or value == []:
        return ""
    if field.type == F.ENUM:
        return choice_label(field.key, value)
    if field.type == F.DECIMAL:
        return money(value)
    if field.type == F.DATE:
        return date(value)
    if field.type == F.TAGS:
        return ", ".join(value)
    if field.type == F.PHONE:
        return phone_display(value)
    if field.type == F.BIRTHDAY:
        return value.as_text()
    if field.type == F.SCORE:
        return "★" * int(value) + "☆" * (5 - int(value))
    return str(value)


def custom_value(field, value) -> str:
    """A custom field's stored value as the list, the profile and the form show it."""
    if value is None or value == "":
        return ""
    if field.type == custom_fields.DATE:
        return date(str(value))
    if field.type == custom_fields.NUMBER and isinstance(value, (int, float)):
        return custom_fields.display(field, value).replace(".", QLocale().decimalPoint()) \
            if isinstance(value, float) else QLocale().toString(int(value))
    return custom_fields.display(field, value, QCoreApplication.translate("CustomFields", "Yes"),
                                 QCoreApplication.translate("CustomFields", "No"))
