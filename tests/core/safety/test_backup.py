"""Backups: consistent, checked copies; rotating automatic generations; restore that checks
the file first, keeps the data it replaces, and leaves a usable database."""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import sqlite3
import types
from pathlib import Path

import pytest

from crmdesk import paths
from crmdesk.core import db as dbmod
from crmdesk.core import migrations
from crmdesk.core.errors import CrmError
from crmdesk.core.models import Customer
from crmdesk.core.progress import Cancelled
from crmdesk.core.safety import backup, generations, restoring
from crmdesk.core.customers import archive as customers


def names_in(path: Path) -> list[str]:
    uri = f"{Path(path).resolve().as_uri()}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as conn:
        return [r[0] for r in conn.execute("SELECT name FROM customer ORDER BY id")]


def quick_check(path: Path) -> str:
    with contextlib.closing(sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)) as conn:
        return conn.execute("PRAGMA quick_check").fetchone()[0]


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.fixture
def filled(db, db_path):
    for name in ("北京华润", "上海华联", "阿里巴巴"):
        customers.create({"name": name})
    return db_path


@pytest.fixture
def clock(monkeypatch):
    """A clock for backup names that moves one second per call: generations are distinct
    and ordered without sleeping."""
    start = dt.datetime(2026, 1, 1, 9, 0, 0)
    ticks = {"n": 0}

    class FakeDateTime(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            ticks["n"] += 1
            return start + dt.timedelta(seconds=ticks["n"])

    monkeypatch.setattr(backup, "dt", types.SimpleNamespace(datetime=FakeDateTime))
    return ticks


# ---------------------------------------------------------------- backup

def test_backup_is_a_checked_copy_with_the_data(filled, tmp_path):
    target = tmp_path / "copies" / "b.sqlite"
    result = backup.backup(filled, target)
    assert result == target and target.is_file()
    assert quick_check(target) == "ok"
    assert names_in(target) == ["北京华润", "上海华联", "阿里巴巴"]   # committed data still in the WAL
    assert generations.check_backup_file(target) == migrations.latest_version()
    assert target.read_bytes()[18:20] == b"\x01\x01"                # one self-contained file
    assert not Path(str(target) + "-wal").exists()
    assert [p.name for p in target.parent.iterdir()] == ["b.sqlite"]  # no temporary left


def test_backup_default_name_is_beside_the_database(filled):
    result = backup.backup(filled)
    assert result.parent == filled.parent
    assert result.name.startswith(f"{filled.stem}-backup-") and result.suffix == ".sqlite"
    assert names_in(result) == names_in(filled)


def test_backup_leaves_the_live_database_usable(filled, tmp_path):
    backup.backup(filled, tmp_path / "b.sqlite")
    customers.create({"name": "之后"})
    assert customers.count() == 4
    assert names_in(tmp_path / "b.sqlite")[-1] == "阿里巴巴"


def test_backup_overwrites_target_atomically(filled, tmp_path):
    target = tmp_path / "b.sqlite"
    target.write_text("old contents")
    backup.backup(filled, target)
    assert quick_check(target) == "ok"


def test_backup_reports_progress_and_can_be_cancelled(db, db_path, tmp_path):
    db.execute_sql("CREATE TABLE filler (x TEXT)")
    with db.atomic():
        db.execute_sql("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                       "WHERE i < 2500) INSERT INTO filler SELECT printf('%.4000c', 'x') FROM n")
    calls = []
    backup.backup(db_path, tmp_path / "full.sqlite", progress=lambda d, t, m: calls.append((d, t)))
    assert len(calls) >= 2
    assert calls[-1][0] == calls[-1][1]
    assert [d for d, _t in calls] == sorted(d for d, _t in calls)

    def cancel(done, total, message):
        raise Cancelled()

    target = tmp_path / "cancelled" / "c.sqlite"
    with pytest.raises(Cancelled):
        backup.backup(db_path, target, progress=cancel)
    assert not target.exists()
    assert list(target.parent.iterdir()) == []                       # temporary removed


# ---------------------------------------------------------------- automatic generations

def test_automatic_backup_in_data_folder(filled, data_dir, clock):
    made = backup.automatic_backup(filled, reason="manual-test")
    assert made.parent == paths.backups_dir(filled)
    assert data_dir in made.parents
    assert made.name.endswith("-manual-test.sqlite")
    assert names_in(made) == names_in(filled)
    assert generations.list_automatic(filled) == [made]


def test_automatic_backup_keeps_only_the_newest_generations(filled, clock):
    made = [backup.automatic_backup(filled, reason="daily") for _i in range(backup.KEEP_AUTOMATIC + 4)]
    kept = generations.list_automatic(filled)
    assert len(kept) == backup.KEEP_AUTOMATIC
    assert kept == list(reversed(made[-backup.KEEP_AUTOMATIC:]))      # newest first
    for old in made[:4]:
        assert not old.exists()
    assert all(quick_check(p) == "ok" for p in kept)


def test_automatic_rotation_ignores_other_files(filled, clock):
    folder = paths.backups_dir(filled)
    folder.mkdir(parents=True)
    (folder / "README.txt").write_text("keep me")
    for i in range(backup.KEEP_AUTOMATIC + 2):
        backup.automatic_backup(filled)
    assert (folder / "README.txt").read_text() == "keep me"


# ---------------------------------------------------------------- checking a backup file

def test_check_backup_file_accepts_a_backup(filled, tmp_path):
    copy = backup.backup(filled, tmp_path / "b.sqlite")
    assert generations.check_backup_file(copy) == migrations.latest_version()


def test_check_backup_file_refuses_missing(tmp_path):
    with pytest.raises(CrmError) as info:
        generations.check_backup_file(tmp_path / "none.sqlite")
    assert info.value.code == "file_missing"


def test_check_backup_file_refuses_non_sqlite(tmp_path):
    path = tmp_path / "x.sqlite"
    path.write_text("hello, not a database")
    before = digest(path)
    with pytest.raises(CrmError) as info:
        generations.check_backup_file(path)
    assert info.value.code == "restore_not_crmdesk"
    assert digest(path) == before


def test_check_backup_file_refuses_other_programs_sqlite(tmp_path):
    path = tmp_path / "other.sqlite"
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
    before = digest(path)
    with pytest.raises(CrmError) as info:
        generations.check_backup_file(path)
    assert info.value.code == "restore_not_crmdesk"
    assert digest(path) == before


def test_check_backup_file_refuses_too_new(filled, tmp_path):
    copy = backup.backup(filled, tmp_path / "b.sqlite")
    newer = migrations.latest_version() + 1
    with contextlib.closing(sqlite3.connect(copy)) as conn:
        conn.execute(f"PRAGMA user_version = {newer}")
        conn.commit()
    before = digest(copy)
    with pytest.raises(CrmError) as info:
        generations.check_backup_file(copy)
    assert info.value.code == "restore_too_new"
    assert info.value.params["version"] == newer
    assert info.value.params["supported"] == migrations.latest_version()
    assert digest(copy) == before


def test_check_backup_file_refuses_damaged(tmp_path):
    path = tmp_path / "damaged.sqlite"
    path.write_bytes(b"SQLite format 3\x00" + b"\xab" * 5000)
    with pytest.raises(CrmError) as info:
        generations.check_backup_file(path)
    assert info.value.code == "restore_damaged"


# ---------------------------------------------------------------- restore

def test_restore_replaces_data_and_keeps_the_previous(filled, tmp_path, clock):
    saved = backup.backup(filled, tmp_path / "saved.sqlite")
    customers.create({"name": "备份后"})
    customers.update(Customer.get(Customer.name == "北京华润").id, {"city": "北京"})
    assert customers.count() == 4

    kept = restoring.restore(saved, filled)

    # the live database is the backup's data and is open again
    assert dbmod.current_path() == filled
    assert [c.name for c in Customer.select().order_by(Customer.id)] == ["北京华润", "上海华联", "阿里巴巴"]
    assert Customer.get(Customer.name == "北京华润").city == ""
    # a copy of what was replaced is kept
    assert kept is not None and kept.is_file()
    assert "before-restore" in kept.name
    assert kept in generations.list_automatic(filled)
    assert names_in(kept) == ["北京华润", "上海华联", "阿里巴巴", "备份后"]
    # the source is untouched, the database usable and sound
    assert names_in(saved) == ["北京华润", "上海华联", "阿里巴巴"]
    new_id, _ = customers.create({"name": "恢复后"})
    assert customers.get(new_id).code == "C000004"
    customers.update(new_id, {"city": "杭州"})
    db = dbmod.open_database(filled)
    assert db.execute_sql("PRAGMA quick_check").fetchone()[0] == "ok"
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert customers.count() == 4


def test_restore_search_works_after(filled, tmp_path):
    from crmdesk.core.customers import list as customer_list
    saved = backup.backup(filled, tmp_path / "saved.sqlite")
    restoring.restore(saved, filled)
    found = list(customer_list.ids(customer_list.ListQuery(search="bjhr")))
    assert [customers.get(i).name for i in found] == ["北京华润"]


def test_restore_of_a_bad_file_changes_nothing(filled, tmp_path):
    bad = tmp_path / "bad.sqlite"
    bad.write_text("not a backup")
    with pytest.raises(CrmError) as info:
        restoring.restore(bad, filled)
    assert info.value.code == "restore_not_crmdesk"
    assert dbmod.current_path() == filled
    assert customers.count() == 3
    assert generations.list_automatic(filled) == []


def test_restore_while_closed(filled, tmp_path):
    saved = backup.backup(filled, tmp_path / "saved.sqlite")
    customers.create({"name": "备份后"})
    dbmod.close_database()
    restoring.restore(saved, filled)
    assert names_in(filled) == ["北京华润", "上海华联", "阿里巴巴"]
    dbmod.open_database(filled)
    assert customers.count() == 3


def test_restore_to_a_new_path(filled, tmp_path):
    saved = backup.backup(filled, tmp_path / "saved.sqlite")
    target = tmp_path / "elsewhere" / "restored.sqlite"
    target.parent.mkdir()
    kept = restoring.restore(saved, target)
    assert kept is None
    assert names_in(target) == ["北京华润", "上海华联", "阿里巴巴"]
    assert dbmod.current_path() == filled                            # the open one is untouched
    assert customers.count() == 3


# ---------------------------------------------------------------- the daily generation

def test_daily_backup_is_due_by_the_stamp_in_its_name_not_the_file_time(filled, time_machine):
    first = backup.backup_if_due(filled)
    assert first is not None and generations.kind_of(first) == "daily"
    assert backup.backup_if_due(filled) is None                      # the same day
    time_machine.move_to(dt.datetime(2026, 12, 5, 9, 59).astimezone(), tick=False)
    assert backup.backup_if_due(filled) is None                      # not yet a day
    # the file system's clock is not faked: the file's time says nothing about "a day ago"
    time_machine.move_to(dt.datetime(2026, 12, 5, 10, 1).astimezone(), tick=False)
    second = backup.backup_if_due(filled)
    assert second is not None and generations.made_at(second) == dt.datetime(2026, 12, 5, 10, 1)


def test_other_kinds_do_not_stand_in_for_the_daily_backup(filled):
    backup.automatic_backup(filled, reason="before-restore")
    made = backup.backup_if_due(filled)
    assert made is not None and generations.kind_of(made) == "daily"
