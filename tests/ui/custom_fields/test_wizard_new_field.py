"""The import wizard's "Make it a new field…" (issue 21): a column no field matches becomes
a custom field in one click, its type and options guessed from its values, and its values
go in; cancelling leaves the column as it was."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QWizard

from crmdesk.core import custom_fields as CF
from crmdesk.core.models import Customer
from crmdesk.ui.imports.mapping_page import NEW_FIELD
from tests.ui.imports.test_import_wizard import click, do_import, open_file, write_xlsx

ROWS = [["客户名称", "手机", "宗教信仰", "纪念日"],
        ["华润商贸", "13812345678", "佛教", "2019-05-01"],
        ["申通物流", "13912345678", "基督教", "2020-01-02"],
        ["明华贸易", "13712345678", "佛教", "2021-03-04"],
        ["安达纺织", "13612345678", "基督教", "2022-05-06"]]


def pick_new_field(qtbot, page, column: int):
    combo = page.combos[column]
    combo.setCurrentIndex(combo.findData(NEW_FIELD))
    combo.activated.emit(combo.currentIndex())
    dialog = page.field_dialog
    qtbot.waitExposed(dialog)
    return dialog


def test_an_unmatched_column_becomes_a_field_and_its_values_go_in(qtbot, window, tmp_path):
    wizard = open_file(qtbot, window, write_xlsx(tmp_path / "客户.xlsx", ROWS))
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    page = wizard.mapping_page
    assert page.mapping() == {0: "name", 1: "mobile"}  # 宗教信仰 and 纪念日 match no field
    dialog = pick_new_field(qtbot, page, 2)
    assert dialog.name.text() == "宗教信仰"
    assert dialog.kind.currentData() == CF.CHOICE  # two values, each twice
    assert dialog.options.toPlainText() == "佛教\n基督教"
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert page.combos[2].currentData() == "cf:宗教信仰"
    assert page.combos[3].findData("cf:宗教信仰") >= 0  # every column may now go to it

    dialog = pick_new_field(qtbot, page, 3)
    assert dialog.kind.currentData() == CF.DATE
    dialog.reject()  # cancelled: the column goes nowhere, as before
    assert page.combos[3].currentData() == ""
    assert [f.label for f in CF.all_fields()] == ["宗教信仰"]

    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    qtbot.waitUntil(lambda: wizard.preview_page.loaded and not wizard.busy)
    result = do_import(qtbot, wizard)
    assert result.text.text() == "Created 4, updated 0, skipped 0, rejected 0."
    cid = Customer.get(Customer.name == "申通物流").id
    assert CF.read([cid])[cid] == {"cf:宗教信仰": "基督教"}
