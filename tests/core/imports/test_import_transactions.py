"""Transaction import and export: linking to customers, new customers, totals rows,
files with no amount or no customer column, undo and the round trip."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from python_calamine import CalamineWorkbook

from crmdesk.core.models import Customer, Transaction
from crmdesk.core.customers import archive as customers, transactions_export as transaction_export
from crmdesk.core.imports import transaction_import as TI
from crmdesk.core.imports import undo
from crmdesk.core.imports.options import ImportOptions
from tests.core.imports.test_import_customers import xlsx


def run(path, **options):
    return TI.import_file(path, ImportOptions(**options))


def test_rows_link_by_code_then_name_and_missing_customers_are_created(db, tmp_path):
    a, _ = customers.create({"name": "甲", "code": "K1"})
    b, _ = customers.create({"name": "乙"})
    path = xlsx(tmp_path / "t.xlsx", [
        ["客户编号", "客户名称", "日期", "产品", "产品类别", "数量", "金额", "已付款"],
        ["K1", None, dt.datetime(2024, 5, 5), "阀门", "五金", 2, 1200, None],
        [None, "乙", "2024/5/6", "管件", None, 1, "-300.50", 0],
        [None, "丙", "2024-05-07", "法兰", None, None, "1.2万", None],
        [None, None, None, None, None, 3, 10899.5, None],  # a totals row
    ])
    result, _ = run(path)
    assert (result.created, result.skipped, result.rejected, result.customers_created) == (3, 1, 0, 1)
    t1, t2, t3 = Transaction.select().order_by(Transaction.id)
    assert (t1.customer_id, t1.date, t1.amount, t1.paid) == (a, dt.date(2024, 5, 5), Decimal(1200), Decimal(1200))
    assert (t2.customer_id, t2.amount, t2.paid) == (b, Decimal("-300.50"), Decimal(0))
    assert t3.customer.name == "丙" and t3.amount == Decimal(12000)


def test_a_sheet_without_a_customer_column_is_refused(db, tmp_path):
    path = xlsx(tmp_path / "t.xlsx", [["销售日期", "商品名称", "数量", "销售金额"], ["2010-09-07", "可乐", 1, 3.5]])
    with pytest.raises(Exception) as error:
        run(path)
    assert error.value.code == "no_customer_column" and Transaction.select().count() == 0


def test_a_file_without_amounts_imports_with_zero_and_says_so(db, tmp_path):
    path = xlsx(tmp_path / "t.xlsx", [["客户id", "订单日期", "产品", "数量"], ["001", "2024/5/5", "Qian-Bi", 3]])
    result, _ = run(path)
    assert result.created == 1 and [w.code for w in result.warnings] == ["no_amount_column"]
    assert Transaction.get().amount == 0 and Transaction.get().customer.code == "001"


def test_day_first_dates_need_the_date_order(db, tmp_path):
    path = xlsx(tmp_path / "t.xlsx", [["Customer Name", "Order Date", "Sales"], ["Peter Bühler", "16-01-17", "12.5"]])
    result, _ = run(path)
    assert result.rejected == 1 and result.rejected_rows[0].errors["date"].code == "date_ambiguous"
    result, _ = run(path, date_order="dmy")
    assert result.created == 1 and Transaction.get().date == dt.date(2017, 1, 16)


def test_undo_removes_the_transactions_and_the_customers_it_created(db, tmp_path):
    customers.create({"name": "甲"})
    path = xlsx(tmp_path / "t.xlsx", [["客户名称", "日期", "金额"], ["甲", "2024-01-02", 5], ["新客户", "2024-01-03", 6]])
    run(path)
    done = undo.undo_import()
    assert (done.transactions, done.removed) == (2, 1)
    assert Transaction.select().count() == 0 and [c.name for c in Customer.select()] == ["甲"]


def test_export_and_import_again_gives_the_same_sheet(db, tmp_path):
    from crmdesk.core.db import close_database, open_database
    from crmdesk.core import demo
    demo.generate(20, seed=3)
    count = transaction_export.export_transactions(tmp_path / "one.xlsx", "zh")
    close_database()
    open_database(tmp_path / "empty.sqlite")
    result, _ = run(tmp_path / "one.xlsx")
    assert (result.created, result.rejected) == (count, 0)
    transaction_export.export_transactions(tmp_path / "two.xlsx", "zh")
    one = CalamineWorkbook.from_path(str(tmp_path / "one.xlsx")).get_sheet_by_index(0).to_python()
    two = CalamineWorkbook.from_path(str(tmp_path / "two.xlsx")).get_sheet_by_index(0).to_python()
    assert one == two and one[0][:3] == ["客户编号", "客户名称", "日期"]


def test_the_template_reads_back(db, tmp_path):
    """The example row is never imported (issue 18); written over, it reads back."""
    transaction_export.template_transactions(tmp_path / "t.xlsx", "en")
    result, _ = run(tmp_path / "t.xlsx")
    assert (result.created, result.customers_created, result.examples) == (0, 0, 1)
    assert [w.code for w in result.warnings] == ["import_only_example"]
    from openpyxl import load_workbook
    wb = load_workbook(tmp_path / "t.xlsx")
    wb.active.cell(2, 9).value = "first order"
    wb.save(tmp_path / "t.xlsx")
    result, _ = run(tmp_path / "t.xlsx")
    assert result.created == 1 and result.customers_created == 1 and not result.warnings
