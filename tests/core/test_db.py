"""open_database: bad input refused with a CrmError code and the file left byte for byte as it
was; a new database's settings; migrations back up first and run in one transaction."""
from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import sys
import types
from pathlib import Path

import pytest

from crmdesk.core import db as dbmod
from crmdesk.core import migrations
from crmdesk.core.db import close_database, open_database
from crmdesk.core.errors import CrmError
from crmdesk.core.safety import generations
from crmdesk.core.customers import archive as customers


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def refuse(path, code: str, **kwargs) -> CrmError:
    with pytest.raises(CrmError) as info:
        open_database(path, **kwargs)
    assert info.value.code == code, info.value
    assert "path" in info.value.params
    return info.value


def make_crmdesk_db(path: Path, customer: str = "北京华润") -> None:
    open_database(path)
    customers.create({"name": customer})
    close_database()


def set_pragma(path: Path, pragma: str, journal: str = "delete") -> None:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute(f"PRAGMA journal_mode={journal}")
        conn.execute(f"PRAGMA {pragma}")
        conn.commit()


def folder_listing(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


@pytest.fixture(autouse=True)
def _close():
    yield
    close_database()


# ---------------------------------------------------------------- refusals

def test_text_file_is_not_sqlite(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("客户名单\nthis is not a database\n", encoding="utf-8")
    before = digest(path)
    refuse(path, "db_not_sqlite")
    assert digest(path) == before
    assert folder_listing(tmp_path) >= {"notes.sqlite"}
    assert not (tmp_path / "notes.sqlite-wal").exists()


def test_short_binary_file_is_not_sqlite(tmp_path):
    path = tmp_path / "x.sqlite"
    path.write_bytes(b"PK\x03\x04" + bytes(range(256)))
    before = digest(path)
    refuse(path, "db_not_sqlite")
    assert digest(path) == before


@pytest.mark.parametrize("journal", ["delete", "wal"])
def test_other_programs_sqlite_is_refused(tmp_path, journal):
    path = tmp_path / "other.sqlite"
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute(f"PRAGMA journal_mode={journal}")
        conn.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT)")
        conn.execute("INSERT INTO orders (item) VALUES ('tea')")
        conn.commit()
    before = digest(path)
    refuse(path, "db_not_crmdesk")
    assert digest(path) == before
    with contextlib.closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT item FROM orders").fetchall() == [("tea",)]
        assert conn.execute("PRAGMA application_id").fetchone()[0] == 0


@pytest.mark.parametrize("journal", ["delete", "wal"])
def test_newer_crmdesk_database_is_refused(tmp_path, journal):
    path = tmp_path / "new.sqlite"
    make_crmdesk_db(path)
    newer = migrations.latest_version() + 1
    set_pragma(path, f"user_version = {newer}", journal)
    before = digest(path)
    error = refuse(path, "db_too_new")
    assert error.params["version"] == newer
    assert error.params["supported"] == migrations.latest_version()
    assert digest(path) == before
    assert not list(Path(os.environ["CRMDESK_DATA_DIR"]).glob("backups/**/*.sqlite"))


@pytest.mark.parametrize("kind", ["crmdesk-too-new", "other-program"])
def test_refusing_a_wal_database_leaves_no_files_behind(tmp_path, kind):
    folder = tmp_path / "docs"
    folder.mkdir()
    path = folder / "x.sqlite"
    if kind == "crmdesk-too-new":
        make_crmdesk_db(path)
        set_pragma(path, f"user_version = {migrations.latest_version() + 1}", "wal")
    else:
        with contextlib.closing(sqlite3.connect(path)) as conn:
            conn.execute("PRAGMA journal_mode=wal")
            conn.execute("CREATE TABLE t (x)")
            conn.commit()
    before = folder_listing(folder)
    with pytest.raises(CrmError):
        open_database(path)
    assert folder_listing(folder) == before, (
        "BUG: db.schema_version's read-only probe of a WAL-mode file leaves "
        f"{sorted(folder_listing(folder) - before)} beside a database it refuses "
        "('touching nothing', DESIGN §4)")


def test_directory_is_refused(tmp_path):
    folder = tmp_path / "a-folder.sqlite"
    folder.mkdir()
    (folder / "keep.txt").write_text("x")
    refuse(folder, "db_is_directory")
    assert folder_listing(folder) == {"keep.txt"}


@pytest.mark.parametrize("garbage", [os.urandom(8000), b"\x00" * 4080, b"\xff" * 100])
def test_sqlite_magic_with_garbage_is_corrupt(tmp_path, garbage):
    path = tmp_path / "broken.sqlite"
    path.write_bytes(b"SQLite format 3\x00" + garbage)
    before = digest(path)
    refuse(path, "db_corrupt")
    assert digest(path) == before


def test_truncated_crmdesk_database_is_refused(tmp_path):
    path = tmp_path / "cut.sqlite"
    make_crmdesk_db(path)
    set_pragma(path, "user_version", "delete")
    data = path.read_bytes()
    path.write_bytes(data[:100] + os.urandom(len(data) - 100))
    before = digest(path)
    with pytest.raises(CrmError) as info:
        open_database(path)
    assert info.value.code in ("db_corrupt", "db_not_crmdesk", "db_damaged_no_backup")
    assert digest(path) == before


def test_path_under_a_file_is_unwritable(tmp_path):
    parent = tmp_path / "plain.txt"
    parent.write_text("I am a file")
    refuse(parent / "crm.sqlite", "db_unwritable")
    assert parent.read_text() == "I am a file"


def test_path_in_a_missing_folder_is_unwritable(tmp_path):
    refuse(tmp_path / "no" / "such" / "crm.sqlite", "db_unwritable")
    assert not (tmp_path / "no").exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs /proc")
def test_path_under_proc_self_is_unwritable():
    refuse(Path("/proc/self/crm.sqlite"), "db_unwritable")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs /proc and /sys")
@pytest.mark.parametrize("folder", ["/proc", "/sys"])
def test_folder_where_no_file_can_be_created_is_unwritable(folder):
    """Root passes os.access() for /proc and /sys, yet no file can be created there: the
    failure to create the database must still be a CrmError, not an sqlite3 traceback."""
    path = Path(folder) / "crmdesk-test.sqlite"
    try:
        open_database(path)
    except CrmError as error:
        assert error.code == "db_unwritable"
    except Exception as error:  # noqa: BLE001
        pytest.fail(f"BUG: open_database({str(path)!r}) raised {type(error).__name__}: {error}; "
                    "expected CrmError('db_unwritable') (db.open_database does not turn a failed "
                    "connect/create into a CrmError)")
    else:
        pytest.fail(f"opened a database at {path}")


def test_folder_without_write_permission(tmp_path):
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("root bypasses folder permissions; see the /proc and under-a-file tests")
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        refuse(folder / "crm.sqlite", "db_unwritable")
        assert folder_listing(folder) == set()
    finally:
        folder.chmod(0o700)


def test_read_only_existing_file(tmp_path):
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("root bypasses file permissions")
    path = tmp_path / "ro.sqlite"
    make_crmdesk_db(path)
    path.chmod(0o400)
    before = digest(path)
    try:
        refuse(path, "db_unwritable")
        assert digest(path) == before
    finally:
        path.chmod(0o600)


def test_missing_file_without_create(tmp_path):
    refuse(tmp_path / "none.sqlite", "db_missing", create=False)
    assert not (tmp_path / "none.sqlite").exists()


def test_network_share_detection(tmp_path, monkeypatch):
    assert dbmod._on_network_share(Path("//server/share/crm.sqlite"))
    assert dbmod._on_network_share("\\\\server\\share\\crm.sqlite")  # type: ignore[arg-type]
    if dbmod._on_network_share(tmp_path / "crm.sqlite"):
        pytest.skip("the temporary folder itself is on a network share")
    monkeypatch.setattr(dbmod, "_on_network_share", lambda path: True)
    refuse(tmp_path / "crm.sqlite", "db_network_share")
    assert not (tmp_path / "crm.sqlite").exists()


def test_a_refused_file_leaves_the_open_database_usable(db, db_path, tmp_path):
    customers.create({"name": "留下"})
    bad = tmp_path / "bad.sqlite"
    bad.write_text("nope")
    refuse(bad, "db_not_sqlite")
    assert dbmod.current_path() == db_path
    assert customers.count() == 1


# ---------------------------------------------------------------- a new database

def test_new_database_settings(db, db_path):
    pragma = lambda name: db.execute_sql(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
    assert pragma("journal_mode") == "wal"
    assert pragma("foreign_keys") == 1
    assert pragma("application_id") == migrations.APPLICATION_ID
    assert pragma("user_version") == migrations.latest_version()
    assert pragma("synchronous") == 1                                 # NORMAL
    assert pragma("busy_timeout") == 5000
    assert pragma("quick_check") == "ok"
    assert dbmod.current_path() == db_path


def test_new_database_settings_seen_by_another_connection(db, db_path):
    close_database()
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # persistent
        assert conn.execute("PRAGMA application_id").fetchone()[0] == migrations.APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.latest_version()


def test_foreign_keys_are_enforced(db):
    with pytest.raises(Exception):
        db.execute_sql("INSERT INTO customer_tag (customer_id, tag) VALUES (999, 'x')")


def test_new_database_makes_no_backup(db, db_path):
    assert generations.list_automatic(db_path) == []


def test_empty_file_becomes_a_new_database(tmp_path):
    path = tmp_path / "empty.sqlite"
    path.touch()
    open_database(path)
    assert customers.count() == 0
    close_database()
    assert digest(path) != hashlib.sha256(b"").hexdigest()


def test_reopen_keeps_data(db_path):
    make_crmdesk_db(db_path, "北京华润")
    open_database(db_path)
    assert [c.name for c in customers.Customer.select()] == ["北京华润"]


def test_migrations_are_numbered_from_one():
    numbers = [number for number, _module in migrations.available()]
    assert numbers == list(range(1, len(numbers) + 1))
    assert migrations.latest_version() == numbers[-1]
    assert migrations.pending(numbers[-1]) == []
    assert [n for n, _ in migrations.pending(0)] == numbers


# ---------------------------------------------------------------- migrating an older database

@pytest.fixture
def next_migration(monkeypatch):
    """Pretend this crmdesk has one more migration than the files on disk, from the moment
    the test calls ``state["enable"]()`` (databases made before are at the real version)."""
    real = migrations.available()
    latest = real[-1][0]
    state = {"fail": False, "old": latest}

    def up(database):
        database.execute_sql("CREATE TABLE visit_test (id INTEGER PRIMARY KEY, note TEXT)")
        database.execute_sql("ALTER TABLE customer ADD COLUMN visit_test_flag INTEGER")
        if state["fail"]:
            raise RuntimeError("migration failed half way")

    module = types.ModuleType(f"crmdesk.core.migrations.{latest + 1:04d}_test")
    module.up = up
    state["enable"] = lambda: monkeypatch.setattr(migrations, "available",
                                                   lambda: real + [(latest + 1, module)])
    return state


def tables(path: Path) -> set[str]:
    with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def version(path: Path) -> int:
    with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        return conn.execute("PRAGMA user_version").fetchone()[0]


def test_older_database_is_backed_up_then_migrated(db_path, next_migration):
    old = next_migration["old"]
    make_crmdesk_db(db_path, "迁移前")
    next_migration["enable"]()
    open_database(db_path)
    assert version(db_path) == old + 1
    assert "visit_test" in tables(db_path)
    assert [c.name for c in customers.Customer.select()] == ["迁移前"]
    kept = generations.list_automatic(db_path)
    assert len(kept) == 1
    assert f"before-migration-{old}" in kept[0].name
    assert generations.check_backup_file(kept[0]) == old
    assert "visit_test" not in tables(kept[0])
    with contextlib.closing(sqlite3.connect(kept[0])) as conn:
        assert conn.execute("SELECT name FROM customer").fetchall() == [("迁移前",)]


def test_migration_without_backup_when_asked(db_path, next_migration):
    make_crmdesk_db(db_path)
    next_migration["enable"]()
    open_database(db_path, backup_before_migrate=False)
    assert generations.list_automatic(db_path) == []
    assert "visit_test" in tables(db_path)


def test_failed_migration_changes_nothing(db_path, next_migration):
    old = next_migration["old"]
    make_crmdesk_db(db_path, "原样")
    next_migration["enable"]()
    next_migration["fail"] = True
    with pytest.raises(Exception):
        open_database(db_path)
    assert version(db_path) == old
    assert "visit_test" not in tables(db_path)
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        columns = [r[1] for r in conn.execute("PRAGMA table_info(customer)")]
        assert "visit_test_flag" not in columns
        assert conn.execute("SELECT name FROM customer").fetchall() == [("原样",)]
    assert len(generations.list_automatic(db_path)) == 1
    next_migration["fail"] = False
    open_database(db_path)
    assert version(db_path) == old + 1


def test_migrate_function_directly(db, next_migration):
    next_migration["enable"]()
    latest = migrations.latest_version()
    assert dbmod.migrate() == latest                                  # applies the new one
    assert dbmod.migrate() == latest                                  # nothing to do
    assert db.execute_sql("PRAGMA user_version").fetchone()[0] == latest
    assert db.execute_sql("SELECT count(*) FROM visit_test").fetchone()[0] == 0
