"""``crmdesk agenda --xlsx``: the sales sections of the printed agenda in the workbook too
(issue 19): 应收款到期 / Payments due and 待跟进商机 / Deals due, headers and labels in the
language asked, dates as real Excel dates, amounts as numbers, text as text."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from crmdesk import __main__ as entry
from crmdesk.core.db import close_database, open_database
from crmdesk.core.sales import opportunities as O
from crmdesk.core.customers import archive as customers

DAY = dt.date(2026, 12, 4)


def call(capsys, *argv):
    code = entry.main(list(argv))
    close_database()
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def crm(tmp_path, capsys):
    path = tmp_path / "crm.sqlite"
    open_database(path)
    customers.create({"name": "北京华润", "code": "C001", "owner": "王芳"})
    customers.create({"name": "=SUM(A1)", "code": "C002", "owner": "李娜"})
    close_database()
    for argv in (["--customer", "C001", "--amount", "1000", "--paid", "400", "--terms", "30", "--date", "2026-10-01"],
                 ["--customer", "C002", "--amount", "500", "--terms", "3", "--date", "2026-12-01"],
                 ["--customer", "C001", "--amount", "800", "--terms", "60", "--date", "2026-12-01"]):  # not due yet
        assert call(capsys, "sale", "add", "--product", "阀门", *argv, "--db", str(path))[0] == 0
    open_database(path)
    from crmdesk.core.models import Customer
    first = Customer.get(Customer.code == "C001").id
    second = Customer.get(Customer.code == "C002").id
    O.create({"customer_id": first, "title": "管道改造", "stage": "proposal", "amount": 125000,
              "expected_close": DAY + dt.timedelta(days=20), "next_step": "寄样品\n再电话确认",
              "next_step_on": DAY - dt.timedelta(days=2)}, now=dt.datetime(2026, 11, 1))
    O.create({"customer_id": second, "title": "水泵", "stage": "qualified", "expected_close": DAY},
             now=dt.datetime(2026, 11, 1))
    O.create({"customer_id": second, "title": "远期", "stage": "lead", "expected_close": DAY + dt.timedelta(days=90)},
             now=dt.datetime(2026, 11, 1))
    close_database()
    return path


def sheet(path, title):
    ws = load_workbook(path)[title]
    return [list(r) for r in ws.iter_rows()]


@pytest.mark.parametrize("lang, env, titles, headers, labels", [
    ("en", "en_US", ("Payments due", "Deals due"),
     (["Due", "Customer", "Owed", "Sale No.", "Sale date", "Owner", "Days overdue"],
      ["Due", "Date", "Customer", "Deal", "Stage", "Amount", "Next step", "Owner", "Overdue"]),
     ("Next step", "Expected close", "Proposal", "Qualified", "overdue")),
    ("zh", "zh_CN", ("应收款到期", "待跟进商机"),
     (["到期日", "客户名称", "欠款金额", "销售单号", "销售日期", "负责人", "逾期天数"],
      ["跟进事项", "日期", "客户名称", "商机", "阶段", "预计金额", "下一步", "负责人", "逾期"]),
     ("下一步行动", "预计成交", "方案演示", None, "逾期")),
])
def test_the_agenda_workbook_has_the_payments_and_deals_due(crm, capsys, tmp_path, monkeypatch, lang, env,
                                                            titles, headers, labels):
    monkeypatch.setenv("LANGUAGE", env)
    out_path = tmp_path / f"agenda-{lang}.xlsx"
    code, out, err = call(capsys, "--db", str(crm), "agenda", "--date", DAY.isoformat(), "--xlsx", str(out_path))
    assert (code, err) == (0, "")
    wb = load_workbook(out_path)
    assert wb.sheetnames[-2:] == list(titles)

    payments = sheet(out_path, titles[0])
    assert [c.value for c in payments[0]] == headers[0]
    rows = payments[1:]
    assert [[c.value for c in r] for r in rows] == [
        [dt.datetime(2026, 10, 31), "北京华润", 600, rows[0][3].value, dt.datetime(2026, 10, 1), "王芳", 34],
        [dt.datetime(2026, 12, 4), "=SUM(A1)", 500, rows[1][3].value, dt.datetime(2026, 12, 1), "李娜", None]]
    assert rows[0][3].value != rows[1][3].value and isinstance(rows[0][3].value, int)  # the sale's number
    assert [rows[0][i].number_format for i in (0, 2, 4, 6)] == ["yyyy-mm-dd", "#,##0.00", "yyyy-mm-dd", "0"]
    assert rows[1][1].data_type == "s"  # a name that looks like a formula stays text

    deals = sheet(out_path, titles[1])
    assert [c.value for c in deals[0]] == headers[1]
    got = [[c.value for c in r] for r in deals[1:]]
    next_step, close, proposal, qualified, overdue = labels
    assert got[0] == [next_step, dt.datetime(2026, 12, 2), "北京华润", "管道改造", proposal, 125000,
                      "寄样品 再电话确认", "王芳", overdue]
    assert got[1][:4] == [close, dt.datetime(2026, 12, 4), "=SUM(A1)", "水泵"]
    assert got[1][5:] == [None, None, "李娜", None]  # no amount, due today: not overdue
    if qualified:
        assert got[1][4] == qualified
    else:
        assert got[1][4] and got[1][4] != "qualified"  # the stage's Chinese name, not its key
    assert len(got) == 2  # the deal closing in 90 days is not due
    assert deals[1][1].number_format == "yyyy-mm-dd" and deals[1][5].number_format == "#,##0.00"
    assert deals[2][2].data_type == "s"
    # the same rows the printed agenda lists
    assert out.count("北京华润") >= 2 and "管道改造" in out and "水泵" in out


def test_more_deals_than_listed_say_so_below_the_rows(tmp_path):
    from crmdesk.core.sales import agenda_export, opportunities_agenda as A
    from crmdesk.core.io import excel_write as X
    deal = A.DueDeal(7, "管道", "北京华润", "王芳", "lead", "close", DAY, "", False, Decimal("12.50"))
    path = tmp_path / "deals.xlsx"
    with X.write_only_workbook(path) as wb:
        assert agenda_export.deals_sheet(wb, [deal], "en", count=3, stage_list=None) == 1
    rows = list(load_workbook(path)["Deals due"].iter_rows(values_only=True))
    assert rows[1][5] == 12.5
    assert rows[-1][0] == "3 deals are due; these are the 1 soonest."
