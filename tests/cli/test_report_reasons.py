"""``crmdesk report`` writes why deals were lost (输单原因 / Lost reasons) and the objections
met (异议 / Objections) after the other sales sheets, in the language asked, for the period
and the owner asked."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from openpyxl import load_workbook

from crmdesk import __main__ as entry
from crmdesk.core.db import close_database, open_database
from crmdesk.core.models import Opportunity, Visit
from tests.core.sales.figures_data import customer, deal

D = dt.date  # "today" is the suite's pinned day, 4 December 2026 (tests/conftest.py)


def lose(cid, amount, closed_on, reason, owner):
    opp_id = deal(cid, "lost", amount, D(2026, 1, 2), ["lead"], closed_on=closed_on, owner=owner)
    Opportunity.update(lost_reason=reason).where(Opportunity.id == opp_id).execute()
    return opp_id


@pytest.fixture
def crm(tmp_path):
    path = tmp_path / "crm.sqlite"
    open_database(path)
    a = customer("上海明华", owner="张伟")
    b = customer("宁波瑞丰", owner="李娜")
    first = lose(a, 900, D(2026, 3, 1), "price", "张伟")
    lose(b, 300, D(2026, 6, 1), "no_budget", "李娜")
    lose(b, 700, D(2025, 6, 1), "timing", "李娜")  # before the period asked
    start = dt.datetime(2026, 2, 10, 9)
    Visit.create(customer=a, starts_at=start, ends_at=start, opportunity=first, state="done",
                 objections=json.dumps([["太贵", "讲价值", "price"]]))
    Visit.create(customer=b, starts_at=start, ends_at=start, state="done",
                 objections=json.dumps([["没预算", "", "budget"]]))
    close_database()
    return path


def call(capsys, *argv):
    code = entry.main(list(argv))
    close_database()
    return code, capsys.readouterr().out


def test_the_report_says_why_deals_were_lost_in_chinese(crm, tmp_path, capsys):
    out_path = tmp_path / "r.xlsx"
    code, _out = call(capsys, "--db", str(crm), "report", str(out_path), "--lang", "zh", "--from", "2026-01-01")
    assert code == 0
    wb = load_workbook(out_path)
    assert wb.sheetnames[-2:] == ["输单原因", "异议"]
    reasons = [r[:4] for r in wb["输单原因"].iter_rows(min_row=2, max_row=3, values_only=True)]
    assert reasons == [("价格", 1, 900, 0.5), ("无预算", 1, 300, 0.5)]
    objections = [r for r in wb["异议"].iter_rows(min_row=2, values_only=True)]
    assert objections == [("财力异议", 1, 0, 0, 0, 0, None), ("价格异议", 1, 1, 1, 1, 1, 1)]


def test_the_owner_narrows_them_in_english(crm, tmp_path, capsys):
    out_path = tmp_path / "r.xlsx"
    code, _out = call(capsys, "--db", str(crm), "report", str(out_path), "--lang", "en", "--owner", "李娜")
    assert code == 0
    wb = load_workbook(out_path)
    reasons = [r[:3] for r in wb["Lost reasons"].iter_rows(min_row=2, max_row=3, values_only=True)]
    assert reasons == [("Timing", 1, 700), ("No budget", 1, 300)]
    assert [r[0] for r in wb["Objections"].iter_rows(min_row=2, values_only=True)] == ["Budget"]
