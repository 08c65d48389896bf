"""``crmdesk agenda`` and ``crmdesk export visits`` through ``crmdesk.__main__.main``: the
day's visits, missed visits and the due list as ``spec/cli.md`` shows them; a bad --date
or --days is one sentence and exit status 2, with the database untouched."""
from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from openpyxl import load_workbook

from crmdesk import __main__ as entry
from crmdesk.core.db import close_database, open_database
from crmdesk.core.customers import archive as customers
from crmdesk.core.visits import visits

DAY = dt.date(2026, 11, 24)  # a Tuesday


@pytest.fixture(autouse=True)
def early_on_day(time_machine):
    """These tests print DAY's agenda as it stands that morning: its visits still ahead,
    not yet missed. (They read the real clock once, and failed from 2026-12-05 on.)"""
    time_machine.move_to(dt.datetime(2026, 11, 24, 8, 0).astimezone(), tick=True)


def call(capsys, *argv):
    code = entry.main(list(argv))
    close_database()
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def crm(tmp_path):
    """A database with two visits on DAY, one that passed unrecorded on 11-20, and an
    overdue key account."""
    path = tmp_path / "crm.sqlite"
    open_database(path)
    minghua = customers.create({"name": "上海明华贸易有限公司", "owner": "张伟", "city": "杭州市",
                                "district": "西湖区", "tier": "key"})[0]
    hengtong = customers.create({"name": "恒通机械有限公司", "owner": "李娜", "city": "杭州市",
                                 "district": "滨江区", "tier": "relationship"})[0]
    overdue = customers.create({"name": "华润五金有限公司", "owner": "张伟", "tier": "key", "code": "C000123"})[0]

    def plan(cid, start, kind):
        return visits.create({"customer_id": cid, "starts_at": start, "ends_at": start + dt.timedelta(hours=1),
                              "kind": kind}).visit_id

    plan(minghua, dt.datetime(2026, 11, 24, 9), "needs_analysis")
    plan(hengtong, dt.datetime(2026, 11, 24, 14), "care")
    plan(hengtong, dt.datetime(2026, 11, 20, 10), "after_sales")
    visits.log_visit({"customer_id": overdue, "starts_at": dt.datetime(2026, 10, 1, 10),
                      "ends_at": dt.datetime(2026, 10, 1, 11)}, {"outcome": "ok"})
    # added a few days before DAY, whatever day the tests run on (never-visited customers are
    # due counting from when they were added)
    from crmdesk.core.models import database
    database.execute_sql("UPDATE customer SET created_at = '2026-11-20 02:00:00'")
    close_database()
    return path


def test_agenda_is_a_command_not_the_gui():
    assert "agenda" in entry.COMMANDS


def test_agenda_of_one_day(crm, capsys, monkeypatch):
    monkeypatch.setenv("LANGUAGE", "zh_CN")
    code, out, err = call(capsys, "--db", str(crm), "agenda", "--date", "2026-11-24")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "2026-11-24 周二"
    assert lines[1] == "  09:00–10:00  上海明华贸易有限公司  需求分析  张伟  杭州市 西湖区"
    assert lines[2] == "  14:00–15:00  恒通机械有限公司  关怀拜访  李娜  杭州市 滨江区"
    assert lines[3] == "未拜访：1"
    assert lines[4] == "  2026-11-20 10:00–11:00  恒通机械有限公司  售后服务  李娜  杭州市 滨江区"
    # due: the key account seen on 10-01 (14 days: due 10-15, 40 days overdue); the
    # relationship customer has a visit planned today, the other key account too
    assert "1" in lines[5]
    assert lines[6].startswith("  C000123  华润五金有限公司  重点客户  张伟  ")
    assert "40" in lines[6] and "2026-10-01" in lines[6]
    assert lines[7] == "投诉期限：0 条投诉"
    assert lines[8].endswith(" 0 reminders") or "0" in lines[8]  # care: none
    assert "0" in lines[9] and "0" in lines[10]  # payments due and deals due (sales, issue 19): none
    assert len(lines) == 11


def test_agenda_in_english_over_several_days(crm, capsys):
    code, out, _err = call(capsys, "--db", str(crm), "agenda", "--date", "2026-11-23", "--days", "3")
    assert code == 0
    lines = out.splitlines()
    assert lines[:2] == ["2026-11-23 Mon", "  nothing planned"]
    assert lines[2] == "2026-11-24 Tue"
    assert lines[3] == "  09:00–10:00  上海明华贸易有限公司  Needs analysis  张伟  杭州市 西湖区"
    assert lines[5] == "2026-11-25 Wed" and lines[6] == "  nothing planned"
    assert lines[7] == "missed: 1"
    assert lines[9] == "due for a visit: 1 customer"
    assert lines[10] == "  C000123  华润五金有限公司  Key  张伟  39 days overdue  last visit 2026-10-01"


def test_passed_unrecorded_visits_are_marked_missed(crm, capsys):
    code, out, _err = call(capsys, "--db", str(crm), "agenda", "--date", "2026-11-20")
    assert code == 0
    line = next(l for l in out.splitlines() if "恒通机械" in l)
    assert line.startswith("  10:00–11:00") and line.endswith("[Missed]")


def test_agenda_to_excel(crm, capsys, tmp_path):
    out_path = tmp_path / "agenda.xlsx"
    code, out, _err = call(capsys, "--db", str(crm), "agenda", "--date", "2026-11-24", "--xlsx", str(out_path))
    assert code == 0 and out.splitlines()[-1] == f"Wrote {out_path}."
    wb = load_workbook(out_path)
    assert wb.sheetnames == ["Visits", "Missed", "Due", "Complaint deadlines", "Customer care", "Payments due",
                             "Deals due"]
    assert [ws.max_row for ws in wb.worksheets] == [3, 2, 2, 1, 1, 1, 1]


def test_agenda_defaults_to_today(crm, capsys):
    code, out, _err = call(capsys, "--db", str(crm), "agenda")
    assert code == 0
    today = dt.date.today()
    assert out.splitlines()[0].startswith(today.isoformat())
    assert sum(1 for l in out.splitlines() if l[:4].isdigit()) == 1


@pytest.mark.parametrize("argv, words", [
    (["--date", "tomorrow"], "tomorrow is not a date"),
    (["--date", "2026-02-30"], "2026-02-30 is not a date"),
    (["--days", "0"], "--days takes a whole number of days from 1 to 366, not 0"),
    (["--days", "many"], "not many"),
    (["--days", "400"], "not 400"),
])
def test_bad_date_or_days_is_one_sentence(crm, capsys, argv, words):
    before = digest(crm)
    code, out, err = call(capsys, "--db", str(crm), "agenda", *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and words in err
    assert digest(crm) == before


def test_agenda_without_a_database_creates_none(tmp_path, capsys):
    code, _out, err = call(capsys, "--db", str(tmp_path / "none.sqlite"), "agenda")
    assert code == 2 and "There is no database" in err
    assert not (tmp_path / "none.sqlite").exists()


@pytest.mark.parametrize("lang, header, kind", [("zh", "客户编号", "需求分析"), ("en", "Customer No.", "Needs analysis")])
def test_export_visits(crm, capsys, tmp_path, lang, header, kind):
    out_path = tmp_path / "visits.xlsx"
    code, out, err = call(capsys, "--db", str(crm), "export", "visits", str(out_path), "--lang", lang)
    assert code == 0 and err == ""
    assert out.splitlines()[-1] == f"Exported 4 visits to {out_path}."
    ws = load_workbook(out_path).worksheets[0]
    assert ws["A1"].value == header and ws.max_row == 5
    assert kind in [c.value for c in ws["E"]]


def test_export_visits_to_a_missing_folder_is_a_sentence(crm, capsys, tmp_path):
    code, _out, err = call(capsys, "--db", str(crm), "export", "visits", str(tmp_path / "no" / "v.xlsx"))
    assert code == 2 and err.count("\n") == 1 and "cannot write" in err


def test_demo_says_how_many_visits(tmp_path, capsys):
    code, out, _err = call(capsys, "--db", str(tmp_path / "demo.sqlite"), "demo", "--customers", "20")
    assert code == 0
    line = next(line for line in out.splitlines() if "visits, past" in line)
    assert line.startswith("Created ")
    count = int(line.split()[1])
    open_database(tmp_path / "demo.sqlite")
    try:
        from crmdesk.core.models import database
        assert database.execute_sql("SELECT count(*) FROM visit").fetchone()[0] == count > 0
    finally:
        close_database()


def test_a_reader_that_goes_away_is_no_error(crm):
    """``crmdesk agenda | head``: the pipe closes, the command stops quietly."""
    import io

    from crmdesk.cli import run

    class Closed(io.StringIO):
        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")

    err = io.StringIO()
    assert run(["--db", str(crm), "agenda", "--date", "2026-11-24"], Closed(), err) == 0
    close_database()
    assert err.getvalue() == ""
