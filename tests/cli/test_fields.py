"""``crmdesk fields`` (issue 21): add, list, change and remove the user's own customer fields;
an import then fills them by their names and the export writes them."""
from __future__ import annotations

from openpyxl import Workbook, load_workbook

from tests.cli.test_cli import call


def test_fields_are_added_listed_changed_and_removed(tmp_path):
    db = str(tmp_path / "crm.sqlite")
    from crmdesk.core.db import close_database, open_database
    open_database(db)
    close_database()
    code, out, _err = call("--db", db, "fields")
    assert code == 0 and "No customer fields of your own yet" in out
    assert call("--db", db, "fields", "add", "宗教信仰", "--english", "Religion")[0] == 0
    code, out, _ = call("--db", db, "fields", "add", "收入水平", "--type", "choice", "--options", "高，中,低")
    assert code == 0 and "收入水平" in out
    code, out, _ = call("--db", db, "fields")
    assert out.splitlines() == ["宗教信仰\tReligion\ttext\t-\t0", "收入水平\t-\tchoice\t高, 中, 低\t0"]

    book = Workbook()
    book.active.append(["客户名称", "Religion", "收入水平"])
    book.active.append(["华润商贸", "佛教", "中"])
    book.save(tmp_path / "in.xlsx")
    assert call("--db", db, "import", "customers", str(tmp_path / "in.xlsx"))[0] == 0
    assert call("--db", db, "export", "customers", str(tmp_path / "out.xlsx"), "--lang", "zh")[0] == 0
    rows = list(load_workbook(tmp_path / "out.xlsx").active.values)
    assert list(rows[0][-2:]) == ["宗教信仰", "收入水平"] and list(rows[1][-2:]) == ["佛教", "中"]

    code, out, _ = call("--db", db, "fields", "change", "religion", "--name", "信仰")
    assert code == 0 and "信仰" in out
    code, out, _ = call("--db", db, "fields", "remove", "收入水平")
    assert code == 0 and "1 customer" in out
    assert call("--db", db, "fields")[1].splitlines() == ["信仰\tReligion\ttext\t-\t1"]


def test_bad_field_commands_say_one_sentence_and_change_nothing(tmp_path):
    db = str(tmp_path / "crm.sqlite")
    call("--db", db, "fields", "add", "宗教信仰")
    for command, words in ((("fields", "add", "城市"), "is a customer field already"),
                           (("fields", "add", "颜色", "--type", "colour"), "is not a field type"),
                           (("fields", "add", "颜色", "--type", "choice"), "needs its options"),
                           (("fields", "remove", "不存在"), "There is no custom field 不存在"),
                           (("fields", "change", "不存在", "--name", "x"), "There is no custom field")):
        code, out, err = call("--db", db, *command)
        assert code != 0 and words in err and len(err.strip().splitlines()) == 1, (command, err)
    assert call("--db", db, "fields")[1].splitlines() == ["宗教信仰\t-\ttext\t-\t0"]
    code, _out, err = call("--db", str(tmp_path / "none.sqlite"), "fields")
    assert code != 0 and "no database" in err.lower()


def test_import_new_fields_makes_the_unmatched_columns_fields(tmp_path):
    db = str(tmp_path / "crm.sqlite")
    book = Workbook()
    for row in (["客户名称", "手机", "宗教信仰", "家庭人数", "会员等级"],
                ["华润商贸", "13812345678", "佛教", 4, "金卡"], ["申通物流", "13912345678", "基督教", 3, "银卡"],
                ["明华贸易", "13712345678", "佛教", 5, "金卡"], ["安达纺织", "13612345678", "天主教", 2, "银卡"]):
        book.active.append(row)
    book.save(tmp_path / "in.xlsx")
    code, out, err = call("--db", db, "import", "customers", str(tmp_path / "in.xlsx"))
    assert "Ignored columns that match no field: 宗教信仰, 家庭人数, 会员等级. --new-fields" in err
    code, out, err = call("--db", db, "import", "customers", str(tmp_path / "in.xlsx"), "--new-fields", "--dry-run")
    assert "Would make these columns customer fields: 宗教信仰 (text), 家庭人数 (number), 会员等级 (choice)." in err
    assert call("--db", db, "fields")[1].startswith("No customer fields")
    code, out, err = call("--db", db, "import", "customers", str(tmp_path / "in.xlsx"), "--new-fields")
    assert code == 0 and "Made these columns customer fields" in err and "updated 4" in out
    assert call("--db", db, "fields")[1].splitlines() == [
        "宗教信仰\t-\ttext\t-\t4", "家庭人数\t-\tnumber\t-\t4", "会员等级\t-\tchoice\t金卡, 银卡\t4"]
    code, _out, err = call("--db", db, "import", "transactions", str(tmp_path / "in.xlsx"), "--new-fields")
    assert code == 2 and "goes with import customers only" in err


def test_the_customer_template_has_the_databases_own_fields_and_creates_no_database(tmp_path):
    db = tmp_path / "crm.sqlite"
    code, _out, _err = call("--db", str(db), "template", "customers", str(tmp_path / "none.xlsx"), "--lang", "en")
    assert code == 0 and not db.exists()  # no database yet: the spec's columns, nothing made
    assert next(load_workbook(tmp_path / "none.xlsx").active.values)[-1] != "Religion"
    from crmdesk.core.db import close_database, open_database
    open_database(db)
    close_database()
    assert call("--db", str(db), "fields", "add", "宗教信仰", "--english", "Religion")[0] == 0
    assert call("--db", str(db), "fields", "add", "已婚", "--type", "yesno")[0] == 0
    for lang, headers in (("en", ["Religion", "已婚"]), ("zh", ["宗教信仰", "已婚"])):
        out = tmp_path / f"template-{lang}.xlsx"
        assert call("--db", str(db), "template", "customers", str(out), "--lang", lang)[0] == 0
        assert list(next(load_workbook(out).active.values)[-2:]) == headers


def test_a_template_beside_a_file_that_is_no_database_is_written_all_the_same(tmp_path):
    junk = tmp_path / "crm.sqlite"
    junk.write_bytes(b"PK\x03\x04 not a database at all" * 100)
    code, out, err = call("--db", str(junk), "template", "customers", str(tmp_path / "t.xlsx"), "--lang", "zh")
    assert code == 0 and "t.xlsx" in out and not err
    assert next(load_workbook(tmp_path / "t.xlsx").active.values)[1] == "客户名称"
    assert junk.read_bytes() == b"PK\x03\x04 not a database at all" * 100
