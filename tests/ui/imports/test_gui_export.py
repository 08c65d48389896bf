"""File ▸ Export customers: the list as shown (filtered and sorted) or all customers."""
from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox
from python_calamine import CalamineWorkbook


def read(path):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


def export(qtbot, window, path, shown: bool):
    dialog = window.export_dialog()
    qtbot.waitExposed(dialog)
    radio = dialog.shown_radio if shown else dialog.all_radio
    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton, pos=QPoint(6, radio.height() // 2))  # on the circle
    assert radio.isChecked()
    dialog.path_edit.clear()
    qtbot.keyClicks(dialog.path_edit, str(path))
    window.statusBar().clearMessage()
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Exported"))
    return dialog


def test_export_of_the_filtered_list_writes_just_those_rows(qtbot, window, tab, some_customers, tmp_path):
    combo = tab.filters["owner"]
    combo.setCurrentIndex(combo.findData("王芳"))
    qtbot.waitUntil(lambda: tab.model.rowCount() == 2)
    tab.view.sortByColumn(tab.model.keys.index("name"), Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: tab.model.query.descending)

    dialog = export(qtbot, window, tmp_path / "shown.xlsx", shown=True)
    assert dialog.shown_radio.text() == "The list as shown (filtered and sorted, 2 customers)"
    assert dialog.all_radio.text() == "All customers (3)"
    rows = read(tmp_path / "shown.xlsx")
    assert rows[0][:2] == ["Customer No.", "Name"]  # the interface's language
    assert [r[1] for r in rows[1:]] == [tab.model.data(tab.model.index(i, tab.model.keys.index("name")))
                                        for i in range(2)]
    assert sorted(r[1] for r in rows[1:]) == ["Acme Trading", "北京华润商贸有限公司"]
    assert window.statusBar().currentMessage() == f"Exported 2 customers to {tmp_path / 'shown.xlsx'}."


def test_export_of_all_customers(qtbot, window, tab, some_customers, tmp_path):
    tab.search.setText("上海")
    tab.apply_search()
    assert tab.model.rowCount() == 1
    export(qtbot, window, tmp_path / "all", shown=False)  # .xlsx is added
    rows = read(tmp_path / "all.xlsx")
    assert len(rows) == 4
    assert sorted(r[1] for r in rows[1:]) == sorted(["北京华润商贸有限公司", "上海申通物流", "Acme Trading"])


def test_export_to_a_folder_that_cannot_be_written_says_so(qtbot, window, some_customers, tmp_path):
    target = tmp_path / "missing-folder" / "x.xlsx"
    assert window.run_export(target, shown_only=False) is None  # refused before any work starts
    assert window.errors_shown == ["output_folder_missing"]
    assert not target.parent.exists()


def test_one_customer_reads_as_one(qtbot, window, tab, some_customers, tmp_path):
    tab.search.setText("上海")
    tab.apply_search()
    assert tab.model.rowCount() == 1
    dialog = export(qtbot, window, tmp_path / "one.xlsx", shown=True)
    assert dialog.shown_radio.text() == "The list as shown (filtered and sorted, 1 customer)"
    assert window.statusBar().currentMessage() == f"Exported 1 customer to {tmp_path / 'one.xlsx'}."
