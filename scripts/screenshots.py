"""Screenshots for the README (docs/screenshots/), from real windows on a virtual screen:

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python scripts/screenshots.py

Needs a CJK font (fonts-noto-cjk or fonts-wqy-microhei) for the Chinese ones."""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"
os.environ["CRMDESK_DATA_DIR"] = tempfile.mkdtemp(prefix="crmdesk-shots-")


def settle(app, rounds: int = 20) -> None:
    for _ in range(rounds):
        app.processEvents()


def shoot(widget, name: str) -> None:
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance()
    settle(app)
    screen = widget.screen()
    geometry = widget.frameGeometry()
    picture = screen.grabWindow(0, geometry.x(), geometry.y(), geometry.width(), geometry.height())
    if picture.isNull() or os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        picture = widget.grab()
    picture.save(str(OUT / name))
    print("wrote", OUT / name)


def wait(app, condition, rounds: int = 2000) -> None:
    import time
    for _ in range(rounds):
        app.processEvents()
        if condition():
            return
        time.sleep(0.01)


def shoot_import_wizard(app, window, suffix: str) -> None:
    """File ▸ Import customers on a messy sheet: the mapping and the preview with the
    cells in error marked."""
    from openpyxl import Workbook
    from PySide6.QtWidgets import QWizard
    path = Path(os.environ["CRMDESK_DATA_DIR"]) / f"客户名单-{suffix}.xlsx"
    wb = Workbook()
    ws = wb.active
    for row in (["2024年华东区客户名单"], [],
                ["客户名称*", "联系人", "手机号码", "邮箱", "等级", "生日", "备注"],
                ["宁波甬江机械有限公司", "陈立", 13857412345, "chenli@yjjx.cn", "大客户", "1978/3/9", ""],
                ["温州瓯海鞋业", "黄敏", "1386", "huangmin@ohxy", "VIP", "4月2日", "老客户"],
                ["绍兴柯桥纺织", "吴静", "+86 139 5851 2345", "", "关系型", "1985-13-01", ""],
                ["嘉兴南湖电子", "周强", "0573-82345678", "zq@nhdz.com", "交易型", "", "展会认识"]):
        ws.append(row)
    wb.save(path)
    window.import_action.trigger()
    wizard = window.import_wizard
    wizard.resize(1100, 640)
    wizard.move(60, 60)
    wizard.file_page.path_edit.setText(str(path))
    wizard.open_file(path)
    wait(app, lambda: not wizard.busy and wizard.plan is not None)
    shoot(wizard, f"import-file-{suffix}.png")
    wizard.button(QWizard.WizardButton.NextButton).click()
    wait(app, lambda: not wizard.busy)
    shoot(wizard, f"import-mapping-{suffix}.png")
    wizard.button(QWizard.WizardButton.NextButton).click()
    wait(app, lambda: wizard.preview_page.loaded and not wizard.busy)
    shoot(wizard, f"import-preview-{suffix}.png")
    wizard.reject()
    settle(app)


SALES = {
    "zh": [["订单号", "客户编号", "客户名称", "下单日期", "商品名称", "商品类别", "数量", "销售金额", "实付金额", "备注"],
           ["SO-24051", "C000001", "", "2024-05-06", "不锈钢球阀 DN50", "阀门", 40, 5280, 5280, ""],
           ["SO-24052", "C000003", "", "2024-05-08", "镀锌管件套装", "管件", 120, "1.2万", 8000, "分两批送货"],
           ["SO-24053", "", "杭州西湖茶业有限公司", "2024/5/9", "法兰盘 PN16", "法兰", 60, 3150.5, "", "新客户"],
           ["SO-24054", "C000005", "", "2024年5月12日", "退货：球阀 DN25", "阀门", -5, -420, -420, "质量问题退货"]],
    "en": [["Order ID", "Customer ID", "Customer Name", "Order Date", "Product Name", "Category", "Quantity",
            "Sales", "Paid Amount", "Notes"],
           ["SO-24051", "C000001", "", "2024-05-06", "Ball valve DN50, stainless", "Valves", 40, 5280, 5280, ""],
           ["SO-24052", "C000003", "", "2024-05-08", "Galvanised fittings kit", "Fittings", 120, 12000, 8000,
            "Two deliveries"],
           ["SO-24053", "", "West Lake Tea Co.", "2024-05-09", "Flange PN16", "Flanges", 60, 3150.5, "", "New"],
           ["SO-24054", "C000005", "", "2024-05-12", "Return: ball valve DN25", "Valves", -5, -420, -420,
            "Faulty"]],
}


def write_sheet(path: Path, rows) -> Path:
    from openpyxl import Workbook
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def make_imports() -> None:
    """Three imports for the import history: customers, sales, and a fair list taken back."""
    from crmdesk.core.imports import customer_import as CI
    from crmdesk.core.imports import transaction_import as TI
    from crmdesk.core.imports import undo
    from crmdesk.core.imports.options import ImportOptions
    folder = Path(os.environ["CRMDESK_DATA_DIR"])
    CI.import_file(write_sheet(folder / "华东区客户名单.xlsx", [
        ["客户编号", "客户名称", "联系人", "手机", "城市"],
        ["C000002", "正泰网络科技有限公司", "林涛", "13858012345", "宁波市"],
        ["", "宁波甬江机械有限公司", "陈立", "13857412345", "宁波市"],
        ["", "嘉兴南湖电子有限公司", "周强", "13905731234", "嘉兴市"]]), ImportOptions())
    TI.import_file(write_sheet(folder / "2024年5月销售.xlsx", SALES["zh"]), ImportOptions())
    fair, _ = CI.import_file(write_sheet(folder / "展会名片.xlsx", [
        ["姓名", "公司", "手机"], ["黄敏", "温州瓯海鞋业", "13868712345"], ["吴静", "绍兴柯桥纺织", "13958512345"]]),
        ImportOptions(mapping={0: "contact_person", 1: "name", 2: "mobile"}))
    undo.undo_import(str(fair.batch_id))


def shoot_transaction_wizard(app, window, suffix: str) -> None:
    """File ▸ Import transactions: the mapping of a sales list to the transaction fields."""
    from PySide6.QtWidgets import QWizard
    path = write_sheet(Path(os.environ["CRMDESK_DATA_DIR"]) / f"sales-{suffix}.xlsx", SALES[suffix])
    window.import_transactions_action.trigger()
    wizard = window.import_wizard
    wizard.resize(1100, 640)
    wizard.move(60, 60)
    wizard.file_page.open(path)
    wait(app, lambda: not wizard.busy and wizard.plan is not None)
    wizard.button(QWizard.WizardButton.NextButton).click()
    wait(app, lambda: not wizard.busy)
    shoot(wizard, f"import-transactions-mapping-{suffix}.png")
    wizard.reject()
    settle(app)


def shoot_import_history(app, window, suffix: str) -> None:
    """Edit ▸ Import history: three imports, the last one undone, the sales list selected."""
    dialog = window.import_history()
    dialog.move(80, 80)
    wait(app, lambda: dialog.loaded and not dialog.busy)
    dialog.table.selectRow(1)
    shoot(dialog, f"import-history-{suffix}.png")
    dialog.reject()
    settle(app)


def shoot_visits(app, window, suffix: str) -> None:
    """The visits tab: the list with a visit's plan and record, the calendar (week and
    month), the due list, and a printed day plan."""
    import datetime as dt
    from crmdesk.core.models import database
    tab = window.show_visits()
    rep, day = database.execute_sql(
        "SELECT rep, date(starts_at) FROM visit WHERE state = 'planned' AND starts_at >= ? "
        "GROUP BY rep, date(starts_at) ORDER BY count(*) DESC LIMIT 1", (dt.date.today().isoformat(),)).fetchone()
    day = dt.date.fromisoformat(day)
    tab.rep.setCurrentIndex(tab.rep.findData(rep))
    tab.model.wait_loaded()
    tab.table.resizeColumnsToContents()
    done = database.execute_sql("SELECT id FROM visit WHERE state = 'done' AND rep = ? AND objections != '' "
                                "ORDER BY starts_at DESC LIMIT 1", (rep,)).fetchone()
    tab.period.setCurrentIndex(tab.period.findData("past30"))
    tab.model.wait_loaded()
    if done and tab.model.row_of(done[0]) >= 0:
        tab.table.selectRow(tab.model.row_of(done[0]))
    shoot(window, f"visits-{suffix}.png")
    tab.show_view(1)
    tab.calendar.set_date(day)
    tab.calendar.set_mode("week")
    shoot(window, f"calendar-week-{suffix}.png")
    tab.mode.setCurrentIndex(tab.mode.findData("month"))
    shoot(window, f"calendar-month-{suffix}.png")
    tab.mode.setCurrentIndex(tab.mode.findData("week"))
    tab.show_view(2)
    tab.due.model.wait_loaded()
    tab.due.table.resizeColumnsToContents()
    shoot(window, f"due-{suffix}.png")
    dialog = tab.open_day_plan(day)
    dialog.render_png(OUT / f"day-plan-{suffix}.png")
    print("wrote", OUT / f"day-plan-{suffix}.png")
    dialog.reject()
    tab.show_view(0)
    settle(app)


def shoot_complaints(app, window, suffix: str) -> None:
    """The complaints tab with an overdue complaint selected, the escalation list, and the
    statistics of the last 12 months."""
    from crmdesk.core.models import database
    tab = window.show_complaints()
    tab.model.wait_loaded()
    tab.table.resizeColumnsToContents()
    chosen = database.execute_sql(
        "SELECT m.id FROM complaint m WHERE m.state = 'proposed' AND m.facts != '' ORDER BY m.received_at DESC "
        "LIMIT 1").fetchone()
    if chosen and tab.model.row_of(chosen[0]) >= 0:
        tab.table.selectRow(tab.model.row_of(chosen[0]))
    shoot(window, f"complaints-{suffix}.png")
    tab.show_view(1)
    shoot(window, f"escalation-{suffix}.png")
    tab.show_view(2)
    settle(app, 40)
    shoot(window, f"complaint-stats-{suffix}.png")
    tab.show_view(0)
    settle(app)


def shoot_care(app, window, suffix: str) -> None:
    """The care tab: this week's reminders with a lunar birthday's greeting, the overdue
    list, and the settings' rules and greetings."""
    import json
    from crmdesk.core.models import database
    tab = window.show_care()
    tab.show_view(1)
    tab.model.wait_loaded()
    chosen = None
    for eid, facts in database.execute_sql(
            "SELECT e.id, e.facts FROM care_event e JOIN customer c ON c.id = e.customer_id WHERE e.kind = 'birthday' "
            "AND e.state = 'due' AND c.deleted_at IS NULL ORDER BY e.due_on"):
        if tab.model.row_of(eid) >= 0:
            chosen = eid
            if json.loads(facts or "{}").get("calendar") == "lunar":
                break
    if chosen is not None:
        tab.table.selectRow(tab.model.row_of(chosen))
    shoot(window, f"care-{suffix}.png")
    tab.show_view(2)
    tab.model.wait_loaded()
    if tab.model.rowCount():
        tab.table.selectRow(0)
    shoot(window, f"care-overdue-{suffix}.png")
    dialog = tab.open_settings()
    dialog.move(160, 80)
    settle(app)
    shoot(dialog, f"care-settings-{suffix}.png")
    dialog.tabs.setCurrentIndex(2)
    shoot(dialog, f"care-greetings-{suffix}.png")
    dialog.reject()
    tab.show_view(0)
    gift = database.execute_sql("SELECT e.customer_id FROM care_event e JOIN customer c ON c.id = e.customer_id "
                                "WHERE e.kind = 'gift' AND c.deleted_at IS NULL ORDER BY e.id LIMIT 1").fetchone()
    if gift:
        customers = window.customers_tab
        window.tabs.setCurrentWidget(customers)
        customers.select_id(gift[0])
        customers.profile.tabs.setCurrentWidget(customers.profile.care)
        shoot(window, f"profile-care-{suffix}.png")
        customers.profile.tabs.setCurrentIndex(0)
    settle(app)


def shoot_analytics(app, window, suffix: str) -> None:
    """The analytics tab: the Pareto curve, suggested tiers, loyalty, RFM and churn."""
    tab = window.analytics_tab
    window.tabs.setCurrentWidget(tab)
    wait(app, lambda: tab.task is None and tab.built is not None)
    settle(app)
    shoot(window, f"analytics-abc-{suffix}.png")
    for index, name in ((1, "tiers"), (3, "loyalty"), (4, "rfm"), (5, "churn")):
        tab.show_view(index)
        settle(app)
        shoot(window, f"analytics-{name}-{suffix}.png")
    tab.show_view(0)
    customers = window.customers_tab
    window.tabs.setCurrentWidget(customers)
    customers.select_id(tab.built.abc.ranked[0][0])
    customers.profile.tabs.setCurrentWidget(customers.profile.figures)
    settle(app)
    shoot(window, f"profile-figures-{suffix}.png")
    customers.profile.tabs.setCurrentIndex(0)
    settle(app)


def shoot_sales(app, window, suffix: str) -> None:
    """The Sales tab: the sales with what is owed, the pipeline's board, the products, the
    report's funnel and forecast, and the sale dialog."""
    tab = window.show_sales()
    page = tab.sales_page
    page.model.wait_loaded()
    settle(app)
    shoot(window, f"sales-list-{suffix}.png")
    tab.show_page(tab.pipeline_page)
    settle(app)
    shoot(window, f"sales-pipeline-{suffix}.png")
    tab.show_page(tab.products_page)
    settle(app)
    shoot(window, f"sales-products-{suffix}.png")
    tab.show_page(tab.report_page)
    report = tab.report_page
    wait(app, lambda: report.task is None and report.built is not None)
    settle(app)
    shoot(window, f"sales-report-{suffix}.png")
    report.show_view(1)
    settle(app)
    shoot(window, f"sales-forecast-{suffix}.png")
    report.show_view(0)
    tab.show_page(tab.sales_page)
    page.table.selectRow(0)
    from crmdesk.ui.sales.sale_dialog import SaleDialog
    dialog = SaleDialog(window.bus, sale_id=page.selected_ids()[0], parent=window)
    dialog.move(200, 80)
    dialog.show()
    settle(app)
    shoot(dialog, f"sales-dialog-{suffix}.png")
    dialog.reject()
    window.tabs.setCurrentWidget(window.customers_tab)
    settle(app)


def open_window(app, db: Path, language: str):
    """The main window on ``db`` in ``language``, at the size every shot is taken at."""
    from crmdesk.ui import prefs
    from crmdesk.ui.app import create_main_window, install_translations
    prefs.set_language(language)
    install_translations(app, language)
    window = create_main_window(str(db))
    window.resize(1360, 820)
    window.move(20, 20)
    window.show()
    return window


def main() -> None:
    from crmdesk.core.db import close_database, open_database
    from crmdesk.core import demo
    from crmdesk.ui.app import make_app
    from crmdesk.ui import prefs
    from tests.ui.conftest import type_text

    OUT.mkdir(parents=True, exist_ok=True)
    db = Path(os.environ["CRMDESK_DATA_DIR"]) / "demo.sqlite"
    open_database(db)
    demo.generate(2000)
    close_database()
    app = make_app()
    for language, suffix in (("zh_CN", "zh"), ("en", "en")):
        window = open_window(app, db, language)
        tab = window.customers_tab
        tab.model.wait_loaded()
        tab.view.resizeColumnsToContents()
        tab.select_id(tab.model.id_at(3))
        shoot(window, f"main-{suffix}.png")
        tab.profile.tabs.setCurrentIndex(2)
        shoot(window, f"transactions-{suffix}.png")
        tab.profile.tabs.setCurrentIndex(0)

        class FakeBot:  # type_text's keyClicks, without pytest-qt
            @staticmethod
            def keyClicks(widget, text):
                from PySide6.QtTest import QTest
                QTest.keyClicks(widget, text)
        dialog = tab.new_customer()
        dialog.move(120, 60)
        type_text(FakeBot, dialog.editors["name"].widget, "杭州西湖茶业有限公司")
        type_text(FakeBot, dialog.editors["mobile"].widget, "1381")
        type_text(FakeBot, dialog.editors["email"].widget, "sales@xihu")
        dialog.save()
        shoot(dialog, f"form-error-{suffix}.png")
        dialog.reject()
        shoot_import_wizard(app, window, suffix)
        shoot_visits(app, window, suffix)
        shoot_complaints(app, window, suffix)
        shoot_care(app, window, suffix)
        shoot_analytics(app, window, suffix)
        shoot_sales(app, window, suffix)
        window.close()
        settle(app)
    # Imports change the customer list: after the shots above, so that they stay as they were.
    open_database(db)
    make_imports()
    close_database()
    for language, suffix in (("zh_CN", "zh"), ("en", "en")):
        window = open_window(app, db, language)
        shoot_transaction_wizard(app, window, suffix)
        shoot_import_history(app, window, suffix)
        window.close()
        settle(app)
    prefs.set_language("system")


if __name__ == "__main__":
    main()
