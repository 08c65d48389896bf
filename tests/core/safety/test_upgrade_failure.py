"""Issue 17, defect 7: a failed upgrade says that it failed, that nothing changed and where
the backup is, and repeated attempts reuse the backup made before the first one."""
from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import types
from pathlib import Path

import pytest

from crmdesk.core import migrations
from crmdesk.core.db import close_database, open_database
from crmdesk.core.errors import CrmError
from crmdesk.core.messages import message
from crmdesk.core.safety import generations
from crmdesk.core.customers import archive as customers


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.fixture
def failing_upgrade(db_path, monkeypatch):
    """A database at the real version, and a crmdesk with one more migration that fails."""
    open_database(db_path)
    customers.create({"name": "原样"})
    close_database()
    real = migrations.available()

    def up(database):
        database.execute_sql("CREATE TABLE upgrade_test (id INTEGER PRIMARY KEY)")
        raise sqlite3.OperationalError("attempt to write a readonly database")

    module = types.ModuleType("crmdesk.core.migrations.9999_test")
    module.up = up
    monkeypatch.setattr(migrations, "available", lambda: real + [(real[-1][0] + 1, module)])
    return real[-1][0]


def test_a_failed_upgrade_says_so_and_where_the_backup_is(db_path, failing_upgrade):
    before = digest(db_path)
    with pytest.raises(CrmError) as info:
        open_database(db_path)
    kept = generations.list_automatic(db_path)
    assert len(kept) == 1 and f"before-migration-{failing_upgrade}" in kept[0].name
    assert info.value.code == "migration_failed"
    assert info.value.params == {"path": str(db_path), "backup": str(kept[0])}
    text = message(info.value)
    assert "failed and nothing was changed" in text and str(kept[0]) in text
    assert digest(db_path) == before
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == failing_upgrade


def test_each_attempt_reuses_the_backup_of_the_first(db_path, failing_upgrade):
    for _attempt in range(3):
        with pytest.raises(CrmError) as info:
            open_database(db_path)
        assert info.value.code == "migration_failed"
    kept = generations.list_automatic(db_path)
    assert len(kept) == 1
    assert info.value.params["backup"] == str(kept[0])


def test_a_changed_database_gets_a_new_backup_before_the_next_attempt(db_path, failing_upgrade):
    with pytest.raises(CrmError):
        open_database(db_path)
    first = generations.list_automatic(db_path)
    with contextlib.closing(sqlite3.connect(db_path)) as conn:      # an older crmdesk wrote since
        conn.execute("UPDATE customer SET name = '改过'")
        conn.commit()
    made = first[0].stat().st_mtime
    os.utime(db_path, (made + 5, made + 5))
    with pytest.raises(CrmError):
        open_database(db_path)
    assert len(generations.list_automatic(db_path)) == 2


def test_a_failed_upgrade_without_a_backup_says_so(db_path, failing_upgrade):
    with pytest.raises(CrmError) as info:
        open_database(db_path, backup_before_migrate=False)
    assert info.value.code == "migration_failed_no_backup"
    assert generations.list_automatic(db_path) == []
