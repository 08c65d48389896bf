"""The pipeline board's data in two SQL queries, the open deals read by the live-stage index
(``opportunity_live_stage``) and the closed ones by ``opportunity_live_closed``: per stage
the count and the sum, and the first cards of each column (customer, title, amount, close
date, days in stage, overdue, stalled).

Open stages show the deals whose expected close falls in the chosen period (or have none,
for the whole pipeline); won and lost show those closed in it. Filters: owner, tier."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Optional, Sequence

from crmdesk.core.models import database
from crmdesk.core.sales import stages as S

PERIODS = ("all", "this_month", "next_month", "this_quarter", "this_year")
CLOSED_DAYS_ALL = 90  # "all": won and lost of the last 90 days (the board is for what is moving)
STALLED_DAYS = 30  # no stage change for so long: the deal is marked stalled
CARDS_PER_COLUMN = 100  # the rest are counted and summed, and listed in the list view


@dataclass(frozen=True)
class BoardQuery:
    owner: str = ""
    team: str = ""  # "" every team; else the deals of that team's customers
    period: str = "all"
    tier: str = ""
    today: Optional[dt.date] = None  # None: the real today
    cards: int = CARDS_PER_COLUMN

    def day(self) -> dt.date:
        return self.today or dt.date.today()


@dataclass(frozen=True)
class Card:
    id: int
    stage: str
    customer_id: int
    customer_name: str
    title: str
    amount: Optional[Decimal]
    expected_close: Optional[dt.date]
    days_in_stage: int
    overdue: bool  # open, and its expected close has passed
    stalled: bool  # open, and no stage change for STALLED_DAYS
    version: int
    probability: int
    owner: str
    visits: int = 0  # the live visits planned or made for the deal


@dataclass
class Column:
    stage: S.Stage
    count: int = 0
    total: Decimal = Decimal(0)
    cards: list[Card] = field(default_factory=list)


def period_range(period: str, today: dt.date) -> tuple[Optional[dt.date], Optional[dt.date]]:
    """[start, end) of a period of expected close; (None, None): the whole pipeline."""
    first = today.replace(day=1)
    if period == "this_month":
        return first, (first + dt.timedelta(days=32)).replace(day=1)
    if period == "next_month":
        start = (first + dt.timedelta(days=32)).replace(day=1)
        return start, (start + dt.timedelta(days=32)).replace(day=1)
    if period == "this_quarter":
        start = first.replace(month=(today.month - 1) // 3 * 3 + 1)
        end_month = start.month + 3
        return start, (start.replace(year=start.year + 1, month=1) if end_month > 12 else start.replace(month=end_month))
    if period == "this_year":
        return today.replace(month=1, day=1), today.replace(year=today.year + 1, month=1, day=1)
    return None, None


def parts(query: BoardQuery, stage_list: Sequence[S.Stage]) -> list[tuple[str, list]]:
    """The board's filter as two parts, each read by its own index: the open deals (by stage
    and expected close, ``opportunity_live_stage``) and the won and lost of the period (by
    stage and the day they closed, ``opportunity_live_closed``): (where over ``FROM``,
    parameters) each. Joined by OR, SQLite scans every deal ever closed instead."""
    open_keys = [s.key for s in stage_list if not s.closed]
    closed_keys = [s.key for s in stage_list if s.closed]
    start, end = period_range(query.period, query.day())
    common, common_params = ["o.deleted_at IS NULL", "c.deleted_at IS NULL"], []
    if query.owner:
        common.append("o.owner = ?")
        common_params.append(query.owner)
    if query.team:
        common.append("c.team = ?")
        common_params.append(query.team)
    if query.tier:
        common.append("c.tier = ?")
        common_params.append(query.tier)
    open_where = [f"o.stage IN ({','.join('?' * len(open_keys))})"]
    open_params: list = list(open_keys)
    if start is not None:
        open_where.append("o.expected_close >= ? AND o.expected_close < ?")
        open_params += [start.isoformat(), end.isoformat()]
    closed_start = start or query.day() - dt.timedelta(days=CLOSED_DAYS_ALL)
    closed_end = end or query.day() + dt.timedelta(days=1)
    closed_where = [f"o.stage IN ({','.join('?' * len(closed_keys))})", "o.closed_on >= ? AND o.closed_on < ?"]
    closed_params = closed_keys + [closed_start.isoformat(), closed_end.isoformat()]
    return [(" AND ".join(open_where + common), open_params + common_params),
            (" AND ".join(closed_where + common), closed_params + common_params)]


def where_sql(query: BoardQuery, stage_list: Sequence[S.Stage]) -> tuple[str, list]:
    """The board's filter in one condition (the list view's)."""
    (open_where, open_params), (closed_where, closed_params) = parts(query, stage_list)
    return f"(({open_where}) OR ({closed_where}))", open_params + closed_params


FROM = "FROM opportunity o JOIN customer c ON c.id = o.customer_id"
CARD_COLUMNS = ("o.id, o.stage, o.customer_id, c.name, o.title, o.amount, o.expected_close, o.stage_since, "
                "o.version, o.probability, o.owner")


def _card(row: tuple, stage_list_by_key: dict[str, S.Stage], today: dt.date) -> Card:
    (oid, stage, customer_id, name, title, cents, close, since, version, probability, owner) = row[:11]
    close_day = dt.date.fromisoformat(close) if close else None
    since_day = dt.datetime.fromisoformat(str(since)).date() if since else today
    days = max((today - since_day).days, 0)
    is_open = stage in stage_list_by_key and not stage_list_by_key[stage].closed
    return Card(oid, stage, customer_id, name, title, None if cents is None else Decimal(cents) / 100, close_day,
                days, bool(is_open and close_day and close_day < today), bool(is_open and days >= STALLED_DAYS),
                version, probability, owner)


def load(query: BoardQuery, stage_list: Optional[Sequence[S.Stage]] = None) -> list[Column]:
    """The board: one column per stage, in the settings' order."""
    stage_list = tuple(stage_list or S.load())
    by_key = S.by_key(stage_list)
    columns = {s.key: Column(s) for s in stage_list}
    both = parts(query, stage_list)
    params = [p for _where, part_params in both for p in part_params]
    counts = " UNION ALL ".join(f"SELECT o.stage, count(*), coalesce(sum(o.amount), 0) {FROM} WHERE {where} "
                                "GROUP BY o.stage" for where, _params in both)
    for stage, count, cents in database.execute_sql(counts, params):
        if stage in columns:
            columns[stage].count, columns[stage].total = count, Decimal(cents) / 100
    # The first cards of each column, a query each that stops at the limit: an open stage's
    # nearest close first (then those without one), a closed stage's latest closed first.
    today = query.day()
    (open_where, open_params), (closed_where, closed_params) = both
    for stage in stage_list:
        if not columns[stage.key].count:
            continue
        where, part_params = (closed_where, closed_params) if stage.closed else (open_where, open_params)
        orders = (["o.closed_on DESC, o.id DESC"] if stage.closed else
                  ["o.expected_close, o.id", None])  # None: then the deals without a close date
        for order in orders:
            left = int(query.cards) - len(columns[stage.key].cards)
            if left <= 0:
                break
            dated = "o.expected_close IS NULL" if order is None else (
                "o.expected_close IS NOT NULL" if not stage.closed else "1")
            sql = (f"SELECT {CARD_COLUMNS} {FROM} WHERE o.stage = ? AND {dated} AND {where} "
                   f"ORDER BY {order or 'o.id'} LIMIT ?")
            for row in database.execute_sql(sql, [stage.key, *part_params, left]):
                columns[stage.key].cards.append(_card(row, by_key, today))
    _count_visits(list(columns.values()))
    return list(columns.values())


def _count_visits(columns: list[Column]) -> None:
    """Each card's visits, in one query over the shown deals (index ``visit_opportunity_id``)."""
    shown = [card.id for column in columns for card in column.cards]
    counts: dict[int, int] = {}
    for start in range(0, len(shown), 900):  # under SQLite's limit of bound parameters
        chunk = shown[start:start + 900]
        counts.update(database.execute_sql(
            f"SELECT opportunity_id, count(*) FROM visit WHERE opportunity_id IN ({','.join('?' * len(chunk))}) "
            "AND deleted_at IS NULL GROUP BY opportunity_id", chunk).fetchall())
    for column in columns:
        column.cards = [replace(card, visits=counts[card.id]) if card.id in counts else card for card in column.cards]


def card(opportunity_id: int, today: Optional[dt.date] = None,
         stage_list: Optional[Sequence[S.Stage]] = None) -> Optional[Card]:
    """One card, fresh (after a move), or None when the deal or its customer is gone."""
    row = database.execute_sql(f"SELECT {CARD_COLUMNS} {FROM} WHERE o.id = ? AND o.deleted_at IS NULL "
                               "AND c.deleted_at IS NULL", [opportunity_id]).fetchone()
    return _card(row, S.by_key(stage_list), today or dt.date.today()) if row else None


def owners() -> list[str]:
    """Everyone who owns a live opportunity, for the owner filter."""
    # one index seek per owner (opportunity_live_owner), not a scan of every deal ever made
    rows = database.execute_sql(
        "WITH RECURSIVE o(owner) AS (SELECT min(owner) FROM opportunity WHERE deleted_at IS NULL AND owner > '' "
        "UNION ALL SELECT (SELECT min(owner) FROM opportunity WHERE deleted_at IS NULL AND owner > o.owner) "
        "FROM o WHERE o.owner IS NOT NULL) SELECT owner FROM o WHERE owner IS NOT NULL")
    return sorted(r[0] for r in rows)
