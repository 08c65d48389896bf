"""Every test gets a fresh database file and data folder; Qt runs offscreen."""
from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("CRMDESK_DB", None)
os.environ["LANGUAGE"] = "en"  # the system language the tests see; zh_CN is tested explicitly

import datetime as dt  # noqa: E402

import pytest  # noqa: E402
import time_machine  # noqa: E402

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


# "Now" for every test: 10:00 local time on a Friday. The suite must pass on any real date
# (run it under faketime to prove it), so no test reads the real clock; a test that needs
# another moment moves there with the ``time_machine`` fixture (``time_machine.move_to``).
# Time ticks on from the pinned moment, so timeouts and durations still work.
PINNED_NOW = dt.datetime(2026, 12, 4, 10, 0)


@pytest.fixture(autouse=True)
def pinned_now(time_machine):
    time_machine.move_to(PINNED_NOW.astimezone(), tick=True)
    return PINNED_NOW


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("CRMDESK_DATA_DIR", str(folder))
    monkeypatch.delenv("CRMDESK_DB", raising=False)
    return folder


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "crm.sqlite"


@pytest.fixture
def db(db_path):
    from crmdesk.core.db import close_database, open_database
    database = open_database(db_path)
    yield database
    close_database()


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"the shared test files are not at {SHARED_DATA}")
    return SHARED_DATA


# The team tests' PostgreSQL: one cluster for the session, a fresh database for each test.
@pytest.fixture(scope="session")
def pg_cluster():
    from tests.pg_cluster import Cluster, binaries
    if binaries() is None:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql; the README's System libraries)")
    cluster = Cluster().start()
    yield cluster
    cluster.stop()


@pytest.fixture
def hub_db(pg_cluster, request):
    """A fresh, empty database on the test cluster; its name, dropped (with the logins the
    test made) afterwards."""
    import re

    import psycopg
    name = "t_" + re.sub(r"[^a-z0-9]", "_", request.node.name.lower())[:40] + f"_{os.getpid()}"
    with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        group = "crm_" + name[:40]
        logins = [row[0] for row in conn.execute(
            "SELECT DISTINCT r.rolname FROM pg_roles r JOIN pg_auth_members m ON m.member = r.oid "
            "JOIN pg_roles g ON g.oid = m.roleid WHERE g.rolname = %s AND r.rolname <> current_user",
            [group + "_member"])]  # the administrator may be the first manager: it stays
        for login in logins:
            conn.execute(f'DROP ROLE IF EXISTS "{login}"')
        for suffix in ("member", "rep", "desk", "manager"):
            conn.execute(f'DROP ROLE IF EXISTS "{group}_{suffix}"')
