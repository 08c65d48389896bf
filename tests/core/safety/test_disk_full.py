"""A full disk: ``import``, ``backup`` and ``export`` run under a file-size limit
(RLIMIT_FSIZE, with SIGXFSZ ignored so that write() fails with EFBIG as on a full FAT32 stick
or an exhausted quota) and each says one sentence, exits 2, leaves the database as it was
and no partial output file. The mapping itself (core/safety/oserrors.py) is tested in-process."""
from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import peewee
import pytest

from crmdesk.core.errors import CrmError
from crmdesk.core.messages import message
from crmdesk.core.safety.oserrors import disk_full_error, is_disk_full

resource = pytest.importorskip("resource")  # POSIX only
PROJECT = Path(__file__).resolve().parents[2]
SENTENCE = message(CrmError("disk_full"))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def limited(limit: int, args: list, folder: Path) -> subprocess.CompletedProcess:
    import signal

    def limit_file_size():  # in the child, before exec: both survive exec
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = dict(os.environ, PYTHONPATH=str(PROJECT), CRMDESK_DATA_DIR=str(folder / "data"),
               PYTHONDONTWRITEBYTECODE="1")
    env.pop("QT_QPA_PLATFORM", None)
    return subprocess.run([sys.executable, "-m", "crmdesk", *map(str, args)], env=env, cwd=str(folder),
                          preexec_fn=limit_file_size, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    """A 300-customer demo database (some 1.5 MB) and a 1,500-row sheet to import."""
    from crmdesk.cli import run
    folder = tmp_path_factory.mktemp("disk-full")
    db = folder / "crm.sqlite"
    import io
    with pytest.MonkeyPatch.context() as patch:  # module-wide: before the per-test data folder
        patch.setenv("CRMDESK_DATA_DIR", str(folder / "data"))
        assert run(["--db", str(db), "demo", "--customers", "300", "--no-visits"], io.StringIO(),
                   io.StringIO()) == 0
    sheet = folder / "in.csv"
    sheet.write_text("客户名称,手机,城市\n" + "".join(f"新客户{i},139{i:08d},南京\n" for i in range(1500)),
                     encoding="utf-8")
    return folder, db, sheet


def files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


@pytest.mark.parametrize("command", ["import", "backup", "export"])
def test_a_full_disk_is_one_sentence_and_changes_nothing(filled, tmp_path, command):
    folder, db, sheet = filled
    out = tmp_path / "out"
    out.mkdir()
    size = db.stat().st_size
    args, limit = {
        "import": (["--db", db, "import", "customers", sheet], 256 * 1024),  # the log of the import outgrows it
        "backup": (["--db", db, "backup", out / "copy.sqlite"], size // 2),
        "export": (["--db", db, "export", "customers", out / "customers.xlsx"], 64 * 1024),
    }[command]
    before, beside = digest(db), files(folder)
    result = limited(limit, args, folder)
    assert (result.returncode, result.stderr.strip()) == (2, SENTENCE), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert digest(db) == before
    assert files(out) == set(), "a partial output file was left"
    assert files(folder) == beside, "a -wal, -journal or temporary file was left beside the database"
    with contextlib.closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_the_disk_full_sentence_says_what_to_do():
    assert SENTENCE.startswith("The disk is full")
    assert "free some space" in SENTENCE and SENTENCE.endswith("nothing was changed.")


@pytest.mark.parametrize("error", [
    OSError(errno.ENOSPC, "No space left on device"),
    OSError(errno.EFBIG, "File too large"),
    OSError(errno.EDQUOT, "Disk quota exceeded"),
    sqlite3.OperationalError("database or disk is full"),
    peewee.OperationalError("database or disk is full"),
])
def test_every_way_of_saying_no_room_is_disk_full(error):
    assert is_disk_full(error)
    assert disk_full_error(error).code == "disk_full"


def test_a_full_disk_hidden_behind_another_error_is_found():
    """A backup that turns SQLite's error into "failed its check" (raise ... from None), and
    a rollback that fails after the write that failed: the full disk is still what is said."""
    try:
        try:
            raise OSError(errno.ENOSPC, "No space left on device")
        except OSError:
            raise CrmError("backup_failed", path="x") from None
    except CrmError as error:
        assert disk_full_error(error).code == "disk_full"
    wrapped = peewee.OperationalError("cannot rollback - no transaction is active")
    wrapped.__context__ = peewee.OperationalError(sqlite3.OperationalError("database or disk is full"))
    assert is_disk_full(wrapped)


@pytest.mark.parametrize("error", [
    OSError(errno.EACCES, "Permission denied"), FileNotFoundError("x"), ValueError("x"),
    sqlite3.OperationalError("database is locked"), CrmError("backup_failed", path="x"),
])
def test_other_errors_are_not_a_full_disk(error):
    assert disk_full_error(error) is None


def test_the_command_line_says_the_sentence_for_a_full_disk_anywhere(monkeypatch, db, db_path, tmp_path):
    import io

    from crmdesk.cli import run
    from crmdesk.core.customers import export

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(export, "export_customers", full)
    err = io.StringIO()
    assert run(["--db", str(db_path), "export", "customers", str(tmp_path / "x.xlsx")], io.StringIO(), err) == 2
    assert err.getvalue() == SENTENCE + "\n"
