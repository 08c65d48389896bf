"""Business settings kept in the database as JSON (visit frequencies, deadlines, rules)."""
from __future__ import annotations

import json
from typing import Any

from crmdesk.core.db import transaction
from crmdesk.core.models import Setting


def get(key: str, default: Any = None) -> Any:
    row = Setting.get_or_none(Setting.key == key)
    return default if row is None else json.loads(row.value)


def put(key: str, value: Any) -> None:
    with transaction():
        Setting.insert(key=key, value=json.dumps(value, ensure_ascii=False)).on_conflict_replace().execute()
