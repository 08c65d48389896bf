"""Complaint channels, categories, severities, states, compensations, deadline standings
and satisfaction levels in the user's language, and the colours the standings are shown in."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QT_TRANSLATE_NOOP
from PySide6.QtGui import QColor

from crmdesk.core.complaints import fields as K

CONTEXT = "Complaint"
SOURCES = {
    "channel": {
        "phone": QT_TRANSLATE_NOOP("Complaint", "Phone"), "visit": QT_TRANSLATE_NOOP("Complaint", "Visit"),
        "email": QT_TRANSLATE_NOOP("Complaint", "Email"), "wechat": QT_TRANSLATE_NOOP("Complaint", "WeChat"),
        "letter": QT_TRANSLATE_NOOP("Complaint", "Letter"), "web": QT_TRANSLATE_NOOP("Complaint", "Website"),
        "other": QT_TRANSLATE_NOOP("Complaint", "Other"),
    },
    "category": {
        "product_quality": QT_TRANSLATE_NOOP("Complaint", "Product quality"),
        "service_quality": QT_TRANSLATE_NOOP("Complaint", "Service quality"),
        "staff_attitude": QT_TRANSLATE_NOOP("Complaint", "Staff attitude"),
        "promise_not_kept": QT_TRANSLATE_NOOP("Complaint", "Promise not kept"),
        "delivery": QT_TRANSLATE_NOOP("Complaint", "Delivery"),
        "price_billing": QT_TRANSLATE_NOOP("Complaint", "Price or billing"),
        "other": QT_TRANSLATE_NOOP("Complaint", "Other"),
    },
    "severity": {
        "low": QT_TRANSLATE_NOOP("Complaint", "Low"), "normal": QT_TRANSLATE_NOOP("Complaint", "Normal"),
        "high": QT_TRANSLATE_NOOP("Complaint", "High"), "critical": QT_TRANSLATE_NOOP("Complaint", "Critical"),
    },
    "state": {
        "new": QT_TRANSLATE_NOOP("Complaint", "New"),
        "acknowledged": QT_TRANSLATE_NOOP("Complaint", "Acknowledged"),
        "investigating": QT_TRANSLATE_NOOP("Complaint", "Investigating"),
        "proposed": QT_TRANSLATE_NOOP("Complaint", "Solution proposed"),
        "resolved": QT_TRANSLATE_NOOP("Complaint", "Resolved"),
        "closed": QT_TRANSLATE_NOOP("Complaint", "Closed"),
    },
    "compensation_kind": {
        "none": QT_TRANSLATE_NOOP("Complaint", "None"), "refund": QT_TRANSLATE_NOOP("Complaint", "Refund"),
        "replacement": QT_TRANSLATE_NOOP("Complaint", "Replacement"),
        "repair": QT_TRANSLATE_NOOP("Complaint", "Repair"), "discount": QT_TRANSLATE_NOOP("Complaint", "Discount"),
        "voucher": QT_TRANSLATE_NOOP("Complaint", "Voucher"), "gift": QT_TRANSLATE_NOOP("Complaint", "Gift"),
        "other": QT_TRANSLATE_NOOP("Complaint", "Other"),
    },
    "status": {
        "overdue": QT_TRANSLATE_NOOP("Complaint", "Overdue"), "due_soon": QT_TRANSLATE_NOOP("Complaint", "Due soon"),
        "waiting": QT_TRANSLATE_NOOP("Complaint", "Waiting for the customer"),
        "on_time": QT_TRANSLATE_NOOP("Complaint", "On time"),
    },
    "checklist": {
        "words": QT_TRANSLATE_NOOP("Complaint", "The customer's own words written down"),
        "contact": QT_TRANSLATE_NOOP("Complaint", "Whom to answer and how to reach them"),
        "first_response": QT_TRANSLATE_NOOP("Complaint", "First response given"),
        "facts": QT_TRANSLATE_NOOP("Complaint", "Facts established"),
        "root_cause": QT_TRANSLATE_NOOP("Complaint", "Root cause found"),
        "solution": QT_TRANSLATE_NOOP("Complaint", "Solution offered"),
        "compensation": QT_TRANSLATE_NOOP("Complaint", "Compensation decided"),
        "accepted": QT_TRANSLATE_NOOP("Complaint", "The customer accepted"),
        "satisfaction": QT_TRANSLATE_NOOP("Complaint", "Satisfaction surveyed"),
        "follow_up": QT_TRANSLATE_NOOP("Complaint", "Follow-up planned"),
    },
}
SATISFACTION_SOURCES = {
    5: (QT_TRANSLATE_NOOP("Complaint", "Very dissatisfied"), QT_TRANSLATE_NOOP("Complaint", "Dissatisfied"),
        QT_TRANSLATE_NOOP("Complaint", "Neutral"), QT_TRANSLATE_NOOP("Complaint", "Satisfied"),
        QT_TRANSLATE_NOOP("Complaint", "Very satisfied")),
    7: (QT_TRANSLATE_NOOP("Complaint", "Very dissatisfied"), QT_TRANSLATE_NOOP("Complaint", "Dissatisfied"),
        QT_TRANSLATE_NOOP("Complaint", "Somewhat dissatisfied"), QT_TRANSLATE_NOOP("Complaint", "Neutral"),
        QT_TRANSLATE_NOOP("Complaint", "Somewhat satisfied"), QT_TRANSLATE_NOOP("Complaint", "Satisfied"),
        QT_TRANSLATE_NOOP("Complaint", "Very satisfied")),
}
STATUS_COLORS = {"overdue": "#c62828", "due_soon": "#b26a00", "waiting": "#6a6a6a", "on_time": "#2e7d32"}
STATUS_TINTS = {"overdue": "#fde7e7", "due_soon": "#fff3dc"}


def label(kind: str, key: str) -> str:
    source = SOURCES.get(kind, {}).get(key or "")
    return QCoreApplication.translate(CONTEXT, source) if source else (key or "")


def choices(kind: str) -> list[tuple[str, str]]:
    keys = {"channel": K.CHANNEL_KEYS, "category": K.CATEGORY_KEYS, "severity": K.SEVERITY_KEYS,
            "state": K.STATE_KEYS, "compensation_kind": K.COMPENSATION_KEYS}[kind]
    return [(key, label(kind, key)) for key in keys]


def satisfaction(level, scale) -> str:
    names = SATISFACTION_SOURCES.get(scale or 5)
    if level is None or names is None or not 1 <= int(level) <= len(names):
        return ""
    return QCoreApplication.translate(CONTEXT, names[int(level) - 1])


def levels(scale: int) -> list[str]:
    return [QCoreApplication.translate(CONTEXT, name) for name in SATISFACTION_SOURCES.get(scale, ())]


def status_color(key: str) -> QColor:
    return QColor(STATUS_COLORS.get(key, "#333333"))


def business_time(minutes: int) -> str:
    """Business time as hours (and working days of 9 hours past a day): "3.5 h", "2 d 4 h"."""
    hours = minutes / 60
    if hours < 9:
        return QCoreApplication.translate("Complaint", "{hours} h").format(hours=f"{hours:.1f}".rstrip("0").rstrip("."))
    days, rest = divmod(int(round(hours)), 9)
    return QCoreApplication.translate("Complaint", "{days} d {hours} h").format(days=days, hours=rest)
