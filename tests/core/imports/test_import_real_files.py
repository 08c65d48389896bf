"""Real files from other programs (../shared/data, read in place): what each import gives,
as its README says, or the one sentence that refuses it."""
from __future__ import annotations

import pytest

from crmdesk.core.errors import CrmError
from crmdesk.core.models import Customer, Transaction
from crmdesk.core.imports import customer_import as CI
from crmdesk.core.imports import transaction_import as TI
from crmdesk.core.imports.options import ImportOptions


@pytest.mark.parametrize("name, created, rejected", [
    ("en/customers-100.csv", 100, 0),
    ("en/customers-1000-utf8bom.csv", 1000, 0),
    ("zh/jsherp-customer_template.xls", 2, 0),
    ("zh/jsherp-member_template.xls", 2, 0),
    ("zh/lead-system-customer-import-template.xlsx", 3, 0),
    ("zh/easypoi-msgclient-title-row.xlsx", 100, 0),
    ("zh/easypoi-two-row-header.xlsx", 10, 0),
    ("zh/customers-id-age-name-utf8bom.csv", 10, 0),
    ("zh/easyexcel-names-utf8.csv", 10, 0),
    ("zh/easyexcel-names-utf8bom.csv", 10, 0),
    ("zh/iwuyc-names-gbk.csv", 4, 0),
    ("hostile/people-broken-quoting.csv", 81, 21),
])
def test_customer_lists_import(db, shared_data, name, created, rejected):
    result, _ = CI.import_file(shared_data / name, ImportOptions())
    assert (result.created, result.rejected) == (created, rejected)
    assert Customer.select().count() == created


def test_numeric_phone_cells_keep_their_digits_and_match_the_csv(db, shared_data):
    CI.import_file(shared_data / "en/customers-100.xlsx", ImportOptions())
    phones = {c.code: c.phone for c in Customer.select()}
    assert phones["1Ef7b82A4CAAD10"] == "5153435776"
    assert not any(p.endswith(".0") or "E" in p for p in phones.values())


def test_chinese_files_give_the_right_fields(db, shared_data):
    CI.import_file(shared_data / "zh/jsherp-customer_template.xls", ImportOptions())
    a = Customer.get(Customer.name == "客户a")
    assert (a.contact_person, a.mobile) == ("小梁", "+8613000000000")
    CI.import_file(shared_data / "zh/customers-id-age-name-utf8bom.csv", ImportOptions())
    assert Customer.get(Customer.code == "001").name == "Tom"
    CI.import_file(shared_data / "zh/easypoi-msgclient-title-row.xlsx", ImportOptions())
    first = Customer.get(Customer.name == "小明0")
    assert (first.phone, first.birthday_year, first.birthday_month, first.birthday_day) == ("187970", 2016, 1, 22)
    CI.import_file(shared_data / "zh/iwuyc-names-gbk.csv", ImportOptions())
    assert Customer.select().where(Customer.name.in_(["小红", "小莉"])).count() == 2


@pytest.mark.parametrize("name, code", [
    ("zh/jsherp-goods_template.xls", "not_customer_list"),
    ("formats/wholesale-customers.ods", "not_customer_list"),  # its Region column is a known header (issue 21)
    ("formats/calamine-any_sheets.xlsb", "no_header"),
    ("formats/calamine-any_sheets.ods", "no_header"),
    ("formats/calamine-vba-no-data.xlsm", "file_no_data"),
    ("formats/calamine-biff5-electoral-roll.xls", "not_customer_list"),
    ("hostile/people-100-no-header.csv", "no_header"),
    ("hostile/poi-structure-protected-not-encrypted.xlsx", "no_header"),
    ("hostile/poi-encrypted.xlsx", "file_encrypted"),
    ("hostile/poi-encrypted-xor.xls", "file_encrypted"),
    ("hostile/calamine-encrypted.ods", "file_encrypted"),
    ("hostile/calamine-cell-bomb.ods", "file_too_large"),
    ("hostile/calamine-text-named-xls.xls", "file_not_spreadsheet"),
    ("hostile/poi-corrupted.xlsx", "file_damaged"),
])
def test_files_that_hold_no_customer_list_are_refused_and_nothing_is_created(db, shared_data, name, code):
    with pytest.raises(CrmError) as error:
        CI.import_file(shared_data / name, ImportOptions())
    assert error.value.code == code
    assert Customer.select().count() == 0


@pytest.mark.parametrize("name, options, created, customers", [
    ("transactions/superstore.xls", {}, 9994, 793),
    ("transactions/superstore-variant-cp1252.csv", {"date_order": "dmy"}, 9994, 793),
    ("transactions/pos-settlement-zh-utf8bom.csv", {}, 10, 2),
])
def test_transaction_files_import(db, shared_data, name, options, created, customers):
    result, _ = TI.import_file(shared_data / name, ImportOptions(**options))
    assert (result.created, result.rejected, result.customers_created) == (created, 0, customers)
    assert Transaction.select().count() == created


def test_superstore_variant_keeps_its_accents(db, shared_data):
    TI.import_file(shared_data / "transactions/superstore-variant-cp1252.csv", ImportOptions(date_order="dmy"))
    assert Customer.get_or_none(Customer.name == "Peter Bühler") is not None


def test_transactions_link_to_imported_customers_by_their_text_ids(db, shared_data):
    CI.import_file(shared_data / "zh/customers-id-age-name-utf8bom.csv", ImportOptions())
    result, _ = TI.import_file(shared_data / "transactions/orders-zh-utf8bom.csv", ImportOptions())
    assert (result.created, result.customers_created) == (10, 0)
    assert [w.code for w in result.warnings] == ["no_amount_column"]


def test_a_sales_sheet_without_customers_is_refused(db, shared_data):
    with pytest.raises(CrmError) as error:
        TI.import_file(shared_data / "transactions/supermarket-pos-wps-cp936.xls", ImportOptions())
    assert error.value.code == "no_customer_column" and Transaction.select().count() == 0
