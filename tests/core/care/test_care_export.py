"""Care out to Excel (``care_export``): every live event with its headers in Chinese or
English, kinds, states and channels as labels, real dates, the subject told by
``care_text.about`` when the event has no title; the greetings for a mail merge; the
agenda's care sheet; text that looks like a formula stays text."""
from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook

from crmdesk.core.care import fields as C
from crmdesk.core.care import text as care_text
from crmdesk.core.models import CareEvent, Contact, Customer
from crmdesk.core.care import events as care, export as care_export

D = dt.date


@pytest.fixture
def events(db):
    minghua = Customer.create(code="C00001", name="上海明华贸易有限公司", contact_person="王伟", title="经理",
                              owner="张伟", province="上海市", city="上海市", district="浦东新区",
                              address="世纪大道100号", mobile="13900000000")
    contact = Contact.create(customer=minghua.id, name="李娜", title="采购主管", mobile="13800138000",
                             email="lina@minghua.cn", wechat="lina_wx")
    birthday = CareEvent.create(customer=minghua.id, contact=contact.id, kind=C.BIRTHDAY, due_on=D(2026, 9, 25),
                                channel="wechat", rule=f"birthday:p{contact.id}:2026-09-25", occasion="lunar",
                                facts='{"calendar": "lunar", "month": 8, "day": 15}')
    survey = care.create({"customer_id": minghua.id, "kind": C.SURVEY, "due_on": D(2026, 11, 2), "channel": "phone",
                          "title": "=HYPERLINK(\"http://x\")", "message": "+请抽空填写问卷"}).id
    care.mark_done([survey], "满意度 5 分", "客户回复感谢", at=dt.datetime(2026, 11, 2, 10, 30))
    gone = Customer.create(code="C00002", name="已删除客户", owner="张伟")
    CareEvent.create(customer=gone.id, kind=C.ROUTINE, due_on=D(2026, 11, 3), title="不应导出")
    Customer.update(deleted_at=dt.datetime(2026, 11, 4)).where(Customer.id == gone.id).execute()
    festival = CareEvent.create(customer=minghua.id, kind=C.FESTIVAL, due_on=D(2026, 9, 25), channel="wechat",
                                occasion="mid_autumn", rule=f"festival:mid_autumn:2026:{minghua.id}")
    return {"birthday": birthday.id, "survey": survey, "festival": festival.id}


def rows(path):
    ws = load_workbook(path).worksheets[0]
    return [[c.value for c in row] for row in ws.iter_rows()], ws


def test_every_live_event_with_chinese_headers_and_labels(events, tmp_path):
    path = tmp_path / "care.xlsx"
    assert care_export.export_care(path, "zh") == 3
    table, ws = rows(path)
    assert ws.title == "关怀记录"
    assert table[0] == [c.zh for c in C.CARE_COLUMNS]
    by_kind = {r[1]: dict(zip([c.key for c in C.CARE_COLUMNS], r)) for r in table[1:]}
    assert set(by_kind) == {"生日祝福", "满意度调查", "节日问候"}
    birthday = by_kind["生日祝福"]
    assert birthday["due_on"] == dt.datetime(2026, 9, 25)  # a real date, not text
    assert ws.cell(2, 1).number_format == "yyyy-mm-dd"
    assert (birthday["state"], birthday["channel"], birthday["contact"]) == ("待办", "微信", "李娜")
    assert birthday["title"] == "李娜生日（农历八月十五）"
    assert by_kind["节日问候"]["title"] == "中秋节"
    survey = by_kind["满意度调查"]
    assert (survey["state"], survey["result"], survey["response"]) == ("已完成", "满意度 5 分", "客户回复感谢")
    assert survey["done_at"] == dt.datetime(2026, 11, 2, 10, 30)
    assert "已删除客户" not in str(table)


def test_english_headers_and_formula_looking_text_stays_text(events, tmp_path):
    path = tmp_path / "care-en.xlsx"
    assert care_export.export_care(path, "en") == 3
    table, ws = rows(path)
    assert ws.title == "Care"
    assert table[0] == [c.en for c in C.CARE_COLUMNS]
    keys = [c.key for c in C.CARE_COLUMNS]
    survey = next(dict(zip(keys, r)) for r in table[1:] if r[1] == "Satisfaction survey")
    assert survey["title"] == "=HYPERLINK(\"http://x\")" and survey["message"] == "+请抽空填写问卷"
    cell = ws.cell(table.index(next(r for r in table if r[1] == "Satisfaction survey")) + 1, keys.index("title") + 1)
    assert cell.data_type == "s"  # text, never a formula
    birthday = next(dict(zip(keys, r)) for r in table[1:] if r[1] == "Birthday")
    assert birthday["title"] == "李娜's birthday (lunar 8/15)" and birthday["state"] == "Due"


def test_a_bad_language_is_refused(events, tmp_path):
    with pytest.raises(ValueError):
        care_export.export_care(tmp_path / "x.xlsx", "fr")
    assert not (tmp_path / "x.xlsx").exists()


def test_greetings_ready_for_a_mail_merge(events, tmp_path):
    path = tmp_path / "greetings.xlsx"
    templates = {C.BIRTHDAY: {"zh": "{称呼}，祝您生日快乐！感谢您对{公司}的支持。", "en": "Happy birthday, {name}!"},
                 C.FESTIVAL: {"zh": "{称呼}，{节日}快乐！", "en": "Happy {festival}!"}}
    count = care_export.export_greetings(path, [events["birthday"], events["festival"], 99999], "zh", templates)
    assert count == 2
    table, ws = rows(path)
    assert ws.title == "祝福语" and table[0] == [c.zh for c in C.GREETING_COLUMNS]
    keys = [c.key for c in C.GREETING_COLUMNS]
    birthday, festival = (dict(zip(keys, r)) for r in table[1:])
    assert (birthday["recipient"], birthday["salutation"], birthday["mobile"], birthday["email"],
            birthday["wechat"]) == ("李娜", "李采购主管", "13800138000", "lina@minghua.cn", "lina_wx")
    assert birthday["address"] == "上海市 浦东新区 世纪大道100号"
    assert birthday["occasion"] == "李娜生日（农历八月十五）"
    assert birthday["due_on"] == dt.datetime(2026, 9, 25)
    assert birthday["text"] == "李采购主管，祝您生日快乐！感谢您对上海明华贸易有限公司的支持。"
    assert (festival["recipient"], festival["salutation"]) == ("王伟", "王经理")
    assert festival["text"] == "王经理，中秋节快乐！" and festival["occasion"] == "中秋节"


def test_greetings_in_english_with_the_stored_templates(events, tmp_path):
    path = tmp_path / "greetings-en.xlsx"
    assert care_export.export_greetings(path, [events["festival"]], "en") == 1
    table, _ws = rows(path)
    assert table[0] == [c.en for c in C.GREETING_COLUMNS]
    row = dict(zip([c.key for c in C.GREETING_COLUMNS], table[1]))
    assert row["occasion"] == care_text.festival("mid_autumn", "en")
    assert row["recipient"] == "王伟" and row["salutation"] == "王伟"  # no gender: the name as written
    assert "{" not in row["text"] and row["text"]


def test_the_agenda_sheet_marks_the_overdue(events, tmp_path):
    from crmdesk.core.io import excel_write as X
    path = tmp_path / "agenda.xlsx"
    listed = care.many([events["birthday"], events["festival"]])
    with X.write_only_workbook(path) as wb:
        care_export.agenda_sheet(wb, listed, "en", D(2026, 9, 26))
    table, ws = rows(path)
    assert ws.title == "Customer care"
    assert table[0][0] == "Date" and len(table) == 3
    assert all(r[-1] == "overdue" for r in table[1:])


def test_the_agenda_sheet_says_how_many_more_there_are(tmp_path):
    from openpyxl import load_workbook
    from crmdesk.core.io import excel_write as X
    path = tmp_path / "agenda.xlsx"
    with X.write_only_workbook(path) as wb:
        care_export.agenda_sheet(wb, [], "en", dt.date(2026, 11, 23), count=120)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[-1][0].startswith("120 care reminders in all")
