"""Care kinds, channels, states and festivals in the user's language, and the one line that
says what an event is about (whose birthday, which festival, the figures behind a warning),
as ``core.care_text`` says it for the export, through Qt's translation."""
from __future__ import annotations

from typing import Mapping

from PySide6.QtCore import QCoreApplication, QLocale, QT_TRANSLATE_NOOP

from crmdesk.core.care.text import lunar_day
from crmdesk.ui.common import formatting

CONTEXT = "Care"
SOURCES = {
    "kind": {
        "birthday": QT_TRANSLATE_NOOP("Care", "Birthday"),
        "festival": QT_TRANSLATE_NOOP("Care", "Festival greeting"),
        "purchase_follow_up": QT_TRANSLATE_NOOP("Care", "After a purchase"),
        "complaint_follow_up": QT_TRANSLATE_NOOP("Care", "After a complaint"),
        "survey": QT_TRANSLATE_NOOP("Care", "Satisfaction survey"),
        "anniversary": QT_TRANSLATE_NOOP("Care", "Anniversary"),
        "gift": QT_TRANSLATE_NOOP("Care", "Gift or reward"),
        "routine": QT_TRANSLATE_NOOP("Care", "Routine contact"),
        "inactivity": QT_TRANSLATE_NOOP("Care", "Inactivity check"),
        "payment_due": QT_TRANSLATE_NOOP("Care", "Payment due"),  # issue 19, receivables
    },
    "channel": {
        "phone": QT_TRANSLATE_NOOP("Care", "Phone"), "wechat": QT_TRANSLATE_NOOP("Care", "WeChat"),
        "sms": QT_TRANSLATE_NOOP("Care", "SMS"), "email": QT_TRANSLATE_NOOP("Care", "Email"),
        "visit": QT_TRANSLATE_NOOP("Care", "Visit"), "gift": QT_TRANSLATE_NOOP("Care", "Gift"),
    },
    "state": {
        "due": QT_TRANSLATE_NOOP("Care", "Due"), "done": QT_TRANSLATE_NOOP("Care", "Done"),
        "skipped": QT_TRANSLATE_NOOP("Care", "Skipped"), "snoozed": QT_TRANSLATE_NOOP("Care", "Snoozed"),
    },
    "festival": {
        "new_year": QT_TRANSLATE_NOOP("Care", "New Year's Day"),
        "spring": QT_TRANSLATE_NOOP("Care", "Spring Festival"),
        "lantern": QT_TRANSLATE_NOOP("Care", "Lantern Festival"),
        "qingming": QT_TRANSLATE_NOOP("Care", "Qingming Festival"),
        "labour": QT_TRANSLATE_NOOP("Care", "Labour Day"),
        "dragon_boat": QT_TRANSLATE_NOOP("Care", "Dragon Boat Festival"),
        "mid_autumn": QT_TRANSLATE_NOOP("Care", "Mid-Autumn Festival"),
        "national": QT_TRANSLATE_NOOP("Care", "National Day"),
        "double_ninth": QT_TRANSLATE_NOOP("Care", "Double Ninth Festival"),
    },
}
OVERDUE_COLOR = "#b3261e"
OVERDUE_TINT = "#fdecea"
TODAY_TINT = "#fff4d6"


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def label(kind: str, key: str) -> str:
    if kind == "festival" and key.startswith("custom:"):
        return key[len("custom:"):]
    text = SOURCES.get(kind, {}).get(key)
    return _tr(text) if text else key


def choices(kind: str) -> list[tuple[str, str]]:
    return [(key, _tr(text)) for key, text in SOURCES[kind].items()]


def about(kind: str, occasion: str, facts: Mapping, title: str, contact: str) -> str:
    """What the event is about, in one line."""
    if kind == "birthday" and facts.get("month"):
        month, day = int(facts["month"]), int(facts.get("day") or 0)
        if facts.get("calendar") == "lunar":
            chinese = QLocale().language() == QLocale.Language.Chinese  # 八月十五 in Chinese, 8/15 otherwise
            when = QCoreApplication.translate("Care", "lunar {date}").format(
                date=lunar_day(month, day) if chinese else f"{month}/{day}")
        else:
            when = QCoreApplication.translate("Care", "{month}/{day}").format(month=month, day=day)
        return QCoreApplication.translate("Care", "{name}'s birthday ({date})").format(name=contact, date=when)
    if kind == "festival":
        return label("festival", occasion)
    if kind == "complaint_follow_up" and title:
        return QCoreApplication.translate("Care", "Follow-up on complaint {number}").format(number=title)
    if kind == "purchase_follow_up" and facts.get("date"):
        return QCoreApplication.translate("Care", "Follow-up on the purchase of {date}").format(date=formatting.date(facts["date"]))
    if kind == "anniversary" and facts.get("years"):
        return QCoreApplication.translate("Care", "{years} years since the first purchase ({date})").format(
            years=facts["years"], date=formatting.date(facts.get("first_purchase")))
    if kind == "inactivity" and facts.get("reason") == "no_contact":
        return QCoreApplication.translate("Care", "No contact for {days} days (last {date}; the limit is {limit})").format(
            days=facts["days"], date=formatting.date(facts.get("last_contact")), limit=facts.get("limit"))
    if kind == "inactivity" and facts.get("reason") == "no_purchase":
        return QCoreApplication.translate("Care", "No purchase for {days} days: usually one every {interval} days ({count} purchases), "
                   "1.5 × is {threshold} days; last {date}").format(
            days=facts["days"], interval=facts.get("interval"), count=facts.get("purchases"),
            threshold=facts.get("threshold"), date=formatting.date(facts.get("last_purchase")))
    if kind == "payment_due" and facts.get("due_on"):
        return QCoreApplication.translate("Care", "Collect {owed}: the sale of {date}, due {due}").format(
            owed=formatting.money(facts.get("owed")), date=formatting.date(facts.get("date")),
            due=formatting.date(facts["due_on"]))
    return title


def timeline_entry(item) -> tuple[str, str, str, str]:
    """(what, field, old, new) of a care entry on the customer's timeline, in care words:
    "Care done: Birthday" and the result; "Care reminder planned" and its kind and day;
    a changed field by its name, kinds, channels and states by their labels."""
    translate = QCoreApplication.translate
    if item.field == "done":
        return translate("Care", "Care done: {kind}").format(kind=label("kind", item.old or "")), "", "", item.new or ""
    if item.field == "skipped":
        return translate("Care", "Care skipped: {kind}").format(kind=label("kind", item.old or "")), "", "", item.new or ""
    if item.field == "snoozed":
        return (translate("Care", "Care snoozed: {kind}").format(kind=label("kind", item.old or "")), "", "",
                formatting.date(item.new))
    if not item.field:  # planned, deleted, restored: "birthday 2026-11-25"
        what = {"created": translate("Care", "Care reminder planned"), "deleted": translate("Care", "Care reminder deleted"),
                "restored": translate("Care", "Care reminder restored")}.get(item.action, translate("Care", "Care reminder changed"))
        words = (item.new or "").split()
        shown = " ".join([label("kind", words[0]), *(formatting.date(w) for w in words[1:2])]) if words else ""
        return what, "", "", shown
    names = {"state": translate("Care", "State"), "kind": translate("Care", "Kind"), "due_on": translate("Care", "Day"),
             "channel": translate("Care", "Channel"), "title": translate("Care", "Subject"), "message": translate("Care", "Message"),
             "contact": translate("Care", "Contact")}

    def value(text):
        if item.field in ("state", "kind", "channel"):
            return label(item.field, text or "")
        return formatting.date(text) if item.field == "due_on" else (text or "")
    return (translate("Care", "Care reminder changed"), names.get(item.field, item.field), value(item.old),
            value(item.new))
