"""The command line: one sentence and exit status 2 for a database it can't use, the
file untouched; backup and restore."""
from __future__ import annotations

import hashlib
import io
import sqlite3

import pytest

from crmdesk.cli import run
from crmdesk.core.db import close_database, open_database
from crmdesk.core.customers import archive as customers


def call(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    close_database()
    return code, out.getvalue(), err.getvalue()


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_db(path, names=("甲公司",)):
    open_database(path)
    for name in names:
        customers.create({"name": name})
    close_database()


def test_help_lists_the_commands(capsys):
    with pytest.raises(SystemExit) as exit_:
        run(["--help"])
    assert exit_.value.code == 0
    text = capsys.readouterr().out
    for command in ("demo", "export", "template", "backup", "restore", "--db"):
        assert command in text


def test_not_sqlite_is_refused_untouched(tmp_path):
    path = tmp_path / "customers.xlsx"
    path.write_bytes(b"PK\x03\x04 not a database")
    before = digest(path)
    code, out, err = call("--db", str(path), "backup", str(tmp_path / "b.sqlite"))
    assert code == 2
    assert err.count("\n") == 1 and "is not a crmdesk database" in err
    assert digest(path) == before
    assert not (tmp_path / "b.sqlite").exists()


def test_database_from_a_newer_crmdesk_is_refused_untouched(tmp_path):
    path = tmp_path / "new.sqlite"
    make_db(path)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 999")
    before = digest(path)
    code, _out, err = call("--db", str(path), "backup")
    assert code == 2 and "newer crmdesk" in err
    assert digest(path) == before


def test_unwritable_folder(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    code, _out, err = call("--db", str(blocker / "crm.sqlite"), "demo", "--customers", "1")
    assert code == 2 and "cannot write" in err


def test_missing_database_for_backup(tmp_path):
    code, _out, err = call("--db", str(tmp_path / "nothing.sqlite"), "backup")
    assert code == 2 and "There is no database" in err
    assert not (tmp_path / "nothing.sqlite").exists()


def test_crmdesk_db_environment_variable(tmp_path, monkeypatch):
    path = tmp_path / "env.sqlite"
    make_db(path)
    monkeypatch.setenv("CRMDESK_DB", str(path))
    code, out, _err = call("backup", str(tmp_path / "copy.sqlite"))
    assert code == 0 and "env.sqlite" in out
    assert (tmp_path / "copy.sqlite").exists()


def test_backup_then_restore(tmp_path):
    path = tmp_path / "crm.sqlite"
    make_db(path, ["甲公司", "乙公司"])
    code, out, _err = call("--db", str(path), "backup", str(tmp_path / "copy.sqlite"))
    assert code == 0 and "copy.sqlite" in out
    open_database(path)
    customers.create({"name": "丙公司"})
    close_database()
    code, out, _err = call("--db", str(path), "restore", str(tmp_path / "copy.sqlite"))
    assert code == 0 and "kept in" in out
    open_database(path)
    assert customers.count() == 2
    close_database()


def test_restore_refuses_a_damaged_file_and_changes_nothing(tmp_path):
    path = tmp_path / "crm.sqlite"
    make_db(path)
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    before = digest(path)
    code, _out, err = call("--db", str(path), "restore", str(bad))
    assert code == 2 and "damaged" in err
    assert digest(path) == before


def test_chinese_messages_follow_the_system_language(tmp_path, monkeypatch):
    from crmdesk import i18n
    if not i18n._catalog("zh_CN"):
        pytest.skip("no zh_CN translation file")
    monkeypatch.setenv("LANGUAGE", "zh_CN")
    path = tmp_path / "x.sqlite"
    path.write_text("hello")
    code, _out, err = call("--db", str(path), "backup")
    assert code == 2 and "crmdesk" in err and "数据库" in err


def test_export_customers_and_template(tmp_path):
    from openpyxl import load_workbook
    path = tmp_path / "crm.sqlite"
    make_db(path, ["甲公司", "乙公司"])
    code, out, _err = call("--db", str(path), "export", "customers", str(tmp_path / "out.xlsx"), "--lang", "en")
    assert code == 0 and "Exported 2 customers" in out
    sheet = load_workbook(tmp_path / "out.xlsx").active
    assert sheet["A1"].value == "Customer No." and sheet["B2"].value == "甲公司"  # pinyin order: jia before yi
    code, _out, _err = call("template", "customers", str(tmp_path / "template.xlsx"), "--lang", "zh")
    assert code == 0
    assert load_workbook(tmp_path / "template.xlsx").active["B1"].value == "客户名称"


def test_export_to_a_folder_that_does_not_exist(tmp_path):
    path = tmp_path / "crm.sqlite"
    make_db(path)
    code, _out, err = call("--db", str(path), "export", "customers", str(tmp_path / "no" / "such" / "out.xlsx"))
    assert code == 2 and "cannot write" in err


def test_db_option_after_the_command(tmp_path):
    path = tmp_path / "crm.sqlite"
    make_db(path)
    code, out, _err = call("backup", str(tmp_path / "copy.sqlite"), "--db", str(path))
    assert code == 0 and "crm.sqlite" in out


def test_demo_with_a_bad_count_creates_no_file(tmp_path):
    path = tmp_path / "never.sqlite"
    code, _out, err = call("--db", str(path), "demo", "--customers", "0")
    assert code == 2 and "1" in err
    assert not path.exists()


def test_backup_to_a_folder_is_a_sentence(tmp_path):
    path = tmp_path / "crm.sqlite"
    make_db(path)
    folder = tmp_path / "somewhere"
    folder.mkdir()
    code, _out, err = call("--db", str(path), "backup", str(folder))
    assert code == 2 and err.count("\n") == 1


def test_demo_without_visits(tmp_path):
    path = tmp_path / "big.sqlite"
    code, out, _err = call("--db", str(path), "demo", "--customers", "40", "--no-visits")
    assert code == 0 and "Created 40 customers" in out and "past and planned" not in out
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM visit").fetchone()[0] == 0
        assert conn.execute("SELECT count(DISTINCT owner) FROM customer").fetchone()[0] == 3
    code, out, _err = call("--db", str(tmp_path / "full.sqlite"), "demo", "--customers", "40")
    assert code == 0 and "visits, past and planned" in out
