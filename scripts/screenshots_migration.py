"""Screenshots of the migration door (issue 21) for the README (docs/screenshots/):

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_migration.py

An Access database's tables in the import wizard, bad values kept in the notes, the
duplicates list, the side-by-side merge and the form's warning while typing. The Access and
customers-100 shots need ../shared/data (skipped without it)."""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["CRMDESK_DATA_DIR"] = tempfile.mkdtemp(prefix="crmdesk-shots-")
SHARED = ROOT.parent / "shared" / "data"

from scripts.screenshots import open_window, settle, shoot, wait  # noqa: E402

PLANTED = [  # duplicates as people make them: a second sheet, a typo, another laptop
    {"name": "北京华润商贸有限公司", "city": "北京", "mobile": "13812345678", "owner": "王芳", "tier": "key",
     "tags": "重点", "notes": "老客户，年底集中采购"},
    {"name": "华润商贸(北京)有限公司", "city": "北京", "mobile": "13812345678", "email": "wang@huarun.cn",
     "tags": "展会", "notes": "2024 广交会认识"},
    {"name": "杭州天虹电器商贸有限公司", "city": "杭州", "phone": "0571-88776655"},
    {"name": "天虹电器商贸中心", "city": "杭州市", "contact_person": "周强"},
    {"name": "宁波甬江机械", "city": "宁波", "email": "chenli@yjjx.cn"},
    {"name": "宁波市甬江机械有限公司", "city": "宁波", "email": "ChenLi@yjjx.cn", "contact_person": "陈立"},
]


def shoot_access(app, window, suffix: str) -> None:
    source = SHARED / "access" / "northwind-jet4.mdb"
    if not source.is_file():
        print("skipped the Access shots: no", source)
        return
    path = Path(os.environ["CRMDESK_DATA_DIR"]) / "Northwind.mdb"
    shutil.copyfile(source, path)
    wizard = window.import_customers(path)
    wizard.move(60, 40)
    wait(app, lambda: not wizard.busy and wizard.plan is not None)
    wizard.file_page.sheet_combo.showPopup()
    settle(app)
    shoot(wizard, f"import-access-{suffix}.png")
    wizard.file_page.sheet_combo.hidePopup()
    wizard.reject()
    settle(app)


def shoot_bad_values(app, window, suffix: str) -> None:
    source = SHARED / "en" / "customers-100.xlsx"
    if not source.is_file():
        return
    path = Path(os.environ["CRMDESK_DATA_DIR"]) / "customers-100.xlsx"
    shutil.copyfile(source, path)
    wizard = window.import_customers(path)
    wizard.move(60, 40)
    wait(app, lambda: not wizard.busy and wizard.plan is not None)
    wizard.next()
    wizard.next()
    preview = wizard.preview_page
    wait(app, lambda: preview.loaded and not wizard.busy)
    combo = preview.bad_values_combo
    combo.setCurrentIndex(combo.findData("keep"))
    combo.activated.emit(combo.currentIndex())
    wait(app, lambda: preview.loaded and not wizard.busy)
    row = next(i for i in range(preview.model.rowCount()) if preview.model.row_at(i).kept)
    preview.table.scrollTo(preview.model.index(row, 7))
    shoot(wizard, f"import-bad-values-{suffix}.png")
    wizard.reject()
    settle(app)


def shoot_similar_rows(app, window, suffix: str) -> None:
    """The preview of a sheet with rows that look like customers already here."""
    from openpyxl import Workbook
    path = Path(os.environ["CRMDESK_DATA_DIR"]) / f"展会名单-{suffix}.xlsx"
    wb = Workbook()
    for row in (["客户名称", "城市", "联系人", "手机"], ["北京华润商贸", "北京", "王芳", "13900001111"],
                ["青岛海晨食品有限公司", "青岛", "刘洋", "13900002222"], ["宁波甬江机械厂", "宁波", "陈立", None],
                ["厦门鹭岛茶业", "厦门", "林静", "13900003333"]):
        wb.active.append(row)
    wb.save(path)
    wizard = window.import_customers(path)
    wizard.move(60, 40)
    wait(app, lambda: not wizard.busy and wizard.plan is not None)
    wizard.next()
    wizard.next()
    wait(app, lambda: wizard.preview_page.loaded and not wizard.busy)
    shoot(wizard, f"import-similar-{suffix}.png")
    wizard.reject()
    settle(app)


def shoot_duplicates(app, window, suffix: str) -> None:
    dialog = window.find_duplicates()
    dialog.move(60, 60)
    wait(app, lambda: not dialog.busy)
    dialog.view.resizeColumnsToContents()
    shoot(dialog, f"duplicates-{suffix}.png")
    merge = dialog.review()
    merge.move(100, 80)
    settle(app)
    shoot(merge, f"merge-{suffix}.png")
    merge.reject()
    dialog.reject()
    settle(app)


def shoot_warning(app, window, suffix: str) -> None:
    from tests.ui.conftest import type_text

    class Bot:  # type_text's keyClicks, without pytest-qt
        @staticmethod
        def keyClicks(widget, text):
            from PySide6.QtTest import QTest
            QTest.keyClicks(widget, text)
    form = window.customers_tab.new_customer()
    form.move(120, 60)
    type_text(Bot, form.editors["name"].widget, "华润商贸")
    type_text(Bot, form.editors["city"].widget, "北京")
    type_text(Bot, form.editors["mobile"].widget, "13812345678")
    form.duplicate_warning.check()
    shoot(form, f"form-duplicate-{suffix}.png")
    form.reject()
    settle(app)


def main() -> None:
    from crmdesk.core.db import close_database, open_database
    from crmdesk.core.customers import archive as customers
    from crmdesk.core import demo
    from crmdesk.ui import prefs
    from crmdesk.ui.app import make_app
    db = Path(os.environ["CRMDESK_DATA_DIR"]) / "demo.sqlite"
    open_database(db)
    demo.generate(300)
    for values in PLANTED:
        customers.create(values)
    close_database()
    app = make_app()
    for language, suffix in (("zh_CN", "zh"), ("en", "en")):
        window = open_window(app, db, language)
        window.customers_tab.model.wait_loaded()
        shoot_access(app, window, suffix)
        shoot_bad_values(app, window, suffix)
        shoot_similar_rows(app, window, suffix)
        shoot_duplicates(app, window, suffix)
        shoot_warning(app, window, suffix)
        window.close()
        settle(app)
    prefs.set_language("system")


if __name__ == "__main__":
    main()
