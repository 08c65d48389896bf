"""Window state and personal preferences (QSettings, an .ini in the data folder)."""
from __future__ import annotations

from PySide6.QtCore import QSettings

from crmdesk import paths


def settings() -> QSettings:
    return QSettings(str(paths.data_dir() / "preferences.ini"), QSettings.Format.IniFormat)


def language() -> str:
    """"system", "zh_CN" or "en"."""
    return str(settings().value("language", "system"))


def set_language(value: str) -> None:
    store = settings()
    store.setValue("language", value)
    store.sync()


def hint_dismissed(key: str) -> bool:
    """Whether the user closed a tab's first-day tip (crmdesk.ui.welcome.hint_strip)."""
    return str(settings().value(f"hints/{key}_dismissed", "false")).lower() == "true"


def set_hint_dismissed(key: str, value: bool) -> None:
    store = settings()
    store.setValue(f"hints/{key}_dismissed", "true" if value else "false")
    store.sync()


def calendar_by_rep() -> bool:
    """Whether the visit calendar's week of all reps shows a row per rep (crmdesk.ui.visits.calendar_reps)."""
    return str(settings().value("calendar/by_rep", "false")).lower() == "true"


def set_calendar_by_rep(value: bool) -> None:
    store = settings()
    store.setValue("calendar/by_rep", "true" if value else "false")
    store.sync()
