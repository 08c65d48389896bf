"""File ▸ Import customers and Import transactions from an Access database (issue 21): the
tables with their record counts, the joined orders for sales, and what reached the database."""
from __future__ import annotations

import shutil

from PySide6.QtWidgets import QWizard

from crmdesk.core.models import Customer, Transaction
from tests.ui.imports.test_import_wizard import click, do_import, open_file, to_preview


def copy(shared_data, tmp_path, name):
    target = tmp_path / name
    shutil.copyfile(shared_data / "access" / name, target)
    return target


def test_customers_from_the_customers_table(qtbot, window, tmp_path, shared_data):
    wizard = open_file(qtbot, window, copy(shared_data, tmp_path, "northwind-jet4.mdb"))
    page = wizard.file_page
    assert page.message.text() == ""
    assert page.sheet_label.text() == "&Table:"
    items = [page.sheet_combo.itemText(i) for i in range(page.sheet_combo.count())]
    assert items[:3] == ["Categories (8 records)", "Customers (91 records)", "Employees (9 records)"]
    assert items[-1] == "Orders + Order Details + Products (2,155 records)" or \
        items[-1] == "Orders + Order Details + Products (2155 records)"
    assert page.sheet_combo.currentData() == "Customers"  # the first table that is a customer list
    assert not page.header_spin.isEnabled()  # an Access table's headers are its column names
    assert page.sample.data(page.sample.index(1, 1)) == "Alfreds Futterkiste"

    preview = to_preview(qtbot, wizard)
    assert preview.summary.text() == "All 91 rows are ready to import."
    result = do_import(qtbot, wizard)
    assert result.text.text() == "Created 91, updated 0, skipped 0, rejected 0."
    alfreds = Customer.get(Customer.code == "ALFKI")
    assert (alfreds.name, alfreds.country, alfreds.phone, alfreds.city) == \
        ("Alfreds Futterkiste", "Germany", "+49300074321", "Berlin")
    assert Customer.get(Customer.code == "BOLID").name == "Bólido Comidas preparadas"
    click(qtbot, wizard, QWizard.WizardButton.FinishButton)


def test_choosing_another_table_reads_it(qtbot, window, tmp_path, shared_data):
    wizard = open_file(qtbot, window, copy(shared_data, tmp_path, "northwind-jet4.mdb"))
    page = wizard.file_page
    index = page.sheet_combo.findData("Products")
    page.sheet_combo.setCurrentIndex(index)
    page.sheet_combo.activated.emit(index)
    qtbot.waitUntil(lambda: not wizard.busy and wizard.inspection.sheet == "Products")
    assert "does not look like a customer list" in page.message.text()
    assert "ProductName" in page.message.text()


def test_transactions_from_the_joined_orders_with_the_swapped_dates_warning(qtbot, window, tmp_path, shared_data):
    path = copy(shared_data, tmp_path, "northwind-ace.accdb")
    wizard = open_file(qtbot, window, path, window.import_transactions_action)
    page = wizard.file_page
    assert page.sheet_combo.currentData() == "Orders + Order Details + Products"
    preview = to_preview(qtbot, wizard)
    assert preview.summary.text() == "All 2,155 rows are ready to import." or \
        preview.summary.text() == "All 2155 rows are ready to import."
    result = do_import(qtbot, wizard)
    assert Transaction.select().count() == 2155
    assert Customer.select().count() == 89  # the buyers, made from the orders' customer numbers and names
    assert "215 of 830 orders are due before they were placed" in result.notes.text()
    click(qtbot, wizard, QWizard.WizardButton.FinishButton)


def test_an_encrypted_database_gets_one_sentence(qtbot, window, tmp_path, shared_data):
    target = tmp_path / "locked.accdb"
    shutil.copyfile(shared_data / "hostile" / "jackcess-encrypted.accdb", target)
    wizard = open_file(qtbot, window, target)
    assert wizard.file_page.message.text().endswith(
        "is a password-protected or damaged Access database: remove the password in Access "
        "(File ▸ Info ▸ Decrypt Database) or repair it (Compact and Repair), and import it again.")
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert Customer.select().count() == 0
