"""Issue 21, "Keep every value", the small ones: a sheet that only updates, an import that
changed nothing leaves no batch, ``crmdesk imports``, and the day-first hint before the rows."""
from __future__ import annotations

from crmdesk.core.db import close_database, open_database
from crmdesk.core.models import Batch, Customer
from crmdesk.core.customers import archive as customers
from tests.core.imports.test_import_bad_values import sheet
from tests.cli.test_cli import call


def seed(db):
    open_database(db)
    try:
        customers.create({"name": "上海明华贸易有限公司", "code": "C000001", "city": "上海"})
    finally:
        close_database()


def test_a_sheet_that_only_updates(tmp_path):
    db = tmp_path / "crm.sqlite"
    seed(db)
    path = sheet(tmp_path / "cities.xlsx", [["客户编号", "城市"], ["C000001", "苏州"], ["C999999", "北京"]])
    code, out, _err = call("--db", str(db), "import", "customers", str(path))
    assert code == 3
    lines = out.splitlines()
    assert lines[0] == "created 0, updated 1, skipped 0, rejected 1"
    assert lines[2] == ("row 3: 客户编号: No customer has the number C999999 yet, and a new customer needs a name: "
                        "add its name to the row, or correct the number.") or lines[2].startswith("row 3: ")
    open_database(db)
    try:
        assert Customer.get(Customer.code == "C000001").city == "苏州"
        assert Customer.select().count() == 1
    finally:
        close_database()


def test_an_import_that_changed_nothing_leaves_no_batch(tmp_path):
    db = tmp_path / "crm.sqlite"
    seed(db)
    path = sheet(tmp_path / "same.xlsx", [["客户编号", "客户名称", "城市"], ["C000001", "上海明华贸易有限公司", "上海"]])
    code, out, _err = call("--db", str(db), "import", "customers", str(path))
    assert code == 0
    assert out.splitlines()[:2] == ["created 0, updated 0, skipped 1, rejected 0", "batch: -"]
    open_database(db)
    try:
        assert Batch.select().where(Batch.kind == "import").count() == 0
    finally:
        close_database()
    code, _out, err = call("--db", str(db), "undo-import")
    assert code == 2 and "There is no import to undo" in err


def test_imports_lists_the_recent_ones(tmp_path):
    db = tmp_path / "crm.sqlite"
    seed(db)
    first = sheet(tmp_path / "a.xlsx", [["客户名称", "城市"], ["甲公司", "北京"], ["乙公司", "上海"]])
    second = sheet(tmp_path / "b.xlsx", [["客户编号", "城市"], ["C000001", "杭州"]])
    call("--db", str(db), "import", "customers", str(first))
    call("--db", str(db), "import", "customers", str(second))
    call("--db", str(db), "undo-import")
    code, out, _err = call("--db", str(db), "imports")
    assert code == 0
    newest, oldest = out.splitlines()
    assert newest.split("\t")[2:] == ["customers", "b.xlsx", "created 0, updated 1", "undone"]
    assert oldest.split("\t")[2:] == ["customers", "a.xlsx", "created 2, updated 0"]
    import datetime as dt
    pinned = dt.datetime(2026, 12, 4, 10, 0).astimezone(dt.timezone.utc)  # tests/conftest.py's "now", local
    assert oldest.split("\t")[1] == f"{pinned:%Y-%m-%d %H:%M}"  # shown in UTC, as stored


def test_the_day_first_hint_comes_before_the_rows(tmp_path):
    import io
    from crmdesk.cli import run
    rows = [["客户名称", "日期", "金额"]] + [[f"客户{i}", f"{13 + i % 15}-01-17", 100] for i in range(30)]
    path = sheet(tmp_path / "dmy.xlsx", rows)  # 16-01-17: the 16th of January, as superstore-variant writes
    writes = []

    class Stream(io.StringIO):
        def __init__(self, name):
            super().__init__()
            self.name = name

        def write(self, text):
            writes.append((self.name, text))
            return super().write(text)
    out, err = Stream("out"), Stream("err")
    assert run(["--db", str(tmp_path / "crm.sqlite"), "import", "transactions", str(path)], out, err) == 3
    hint = next(i for i, (name, text) in enumerate(writes) if name == "err" and "day first" in text)
    first_row = next(i for i, (name, text) in enumerate(writes) if name == "out" and text.startswith("row "))
    assert hint < first_row
    assert err.getvalue().count("day first") == 1
