from __future__ import annotations

import pytest

from crmdesk.core.customers import archive as customers


@pytest.fixture
def english():
    """Qt's locale in US English (dates and numbers as the calendar tests expect)."""
    from PySide6.QtCore import QLocale
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    yield
    QLocale.setDefault(before)


@pytest.fixture
def window(qtbot, db_path, monkeypatch):
    """The main window on a fresh database; error dialogs are recorded, not shown."""
    from crmdesk.ui import app as app_module
    shown: list[str] = []
    monkeypatch.setattr("crmdesk.ui.main_window.show_error",
                        lambda parent, error: shown.append(error.code))
    monkeypatch.setattr("crmdesk.ui.common.save_dialog.show_error",  # every save dialog's refusal
                        lambda parent, error: shown.append(error.code))
    main = app_module.create_main_window(str(db_path))
    main.errors_shown = shown
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    yield main
    main.close()
    from crmdesk import i18n
    i18n.set_language(None)  # the window set the core's language: no test after it inherits it


@pytest.fixture
def tab(window):
    return window.customers_tab


@pytest.fixture
def some_customers(window):
    ids = [
        customers.create({"name": "北京华润商贸有限公司", "city": "北京", "mobile": "13812345678",
                          "tier": "key", "owner": "王芳", "tags": "VIP"})[0],
        customers.create({"name": "上海申通物流", "city": "上海", "contact_person": "李强",
                          "tier": "transactional", "owner": "张伟"})[0],
        customers.create({"name": "Acme Trading", "city": "深圳", "tier": "relationship",
                          "owner": "王芳"})[0],
    ]
    from crmdesk.core.changes import Changes
    window.bus.publish(Changes.reset())
    return ids


def type_text(qtbot, widget, text: str) -> None:
    """Type ``text`` as a user would. QTest.keyClicks handles ASCII only, so other
    characters arrive as key events carrying the text, as an input method sends them."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication
    widget.setFocus()
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))
