"""Screenshots of custom fields (issue 21) for the README (docs/screenshots/):

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_custom_fields.py

File ▸ Customer fields, the customer form's "My fields" page, the list with a custom column
filtered by a custom field and by a range of a number field, and the import wizard making a
new field of a column."""
from __future__ import annotations

import os
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["CRMDESK_DATA_DIR"] = tempfile.mkdtemp(prefix="crmdesk-shots-")

from PySide6.QtCore import Qt  # noqa: E402

from scripts.screenshots import open_window, settle, shoot, wait  # noqa: E402

FIELDS = [("宗教信仰", "text", (), "Religion"), ("家庭人数", "number", (), "Household size"),
          ("结婚纪念日", "date", (), "Wedding anniversary"), ("收入水平", "choice", ("高", "中", "低"), "Income level"),
          ("经销商", "yesno", (), "Dealer")]


def fill(db: Path) -> int:
    from crmdesk.core import custom_fields as CF
    from crmdesk.core.db import close_database, open_database
    from crmdesk.core.models import Customer
    from crmdesk.core.customers import archive as customers
    from crmdesk.core import demo
    open_database(db)
    demo.generate(300)
    for label, kind, choices, english in FIELDS:
        CF.add(label, kind, choices, english)
    rng = random.Random(20261207)
    for customer in Customer.select(Customer.id).order_by(Customer.id):
        if rng.random() < 0.7:
            customers.update(customer.id, {"cf:宗教信仰": rng.choice(["佛教", "无", "基督教", ""]),
                                           "cf:家庭人数": rng.randint(1, 8),
                                           "cf:收入水平": rng.choice(["高", "中", "中", "低"]),
                                           "cf:经销商": rng.choice(["是", "否"]),
                                           "cf:结婚纪念日": f"20{rng.randint(0, 22):02d}-{rng.randint(1, 12):02d}-"
                                                            f"{rng.randint(1, 28):02d}"})
    first = next(c.id for c in Customer.select(Customer.id).order_by(Customer.id)
                 if len(CF.read([c.id]).get(c.id, {})) == len(FIELDS))  # one with every field filled
    close_database()
    return first


def shoot_settings(app, window, suffix: str) -> None:
    dialog = window.custom_fields()
    dialog.move(80, 60)
    dialog.table.setCurrentItem(dialog.table.topLevelItem(3))
    settle(app)
    shoot(dialog, f"custom-fields-{suffix}.png")
    change = dialog.change()
    change.move(200, 140)
    settle(app)
    shoot(change, f"custom-field-{suffix}.png")
    change.reject()
    dialog.reject()
    settle(app)


def shoot_form(app, window, suffix: str, customer_id: int) -> None:
    from crmdesk.ui.customers.dialog import CUSTOM
    tab = window.customers_tab
    tab.select_id(customer_id)
    form = tab.edit_current()
    form.move(120, 60)
    form.tabs.setCurrentIndex(form.section_pages[CUSTOM])
    form.editors["cf:家庭人数"].widget.setText("很多")
    form.check_field("cf:家庭人数")
    shoot(form, f"custom-form-{suffix}.png")
    form.reject()
    settle(app)


def shoot_list(app, window, suffix: str, customer_id: int) -> None:
    tab = window.customers_tab
    before = list(tab.model.keys)
    tab.model.set_keys(["code", "name", "city", "owner", "cf:收入水平", "cf:家庭人数", "cf:宗教信仰"])
    tab.custom_filter.chosen.emit("cf:收入水平", "高")
    tab.model.wait_loaded()
    tab.view.selectRow(0)
    settle(app)
    tab.profile.overview.verticalScrollBar().setValue(tab.profile.overview.verticalScrollBar().maximum())
    settle(app)
    shoot(window, f"custom-list-{suffix}.png")
    tab.custom_filter.chosen.emit("cf:收入水平", None)
    tab.model.set_keys(before)
    settle(app)


def shoot_range(app, window, suffix: str) -> None:
    """The list filtered by a range of a number field, and the range dialog asking it."""
    from crmdesk.core import custom_fields as CF
    tab = window.customers_tab
    before = list(tab.model.keys)
    tab.model.set_keys(["code", "name", "city", "owner", "cf:家庭人数", "cf:结婚纪念日", "cf:收入水平"])
    dialog = tab.custom_filter.ask_range(CF.get("cf:家庭人数"))
    dialog.move(420, 200)
    dialog.low.setText("3")
    dialog.high.setText("5")
    settle(app)
    shoot(dialog, f"custom-range-{suffix}.png")
    dialog.apply()
    tab.model.wait_loaded()
    tab.view.sortByColumn(tab.model.keys.index("cf:家庭人数"), Qt.SortOrder.DescendingOrder)
    tab.model.wait_loaded()
    tab.view.selectRow(0)
    settle(app)
    shoot(window, f"custom-range-list-{suffix}.png")
    tab.custom_filter.chosen.emit("cf:家庭人数", None)
    tab.model.set_keys(before)
    settle(app)


def shoot_import(app, window, suffix: str) -> None:
    from openpyxl import Workbook
    from crmdesk.ui.imports.mapping_page import NEW_FIELD
    path = Path(os.environ["CRMDESK_DATA_DIR"]) / f"会员名单-{suffix}.xlsx"
    wb = Workbook()
    for row in (["客户名称", "手机", "宗教信仰", "会员等级"], ["青岛海晨食品", "13900002222", "佛教", "金卡"],
                ["厦门鹭岛茶业", "13900003333", "无", "银卡"], ["宁波甬江机械", "13900004444", "基督教", "金卡"],
                ["福州闽江贸易", "13900005555", "佛教", "银卡"]):
        wb.active.append(row)
    wb.save(path)
    wizard = window.import_customers(path)
    wizard.move(60, 40)
    wait(app, lambda: not wizard.busy and wizard.plan is not None)
    wizard.next()
    page = wizard.mapping_page
    combo = page.combos[3]
    combo.setCurrentIndex(combo.findData(NEW_FIELD))
    combo.activated.emit(combo.currentIndex())
    dialog = page.field_dialog
    dialog.move(300, 260)
    settle(app)
    shoot(wizard, f"custom-import-{suffix}.png")
    shoot(dialog, f"custom-import-field-{suffix}.png")
    dialog.reject()
    wizard.reject()
    settle(app)


def main() -> None:
    from crmdesk.ui import prefs
    from crmdesk.ui.app import make_app
    db = Path(os.environ["CRMDESK_DATA_DIR"]) / "demo.sqlite"
    first = fill(db)
    app = make_app()
    for language, suffix in (("zh_CN", "zh"), ("en", "en")):
        window = open_window(app, db, language)
        window.customers_tab.model.wait_loaded()
        shoot_settings(app, window, suffix)
        shoot_form(app, window, suffix, first)
        shoot_list(app, window, suffix, first)
        shoot_range(app, window, suffix)
        shoot_import(app, window, suffix)
        window.close()
        settle(app)
    prefs.set_language("system")


if __name__ == "__main__":
    main()
