"""The older write paths keep the invariant "every line has a sale": a transaction added
one at a time, and the transaction import (one sale per row, what the row says was paid
going to the sale, the owner the customer's), and its undo takes the sales back too."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from crmdesk.core.models import Sale, Transaction
from crmdesk.core.customers import archive as customers, transactions
from crmdesk.core.imports import transaction_import as TI
from crmdesk.core.imports import undo
from crmdesk.core.imports.options import ImportOptions
from tests.core.imports.test_import_customers import xlsx


def orphans() -> int:
    return Transaction.select().where(Transaction.sale.is_null()).count()


def test_a_transaction_added_gets_a_sale_of_its_own(db):
    cid, _ = customers.create({"name": "甲", "owner": "李雷"})
    transactions.add(cid, {"date": "2026-05-02", "amount": "1,000", "paid": "400", "product": "茶叶"})
    transactions.add(cid, {"date": "2026-05-03", "amount": "-100"})
    first, refund = Transaction.select().order_by(Transaction.id)
    assert orphans() == 0
    assert (first.sale.kind, first.sale.paid, first.sale.paid_on, first.sale.owner, first.line_no) == (
        "sale", Decimal(400), dt.date(2026, 5, 2), "李雷", 1)
    assert (refund.sale.kind, refund.sale.paid) == ("refund", Decimal(-100))


def test_deleting_a_sales_last_line_deletes_the_sale(db):
    cid, _ = customers.create({"name": "甲"})
    transactions.add(cid, {"date": "2026-05-02", "amount": "10"})
    line = Transaction.get()
    transactions.delete(line.id)
    assert Sale.get_by_id(line.sale_id).deleted_at is not None


def test_the_import_makes_one_sale_per_row_and_undo_takes_them_back(db, tmp_path):
    a, _ = customers.create({"name": "甲", "code": "K1", "owner": "王芳"})
    path = xlsx(tmp_path / "t.xlsx", [
        ["客户编号", "客户名称", "日期", "产品", "金额", "已付款"],
        ["K1", None, dt.datetime(2024, 5, 5), "阀门", 1200, 200],
        ["K1", None, "2024/5/6", "管件", 300, None],
        [None, "丙", "2024-05-07", "法兰", "-50", 0],
    ])
    result, _ = TI.import_file(path, ImportOptions())
    assert result.created == 3 and orphans() == 0
    rows = [(t.sale.customer_id == t.customer_id, t.sale.date, t.sale.kind, t.sale.paid, t.sale.paid_on,
             t.sale.owner, t.sale.batch_id == result.batch_id) for t in Transaction.select().order_by(Transaction.id)]
    assert rows == [(True, dt.date(2024, 5, 5), "sale", Decimal(200), dt.date(2024, 5, 5), "王芳", True),
                    (True, dt.date(2024, 5, 6), "sale", Decimal(300), dt.date(2024, 5, 6), "王芳", True),
                    (True, dt.date(2024, 5, 7), "refund", Decimal(0), None, "", True)]
    assert Sale.select().count() == 3
    undo.undo_import(str(result.batch_id))
    assert Sale.select().count() == 0 and Transaction.select().count() == 0


def test_a_dry_run_leaves_no_sale(db, tmp_path):
    path = xlsx(tmp_path / "t.xlsx", [["客户名称", "日期", "金额"], ["甲", "2024-05-07", "50"]])
    result, _ = TI.import_file(path, ImportOptions(dry_run=True))
    assert result.nothing_written and Sale.select().count() == 0


def test_an_import_after_the_product_list_was_built_adds_its_new_names(db, tmp_path):
    from crmdesk.core.models import Product
    from crmdesk.core.sales import products
    products.create({"name": "阀门"})
    products.adopt_sold()
    path = xlsx(tmp_path / "t.xlsx", [["客户名称", "日期", "产品", "金额"], ["甲", "2024-05-07", "阀门", "50"],
                                      ["甲", "2024-05-08", "法兰", "60"]])
    TI.import_file(path, ImportOptions())
    assert sorted(p.name for p in Product.select()) == ["法兰", "阀门"]
    assert [t.product_ref.name for t in Transaction.select().order_by(Transaction.id)] == ["阀门", "法兰"]
