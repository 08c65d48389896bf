"""Issue 17, bad databases table, GUI: File > Open on each bad kind says so and keeps the current database."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from crmdesk.core import db as dbmod
from tests.core.safety.test_bad_databases import make, run, state

KINDS = ["text", "png", "truncated", "directory", "under-a-file", "newer-schema", "damaged",
         "other-sqlite"]


@pytest.mark.parametrize("kind", KINDS)
def test_opening_a_bad_file_says_so_and_keeps_the_current_database(kind, window, tmp_path):
    good = tmp_path / "good" / "crm.sqlite"
    good.parent.mkdir()
    code, _out, err = run("demo", "--customers", "5", "--no-visits", "--db", str(good))
    assert code == 0, err
    current = window.db_path
    dbmod.open_database(current)  # run() closed it; the window's database again
    folder = tmp_path / kind
    folder.mkdir()
    bad = make(kind, folder, good)
    before = state(bad)
    assert window.switch_database(bad, create=False) is False
    assert len(window.errors_shown) == 1                      # one sentence (a recorded code)
    assert window.db_path == current
    assert Path(dbmod.database.database) == Path(current)     # the current database is open again
    assert state(bad) == before
    assert not Path(str(bad) + "-wal").exists() and not Path(str(bad) + "-journal").exists()
