"""A new language without a restart. On Qt's LanguageChange the main window makes its menus,
tab titles and status bar again, and re-creates the tabs already built (the current one at
once, the others when next opened), carrying over what the user had there: the current
tab, the selected customer, the typed search, the chosen filters and the trash view.

Why re-create rather than retranslate widget by widget: every tab sets dozens of texts
(headers, filters, buttons, tooltips, counts) in its constructor; re-creating them reuses
that one code path, so a text added later can never be forgotten in a retranslateUi twin.
Building a tab costs what opening it the first time costs, and happens once per switch."""
from __future__ import annotations

from crmdesk.ui import window_state
from crmdesk.ui.window_menus import make_menus


def customer_state(tab) -> dict:
    return {"id": tab.current_id(), "search": tab.search.text(), "trash": tab.trash_button.isChecked(),
            "filters": {key: combo.currentData() for key, combo in tab.filters.items()}}


def restore_customer_state(tab, state: dict) -> None:
    if state["trash"]:
        tab.trash_button.setChecked(True)
    for key, value in state["filters"].items():
        combo = tab.filters.get(key)
        if combo is not None and value is not None and combo.findData(value) >= 0:
            combo.setCurrentIndex(combo.findData(value))
    if state["search"]:
        tab.search.setText(state["search"])
    if state["id"] is not None:
        tab.show_saved(state["id"])


def retranslate_window(window) -> None:
    """Everything the window shows, in the language of the translators now installed."""
    lazy = window.lazy
    current = next((key for key in lazy.factories if lazy.index(key) == window.tabs.currentIndex()), None)
    kept = customer_state(window.customers_tab)
    for key, tab in list(lazy.widgets.items()):
        window_state.save_tab(key, tab)
        if key == "analytics":
            tab.stop()
            tab.tasks.wait(10000)
        elif key == "sales":
            tab.stop()
        lazy.unbuild(key)
    for index, (_key, title, _factory) in enumerate(window.tab_factories()):
        window.tabs.setTabText(index, title)
    customers = lazy.get("customers")
    make_menus(window)
    if getattr(window, "first_day", None) is not None:
        window.first_day.retranslate()  # its demo and tips actions in the new menus
    window.update_status()
    if current is not None:
        lazy.get(current)
    restore_customer_state(customers, kept)
