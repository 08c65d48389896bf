"""``crmdesk export care`` and the care reminders in ``crmdesk agenda`` (``spec/cli.md``):
every live care event in one workbook; the agenda lists the open events up to its last day,
overdue ones marked, and runs the care rules only for the real today."""
from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook

from crmdesk import __main__ as entry
from crmdesk.core.care import fields as C
from crmdesk.core.db import close_database, open_database
from crmdesk.core.models import CareEvent, Contact, Customer
from crmdesk.core.care import events as care

D = dt.date


def call(capsys, *argv):
    code = entry.main(list(argv))
    close_database()
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def crm(tmp_path):
    """上海明华: 李娜's birthday overdue on 2026-11-18, a purchase follow-up on 2026-11-24,
    a survey done; 宁波瑞丰: a call snoozed to 2026-11-30 (after a two-day agenda's end)."""
    path = tmp_path / "crm.sqlite"
    open_database(path)
    minghua = Customer.create(code="C00001", name="上海明华贸易有限公司", contact_person="王伟", owner="张伟")
    ruifeng = Customer.create(code="C00002", name="宁波瑞丰", contact_person="陈刚", owner="李娜")
    lina = Contact.create(customer=minghua.id, name="李娜", mobile="13800138000", birthday_month=11,
                          birthday_day=18)
    CareEvent.create(customer=minghua.id, contact=lina.id, kind=C.BIRTHDAY, due_on=D(2026, 11, 18), channel="wechat",
                     rule=f"birthday:p{lina.id}:2026-11-18", occasion="solar",
                     facts='{"calendar": "solar", "month": 11, "day": 18}')
    CareEvent.create(customer=minghua.id, kind=C.PURCHASE, due_on=D(2026, 11, 24), channel="phone",
                     rule=f"purchase:{minghua.id}:2026-11-21",
                     facts='{"date": "2026-11-21", "lines": 1, "amount": 1200.0}')
    done = care.create({"customer_id": minghua.id, "kind": C.SURVEY, "due_on": D(2026, 11, 2),
                        "title": "年度满意度调查"}).id
    care.mark_done([done], "满意度 5 分")
    later = care.create({"customer_id": ruifeng.id, "kind": C.ROUTINE, "due_on": D(2026, 11, 20),
                         "title": "了解下季度采购计划"}).id
    care.snooze([later], D(2026, 11, 30), D(2026, 11, 20))
    close_database()
    return path


def test_agenda_lists_the_open_care_events_up_to_its_last_day(crm, capsys):
    code, out, err = call(capsys, "--db", str(crm), "agenda", "--date", "2026-11-24", "--days", "2")
    assert code == 0 and err == ""
    lines = out.splitlines()
    head = lines.index("care: 2 reminders")
    assert lines[head + 1] == ("  2026-11-18  Birthday  上海明华贸易有限公司  李娜  WeChat  "
                               "李娜's birthday (11/18)  overdue")
    assert lines[head + 2] == ("  2026-11-24  After a purchase  上海明华贸易有限公司  王伟  Phone  "
                               "Follow-up on the purchase of 2026-11-21")
    # the snoozed call shows after the agenda's end; the done survey never: the sales sections follow
    assert lines[head + 3] == "payments due: 0 sales" and lines[head + 4].startswith("deals due: ")


def test_one_reminder_is_singular_and_a_pretend_date_runs_no_rules(crm, capsys):
    code, out, _err = call(capsys, "--db", str(crm), "agenda", "--date", "2026-11-19")
    assert code == 0
    assert "care: 1 reminder" in out.splitlines()
    open_database(crm)
    try:
        assert CareEvent.select().count() == 4  # the rules did not run for 2026-11-19
        from crmdesk.core.care import rules as care_rules
        assert care_rules.last_run() is None
    finally:
        close_database()


def test_agenda_of_today_runs_the_care_rules_first(crm, capsys):
    code, _out, _err = call(capsys, "--db", str(crm), "agenda")
    assert code == 0
    open_database(crm)
    try:
        from crmdesk.core.care import rules as care_rules
        assert care_rules.last_run() == dt.date.today()
    finally:
        close_database()


def test_agenda_to_excel_has_a_care_sheet(crm, capsys, tmp_path):
    out_path = tmp_path / "agenda.xlsx"
    code, _out, _err = call(capsys, "--db", str(crm), "agenda", "--date", "2026-11-24", "--xlsx", str(out_path))
    assert code == 0
    ws = load_workbook(out_path)["Customer care"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert [r[1] for r in rows] == ["Birthday", "After a purchase"]
    assert rows[0][-1] == "overdue" and rows[1][-1] is None


@pytest.mark.parametrize("lang, header, kind", [("zh", "日期", "生日祝福"), ("en", "Due", "Birthday")])
def test_export_care(crm, capsys, tmp_path, lang, header, kind):
    out_path = tmp_path / f"care-{lang}.xlsx"
    code, out, err = call(capsys, "--db", str(crm), "export", "care", str(out_path), "--lang", lang)
    assert code == 0 and err == ""
    assert out.strip() == f"Exported 4 care events to {out_path}."
    ws = load_workbook(out_path).worksheets[0]
    assert ws.cell(1, 1).value == header
    assert kind in [ws.cell(r, 2).value for r in range(2, ws.max_row + 1)]


def test_export_one_care_event_is_singular(tmp_path, capsys):
    path = tmp_path / "one.sqlite"
    open_database(path)
    cid = Customer.create(code="C00001", name="甲公司").id
    care.create({"customer_id": cid, "kind": C.ROUTINE, "due_on": D(2026, 11, 20)})
    close_database()
    code, out, _err = call(capsys, "--db", str(path), "export", "care", str(tmp_path / "c.xlsx"))
    assert code == 0 and out.strip() == f"Exported 1 care event to {tmp_path / 'c.xlsx'}."


def test_a_bad_language_is_refused(crm, capsys, tmp_path):
    with pytest.raises(SystemExit) as exit_:
        entry.main(["--db", str(crm), "export", "care", str(tmp_path / "c.xlsx"), "--lang", "fr"])
    assert exit_.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
    assert not (tmp_path / "c.xlsx").exists()


def test_todays_agenda_says_when_a_flood_of_checks_was_spread(tmp_path, capsys):
    """The first run over a book of quiet customers, from the command line: the checks are
    spread over the coming working days (5 a rep and day), and the agenda says so once."""
    from crmdesk import i18n
    path = tmp_path / "quiet.sqlite"
    open_database(path)
    for i in range(30):
        Customer.create(code=f"Q{i:05d}", name=f"沉默客户{i}", owner="张伟", created_at="2026-01-05 09:00:00")
    close_database()
    i18n.set_language("en")
    try:
        code, out, _err = call(capsys, "--db", str(path), "agenda")
        again, out_again, _ = call(capsys, "--db", str(path), "agenda")
    finally:
        i18n.set_language(None)
    assert code == again == 0
    assert out.splitlines()[0] == ("30 customers have had no contact or purchase for a long time: care checks spread "
                                   "over the next 2 weeks, key accounts first, at most 5 a day per rep.")
    assert "no contact or purchase" not in out_again  # said once: the second run creates nothing
    open_database(path)
    try:
        due = [e.due_on for e in CareEvent.select().where(CareEvent.kind == C.INACTIVE)]
    finally:
        close_database()
    assert len(due) == 30 and due.count(dt.date.today()) == 5
