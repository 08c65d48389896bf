"""Customer import: the spec's examples, matching, duplicates, dry run, all-or-nothing,
cancel, undo, the error workbook and the export/import round trip."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from crmdesk.core.io.excel_write import set_text
from crmdesk.core.models import Batch, ChangeLog, Customer, CustomerTag
from crmdesk.core.progress import Cancelled
from crmdesk.core.customers import archive as customers, export
from crmdesk.core.imports import customer_import as CI
from crmdesk.core.imports import error_book, undo
from crmdesk.core.imports.options import ImportOptions


def xlsx(path, rows, title=None):
    wb = Workbook()
    ws = wb.active
    if title:
        ws.title = title
    for number, row in enumerate(rows, 1):
        for column, value in enumerate(row, 1):
            if isinstance(value, str):  # as text, as a user typed it: never a formula
                set_text(ws.cell(number, column), value)
            elif value is not None:
                ws.cell(number, column, value)
    wb.save(path)
    return path


def run(path, **options):
    result, plan = CI.import_file(path, ImportOptions(**options))
    return result, plan


def snapshot():
    return [(c.code, c.name, c.mobile, c.phone, c.email, c.notes, c.deleted_at) for c in
            Customer.select().order_by(Customer.id)]


HEADERS = ["客户编号", "客户名称", "手机", "电话", "邮箱", "客户等级", "生日", "年销售额", "标签", "备注"]


def test_spec_values_from_a_messy_chinese_sheet(db, tmp_path):
    path = xlsx(tmp_path / "in.xlsx", [
        ["2024年客户名单"],  # a title row above the header
        [],
        ["客户编号*", "客户名称：", "手机号码", "座机", "Ｅ-mail", "等级", "出生日期", "全年销售额", "标签", "备注"],
        ["Ｃ００１", "  北京  华润  ", 13812345678.0, "+86 10-1234 5678 / 010-87654321", "A@B.COM",
         "大客户", "1985/4/2", "1.2万", "华东，老客户", "first"],
        ["", "上海明华", "0086 139 1234 5678", None, None, "Relationship", "4月2日", "¥3亿", None, None],
        ["", "广州和信", 1.3812345679e10, None, None, "交易型", dt.datetime(1990, 5, 6), 1234.5, None, None],
    ])
    result, plan = run(path)
    assert (result.created, result.updated, result.skipped, result.rejected) == (3, 0, 0, 0)
    assert plan.layout.header_row == 3
    first, second, third = Customer.select().order_by(Customer.id)
    assert (first.code, first.name, first.mobile) == ("C001", "北京 华润", "+8613812345678")
    assert first.phone == "+861012345678" and "010-87654321".replace("-", "") in first.notes
    assert first.email == "A@b.com" and first.tier == "key"
    assert (first.birthday_year, first.birthday_month, first.birthday_day) == (1985, 4, 2)
    assert first.annual_revenue == Decimal("12000")
    assert sorted(t.tag for t in CustomerTag.select().where(CustomerTag.customer == first.id)) == ["华东", "老客户"]
    assert second.mobile == "+8613912345678" and second.tier == "relationship"
    assert (second.birthday_year, second.birthday_month) == (None, 4)
    assert second.annual_revenue == Decimal("300000000") and second.code == "C000001"
    assert third.mobile == "+8613812345679" and third.birthday_year == 1990


def test_bad_rows_are_reported_with_row_column_and_reason_and_the_good_ones_go_in(db, tmp_path):
    path = xlsx(tmp_path / "in.xlsx", [
        HEADERS,
        ["", "好客户", "13812345678", None, None, None, None, None, None, None],
        ["", "坏电话", "123", None, "bad", "X", "2099-01-01", "lots", None, None],
        ["", None, "13912345678", None, None, None, None, None, None, None],
    ])
    result, plan = run(path)
    assert (result.created, result.rejected) == (1, 2)
    bad = result.rejected_rows[0]
    assert bad.number == 3 and set(bad.errors) == {"mobile", "email", "tier", "birthday", "annual_revenue"}
    text = error_book.describe(bad, plan.layout)
    assert "手机: Too few digits" in text and "邮箱: Not an email" in text
    assert result.rejected_rows[1].errors["name"].code == "required"


def test_the_error_workbook_holds_the_rows_as_they_were_and_imports_again_once_fixed(db, tmp_path):
    path = xlsx(tmp_path / "in.xlsx", [HEADERS, ["", "坏电话", "123", None, None, None, None, None, None, "=HYPERLINK(\"x\")"]])
    result, plan = run(path)
    out = error_book.write(tmp_path / "errors.xlsx", result.rejected_rows, plan.layout)
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    assert rows[0][:len(HEADERS)] == HEADERS and rows[0][-2:] == ["Import problem", "Source row"]
    assert rows[1][1:3] == ["坏电话", "123"] and rows[1][9] == '=HYPERLINK("x")'
    assert "Too few digits" in rows[1][-2] and rows[1][-1] == 2
    fixed = xlsx(tmp_path / "fixed.xlsx", [rows[0], ["", "坏电话", "13812345678"] + rows[1][3:]])
    again, _ = run(fixed)
    assert (again.created, again.rejected) == (1, 0)
    assert Customer.get().notes == '=HYPERLINK("x")'  # hostile text stays plain text


def test_matching_by_code_phone_email_and_name_updates_only_the_sheets_columns(db, tmp_path):
    a, _ = customers.create({"name": "甲", "code": "K1", "city": "北京", "industry": "制造"})
    b, _ = customers.create({"name": "乙", "mobile": "13800000001"})
    c, _ = customers.create({"name": "丙", "email": "c@x.com"})
    d, _ = customers.create({"name": "丁公司"})
    path = xlsx(tmp_path / "in.xlsx", [
        ["客户编号", "客户名称", "手机", "邮箱", "城市"],
        ["K1", "甲", None, None, "上海"],
        [None, "乙二", "13800000001", None, None],
        [None, "丙", None, "c@x.com", "广州"],
        [None, "丁公司", None, None, "深圳"],
        [None, "戊", None, None, "杭州"],
    ])
    result, _ = run(path)
    assert (result.created, result.updated) == (1, 4)
    assert Customer.get_by_id(a).city == "上海" and Customer.get_by_id(a).industry == "制造"
    assert Customer.get_by_id(b).name == "乙二"
    assert Customer.get_by_id(c).city == "广州" and Customer.get_by_id(d).city == "深圳"


def test_on_duplicate_skip_and_new(db, tmp_path):
    customers.create({"name": "甲", "code": "K1", "city": "北京"})
    path = xlsx(tmp_path / "in.xlsx", [["客户编号", "客户名称", "城市"], ["K1", "甲", "上海"]])
    result, _ = run(path, on_duplicate="skip")
    assert (result.skipped, Customer.get().city) == (1, "北京")
    path = xlsx(tmp_path / "new.xlsx", [["客户名称", "城市"], ["甲", "上海"]])
    result, _ = run(path, on_duplicate="new")
    assert result.created == 1 and Customer.select().count() == 2


def test_a_later_row_of_the_same_file_updates_the_earlier_one(db, tmp_path):
    path = xlsx(tmp_path / "in.xlsx", [
        ["客户名称", "手机", "城市", "行业"],
        ["甲", "13800000001", "北京", None],
        ["甲公司", "13800000001", None, "制造"],
    ] + [[f"客户{i}", None, None, None] for i in range(600)] + [["甲", "13800000001", "上海", None]])
    result, _ = run(path)
    assert result.created == 601 and result.updated == 2
    first = Customer.get(Customer.mobile == "+8613800000001")
    assert (first.name, first.city, first.industry) == ("甲", "上海", "制造")


def test_a_code_in_the_trash_is_a_row_error_not_a_crash(db, tmp_path):
    cid, _ = customers.create({"name": "甲", "code": "K1"})
    customers.delete([cid])
    result, _ = run(xlsx(tmp_path / "in.xlsx", [["客户编号", "客户名称"], ["K1", "甲二"]]))
    assert result.rejected == 1 and result.rejected_rows[0].errors["code"].code == "code_taken"


def test_dry_run_and_all_or_nothing_write_nothing(db, tmp_path):
    customers.create({"name": "甲", "code": "K1"})
    before = snapshot()
    batches = Batch.select().count()
    path = xlsx(tmp_path / "in.xlsx", [HEADERS, ["K1", "甲改", None, None, None, None, None, None, None, None],
                                       ["", "乙", "123", None, None, None, None, None, None, None],
                                       ["", "丙", None, None, None, None, None, None, None, None]])
    result, _ = run(path, dry_run=True)
    assert (result.created, result.updated, result.rejected, result.nothing_written) == (1, 1, 1, True)
    assert snapshot() == before and Batch.select().count() == batches
    result, _ = run(path, all_or_nothing=True)
    assert (result.created, result.updated, result.skipped, result.rejected) == (0, 0, 2, 1)
    assert snapshot() == before and Batch.select().count() == batches


def test_cancel_leaves_nothing_behind(db, tmp_path):
    path = xlsx(tmp_path / "in.xlsx", [["客户名称"]] + [[f"客户{i}"] for i in range(1000)])

    def progress(done, total, message):
        if done >= 500:
            raise Cancelled

    with pytest.raises(Cancelled):
        CI.import_file(path, ImportOptions(), progress=progress)
    assert Customer.select().count() == 0 and Batch.select().count() == 0


def test_undo_takes_the_import_back_even_after_other_edits(db, tmp_path):
    old, _ = customers.create({"name": "甲", "code": "K1", "city": "北京"})
    other, _ = customers.create({"name": "其他"})
    path = xlsx(tmp_path / "in.xlsx", [["客户编号", "客户名称", "城市", "标签"],
                                       ["K1", "甲", "上海", "新"], ["", "乙", "广州", "华南"], ["", "丙", None, None]])
    result, _ = run(path)
    assert (result.created, result.updated) == (2, 1)
    customers.update(other, {"city": "成都"})  # an edit elsewhere, after the import
    bing = Customer.get(Customer.name == "丙")
    customers.update(bing.id, {"city": "西安"})  # an imported customer edited since
    done = undo.undo_import()
    assert (done.removed, done.trashed, done.restored) == (1, 1, 1)
    assert Customer.get_by_id(old).city == "北京" and Customer.get_by_id(old).tags == ""
    assert Customer.get_or_none(Customer.name == "乙") is None
    assert Customer.get(Customer.name == "丙").deleted_at is not None  # in the trash, not lost
    assert Customer.get_by_id(other).city == "成都"
    assert Batch.get_by_id(result.batch_id).undone_at is not None
    with pytest.raises(Exception) as error:
        undo.undo_import(str(result.batch_id))
    assert error.value.code == "import_already_undone"


def test_undo_after_an_earlier_undo_freed_the_same_id(db, tmp_path):
    """SQLite gives a new customer the id of the last one deleted: the earlier customer's
    change log must not make the new one look edited since its import."""
    first, _ = run(xlsx(tmp_path / "a.xlsx", [["客户名称"], ["甲"]]))
    reused = Customer.get(Customer.name == "甲").id
    undo.undo_import()
    run(xlsx(tmp_path / "b.xlsx", [["客户名称"], ["乙"]]))
    assert Customer.get(Customer.name == "乙").id == reused
    done = undo.undo_import()
    assert (done.removed, done.trashed) == (1, 0)
    assert Customer.select().count() == 0


def test_undo_leaves_a_field_changed_again_since(db, tmp_path):
    cid, _ = customers.create({"name": "甲", "code": "K1", "city": "北京", "industry": "制造"})
    run(xlsx(tmp_path / "in.xlsx", [["客户编号", "客户名称", "城市", "行业"], ["K1", "甲", "上海", "零售"]]))
    customers.update(cid, {"city": "广州"})
    done = undo.undo_import()
    assert done.conflicts == 1
    assert (Customer.get_by_id(cid).city, Customer.get_by_id(cid).industry) == ("广州", "制造")


def test_every_import_is_a_batch_in_the_change_log(db, tmp_path):
    result, _ = run(xlsx(tmp_path / "in.xlsx", [["客户名称"], ["甲"], ["乙"]]))
    batch = Batch.get_by_id(result.batch_id)
    assert batch.kind == "import" and batch.description == "in.xlsx"
    assert ChangeLog.select().where(ChangeLog.batch == batch.id).count() == 2


def test_round_trip_export_import_export_gives_the_same_values(db, tmp_path):
    from crmdesk.core.db import close_database, open_database
    from crmdesk.core import demo
    demo.generate(60, seed=7)
    customers.create({"name": "=HYPERLINK(\"http://x\")", "notes": "@SUM(A1)", "tax_id": "-1"})
    first = export.export_customers(tmp_path / "one.xlsx", "zh")
    close_database()
    open_database(tmp_path / "empty.sqlite")
    result, _ = run(tmp_path / "one.xlsx")
    assert (result.created, result.rejected) == (first, 0)
    export.export_customers(tmp_path / "two.xlsx", "zh")
    one = CalamineWorkbook.from_path(str(tmp_path / "one.xlsx")).get_sheet_by_index(0).to_python()
    two = CalamineWorkbook.from_path(str(tmp_path / "two.xlsx")).get_sheet_by_index(0).to_python()
    assert one == two


def test_english_headers_and_labels(db, tmp_path):
    path = xlsx(tmp_path / "in.xlsx", [["Customer No.", "NAME", "Mobile Phone", "Lifecycle Stage", "Source", "Gender"],
                                       ["X1", "Acme", "13800000001", "Mature", "Cold call", "female"]])
    result, _ = run(path)
    c = Customer.get()
    assert result.created == 1 and (c.stage, c.source, c.gender) == ("mature", "cold_call", "female")


def test_a_remembered_mapping_applies_to_the_next_file_with_the_same_headers(db, tmp_path):
    path = xlsx(tmp_path / "in.xlsx", [["公司", "甲方联系人", "备用"], ["甲", "张三", "x"]])
    result, plan = CI.import_file(path, ImportOptions(mapping={0: "name", 1: "contact_person"}))
    assert result.created == 1
    path2 = xlsx(tmp_path / "in2.xlsx", [["公司", "甲方联系人", "备用"], ["乙", "李四", "y"]])
    result, plan = run(path2)
    assert plan.remembered and Customer.get(Customer.name == "乙").contact_person == "李四"


def test_a_column_that_is_not_what_its_header_says_goes_to_the_notes(db, tmp_path):
    path = xlsx(tmp_path / "in.xlsx", [["名称", "联系人", "类型"], ["甲", "张", "物业"], ["乙", "李", "商业"]])
    result, plan = run(path)
    assert result.created == 2 and plan.demoted == ["类型"]
    assert Customer.get(Customer.name == "甲").notes == "类型: 物业"


@pytest.mark.parametrize("rows, code", [
    ([["名称", "规格", "型号", "颜色", "品牌", "类别", "单位"], ["可乐", "500ml", "", "", "", "", "瓶"]], "not_customer_list"),
    ([["a", "b"], [1, 2]], "no_header"),
])
def test_a_sheet_that_is_no_customer_list_is_refused(db, tmp_path, rows, code):
    with pytest.raises(Exception) as error:
        run(xlsx(tmp_path / "in.xlsx", rows))
    assert error.value.code == code and Customer.select().count() == 0


def test_a_person_list_makes_people_the_customers(db, tmp_path):
    path = xlsx(tmp_path / "in.xlsx", [["会员卡号", "联系人", "手机号码"], [11112222, "小曹", 13000000000]])
    run(path)
    c = Customer.get()
    assert (c.code, c.name, c.kind, c.mobile) == ("11112222", "小曹", "individual", "+8613000000000")


def test_two_customer_numbers_are_two_customers_even_with_the_same_name(db, tmp_path):
    customers.create({"name": "甲", "code": "K1"})
    path = xlsx(tmp_path / "in.xlsx", [["客户编号", "客户名称", "电话"], ["K2", "甲", "010-1234567"],
                                       ["K3", "甲", "010-1234567"], ["", "甲", "010-1234567"]])
    result, _ = run(path)
    assert (result.created, result.updated) == (2, 1)
    assert sorted(c.code for c in Customer.select()) == ["K1", "K2", "K3"]


def test_a_32000_character_cell_is_a_row_error_not_a_crash(db, tmp_path):
    path = xlsx(tmp_path / "in.xlsx", [["客户名称", "备注"], ["甲", "长" * 32_000], ["乙", "短"]])
    result, plan = run(path)
    assert (result.created, result.rejected) == (1, 1)
    assert result.rejected_rows[0].errors["notes"].code == "too_long"


def test_more_rows_than_one_import_takes_is_refused_and_nothing_is_kept(db, tmp_path, monkeypatch):
    from crmdesk.core.imports import customer_import
    monkeypatch.setattr(customer_import, "MAX_ROWS", 50)
    path = tmp_path / "big.csv"
    path.write_text("客户名称\n" + "".join(f"客户{i}\n" for i in range(60)), encoding="utf-8")
    with pytest.raises(Exception) as error:
        run(path)
    assert error.value.code == "too_many_rows" and Customer.select().count() == 0
