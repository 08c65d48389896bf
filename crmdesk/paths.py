"""Where crmdesk keeps its files: the user's data folder (platformdirs)."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from platformdirs import user_data_path

from crmdesk import APP_NAME

DB_ENV = "CRMDESK_DB"
DATA_ENV = "CRMDESK_DATA_DIR"  # tests and portable installs point this elsewhere


def data_dir() -> Path:
    override = os.environ.get(DATA_ENV)
    path = Path(override) if override else user_data_path(APP_NAME, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    return data_dir() / "crmdesk.sqlite"


def backups_dir(db_path: Path) -> Path:
    """Automatic backups live in the data folder, one folder per database file (by name
    and path: /a/crm.sqlite and /b/crm.sqlite keep their own generations)."""
    path = Path(db_path).expanduser().resolve()
    digest = hashlib.sha1(str(path).encode("utf-8")).hexdigest()[:8]
    return data_dir() / "backups" / f"{path.stem}-{digest}"


def resources_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "resources"


def demo_db_path() -> Path:
    """The demo database ("Try the demo data"): beside the user's data, never mixed into it."""
    return data_dir() / "demo.sqlite"
