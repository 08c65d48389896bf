"""``crmdesk report OUT.xlsx`` (``spec/cli.md``): the analytics figures, one sheet each,
for the customers and period chosen; a bad --from or --to is one sentence, exit 2, before
the database is opened, and nothing is written."""
from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook

from crmdesk import __main__ as entry
from crmdesk.core.db import close_database, open_database
from crmdesk.core.models import Customer, Transaction

D = dt.date


def call(capsys, *argv):
    code = entry.main(list(argv))
    close_database()
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def crm(tmp_path):
    """Three customers: 上海明华 (张伟, key) buys the most, 华润五金 (张伟) a little,
    宁波瑞丰 (李娜) bought three times a month apart a year ago and then stopped."""
    path = tmp_path / "crm.sqlite"
    open_database(path)
    today = D.today()
    minghua = Customer.create(code="C00001", name="上海明华贸易有限公司", owner="张伟", tier="key").id
    huarun = Customer.create(code="C00002", name="华润五金有限公司", owner="张伟").id
    ruifeng = Customer.create(code="C00003", name="宁波瑞丰", owner="李娜").id
    Transaction.create(customer=minghua, date=today - dt.timedelta(days=10), amount=90000)
    Transaction.create(customer=huarun, date=today - dt.timedelta(days=20), amount=5000)
    for days in (400, 370, 340):
        Transaction.create(customer=ruifeng, date=today - dt.timedelta(days=days), amount=2000)
    close_database()
    return path


def test_report_writes_every_sheet_and_says_what_it_found(crm, tmp_path, capsys):
    out_path = tmp_path / "analytics.xlsx"
    code, out, err = call(capsys, "--db", str(crm), "report", str(out_path), "--lang", "en")
    assert code == 0 and err == ""
    assert out == (f"Wrote {out_path}: 3 customers, 1 A / 1 B / 1 C, 1 at risk.\n"
                   "Sales 101,000.00 in 5 sales; win rate —; forecast 0.00 weighted.\n")
    wb = load_workbook(out_path)
    assert wb.sheetnames == ["Summary", "ABC", "Suggested tiers", "Lifetime value", "Loyalty", "RFM", "At risk",
                             "Lost causes", "Satisfaction", "Funnel", "Forecast", "Sales by month", "Seasons",
                             "Products", "Channels", "Owners", "Regions", "Churn", "Lost reasons", "Objections"]
    assert [r[1] for r in wb["ABC"].iter_rows(min_row=2, values_only=True)] == ["C00001", "C00003", "C00002"]  # 90,000, 6,000, 5,000
    assert wb["At risk"]["A2"].value == "C00003"


def test_filters_and_period_narrow_the_report(crm, tmp_path, capsys):
    out_path = tmp_path / "zh.xlsx"
    code, out, _err = call(capsys, "--db", str(crm), "report", str(out_path), "--lang", "zh", "--owner", "张伟",
                           "--from", (D.today() - dt.timedelta(days=15)).isoformat(), "--to", D.today().isoformat())
    assert code == 0
    assert out.splitlines()[0] == f"Wrote {out_path}: 2 customers, 1 A / 0 B / 1 C, 0 at risk."
    assert out.splitlines()[1].startswith("Sales 90,000.00 in 1 sale;")
    summary = dict(load_workbook(out_path)["概览"].iter_rows(min_row=2, values_only=True))
    assert summary["负责人"] == "张伟" and summary["收入"] == 90000

    one = tmp_path / "one.xlsx"
    code, out, _err = call(capsys, "--db", str(crm), "report", str(one), "--tier", "key")
    assert code == 0 and out.startswith(f"Wrote {one}: 1 customer, 1 A / 0 B / 0 C, 0 at risk.\n")


@pytest.mark.parametrize("argv, words", [
    (("--from", "2026-13-01"), "2026-13-01 is not a date"),
    (("--to", "tomorrow"), "tomorrow is not a date"),
    (("--from", "2026-02-01", "--to", "2026-01-01"), "--from 2026-02-01 comes after --to 2026-01-01"),
])
def test_a_bad_day_is_one_sentence_and_exit_2_before_the_database_opens(tmp_path, capsys, argv, words):
    db_path, out_path = tmp_path / "none.sqlite", tmp_path / "r.xlsx"
    code, out, err = call(capsys, "--db", str(db_path), "report", str(out_path), *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(words)
    assert not out_path.exists() and not db_path.exists()


def test_an_unknown_tier_is_refused_by_the_parser(crm, tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        entry.main(["--db", str(crm), "report", str(tmp_path / "r.xlsx"), "--tier", "gold"])
    assert stop.value.code == 2
    assert not (tmp_path / "r.xlsx").exists()


def digest(path) -> str:
    import hashlib
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("argv, words", [
    (("--owner", "Nobody"), "No one called Nobody owns customers here, so the report would be empty: give one of "
                            "张伟、李娜, or leave --owner out for everyone; nothing was written."),
    (("--region", "火星"), "No customer is in a province or city called 火星, so the report would be empty: give one "
                          "as the customer list writes it (such as 上海), or leave --region out; nothing was written."),
])
def test_an_owner_or_region_nobody_has_is_one_sentence_exit_2_nothing_written(crm, tmp_path, capsys, argv, words):
    open_database(crm)
    Customer.update(province="上海").where(Customer.code == "C00001").execute()
    close_database()
    before = digest(crm)
    out_path = tmp_path / "r.xlsx"
    code, out, err = call(capsys, "--db", str(crm), "report", str(out_path), "--lang", "en", *argv)
    assert code == 2 and out == ""
    assert err == words + "\n"
    assert not out_path.exists()
    assert digest(crm) == before


def test_a_known_region_and_owner_still_report(crm, tmp_path, capsys):
    open_database(crm)
    Customer.update(city="宁波").where(Customer.code == "C00003").execute()
    close_database()
    out_path = tmp_path / "r.xlsx"
    code, out, _err = call(capsys, "--db", str(crm), "report", str(out_path), "--region", "宁波", "--owner", "李娜")
    assert code == 0 and out.startswith(f"Wrote {out_path}: 1 customer, ")


def test_the_report_line_is_plural_aware_in_english(crm, tmp_path, capsys):
    from crmdesk import i18n
    i18n.set_language("en")
    try:
        assert i18n.translate("Cli", "Wrote {path}: %n customer(s), {a} A / {b} B / {c} C, {risk} at risk.", "", 1) \
            .startswith("Wrote {path}: 1 customer,")
        assert i18n.translate("Cli", "Wrote {path}: %n customer(s), {a} A / {b} B / {c} C, {risk} at risk.", "", 2) \
            .startswith("Wrote {path}: 2 customers,")
    finally:
        i18n.set_language(None)
