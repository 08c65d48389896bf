"""``--bad-values keep`` (issue 21, "Keep every value"): a row whose only bad values are in
columns other than the name and the customer number goes in, each bad value kept in its notes
and listed with its row and column."""
from __future__ import annotations

import shutil

from openpyxl import Workbook

from crmdesk.core.models import Customer
from crmdesk.core.imports import customer_import as CI
from crmdesk.core.imports.options import ImportOptions
from tests.cli.test_cli import call


def sheet(path, rows):
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def test_customers_100_gives_100_customers(db, shared_data, tmp_path):
    path = tmp_path / "customers-100.xlsx"
    shutil.copyfile(shared_data / "en/customers-100.xlsx", path)
    rejected, _ = CI.import_file(path, ImportOptions(dry_run=True))
    assert rejected.rejected == 5  # Excel turned +1-539-402-0259 into the number -1199
    result, _plan = CI.import_file(path, ImportOptions(bad_values="keep"))
    assert (result.created, result.rejected) == (100, 0)
    assert len(result.kept_rows) == 5
    murillo = Customer.get(Customer.name == "Murillo-Perry")
    assert murillo.phone == ""
    assert "Phone 1 (not a phone number): -1199" in murillo.notes


def test_the_name_or_number_are_never_kept_in_the_notes(db, tmp_path):
    path = sheet(tmp_path / "in.xlsx", [["客户名称", "手机", "邮箱", "生日"],
                                        ["甲公司", "12", "bad", "2024-02-30"],
                                        [None, "13800000001", None, None],
                                        ["乙公司", "13800000002", "ok@x.cn", None]])
    result, _ = CI.import_file(path, ImportOptions(bad_values="keep"))
    assert (result.created, result.rejected) == (2, 1)
    jia = Customer.get(Customer.name == "甲公司")
    assert (jia.mobile, jia.email, jia.birthday_month) == ("", "", None)
    assert jia.notes.splitlines() == ["手机 (not a phone number): 12", "邮箱 (not an e-mail address): bad",
                                      "生日 (not a date): 2024-02-30"]
    assert sorted(result.kept_rows[0].kept) == ["birthday", "email", "mobile"]


def test_the_notes_are_written_in_the_users_language(db, tmp_path):
    path = sheet(tmp_path / "in.xlsx", [["客户名称", "手机"], ["甲公司", "12"]])
    zh = {"{column} ({reason}): {value}": "{column}（{reason}）：{value}", "not a phone number": "不是电话号码"}
    CI.import_file(path, ImportOptions(bad_values="keep", translate=lambda _c, text: zh.get(text, text)))
    assert Customer.get(Customer.name == "甲公司").notes == "手机（不是电话号码）：12"


def test_the_command_line_lists_what_it_kept(tmp_path):
    path = sheet(tmp_path / "in.xlsx", [["客户名称", "手机"], ["甲公司", "12"], ["乙公司", "13800000002"]])
    code, out, _err = call("--db", str(tmp_path / "crm.sqlite"), "import", "customers", str(path),
                           "--bad-values", "keep")
    assert code == 0
    assert out.splitlines()[0] == "created 2, updated 0, skipped 0, rejected 0"
    assert out.splitlines()[2] == ("row 2: 手机: Too few digits for a phone number: type at least 5 digits. "
                                   "(kept in the notes)")
    assert not (tmp_path / "in-errors.xlsx").exists()


def test_a_wrong_choice_is_named(tmp_path, capsys):
    import pytest
    from crmdesk.cli import run
    with pytest.raises(SystemExit) as exit_:
        run(["--db", str(tmp_path / "crm.sqlite"), "import", "customers", str(tmp_path / "x.xlsx"),
             "--bad-values", "maybe"])
    assert exit_.value.code == 2
    assert "invalid choice: 'maybe'" in capsys.readouterr().err
