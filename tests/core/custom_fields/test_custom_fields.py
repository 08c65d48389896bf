"""Custom fields (issue 21): defined under Settings, stored typed, written with the change
log, searched, and kept when a field is removed."""
from __future__ import annotations

import pytest

from crmdesk.core import custom_fields as CF
from crmdesk.core.errors import CrmError, ValidationError
from crmdesk.core.models import ChangeLog, Customer
from crmdesk.core.customers import archive as customers
from crmdesk.core.customers.list import ListQuery, ids


def test_fields_are_added_in_order_and_read_back(db):
    religion, _ = CF.add("宗教信仰", CF.TEXT, label_en="Religion")
    CF.add("家庭人数", CF.NUMBER)
    CF.add("纪念日", CF.DATE)
    CF.add("收入水平", CF.CHOICE, ["高", "中", "低", "中"])
    CF.add("已婚", CF.YESNO)
    found = CF.all_fields()
    assert [f.label for f in found] == ["宗教信仰", "家庭人数", "纪念日", "收入水平", "已婚"]
    assert found[3].choices == ("高", "中", "低")
    assert religion.field_key == "cf:宗教信仰" and religion.name("en") == "Religion"
    assert found[1].name("en") == "家庭人数"  # no English name: the one there is
    CF.move("已婚", -4)
    assert CF.all_fields()[0].label == "已婚"


@pytest.mark.parametrize("label, kind, choices, code", [
    ("", CF.TEXT, (), "custom_field_name_required"),
    ("   ", CF.TEXT, (), "custom_field_name_required"),
    ("城市", CF.TEXT, (), "custom_field_name_builtin"),  # a customer field already
    ("Mobile", CF.TEXT, (), "custom_field_name_builtin"),
    ("宗教信仰", CF.TEXT, (), "custom_field_name_taken"),
    ("x" * 51, CF.TEXT, (), "custom_field_name_too_long"),
    ("收入", "colour", (), "custom_field_type_invalid"),
    ("收入", CF.CHOICE, ("", " "), "custom_field_choices_required"),
])
def test_a_bad_field_is_refused_and_nothing_changes(db, label, kind, choices, code):
    CF.add("宗教信仰", CF.TEXT)
    with pytest.raises(CrmError) as raised:
        CF.add(label, kind, choices)
    assert raised.value.code == code
    assert [f.label for f in CF.all_fields()] == ["宗教信仰"]


def test_values_are_stored_in_their_type_and_logged(db):
    for label, kind, choices in (("宗教信仰", CF.TEXT, ()), ("家庭人数", CF.NUMBER, ()),
                                 ("纪念日", CF.DATE, ()), ("收入水平", CF.CHOICE, ("高", "中")),
                                 ("已婚", CF.YESNO, ())):
        CF.add(label, kind, choices)
    cid, _ = customers.create({"name": "华润商贸", "cf:宗教信仰": "佛教", "cf:家庭人数": "1.2万",
                               "cf:纪念日": "2019年5月1日", "cf:收入水平": "中", "cf:已婚": "是"})
    assert CF.read([cid])[cid] == {"cf:宗教信仰": "佛教", "cf:家庭人数": 12000, "cf:纪念日": "2019-05-01",
                                   "cf:收入水平": "中", "cf:已婚": 1}
    customer = Customer.get_by_id(cid)
    customers.update(cid, {"cf:家庭人数": "3.5", "cf:已婚": "否", "cf:宗教信仰": ""})
    assert CF.read([cid])[cid] == {"cf:家庭人数": 3.5, "cf:纪念日": "2019-05-01", "cf:收入水平": "中",
                                   "cf:已婚": 0}
    entries = {(e.field, e.old, e.new) for e in ChangeLog.select().where(ChangeLog.action == "updated")}
    assert entries == {("cf:家庭人数", "12000", "3.5"), ("cf:已婚", "1", "0"), ("cf:宗教信仰", "佛教", None)}
    assert Customer.get_by_id(cid).updated_at > customer.updated_at  # the form's version moved on


@pytest.mark.parametrize("key, value, code", [
    ("cf:家庭人数", "many", "custom_number_invalid"),
    ("cf:纪念日", "someday", "date_invalid"),
    ("cf:收入水平", "极高", "enum_invalid"),
    ("cf:已婚", "maybe", "custom_yesno_invalid"),
    ("cf:宗教信仰", "x" * 2001, "too_long"),
])
def test_a_bad_value_is_refused_with_its_field(db, key, value, code):
    for label, kind, choices in (("宗教信仰", CF.TEXT, ()), ("家庭人数", CF.NUMBER, ()),
                                 ("纪念日", CF.DATE, ()), ("收入水平", CF.CHOICE, ("高", "中")),
                                 ("已婚", CF.YESNO, ())):
        CF.add(label, kind, choices)
    cid, _ = customers.create({"name": "华润商贸"})
    with pytest.raises(ValidationError) as raised:
        customers.update(cid, {"name": "改了", key: value})
    assert raised.value.errors[key].code == code
    assert Customer.get_by_id(cid).name == "华润商贸"  # nothing written


def test_custom_text_is_found_by_search(db):
    CF.add("宗教信仰", CF.TEXT)
    cid, _ = customers.create({"name": "华润商贸", "cf:宗教信仰": "天主教"})
    customers.create({"name": "别的公司"})
    assert list(ids(ListQuery(search="天主教"))) == [cid]
    customers.update(cid, {"cf:宗教信仰": "佛教"})
    assert list(ids(ListQuery(search="天主教"))) == []
    assert list(ids(ListQuery(search="佛教"))) == [cid]


def test_a_removed_field_hides_its_values_and_comes_back_with_them(db):
    CF.add("宗教信仰", CF.TEXT)
    cid, _ = customers.create({"name": "华润商贸", "cf:宗教信仰": "佛教"})
    assert CF.value_count("宗教信仰") == 1
    CF.remove("宗教信仰")
    assert CF.all_fields() == () and CF.read([cid]) == {}
    assert list(ids(ListQuery(search="佛教"))) == []  # a hidden value is not found either
    CF.add("宗教信仰", CF.NUMBER)  # another type: the old text is not this field's
    assert CF.read([cid]) == {}
    CF.remove("宗教信仰")
    CF.add("宗教信仰", CF.TEXT)
    assert CF.read([cid])[cid] == {"cf:宗教信仰": "佛教"}
    assert list(ids(ListQuery(search="佛教"))) == [cid]


def test_renaming_keeps_the_values_and_options_taken_away_stay(db):
    CF.add("收入水平", CF.CHOICE, ("高", "中", "低"))
    cid, _ = customers.create({"name": "华润商贸", "cf:收入水平": "低"})
    CF.edit("收入水平", "收入", ("高", "中"), label_en="Income")
    field = CF.get("cf:收入水平")
    assert (field.label, field.label_en, field.choices) == ("收入", "Income", ("高", "中"))
    assert CF.read([cid])[cid] == {"cf:收入水平": "低"}
    with pytest.raises(CrmError) as raised:
        CF.edit("nope", "x")
    assert raised.value.code == "custom_field_unknown"


def test_a_damaged_setting_shows_no_fields_and_loses_no_values(db):
    from crmdesk.core.models import Setting
    CF.add("宗教信仰", CF.TEXT)
    cid, _ = customers.create({"name": "华润商贸", "cf:宗教信仰": "佛教"})
    Setting.update(value="{not json").where(Setting.key == CF.KEY).execute()
    assert CF.all_fields() == ()
    customers.update(cid, {"name": "华润"})
    Setting.update(value='[{"key": "宗教信仰", "label": "宗教信仰", "type": "text"}, 5, {"key": ""}]') \
        .where(Setting.key == CF.KEY).execute()
    assert CF.read([cid])[cid] == {"cf:宗教信仰": "佛教"}


def write_rows(path, rows) -> None:
    from openpyxl import Workbook
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)


def test_an_import_fills_custom_fields_by_their_names(db, tmp_path):
    from crmdesk.core.imports.customer_import import import_file
    from crmdesk.core.imports.options import ImportOptions
    CF.add("宗教信仰", CF.TEXT, label_en="Religion")
    CF.add("家庭人数", CF.NUMBER)
    CF.add("已婚", CF.YESNO)
    path = tmp_path / "in.xlsx"
    write_rows(path, [["客户名称", "手机", "religion", "家庭人数", "已婚"],
                      ["华润商贸", "13812345678", "天主教", 4, "是"],
                      ["申通物流", "13912345678", "佛教", "many", "否"]])
    result, plan = import_file(path, ImportOptions())
    assert set(plan.layout.mapping.values()) == {"name", "mobile", "cf:宗教信仰", "cf:家庭人数", "cf:已婚"}
    assert (result.created, result.rejected) == (1, 1)
    assert result.rejected_rows[0].errors["cf:家庭人数"].code == "custom_number_invalid"
    cid = Customer.get(Customer.name == "华润商贸").id
    assert CF.read([cid])[cid] == {"cf:宗教信仰": "天主教", "cf:家庭人数": 4, "cf:已婚": 1}
    assert list(ids(ListQuery(search="天主教"))) == [cid]
    # with --bad-values keep the other row goes in, its bad number kept in the notes
    result, _ = import_file(path, ImportOptions(bad_values="keep"))
    other = Customer.get(Customer.name == "申通物流")
    assert "家庭人数 (not a number): many" in other.notes
    assert CF.read([other.id])[other.id] == {"cf:宗教信仰": "佛教", "cf:已婚": 0}
    # the first row again, changed: an update of the custom value, logged
    write_rows(path, [["客户名称", "手机", "religion"], ["华润商贸", "13812345678", "佛教"]])
    result, _ = import_file(path, ImportOptions())
    assert result.updated == 1 and CF.read([cid])[cid]["cf:宗教信仰"] == "佛教"
    assert ChangeLog.select().where(ChangeLog.field == "cf:宗教信仰").count() == 1


def test_exports_and_templates_carry_the_custom_fields_and_import_back(db, tmp_path):
    import datetime as dt
    from openpyxl import load_workbook
    from crmdesk.core.customers.export import export_customers, template_customers
    from crmdesk.core.imports.customer_import import import_file
    from crmdesk.core.imports.options import ImportOptions
    CF.add("宗教信仰", CF.TEXT, label_en="Religion")
    CF.add("家庭人数", CF.NUMBER)
    CF.add("纪念日", CF.DATE)
    CF.add("收入水平", CF.CHOICE, ("高", "中"))
    CF.add("已婚", CF.YESNO)
    customers.create({"name": "华润商贸", "cf:宗教信仰": "=1+1", "cf:家庭人数": "3.5", "cf:纪念日": "2019-05-01",
                      "cf:收入水平": "高", "cf:已婚": "否"})
    for lang, headers, married in (("zh", ["宗教信仰", "家庭人数", "纪念日", "收入水平", "已婚"], "否"),
                                   ("en", ["Religion", "家庭人数", "纪念日", "收入水平", "已婚"], "No")):
        path = tmp_path / f"out-{lang}.xlsx"
        assert export_customers(path, lang) == 1
        sheet = load_workbook(path).active
        rows = list(sheet.values)
        assert list(rows[0][-5:]) == headers
        assert list(rows[1][-5:]) == ["=1+1", 3.5, dt.datetime(2019, 5, 1), "高", married]
        assert sheet.cell(row=2, column=len(rows[0]) - 4).data_type == "s"  # text, never a formula
        template = template_customers(tmp_path / f"template-{lang}.xlsx", lang, CF.all_fields())
        assert list(next(load_workbook(template).active.values)[-5:]) == headers
    # the export imports back into a new database unchanged
    from crmdesk.core.db import close_database, open_database
    close_database()
    open_database(tmp_path / "other.sqlite")
    CF.add("宗教信仰", CF.TEXT, label_en="Religion")  # the English file names it so
    for label, kind, choices in (("家庭人数", CF.NUMBER, ()), ("纪念日", CF.DATE, ()),
                                 ("收入水平", CF.CHOICE, ("高", "中")), ("已婚", CF.YESNO, ())):
        CF.add(label, kind, choices)
    result, _ = import_file(tmp_path / "out-en.xlsx", ImportOptions())
    assert result.created == 1
    cid = Customer.get().id
    assert CF.read([cid])[cid] == {"cf:宗教信仰": "=1+1", "cf:家庭人数": 3.5, "cf:纪念日": "2019-05-01",
                                   "cf:收入水平": "高", "cf:已婚": 0}


@pytest.mark.parametrize("cells, expected", [
    (["是", "否", None, "是"], (CF.YESNO, ())),
    ([3, "12", "1.2万", ""], (CF.NUMBER, ())),
    ([0, 1, 1, 0], (CF.NUMBER, ())),  # 0 and 1 alone are numbers, not yes/no
    (["2019-05-01", "2020年1月2日"], (CF.DATE, ())),
    (["佛教", "基督教", "佛教", "无", "基督教", "佛教"], (CF.CHOICE, ("佛教", "基督教", "无"))),
    (["佛教", "基督教", "天主教"], (CF.TEXT, ())),  # nothing repeats: text
    ([None, " "], (CF.TEXT, ())),
])
def test_a_columns_values_suggest_its_type(cells, expected):
    assert CF.guess(cells) == expected


def test_a_custom_value_changed_elsewhere_is_named_in_the_refusal(db, time_machine):
    import datetime as dt
    from crmdesk import i18n
    CF.add("宗教信仰", CF.TEXT, label_en="Religion")
    cid, _ = customers.create({"name": "华润商贸"})
    opened = Customer.get_by_id(cid).updated_at
    time_machine.shift(dt.timedelta(seconds=5))
    customers.update(cid, {"cf:宗教信仰": "佛教"})  # someone else, meanwhile
    i18n.set_language("en")
    try:
        with pytest.raises(CrmError) as raised:
            customers.update(cid, {"name": "华润"}, expected_updated_at=opened)
    finally:
        i18n.set_language(None)
    assert raised.value.code == "record_changed_elsewhere" and "religion" in raised.value.params["fields"]
    assert Customer.get_by_id(cid).name == "华润商贸"


def test_a_field_named_with_quotes_sorts_and_filters(db):
    """The name is the key, and the list's SQL holds the key: quotes are only text."""
    from crmdesk.core.customers.list import count, rows
    field, _ = CF.add("O'Brien's \"level\"); DROP TABLE customer; --", CF.CHOICE, ("a'b", "c"))
    first, _ = customers.create({"name": "甲", field.field_key: "c"})
    second, _ = customers.create({"name": "乙", field.field_key: "a'b"})
    assert list(ids(ListQuery(sort=field.field_key))) == [second, first]
    assert count(ListQuery(filters=((field.field_key, "a'b"),))) == 1
    assert rows([first], [field.field_key, "name"]) == {first: ("c", "甲")}
    assert Customer.select().count() == 2


def test_a_rare_and_a_common_filter_value_give_the_same_answer_either_way(db):
    """Common values are probed row by row along the list order, rare ones taken at once and
    sorted (``customer_list.DENSE_SHARE``): both plans, one answer."""
    from crmdesk.core.customers.list import count, first_ids
    CF.add("收入水平", CF.CHOICE, ("高", "低"))
    made = [customers.create({"name": f"客户{i:02d}", "cf:收入水平": "高" if i == 7 else "低"})[0] for i in range(30)]
    for value, expected in (("高", [made[7]]), ("低", [c for i, c in enumerate(made) if i != 7])):
        query = ListQuery(filters=(("cf:收入水平", value),))
        assert first_ids(query, 50) == expected == list(ids(query))
        assert count(query) == len(expected)
