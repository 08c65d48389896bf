"""File ▸ Team ▸ Conflicts against a real hub: two laptops (the window's, lina's, and zhao's,
a second SQLite file in this process) edit one field without seeing each other's edit, and
zhao deletes a customer lina then edits. The dialog shows both values, who and what
happened; "Use the set-aside value" writes lina's back, here and, after a sync, on the hub;
on the edit of a deleted record the button says Restore and brings the record back."""
from __future__ import annotations

import re

from PySide6.QtCore import Qt

from crmdesk.core.changes import Changes
from crmdesk.core.db import open_database
from crmdesk.core.models import database
from crmdesk.core.customers import archive as customers
from crmdesk.core.sync import session
from tests.ui.team.conftest import MANAGER, MANAGER_PASSWORD, join

COLUMNS = ("record", "field", "set_aside", "set_aside_by", "kept", "kept_by", "kind")


def id_of(name: str) -> int:
    return database.execute_sql("SELECT id FROM customer WHERE name = ?", [name]).fetchone()[0]


def column(name: str, field: str):
    return database.execute_sql(f"SELECT {field} FROM customer WHERE name = ?", [name]).fetchone()[0]


def sync(qtbot, controller) -> None:
    with qtbot.waitSignal(controller.synced, timeout=30000):
        controller.sync_now()
    qtbot.waitUntil(lambda: controller.task is None, timeout=30000)


def on_zhaos_laptop(window, hub, folder, work) -> None:
    """Another laptop of the team, zhao's (a manager), joined and synced after ``work`` ran on
    it. One database is open per process: the window's background syncs stop while its
    database is switched away; the caller starts them again."""
    window.team.controller.stop()
    try:
        open_database(folder / "zhao.sqlite")
        if not session.joined():
            session.join(hub.url, MANAGER, MANAGER_PASSWORD, remember=False)
        work()
        session.sync(MANAGER_PASSWORD)
    finally:
        open_database(window.db_path)


def shown(dialog) -> list[dict]:
    table = dialog.table
    return [dict(zip(COLUMNS, (table.item(r, c).text() for c in range(table.columnCount()))))
            for r in range(table.rowCount())]


def hub_value(hub, uuid: str, field: str):
    with hub.admin() as conn:
        row = conn.execute("SELECT value FROM sync.field_state WHERE uuid = %s AND field = %s",
                           [uuid, field]).fetchone()
    return row[0] if row else None


def make_conflicts(qtbot, window, hub, folder):
    """lina's city of 东方贸易 set aside by zhao's later one; lina's address of 西部电子 made
    after zhao deleted it, unseen."""
    controller = join(qtbot, window, hub)
    controller.push_timer.stop()
    customers.create({"name": "东方贸易", "city": "杭州"})
    customers.create({"name": "西部电子", "phone": "0571-1"})
    window.bus.publish(Changes.reset())
    sync(qtbot, controller)
    customers.update(id_of("东方贸易"), {"city": "上海"})  # lina's, the earlier: set aside

    def zhao():
        customers.update(id_of("东方贸易"), {"city": "北京"})  # later: it stands
        customers.delete([id_of("西部电子")])
    on_zhaos_laptop(window, hub, folder, zhao)
    customers.update(id_of("西部电子"), {"address": "文三路 1 号"})  # lina has not seen the delete
    with qtbot.waitSignal(controller.synced, timeout=30000):
        window.team.start()  # a sync at once
    qtbot.waitUntil(lambda: controller.task is None, timeout=30000)
    window.bus.publish(Changes.reset())
    return controller


def test_conflicts_show_both_sides_and_the_set_aside_value_can_be_kept(qtbot, team_window, hub, tmp_path):
    controller = make_conflicts(qtbot, team_window, hub, tmp_path)
    assert column("东方贸易", "city") == "北京" and column("西部电子", "deleted_at") is not None
    dialog = team_window.team.conflicts_dialog()
    qtbot.waitExposed(dialog)
    rows = {row["kind"]: row for row in shown(dialog)}
    assert re.search(r" — 2 conflict(\(s\)|s)$", team_window.team.indicator.text())  # as many as listed
    assert set(rows) == {"Edited by two people", "Edited after it was deleted"}
    city = rows["Edited by two people"]
    assert city["record"].startswith("东方贸易 (C") and city["field"] == "City"
    assert (city["set_aside"], city["kept"]) == ("上海", "北京")
    assert city["set_aside_by"].startswith("lina · ") and city["kept_by"].startswith("zhao · ")
    gone = rows["Edited after it was deleted"]
    assert gone["record"].startswith("西部电子 (C") and gone["set_aside"] == "文三路 1 号"
    assert gone["set_aside_by"].startswith("lina · ")
    assert not dialog.use_mine.isEnabled()  # nothing chosen yet

    dialog.table.selectRow([row["kind"] for row in shown(dialog)].index("Edited by two people"))
    assert dialog.use_mine.text() == "&Use the set-aside value" and dialog.use_mine.isEnabled()
    with qtbot.waitSignal(dialog.resolved):
        qtbot.mouseClick(dialog.use_mine, Qt.MouseButton.LeftButton)
    assert column("东方贸易", "city") == "上海"
    assert [row["kind"] for row in shown(dialog)] == ["Edited after it was deleted"]
    sync(qtbot, controller)
    assert hub_value(hub, column("东方贸易", "uuid"), "city") == '"上海"'

    dialog.table.selectRow(0)
    assert dialog.use_mine.text() == "&Restore" and dialog.keep_theirs.text() == "&Leave it deleted"
    qtbot.mouseClick(dialog.use_mine, Qt.MouseButton.LeftButton)
    assert column("西部电子", "deleted_at") is None and column("西部电子", "address") == "文三路 1 号"
    assert shown(dialog) == [] and dialog.summary.text().startswith("No conflicts")
    sync(qtbot, controller)
    assert hub_value(hub, column("西部电子", "uuid"), "deleted_at") in (None, "null")
    with hub.admin() as conn:
        assert conn.execute("SELECT count(*) FROM sync.conflict WHERE resolved_at IS NULL").fetchone()[0] == 0
    assert "conflict" not in team_window.team.indicator.text()
    dialog.reject()


def test_keep_as_it_is_changes_no_record(qtbot, team_window, hub, tmp_path):
    make_conflicts(qtbot, team_window, hub, tmp_path)
    dialog = team_window.team.conflicts_dialog()
    dialog.select_ids([row.id for row in dialog.rows])  # both, as a selection
    assert dialog.keep_theirs.text() == "&Keep as it is"  # not all of them deleted records
    qtbot.mouseClick(dialog.keep_theirs, Qt.MouseButton.LeftButton)
    assert shown(dialog) == []
    assert column("东方贸易", "city") == "北京" and column("西部电子", "deleted_at") is not None
    dialog.reject()


def test_a_customer_two_laptops_brought_is_listed_and_both_are_kept(qtbot, team_window, hub, tmp_path):
    """zhao's laptop had imported 东方贸易 before joining, as lina's had: the pair is listed
    as possibly the same customer; Keep both takes it off and both records stay."""
    window, folder = team_window, tmp_path
    controller = join(qtbot, window, hub)
    customers.create({"name": "东方贸易", "mobile": "13800138000"})
    sync(qtbot, controller)
    window.team.controller.stop()
    try:
        open_database(folder / "zhao.sqlite")
        customers.create({"name": "东方贸易", "mobile": "13800138000"})  # before joining
        session.join(hub.url, MANAGER, MANAGER_PASSWORD, remember=False)
    finally:
        open_database(window.db_path)
    with qtbot.waitSignal(controller.synced, timeout=30000):
        window.team.start()
    qtbot.waitUntil(lambda: controller.task is None, timeout=30000)

    dialog = window.team.conflicts_dialog()
    qtbot.waitExposed(dialog)
    rows = {row["kind"]: row for row in shown(dialog)}
    assert set(rows) == {"Possibly the same customer", "Renumbered"}  # both laptops had numbered it C000001
    row = rows["Possibly the same customer"]
    assert row["set_aside"].startswith("东方贸易 (C") and row["kept"].startswith("东方贸易 (C")
    assert row["set_aside"] != row["kept"]  # two records, each by its code
    assert {row["set_aside_by"].split(" · ")[0], row["kept_by"].split(" · ")[0]} == {"lina", "zhao"}
    dialog.table.selectRow([r["kind"] for r in shown(dialog)].index("Possibly the same customer"))
    assert not dialog.use_mine.isEnabled() and dialog.keep_theirs.text() == "&Keep both"
    with qtbot.waitSignal(dialog.resolved):
        qtbot.mouseClick(dialog.keep_theirs, Qt.MouseButton.LeftButton)
    assert [r["kind"] for r in shown(dialog)] == ["Renumbered"]
    assert database.execute_sql("SELECT count(*) FROM customer WHERE name = '东方贸易' AND deleted_at IS NULL"
                                ).fetchone()[0] == 2
    sync(qtbot, controller)
    with hub.admin() as conn:
        assert conn.execute("SELECT kind FROM sync.conflict WHERE resolved_at IS NULL").fetchall() == [("renumbered",)]
    dialog.reject()
