"""Issue 17: damaged backups are refused by restore, a damaged database is noticed on open
and can be restored over, stale temporaries are cleaned, failed upgrades say so, and the
automatic generations are kept per kind."""
from __future__ import annotations

import contextlib
import hashlib
import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from crmdesk import paths, cli
from crmdesk.core import db as dbmod
from crmdesk.core.errors import CrmError
from crmdesk.core.messages import message
from crmdesk.core.safety import damage, integrity
from crmdesk.core.safety import backup, generations, restoring
from crmdesk.core.customers import archive as customers

ROOT = Path(__file__).resolve().parents[2]


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def names_in(path: Path) -> list[str]:
    with contextlib.closing(sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)) as conn:
        return [r[0] for r in conn.execute("SELECT name FROM customer ORDER BY id")]


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def live(db_path):
    dbmod.open_database(db_path)
    for name in ("北京华润", "上海华联", "阿里巴巴"):
        customers.create({"name": name})
    dbmod.close_database()
    return db_path


@pytest.fixture
def saved(live, tmp_path):
    return backup.backup(live, tmp_path / "saved.sqlite")


def altered(source: Path, target: Path, *statements: str) -> Path:
    target.write_bytes(Path(source).read_bytes())
    with contextlib.closing(sqlite3.connect(target)) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        for sql in statements:
            conn.execute(sql)
        conn.commit()
    return target


DAMAGES = {
    "full-text index of rows that do not exist": [
        "INSERT INTO customer_fts(rowid, search_text) VALUES (999, 'ghost row')"],
    "broken full-text index": [
        "UPDATE customer_fts_data SET block = x'00ff00ff' WHERE id = (SELECT max(id) FROM customer_fts_data)"],
    "foreign-key violation": ["INSERT INTO customer_tag (customer_id, tag) VALUES (999, 'x')"],
    "missing care_event": ["DROP TABLE care_event"],
}


def overwrite_pages(path: Path, first: int = 2) -> None:
    """Garbage in pages first..N behind a valid header and schema page."""
    data = bytearray(Path(path).read_bytes())
    start = int.from_bytes(data[16:18], "big") * (first - 1)
    data[start:] = bytes([0xAB]) * (len(data) - start)
    Path(path).write_bytes(bytes(data))


# ---------------------------------------------------------------- the full check

def test_a_real_backup_passes_the_full_check(saved):
    assert integrity.file_problems(saved) == []
    before = digest(saved)
    generations.check_backup_file(saved)
    assert digest(saved) == before                                   # the check writes nothing


@pytest.mark.parametrize("kind", sorted(DAMAGES))
def test_each_damage_is_found_by_the_full_check(saved, tmp_path, kind):
    bad = altered(saved, tmp_path / "bad.sqlite", *DAMAGES[kind])
    with contextlib.closing(sqlite3.connect(bad)) as conn:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"   # what was checked before
    assert integrity.file_problems(bad) != []


@pytest.mark.parametrize("kind", sorted(DAMAGES))
def test_restore_refuses_a_damaged_backup_and_changes_nothing(live, saved, tmp_path, kind):
    bad = altered(saved, tmp_path / "bad.sqlite", *DAMAGES[kind])
    before = digest(live)
    code, out, err = run_cli("restore", str(bad), "--db", str(live))
    assert code == 2 and out == ""
    assert err.strip() == message(CrmError("restore_damaged", path=str(bad)))
    assert digest(live) == before
    assert generations.list_automatic(live) == []                          # no before-restore copy either


# ---------------------------------------------------------------- a damaged live database

def test_restore_over_a_damaged_database_keeps_a_raw_copy(live, saved):
    overwrite_pages(live)
    damaged = digest(live)
    code, out, err = run_cli("restore", str(saved), "--db", str(live))
    assert code == 0, err
    kept = generations.list_automatic(live)[0]
    assert generations.is_raw_copy(kept) and digest(kept) == damaged
    assert f"a raw copy of its files is kept in {kept}" in out
    assert names_in(live) == ["北京华润", "上海华联", "阿里巴巴"]
    assert integrity.file_problems(live) == []
    assert not [p for p in live.parent.iterdir() if p.name.startswith(".backup-")]
    dbmod.open_database(live)
    assert customers.count() == 3
    dbmod.close_database()


def test_restore_over_a_damaged_database_open_in_this_process(live, saved):
    overwrite_pages(live)
    dbmod.database.init(str(live), pragmas={})                     # open behind open_database's back
    dbmod.database.connect()
    restoring.restore(saved, live)
    assert dbmod.current_path() == live and not dbmod.database.is_closed()
    assert customers.count() == 3
    dbmod.close_database()


def test_restore_over_a_damaged_database_another_program_has_open_is_refused(live, saved):
    with contextlib.closing(sqlite3.connect(live)) as other:
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        other.execute("SELECT count(*) FROM customer").fetchall()
        pages = live.stat().st_size // int.from_bytes(live.read_bytes()[16:18], "big")
        overwrite_pages(live, first=pages // 2)
        before = digest(live)
        code, _out, err = run_cli("restore", str(saved), "--db", str(live))
        assert code == 2
        assert err.strip() == message(CrmError("restore_db_open", path=str(live)))
        assert digest(live) == before
        assert generations.list_automatic(live) == []


def test_the_raw_copy_is_never_named_as_the_good_backup(live, saved):
    overwrite_pages(live)
    restoring.restore(saved, live)
    assert generations.newest_good(live) is None


def test_a_damaged_database_is_noticed_on_open_and_names_the_good_backup(live):
    good = backup.automatic_backup(live, reason="daily")
    overwrite_pages(live)
    before = digest(live)
    with pytest.raises(CrmError) as info:
        dbmod.open_database(live)
    assert info.value.code == "db_damaged_backup"
    assert info.value.params["backup"] == str(good)
    assert digest(live) == before


def test_a_large_damaged_database_is_noticed_by_the_cheap_probe(live, monkeypatch):
    monkeypatch.setattr(damage, "QUICK_CHECK_BYTES", 0)               # as if it were 400 MB
    overwrite_pages(live)
    with pytest.raises(CrmError) as info:
        dbmod.open_database(live)
    assert info.value.code == "db_damaged_no_backup"


def test_the_cheap_probe_passes_a_sound_database(live, monkeypatch):
    monkeypatch.setattr(damage, "QUICK_CHECK_BYTES", 0)
    dbmod.open_database(live)
    assert customers.count() == 3
    dbmod.close_database()


@pytest.mark.parametrize("argv", [["export", "customers", "{tmp}/out.xlsx"], ["agenda"],
                                  ["import", "customers", "{tmp}/in.csv"]])
def test_commands_on_a_damaged_database_give_one_sentence_and_write_nothing(live, tmp_path, argv):
    (tmp_path / "in.csv").write_text("name\n新客户\n", encoding="utf-8")
    good = backup.automatic_backup(live, reason="daily")
    overwrite_pages(live)
    before = digest(live)
    code, out, err = run_cli(*[a.format(tmp=tmp_path) for a in argv], "--db", str(live))
    assert code == 2
    assert err.strip() == message(CrmError("db_damaged_backup", path=str(live), backup=str(good)))
    assert f'crmdesk restore "{good}"' in err and "Traceback" not in err
    assert digest(live) == before
    assert not (tmp_path / "out.xlsx").exists()


def test_malformed_met_after_open_gives_the_sentence(live, monkeypatch):
    def broken(*_args, **_kwargs):
        raise sqlite3.DatabaseError("database disk image is malformed")
    monkeypatch.setattr(cli, "_dispatch", broken)
    code, _out, err = run_cli("agenda", "--db", str(live))
    assert code == 2
    assert err.strip() == message(CrmError("db_damaged_no_backup", path=str(live)))


def test_no_write_into_a_database_known_to_be_damaged(live):
    dbmod.open_database(live)
    damage.mark_damaged(live)
    try:
        with pytest.raises(CrmError) as info:
            customers.create({"name": "不该写入"})
        assert info.value.code in ("db_damaged_backup", "db_damaged_no_backup")
    finally:
        damage.forget(live)
    assert customers.count() == 3
    dbmod.close_database()


@pytest.mark.parametrize("command", [["export", "customers", "{tmp}/o.xlsx"], ["agenda"]])
def test_a_database_damaged_half_way_in_a_subprocess_has_no_traceback(live, tmp_path, command):
    pages = live.stat().st_size // int.from_bytes(live.read_bytes()[16:18], "big")
    overwrite_pages(live, first=pages // 2)
    before = digest(live)
    result = subprocess.run([sys.executable, "-m", "crmdesk", *[c.format(tmp=tmp_path) for c in command],
                             "--db", str(live)], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(ROOT), "LANG": "C"})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert f'crmdesk restore FILE.sqlite --db "{live}"' in result.stderr   # how to restore it
    assert digest(live) == before


# ---------------------------------------------------------------- stale temporaries

def test_stale_temporaries_of_dead_processes_are_cleaned(live, tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    folder = paths.backups_dir(live)
    folder.mkdir(parents=True)
    stale = [folder / f".backup-{dead}-abcd.sqlite", live.parent / f".backup-{dead}-efgh.sqlite"]
    running = [folder / f".backup-{os.getpid()}-mine.sqlite", folder / f".backup-{os.getppid()}-x.sqlite"]
    for path in stale + running:
        path.write_bytes(b"x" * 4096)
    dbmod.open_database(live)                                        # at start
    assert not any(p.exists() for p in stale)
    assert all(p.exists() for p in running)
    dbmod.close_database()
    again = folder / f".backup-{dead}-ijkl.sqlite"
    again.write_bytes(b"x")
    backup.automatic_backup(live, reason="daily")                    # on the next backup
    assert not again.exists()


# ---------------------------------------------------------------- rotation per kind

def test_nine_restores_keep_the_only_daily_backup(live, saved, time_machine):
    daily = backup.backup_if_due(live)
    for _ in range(9):
        time_machine.shift(2)
        restoring.restore(saved, live)
    kept = generations.list_automatic(live)
    assert daily in kept
    assert sum(generations.kind_of(p) == "before-restore" for p in kept) == backup.KEEP_AUTOMATIC
    assert backup.backup_if_due(live) is None                        # and the next start makes none


# ---------------------------------------------------------------- missing folders

def test_restore_into_a_missing_folder_says_so(saved, tmp_path):
    target = tmp_path / "nowhere" / "crm.sqlite"
    code, _out, err = run_cli("restore", str(saved), "--db", str(target))
    assert code == 2
    assert err.strip() == message(CrmError("restore_no_folder", path=str(target)))
    assert not target.parent.exists()


def test_restore_from_a_missing_folder_says_so(live, tmp_path):
    source = tmp_path / "nowhere" / "saved.sqlite"
    before = digest(live)
    code, _out, err = run_cli("restore", str(source), "--db", str(live))
    assert code == 2
    assert err.strip() == message(CrmError("file_missing", path=str(source)))
    assert digest(live) == before
