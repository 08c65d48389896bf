"""``crmdesk export complaints`` and the complaint deadlines in ``crmdesk agenda``
(``spec/cli.md``): what is late and what falls due in the agenda's days, the soonest first;
every complaint, its contact log and the statistics in one workbook."""
from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook

from crmdesk import __main__ as entry
from crmdesk.core.db import close_database, open_database
from crmdesk.core.complaints import flow as complaint_flow, complaints
from crmdesk.core.customers import archive as customers

D = dt.datetime


def call(capsys, *argv):
    code = entry.main(list(argv))
    close_database()
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def crm(tmp_path):
    """Three complaints: one long overdue (received 2026-02-13, normal), one closed, and one
    waiting for the customer."""
    path = tmp_path / "crm.sqlite"
    open_database(path)
    minghua = customers.create({"name": "上海明华贸易有限公司", "owner": "张伟"})[0]
    hengtong = customers.create({"name": "恒通机械有限公司", "owner": "李娜"})[0]
    late = complaints.create({"customer_id": minghua, "category": "delivery", "words": "货晚到了三天",
                              "received_at": D(2026, 2, 13, 17)}).complaint_id
    done = complaints.create({"customer_id": hengtong, "category": "product_quality", "words": "打印机卡纸",
                              "received_at": D(2026, 3, 2, 9), "severity": "high"}).complaint_id
    complaint_flow.acknowledge(done, "已致电", at=D(2026, 3, 2, 10))
    complaint_flow.investigate(done, at=D(2026, 3, 2, 11))
    complaint_flow.propose(done, {"facts": "搓纸轮磨损", "solution": "更换搓纸轮=免费"}, at=D(2026, 3, 3, 10))
    complaint_flow.resolve(done, at=D(2026, 3, 3, 15))
    complaint_flow.close(done, 5, "很满意", at=D(2026, 3, 4, 10))
    waiting = complaints.create({"customer_id": hengtong, "category": "price_billing", "words": "重复扣款",
                                 "received_at": D(2026, 3, 5, 9)}).complaint_id
    complaint_flow.acknowledge(waiting, "", at=D(2026, 3, 5, 9, 30))
    complaint_flow.wait(waiting, "等客户对账单", at=D(2026, 3, 5, 10))
    close_database()
    return path, late


def test_agenda_lists_the_overdue_complaint_and_leaves_out_the_waiting_and_closed(crm, capsys):
    path, _late = crm
    code, out, err = call(capsys, "--db", str(path), "agenda", "--date", "2026-03-06")
    assert code == 0 and err == ""
    lines = out.splitlines()
    head = lines.index("complaint deadlines: 1 complaint")
    # received Friday 17:00 before Spring Festival: 8 business hours to the first response
    # end on the working Saturday 2026-02-14 at 16:00
    assert lines[head + 1].startswith("  2026-02-14 16:00  CMP-20260213-001  上海明华贸易有限公司  Normal  "
                                      "first response  张伟  ")
    assert lines[head + 1].endswith("business hours late")
    assert lines[head + 2:head + 4] == ["care: 0 reminders", "payments due: 0 sales"]
    assert lines[head + 4].startswith("deals due: ")


def test_agenda_to_excel_has_the_complaint_deadlines(crm, capsys, tmp_path):
    path, _late = crm
    out_path = tmp_path / "agenda.xlsx"
    code, _out, _err = call(capsys, "--db", str(path), "agenda", "--date", "2026-03-06", "--xlsx", str(out_path))
    assert code == 0
    ws = load_workbook(out_path)["Complaint deadlines"]
    assert [c.value for c in ws[2]][:6] == ["CMP-20260213-001", "上海明华贸易有限公司", "张伟", "Normal", "New",
                                           "First response"]
    assert ws.cell(2, 7).value == D(2026, 2, 14, 16)


def test_export_complaints(crm, capsys, tmp_path):
    path, _late = crm
    out_path = tmp_path / "complaints.xlsx"
    code, out, err = call(capsys, "--db", str(path), "export", "complaints", str(out_path), "--lang", "zh")
    assert code == 0 and err == ""
    assert out.splitlines()[-1] == f"Exported 3 complaints to {out_path}."
    wb = load_workbook(out_path)
    assert wb.sheetnames == ["投诉记录", "联系记录", "统计", "按类别", "按严重程度", "按月份", "满意度"]
    rows = list(wb["投诉记录"].iter_rows(values_only=True))
    assert rows[0][:3] == ("投诉编号", "客户编号", "客户名称")
    closed = next(r for r in rows if r[0] == "CMP-20260302-001")
    assert closed[11] == "已关闭" and closed[16] == "更换搓纸轮=免费"  # text, never a formula
    assert wb["投诉记录"].cell(3, 17).data_type == "s"
    assert closed[27] == "是" and closed[28] == "很满意"
    summary = {r[0]: r[1] for r in wb["统计"].iter_rows(min_row=2, values_only=True)}
    assert summary["投诉总数"] == 3 and summary["已解决"] == 1 and summary["按期解决率"] == 1
    log = list(wb["联系记录"].iter_rows(min_row=2, values_only=True))
    assert ("CMP-20260305-001", D(2026, 3, 5, 10)) in {(r[0], r[1]) for r in log}


def test_export_complaints_to_a_folder_that_does_not_exist(crm, capsys, tmp_path):
    path, _late = crm
    code, out, err = call(capsys, "--db", str(path), "export", "complaints", str(tmp_path / "no" / "c.xlsx"))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "cannot write" in err


def test_a_deadline_passed_on_friday_evening_is_overdue_on_saturday(tmp_path, capsys):
    from crmdesk.core.complaints import agenda as complaint_agenda
    path = tmp_path / "crm.sqlite"
    open_database(path)
    customer = customers.create({"name": "宁波瑞丰", "owner": "张伟"})[0]
    cid = complaints.create({"customer_id": customer, "category": "other", "words": "…",
                             "received_at": D(2026, 3, 6, 17), "severity": "critical"}).complaint_id  # Friday
    count, found = complaint_agenda.deadlines(D(2026, 3, 9), now=D(2026, 3, 7, 10))  # Saturday
    assert count == 1 and found[0].complaint_id == cid
    # one business hour to the first response: Friday 18:00; on Saturday no working time has
    # passed since, and it is overdue all the same
    assert (found[0].due_at, found[0].late_minutes, found[0].overdue) == (D(2026, 3, 6, 18), 0, True)
    count, found = complaint_agenda.deadlines(D(2026, 3, 9), now=D(2026, 3, 6, 17, 30))
    assert (found[0].late_minutes, found[0].overdue) == (0, False)
    close_database()
