"""The status bar's indicator, background syncs (LISTEN/NOTIFY) and the close question."""
from __future__ import annotations

import re

from psycopg import sql
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from crmdesk.core.models import Customer, SyncOutbox, database
from crmdesk.core.customers import archive as customers
from crmdesk.core.sync import state
from tests.ui.team.conftest import join


def counted(n: int, word: str) -> str:
    """``n word(s)`` as a pattern: the English plural comes with crmdesk_en.qm (update.sh)."""
    return rf"{n} {word}(\(s\)|s)?"


def records_waiting() -> int:
    """What the status bar counts: records with edits waiting, not their field edits."""
    return database.execute_sql("SELECT count(DISTINCT uuid) FROM sync_outbox").fetchone()[0]


def edit_locally(window) -> int:
    """A customer made here, as the form makes one: broadcast on the window's bus."""
    customer_id, changes = customers.create({"name": "北京华润商贸有限公司", "city": "北京"})
    window.bus.publish(changes)
    return customer_id


def test_indicator_counts_waiting_changes_after_a_local_edit(qtbot, team_window, hub):
    controller = join(qtbot, team_window, hub)
    controller.push_timer.stop()
    indicator = team_window.team.indicator
    assert "waiting" not in indicator.text()
    edit_locally(team_window)
    controller.push_timer.stop()  # the test looks before the edit goes out
    waiting = records_waiting()
    assert waiting > 0
    assert re.search(counted(waiting, "change") + " waiting$", indicator.text())
    assert indicator.text().startswith("Synced ")
    with qtbot.waitSignal(controller.synced, timeout=20000):
        qtbot.mouseClick(indicator, Qt.MouseButton.LeftButton)
    assert SyncOutbox.select().count() == 0
    assert "waiting" not in indicator.text()
    with hub.admin() as conn:  # it reached the team
        assert conn.execute("SELECT count(*) FROM sync.field_state WHERE entity = 'customer' AND field = 'name' "
                            "AND value = %s", ['"北京华润商贸有限公司"']).fetchone()[0] == 1


def test_offline_says_so_with_the_changes_waiting(qtbot, team_window, hub):
    controller = join(qtbot, team_window, hub)
    edit_locally(team_window)
    controller.push_timer.stop()
    with database.atomic():
        state.write(url="postgresql://127.0.0.1:1/nowhere")  # the server is out of reach
    with qtbot.waitSignal(controller.failed, timeout=20000):
        controller.sync_now()
    waiting = records_waiting()
    assert re.fullmatch("Offline — " + counted(waiting, "change") + " waiting", team_window.team.indicator.text())


def test_listen_wakes_a_sync(qtbot, team_window, hub):
    controller = join(qtbot, team_window, hub)
    listener = controller.listener
    assert listener is not None
    qtbot.waitUntil(lambda: listener.ready, timeout=10000)
    controller.timer.stop()  # only the notification may wake it
    with hub.admin() as conn:  # another laptop's push, as the hub's sync.push ends
        channel = conn.execute("SELECT value FROM sync.meta WHERE key = 'channel'").fetchone()[0]
        conn.execute(sql.SQL("NOTIFY {}").format(sql.Identifier(channel)))
    with qtbot.waitSignal(controller.synced, timeout=5000):
        pass
    team_window.team.shutdown()
    assert not listener.isRunning()


def click_when_asked(qtbot, name: str):
    """Answer the close question (a modal box) with the button named ``name``."""
    def answer():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.objectName() == "teamCloseQuestion":
            answer.text = box.text()
            if name == "cancel":
                box.button(QMessageBox.StandardButton.Cancel).click()
            else:
                box.findChild(type(box.buttons()[0]), name).click()
        else:
            QTimer.singleShot(20, answer)
    answer.text = ""
    QTimer.singleShot(0, answer)
    return answer


def test_close_with_changes_waiting_asks(qtbot, team_window, hub):
    controller = join(qtbot, team_window, hub)
    del team_window.team.may_close  # the real question (team_window's teardown skips it)
    edit_locally(team_window)
    controller.push_timer.stop()
    waiting = records_waiting()
    answer = click_when_asked(qtbot, "cancel")
    team_window.close()
    assert re.match(counted(waiting, "change") + " made here have not gone out", answer.text)
    assert team_window.isVisible()  # Cancel: nothing closed
    click_when_asked(qtbot, "closeSyncNow")
    with qtbot.waitSignal(controller.synced, timeout=20000):
        team_window.close()
    qtbot.waitUntil(lambda: not team_window.isVisible(), timeout=5000)
    assert SyncOutbox.select().count() == 0
    assert Customer.select().count() == 1


def test_close_anyway(qtbot, team_window, hub):
    controller = join(qtbot, team_window, hub)
    del team_window.team.may_close
    edit_locally(team_window)
    controller.push_timer.stop()
    click_when_asked(qtbot, "closeAnyway")
    team_window.close()
    assert not team_window.isVisible()
    assert SyncOutbox.select().count() > 0  # kept for the next sync
    assert controller.listener is None


def test_a_sync_the_database_was_too_busy_for_goes_again_soon(qtbot, team_window, hub, monkeypatch):
    """The window's own long write (the care rules' first run on a large book) outlasted
    the busy timeout: the status bar says so, and the sync goes again in seconds, not in
    the minute of the timer."""
    from crmdesk.core.errors import CrmError
    from crmdesk.core.sync import session
    from crmdesk.ui.team import sync_controller
    controller = join(qtbot, team_window, hub)
    controller.timer.stop()
    monkeypatch.setattr(sync_controller, "BUSY_RETRY_MS", 50)
    real, calls = session.sync, []

    def busy_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise CrmError("db_busy")
        return real(*args, **kwargs)
    monkeypatch.setattr(session, "sync", busy_once)
    with qtbot.waitSignal(controller.failed, timeout=20000):
        controller.sync_now()
    assert team_window.team.indicator.text().startswith("Not synced")
    with qtbot.waitSignal(controller.synced, timeout=20000):
        pass
    assert len(calls) == 2
    assert team_window.team.indicator.text().startswith("Synced ")
