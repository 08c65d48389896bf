"""The language switches in Settings without a restart: the menus, the tab titles, the
customer list's headers and filters, and the core's sentences follow at once, and what the
user had (the current tab, the typed search, the selected customer) stays."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from crmdesk import i18n
from crmdesk.core.errors import CrmError
from crmdesk.ui import prefs


@pytest.fixture
def zh_window(qtbot, db_path, monkeypatch):
    from crmdesk.ui import app as app_module
    prefs.set_language("zh_CN")
    main = app_module.create_main_window(str(db_path))
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    yield main
    main.close()
    prefs.set_language("system")
    app_module.install_translations(app_module.make_app())
    i18n.set_language(None)


def texts(window) -> dict:
    tab = window.customers_tab
    return {"menu": window.menuBar().actions()[0].text(), "tab": window.tabs.tabText(0),
            "visits_tab": window.tabs.tabText(1),
            "header": tab.model.headerData(tab.model.keys.index("name"), Qt.Orientation.Horizontal),
            "filter": tab.filters["owner"].itemText(0), "status": window.count_label.text()}


def choose(qtbot, window, language: str) -> None:
    before = window.retranslations
    dialog = window.settings_dialog()
    dialog.language.setCurrentIndex(dialog.language.findData(language))
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.retranslations > before)


def test_zh_en_zh_without_a_restart(qtbot, zh_window):
    window = zh_window
    chinese = texts(window)
    assert chinese["tab"] != "Customers" and chinese["menu"] != "&File"
    choose(qtbot, window, "en")
    english = texts(window)
    assert english["menu"] == "&File" and english["tab"] == "Customers" and english["visits_tab"] == "Visits"
    assert english["header"] == "Name" and english["filter"] == "All owners"
    assert english["status"].startswith("Customers:")
    for key in chinese:
        assert chinese[key] != english[key], key
    choose(qtbot, window, "zh_CN")
    assert texts(window) == chinese


def test_the_core_sentences_follow(qtbot, zh_window):
    """crmdesk.i18n (the core's and the CLI's sentences) switches with the window."""
    from crmdesk.core import messages
    error = CrmError("no_import_to_undo")
    chinese = messages.message(error, i18n.translate)
    choose(qtbot, zh_window, "en")
    english = messages.message(error, i18n.translate)
    assert english == messages.message(error) and english != chinese
    choose(qtbot, zh_window, "zh_CN")
    assert messages.message(error, i18n.translate) == chinese


def test_what_the_user_had_stays(qtbot, zh_window, monkeypatch):
    from crmdesk.core.customers import archive as customers
    from crmdesk.core.changes import Changes
    window = zh_window
    ids = [customers.create({"name": name, "owner": "王芳"})[0] for name in ("北京华润商贸有限公司", "北京申通物流")]
    window.bus.publish(Changes.reset())
    tab = window.customers_tab
    tab.search.setText("北京")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 2)
    assert tab.select_id(ids[1])
    window.show_visits()
    choose(qtbot, window, "en")
    assert window.tabs.currentIndex() == 1 and window.tabs.currentWidget() is window.visits_tab
    tab = window.customers_tab
    assert tab.search.text() == "北京"
    qtbot.waitUntil(lambda: tab.current_id() == ids[1])


def test_after_a_switch_the_demo_actions_tips_and_welcome_speak_the_new_language(qtbot, zh_window, monkeypatch):
    window = zh_window
    choose(qtbot, window, "en")
    names = {a.objectName(): a.text() for a in window.findChildren(type(window.first_day.demo_action))
             if a.objectName() in ("tryDemo", "backToMyData", "showTipsAgain")}
    file_menu = window.menuBar().actions()[0].menu()
    assert [a.text() for a in file_menu.actions() if a.objectName() == "tryDemo"] == ["Try the de&mo data"]
    assert names["showTipsAgain"] == "Show &tips again"
    asked = []
    monkeypatch.setattr(window.first_day, "try_demo", lambda: asked.append("demo"))
    window.customers_tab.list_stack.welcome.demo_requested.emit()  # the re-created list's welcome
    assert asked == ["demo"]


def test_undoing_a_delete_made_before_a_switch_selects_it_in_the_new_list(qtbot, zh_window, monkeypatch):
    from crmdesk.core.customers import archive as customers
    window = zh_window
    keep, made = customers.create({"name": "北京华润"})
    gone, made_too = customers.create({"name": "上海申通"})
    window.bus.publish(made, made_too)
    tab = window.customers_tab
    tab.model.refresh()
    tab.model.wait_loaded()
    tab.select_id(gone)
    tab.delete_selected()
    tab.model.wait_loaded()
    assert tab.model.row_of(keep) >= 0 and tab.model.row_of(gone) == -1
    choose(qtbot, window, "en")
    window.undo_stack.undo()  # the step was made by the tab the switch replaced
    new = window.customers_tab
    assert new is not tab
    qtbot.waitUntil(lambda: new.current_id() == gone)
