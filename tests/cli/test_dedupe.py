"""``crmdesk duplicates``, ``merge`` and ``undo-merge`` (issue 21): one pair a line, the batch
printed, a merge killed before its commit leaves the database as it was."""
from __future__ import annotations

from python_calamine import CalamineWorkbook

from crmdesk.core.db import close_database, open_database
from crmdesk.core.models import Customer, Visit
from crmdesk.core.customers import archive as customers
from tests.core.safety.test_crash_points import run
from tests.cli.test_cli import call


def seed(db_path):
    open_database(db_path)
    try:
        a = customers.create({"name": "北京华润商贸有限公司", "city": "北京", "code": "C000001", "mobile": "13812345678"})[0]
        customers.create({"name": "华润商贸(北京)有限公司", "city": "北京", "code": "C000002", "mobile": "13812345678"})
        customers.create({"name": "上海明华贸易", "code": "C000003", "email": "li@minghua.cn"})
        customers.create({"name": "明华商行", "code": "C000004", "email": "li@minghua.cn"})
        customers.create({"name": "无关公司", "code": "C000005"})
        return a
    finally:
        close_database()


def test_duplicates_one_pair_a_line(tmp_path):
    db = tmp_path / "crm.sqlite"
    seed(db)
    code, out, err = call("--db", str(db), "duplicates")
    assert code == 0
    assert out.splitlines() == ["C000001\tC000002\t97\tsame phone, same name",
                                "C000003\tC000004\t85\tsame e-mail"]
    assert err.strip() == "2 pairs of probable duplicates: crmdesk merge KEEP OTHER merges one."
    code, out, _err = call("--db", str(db), "duplicates", "--min-score", "90")
    assert out.splitlines() == ["C000001\tC000002\t97\tsame phone, same name"]


def test_duplicates_to_a_workbook(tmp_path):
    db = tmp_path / "crm.sqlite"
    seed(db)
    book = tmp_path / "pairs.xlsx"
    code, _out, _err = call("--db", str(db), "duplicates", "--xlsx", str(book))
    assert code == 0
    rows = CalamineWorkbook.from_path(str(book)).get_sheet_by_index(0).to_python()
    assert rows[0][:3] == ["Customer No.", "Name", "City"]
    assert rows[1][0] == "C000001" and rows[1][3] == "C000002" and rows[1][6] == 97


def test_not_a_duplicate_is_remembered(tmp_path):
    db = tmp_path / "crm.sqlite"
    seed(db)
    code, out, _err = call("--db", str(db), "duplicates", "--not-duplicate", "C000003", "C000004")
    assert code == 0 and "will not be listed as duplicates again" in out
    _code, out, _err = call("--db", str(db), "duplicates")
    assert out.splitlines() == ["C000001\tC000002\t97\tsame phone, same name"]


def test_merge_then_undo(tmp_path):
    db = tmp_path / "crm.sqlite"
    seed(db)
    code, out, _err = call("--db", str(db), "merge", "C000001", "C000002")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Merged C000002 into C000001: 0 records moved to it."
    assert lines[1].startswith("batch: ") and lines[1][7:].isdigit()
    _code, out, _err = call("--db", str(db), "duplicates")
    assert out.splitlines() == ["C000003\tC000004\t85\tsame e-mail"]
    code, out, _err = call("--db", str(db), "undo-merge")
    assert code == 0 and out.strip() == f"Merge {lines[1][7:]} undone: 1 customer back with their own records."
    code, _out, err = call("--db", str(db), "undo-merge")
    assert code == 2 and err.strip() == "There is no merge to undo: every merge has been undone already, or none was made."


def test_merge_names_what_it_cannot_find(tmp_path):
    db = tmp_path / "crm.sqlite"
    seed(db)
    code, _out, err = call("--db", str(db), "merge", "C000001", "C999999")
    assert code == 2
    assert err.strip() == ("No customer has the number or the exact name C999999: give the numbers the customer "
                           "list shows; nothing was merged.")


def test_a_merge_killed_before_its_commit_changes_nothing(tmp_path):
    db = tmp_path / "crm.sqlite"
    keep = seed(db)
    open_database(db)
    try:
        other = Customer.get(Customer.code == "C000002").id
        from crmdesk.core.visits import visits
        import datetime as dt
        visits.create({"customer_id": other, "starts_at": dt.datetime(2026, 12, 10, 10),
                       "ends_at": dt.datetime(2026, 12, 10, 11), "kind": "first_visit", "objective": "了解需求"})
    finally:
        close_database()
    done = run(["--db", str(db), "merge", "C000001", "C000002"], tmp_path, crash="before-commit")
    assert done.returncode != 0
    open_database(db)
    try:
        assert Customer.get_by_id(other).deleted_at is None
        assert Visit.get(Visit.customer == other)
        assert Visit.select().where(Visit.customer == keep).count() == 0
    finally:
        close_database()
