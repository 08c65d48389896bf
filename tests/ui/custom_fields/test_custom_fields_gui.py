"""Custom fields through the GUI (issue 21): defined in File ▸ Customer fields, typed in the
customer form's "My fields" page, shown in the profile, chosen as a list column, sorted
and filtered; a bad value is marked and nothing is saved."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QMessageBox

from crmdesk.core import custom_fields as CF
from crmdesk.core.changes import Changes
from crmdesk.core.models import Customer
from crmdesk.core.customers import archive as customers
from tests.ui.conftest import type_text


def add_field(qtbot, window, name: str, kind: str, options: str = "", name_en: str = ""):
    window.custom_fields_action.trigger()
    from crmdesk.ui.custom_fields.settings_dialog import CustomFieldsDialog
    settings = window.findChildren(CustomFieldsDialog)[-1]
    dialog = settings.add()
    type_text(qtbot, dialog.name, name)
    if name_en:
        type_text(qtbot, dialog.name_en, name_en)
    dialog.kind.setCurrentIndex(dialog.kind.findData(kind))
    if options:
        dialog.options.setPlainText(options)
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    return settings, dialog


def test_fields_are_defined_in_the_settings_dialog(qtbot, window):
    settings, dialog = add_field(qtbot, window, "宗教信仰", CF.TEXT, name_en="Religion")
    assert not dialog.isVisible()
    add_field(qtbot, window, "收入水平", CF.CHOICE, "高\n中\n低")
    assert [f.label for f in CF.all_fields()] == ["宗教信仰", "收入水平"]
    assert CF.get("收入水平").choices == ("高", "中", "低")
    rows = [settings.table.topLevelItem(i).text(0) for i in range(settings.table.topLevelItemCount())]
    assert rows == ["宗教信仰"]  # the first dialog shows what it added; a later one both
    # a name a built-in field has is refused in the dialog, which stays open with the reason
    _settings, refused = add_field(qtbot, window, "城市", CF.TEXT)
    assert refused.isVisible() and "城市" in refused.error.text()
    assert len(CF.all_fields()) == 2


def test_a_field_is_changed_moved_and_removed(qtbot, window, monkeypatch):
    CF.add("宗教信仰", CF.TEXT)
    CF.add("已婚", CF.YESNO)
    cid, _ = customers.create({"name": "华润", "cf:宗教信仰": "佛教"})
    window.custom_fields_action.trigger()
    from crmdesk.ui.custom_fields.settings_dialog import CustomFieldsDialog
    settings = window.findChildren(CustomFieldsDialog)[-1]
    assert settings.table.topLevelItem(0).text(4) == "1"  # customers with a value
    settings.table.setCurrentItem(settings.table.topLevelItem(1))
    qtbot.mouseClick(settings.up_button, Qt.MouseButton.LeftButton)
    assert [f.label for f in CF.all_fields()] == ["已婚", "宗教信仰"]
    settings.table.setCurrentItem(settings.table.topLevelItem(1))
    change = settings.change()
    assert not change.kind.isEnabled()  # the type stays
    change.name.setText("信仰")
    change.save()
    assert CF.get("宗教信仰").label == "信仰"
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    settings.table.setCurrentItem(settings.table.topLevelItem(1))
    assert settings.remove()
    assert [f.label for f in CF.all_fields()] == ["已婚"]
    assert settings.table.topLevelItemCount() == 1


def test_custom_values_are_typed_in_the_form_and_shown(qtbot, window):
    CF.add("宗教信仰", CF.TEXT)
    CF.add("家庭人数", CF.NUMBER)
    CF.add("收入水平", CF.CHOICE, ("高", "中", "低"))
    CF.add("已婚", CF.YESNO)
    tab = window.customers_tab
    tab.new_action.trigger()
    dialog = tab.dialog
    pages = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert "My fields" in pages
    type_text(qtbot, dialog.editors["name"].widget, "杭州娃哈哈")
    type_text(qtbot, dialog.editors["cf:宗教信仰"].widget, "佛教")
    type_text(qtbot, dialog.editors["cf:家庭人数"].widget, "many")
    assert dialog.error_labels["cf:家庭人数"].text().startswith("Not a number")
    assert dialog.tabs.tabText(dialog.section_pages["custom"]).endswith("⚠")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and Customer.select().count() == 0  # nothing saved, nothing lost
    dialog.editors["cf:家庭人数"].widget.clear()
    type_text(qtbot, dialog.editors["cf:家庭人数"].widget, "4")
    combo = dialog.editors["cf:收入水平"].widget
    combo.setCurrentIndex(combo.findData("中"))
    married = dialog.editors["cf:已婚"].widget
    married.setCurrentIndex(married.findData("1"))
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    cid = Customer.get().id
    assert CF.read([cid])[cid] == {"cf:宗教信仰": "佛教", "cf:家庭人数": 4, "cf:收入水平": "中", "cf:已婚": 1}
    tab.profile.show_customer(cid)
    text = tab.profile.overview.toPlainText()
    assert "My fields" in text and "宗教信仰" in text and "佛教" in text and "Yes" in text
    # editing shows what was stored
    from crmdesk.ui.customers.dialog import CustomerDialog
    edit = CustomerDialog(window.bus, cid, window)
    qtbot.addWidget(edit)
    assert edit.editors["cf:家庭人数"].text() == "4" and edit.editors["cf:已婚"].text() == "1"


def test_a_custom_field_is_a_list_column_sorted_and_filtered(qtbot, window):
    CF.add("收入水平", CF.CHOICE, ("高", "中", "低"))
    CF.add("家庭人数", CF.NUMBER)
    for name, income, people in (("甲公司", "高", 12), ("乙公司", "低", 3), ("丙公司", None, 100)):
        customers.create({"name": name, "cf:收入水平": income, "cf:家庭人数": people})
    tab = window.customers_tab
    window.bus.publish(Changes.reset("customer"))
    tab.set_column("cf:家庭人数", True)
    column = tab.model.keys.index("cf:家庭人数")
    assert tab.model.headerData(column, Qt.Orientation.Horizontal) == "家庭人数"
    tab.view.sortByColumn(column, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 3)
    name = tab.model.keys.index("name")

    def shown():
        return [(tab.model.index(r, name).data(), tab.model.index(r, column).data()) for r in range(tab.model.rowCount())]
    qtbot.waitUntil(lambda: shown()[0][1] is not None)
    values = [v for _n, v in shown()]
    assert values == ["3", "12", "100"]  # numbers in number order, not text order
    assert tab.custom_filter.isVisible()
    tab.custom_filter.fill()
    income = next(m for m in tab.custom_filter.menu_.actions() if m.text() == "收入水平").menu()
    low = next(a for a in income.actions() if a.text() == "低")
    low.trigger()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1)
    assert shown()[0][0] == "乙公司"
    assert tab.custom_filter.text() == "收入水平: 低 ▾"
    every = next(a for a in income.actions() if a.text() == "All")
    every.trigger()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 3)


def test_settings_lead_to_the_customer_fields(qtbot, window):
    from PySide6.QtWidgets import QPushButton
    from crmdesk.ui.custom_fields.settings_dialog import CustomFieldsDialog
    settings = window.settings_dialog()
    button = settings.findChild(QPushButton, "openCustomFields")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.findChildren(CustomFieldsDialog)[-1].isVisible()


def test_a_number_field_filters_the_list_by_a_range_typed_as_in_the_form(qtbot, window):
    from crmdesk.ui.custom_fields.range_dialog import RangeDialog
    CF.add("家庭人数", CF.NUMBER)
    for name, people in (("甲公司", 12), ("乙公司", 3), ("丙公司", 20000), ("丁公司", None)):
        customers.create({"name": name, "cf:家庭人数": people})
    tab = window.customers_tab
    window.bus.publish(Changes.reset("customer"))
    qtbot.waitUntil(lambda: tab.model.rowCount() == 4)
    tab.custom_filter.fill()
    size = next(m for m in tab.custom_filter.menu_.actions() if m.text() == "家庭人数").menu()
    assert [a.text() for a in size.actions()] == ["All", "Between…"]
    size.actions()[1].trigger()
    dialog = window.findChildren(RangeDialog)[-1]
    assert dialog.isVisible()
    assert "3" in dialog.findChild(QLabel, "rangeSpan").text() and "20,000" in dialog.findChild(QLabel, "rangeSpan").text()
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    type_text(qtbot, dialog.low, "十二")  # not a number: said, and the list stays
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.error.isVisible() and dialog.error.text()
    assert tab.model.rowCount() == 4 and tab.model.query.filters == ()
    dialog.low.clear()
    qtbot.keyClicks(dialog.low, "10")
    type_text(qtbot, dialog.high, "2万")  # as the form takes it
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 2)
    name = tab.model.keys.index("name")
    assert sorted(tab.model.index(r, name).data() for r in range(2)) == ["丙公司", "甲公司"]
    assert tab.custom_filter.text() == "家庭人数: 10 – 20,000 ▾"
    assert tab.model.query.filters == (("cf:家庭人数", "10..20000"),)
    # the menu shows the range on; opening the dialog again starts from it; an open end
    tab.custom_filter.fill()
    size = next(m for m in tab.custom_filter.menu_.actions() if m.text() == "家庭人数").menu()
    assert [a.text() for a in size.actions()] == ["All", "10 – 20,000", "Between…"]
    dialog = tab.custom_filter.ask_range(CF.get("cf:家庭人数"))
    assert (dialog.low.text(), dialog.high.text()) == ("10", "20000")
    dialog.high.clear()
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.custom_filter.text() == "家庭人数: ≥ 10 ▾")
    assert tab.model.rowCount() == 2
    size.actions()[0].trigger()  # All
    qtbot.waitUntil(lambda: tab.model.rowCount() == 4)
    assert tab.custom_filter.text() == "My fields ▾"


def test_a_date_field_filters_by_days_typed_the_chinese_way(qtbot, window):
    CF.add("纪念日", CF.DATE)
    for name, day in (("甲公司", "2023-04-02"), ("乙公司", "2024-10-01"), ("丙公司", None)):
        customers.create({"name": name, "cf:纪念日": day})
    tab = window.customers_tab
    window.bus.publish(Changes.reset("customer"))
    qtbot.waitUntil(lambda: tab.model.rowCount() == 3)
    dialog = tab.custom_filter.ask_range(CF.get("cf:纪念日"))
    type_text(qtbot, dialog.high, "2023年12月31日")
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1)
    assert tab.model.index(0, tab.model.keys.index("name")).data() == "甲公司"
    assert tab.model.query.filters == (("cf:纪念日", "..2023-12-31"),)
