"""Issue 18, the first day: the welcome in an empty customer list, its three ways in,
and the demo database that never mixes with the user's own data."""
from __future__ import annotations

import hashlib

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel

from crmdesk import paths
from crmdesk.core.models import Customer
from crmdesk.core.customers import archive as customers
from crmdesk.ui.welcome import demo_switch
from tests.ui.conftest import type_text


def click(qtbot, widget):
    assert widget.isVisible() and widget.isEnabled()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def welcome_shown(window) -> bool:
    stack = window.customers_tab.list_stack
    return stack.welcome_shown and stack.welcome.isVisible()


@pytest.fixture(autouse=True)
def small_demo(monkeypatch):
    monkeypatch.setattr(demo_switch, "DEMO_CUSTOMERS", 40)


def test_an_empty_database_shows_the_welcome_with_three_ways_in(qtbot, window):
    window.resize(1366, 768)
    assert welcome_shown(window)
    welcome = window.customers_tab.list_stack.welcome
    for button in (welcome.import_button, welcome.demo_button, welcome.new_button):
        assert button.isVisible() and button.text()
        label = welcome.findChild(QLabel, button.objectName() + "Text")
        assert label is not None and label.isVisible() and len(label.text()) > 20
    assert not window.customers_tab.view.isVisible()


def test_the_welcome_goes_with_the_first_customer_and_comes_back_when_all_are_deleted(qtbot, window):
    tab = window.customers_tab
    click(qtbot, tab.list_stack.welcome.new_button)
    dialog = tab.dialog  # the existing new-customer form
    qtbot.waitExposed(dialog)
    type_text(qtbot, dialog.editors["name"].widget, "合肥协和五金有限公司")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.list_stack.welcome_shown)
    cid = Customer.get().id
    assert tab.view.isVisible()
    tab.select_id(cid)
    tab.delete_selected()
    qtbot.waitUntil(lambda: welcome_shown(window))
    window.undo_action.trigger()  # Ctrl+Z: the customer and the list come back
    qtbot.waitUntil(lambda: tab.view.isVisible())


def test_a_search_that_finds_nothing_is_no_welcome(qtbot, window):
    window.bus.publish(customers.create({"name": "Acme Tools"})[1])
    tab = window.customers_tab
    tab.search.setText("zzzz")
    tab.apply_search()
    qtbot.waitUntil(lambda: tab.list_stack.no_matches.isVisible())
    assert not tab.list_stack.welcome_shown
    tab.search.clear()
    tab.apply_search()
    qtbot.waitUntil(lambda: tab.view.isVisible())


def test_import_opens_the_wizard(qtbot, window):
    click(qtbot, window.customers_tab.list_stack.welcome.import_button)
    qtbot.waitUntil(lambda: window.import_wizard is not None and window.import_wizard.isVisible())
    window.import_wizard.reject()


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_demo_goes_into_its_own_database_and_one_click_brings_my_data_back(qtbot, window, db_path):
    mine = window.db_path
    assert mine != paths.demo_db_path()
    click(qtbot, window.customers_tab.list_stack.welcome.demo_button)
    qtbot.waitUntil(lambda: window.first_day.task is None and customers.count() == 40, timeout=30_000)
    assert window.db_path == paths.demo_db_path() and paths.demo_db_path().exists()
    assert "DEMO DATABASE" in window.windowTitle()
    banner = window.first_day.banner
    assert banner.isVisible() and "Demo database" in window.first_day.banner_label.text()
    qtbot.waitUntil(lambda: not window.customers_tab.list_stack.welcome_shown)
    assert window.first_day.back_action.isEnabled() and not window.first_day.demo_action.isEnabled()

    click(qtbot, window.first_day.back_button)
    assert window.db_path == mine
    assert Customer.select().count() == 0  # nothing of the demo in my data
    assert "DEMO" not in window.windowTitle() and not banner.isVisible()
    qtbot.waitUntil(lambda: welcome_shown(window))
    before = digest(paths.demo_db_path())

    window.first_day.demo_action.trigger()  # the demo again: reopened, not made twice
    assert window.db_path == paths.demo_db_path() and window.first_day.task is None
    assert customers.count() == 40
    window.first_day.back_action.trigger()
    assert window.db_path == mine and digest(paths.demo_db_path()) == before


def test_demo_data_never_goes_into_a_database_with_customers(qtbot, window):
    """The welcome is gone once there is a customer; the menu's demo opens its own file."""
    window.bus.publish(customers.create({"name": "Acme Tools"})[1])
    window.first_day.demo_action.trigger()
    qtbot.waitUntil(lambda: window.first_day.task is None and customers.count() == 40, timeout=30_000)
    window.first_day.back_action.trigger()
    assert [c.name for c in Customer.select()] == ["Acme Tools"]


def test_a_cancelled_demo_keeps_nothing_and_my_data_is_one_click_away(qtbot, window, monkeypatch):
    from crmdesk.core.progress import Cancelled
    from crmdesk.core import demo

    def cancelled(count, progress=None, **_kw):
        progress(0, count, "")
        raise Cancelled()
    monkeypatch.setattr(demo, "generate", cancelled)
    mine = window.db_path
    click(qtbot, window.customers_tab.list_stack.welcome.demo_button)
    qtbot.waitUntil(lambda: window.first_day.task is None)
    assert window.db_path == paths.demo_db_path() and customers.count() == 0
    assert welcome_shown(window) and window.first_day.banner.isVisible()
    click(qtbot, window.first_day.back_button)
    assert window.db_path == mine and not window.first_day.banner.isVisible()
