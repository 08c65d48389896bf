"""The analytics report out to Excel (``core.analytics.report_export``): one sheet per
figure with zh or en headers, money as numbers in the money format, tiers, segments, churn
signs and causes as words, and a customer's formula-looking name kept as text."""
from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook

from crmdesk.core.analytics import report
from crmdesk.core.analytics.report_export import export_report
from crmdesk.core.io import excel_write as X
from crmdesk.core.models import Complaint, Customer, Transaction

D = dt.date
TODAY = D(2026, 11, 24)
SHEETS = {"zh": ["概览", "ABC分类", "建议等级", "客户价值", "忠诚度", "RFM", "流失预警", "流失原因", "满意度"],
          "en": ["Summary", "ABC", "Suggested tiers", "Lifetime value", "Loyalty", "RFM", "At risk", "Lost causes",
                 "Satisfaction"]}
FORMULA_NAME = '=HYPERLINK("http://x.example","明华")'


def buy(customer_id: int, day: str, amount: float, category: str = "阀门") -> None:
    Transaction.create(customer=customer_id, date=D.fromisoformat(day), amount=amount, category=category)


@pytest.fixture
def built(db) -> report.Report:
    """明华 (a formula-looking name, key, 张伟): 90,000 over three years in two categories;
    恒通: three purchases a month apart early in 2026, then nothing (at risk); 瑞丰: lost to a
    competitor after one purchase, with a complaint closed at 4 of 5 in October."""
    minghua = Customer.create(code="C00001", name=FORMULA_NAME, tier="key", owner="张伟", need_score=5,
                              volume_score=4, purchasing_power_score=4, credit_score=5, decision_score=4).id
    for day in ("2024-02-01", "2024-08-01", "2025-02-01", "2025-08-01", "2026-02-01", "2026-08-01"):
        buy(minghua, day, 15000, "阀门" if day < "2026" else "管件")
    hengtong = Customer.create(code="C00002", name="恒通机械有限公司", owner="李娜").id
    for day in ("2026-01-01", "2026-02-01", "2026-03-03"):
        buy(hengtong, day, 2000)
    ruifeng = Customer.create(code="C00003", name="宁波瑞丰", stage="lost", churn_cause="competitor").id
    buy(ruifeng, "2025-06-01", 1000)
    Complaint.create(number="CMP-20261001-001", customer=ruifeng, received_at=dt.datetime(2026, 10, 1, 9),
                     category="quality", state="closed", closed_at=dt.datetime(2026, 10, 5, 10), satisfaction=4,
                     satisfaction_scale=5)
    return report.build(TODAY)


def rows(ws) -> list[tuple]:
    return list(ws.iter_rows(values_only=True))


def test_the_report_built_from_the_database(built):
    by_code = {c.code: c for c in built.customers.values()}
    assert built.abc.classes[by_code["C00001"].id] == "A"
    assert [built.customers[a.customer_id].code for a in built.at_risk] == ["C00002"]
    assert built.lost == {"competitor": 1}
    assert built.satisfaction == [("2026-10", 4.0, 1)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_one_sheet_per_figure_with_headers_in_the_language(built, tmp_path, lang):
    path = export_report(tmp_path / f"report-{lang}.xlsx", built, lang)
    wb = load_workbook(path)
    assert wb.sheetnames == SHEETS[lang]
    zh = lang == "zh"
    assert rows(wb[SHEETS[lang][1]])[0] == (("排名", "客户编号", "客户名称", "收入", "累计占比", "分类") if zh else
                                            ("Rank", "Code", "Customer", "Revenue", "Cumulative share", "Class"))
    assert rows(wb[SHEETS[lang][3]])[0][:3] == (("客户编号", "客户名称", "历史价值") if zh else
                                                ("Code", "Customer", "Historical"))
    assert rows(wb[SHEETS[lang][8]])[0][0] == ("月份" if zh else "Month")
    for ws in wb:
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")


def test_each_sheet_holds_its_figures_in_chinese(built, tmp_path):
    wb = load_workbook(export_report(tmp_path / "r.xlsx", built, "zh"))
    summary = dict(rows(wb["概览"])[1:])
    assert summary["统计期间"] == "全部" and summary["客户数"] == 3
    assert summary["收入"] == 97000 and summary["A类客户数"] == 1 and summary["A类收入"] == 90000
    assert summary["流失预警客户数"] == 1 and summary["已流失客户数"] == 1

    ws = wb["ABC分类"]
    assert rows(ws)[1] == (1, "C00001", FORMULA_NAME, 90000, pytest.approx(90000 / 97000), "A")
    assert ws["D2"].number_format == X.MONEY_FORMAT and ws["E2"].number_format == "0.0%"

    suggested = {r[0]: r for r in rows(wb["建议等级"])[1:]}
    assert suggested["C00001"][2:6] == ("重点客户", "重点客户", None, "战略联盟关系")
    assert suggested["C00001"][6] == "A类客户，评估分 4.5"

    value = {r[0]: r for r in rows(wb["客户价值"])[1:]}
    assert value["C00001"][2] == 22500  # 90,000 × 25 % margin
    assert value["C00001"][6] == 4.45 and wb["客户价值"]["C2"].number_format == X.MONEY_FORMAT

    loyalty = rows(wb["忠诚度"])
    assert loyalty[0][3:5] == ("忠诚度指数", "关系持续时间")
    first = {r[0]: r for r in loyalty[1:4]}
    assert first["C00001"][2] == "重点客户" and first["C00001"][7] is None  # wallet share: no data
    assert ("客户等级", "平均忠诚度指数", "客户数") == loyalty[5][:3]
    assert loyalty[6][0] == "重点客户" and loyalty[7][0] == "未分级" and loyalty[7][2] == 2

    rfm = rows(wb["RFM"])
    assert rfm[0] == ("客户编号", "客户名称", "R", "F", "M", "客户分群")
    assert ("客户分群", "客户数") == rfm[5][:2]

    [risk] = rows(wb["流失预警"])[1:]
    assert risk[:4] == ("C00002", "恒通机械有限公司", "李娜", 1)
    assert risk[4] == "266天未购买（平均间隔30.5天，预警线46天，最后一次购买2026-03-03）"

    assert dict(rows(wb["流失原因"])[1:]) == {"产品": 0, "服务": 0, "员工": 0, "形象": 0, "客户自身": 0,
                                            "竞争对手": 1, "未记录": 0}
    assert rows(wb["满意度"])[1] == ("2026-10", 4, 1)


def test_english_words_for_signs_segments_and_causes(built, tmp_path):
    wb = load_workbook(export_report(tmp_path / "r.xlsx", built, "en"))
    [risk] = rows(wb["At risk"])[1:]
    assert risk[4] == "no purchase for 266 days (usual interval 30.5 days, warning after 46, last purchase 2026-03-03)"
    assert dict(rows(wb["Lost causes"])[1:])["Competitors"] == 1
    segments = {r[5] for r in rows(wb["RFM"])[1:4]}
    assert segments <= {"Champions", "Loyal", "Potential loyalists", "New customers", "At risk", "Cannot lose them",
                        "Hibernating", "Lost", "Need attention"}
    assert dict(rows(wb["Summary"])[1:])["Mean loyalty index"] is not None


def test_a_formula_looking_name_stays_text(built, tmp_path):
    wb = load_workbook(export_report(tmp_path / "r.xlsx", built, "zh"))
    for title in ("ABC分类", "客户价值", "忠诚度"):
        ws = wb[title]
        cell = next(c for row in ws.iter_rows() for c in row if c.value == FORMULA_NAME)
        assert cell.data_type == "s" and cell.quotePrefix


def test_a_period_and_an_unwritable_target(built, db, tmp_path):
    from crmdesk.core.analytics.facts import Filter
    from crmdesk.core.errors import CrmError
    period = report.build(TODAY, Filter(start=D(2026, 1, 1), end=D(2026, 7, 1)))
    wb = load_workbook(export_report(tmp_path / "p.xlsx", period, "en"))
    summary = dict(rows(wb["Summary"])[1:])
    assert summary["Period"] == "2026-01-01 – 2026-06-30" and summary["Revenue"] == 21000
    with pytest.raises(CrmError):
        export_report(tmp_path / "missing" / "r.xlsx", built, "zh")
    with pytest.raises(ValueError):
        export_report(tmp_path / "r.xlsx", built, "fr")
    assert not (tmp_path / "r.xlsx").exists()


@pytest.mark.parametrize(("lang", "said"), [("zh", "无数据"), ("en", "no data")])
def test_a_loyalty_index_without_data_is_said_and_sorted_last(built, tmp_path, lang, said):
    Customer.create(code="C00004", name="当天客户", satisfaction=5.0)  # never bought: no index, not 100
    wb = load_workbook(export_report(tmp_path / "r.xlsx", report.build(TODAY), lang))
    ws = wb["忠诚度" if lang == "zh" else "Loyalty"]
    customers = [r for r in rows(ws)[1:5]]
    assert customers[-1][0] == "C00004" and customers[-1][3] == said
    assert all(isinstance(r[3], (int, float)) for r in customers[:-1])
