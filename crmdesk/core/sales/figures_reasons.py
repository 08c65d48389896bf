"""Why deals are lost and what customers object: the figures behind the report page's "Lost
reasons" (输单原因) and "Objections" (异议) and the report's sheets of the same names.

Lost reasons: the deals lost in the period (``closed_on`` in it, now in a stage of kind
lost), of the customers the period chooses, by the reason recorded when they were lost
(``fields.LOST_REASONS``; "" when none was): how many, for how much, and their share of the
lost deals; then the same by the deal's owner, a reason per column.

Objections: the statistic per type of ``objections.statistics`` for the visits of the
period: how often raised and answered, on how many deals, and how many of those were lost.
Every function takes the period and ``today``; none reads the clock."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional, Sequence

from crmdesk.core.models import database
from crmdesk.core.sales import objections
from crmdesk.core.sales import stages as S
from crmdesk.core.sales.fields import LOST_REASONS
from crmdesk.core.sales.figures import Period, yuan
from crmdesk.core.sales.figures_pipeline import live


@dataclass(frozen=True)
class Reason:
    key: str  # one of LOST_REASONS, "" (none recorded), or a key no longer in the list
    deals: int
    amount: float
    share: float  # of the deals lost in the period


@dataclass(frozen=True)
class OwnerLosses:
    owner: str  # the deal's owner, "" for none
    deals: int
    amount: float
    by_reason: dict = field(default_factory=dict)  # reason key → deals

    def count(self, key: str) -> int:
        return self.by_reason.get(key, 0)


@dataclass(frozen=True)
class LostReasons:
    reasons: list = field(default_factory=list)  # Reason, the most frequent first
    owners: list = field(default_factory=list)  # OwnerLosses, the most deals lost first

    @property
    def deals(self) -> int:
        return sum(r.deals for r in self.reasons)

    @property
    def amount(self) -> float:
        return round(sum(r.amount for r in self.reasons), 2)

    @property
    def keys(self) -> list[str]:
        """The reasons met, in the list's order, then unknown ones, then "" (none recorded):
        the columns of the table by owner."""
        met = {r.key for r in self.reasons}
        return [k for k in LOST_REASONS if k in met] + sorted(met - set(LOST_REASONS) - {""}) + \
            ([""] if "" in met else [])


def _order(key: str) -> int:
    return LOST_REASONS.index(key) if key in LOST_REASONS else len(LOST_REASONS) + (key == "")


def lost_reasons(period: Period, today: dt.date, stage_list: Optional[Sequence[S.Stage]] = None) -> LostReasons:
    """The deals lost in the period by reason, and by owner and reason: one grouped pass."""
    listed = stage_list if stage_list is not None else S.load()
    lost = [s.key for s in listed if s.kind == S.LOST]
    if not lost:
        return LostReasons()
    start, end = period.bounds(today)
    where, params = live(period)
    per_reason: dict[str, list] = {}
    per_owner: dict[str, list] = {}
    for owner, reason, n, cents in database.execute_sql(
            "SELECT coalesce(o.owner, ''), coalesce(o.lost_reason, ''), count(*), sum(coalesce(o.amount, 0)) "
            f"FROM opportunity o WHERE {where} AND o.stage IN ({','.join('?' * len(lost))}) "
            "AND o.closed_on >= ? AND o.closed_on < ? GROUP BY 1, 2", [*params, *lost, start, end]):
        row = per_reason.setdefault(reason, [0, 0])
        row[0] += n
        row[1] += cents
        mine = per_owner.setdefault(owner, [0, 0, {}])
        mine[0] += n
        mine[1] += cents
        mine[2][reason] = mine[2].get(reason, 0) + n
    total = sum(n for n, _c in per_reason.values())
    reasons = [Reason(k, n, yuan(c), n / total) for k, (n, c) in per_reason.items()]
    reasons.sort(key=lambda r: (-r.deals, _order(r.key), r.key))
    owners = [OwnerLosses(k, n, yuan(c), by) for k, (n, c, by) in per_owner.items()]
    owners.sort(key=lambda o: (-o.deals, -o.amount, o.owner == "", o.owner))
    return LostReasons(reasons, owners)


@dataclass(frozen=True)
class ObjectionRow:
    type: str  # one of OBJECTION_TYPES, "" for the untyped
    raised: int
    answered: int
    deals: int
    deals_lost: int

    @property
    def answered_share(self) -> Optional[float]:
        return self.answered / self.raised if self.raised else None

    @property
    def lost_share(self) -> Optional[float]:
        """Of the deals it was raised on, the share lost."""
        return self.deals_lost / self.deals if self.deals else None


def objection_figures(period: Period, today: dt.date,
                      stage_list: Optional[Sequence[S.Stage]] = None) -> list[ObjectionRow]:
    """The objections of the period's visits per type, in the course's order."""
    listed = stage_list if stage_list is not None else S.load()
    return [ObjectionRow(s.type, s.raised, s.answered, s.deals, s.deals_lost)
            for s in objections.statistics(listed, period, today)]
