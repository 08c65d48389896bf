"""``crmdesk import`` / ``undo-import`` / ``export transactions`` / ``template``: the
output and exit status ``spec/cli.md`` defines."""
from __future__ import annotations

import hashlib

from python_calamine import CalamineWorkbook

from crmdesk.core.db import close_database, open_database
from crmdesk.core.models import Customer
from tests.core.imports.test_import_customers import xlsx
from tests.cli.test_cli import call


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def count(db_path):
    open_database(db_path)
    try:
        return Customer.select().count()
    finally:
        close_database()


def test_import_prints_the_summary_the_batch_and_each_rejected_row(tmp_path):
    db = tmp_path / "crm.sqlite"
    path = xlsx(tmp_path / "in.xlsx", [["客户名称", "手机", "邮箱"], ["甲", "13800000001", None],
                                       ["乙", "12", "bad"], ["丙", None, None]])
    code, out, err = call("--db", str(db), "import", "customers", str(path))
    lines = out.splitlines()
    assert code == 3
    assert lines[0] == "created 2, updated 0, skipped 0, rejected 1"
    assert lines[1].startswith("batch: ") and lines[1][7:].isdigit()
    assert lines[2].startswith("row 3: 手机: Too few digits") and lines[3].startswith("row 3: 邮箱: Not an email")
    errors = tmp_path / "in-errors.xlsx"
    assert errors.exists() and str(errors) in err
    rows = CalamineWorkbook.from_path(str(errors)).get_sheet_by_index(0).to_python()
    assert rows[1][:3] == ["乙", "12", "bad"]
    code, out, _ = call("--db", str(db), "undo-import")
    assert code == 0 and "2 customers removed" in out and count(db) == 0


def test_a_clean_import_exits_0_and_a_dry_run_writes_nothing(tmp_path):
    db = tmp_path / "crm.sqlite"
    path = xlsx(tmp_path / "in.xlsx", [["Name", "Mobile"], ["Acme", "13800000001"]])
    code, out, err = call("import", "customers", str(path), "--db", str(db), "--dry-run")
    assert code == 0 and out.splitlines() == ["created 1, updated 0, skipped 0, rejected 0", "batch: -"]
    assert "Dry run" in err and count(db) == 0
    code, out, _ = call("import", "customers", str(path), "--db", str(db))
    assert code == 0 and count(db) == 1


def test_all_or_nothing_imports_nothing_when_a_row_is_bad(tmp_path):
    db = tmp_path / "crm.sqlite"
    path = xlsx(tmp_path / "in.xlsx", [["Name", "Mobile"], ["Acme", "13800000001"], ["Bad", "1"]])
    code, out, err = call("--db", str(db), "import", "customers", str(path), "--all-or-nothing",
                          "--errors", str(tmp_path / "bad.xlsx"))
    assert code == 3 and out.startswith("created 0, updated 0, skipped 1, rejected 1")
    assert (tmp_path / "bad.xlsx").exists() and count(db) == 0


def test_a_file_that_cannot_be_used_exits_2_with_one_sentence_and_changes_nothing(tmp_path):
    db = tmp_path / "crm.sqlite"
    open_database(db)
    close_database()
    before = digest(db)
    for bad in (tmp_path / "missing.xlsx", xlsx(tmp_path / "goods.xlsx", [["名称", "规格", "型号", "颜色"], ["可乐", "1", "2", "3"]])):
        code, out, err = call("--db", str(db), "import", "customers", str(bad))
        assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert digest(db) == before


def test_undo_import_without_an_import_says_so(tmp_path):
    db = tmp_path / "crm.sqlite"
    open_database(db)
    close_database()
    code, _, err = call("--db", str(db), "undo-import")
    assert code == 2 and "no import to undo" in err


def test_export_and_template_transactions(tmp_path):
    db = tmp_path / "crm.sqlite"
    assert call("--db", str(db), "demo", "--customers", "5")[0] == 0
    code, out, _ = call("--db", str(db), "export", "transactions", str(tmp_path / "t.xlsx"), "--lang", "en")
    assert code == 0 and "transactions" in out
    rows = CalamineWorkbook.from_path(str(tmp_path / "t.xlsx")).get_sheet_by_index(0).to_python()
    assert rows[0] == ["Customer No.", "Name", "Date", "Product", "Category", "Quantity", "Amount", "Paid", "Notes"]
    code, _, _ = call("template", "transactions", str(tmp_path / "tpl.xlsx"))
    assert code == 0 and (tmp_path / "tpl.xlsx").exists()


def test_counts_read_as_english_for_one_and_for_many(tmp_path):
    db = tmp_path / "crm.sqlite"
    path = xlsx(tmp_path / "t.xlsx", [["客户名称", "日期", "金额"], ["甲", "2024-01-02", 5]])
    code, _out, err = call("--db", str(db), "import", "transactions", str(path))
    assert code == 0 and "Created 1 customer that was not in the database yet." in err
    code, out, _ = call("--db", str(db), "export", "transactions", str(tmp_path / "one.xlsx"), "--lang", "en")
    assert code == 0 and f"Exported 1 transaction to {tmp_path / 'one.xlsx'}." in out
    code, out, _ = call("--db", str(db), "export", "customers", str(tmp_path / "c.xlsx"), "--lang", "en")
    assert code == 0 and f"Exported 1 customer to {tmp_path / 'c.xlsx'}." in out
    code, out, _ = call("--db", str(db), "undo-import")
    assert code == 0 and out.split(": ", 1)[1] == ("1 customer removed, 0 moved to the trash because they were "
                                                   "edited since, 0 customers put back as they were, "
                                                   "1 transaction removed.\n")

    db = tmp_path / "other.sqlite"
    path = xlsx(tmp_path / "t2.xlsx", [["客户名称", "日期", "金额"], ["乙", "2024-01-02", 5], ["丙", "2024-01-03", 6]])
    code, _out, err = call("--db", str(db), "import", "transactions", str(path))
    assert code == 0 and "Created 2 customers that were not in the database yet." in err
    code, out, _ = call("--db", str(db), "undo-import")
    assert code == 0 and "2 customers removed" in out and "2 transactions removed." in out
