"""What a join or a sync reports (``session``), and how it reports its progress."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

Progress = Optional[Callable[[int, int, str], None]]  # (done, total, what: "upload", "download", "indexes")


@dataclass
class Result:
    pushed: int = 0
    pulled: int = 0
    conflicts: int = 0
    refused: int = 0
    renamed: list = field(default_factory=list)  # (entity, uuid, from, to)
    settings_refused: list = field(default_factory=list)  # shared settings this login may not change
    removed: int = 0
    changes: list = field(default_factory=list)
