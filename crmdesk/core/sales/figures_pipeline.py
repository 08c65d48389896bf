"""The pipeline's figures: the funnel and the forecast.

The funnel follows the deals opened in the period (created in it): how many are in each
stage now and for how much, in the stage settings' order (a stage no longer in the settings
after the open ones, under its key); how many reached each stage (a stage of the history in
``stage_change``, or the stage it is in, or any stage after it: a deal that skipped a step
still passed it; won passes every open stage, lost none; a stage no longer in the settings
is counted but not ranked), and the conversion from one stage
to the next (reached k / reached k-1). Win rate, cycle length and deal size are those of the
deals closed in the period (``closed_on`` in it): won / (won + lost), the mean days from
created to closed of the won ones and their mean amount.

The forecast: the open deals expected to close in the period, their amount and their amount
× probability by expected close month and by owner, against the amount of the deals won in
the same months a year earlier. Every function takes the period and ``today``."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional, Sequence

from crmdesk.core.bulk_indexes import indexed_by
from crmdesk.core.models import database
from crmdesk.core.sales import stages as S
from crmdesk.core.sales.figures import Period, months, next_month, yuan


@dataclass(frozen=True)
class FunnelStage:
    key: str
    name_zh: str
    name_en: str
    kind: str  # open, won, lost
    count: int  # deals of the period in it now
    amount: float
    reached: Optional[int] = None  # deals that reached it (None for lost and unknown stages)
    conversion: Optional[float] = None  # reached / reached the stage before (None for the first)

    def name(self, lang: str) -> str:
        return self.name_zh if lang.startswith("zh") else self.name_en


@dataclass(frozen=True)
class Funnel:
    stages: list = field(default_factory=list)  # FunnelStage, in order
    deals: int = 0  # opened in the period
    won: int = 0  # closed in the period
    lost: int = 0
    won_amount: float = 0.0
    cycle_days: Optional[float] = None  # mean, created → closed, of the won ones
    deal_size: Optional[float] = None  # mean amount of the won ones

    @property
    def win_rate(self) -> Optional[float]:
        return self.won / (self.won + self.lost) if self.won + self.lost else None


DEALS = "opportunity o"


def live(period: Period) -> tuple[str, list]:
    """The live deals of the period's customers: SQL and values."""
    kept, params = _kept(period)
    return f"o.deleted_at IS NULL{kept}", params


def _kept(period: Period) -> tuple[str, list]:
    """SQL keeping the deals of the period's customers (live, and chosen when it narrows)."""
    if period.narrowed:
        chosen, params = period.customers()
        return f" AND o.customer_id IN (SELECT c.id FROM customer c WHERE c.deleted_at IS NULL{chosen})", params
    return " AND o.customer_id NOT IN (SELECT id FROM customer WHERE deleted_at IS NOT NULL)", []


def funnel(period: Period, today: dt.date, stage_list: Optional[Sequence[S.Stage]] = None) -> Funnel:
    """In one pass over the deals (a table scan beats the stage index, which does not hold
    the dates), each opened one's furthest stage looked up in the stage history's covering
    index (migration 0014)."""
    listed = tuple(stage_list if stage_list is not None else S.load())
    start, end = period.bounds(today)  # created_at (a datetime) compares with the days as text
    kept, params = _kept(period)
    # How far each deal got: the furthest rank among the stages it was in and is in.
    # A stage no longer in the settings has no place in the order: it is counted, not ranked.
    rank = {s.key: i for i, s in enumerate(o for o in listed if o.kind == S.OPEN)}
    won_keys = {s.key for s in listed if s.kind == S.WON}
    lost_keys = {s.key for s in listed if s.kind == S.LOST}
    top = len(rank)  # won: past every open stage
    ranks = [*rank.items(), *((k, top) for k in won_keys)]
    ranked = "CASE {} " + " ".join("WHEN ? THEN ?" for _ in ranks) + " ELSE -1 END"
    values = [v for pair in ranks for v in pair]
    opened = "o.created_at >= ? AND o.created_at < ?"
    counts: dict[str, list] = {}
    reached = [0] * (top + 1)
    won = lost = 0
    won_amount = cycle = 0.0
    for stage, is_opened, is_closed, furthest, n, amount, days in database.execute_sql(
            "SELECT stage, opened, closed, furthest, count(*), sum(amount), sum(days) FROM ("
            f"SELECT o.stage AS stage, {opened} AS opened, o.closed_on >= ? AND o.closed_on < ? AS closed, "
            f"CASE WHEN {opened} THEN max({ranked.format('o.stage')}, COALESCE((SELECT max({ranked.format('h.stage')}) "
            f"FROM stage_change h {indexed_by('stage_change_live_opportunity')}WHERE h.opportunity_id = o.id "
            "AND h.deleted_at IS NULL), -1)) END AS furthest, COALESCE(o.amount, 0) AS amount, "
            "julianday(o.closed_on) - julianday(date(o.created_at)) AS days FROM opportunity o NOT INDEXED "
            f"WHERE o.deleted_at IS NULL{kept} AND (({opened}) OR (o.closed_on >= ? AND o.closed_on < ?))) "
            "GROUP BY 1, 2, 3, 4",
            [start, end, start, end, start, end, *values, *values, *params, start, end, start, end]):
        if is_opened:
            row = counts.setdefault(stage, [0, 0])
            row[0] += n
            row[1] += amount
            for i in range(furthest + 1):
                reached[i] += n
        if is_closed and stage in won_keys:
            won, won_amount, cycle = won + n, won_amount + amount, cycle + (days or 0)
        elif is_closed and stage in lost_keys:
            lost += n
    order = [s for s in listed if s.kind == S.OPEN]
    unknown = sorted(k for k in counts if k not in {s.key for s in listed})
    order += [S.Stage(k, k, k, 0) for k in unknown]
    order += [s for s in listed if s.closed]
    rows = []
    for s in order:
        n, amount = counts.get(s.key, (0, 0))
        if s.kind == S.LOST or (s.kind == S.OPEN and s.key not in rank):
            rows.append(FunnelStage(s.key, s.name_zh, s.name_en, s.kind, n, yuan(amount)))
            continue
        i = top if s.kind == S.WON else rank[s.key]
        before = reached[i - 1] if i > 0 else None
        conversion = None if before is None else (reached[i] / before if before else None)
        rows.append(FunnelStage(s.key, s.name_zh, s.name_en, s.kind, n, yuan(amount), reached[i], conversion))
    return Funnel(rows, sum(n for n, _a in counts.values()), won, lost, yuan(won_amount),
                  round(cycle / won, 1) if won else None, yuan(won_amount / won) if won else None)


# ---------------------------------------------------------------- forecast

@dataclass(frozen=True)
class ForecastRow:
    key: str  # the month "2027-01" or the owner ("": none)
    deals: int  # open deals expected to close then
    amount: float  # their amount
    weighted: float  # amount × probability
    won_last_year: float  # won in the same months a year earlier


@dataclass(frozen=True)
class Forecast:
    months: list  # ForecastRow by expected close month, every month of the period
    owners: list  # ForecastRow by owner, the largest weighted first
    undated: int = 0  # open deals with no expected close date (not in the figures)
    overdue: int = 0  # open deals whose expected close date has passed (in the figures if in the period)
    overdue_amount: float = 0.0

    @property
    def weighted(self) -> float:
        return round(sum(r.weighted for r in self.months), 2)

    @property
    def amount(self) -> float:
        return round(sum(r.amount for r in self.months), 2)


def year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def forecast(period: Period, today: dt.date, stage_list: Optional[Sequence[S.Stage]] = None) -> Forecast:
    """The open deals expected to close in the period (with no end: up to the last expected
    close date; with no start: from the earliest, overdue ones included)."""
    listed = tuple(stage_list if stage_list is not None else S.load())
    open_keys = [s.key for s in listed if s.kind == S.OPEN]
    won_keys = [s.key for s in listed if s.kind == S.WON]
    marks = ", ".join("?" * len(open_keys))
    start = (period.start or dt.date(1900, 1, 1)).isoformat()
    end = (period.end or dt.date(9999, 1, 1)).isoformat()
    alive, params = live(period)
    alive += f" AND o.stage IN ({marks})"
    by_month: dict[str, list] = {}
    by_owner: dict[str, list] = {}
    for month, owner, deals, amount, weighted in database.execute_sql(
            "SELECT substr(o.expected_close, 1, 7), o.owner, count(*), sum(COALESCE(o.amount, 0)), "
            f"sum(COALESCE(o.amount, 0) * o.probability) FROM {DEALS} WHERE {alive} "
            "AND o.expected_close >= ? AND o.expected_close < ? GROUP BY 1, 2", [*params, *open_keys, start, end]):
        for bucket, key in ((by_month, month), (by_owner, owner)):
            row = bucket.setdefault(key, [0, 0, 0.0])
            row[0] += deals
            row[1] += amount
            row[2] += weighted / 100
    undated = database.execute_sql(f"SELECT count(*) FROM {DEALS} WHERE {alive} AND o.expected_close IS NULL",
                                   [*params, *open_keys]).fetchone()[0]
    overdue, overdue_amount = database.execute_sql(
        f"SELECT count(*), sum(COALESCE(o.amount, 0)) FROM {DEALS} WHERE {alive} AND o.expected_close < ?",
        [*params, *open_keys, today.isoformat()]).fetchone()
    late = (overdue, yuan(overdue_amount))
    if not by_month and (period.start is None or period.end is None):
        return Forecast([], [], undated, *late)
    first = period.start or dt.date.fromisoformat(min(by_month) + "-01")
    last = (period.end - dt.timedelta(days=1)) if period.end else dt.date.fromisoformat(max(by_month) + "-01")
    shown = months(first, last) if first <= last else []
    # Won a year before: the same months, moved back a year.
    before_start = year_before(first.replace(day=1)).isoformat()
    before_end = next_month(year_before(last.replace(day=1))).isoformat()
    won_month: dict[str, int] = {}
    won_owner: dict[str, int] = {}
    if won_keys and shown:
        won_marks = ", ".join("?" * len(won_keys))
        alive, params = live(period)
        for month, owner, amount in database.execute_sql(
                f"SELECT substr(o.closed_on, 1, 7), o.owner, sum(COALESCE(o.amount, 0)) FROM {DEALS} "
                f"WHERE {alive} AND o.stage IN ({won_marks}) AND o.closed_on >= ? AND o.closed_on < ? "
                "GROUP BY 1, 2", [*params, *won_keys, before_start, before_end]):
            later = f"{int(month[:4]) + 1:04d}{month[4:]}"
            won_month[later] = won_month.get(later, 0) + amount
            won_owner[owner] = won_owner.get(owner, 0) + amount
    month_rows = [ForecastRow(m, by_month.get(m, [0])[0], yuan(by_month.get(m, [0, 0])[1]),
                              yuan(by_month.get(m, [0, 0, 0.0])[2]), yuan(won_month.get(m, 0))) for m in shown]
    owners = set(by_owner) | set(won_owner)
    owner_rows = [ForecastRow(o, by_owner.get(o, [0])[0], yuan(by_owner.get(o, [0, 0])[1]),
                              yuan(by_owner.get(o, [0, 0, 0.0])[2]), yuan(won_owner.get(o, 0))) for o in owners]
    owner_rows.sort(key=lambda r: (-r.weighted, -r.won_last_year, r.key))
    return Forecast(month_rows, owner_rows, undated, *late)


AHEAD_MONTHS = 12


def ahead(period: Period, today: dt.date) -> Period:
    """The forecast's window for a report of ``period``: from the first of this month to the
    period's end when it lies ahead, else for the next twelve months; the same customers."""
    first = today.replace(day=1)
    end = period.end if period.end and period.end > first else None
    if end is None:
        end = dt.date(first.year + (first.month - 1 + AHEAD_MONTHS) // 12, (first.month - 1 + AHEAD_MONTHS) % 12 + 1, 1)
    return Period(first, end, period.owner, period.region, period.tier)

