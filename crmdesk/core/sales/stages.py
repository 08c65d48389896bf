"""The stages of the pipeline, kept in the database (DESIGN §4) and editable in Sales ▸
Settings: each has a key (stored on the opportunities), a name in both languages, a place
in the order and a default probability. The open stages follow the course's customer
development path (线索 lead → 需求确认 qualified → 方案演示 proposal → 谈判/异议处理
negotiation); ``won`` and ``lost`` close a deal and are always there, last.

A list that is empty, has two stages of one name, an unknown kind or a probability outside
0..100 is refused with the stage named and nothing stored; a damaged stored list falls back
to the defaults."""
from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from typing import Any, Iterable, Sequence

from crmdesk.core.changes import UPDATED, Changes
from crmdesk.core.db import transaction
from crmdesk.core.errors import CrmError
from crmdesk.core.models import Opportunity, Setting

KEY = "sales.stages"
OPEN, WON, LOST = "open", "won", "lost"
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,29}$")


@dataclass(frozen=True)
class Stage:
    key: str
    name_zh: str
    name_en: str
    probability: int  # percent: the default a deal gets on entering the stage
    kind: str = OPEN  # open, won, lost

    def name(self, lang: str) -> str:
        return self.name_zh if lang.startswith("zh") else self.name_en

    @property
    def closed(self) -> bool:
        return self.kind != OPEN


DEFAULT_STAGES: tuple[Stage, ...] = (
    Stage("lead", "线索", "Lead", 10),
    Stage("qualified", "需求确认", "Qualified", 30),
    Stage("proposal", "方案演示", "Proposal", 50),
    Stage("negotiation", "谈判/异议处理", "Negotiation", 75),
    Stage("won", "赢单", "Won", 100, WON),
    Stage("lost", "输单", "Lost", 0, LOST),
)


def validate(raw: Iterable[Any]) -> tuple[Stage, ...]:
    """The stages from their JSON form (a list of dicts), in order, or ``CrmError``:
    ``stages_empty``, ``stage_name_twice`` (the name), ``stage_invalid`` (its position),
    ``stages_won_lost_last``."""
    if not isinstance(raw, (list, tuple)):
        raise CrmError("stages_empty")
    stages: list[Stage] = []
    for position, item in enumerate(raw, 1):
        try:
            key = str(item["key"]).strip()
            kind = str(item.get("kind", OPEN))
            name_zh = " ".join(str(item.get("name_zh", "")).split())
            name_en = " ".join(str(item.get("name_en", "")).split())
            probability = item.get("probability", 0)
            if isinstance(probability, bool) or not isinstance(probability, (int, float)):
                raise ValueError
            probability = int(probability)
        except (KeyError, TypeError, ValueError, AttributeError):
            raise CrmError("stage_invalid", position=position) from None
        if (not _KEY.match(key) or kind not in (OPEN, WON, LOST) or not (name_zh or name_en)
                or not 0 <= probability <= 100 or len(name_zh) > 30 or len(name_en) > 40):
            raise CrmError("stage_invalid", position=position)
        stages.append(Stage(key, name_zh or name_en, name_en or name_zh, probability, kind))
    if not any(s.kind == OPEN for s in stages):
        raise CrmError("stages_empty")
    seen_keys: set[str] = set()
    seen_names: set[str] = set()
    for stage in stages:
        if stage.key in seen_keys:
            raise CrmError("stage_name_twice", name=stage.key)
        seen_keys.add(stage.key)
        for name in {stage.name_zh.casefold(), stage.name_en.casefold()}:
            if name in seen_names:
                raise CrmError("stage_name_twice", name=name)
        seen_names.update({stage.name_zh.casefold(), stage.name_en.casefold()})
    if [s.kind for s in stages if s.closed] != [WON, LOST] or any(s.closed for s in stages[:-2]):
        raise CrmError("stages_won_lost_last")
    return tuple(stages)


def load() -> tuple[Stage, ...]:
    row = Setting.get_or_none(Setting.key == KEY)
    if row is None:
        return DEFAULT_STAGES
    try:
        return validate(json.loads(row.value))
    except (CrmError, ValueError):
        return DEFAULT_STAGES  # damaged: the defaults


def save(stages: Sequence[Stage]) -> Changes:
    """Store the list (validated again). A stage that opportunities are in cannot be removed:
    ``stage_in_use`` names it and how many."""
    checked = validate([asdict(s) for s in stages])
    keys = {s.key for s in checked}
    with transaction():
        for stage in load():
            if stage.key not in keys:
                used = Opportunity.select().where(Opportunity.stage == stage.key,
                                                  Opportunity.deleted_at.is_null()).count()
                if used:
                    raise CrmError("stage_in_use", name=stage.name_en, count=used)
        Setting.insert(key=KEY, value=json.dumps([asdict(s) for s in checked], ensure_ascii=False)) \
            .on_conflict_replace().execute()
    return Changes("sales_settings", UPDATED)


def by_key(stages: Sequence[Stage] | None = None) -> dict[str, Stage]:
    return {s.key: s for s in (stages if stages is not None else load())}


def open_stages(stages: Sequence[Stage] | None = None) -> tuple[Stage, ...]:
    return tuple(s for s in (stages if stages is not None else load()) if s.kind == OPEN)
