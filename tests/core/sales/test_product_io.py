"""The product list to Excel and back: headers in either language, codes as text, prices as
numbers; the import finds the header by synonyms, updates by code then name, creates the
rest, reports each bad row with its row, column and reason, and writes the good rows in one
transaction."""
from __future__ import annotations

from decimal import Decimal

import pytest
from python_calamine import CalamineWorkbook

from crmdesk.core.errors import CrmError
from crmdesk.core.models import Product
from crmdesk.core.sales import product_io, products
from crmdesk.core.imports.error_book import row_problems
from crmdesk.core.imports.options import ImportOptions
from tests.core.imports.test_import_customers import xlsx


def test_export_in_both_languages(db, tmp_path):
    products.create({"name": "不锈钢阀", "code": "007", "category": "阀门", "unit": "台", "list_price": "6400.5"})
    products.create({"name": "=HYPERLINK()", "active": False})
    assert product_io.export_products(tmp_path / "zh.xlsx", "zh") == 2
    rows = CalamineWorkbook.from_path(str(tmp_path / "zh.xlsx")).get_sheet_by_name("产品").to_python()
    assert rows[0] == ["产品编号", "产品名称", "产品类别", "单位", "标准价格", "在售", "备注"]
    assert rows[1][:6] == ["007", "不锈钢阀", "阀门", "台", 6400.5, "是"]  # by pinyin: buxiu... before hyperlink
    assert rows[2][:6] == ["", "=HYPERLINK()", "", "", "", "否"]  # text, never a formula
    product_io.export_products(tmp_path / "en.xlsx", "en")
    rows = CalamineWorkbook.from_path(str(tmp_path / "en.xlsx")).get_sheet_by_name("Products").to_python()
    assert rows[0] == ["Code", "Name", "Category", "Unit", "List price", "Active", "Notes"]


def test_round_trip_and_updates_by_code_then_name(db, tmp_path):
    products.create({"name": "不锈钢阀", "code": "V1", "list_price": "100"})
    products.create({"name": "管件"})
    product_io.export_products(tmp_path / "p.xlsx")
    result, _plan = product_io.import_file(tmp_path / "p.xlsx", ImportOptions())
    assert (result.created, result.updated, result.skipped, result.rejected) == (0, 0, 2, 0)
    path = xlsx(tmp_path / "in.xlsx", [
        ["货号", "品名", "分类", "售价", "状态"],
        ["V1", "不锈钢球阀", "阀门", 120, "在售"],  # by code: renamed and repriced
        [None, "管件", "管道", None, "停售"],  # by name
        ["F9", "法兰", None, "35.5", None],  # new
    ])
    result, _plan = product_io.import_file(path, ImportOptions())
    assert (result.created, result.updated, result.skipped, result.rejected) == (1, 2, 0, 0)
    assert [(p.code, p.name, p.category, p.list_price, p.active) for p in Product.select().order_by(Product.id)] == [
        ("V1", "不锈钢球阀", "阀门", Decimal(120), True), ("", "管件", "管道", None, False),
        ("F9", "法兰", "", Decimal("35.5"), True)]


def test_bad_rows_are_reported_and_left_out(db, tmp_path):
    products.create({"name": "阀门", "code": "V1"})
    path = xlsx(tmp_path / "in.xlsx", [
        ["产品编号", "产品名称", "标准价格", "在售"],
        ["P1", "好产品", "10", "是"],
        ["P2", "坏价格", "lots", None],
        ["V1", "别名", None, "也许"],
        ["P3", "", "5", None],
        ["P4", "好产品", None, None],  # the same name again: the product of the row above, its code now P4
    ])
    result, plan = product_io.import_file(path, ImportOptions())
    assert (result.created, result.updated, result.rejected) == (1, 1, 3)
    assert [(r.number, *problem) for r in result.rejected_rows for problem in row_problems(r, plan.layout)] == [
        (3, "标准价格", "Not an amount: type a number like 1234.50, ¥1,234 or 1.2万."),
        (4, "在售", "Not a yes or no: type 是 or 否 (yes or no), or leave it empty for a product on sale."),
        (5, "产品名称", "Required: type a value.")]
    assert sorted((p.name, p.code) for p in Product.select()) == [("好产品", "P4"), ("阀门", "V1")]


def test_a_sheet_without_a_name_column_is_refused(db, tmp_path):
    path = xlsx(tmp_path / "in.xlsx", [["客户名称", "日期", "金额"], ["甲", "2024-01-01", 3]])
    with pytest.raises(CrmError) as error:
        product_io.import_file(path, ImportOptions())
    assert error.value.code in ("not_product_list", "no_header")
    assert Product.select().count() == 0


def test_a_dry_run_and_all_or_nothing_write_nothing(db, tmp_path):
    path = xlsx(tmp_path / "in.xlsx", [["产品名称", "标准价格"], ["甲", "1"], ["乙", "x"]])
    result, _plan = product_io.import_file(path, ImportOptions(dry_run=True))
    assert result.nothing_written and Product.select().count() == 0
    result, _plan = product_io.import_file(path, ImportOptions(all_or_nothing=True))
    assert result.nothing_written and result.rejected == 1 and Product.select().count() == 0
