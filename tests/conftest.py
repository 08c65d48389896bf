"""Every test gets a fresh database file and data folder; Qt runs offscreen."""
from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("CRMDESK_DB", None)
os.environ["LANGUAGE"] = "en"  # the system language the tests see; zh_CN is tested explicitly

import pytest  # noqa: E402

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


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
