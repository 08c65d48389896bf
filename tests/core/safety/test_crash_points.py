"""Every writing command, killed at each named point of its write (``CRMDESK_CRASH_AT``, see
crmdesk/core/safety/crashpoints.py), leaves a sound database holding either all of the old
data or all of the new, never half an import; undo still works afterwards; a killed backup
leaves no half-written backup. Deterministic: the process kills itself at the point, no timing.

The databases are small (a 12-customer demo, a 6-row import), padded with one 5 MB setting so
that the backup API needs more than one step and a copy can be killed half-way through."""
from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from crmdesk.core import migrations

PROJECT = Path(__file__).resolve().parents[2]
TABLES = ("batch", "customer", "customer_tag", "contact", "transactions", "change_log", "setting",
          "visit_series", "visit", "complaint", "complaint_contact", "care_event", "points_entry")
PAD = "x" * (5 * 1024 * 1024)  # more than 1024 pages: two steps of the backup API
KILLED = -signal.SIGKILL if hasattr(signal, "SIGKILL") else 137

SERVICE_WRITE = """
import sys
from crmdesk.core.db import open_database, close_database
from crmdesk.core.customers import archive as customers
open_database(sys.argv[1], create=False)
customers.create({"name": "服务写入", "city": "杭州"})
close_database()
"""

CUSTOMERS_CSV = "客户名称,手机,城市\n" + "".join(f"导入客户{i},1380000{i:04d},上海\n" for i in range(6))
MORE_CUSTOMERS_CSV = "客户名称,手机,城市\n" + "".join(f"新客户{i},1390000{i:04d},南京\n" for i in range(6))
TRANSACTIONS_CSV = "客户名称,日期,金额\n" + "".join(f"交易客户{i % 2},2024-01-0{i + 1},{10 + i}\n" for i in range(5))


def run(args, folder: Path, crash: str | None = None, script: str | None = None):
    env = dict(os.environ, PYTHONPATH=str(PROJECT), CRMDESK_DATA_DIR=str(folder / "data"))
    env.pop("CRMDESK_CRASH_AT", None)
    env.pop("QT_QPA_PLATFORM", None)
    if crash:
        env["CRMDESK_CRASH_AT"] = crash
    command = [sys.executable, "-c", script, *args] if script else [sys.executable, "-m", "crmdesk", *args]
    return subprocess.run(command, env=env, cwd=str(folder), capture_output=True, text=True, timeout=120)


def cli(args) -> int:
    """The same command in this process, for the runs that are not killed (faster)."""
    from crmdesk.cli import run as run_cli
    return run_cli([str(a) for a in args], io.StringIO(), io.StringIO())


def service_write(db: Path) -> None:
    from crmdesk.core.db import close_database, open_database
    from crmdesk.core.customers import archive as customers
    open_database(db, create=False)
    try:
        customers.create({"name": "服务写入", "city": "杭州"})
    finally:
        close_database()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def counts(path: Path) -> dict:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in TABLES if t in names}


def assert_sound(path: Path) -> None:
    """Integrity, foreign keys, both full-text indexes, the schema version: as the app needs."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        for fts in ("customer_fts", "customer_words"):
            conn.execute(f"INSERT INTO {fts}({fts}, rank) VALUES ('integrity-check', 1)")
        assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.latest_version()
        assert conn.execute("PRAGMA application_id").fetchone()[0] == migrations.APPLICATION_ID


def pad(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("INSERT INTO setting (key, value) VALUES ('crash-test-padding', ?)", (PAD,))
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


@pytest.fixture(scope="module")
def bases(tmp_path_factory):
    """An empty database (for demo), and a demo with one import (for everything else)."""
    folder = tmp_path_factory.mktemp("crash-bases")
    with pytest.MonkeyPatch.context() as patch:  # module-wide: before the per-test data folder
        patch.setenv("CRMDESK_DATA_DIR", str(folder / "data"))
        return _bases(folder)


def _bases(folder: Path):
    (folder / "customers.csv").write_text(CUSTOMERS_CSV, encoding="utf-8")
    (folder / "more.csv").write_text(MORE_CUSTOMERS_CSV, encoding="utf-8")
    (folder / "transactions.csv").write_text(TRANSACTIONS_CSV, encoding="utf-8")
    empty = folder / "empty.sqlite"
    assert cli(["--db", empty, "import", "customers", folder / "customers.csv", "--dry-run"]) == 0
    pad(empty)
    full = folder / "full.sqlite"
    for args in (["demo", "--customers", "12", "--seed", "7"],
                 ["import", "customers", str(folder / "customers.csv")]):
        assert cli(["--db", full, *args]) == 0
    pad(full)
    # what restore brings back: the demo without its import
    older = folder / "older.sqlite"
    shutil.copy(full, older)
    assert cli(["--db", older, "undo-import"]) == 0
    with contextlib.closing(sqlite3.connect(older)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return folder, empty, full, older


# command -> (base, arguments after --db; the script for a service write)
COMMANDS = {
    "import-customers": ("full", ["import", "customers", "{folder}/more.csv"], None),
    "import-transactions": ("full", ["import", "transactions", "{folder}/transactions.csv"], None),
    "demo": ("empty", ["demo", "--customers", "12", "--seed", "7"], None),
    "undo-import": ("full", ["undo-import"], None),
    "service-write": ("full", [], SERVICE_WRITE),
    "restore": ("full", ["restore", "{folder}/older.sqlite"], None),
}
CASES = [(command, point) for command in ("import-customers", "import-transactions", "demo")
         for point in ("before-commit", "mid-chunk", "after-commit")] + \
        [(command, point) for command in ("undo-import", "service-write")
         for point in ("before-commit", "after-commit")] + [("restore", "mid-restore")]


def prepare(bases, tmp_path: Path, command: str) -> tuple[Path, list, str | None]:
    folder, empty, full, _older = bases
    base, args, script = COMMANDS[command]
    db = tmp_path / "crm.sqlite"
    shutil.copy(empty if base == "empty" else full, db)
    args = [a.format(folder=folder) for a in args]
    return db, ([str(db)] if script else ["--db", str(db), *args]), script


_expected: dict = {}


def expected(bases, tmp_path_factory, command: str):
    """(counts before, counts after) the command, and what undo-import then gives for each."""
    if command not in _expected:
        tmp = tmp_path_factory.mktemp(command)
        db, args, script = prepare(bases, tmp, command)
        old = counts(db)
        old_undo = undo_outcome(db, tmp, "old")
        if command == "demo":  # in a process of its own: the demo's visits follow the real date
            result = run(args, tmp)
            assert result.returncode == 0, result.stderr
        elif script:
            service_write(db)
        else:
            assert cli(args) == 0
        new = counts(db)
        assert new != old
        _expected[command] = (old, new, old_undo, undo_outcome(db, tmp, "new"))
    return _expected[command]


def undo_outcome(db: Path, tmp: Path, name: str):
    copy = tmp / f"undo-{name}.sqlite"
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            shutil.copy(f"{db}{suffix}", f"{copy}{suffix}")
    code = cli(["--db", copy, "undo-import"])
    assert_sound(copy)
    return code, counts(copy)


@pytest.mark.parametrize("command, point", CASES)
def test_killed_at_a_point_the_data_is_all_old_or_all_new(bases, tmp_path, tmp_path_factory, command, point):
    old, new, old_undo, new_undo = expected(bases, tmp_path_factory, command)
    db, args, script = prepare(bases, tmp_path, command)
    result = run(args, tmp_path, crash=point, script=script)
    assert result.returncode == KILLED, f"never reached {point}: {result.returncode} {result.stderr}"
    assert_sound(db)
    now = counts(db)
    if point == "after-commit":
        assert now == new
    elif point == "mid-restore":
        assert now in (old, new)
    else:
        assert now == old, "a killed write left part of itself behind"
    assert undo_outcome(db, tmp_path, "after-crash") == (new_undo if now == new else old_undo)


def test_a_killed_backup_leaves_no_backup_file_and_the_database_as_it_was(bases, tmp_path):
    _folder, _empty, full, _older = bases
    db = tmp_path / "crm.sqlite"
    shutil.copy(full, db)
    before = digest(db)
    target = tmp_path / "out" / "copy.sqlite"
    target.parent.mkdir()
    result = run(["--db", str(db), "backup", str(target)], tmp_path, crash="mid-backup-copy")
    assert result.returncode == KILLED, result.stderr
    assert not target.exists(), "a half-written backup under the name the user asked for"
    assert digest(db) == before
    assert_sound(db)
    assert cli(["--db", db, "backup", target]) == 0  # and the next one works
    assert_sound(target)
    assert counts(target) == counts(db)


def test_crash_points_do_nothing_unless_asked(monkeypatch):
    from crmdesk.core.safety import crashpoints
    monkeypatch.delenv(crashpoints.ENVIRONMENT, raising=False)
    for name in crashpoints.POINTS:
        crashpoints.crash_point(name)
    monkeypatch.setenv(crashpoints.ENVIRONMENT, "somewhere-else")
    crashpoints.crash_point("before-commit")
    crashpoints.crash_step("mid-restore")(0, 5, 10)


def test_a_restore_killed_before_it_swaps_a_damaged_database_keeps_both(bases, tmp_path):
    """Restoring over a damaged database replaces the file: killed right before the rename,
    the raw copy of the damaged file is kept and the next restore finishes the job."""
    folder, _empty, full, older = bases
    db = tmp_path / "crm.sqlite"
    shutil.copy(full, db)
    page_size = int.from_bytes(db.read_bytes()[16:18], "big")
    with open(db, "r+b") as handle:  # garbage behind a valid header and schema page
        handle.seek(2 * page_size)
        handle.write(b"\xde\xad" * ((db.stat().st_size - 2 * page_size) // 2))
    damaged = digest(db)
    data = tmp_path / "data"
    result = run(["--db", str(db), "restore", str(older)], tmp_path, crash="mid-restore-rename")
    assert result.returncode == KILLED, f"never reached mid-restore-rename: {result.stderr}"
    assert digest(db) == damaged, "the damaged file was changed before the swap"
    raw = [p for p in data.rglob("*.sqlite") if digest(p) == damaged]
    assert raw, "no raw copy of the damaged database was kept"
    result = run(["--db", str(db), "restore", str(older)], tmp_path)
    assert result.returncode == 0, result.stderr
    assert_sound(db)
    assert counts(db) == counts(older)
