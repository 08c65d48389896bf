"""``crmdesk export opportunities`` / ``import opportunities`` and the deals on ``crmdesk
agenda``, through ``crmdesk.__main__.main``: a Stage / 阶段 column in the chosen language,
stages read by key or either name, every bad row reported with row, column and reason."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from crmdesk import __main__ as entry
from crmdesk.core.db import close_database, open_database
from crmdesk.core.models import Opportunity
from crmdesk.core.sales import opportunities as O
from crmdesk.core.customers import archive as customers

DAY = dt.date(2026, 11, 24)


def call(capsys, *argv):
    code = entry.main(list(argv))
    close_database()
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def crm(tmp_path):
    path = tmp_path / "crm.sqlite"
    open_database(path)
    hr, _ = customers.create({"code": "C001", "name": "北京华润", "owner": "张伟"})
    small, _ = customers.create({"code": "C002", "name": "杭州小微", "owner": "李娜"})
    O.create({"customer_id": hr, "title": "管道", "stage": "proposal", "amount": 125000, "source": "exhibition",
              "expected_close": DAY + dt.timedelta(days=20), "next_step": "寄样品",
              "next_step_on": DAY - dt.timedelta(days=2)}, now=dt.datetime(2026, 11, 1))
    lost = O.create({"customer_id": small, "title": "水泵", "stage": "lead", "expected_close": DAY},
                    now=dt.datetime(2026, 11, 1)).opportunity_id
    O.create({"customer_id": small, "title": "阀门", "stage": "qualified", "expected_close": DAY + dt.timedelta(days=1)},
             now=dt.datetime(2026, 11, 1))
    O.create({"customer_id": small, "title": "远期", "stage": "lead", "expected_close": DAY + dt.timedelta(days=90)},
             now=dt.datetime(2026, 11, 1))
    O.lose(lost, None, "price", now=dt.datetime(2026, 11, 20))
    close_database()
    return path


@pytest.mark.parametrize("lang, stage_header, stage, reason", [("zh", "阶段", "方案演示", "价格"),
                                                                ("en", "Stage", "Proposal", "Price")])
def test_export_writes_the_stage_in_the_chosen_language(crm, capsys, tmp_path, lang, stage_header, stage, reason):
    out = tmp_path / f"deals-{lang}.xlsx"
    code, printed, _ = call(capsys, "--db", str(crm), "export", "opportunities", str(out), "--lang", lang)
    assert code == 0 and "4" in printed
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[3] == stage_header
    by_title = {r[2]: r for r in rows[1:]}
    assert by_title["管道"][3] == stage and by_title["管道"][4] == 125000
    assert by_title["水泵"][header.index("输单原因" if lang == "zh" else "Lost reason")] == reason


def test_an_export_reimports(crm, capsys, tmp_path):
    out = tmp_path / "deals.xlsx"
    call(capsys, "--db", str(crm), "export", "opportunities", str(out), "--lang", "en")
    code, printed, _ = call(capsys, "--db", str(crm), "import", "opportunities", str(out))
    assert code == 0 and printed.startswith("created 4, updated 0, skipped 0, rejected 0\nbatch: ")
    open_database(crm)
    copies = list(Opportunity.select().where(Opportunity.title == "水泵").order_by(Opportunity.id))
    assert [(c.stage, c.lost_reason) for c in copies] == [("lost", "price"), ("lost", "price")]
    assert Opportunity.select().where(Opportunity.title == "管道", Opportunity.amount == Decimal(125000)).count() == 2
    close_database()


def sheet(path, rows):
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_import_reads_stages_by_key_or_either_name_and_reports_bad_rows(crm, capsys, tmp_path):
    path = sheet(tmp_path / "in.xlsx", [
        ["客户编号", "客户名称", "商机名称", "阶段", "金额", "成交概率", "预计成交日期"],
        ["C001", "", "冷却塔", "需求确认", "3万", None, "2026-12-30"],
        ["", "杭州小微", "货架", "Negotiation", 8000, 80, None],
        ["C002", "", "包装", "lead", None, None, None],
        ["C009", "", "不存在", "lead", 1, None, None],
        ["C001", "", "负数", "lead", -5, None, None],
        ["C001", "", "乱阶段", "签约", 5, None, None],
        ["C001", "", "概率", "lead", 5, 150, None],
    ])
    code, printed, _ = call(capsys, "--db", str(crm), "import", "opportunities", str(path))
    lines = printed.splitlines()
    assert code == 3 and lines[0] == "created 3, updated 0, skipped 0, rejected 4"
    assert lines[2].startswith("row 5: 客户编号: No customer has the number “C009”")
    assert lines[3] == "row 6: 金额: The amount cannot be negative."
    assert lines[4].startswith("row 7: 阶段: There is no stage “签约”")
    assert lines[5].startswith("row 8: 成交概率: Out of range")
    open_database(crm)
    made = {o.title: o for o in Opportunity.select().where(Opportunity.batch.is_null(False))}
    assert (made["冷却塔"].stage, made["冷却塔"].amount, made["冷却塔"].probability) == ("qualified", Decimal(30000), 30)
    assert (made["货架"].stage, made["货架"].probability, made["包装"].stage) == ("negotiation", 80, "lead")
    assert set(made) == {"冷却塔", "货架", "包装"}
    close_database()


def test_all_or_nothing_imports_nothing_when_a_row_is_bad(crm, capsys, tmp_path):
    path = sheet(tmp_path / "in.xlsx", [["Customer No.", "Opportunity", "Stage"], ["C001", "好", "lead"],
                                        ["C001", "坏", "nope"]])
    code, printed, err = call(capsys, "--db", str(crm), "import", "opportunities", str(path), "--all-or-nothing")
    assert code == 3 and "Nothing was imported" in err
    open_database(crm)
    assert Opportunity.select().where(Opportunity.title == "好").count() == 0
    close_database()


def test_a_sheet_without_an_opportunity_column_is_one_sentence(crm, capsys, tmp_path):
    path = sheet(tmp_path / "in.xlsx", [["客户编号", "金额"], ["C001", 5]])
    code, _, err = call(capsys, "--db", str(crm), "import", "opportunities", str(path))
    assert code == 2 and err.startswith("The sheet has no opportunity column")


def test_the_agenda_lists_deals_whose_next_step_or_close_is_due(crm, capsys):
    code, printed, _ = call(capsys, "--db", str(crm), "agenda", "--date", DAY.isoformat(), "--days", "2")
    assert code == 0
    section = printed[printed.index("deals due"):]
    lines = section.splitlines()
    assert lines[0] == "deals due: 2 opportunities"
    assert lines[1].split() == ["2026-11-22", "北京华润", "管道", "Proposal", "next", "step", "寄样品", "张伟", "overdue"]
    assert lines[2].split()[:4] == ["2026-11-25", "杭州小微", "阀门", "Qualified"]
    assert "远期" not in section and "水泵" not in section  # not due yet; lost
