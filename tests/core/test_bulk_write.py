"""The import's writer thread (core/bulk_write.py): statements run in order on the job's
connection and inside its transaction, an error reaches the job's thread, and a failed
job leaves nothing behind. Also the import itself with chunks small enough that later
rows update customers an earlier chunk created while it may still be being written."""
from __future__ import annotations

import sqlite3
import sys

import pytest

from crmdesk.core.bulk_write import BackgroundWrites
from crmdesk.core.db import snapshot_reader, transaction
from crmdesk.core.models import Customer, database
from crmdesk.core.imports import customer_import as CI
from crmdesk.core.imports.options import ImportOptions
from tests.core.imports.test_import_customers import xlsx


@pytest.fixture
def conn():
    connection = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
    connection.execute("CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT NOT NULL)")
    yield connection
    connection.close()


def test_rows_go_in_in_order_in_pieces_below_the_parameter_limit(conn, monkeypatch):
    monkeypatch.setattr("crmdesk.core.bulk_write.MAX_PARAMETERS", 7)  # three rows a statement
    before = sys.getswitchinterval()
    with BackgroundWrites(conn) as writes:
        assert sys.getswitchinterval() <= 0.0002
        writes.insert("INSERT INTO t (a, b) VALUES", [(n, f"r{n}") for n in range(1, 11)])
        writes.wait()
        assert conn.execute("SELECT count(*) FROM t").fetchone()[0] == 10
        writes.insert("INSERT INTO t (a, b) VALUES", [])
    assert sys.getswitchinterval() == before
    assert [r[0] for r in conn.execute("SELECT b FROM t ORDER BY a")] == [f"r{n}" for n in range(1, 11)]


def test_an_error_reaches_the_caller_and_what_follows_is_not_run(conn):
    writes = BackgroundWrites(conn)
    writes.insert("INSERT INTO t (a, b) VALUES", [(1, "x")])
    writes.insert("INSERT INTO t (a, b) VALUES", [(1, "again")])  # the same key
    writes.insert("INSERT INTO t (a, b) VALUES", [(2, "after")])
    with pytest.raises(sqlite3.IntegrityError):
        writes.wait()
    writes.insert("INSERT INTO t (a, b) VALUES", [(3, "later")])
    writes.close()
    assert [r[0] for r in conn.execute("SELECT a FROM t")] == [1]


def test_leaving_with_an_exception_drops_what_is_queued(conn):
    with pytest.raises(KeyError):
        with BackgroundWrites(conn) as writes:
            conn.execute("BEGIN")
            writes.insert("INSERT INTO t (a, b) VALUES", [(n, "x") for n in range(1, 100)])
            raise KeyError("the job failed")
    conn.execute("ROLLBACK")
    assert conn.execute("SELECT count(*) FROM t").fetchone()[0] == 0


def test_the_snapshot_reader_sees_the_last_commit_not_the_open_transaction(db):
    Customer.create(uuid="u1", code="C1", name="before", search_text="before")
    with transaction(), snapshot_reader() as reader:
        Customer.create(uuid="u2", code="C2", name="inside", search_text="inside")
        assert [r[0] for r in reader.execute("SELECT name FROM customer")] == ["before"]
        with pytest.raises(sqlite3.OperationalError):
            reader.execute("DELETE FROM customer")
    assert Customer.select().count() == 2


def test_later_chunks_update_customers_earlier_chunks_created(db, tmp_path, monkeypatch):
    monkeypatch.setattr(CI, "FLUSH", 3)
    rows = [["客户名称", "手机", "城市", "标签"]]
    rows += [[f"客户{n}", f"139{n:08d}", "上海", "老客户"] for n in range(20)]
    rows += [[f"客户{n}", f"139{n:08d}", "杭州", "华东"] for n in range(0, 20, 2)]  # again, moved
    result, _plan = CI.import_file(xlsx(tmp_path / "in.xlsx", rows), ImportOptions())
    assert (result.created, result.updated, result.rejected) == (20, 10, 0)
    cities = {c.name: c.city for c in Customer.select()}
    assert cities["客户0"] == "杭州" and cities["客户1"] == "上海" and len(cities) == 20
    tags = dict(database.execute_sql("SELECT c.name, group_concat(t.tag) FROM customer_tag t "
                                     "JOIN customer c ON c.id = t.customer_id GROUP BY c.id"))
    assert tags["客户0"] == "华东" and tags["客户1"] == "老客户"  # the sheet's tags replace the old


def test_a_failing_write_rolls_the_whole_import_back(db, tmp_path, monkeypatch):
    from crmdesk.core.imports import customer_writer
    monkeypatch.setattr(customer_writer, "_TAG_HEAD", 'INSERT INTO "no_such_table" (a, b) VALUES')
    path = xlsx(tmp_path / "in.xlsx", [["客户名称", "标签"], ["上海明华", "老客户"], ["杭州西湖", "华东"]])
    with pytest.raises(Exception):
        CI.import_file(path, ImportOptions())
    assert Customer.select().count() == 0
    triggers = {r[0] for r in database.execute_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert {"customer_fts_insert", "customer_words_insert"} <= triggers


def test_an_import_into_a_database_in_a_folder_with_spaces_and_chinese_and_a_hash(tmp_path):
    from crmdesk.core.db import close_database, open_database
    folder = tmp_path / "我的 数据 #1?"
    folder.mkdir()
    open_database(folder / "客户 资料.sqlite")
    try:
        customers_before = Customer.select().count()
        path = xlsx(tmp_path / "in.xlsx", [["客户名称", "手机"], ["上海明华", "13912345678"]])
        with snapshot_reader() as reader:
            assert reader is not None  # the snapshot connection found the file
        result, _plan = CI.import_file(path, ImportOptions())
        assert result.created == 1 and Customer.select().count() == customers_before + 1
    finally:
        close_database()


def test_statements_come_in_a_few_shapes_so_few_stay_prepared():
    """Python's sqlite3 keeps the last 128 statements prepared, ~1 MB per thousand rows:
    chunks of every length must not each make a new statement."""
    from crmdesk.core.bulk_write import PARAMETERS, shapes
    for width in (2, 11, 13, 61):
        seen = set()
        for count in range(0, 3000):
            sizes = list(shapes(count, width))
            assert sum(sizes) == count and all(size * width <= PARAMETERS for size in sizes)
            seen.update(sizes)
        assert len(seen) <= 13 and all(size & (size - 1) == 0 for size in seen)  # powers of two
