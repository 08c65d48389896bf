"""``crmdesk sale add`` through ``crmdesk.__main__.main``: a sale recorded (product found or
added, unit price from the quantity, paid and terms), a refund; each bad input one sentence
on standard error, exit status 2, nothing saved. And ``crmdesk agenda`` lists the payments
falling due."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from crmdesk import __main__ as entry
from crmdesk.core.db import close_database, open_database
from crmdesk.core.models import ChangeLog, Product, Sale, Transaction, utcnow
from crmdesk.core.customers import archive as customers


def call(capsys, *argv):
    code = entry.main(list(argv))
    close_database()
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def crm(tmp_path):
    path = tmp_path / "crm.sqlite"
    open_database(path)
    customers.create({"name": "北京华润", "code": "C001", "owner": "王芳"})
    gone = customers.create({"name": "已删除客户", "code": "C009"})[0]
    customers.delete([gone])
    old = Product.create(name="旧型号阀门")
    Product.update(deleted_at=utcnow()).where(Product.id == old.id).execute()
    close_database()
    return path


def counts(path) -> tuple[int, int, int]:
    open_database(path)
    try:
        return Sale.select().count(), Transaction.select().count(), ChangeLog.select().count()
    finally:
        close_database()


def test_sale_add_records_a_sale(capsys, crm):
    code, out, err = call(capsys, "sale", "add", "--customer", "C001", "--product", "不锈钢阀", "--amount", "12,800",
                          "--quantity", "2", "--date", "2026-12-01", "--paid", "2800", "--terms", "30", "--db", str(crm))
    assert (code, err) == (0, "")
    assert out == "Recorded a sale of ¥12,800 to 北京华润 on 2026-12-01.\nOwed: ¥10,000, due 2026-12-31.\n"
    open_database(crm)
    sale = Sale.get()
    line = Transaction.get()
    assert (sale.kind, sale.paid, sale.due_on, sale.owner) == ("sale", Decimal(2800), dt.date(2026, 12, 31), "王芳")
    assert (line.product, line.quantity, line.unit_price, line.amount) == ("不锈钢阀", 2.0, Decimal(6400), Decimal(12800))
    assert line.product_ref.name == "不锈钢阀"  # the new name joined the product list
    close_database()


def test_sale_add_a_refund_with_the_default_date(capsys, crm):
    code, out, _err = call(capsys, "sale", "add", "--customer", "C001", "--product", "阀门", "--amount", "300",
                           "--refund", "--db", str(crm))
    assert code == 0 and out == "Recorded a refund of -¥300 to 北京华润 on 2026-12-04.\n"
    open_database(crm)
    assert (Sale.get().kind, Transaction.get().amount) == ("refund", Decimal(-300))
    close_database()


@pytest.mark.parametrize("extra, sentence", [
    (["--customer", "C404"], "No customer has the number C404: give the customer's number as the customer list "
                             "shows it; nothing was saved."),
    (["--customer", "C009"], "已删除客户 has been deleted: restore the customer first, or record the sale for another "
                             "customer; nothing was saved."),
    (["--amount", "-5"], "Line 1 has a negative quantity, price or amount: a sale's are positive, and goods returned "
                         "are recorded as a refund; nothing was saved."),
    (["--quantity", "-2"], "Line 1 has a negative quantity, price or amount: a sale's are positive, and goods "
                           "returned are recorded as a refund; nothing was saved."),
    (["--paid", "200"], "Paid (200.00) is more than the sale's amount (100.00): correct what was paid; nothing was "
                        "saved."),
    (["--date", "2028-01-01"], "2028-01-01 is more than a year ahead: check the year; nothing was saved."),
    (["--product", "旧型号阀门"], "Line 1: the product “旧型号阀门” no longer exists: pick another one from the list; "
                              "nothing was saved."),
    (["--amount", "lots"], "Not an amount: type a number like 1234.50, ¥1,234 or 1.2万."),
    (["--date", "yesterday"], "Not a date: type it like 2023-04-02 or 2023年4月2日."),
    (["--terms", "abc"], "Payment terms are a whole number of days from 0 to 3650; nothing was saved."),
])
def test_each_bad_input_is_one_sentence_and_saves_nothing(capsys, crm, extra, sentence):
    base = {"--customer": "C001", "--product": "阀门", "--amount": "100"}
    argv = ["sale", "add"]
    for flag, value in base.items():
        if flag not in extra:
            argv += [flag, value]
    before = counts(crm)
    code, out, err = call(capsys, *argv, *extra, "--db", str(crm))
    assert (code, out, err) == (2, "", sentence + "\n")
    assert counts(crm) == before


def test_the_agenda_lists_the_payments_due(capsys, crm):
    for argv in (["--amount", "1000", "--paid", "400", "--terms", "30", "--date", "2026-10-01"],
                 ["--amount", "500", "--terms", "3", "--date", "2026-12-01"]):
        assert call(capsys, "sale", "add", "--customer", "C001", "--product", "阀门", *argv, "--db", str(crm))[0] == 0
    code, out, _err = call(capsys, "agenda", "--date", "2026-12-04", "--db", str(crm))
    assert code == 0
    tail = out[out.index("payments due"):]
    assert tail == ("payments due: 2 sales\n"
                    "  2026-10-31  北京华润  ¥600  sale of 2026-10-01  王芳  34 days overdue\n"
                    "  2026-12-04  北京华润  ¥500  sale of 2026-12-01  王芳\n"
                    "deals due: 0 opportunities\n")  # the deals' section follows


def test_export_and_import_products(capsys, crm, tmp_path):
    from tests.core.imports.test_import_customers import xlsx
    path = xlsx(tmp_path / "in.xlsx", [["产品编号", "产品名称", "标准价格"], ["V1", "不锈钢阀", "6400"],
                                       ["V2", "", "5"]])
    code, out, err = call(capsys, "import", "products", str(path), "--db", str(crm))
    assert code == 3
    assert out.startswith("created 1, updated 0, skipped 0, rejected 1\nbatch: ")
    assert out.endswith("row 3: 产品名称: Required: type a value.\n")
    assert "in-errors.xlsx" in err  # the rejected rows with their reasons, to fix and import again
    target = tmp_path / "out.xlsx"
    code, out, _err = call(capsys, "export", "products", str(target), "--lang", "en", "--db", str(crm))
    assert (code, out) == (0, f"Exported 1 product to {target}.\n")
    from python_calamine import CalamineWorkbook
    rows = CalamineWorkbook.from_path(str(target)).get_sheet_by_name("Products").to_python()
    assert rows[1][:3] == ["V1", "不锈钢阀", ""] and rows[1][4] == 6400
