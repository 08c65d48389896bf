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
