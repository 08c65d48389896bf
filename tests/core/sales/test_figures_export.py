"""The sales figures out to Excel: every sheet in both languages, read back."""
from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook

from crmdesk.core.errors import CrmError
from crmdesk.core.sales import figures_report
from crmdesk.core.sales.figures import Period
from crmdesk.core.sales.figures_export import export_figures
from tests.core.sales.figures_data import customer, deal, sell

D = dt.date
TODAY = D(2026, 11, 23)
SHEETS = {"zh": ["漏斗", "预测", "月度销售", "季节", "产品", "渠道", "销售员", "地区", "流失率", "输单原因", "异议"],
          "en": ["Funnel", "Forecast", "Sales by month", "Seasons", "Products", "Channels", "Owners", "Regions",
                 "Churn", "Lost reasons", "Objections"]}


@pytest.fixture
def figs(db):
    a = customer("甲公司", province="江苏", source="exhibition")
    b = customer("=乙公司", province="浙江")  # a name that looks like a formula stays text
    for day in (D(2026, 1, 5), D(2026, 2, 5), D(2026, 3, 5)):
        sell(a, day, ("闸阀", "阀门", 2, 1000), owner="张伟")
    sell(b, D(2026, 3, 9), ("=SUM(A1)", "管件", 1, 250), owner="李娜")
    deal(a, "won", 3000, D(2026, 1, 2), ["lead", "proposal"], closed_on=D(2026, 1, 12), owner="张伟")
    deal(a, "lost", 500, D(2026, 2, 2), ["lead"], closed_on=D(2026, 2, 5), owner="张伟")
    deal(b, "proposal", 4000, D(2026, 3, 2), ["lead"], owner="李娜", probability=50,
         expected_close=D(2026, 12, 10))
    deal(a, "won", 1200, D(2025, 10, 2), ["lead"], closed_on=D(2025, 12, 1), owner="张伟")
    steps = []
    built = figures_report.build(Period(D(2026, 1, 1), D(2027, 1, 1)), TODAY,
                                 lambda done, total, step: steps.append((done, total, step)))
    assert steps[0] == (0, 3, "sales") and steps[-1] == (3, 3, "")
    return built


def rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_sheet_in_either_language(figs, tmp_path, lang):
    wb = load_workbook(export_figures(tmp_path / f"s-{lang}.xlsx", figs, lang))
    assert wb.sheetnames == SHEETS[lang]


def test_the_sheets_read_back(figs, tmp_path):
    wb = load_workbook(export_figures(tmp_path / "s.xlsx", figs, "en"))
    funnel = rows(wb["Funnel"])
    assert funnel[0] == ["Stage", "Deals", "Amount", "Reached", "Conversion"]
    assert funnel[1] == ["Lead", 0, 0, 3, None]
    # Both got past qualified though neither stopped there: 2 of 3 leads, then all of them.
    assert funnel[2] == ["Qualified", 0, 0, 2, pytest.approx(2 / 3)]
    assert funnel[3] == ["Proposal", 1, 4000, 2, 1]
    assert funnel[4] == ["Negotiation", 0, 0, 1, 0.5]
    assert funnel[5] == ["Won", 1, 3000, 1, 1]
    assert funnel[6] == ["Lost", 1, 500, None, None]
    figures = {r[0]: r[1] for r in funnel[8:]}
    assert figures["Win rate"] == 0.5 and figures["Average cycle (days)"] == 10 and figures["Average deal size"] == 3000
    assert wb["Funnel"]["C4"].number_format == "#,##0.00" and wb["Funnel"]["E4"].number_format == "0.0%"

    forecast = rows(wb["Forecast"])
    assert forecast[1] == ["2026-11", 0, 0, 0, 0]
    assert forecast[2] == ["2026-12", 1, 4000, 2000, 1200]  # won in December 2025
    assert forecast[3] == [None] * 5  # the period ends with the year: two months ahead
    owners = forecast[forecast.index(["Owner", "Deals", "Amount", "Weighted (amount × probability)",
                                      "Won same months last year"]) + 1:][:2]
    assert owners == [["李娜", 1, 4000, 2000, 0], ["张伟", 0, 0, 0, 1200]]

    assert rows(wb["Sales by month"])[1:] == [["2026-01", 1000, 1], ["2026-02", 1000, 1],
                                              ["2026-03", 1250, 2]] + [[f"2026-{m:02d}", 0, 0] for m in range(4, 12)]
    seasons = rows(wb["Seasons"])
    assert seasons[1] == ["January", 1000, 1, 1000, 1] and seasons[3] == ["March", 1250, 1, 1250, 2]
    products = rows(wb["Products"])
    assert products[1] == ["闸阀", 3000, pytest.approx(3000 / 3250), 6, 3, 1]
    assert products[2][0] == "=SUM(A1)" and wb["Products"]["A3"].data_type == "s"
    assert ["阀门", 3000, pytest.approx(3000 / 3250), 3, 1] in [r[:5] for r in products]  # the categories below
    assert rows(wb["Channels"])[1:] == [["Exhibition", 3000, pytest.approx(3000 / 3250), 3, 1],
                                        ["No source", 250, pytest.approx(250 / 3250), 1, 1]]
    assert [r[0] for r in rows(wb["Owners"])[1:]] == ["张伟", "李娜"]
    assert [r[:2] for r in rows(wb["Regions"])[1:]] == [["江苏", 3000], ["浙江", 250]]
    churn = rows(wb["Churn"])
    assert churn[0] == ["Month", "Customers at the start", "Lost", "Churn rate", "New customers"]
    # 甲 bought every 29.5 days to 5 March: lost on 20 April (45 days without).
    assert churn[1] == ["2026-01", 0, 0, None, 1] and churn[4] == ["2026-04", 2, 1, 0.5, 0]
    assert churn[5] == ["2026-05", 1, 0, 0, 0]


def test_chinese_headers_and_words(figs, tmp_path):
    wb = load_workbook(export_figures(tmp_path / "s.xlsx", figs, "zh"))
    assert rows(wb["漏斗"])[0] == ["阶段", "商机数", "金额", "到达该阶段", "阶段转化率"]
    assert [r[0] for r in rows(wb["漏斗"])[1:7]] == ["线索", "需求确认", "方案演示", "谈判/异议处理", "赢单", "输单"]
    assert rows(wb["季节"])[1][0] == "1月"
    assert rows(wb["渠道"])[1][0] == "展会" and rows(wb["渠道"])[2][0] == "未记录来源"


def test_one_sheet_alone_and_bad_targets(figs, tmp_path):
    wb = load_workbook(export_figures(tmp_path / "one.xlsx", figs, "en", only=["forecast"]))
    assert wb.sheetnames == ["Forecast"]
    with pytest.raises(CrmError):
        export_figures(tmp_path / "missing" / "s.xlsx", figs, "en")
    with pytest.raises(ValueError):
        export_figures(tmp_path / "s.xlsx", figs, "fr")
    assert not (tmp_path / "s.xlsx").exists()
