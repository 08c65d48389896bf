"""Visit kinds and states in the user's language, and the colours states are shown in."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QT_TRANSLATE_NOOP
from PySide6.QtGui import QColor

from crmdesk.core.visits import fields as V

KIND_SOURCES = {
    "first_visit": QT_TRANSLATE_NOOP("VisitKind", "First visit"),
    "needs_analysis": QT_TRANSLATE_NOOP("VisitKind", "Needs analysis"),
    "presentation": QT_TRANSLATE_NOOP("VisitKind", "Presentation / demo"),
    "negotiation": QT_TRANSLATE_NOOP("VisitKind", "Negotiation"),
    "delivery": QT_TRANSLATE_NOOP("VisitKind", "Delivery"),
    "after_sales": QT_TRANSLATE_NOOP("VisitKind", "After-sales service"),
    "care": QT_TRANSLATE_NOOP("VisitKind", "Care visit"),
    "win_back": QT_TRANSLATE_NOOP("VisitKind", "Win-back"),
}
STATE_SOURCES = {
    V.PLANNED: QT_TRANSLATE_NOOP("VisitState", "Planned"),
    V.DONE: QT_TRANSLATE_NOOP("VisitState", "Done"),
    V.POSTPONED: QT_TRANSLATE_NOOP("VisitState", "Postponed"),
    V.CANCELLED: QT_TRANSLATE_NOOP("VisitState", "Cancelled"),
    V.MISSED: QT_TRANSLATE_NOOP("VisitState", "Missed"),
}
STATE_COLORS = {V.PLANNED: "#2f6fd6", V.DONE: "#2e8b57", V.MISSED: "#c62828",
                V.POSTPONED: "#8a8a8a", V.CANCELLED: "#8a8a8a"}


def kind_label(key: str) -> str:
    source = KIND_SOURCES.get(key)
    return QCoreApplication.translate("VisitKind", source) if source else (key or "")


def state_label(key: str) -> str:
    source = STATE_SOURCES.get(key)
    return QCoreApplication.translate("VisitState", source) if source else (key or "")


def state_color(key: str) -> QColor:
    return QColor(STATE_COLORS.get(key, "#555555"))


def kinds() -> list[tuple[str, str]]:
    return [(key, kind_label(key)) for key in V.KIND_KEYS]


def states() -> list[tuple[str, str]]:
    return [(key, state_label(key)) for key in V.STATE_KEYS]
