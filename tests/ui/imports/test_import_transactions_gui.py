"""File ▸ Import transactions (the wizard for sales lists), the text encoding of a CSV file
chosen on the first page, and how rows are matched to existing customers: clicked and
typed through, with what the user sees and what reached the database."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QWizard

from crmdesk.core.models import Customer, Transaction
from crmdesk.core.customers import archive as customers
from crmdesk.core.imports import customer_import as CI
from crmdesk.core.imports.options import ImportOptions
from tests.ui.conftest import type_text
from tests.ui.imports import test_import_wizard
from tests.ui.imports.test_import_wizard import click, do_import, to_preview, write_csv, write_xlsx

pytest.importorskip("crmdesk.core.io.sheet_read", reason="the spreadsheet reader is not in this tree yet")


def open_file(qtbot, window, action, path):
    return test_import_wizard.open_file(qtbot, window, path, action)


def sample_cell(page, row, column):
    return page.sample.data(page.sample.index(row, column))


def test_orders_file_links_each_sale_to_the_customer_with_the_same_text_id(qtbot, window, shared_data,
                                                                          monkeypatch):
    CI.import_file(shared_data / "zh/customers-id-age-name-utf8bom.csv", ImportOptions())
    from crmdesk.core.changes import Changes
    window.bus.publish(Changes.reset())
    tab = window.customers_tab
    tom = Customer.get(Customer.code == "001")
    tab.model.wait_loaded()
    assert tab.select_id(tom.id)
    assert tab.profile.transactions.rowCount() == 0

    wizard = open_file(qtbot, window, window.import_transactions_action,
                       shared_data / "transactions/orders-zh-utf8bom.csv")
    assert wizard.windowTitle() == "Import transactions"
    page = wizard.file_page
    assert page.message.text() == ""
    assert page.info.text() == "The headers are in row 1. Text encoding: UTF-8."
    assert page.encoding_combo.isEnabled() and page.encoding_combo.currentText() == "Automatic: UTF-8"

    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    mapping = wizard.mapping_page
    assert [c.currentText() for c in mapping.combos] == ["Customer No.", "Date", "(ignore)", "Product", "Quantity"]
    assert [mapping.combos[0].itemText(i) for i in range(mapping.combos[0].count())] == [
        "(ignore)", "Customer No.", "Customer name", "Date", "Product", "Category", "Quantity", "Amount", "Paid",
        "Notes"]
    assert mapping.problem.isHidden()
    assert mapping.warning.text() == "No column is mapped to Amount: the sales are imported with an amount of 0."

    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    preview = wizard.preview_page
    qtbot.waitUntil(lambda: preview.loaded and not wizard.busy)
    assert preview.summary.text() == "All 10 rows are ready to import."
    assert preview.duplicate_combo.isHidden() and preview.match_combo.isHidden()
    assert preview.linking.isVisible()

    result = do_import(qtbot, wizard)
    assert result.text.text() == "Transactions added: 10; new customers: 0; skipped: 0; rejected: 0."
    assert "The file has no amount column" in result.notes.text()
    assert Transaction.select().count() == 10 and Customer.select().count() == 10
    first = Transaction.select().where(Transaction.customer == tom.id).get()
    assert (str(first.date), first.product, first.quantity, first.amount) == ("2024-05-05", "Qian-Bi", 20, 0)
    assert tab.profile.transactions.rowCount() == 1  # the open profile heard of the import

    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda parent, title, text, *a: asked.append(text) or QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(result.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(result.undo_text.text()))
    assert asked == ["Take back this import? The transactions it added are removed, and so are the "
                             "customers it created for them."]
    assert result.undo_text.text().endswith("10 transactions were removed.")
    assert Transaction.select().count() == 0 and Customer.select().count() == 10
    assert tab.profile.transactions.rowCount() == 0


def test_a_sheet_without_a_customer_column_is_mapped_by_hand_and_fixed_in_place(qtbot, window, tmp_path):
    customers.create({"name": "王芳"})
    path = write_xlsx(tmp_path / "小票.xlsx", [["收款员", "销售日期", "商品名称", "销售金额"],
                                              ["王芳", "2024-05-05", "牙刷", 12.5],
                                              ["李强", "2024-05-32", "毛巾", "30"],
                                              ["李强", "2024-05-06", "肥皂", "-5"],
                                              [None, None, None, 37.5]], title="小票")
    wizard = open_file(qtbot, window, window.import_transactions_action, path)
    page = wizard.file_page
    assert page.message.text().startswith("The sheet has no customer column")
    assert page.info.text() == "You can still map the columns yourself on the next page."
    assert not page.encoding_combo.isEnabled()  # a workbook says its own encoding

    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    mapping = wizard.mapping_page
    assert [c.currentData() for c in mapping.combos] == ["", "date", "product", "amount"]
    assert mapping.problem.text() == ("No column is mapped to the customer: map the column with the customer's "
                                      "number or name to Customer No. / Customer name, so that each sale has its "
                                      "customer.")
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    mapping.set_target(0, "customer_name")
    mapping.set_target(3, "")
    mapping.set_target(2, "")
    assert mapping.problem.text() == ("A sale needs a date and an amount, a product or a quantity: map a column "
                                      "to Date and one to Amount / Product / Quantity.")
    mapping.set_target(2, "product")
    mapping.set_target(3, "date")
    assert mapping.problem.text() == "Two columns are mapped to Date: keep one of them."
    mapping.set_target(3, "amount")
    assert mapping.problem.isHidden() and mapping.warning.isHidden()

    preview = to_preview_from_mapping(qtbot, wizard)
    assert preview.summary.text() == "3 of 4 rows are ready to import; 1 has errors."
    model = preview.model
    qtbot.mouseClick(preview.errors_only, Qt.MouseButton.LeftButton)
    bad = model.index(0, 1)
    assert model.headerData(0, Qt.Orientation.Vertical) == "3"
    assert model.data(bad, Qt.ItemDataRole.ToolTipRole)  # why the date is wrong
    preview.table.setCurrentIndex(bad)
    qtbot.keyClick(preview.table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    type_text(qtbot, editor, "2024-05-30")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: model.data(bad) == "2024-05-30")
    assert preview.summary.text() == "All 4 rows are ready to import."

    result = do_import(qtbot, wizard)
    assert result.text.text() == "Transactions added: 3; new customers: 1; skipped: 1; rejected: 0."
    assert result.open_book_button.isHidden()
    sales = {(t.customer.name, str(t.date), t.product, str(t.amount)) for t in Transaction.select()}
    assert sales == {("王芳", "2024-05-05", "牙刷", "12.5"), ("李强", "2024-05-30", "毛巾", "30"),
                     ("李强", "2024-05-06", "肥皂", "-5")}
    assert window.customers_tab.model.rowCount() == 2  # 李强 is in the list


def to_preview_from_mapping(qtbot, wizard):
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    preview = wizard.preview_page
    qtbot.waitUntil(lambda: preview.loaded and not wizard.busy)
    return preview


def test_day_first_dates_and_western_text_of_the_superstore_csv(qtbot, window, shared_data):
    wizard = open_file(qtbot, window, window.import_transactions_action,
                       shared_data / "transactions/superstore-variant-cp1252.csv")
    page = wizard.file_page
    assert page.info.text() == "The headers are in row 1. Text encoding: Western European (Windows-1252)."
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    preview = to_preview_from_mapping(qtbot, wizard)
    assert preview.summary.text() == "0 of 9994 rows are ready to import; 9994 have errors."
    preview.date_combo.setCurrentIndex(preview.date_combo.findData("dmy"))
    preview.date_combo.activated.emit(preview.date_combo.currentIndex())
    qtbot.waitUntil(lambda: preview.loaded and not wizard.busy)
    assert preview.summary.text() == "All 9994 rows are ready to import."
    result = do_import(qtbot, wizard)
    assert result.text.text() == "Transactions added: 9994; new customers: 793; skipped: 0; rejected: 0."
    assert Customer.select().where(Customer.name == "Peter Bühler").count() == 1
    qtbot.waitUntil(lambda: window.customers_tab.model.rowCount() == 793)  # the list loads the rest lazily


def test_a_csv_read_in_the_wrong_encoding_is_read_again_in_the_chosen_one(qtbot, window, tmp_path):
    """Traditional names whose Big5 bytes are also common GBK characters: the detector
    reads the file as GBK (陳黃 comes out as 朝独), and the user picks Big5."""
    path = tmp_path / "名单.csv"
    path.write_bytes("name,mobile\n陳黃,13812345678\n楊趙,13900001111\n馬郭,13711112222\n高羅,13600001111\n"
                     .encode("big5"))
    wizard = open_file(qtbot, window, window.import_action, path)
    page = wizard.file_page
    assert page.encoding_combo.currentText() == "Automatic: Chinese, simplified (GB18030, GBK)"
    assert sample_cell(page, 1, 0) == "朝独"  # garbled
    assert [page.encoding_combo.itemText(i) for i in range(page.encoding_combo.count())] == [
        "Automatic: Chinese, simplified (GB18030, GBK)", "UTF-8", "Chinese, simplified (GB18030, GBK)", "Chinese, traditional (Big5)",
        "Western European (Windows-1252)", "UTF-16"]

    page.encoding_combo.setFocus()
    page.encoding_combo.setCurrentIndex(page.encoding_combo.findData("big5"))
    page.encoding_combo.activated.emit(page.encoding_combo.currentIndex())
    qtbot.waitUntil(lambda: not wizard.busy and wizard.plan is not None)
    assert page.message.text() == ""
    assert page.info.text() == "The headers are in row 1. Text encoding: Chinese, traditional (Big5)."
    assert [sample_cell(page, r, 0) for r in range(5)] == ["name", "陳黃", "楊趙", "馬郭", "高羅"]

    to_preview(qtbot, wizard)
    assert wizard.preview_page.summary.text() == "All 4 rows are ready to import."
    do_import(qtbot, wizard)
    assert sorted(c.name for c in Customer.select()) == sorted(["陳黃", "楊趙", "馬郭", "高羅"])

    # A new file is read with its own encoding again.
    other = write_csv(tmp_path / "utf8.csv", [["客户名称", "城市"], ["杭州西湖茶业", "杭州"]])
    click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    wizard = open_file(qtbot, window, window.import_action, other)
    assert wizard.encoding is None and wizard.file_page.encoding_combo.currentText() == "Automatic: UTF-8"


def test_a_csv_whose_encoding_cannot_be_found_can_be_read_with_a_chosen_one(qtbot, window, tmp_path):
    path = tmp_path / "bytes.csv"
    path.write_bytes(b"name,city\n" + bytes(range(0x80, 0x100)) * 20 + b",x\nAcme,Berlin\n")
    wizard = open_file(qtbot, window, window.import_action, path)
    page = wizard.file_page
    assert page.message.text().startswith("The text in ")
    assert page.info.text() == "If you know how the file was saved, choose its text encoding above."
    assert page.encoding_combo.isEnabled()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    page.choose_encoding("cp1252")
    qtbot.waitUntil(lambda: not wizard.busy and wizard.plan is not None)
    assert sample_cell(page, 2, 0) == "Acme"
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert Customer.select().count() == 0


def test_rows_match_existing_customers_by_the_key_the_user_chose(qtbot, window, tmp_path, monkeypatch):
    huarun, _ = customers.create({"name": "北京华润商贸有限公司", "mobile": "13812345678", "city": "北京"})
    path = write_xlsx(tmp_path / "分公司.xlsx", [["客户名称", "手机", "城市"],
                                              ["华润北京分公司", "13812345678", "天津"]])
    wizard = open_file(qtbot, window, window.import_action, path)
    preview = to_preview(qtbot, wizard)
    combo = preview.match_combo
    assert combo.isVisible() and combo.currentData() == "auto"
    assert combo.currentText() == "Customer number, then phone, then e-mail, then exact name"
    assert [combo.itemData(i) for i in range(combo.count())] == ["auto", "code", "phone", "email", "name", "name-phone"]
    preview.duplicate_combo.setCurrentIndex(preview.duplicate_combo.findData("new"))
    assert not combo.isEnabled()  # every row is a new customer: nothing is matched
    preview.duplicate_combo.setCurrentIndex(preview.duplicate_combo.findData("update"))
    assert combo.isEnabled()
    combo.setCurrentIndex(combo.findData("name"))
    result = do_import(qtbot, wizard)
    assert result.text.text() == "Created 1, updated 0, skipped 0, rejected 0."  # no customer has that name
    assert Customer.get_by_id(huarun).city == "北京"
    click(qtbot, wizard, QWizard.WizardButton.FinishButton)

    monkeypatch.setattr(QMessageBox, "information", lambda *a: None)
    window.undo_last_import(confirm=False)
    qtbot.waitUntil(lambda: Customer.select().count() == 1)
    wizard = open_file(qtbot, window, window.import_action, path)
    preview = to_preview(qtbot, wizard)
    preview.match_combo.setCurrentIndex(preview.match_combo.findData("phone"))
    result = do_import(qtbot, wizard)
    assert result.text.text() == "Created 0, updated 1, skipped 0, rejected 0."
    assert Customer.select().count() == 1
    assert Customer.get_by_id(huarun).city == "天津"
    assert window.customers_tab.model.rowCount() == 1


def test_edit_undo_import_says_what_undoing_a_transaction_import_does(qtbot, window, tmp_path, monkeypatch):
    from crmdesk.core.imports import transaction_import as TI
    TI.import_file(write_xlsx(tmp_path / "五月.xlsx", [["客户名称", "日期", "金额"], ["甲", "2024-05-05", 1]]),
                   ImportOptions())
    asked, told = [], []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda parent, title, text, *a: asked.append(text) or QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text, *a: told.append(text))
    window.undo_import_action.trigger()
    qtbot.waitUntil(lambda: bool(told))
    assert asked[0].startswith("Take back the import of 五月.xlsx made ")
    assert asked[0].endswith("? The transactions it added are removed, and so are the customers it created for them.")
    assert told[0].endswith("1 transaction was removed.")
    assert Transaction.select().count() == 0 and Customer.select().count() == 0


def test_the_wizard_takes_a_sales_list_longer_than_a_customer_list_may_be(tmp_path, monkeypatch):
    """The row limits are the command line's: customers 500,000, sales a whole Excel sheet
    (here scaled down: a customer list of over 5 rows is refused, the same rows as sales open)."""
    import pytest
    from openpyxl import Workbook
    from crmdesk.core.errors import CrmError
    from crmdesk.ui.imports import wizard as W
    from crmdesk.ui.imports.kinds import CUSTOMERS, TRANSACTIONS
    book = Workbook()
    book.active.append(["客户名称", "日期", "金额"])
    for day in range(1, 11):
        book.active.append(["华润商贸", f"2026-11-{day:02d}", 100])
    book.save(tmp_path / "sales.xlsx")
    monkeypatch.setattr(W, "MAX_ROWS", 5)
    with pytest.raises(CrmError) as raised:
        W.open_source(tmp_path / "sales.xlsx", None, CUSTOMERS)
    assert raised.value.code == "too_many_rows"
    with W.open_source(tmp_path / "sales.xlsx", None, TRANSACTIONS) as source:
        assert len(list(source.rows(source.sheets[0].name))) == 11
