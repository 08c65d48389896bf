"""How a complaint's entries in the change log read on the customer's timeline: which
complaint (its number), the field in the user's language, and the values as the desk says
them (states and categories by name, times as dates, minutes as business time, a
satisfaction level by name) instead of the database's keys."""
from __future__ import annotations

import datetime as dt
from typing import Mapping, Optional

from PySide6.QtCore import QCoreApplication, QT_TRANSLATE_NOOP

from crmdesk.core.history import TimelineItem
from crmdesk.ui.complaints import labels as CL
from crmdesk.ui.common import formatting
from crmdesk.ui.visits.sources import when

CONTEXT = "ComplaintTimeline"
FIELDS = {
    "state": QT_TRANSLATE_NOOP("ComplaintTimeline", "State"),
    "contact": QT_TRANSLATE_NOOP("ComplaintTimeline", "Contact"),
    "contact_phone": QT_TRANSLATE_NOOP("ComplaintTimeline", "Contact's phone"),
    "channel": QT_TRANSLATE_NOOP("ComplaintTimeline", "Channel"),
    "received_at": QT_TRANSLATE_NOOP("ComplaintTimeline", "Received"),
    "category": QT_TRANSLATE_NOOP("ComplaintTimeline", "Category"),
    "subcategory": QT_TRANSLATE_NOOP("ComplaintTimeline", "Subcategory"),
    "product": QT_TRANSLATE_NOOP("ComplaintTimeline", "Product or sale"),
    "transaction": QT_TRANSLATE_NOOP("ComplaintTimeline", "Sale concerned"),
    "severity": QT_TRANSLATE_NOOP("ComplaintTimeline", "Severity"),
    "owner": QT_TRANSLATE_NOOP("ComplaintTimeline", "Owner"),
    "words": QT_TRANSLATE_NOOP("ComplaintTimeline", "Customer's words"),
    "facts": QT_TRANSLATE_NOOP("ComplaintTimeline", "Facts established"),
    "root_cause": QT_TRANSLATE_NOOP("ComplaintTimeline", "Root cause"),
    "solution": QT_TRANSLATE_NOOP("ComplaintTimeline", "Solution offered"),
    "compensation_kind": QT_TRANSLATE_NOOP("ComplaintTimeline", "Compensation"),
    "compensation_amount": QT_TRANSLATE_NOOP("ComplaintTimeline", "Compensation amount"),
    "accepted": QT_TRANSLATE_NOOP("ComplaintTimeline", "Customer accepted"),
    "first_response_at": QT_TRANSLATE_NOOP("ComplaintTimeline", "First response"),
    "response_minutes": QT_TRANSLATE_NOOP("ComplaintTimeline", "Time to first response"),
    "resolved_at": QT_TRANSLATE_NOOP("ComplaintTimeline", "Resolved"),
    "resolution_minutes": QT_TRANSLATE_NOOP("ComplaintTimeline", "Time to resolution"),
    "closed_at": QT_TRANSLATE_NOOP("ComplaintTimeline", "Closed"),
    "satisfaction": QT_TRANSLATE_NOOP("ComplaintTimeline", "Satisfaction"),
    "survey_note": QT_TRANSLATE_NOOP("ComplaintTimeline", "Survey comment"),
    "waiting_since": QT_TRANSLATE_NOOP("ComplaintTimeline", "Waiting for the customer since"),
    "paused_minutes": QT_TRANSLATE_NOOP("ComplaintTimeline", "Clock stopped for"),
    "reopened": QT_TRANSLATE_NOOP("ComplaintTimeline", "Times reopened"),
    "repeat_of": QT_TRANSLATE_NOOP("ComplaintTimeline", "Repeat of"),
}
HIDDEN = {"satisfaction_scale"}  # recorded with the satisfaction; says nothing on its own
MOMENTS = {"received_at", "first_response_at", "resolved_at", "closed_at", "waiting_since"}
MINUTES = {"response_minutes", "resolution_minutes", "paused_minutes"}
LABELLED = {"state", "category", "severity", "channel", "compensation_kind"}


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def field_name(key: str) -> str:
    source = FIELDS.get(key)
    return _tr(source) if source else key


def shown(item: TimelineItem) -> bool:
    """False for the entries that only repeat another one's meaning."""
    return not (item.entity == "complaint" and item.field in HIDDEN)


def value(key: str, text: Optional[str], scale: int = 5, numbers: Mapping[int, str] = {}) -> str:
    """A logged value (``history.as_text``) as the desk says it."""
    if text is None or text == "":
        return ""
    try:
        if key in MOMENTS:
            return when(dt.datetime.fromisoformat(text))
        if key in MINUTES:
            return CL.business_time(int(float(text)))
        if key in LABELLED:
            return CL.label(key, text)
        if key == "accepted":
            return _tr("Yes") if text in ("1", "True", "true") else _tr("No")
        if key == "compensation_amount":
            return formatting.money(float(text))
        if key == "satisfaction":
            return CL.satisfaction(int(text), scale) or text
        if key == "repeat_of":
            return numbers.get(int(text), text)
    except (TypeError, ValueError):
        return text
    return text.replace("\n", " ")


def number_of(item: TimelineItem) -> str:
    """The complaint number a summary entry names ("CMP-… Delivery", "complaint_follow_up
    2026-11-12 CMP-…"), or ""."""
    for word in (item.new or "").split():
        if word.startswith("CMP-"):
            return word
    return ""


def numbers_in(items: list[TimelineItem]) -> dict[int, str]:
    """Complaint id → number, from the entries that name it (every complaint's "logged")."""
    found: dict[int, str] = {}
    for item in items:
        if item.entity == "complaint" and not item.field and number_of(item):
            found.setdefault(item.record_id, number_of(item))
    return found


def describe(item: TimelineItem, what: str, numbers: Mapping[int, str], categories: Mapping[str, str],
             scales: Mapping[int, int]) -> tuple[str, str, str, str]:
    """(what, field, old, new) of a complaint or complaint follow-up entry on the timeline.
    ``what`` is the action's text ("Complaint changed"); ``categories``: number → the
    category's name; ``scales``: complaint id → its satisfaction scale."""
    if item.entity == "care_event":
        number = number_of(item)
        words = (item.new or "").split()
        due = formatting.date(words[1]) if len(words) > 1 and words[0] == "complaint_follow_up" else ""
        if not number:
            return what, "", item.old or "", item.new or ""
        text = _tr("Call {date} after complaint {number}") if due else _tr("After complaint {number}")
        return what, "", "", text.format(date=due, number=number)
    number = numbers.get(item.record_id, "")
    if not item.field and (item.new or "").startswith("contact "):
        what, moment = _tr("Contact with the customer logged"), item.new[len("contact "):]
        try:
            moment = when(dt.datetime.fromisoformat(moment))
        except ValueError:
            pass
        return (f"{what} · {number}" if number else what), "", "", moment
    what = f"{what} · {number}" if number else what
    if not item.field:  # logged, deleted, restored: "CMP-… Delivery"
        summary = number_of(item)
        return what, "", "", (categories.get(summary) or summary) if summary else (item.new or "")
    scale = scales.get(item.record_id, 5)
    return (what, field_name(item.field), value(item.field, item.old, scale, numbers),
            value(item.field, item.new, scale, numbers))
