"""File ▸ Team ▸ Hand over customers (and the customers list's right-click menu) on a
manager's laptop against a real hub: a customer of North goes to wang of South; the
database and, after a sync, the hub say so; Edit ▸ Undo takes it back, Redo again."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from crmdesk.core.changes import Changes
from crmdesk.core.models import Batch, Customer
from crmdesk.core.customers import archive as customers
from crmdesk.core.sync import hub as hubmod
from crmdesk.core.sync import state
from crmdesk.core.sync.connection import parse
from tests.ui.conftest import type_text
from tests.ui.team.conftest import MANAGER, MANAGER_PASSWORD, join


def sync(qtbot, controller) -> None:
    with qtbot.waitSignal(controller.synced, timeout=30000):
        controller.sync_now()
    qtbot.waitUntil(lambda: controller.task is None, timeout=30000)


def on_hub(hub, uuid: str) -> tuple:
    with hub.admin() as conn:
        rows = dict(conn.execute("SELECT field, value FROM sync.field_state WHERE uuid = %s AND field IN "
                                 "('owner', 'team')", [uuid]).fetchall())
    return rows.get("owner"), rows.get("team")


def owner_and_team(cid: int) -> tuple:
    customer = Customer.get_by_id(cid)
    return customer.owner, customer.team


def test_a_manager_hands_a_customer_to_another_team_and_takes_it_back(qtbot, team_window, hub):
    hubmod.add_user(parse(hub.admin_url), "wang", ["South"], "rep", "wang-secret-1")
    controller = join(qtbot, team_window, hub, MANAGER, MANAGER_PASSWORD)
    controller.push_timer.stop()
    assert "South" in state.read()["all_teams"]
    cid, changes = customers.create({"name": "东方贸易", "city": "杭州", "owner": "lina"})
    team_window.bus.publish(changes)
    sync(qtbot, controller)
    uuid = Customer.get_by_id(cid).uuid
    assert owner_and_team(cid) == ("lina", "North")

    tab = team_window.customers_tab
    team = team_window.team
    assert team.handover_action in tab.view.actions()  # the list's right-click menu, a manager's
    assert tab.view.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    assert team.handover_action.isVisible()
    qtbot.mouseClick(tab.trash_button, Qt.MouseButton.LeftButton)  # deleted customers are not handed over
    assert not team.handover_action.isVisible()
    qtbot.mouseClick(tab.trash_button, Qt.MouseButton.LeftButton)
    assert team.handover_action.isVisible()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1)
    tab.view.selectRow(0)
    assert tab.selected_ids() == [cid]
    team.handover_action.trigger()
    dialog = team.dialog
    qtbot.waitExposed(dialog)
    assert dialog.selection.isChecked() and dialog.selection.text().startswith("The 1 selected customer")
    assert not dialog.ok.isEnabled()  # no rep yet
    type_text(qtbot, dialog.to_owner.lineEdit(), "wang")
    dialog.to_team.setCurrentIndex(dialog.to_team.findText("South"))
    assert dialog.ok.isEnabled()
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert owner_and_team(cid) == ("wang", "South")
    assert Batch.get_by_id(dialog.result_value.batch_id).kind == "handover"
    sync(qtbot, controller)
    assert on_hub(hub, uuid) == ('"wang"', '"South"')

    undo = team_window.undo_action
    assert undo.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)
    assert undo.isEnabled() and "Hand over 1 customer" in undo.text()
    undo.trigger()
    assert owner_and_team(cid) == ("lina", "North")
    assert Batch.get_by_id(dialog.result_value.batch_id).undone_at is not None
    sync(qtbot, controller)
    assert on_hub(hub, uuid) == ('"lina"', '"North"')

    team_window.redo_action.trigger()
    assert owner_and_team(cid) == ("wang", "South")
    undo.trigger()
    assert owner_and_team(cid) == ("lina", "North")


def test_all_of_a_reps_customers(qtbot, team_window, hub):
    hubmod.add_user(parse(hub.admin_url), "wang", ["South"], "rep", "wang-secret-1")
    controller = join(qtbot, team_window, hub, MANAGER, MANAGER_PASSWORD)
    controller.push_timer.stop()
    ids = [customers.create({"name": name, "owner": owner})[0]
           for name, owner in (("东方贸易", "lina"), ("西部电子", "lina"), ("南方物流", "zhao"))]
    team_window.bus.publish(Changes.reset())
    dialog = team_window.team.handover_dialog()
    dialog.of_rep.setChecked(True)
    dialog.from_owner.setCurrentIndex(dialog.from_owner.findText("lina"))
    dialog.to_owner.setCurrentText("wang")
    dialog.to_team.setCurrentIndex(dialog.to_team.findText("South"))
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert [owner_and_team(i) for i in ids] == [("wang", "South"), ("wang", "South"), ("zhao", "North")]
    team_window.undo_action.trigger()
    assert [owner_and_team(i) for i in ids] == [("lina", "North"), ("lina", "North"), ("zhao", "North")]
