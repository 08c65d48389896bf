"""What a write changed, so that every open view refreshes just those rows."""
from __future__ import annotations

from dataclasses import dataclass, field

CREATED = "created"
UPDATED = "updated"
DELETED = "deleted"
RESTORED = "restored"
RESET = "reset"  # everything may have changed (database switched, restored, bulk job)


@dataclass(frozen=True)
class Changes:
    entity: str  # "customer", "contact", "transaction", ...
    kind: str  # one of the constants above
    ids: tuple[int, ...] = field(default_factory=tuple)

    @classmethod
    def reset(cls, entity: str = "*") -> "Changes":
        return cls(entity, RESET, ())
