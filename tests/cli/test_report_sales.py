"""``crmdesk report`` writes the sales figures after the analytics: funnel, forecast, sales
by month, seasons, products, channels, owners, regions and churn, in the language asked,
narrowed by --owner and the period as the analytics are."""
from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook

from crmdesk import __main__ as entry
from crmdesk.core.db import close_database, open_database
from tests.core.sales.figures_data import customer, deal, sell

D = dt.date


@pytest.fixture
def crm(tmp_path):
    path = tmp_path / "crm.sqlite"
    open_database(path)
    today = D.today()
    a = customer("上海明华", owner="张伟", province="上海", source="referral")
    b = customer("宁波瑞丰", owner="李娜", province="浙江")
    sell(a, today - dt.timedelta(days=10), ("闸阀", "阀门", 3, 900), owner="张伟")
    sell(b, today - dt.timedelta(days=40), ("法兰", "管件", 1, 100), owner="李娜")
    deal(a, "won", 900, today - dt.timedelta(days=30), ["lead"], closed_on=today - dt.timedelta(days=10), owner="张伟")
    deal(b, "lost", 300, today - dt.timedelta(days=30), ["lead"], closed_on=today - dt.timedelta(days=5), owner="李娜")
    deal(a, "negotiation", 2000, today - dt.timedelta(days=20), ["lead", "qualified", "proposal"], owner="张伟",
         probability=75, expected_close=today + dt.timedelta(days=20))
    close_database()
    return path


def call(capsys, *argv):
    code = entry.main(list(argv))
    close_database()
    return code, capsys.readouterr().out


def test_the_report_has_the_sales_sheets_in_chinese(crm, tmp_path, capsys):
    out_path = tmp_path / "r.xlsx"
    code, out = call(capsys, "--db", str(crm), "report", str(out_path), "--lang", "zh")
    assert code == 0
    assert out.splitlines()[1] == "Sales 1,000.00 in 2 sales; win rate 50%; forecast 1,500.00 weighted."
    wb = load_workbook(out_path)
    assert wb.sheetnames[-11:] == ["漏斗", "预测", "月度销售", "季节", "产品", "渠道", "销售员", "地区", "流失率", "输单原因", "异议"]
    funnel = {r[0]: r for r in wb["漏斗"].iter_rows(min_row=2, values_only=True) if r[0]}
    assert funnel["赢单"][1:3] == (1, 900) and funnel["谈判/异议处理"][1:3] == (1, 2000)
    assert funnel["赢单率"][1] == 0.5
    products = [r[:2] for r in wb["产品"].iter_rows(min_row=2, max_row=3, values_only=True)]
    assert products == [("闸阀", 900), ("法兰", 100)]
    assert [r[:2] for r in wb["渠道"].iter_rows(min_row=2, values_only=True)] == [("转介绍", 900), ("未记录来源", 100)]
    weighted = sum(r[3] or 0 for r in wb["预测"].iter_rows(min_row=2, max_row=13, values_only=True))
    assert weighted == 1500


def test_the_owner_narrows_the_sales_sheets_too(crm, tmp_path, capsys):
    out_path = tmp_path / "r.xlsx"
    code, out = call(capsys, "--db", str(crm), "report", str(out_path), "--lang", "en", "--owner", "李娜")
    assert code == 0
    assert out.splitlines()[1] == "Sales 100.00 in 1 sale; win rate 0%; forecast 0.00 weighted."
    wb = load_workbook(out_path)
    assert [r[0] for r in wb["Regions"].iter_rows(min_row=2, values_only=True)] == ["浙江"]
    assert [r[:2] for r in wb["Owners"].iter_rows(min_row=2, values_only=True)] == [("李娜", 100)]
