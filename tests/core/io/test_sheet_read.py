"""Reading the real files in ../shared/data: formats, sheets, encodings, hostile files."""
from __future__ import annotations

import datetime as dt
import shutil

import pytest

from crmdesk.core.errors import CrmError
from crmdesk.core.io.sheet_read import Sheet, open_source
from crmdesk.core.messages import TEMPLATES, message


def code_of(path) -> str:
    with pytest.raises(CrmError) as caught:
        open_source(path)
    assert "path" in caught.value.params
    return caught.value.code


@pytest.mark.parametrize("name, code", [
    ("poi-encrypted.xlsx", "file_encrypted"),
    ("calamine-encrypted.xlsb", "file_encrypted"),
    ("calamine-encrypted.ods", "file_encrypted"),
    ("poi-encrypted-rc4.xls", "file_encrypted"),
    ("poi-encrypted-xor.xls", "file_encrypted"),
    ("poi-corrupted.xlsx", "file_damaged"),
    ("calamine-bad-zip-size.xlsx", "file_damaged"),
    ("calamine-cell-bomb.ods", "file_too_large"),
    ("calamine-text-named-xls.xls", "file_not_spreadsheet"),
    ("jackcess-encrypted.accdb", "access_unreadable"),  # issue 21: read as Access, refused as encrypted
])
def test_hostile_files_get_one_code(shared_data, name, code):
    assert code_of(shared_data / "hostile" / name) == code
    assert code in TEMPLATES


def test_every_code_has_one_sentence(shared_data):
    with pytest.raises(CrmError) as caught:
        open_source(shared_data / "hostile" / "poi-encrypted-xor.xls")
    sentence = message(caught.value)
    assert "password" in sentence and "poi-encrypted-xor.xls" in sentence and "{" not in sentence


def test_structure_protection_is_not_encryption(shared_data):
    with open_source(shared_data / "hostile" / "poi-structure-protected-not-encrypted.xlsx") as source:
        assert source.format == "xlsx"
        assert list(source.rows()) == [(1, ["testcontent"])]


def test_no_header_and_broken_quoting_csvs_still_read(shared_data):
    with open_source(shared_data / "hostile" / "people-100-no-header.csv") as source:
        rows = list(source.rows())
    assert len(rows) == 100 and rows[0][1][2] == "Shelby"
    with open_source(shared_data / "hostile" / "people-broken-quoting.csv") as source:
        rows = list(source.rows())
    assert len(rows) == 107  # header, 85 good rows, 21 lines quoted whole
    assert sum(1 for _, values in rows if len(values) == 1) == 21
    assert rows[10][0] == 11 and rows[10][1][0].startswith("10,8e4FB470FE19bF0")


def test_no_data_workbook(shared_data):
    assert code_of(shared_data / "formats" / "calamine-vba-no-data.xlsm") == "file_no_data"


@pytest.mark.parametrize("name, fmt", [("calamine-any_sheets.xlsb", "xlsb"), ("calamine-any_sheets.ods", "ods")])
def test_only_visible_worksheets_with_data_are_offered(shared_data, name, fmt):
    with open_source(shared_data / "formats" / name) as source:
        assert source.format == fmt
        assert source.sheets == [Sheet("Visible", 0)]
        rows = list(source.rows())
        assert rows[:3] == [(1, [1.0, 2.0]), (2, [3.0, 4.0]), (3, [5.0, 6.0])]
        assert rows[3][0] == 5 and rows[3][1][0].startswith("This workbook contains 4 sheets")
        with pytest.raises(CrmError) as caught:
            list(source.rows("Chart"))
        assert caught.value.code == "sheet_not_found"


def test_old_and_open_formats(shared_data):
    with open_source(shared_data / "formats" / "calamine-biff5-electoral-roll.xls") as source:
        assert source.format == "xls" and [s.name for s in source.sheets] == ["Sheet1"]
        assert source.preview(limit=2)[1][1][0] == "No."
    with open_source(shared_data / "formats" / "wholesale-customers.ods") as source:
        assert [s.name for s in source.sheets] == ["customers", "Planilha2"]
        header = source.preview()[0][1]
        assert header[0] == "índice" and header[10] is None and header.count("indice") == 2
        assert source.row_count_hint() == 441
        assert len(source.preview("Planilha2", 1000)) == 48


def test_english_lists_csv_and_xlsx(shared_data):
    with open_source(shared_data / "en" / "customers-100.csv") as source:
        assert (source.format, source.encoding, source.delimiter) == ("csv", "utf-8", ",")
        rows = list(source.rows())
    assert len(rows) == 101 and rows[0][1][0] == "Index"
    assert all(len(values) == 12 for _, values in rows)  # quoted commas stay in their cell
    assert "Dominguez, Mcmillan and Donovan" in {v[4] for _, v in rows}
    with open_source(shared_data / "en" / "customers-100.xlsx") as source:
        assert source.format == "xlsx" and source.encoding is None and source.delimiter is None
        xrows = list(source.rows())
        assert source.row_count_hint() == 101
    assert len(xrows) == 101
    phones = [v[7] for _, v in xrows[1:]]
    assert 5153435776.0 in phones and sum(isinstance(p, float) for p in phones) == 13
    assert isinstance(xrows[1][1][10], dt.date)
    with open_source(shared_data / "en" / "customers-1000-utf8bom.csv") as source:
        assert source.encoding == "utf-8-sig"
        rows = list(source.rows())
    assert rows[0][1][0] == "Index" and len(rows) == 1001


@pytest.mark.parametrize("name, encoding, first, sample", [
    ("zh/iwuyc-names-gbk.csv", "gb18030", "id", "小红"),
    ("zh/easyexcel-names-utf8.csv", "utf-8", "姓名", "姓名0"),
    ("zh/easyexcel-names-utf8bom.csv", "utf-8-sig", "姓名", "姓名0"),
    ("zh/customers-id-age-name-utf8bom.csv", "utf-8-sig", "客户id", "001"),
    ("transactions/orders-zh-utf8bom.csv", "utf-8-sig", "客户id", "001"),
    ("transactions/superstore-variant-cp1252.csv", "cp1252", "Row ID", "Peter Bühler"),
])
def test_csv_encodings(shared_data, name, encoding, first, sample):
    with open_source(shared_data / name) as source:
        assert source.encoding == encoding
        rows = list(source.rows())
    assert rows[0][1][0] == first  # never "\ufeff..."
    assert any(sample in values for _, values in rows)
    assert all(value != "" for _, values in rows for value in values)


def test_csv_codes_stay_text_and_empty_columns_go(shared_data):
    with open_source(shared_data / "zh" / "customers-id-age-name-utf8bom.csv") as source:
        rows = list(source.rows())
    assert rows[0] == (1, ["客户id", "年龄", "姓名"])  # 17 empty header cells dropped
    assert rows[1] == (2, ["001", "55", "Tom"])


def test_chinese_workbooks(shared_data):
    with open_source(shared_data / "zh" / "jsherp-customer_template.xls") as source:
        assert source.sheets == [Sheet("信息", 0)]
        rows = list(source.rows())
    assert rows[1][1][0] == "名称*" and rows[2][1][:3] == ["客户a", "小梁", 13000000000.0]
    with open_source(shared_data / "zh" / "easypoi-two-row-header.xlsx") as source:
        rows = source.preview(limit=3)
    assert rows[1] == (2, [None, None, "电话号码", "出生日期", "创建时间"])
    with open_source(shared_data / "transactions" / "supermarket-pos-wps-cp936.xls") as source:
        rows = list(source.rows())
    assert rows[0][1][8] == "商品名称" and len(rows) == 202
    assert isinstance(rows[1][1][3], dt.date) and isinstance(rows[1][1][4], dt.time)
    assert rows[2] == (3, [2.0, "99", "102.王定邦", dt.date(2010, 9, 7), dt.time(16, 12, 27), "9900000984",
                           2.0, "05007", "牛肉礼盒6", "05007", 5.0, 85.0, 85.0, 425.0, 425.0, 51.0, 1.0, "零售"])


def test_superstore_sheets_and_row_numbers(shared_data):
    with open_source(shared_data / "transactions" / "superstore.xls") as source:
        assert [s.name for s in source.sheets] == ["Orders", "Returns", "People"]
        assert source.row_count_hint("Orders") == 9995
        last = None
        for last in source.rows("Orders"):
            pass
        assert last[0] == 9995
        assert source.preview("People")[0] == (1, ["Person", "Region"])


def test_format_comes_from_the_bytes_not_the_name(shared_data, tmp_path):
    renamed = tmp_path / "customers.csv"
    shutil.copy(shared_data / "en" / "customers-100.xlsx", renamed)
    with open_source(renamed) as source:
        assert source.format == "xlsx" and len(list(source.rows())) == 101
    as_xls = tmp_path / "list.xls"
    shutil.copy(shared_data / "en" / "customers-100.csv", as_xls)
    assert code_of(as_xls) == "file_not_spreadsheet"  # never read as CSV because of its bytes


def test_missing_and_folder(tmp_path):
    assert code_of(tmp_path / "nothing.xlsx") == "file_missing"
    assert code_of(tmp_path) == "file_missing"
