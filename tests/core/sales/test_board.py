"""The board's data and the opportunity list: counts, sums and cards per stage, days in
stage, overdue and stalled marks, the owner, period and tier filters, SQL sorting."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from crmdesk.core.models import database
from crmdesk.core.sales import board, opportunity_list as L, opportunities as O
from crmdesk.core.sales.board import BoardQuery
from crmdesk.core.sales.opportunity_list import OpportunityQuery
from crmdesk.core.customers import archive as customers

TODAY = dt.date(2026, 12, 4)
NOW = dt.datetime(2026, 12, 4, 2, 0)


@pytest.fixture
def pipeline(db):
    key, _ = customers.create({"name": "北京华润", "owner": "张伟", "tier": "key"})
    small, _ = customers.create({"name": "杭州小微", "owner": "李娜", "tier": "transactional"})

    def deal(customer, title, stage, amount, close, since, owner="张伟"):
        oid = O.create({"customer_id": customer, "title": title, "stage": stage, "amount": amount,
                        "expected_close": close, "owner": owner}, now=since).opportunity_id
        return oid

    ids = {
        "pipe": deal(key, "管道", "lead", 100000, dt.date(2026, 12, 20), dt.datetime(2026, 11, 30, 8)),
        "valve": deal(key, "阀门", "lead", 20000, dt.date(2026, 11, 25), dt.datetime(2026, 10, 1, 8)),  # overdue, stalled
        "pump": deal(small, "水泵", "proposal", 5000, dt.date(2027, 1, 15), dt.datetime(2026, 11, 20, 8), "李娜"),
        "flange": deal(small, "法兰", "negotiation", None, None, dt.datetime(2026, 12, 1, 8), "李娜"),
        "old": deal(key, "旧单", "proposal", 7000, dt.date(2026, 8, 1), dt.datetime(2026, 7, 1, 8)),
    }
    O.win(ids["old"], None, now=dt.datetime(2026, 12, 2, 8))  # won this month
    gone = deal(key, "删了", "lead", 1, dt.date(2026, 12, 10), NOW)
    O.delete([gone])
    lost = deal(key, "太早", "lead", 3, dt.date(2026, 12, 10), dt.datetime(2026, 1, 1))
    O.lose(lost, None, "price", now=dt.datetime(2026, 2, 1))  # lost long ago: off the board
    return ids


def columns(**query):
    return {c.stage.key: c for c in board.load(BoardQuery(today=TODAY, **query))}


def test_each_stage_has_its_count_sum_and_cards(pipeline):
    cols = columns()
    assert list(cols) == ["lead", "qualified", "proposal", "negotiation", "won", "lost"]
    assert (cols["lead"].count, cols["lead"].total) == (2, Decimal(120000))
    assert [c.title for c in cols["lead"].cards] == ["阀门", "管道"]  # nearest close first
    assert (cols["negotiation"].count, cols["negotiation"].total) == (1, Decimal(0))
    assert [c.title for c in cols["won"].cards] == ["旧单"] and cols["lost"].count == 0
    assert cols["qualified"].count == 0 and cols["qualified"].cards == []


def test_cards_say_days_in_stage_overdue_and_stalled(pipeline):
    cards = {c.title: c for col in columns().values() for c in col.cards}
    assert (cards["管道"].customer_name, cards["管道"].amount, cards["管道"].days_in_stage) == ("北京华润", Decimal(100000), 4)
    assert not cards["管道"].overdue and not cards["管道"].stalled
    assert cards["阀门"].overdue and cards["阀门"].stalled and cards["阀门"].days_in_stage == 64
    assert not cards["旧单"].overdue and not cards["旧单"].stalled  # closed deals are neither
    assert cards["法兰"].expected_close is None and not cards["法兰"].overdue


def test_filters_by_owner_tier_and_period(pipeline):
    assert sum(c.count for c in columns(owner="李娜").values()) == 2
    assert [c.title for col in columns(tier="key").values() for c in col.cards] == ["阀门", "管道", "旧单"]
    this_month = columns(period="this_month")
    assert this_month["lead"].count == 1 and this_month["proposal"].count == 0 and this_month["won"].count == 1
    assert columns(period="next_month")["proposal"].count == 1
    assert columns(period="next_month")["won"].count == 0
    assert board.period_range("this_quarter", TODAY) == (dt.date(2026, 10, 1), dt.date(2027, 1, 1))


def test_cards_per_column_are_capped_but_counts_are_not(pipeline):
    cols = {c.stage.key: c for c in board.load(BoardQuery(today=TODAY, cards=1))}
    assert cols["lead"].count == 2 and len(cols["lead"].cards) == 1


def test_one_card_after_a_move(pipeline):
    moved = O.move(pipeline["pipe"], "qualified", None, now=NOW)
    card = board.card(moved.opportunity_id, TODAY)
    assert (card.stage, card.days_in_stage, card.probability) == ("qualified", 0, 30)
    assert board.owners() == sorted(["张伟", "李娜"])


def test_the_board_reads_the_open_and_the_closed_deals_by_their_indexes(pipeline):
    """The open deals by stage (live-stage index), the won and lost by the day they closed
    (live-closed index): never a scan of every deal ever closed."""
    (open_where, open_params), (closed_where, closed_params) = board.parts(BoardQuery(today=TODAY), board.S.load())
    for where, params, index in ((open_where, open_params, "(stage=?)"),  # either index: both lead with stage
                                 (closed_where, closed_params, "opportunity_live_closed (stage=? AND closed_on>?")):
        plan = " ".join(str(r) for r in database.execute_sql(
            f"EXPLAIN QUERY PLAN SELECT o.stage, count(*) {board.FROM} WHERE {where} GROUP BY o.stage", params))
        assert index in plan and "SCAN o" not in plan


def test_the_list_filters_sorts_and_pages_in_sql(pipeline):
    query = OpportunityQuery(today=TODAY)
    assert L.count(query) == 5
    assert list(L.ids(query)) == [pipeline[k] for k in ("old", "valve", "pipe", "pump", "flange")]
    by_amount = OpportunityQuery(today=TODAY, sort="amount", descending=True)
    assert L.first_ids(by_amount, 2) == [pipeline["pipe"], pipeline["valve"]]
    assert list(L.ids(OpportunityQuery(today=TODAY, stage="lead", search="阀"))) == [pipeline["valve"]]
    rows = L.rows([pipeline["valve"]], ("title", "customer_name", "amount", "days_in_stage", "stage"), TODAY)
    assert rows[pipeline["valve"]] == ("阀门", "北京华润", Decimal(20000), 64, "lead")
    by_days = list(L.ids(OpportunityQuery(today=TODAY, sort="days_in_stage", descending=True)))
    assert by_days[0] == pipeline["valve"]
