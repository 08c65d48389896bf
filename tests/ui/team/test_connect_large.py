"""File ▸ Team ▸ Connect into an empty laptop, on a hub large enough for the download's
second process (``sync.fetcher``; its threshold set to 0 here so that a small book takes
that path): the window shows what came down, lists and search included."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from crmdesk.core import db
from crmdesk.core.models import database
from crmdesk.core.sync import download, fetcher, session
from tests.ui.conftest import type_text
from tests.ui.team.conftest import MANAGER, MANAGER_PASSWORD, REP, REP_PASSWORD


@pytest.fixture
def filled_hub(hub, tmp_path):
    """The rep's laptop uploaded a demo book of 20 customers with their visits, before
    the window (on a database of its own) opens."""
    from crmdesk.core import demo
    db.open_database(tmp_path / "lina.sqlite")
    demo.generate(20, visits=True)
    database.execute_sql("UPDATE customer SET team = 'North'")
    names = sorted(row[0] for row in database.execute_sql("SELECT name FROM customer"))
    visits = database.execute_sql("SELECT count(*) FROM visit").fetchone()[0]
    session.join(hub.url, REP, REP_PASSWORD, remember=False)
    db.close_database()
    return names, visits


def visible_names(tab) -> list[str]:
    column = tab.model.keys.index("name")
    return [tab.model.index(r, column).data() for r in range(tab.model.rowCount())]


def test_connect_downloads_a_large_book_through_the_second_process(qtbot, hub, filled_hub, team_window, monkeypatch):
    names, visits = filled_hub
    monkeypatch.setattr(download, "APART_FROM", 0)
    started = []
    real = fetcher.Fetcher.__init__

    def counted(self, conn, jobs):
        started.append(len(jobs))
        real(self, conn, jobs)
    monkeypatch.setattr(fetcher.Fetcher, "__init__", counted)

    dialog = team_window.team.connect_dialog()
    type_text(qtbot, dialog.server, hub.url)
    type_text(qtbot, dialog.name, MANAGER)
    type_text(qtbot, dialog.password, MANAGER_PASSWORD)
    controller = team_window.team.controller
    with qtbot.waitSignals([controller.joined, controller.synced], timeout=60000):
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    assert started == [sum(len(group) for group in download.APART)]
    assert sorted(row[0] for row in database.execute_sql("SELECT name FROM customer")) == names
    assert database.execute_sql("SELECT count(*) FROM visit").fetchone()[0] == visits
    tab = team_window.customers_tab
    qtbot.waitUntil(lambda: sorted(visible_names(tab)) == names)
    name = names[0]  # a company's name: the full-text index the download rebuilt finds it
    type_text(qtbot, tab.search, name)
    qtbot.keyClick(tab.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: name in visible_names(tab) and len(visible_names(tab)) < len(names))
    assert team_window.errors_shown == []
