"""Two writers at once (the app and the command line) must wait for each other, never fail
with "database is locked" (DESIGN §4: WAL, busy_timeout 5 s, BEGIN IMMEDIATE). No sleeps
and no wall-clock assertions: events and barriers order the steps."""
from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from crmdesk.core import db as dbmod
from crmdesk.core.models import Customer, Setting
from crmdesk.core.customers import archive as customers

ROUNDS = 60
PROJECT = Path(__file__).resolve().parents[2]


def cli_connection(path: Path) -> sqlite3.Connection:
    """What another process would open: its own connection, busy_timeout 5000."""
    conn = sqlite3.connect(path, timeout=5, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout = 5000")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def test_write_transactions_take_the_write_lock_at_begin(db, db_path):
    """A transaction that only reads so far already holds the write lock (BEGIN IMMEDIATE),
    so it can never fail later when upgrading from a read to a write."""
    customer_id, _ = customers.create({"name": "a"})
    with contextlib.closing(sqlite3.connect(db_path, timeout=0, isolation_level=None)) as other:
        other.execute("PRAGMA busy_timeout = 0")
        with dbmod.transaction():
            customers.get(customer_id)                                # a read, no write yet
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")                              # free once committed
        other.execute("ROLLBACK")


def test_service_write_waits_for_a_held_lock(db, db_path):
    """The other process holds the write lock when the app starts to save: the save waits
    and succeeds."""
    customer_id, _ = customers.create({"name": "a"})
    locked, app_saving, errors = threading.Event(), threading.Event(), []

    def other_process():
        try:
            with contextlib.closing(cli_connection(db_path)) as conn:
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("UPDATE customer SET notes = 'from cli' WHERE id = ?", (customer_id,))
                locked.set()
                app_saving.wait(10)
                # keep the lock through some real work while the app's write is waiting
                conn.execute("CREATE TEMP TABLE busy (x)")
                conn.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                             "WHERE i < 20000) INSERT INTO busy SELECT i FROM n")
                conn.execute("COMMIT")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
            locked.set()

    thread = threading.Thread(target=other_process)
    thread.start()
    assert locked.wait(10)
    app_saving.set()
    customers.update(customer_id, {"city": "上海"})                   # waits, then saves
    thread.join(10)
    assert not thread.is_alive()
    assert errors == []
    saved = customers.get(customer_id)
    assert (saved.city, saved.notes) == ("上海", "from cli")         # neither write lost


def test_app_and_cli_writing_at_once(db, db_path):
    """A thread with its own plain connection writes in a loop while the main thread creates
    and updates customers through the services: both finish, nothing is lost."""
    target, _ = customers.create({"name": "共享"})
    start = threading.Barrier(2, timeout=10)
    errors: list[BaseException] = []

    def cli_writer():
        try:
            with contextlib.closing(cli_connection(db_path)) as conn:
                start.wait()
                for i in range(ROUNDS):
                    conn.execute("BEGIN IMMEDIATE")
                    conn.execute("UPDATE customer SET notes = notes || 'x' WHERE id = ?", (target,))
                    conn.execute("INSERT INTO setting (key, value) VALUES (?, ?)", (f"cli-{i}", str(i)))
                    conn.execute("COMMIT")
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    thread = threading.Thread(target=cli_writer)
    thread.start()
    start.wait()
    created = []
    for i in range(ROUNDS):
        created.append(customers.create({"name": f"客户{i}", "city": "北京"})[0])
        customers.update(target, {"city": f"城市{i}"})
    thread.join(30)
    assert not thread.is_alive()
    assert errors == [], errors

    assert customers.count() == ROUNDS + 1
    assert Setting.select().count() == ROUNDS
    saved = customers.get(target)
    assert saved.notes == "x" * ROUNDS, "an app save overwrote the other writer's notes"
    assert saved.city == f"城市{ROUNDS - 1}"
    codes = [c.code for c in Customer.select()]
    assert len(codes) == len(set(codes))


SUBPROCESS_WRITER = textwrap.dedent("""
    import sys
    from crmdesk.core.db import open_database, close_database
    from crmdesk.core.customers import archive as customers
    open_database(sys.argv[1])
    print("ready", flush=True)
    assert sys.stdin.readline().strip() == "go"
    for i in range(int(sys.argv[2])):
        customers.create({"name": f"cli-{i}", "tags": "cli"})
    close_database()
    print("done", flush=True)
""")


def test_another_process_writing_through_the_services(db, db_path):
    """A second process opens the same file through open_database and creates customers
    while this one does: both finish, codes stay unique."""
    env = dict(os.environ, PYTHONPATH=str(PROJECT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    env.pop("QT_QPA_PLATFORM", None)
    process = subprocess.Popen([sys.executable, "-c", SUBPROCESS_WRITER, str(db_path), str(ROUNDS)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=env, cwd=str(PROJECT))
    try:
        assert process.stdout.readline().strip() == "ready", process.stderr.read()
        process.stdin.write("go\n")
        process.stdin.flush()
        for i in range(ROUNDS):
            customer_id, _ = customers.create({"name": f"app-{i}"})
            customers.update(customer_id, {"city": "杭州"})
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert "database is locked" not in err
    assert out.strip() == "done"
    assert customers.count() == 2 * ROUNDS
    codes = [c.code for c in Customer.select()]
    assert len(set(codes)) == 2 * ROUNDS
    assert sorted(codes) == [f"C{i:06d}" for i in range(1, 2 * ROUNDS + 1)]


IMPORT_ROWS = 1000


def test_the_apps_writer_the_cli_import_and_a_reader_at_once(db, db_path, tmp_path):
    """The app's writer (a thread saving a customer and a visit in one transaction, over and
    over), ``crmdesk import`` in a process of its own and a reader, all while the import
    runs: nobody sees "database is locked", nothing is lost, the indexes stay sound."""
    import datetime as dt

    from crmdesk.core.visits import visits

    sheet = tmp_path / "in.csv"
    sheet.write_text("客户名称,手机,城市\n" + "".join(f"导入{i},139{i:08d},南京\n" for i in range(IMPORT_ROWS)),
                     encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(PROJECT), CRMDESK_DATA_DIR=str(tmp_path / "data"))
    env.pop("QT_QPA_PLATFORM", None)
    process = subprocess.Popen([sys.executable, "-m", "crmdesk", "--db", str(db_path), "import", "customers",
                                str(sheet)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=env, cwd=str(PROJECT))
    written, errors = [], []
    start = dt.datetime(2026, 12, 7, 9, 0)

    def app_writer():
        try:
            while process.poll() is None or len(written) < 20:
                with dbmod.transaction():
                    cid, _ = customers.create({"name": f"应用{len(written)}", "city": "北京"})
                    at = start + dt.timedelta(hours=len(written))
                    visits.create({"customer_id": cid, "starts_at": at, "ends_at": at + dt.timedelta(minutes=30),
                                   "kind": "first_visit", "objective": "了解需求"})
                written.append(cid)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            dbmod.database.close()  # this thread's own connection

    thread = threading.Thread(target=app_writer)
    thread.start()
    reads = 0
    try:
        while process.poll() is None or reads < 20:
            assert customers.count() >= 0
            assert Customer.select().where(Customer.name.contains("导入")).count() in (0, IMPORT_ROWS)
            reads += 1
        out, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        thread.join(60)
    assert not thread.is_alive()
    assert errors == [], errors
    assert "locked" not in err and "busy" not in err
    assert process.returncode == 0, err
    assert out.startswith(f"created {IMPORT_ROWS}, updated 0")
    assert customers.count() == IMPORT_ROWS + len(written)
    assert dbmod.database.execute_sql("SELECT count(*) FROM visit").fetchone()[0] == len(written)
    codes = [c.code for c in Customer.select()]
    assert len(codes) == len(set(codes))
    for fts in ("customer_fts", "customer_words"):
        dbmod.database.execute_sql(f"INSERT INTO {fts}({fts}, rank) VALUES ('integrity-check', 1)")
    assert dbmod.database.execute_sql("PRAGMA foreign_key_check").fetchall() == []


@contextlib.contextmanager
def held_write_lock(db_path: Path):
    """Another program's long write: BEGIN IMMEDIATE and a row written, not committed yet."""
    with contextlib.closing(cli_connection(db_path)) as other:
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO setting (key, value) VALUES ('other-program', 'kept')")
        yield other
        other.execute("COMMIT")


def digest(path: Path) -> str:
    import hashlib
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_save_while_another_program_writes_past_the_timeout_is_db_busy(db, db_path):
    """Past the busy timeout (made 10 ms here instead of 5 s: no waiting in tests) a save
    says the database is busy, in one sentence; it wrote nothing; once the other program
    is done the same save works and the other program's write is there too."""
    from crmdesk.core.messages import message
    from crmdesk.core.errors import CrmError

    before = customers.count()
    dbmod.database.execute_sql("PRAGMA busy_timeout = 10")
    try:
        with held_write_lock(db_path):
            sha = digest(db_path)
            with pytest.raises(CrmError) as caught:
                customers.create({"name": "等待中"})
            assert caught.value.code == "db_busy"
            assert message(caught.value) == ("The database is busy with another program's long write: "
                                             "try again in a moment.")
            assert digest(db_path) == sha
    finally:
        dbmod.database.execute_sql("PRAGMA busy_timeout = 5000")
    assert customers.count() == before
    customers.create({"name": "等待中"})
    assert customers.count() == before + 1
    assert Setting.get(Setting.key == "other-program").value == "kept"


def test_the_cli_import_while_another_program_writes_past_the_timeout_is_db_busy(db, db_path, tmp_path,
                                                                               monkeypatch):
    import io

    from crmdesk.cli import run
    from crmdesk.core.errors import CrmError
    from crmdesk.core.messages import message

    sheet = tmp_path / "in.csv"
    sheet.write_text("客户名称,手机\n甲,13900000001\n乙,13900000002\n", encoding="utf-8")
    monkeypatch.setitem(dbmod.PRAGMAS, "busy_timeout", 10)
    before = customers.count()
    with held_write_lock(db_path):
        sha = digest(db_path)
        out, err = io.StringIO(), io.StringIO()
        assert run(["--db", str(db_path), "import", "customers", str(sheet)], out, err) == 2
        assert err.getvalue() == message(CrmError("db_busy")) + "\n"
        assert "locked" not in out.getvalue() + err.getvalue()
        assert digest(db_path) == sha
    assert customers.count() == before
    assert run(["--db", str(db_path), "import", "customers", str(sheet)], io.StringIO(), io.StringIO()) == 0
    assert customers.count() == before + 2
    assert Setting.get(Setting.key == "other-program").value == "kept"
