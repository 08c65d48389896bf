"""Sales ▸ Settings: the stage list edited by hand (names, order, probability, a new stage)
reaches the database; an emptied list or two stages of one name say so and store nothing."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from crmdesk.core.models import Setting
from crmdesk.core.sales import stages as S
from crmdesk.ui.change_bus import ChangeBus
from crmdesk.ui.sales.stages_dialog import EN, PROBABILITY, ZH, StagesDialog


@pytest.fixture
def dialog(qtbot, db):
    bus = ChangeBus()
    published = []
    bus.changed.connect(published.append)
    dialog = StagesDialog(bus)
    dialog.published = published
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def save(qtbot, dialog):
    button = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_it_shows_the_stages_with_names_probability_and_kind(dialog):
    table = dialog.table
    assert table.rowCount() == 6
    assert [table.item(r, ZH).text() for r in range(6)] == ["线索", "需求确认", "方案演示", "谈判/异议处理", "赢单", "输单"]
    assert table.cellWidget(2, PROBABILITY).value() == 50
    assert table.item(4, 3).text() == "Closes as won"


def test_edits_order_and_a_new_stage_are_saved(qtbot, dialog):
    table = dialog.table
    table.item(0, EN).setText("Inquiry")
    table.cellWidget(1, PROBABILITY).setValue(35)
    table.selectRow(3)
    assert not dialog.down.isEnabled()  # won stays after it
    qtbot.mouseClick(dialog.up, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.add, Qt.MouseButton.LeftButton)
    row = dialog.current()
    assert row == 4
    table.item(row, ZH).setText("合同审批")
    table.item(row, EN).setText("Contract")
    table.cellWidget(row, PROBABILITY).setValue(90)
    save(qtbot, dialog)
    stored = S.load()
    assert [s.key for s in stored] == ["lead", "qualified", "negotiation", "proposal", "stage_1", "won", "lost"]
    assert stored[0].name_en == "Inquiry" and stored[1].probability == 35
    assert (stored[4].name_zh, stored[4].probability) == ("合同审批", 90)
    assert dialog.published and dialog.published[0].entity == "sales_settings"
    assert dialog.result() == dialog.DialogCode.Accepted


def test_won_and_lost_cannot_be_moved_or_removed(qtbot, dialog):
    dialog.table.selectRow(5)
    assert not dialog.remove.isEnabled() and not dialog.up.isEnabled()


def test_an_emptied_list_is_refused_with_its_sentence(qtbot, dialog):
    for _ in range(4):
        dialog.table.selectRow(0)
        qtbot.mouseClick(dialog.remove, Qt.MouseButton.LeftButton)
    save(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.summary.text().startswith("The pipeline needs at least one open stage")
    assert Setting.get_or_none(Setting.key == S.KEY) is None


def test_two_stages_of_one_name_are_refused(qtbot, dialog):
    dialog.table.item(1, ZH).setText("线索")
    save(qtbot, dialog)
    assert dialog.summary.text() == ("Two stages are called “线索”: give each stage its own name; nothing was saved.")
    assert Setting.get_or_none(Setting.key == S.KEY) is None
    assert S.load() == S.DEFAULT_STAGES
