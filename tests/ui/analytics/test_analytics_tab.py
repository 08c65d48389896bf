"""The analytics tab as a manager would use it: the figures worked out off the GUI thread
when the tab is shown, the Pareto curve and its data as a table, the owner filter, the
suggested tiers ticked, applied and undone, a win-back visit from the churn list, and the
report exported. The day is pinned."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from crmdesk.core.changes import Changes
from crmdesk.core.models import Customer, Transaction
from crmdesk.core.customers import archive as customers
from crmdesk.ui.common.charts import values

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def shop(window):
    big = customers.create({"name": "大客户", "tier": "transactional", "owner": "张伟", "need_score": 5,
                            "volume_score": 4})[0]
    middle = customers.create({"name": "中客户", "tier": "key", "owner": "李娜"})[0]
    small = customers.create({"name": "小客户", "tier": "relationship", "relationship": "partner", "owner": "李娜"})[0]
    for cid, amount in ((big, 8000), (middle, 1500), (small, 500)):
        Transaction.create(customer=cid, date=dt.date(2026, 3, 10), amount=amount, category="阀门")
    for day in (dt.date(2025, 1, 1), dt.date(2025, 3, 2), dt.date(2025, 5, 1)):
        Transaction.create(customer=small, date=day, amount=10, category="阀门")
    window.bus.publish(Changes.reset())
    return {"big": big, "middle": middle, "small": small}


def shown(qtbot, window):
    tab = window.analytics_tab
    tab.today = TODAY
    tab.stale = True
    window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.task is None and tab.built is not None and tab.built.today == TODAY, timeout=20000)
    return tab


def rebuilt(qtbot, tab):
    task = tab.refresh()
    qtbot.waitUntil(lambda: tab.task is None and tab.built is not None, timeout=20000)
    return task


def test_the_figures_are_worked_out_when_the_tab_is_shown(qtbot, window, shop):
    tab = shown(qtbot, window)
    assert "A: 1 customers" in tab.abc_page.note.text()
    assert values(tab.abc_page.view.chart())  # the Pareto curve is drawn
    assert tab.abc_page.pages.currentIndex() == 0
    qtbot.mouseClick(tab.abc_page.toggle, Qt.MouseButton.LeftButton)
    assert tab.abc_page.pages.currentIndex() == 1
    rows = tab.abc_page.model.rows
    assert [r[2] for r in rows] == ["大客户", "中客户", "小客户"] and [r[6] for r in rows] == ["A", "B", "C"]
    assert tab.status.text() == "3 customers"


def test_the_owner_filter_narrows_every_figure(qtbot, window, shop):
    tab = shown(qtbot, window)
    tab.owner.setCurrentIndex(tab.owner.findData("李娜"))
    qtbot.waitUntil(lambda: tab.task is None and len(tab.built.customers) == 2, timeout=20000)
    assert [r[2] for r in tab.abc_page.model.rows] == ["中客户", "小客户"]


def test_suggested_tiers_applied_and_undone(qtbot, window, shop):
    tab = shown(qtbot, window)
    tab.show_view(1)
    names = [r[2] for r in tab.tiers_model.rows]
    assert "大客户" in names and "中客户" in names
    assert tab.tiers_model.checked == set() and not tab.apply_button.isEnabled()  # nothing ticked at the start
    qtbot.mouseClick(tab.findChild(QPushButton, "analyticsTickAll"), Qt.MouseButton.LeftButton)
    assert tab.tiers_model.checked == set(range(len(names))) and tab.apply_button.isEnabled()
    index = tab.tiers_model.index(names.index("中客户"), 0)
    tab.tiers_model.setData(index, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)  # keep 中客户 a key account
    qtbot.mouseClick(tab.apply_button, Qt.MouseButton.LeftButton)
    assert Customer.get_by_id(shop["big"]).tier == "key"
    assert Customer.get_by_id(shop["middle"]).tier == "key"
    assert "Ctrl+Z" in window.statusBar().currentMessage()
    window.undo_stack.undo()
    assert Customer.get_by_id(shop["big"]).tier == "transactional"
    window.undo_stack.redo()
    assert Customer.get_by_id(shop["big"]).tier == "key"


def test_a_win_back_visit_from_the_churn_list(qtbot, window, shop):
    tab = shown(qtbot, window)
    tab.show_view(5)
    codes = [r[0] for r in tab.risk_model.rows]
    small_code = Customer.get_by_id(shop["small"]).code
    assert small_code in codes
    row = codes.index(small_code)
    assert "no purchase for" in tab.risk_model.rows[row][5]
    tab.risk_table.selectRow(row)
    qtbot.mouseClick(tab.win_back_button, Qt.MouseButton.LeftButton)
    assert window.tabs.currentWidget() is window.visits_tab
    dialog = window.visits_tab.dialog
    assert dialog.kind.currentData() == "win_back" and dialog.customer.customer_id == shop["small"]


def test_the_report_exported(qtbot, window, shop, tmp_path):
    from openpyxl import load_workbook
    tab = shown(qtbot, window)
    path = tab.export_report(tmp_path / "report.xlsx")
    assert len(load_workbook(path).sheetnames) >= 8
    assert "Wrote" in window.statusBar().currentMessage()


def test_a_change_elsewhere_works_the_figures_out_again(qtbot, window, shop):
    tab = shown(qtbot, window)
    Transaction.create(customer=shop["small"], date=dt.date(2026, 11, 1), amount=100000, category="管件")
    window.bus.publish(Changes("transaction", "created", (1,)))
    qtbot.waitUntil(lambda: tab.task is None and tab.built.abc.classes[shop["small"]] == "A", timeout=20000)
    assert tab.abc_page.model.rows[0][2] == "小客户"


def test_record_why_a_lost_customer_left(qtbot, window, shop):
    gone = customers.create({"name": "已流失客户", "stage": "lost"})[0]
    window.bus.publish(Changes.reset())
    tab = shown(qtbot, window)
    tab.show_view(5)
    tab.lost_page.flip()
    row = [r[1] for r in tab.lost_page.model.rows].index("已流失客户")
    tab.lost_page.table.selectRow(row)
    tab.cause.setCurrentIndex(tab.cause.findData("competitor"))
    qtbot.mouseClick(tab.cause_button, Qt.MouseButton.LeftButton)
    assert Customer.get_by_id(gone).churn_cause == "competitor"
    qtbot.waitUntil(lambda: tab.task is None and tab.built.lost == {"competitor": 1}, timeout=20000)


def test_the_profile_shows_the_customers_own_figures(qtbot, window, shop):
    shown(qtbot, window)  # the report of every customer keeps the population figures
    ctab = window.customers_tab
    window.tabs.setCurrentWidget(ctab)
    ctab.profile.figures.today = TODAY
    ctab.select_id(shop["big"])
    ctab.profile.tabs.setCurrentWidget(ctab.profile.figures)
    text = ctab.profile.figures.text.toPlainText()
    assert "ABC class" in text and "A" in text and "Relationship duration" in text and "no data" in text


def test_settings_refuse_shares_that_do_not_add_up_and_recut_the_classes(qtbot, window, shop):
    from PySide6.QtWidgets import QDialogButtonBox
    from crmdesk.core.analytics import settings as analytics_settings
    tab = shown(qtbot, window)
    dialog = tab.open_settings()
    dialog.shares[0].setValue(70)  # 70 + 15 + 5
    save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "add up to 100" in dialog.form.errors["abc"].text()
    assert analytics_settings.load() == analytics_settings.Settings()
    dialog.shares[1].setValue(25)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert analytics_settings.load().abc == (0.7, 0.25, 0.05)
    qtbot.waitUntil(lambda: tab.task is None and tab.built.settings.abc == (0.7, 0.25, 0.05), timeout=20000)


def test_sorting_the_suggestions_keeps_each_tick_with_its_customer(qtbot, window, shop):
    tab = shown(qtbot, window)
    tab.show_view(1)
    tab.tiers_table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    names = [r[2] for r in tab.tiers_model.rows]
    tab.tiers_model.check_all(True)
    tab.tiers_model.setData(tab.tiers_model.index(names.index("中客户"), 0), Qt.CheckState.Unchecked.value,
                            Qt.ItemDataRole.CheckStateRole)
    qtbot.mouseClick(tab.apply_button, Qt.MouseButton.LeftButton)
    assert Customer.get_by_id(shop["middle"]).tier == "key"  # unticked: kept
    assert Customer.get_by_id(shop["big"]).tier == "key"  # ticked: applied


def test_another_database_drops_the_figures_under_way(qtbot, window, shop, tmp_path):
    tab = shown(qtbot, window)
    window.tabs.setCurrentWidget(window.customers_tab)
    tab.refresh()
    assert window.switch_database(tmp_path / "other.sqlite", create=True)
    assert tab.task is None and tab.built is None
    window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.task is None and tab.built is not None, timeout=20000)
    assert tab.built.customers == {} and tab.abc_page.model.rows == []


def test_tick_all_and_untick_all(qtbot, window, shop):
    tab = shown(qtbot, window)
    tab.show_view(1)
    count = len(tab.tiers_model.rows)
    assert count and tab.tiers_model.checked == set()
    assert tab.tiers_model.index(0, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    qtbot.mouseClick(tab.tick_all_button, Qt.MouseButton.LeftButton)
    assert tab.tiers_model.index(count - 1, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    qtbot.mouseClick(tab.untick_all_button, Qt.MouseButton.LeftButton)
    assert tab.tiers_model.checked == set() and not tab.apply_button.isEnabled()
    before = [(c.id, c.tier) for c in Customer.select().order_by(Customer.id)]
    assert tab.apply_tiers() is None
    assert [(c.id, c.tier) for c in Customer.select().order_by(Customer.id)] == before


def test_no_purchase_is_no_data_in_the_loyalty_table_and_sorted_last(qtbot, window, shop):
    fresh = customers.create({"name": "当天客户", "tier": "key"})[0]
    Customer.update(satisfaction=5.0).where(Customer.id == fresh).execute()
    window.bus.publish(Changes.reset())
    tab = shown(qtbot, window)
    rebuilt(qtbot, tab)
    page = tab.loyalty_page
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        page.model.sort(3, order)
        last = page.model.rows[-1]
        assert last[1] == "当天客户" and last[3] is None
        assert page.model.index(len(page.model.rows) - 1, 3).data() == "—"
