"""How the customer's timeline says what happened to a deal: opened, moved to a stage (its
name in the language shown, not its key), lost and why, changed, deleted or restored."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from crmdesk import i18n
from crmdesk.core.sales import opportunities, stages
from crmdesk.ui.sales.lost_dialog import reason_label
from crmdesk.ui.sales.pipeline_page import HEADERS


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - lupdate's marker name
    return text


ACTIONS = {
    "created": QT_TRANSLATE_NOOP("OpportunityTimeline", "Deal opened"),
    "updated": QT_TRANSLATE_NOOP("OpportunityTimeline", "Deal changed"),
    "deleted": QT_TRANSLATE_NOOP("OpportunityTimeline", "Deal deleted"),
    "restored": QT_TRANSLATE_NOOP("OpportunityTimeline", "Deal restored"),
}
MOVED = QT_TRANSLATE_NOOP("OpportunityTimeline", "Deal moved")
FIELDS = {
    "contacts": QT_TRANSLATE_NOOP("OpportunityTimeline", "Contacts"),
    "competitors": QT_TRANSLATE_NOOP("OpportunityTimeline", "Competitors"),
    "lost_note": QT_TRANSLATE_NOOP("OpportunityTimeline", "Why lost, in words"),
    "notes": QT_TRANSLATE_NOOP("OpportunityTimeline", "Notes"),
}


def _value(key: str, value: str) -> str:
    if key == "stage" and value:
        stage = stages.by_key().get(value)
        return stage.name(i18n.language()) if stage else value
    if key == "lost_reason":
        return reason_label(value)
    return value


def describe(item) -> tuple[str, str, str, str]:
    """(what, field, old, new) of a change-log entry of an opportunity."""
    what = QCoreApplication.translate("OpportunityTimeline", ACTIONS.get(item.action, item.action))
    if item.field == "stage":
        what = QCoreApplication.translate("OpportunityTimeline", MOVED)
    if not item.field:
        return what, "", "", item.new or ""  # the deal's title
    if item.field in FIELDS:
        field = QCoreApplication.translate("OpportunityTimeline", FIELDS[item.field])
    else:
        field = QCoreApplication.translate("OpportunityList", HEADERS.get(item.field, item.field))
    return what, field, _value(item.field, item.old or ""), _value(item.field, item.new or "")


def deal_link(value: str) -> str:
    """A visit's or a sale's deal, logged by id, as its title."""
    return (opportunities.title_of(value) or value) if value else ""
