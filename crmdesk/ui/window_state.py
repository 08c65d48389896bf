"""The main window's saved layout (QSettings): its geometry, the customer list's columns and
the tabs' splitters, each tab's restored when it is built."""
from __future__ import annotations

from crmdesk.ui import prefs

SPLITTERS = {"visits": ("visits/splitter", "splitter"), "complaints": ("complaints/splitter", "list_splitter"),
             "care": ("care/splitter", "splitter")}


def restore_window(window) -> None:
    geometry = prefs.settings().value("window/geometry")
    if geometry is not None:
        window.restoreGeometry(geometry)
    else:
        window.resize(1280, 800)


def restore_tab(key: str, tab) -> None:
    if key == "customers":
        tab.restore_state()
    elif key in SPLITTERS:
        setting, name = SPLITTERS[key]
        value = prefs.settings().value(setting)
        if value is not None:
            getattr(tab, name).restoreState(value)


def save_window(window) -> None:
    store = prefs.settings()
    store.setValue("window/geometry", window.saveGeometry())
    for key in window.lazy.widgets:
        save_tab(key, window.lazy.widgets[key])
    store.sync()


def save_tab(key: str, tab) -> None:
    if key == "customers":
        tab.save_state()
    elif key in SPLITTERS:
        setting, name = SPLITTERS[key]
        prefs.settings().setValue(setting, getattr(tab, name).saveState())
