"""File ▸ Team ▸ Connect: typed, checked as typed, joined off the GUI thread; a refusal is
one sentence and the dialog keeps what was typed."""
from __future__ import annotations

from PySide6.QtCore import Qt

from crmdesk.core import bulk_indexes
from crmdesk.core.errors import CrmError
from crmdesk.core.sync import state
from crmdesk.ui.errors import error_text
from tests.ui.conftest import type_text
from tests.ui.team.conftest import MANAGER, MANAGER_PASSWORD, REP, REP_PASSWORD, join


def fill(qtbot, dialog, url: str, name: str, password: str) -> None:
    type_text(qtbot, dialog.server, url)
    type_text(qtbot, dialog.name, name)
    type_text(qtbot, dialog.password, password)


def test_menu_before_joining(team_window):
    team = team_window.team
    assert team_window.team_menu.title() == "&Team"
    assert team.connect_action.isEnabled()
    assert not team.sync_action.isEnabled() and not team.disconnect_action.isEnabled()
    assert not team.handover_action.isVisible()
    assert not team.indicator.isVisible()  # a database of one's own says nothing about a team


def test_connect_checks_as_typed(qtbot, team_window):
    dialog = team_window.team.connect_dialog()
    assert not dialog.ok.isEnabled()
    type_text(qtbot, dialog.server, "http://server/crm")
    assert "is not a team server address" in dialog.message.text()
    dialog.server.clear()
    type_text(qtbot, dialog.server, "postgresql://192.168.1.10/crm")
    type_text(qtbot, dialog.name, REP)
    type_text(qtbot, dialog.password, "x")
    assert "would not be encrypted" not in dialog.message.text()
    dialog.server.setText("postgresql://192.168.1.10/crm?sslmode=disable")
    assert dialog.message.text() == error_text(CrmError("sync_tls_required", host="192.168.1.10"))
    assert not dialog.ok.isEnabled()
    assert dialog.password.echoMode() == dialog.password.EchoMode.Password
    dialog.reject()


def test_connect_joins_and_status_bar_says_synced(qtbot, team_window, hub, keyring_in_memory):
    dialog = team_window.team.connect_dialog()
    fill(qtbot, dialog, hub.url, REP, REP_PASSWORD)
    assert dialog.ok.isEnabled() and dialog.message.text() == ""
    controller = team_window.team.controller
    synced = []
    controller.synced.connect(synced.append)
    with qtbot.waitSignal(controller.joined, timeout=30000):
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    # A sync follows at once, not a minute later: it builds the indexes a download left for
    # after it (tests/core/sync/test_indexes_later.py) and brings what changed meanwhile.
    qtbot.waitUntil(lambda: len(synced) == 1, timeout=30000)
    assert bulk_indexes.waiting() == 0
    rows = state.read()
    assert rows["joined"] == "1" and rows["login"] == REP and rows["role"] == "rep"
    assert list(keyring_in_memory.values()) == [REP_PASSWORD]  # "remember" was on
    indicator = team_window.team.indicator
    assert indicator.isVisible()
    assert indicator.text().startswith("Synced ")
    team = team_window.team
    assert not team.connect_action.isEnabled() and team.sync_action.isEnabled()
    assert not team.handover_action.isVisible()  # a rep hands nothing over


def test_wrong_password_keeps_the_dialog(qtbot, team_window, hub):
    dialog = team_window.team.connect_dialog()
    fill(qtbot, dialog, hub.url, REP, "not-the-password")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert dialog.task is not None and not dialog.password.isEnabled()  # joining, off the GUI thread
    qtbot.waitUntil(lambda: dialog.task is None and dialog.message.text() != "", timeout=20000)
    address_server = f"127.0.0.1:{hub.url.rsplit(':', 1)[1]}"
    assert dialog.message.text() == error_text(CrmError("sync_wrong_password", user=REP, server=address_server))
    assert dialog.isVisible()
    assert (dialog.server.text(), dialog.name.text(), dialog.password.text()) == (hub.url, REP, "not-the-password")
    assert dialog.ok.isEnabled()
    assert state.read().get("joined") is None  # nothing joined


def test_manager_may_hand_over_and_disconnect(qtbot, team_window, hub):
    join(qtbot, team_window, hub, MANAGER, MANAGER_PASSWORD)
    team = team_window.team
    assert team.handover_action.isVisible()
    assert team.disconnect(confirm=False)
    assert state.read().get("joined") is None
    assert not team.indicator.isVisible() and team.connect_action.isEnabled()
    assert team.controller.listener is None


def test_the_progress_of_a_join_and_of_the_indexes_after_it_in_both_languages(qapp):
    from crmdesk.ui.app import install_translations
    from crmdesk.ui.team.sync_controller import progress_text
    install_translations(qapp, "en")
    assert progress_text(1200, 50000, "download") == "Downloading 1,200 of 50,000 changes…"
    assert progress_text(1, 1, "upload") == "Uploading 1 of 1 change…"
    assert progress_text(1, 1, "indexes") == "Preparing the lists: 1 of 1 index built…"
    assert progress_text(3, 65, "indexes") == "Preparing the lists: 3 of 65 indexes built…"
    try:
        install_translations(qapp, "zh_CN")
        assert progress_text(3, 65, "indexes") == "正在准备列表：已建好 3 个索引，共 65 个…"
        assert progress_text(1200, 50000, "download") == "正在下载第 1,200 条，共 50,000 条更改…"
    finally:
        install_translations(qapp, "en")


def test_the_window_builds_the_indexes_a_download_left_without_a_sync(qtbot, team_window):
    """Opened on a database whose indexes wait (the window closed while they were built):
    the team controller builds them off the GUI thread, joined or not, password or not."""
    from crmdesk.core.models import database
    sql = database.execute_sql("SELECT sql FROM sqlite_master WHERE name = 'visit_live_calendar'").fetchone()[0]
    with database.atomic():
        database.execute_sql('DROP INDEX "visit_live_calendar"')
        bulk_indexes.later([sql])
    controller = team_window.team.controller
    controller.stop()
    controller.start()
    assert controller.indexing is not None
    qtbot.waitUntil(lambda: controller.indexing is None, timeout=20000)
    assert bulk_indexes.waiting() == 0
    assert bulk_indexes.indexed_by("visit_live_calendar") == "INDEXED BY visit_live_calendar "
