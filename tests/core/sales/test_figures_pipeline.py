"""The funnel and the forecast on a few deals worked out by hand."""
from __future__ import annotations

import datetime as dt

import pytest

from crmdesk.core.models import Opportunity
from crmdesk.core.sales import stages
from crmdesk.core.sales.figures import Period
from crmdesk.core.sales.figures_pipeline import forecast, funnel, year_before
from crmdesk.core.sales.stages import DEFAULT_STAGES, Stage
from tests.core.sales.figures_data import customer, deal

D = dt.date
TODAY = D(2026, 11, 23)
YEAR = Period(D(2026, 1, 1), D(2027, 1, 1))


@pytest.fixture
def pipeline(db):
    """Eight deals opened in 2026 and one in 2025:
    lead (1000), lead (500), qualified (2000, lead → qualified), proposal (3000, went straight
    from lead to proposal), negotiation (4000, every step), won (5000, every step, 30 days),
    won (1000, lead → won, 10 days), lost (800, lead → qualified → lost); 2025: won (7000)."""
    c = customer("甲公司")
    ids = {
        "lead1": deal(c, "lead", 1000, D(2026, 3, 1)),
        "lead2": deal(c, "lead", 500, D(2026, 4, 1)),
        "qualified": deal(c, "qualified", 2000, D(2026, 3, 1), ["lead"]),
        "proposal": deal(c, "proposal", 3000, D(2026, 3, 1), ["lead"]),
        "negotiation": deal(c, "negotiation", 4000, D(2026, 2, 1), ["lead", "qualified", "proposal"]),
        "won": deal(c, "won", 5000, D(2026, 2, 1), ["lead", "qualified", "proposal", "negotiation"],
                    closed_on=D(2026, 3, 3)),
        "won_fast": deal(c, "won", 1000, D(2026, 5, 1), ["lead"], closed_on=D(2026, 5, 11)),
        "lost": deal(c, "lost", 800, D(2026, 6, 1), ["lead", "qualified"], closed_on=D(2026, 6, 20)),
        "old": deal(c, "won", 7000, D(2025, 1, 5), ["lead"], closed_on=D(2025, 2, 1)),
    }
    return ids


def test_the_funnel_counts_reaches_and_converts(pipeline):
    f = funnel(YEAR, TODAY)
    rows = {s.key: s for s in f.stages}
    assert [s.key for s in f.stages] == ["lead", "qualified", "proposal", "negotiation", "won", "lost"]
    assert [(s.count, s.amount) for s in f.stages] == [(2, 1500.0), (1, 2000.0), (1, 3000.0), (1, 4000.0),
                                                      (2, 6000.0), (1, 800.0)]
    assert f.deals == 8
    # Reached: lead 8; qualified 6 (all but the two leads); proposal 4 (the one that skipped
    # qualified, negotiation and both won); negotiation 3; won 2.
    assert [rows[k].reached for k in ("lead", "qualified", "proposal", "negotiation", "won")] == [8, 6, 4, 3, 2]
    assert rows["lead"].conversion is None
    assert rows["qualified"].conversion == pytest.approx(6 / 8)
    assert rows["proposal"].conversion == pytest.approx(4 / 6)
    assert rows["won"].conversion == pytest.approx(2 / 3)
    assert rows["lost"].reached is None and rows["lost"].name("zh") == "输单"
    # Closed in 2026: two won (30 and 10 days, 5000 and 1000), one lost.
    assert (f.won, f.lost, f.win_rate) == (2, 1, pytest.approx(2 / 3))
    assert (f.cycle_days, f.deal_size, f.won_amount) == (20.0, 3000.0, 6000.0)


def test_the_funnel_of_a_period_with_nothing_closed(pipeline):
    f = funnel(Period(D(2026, 4, 1), D(2026, 5, 1)), TODAY)
    assert f.deals == 1 and f.win_rate is None and f.cycle_days is None and f.deal_size is None
    assert [s.reached for s in f.stages if s.kind != "lost"] == [1, 0, 0, 0, 0]
    assert [s.conversion for s in f.stages][:3] == [None, 0.0, None]  # nothing reached qualified


def test_the_funnel_follows_an_edited_stage_list_and_keeps_unknown_stages(pipeline):
    edited = (Stage("lead", "线索", "Lead", 10), Stage("visit", "初次拜访", "First visit", 20)) + DEFAULT_STAGES[1:]
    stages.save(edited)
    Opportunity.update(stage="old_step").where(Opportunity.id == pipeline["lead2"]).execute()
    f = funnel(YEAR, TODAY)
    assert [s.key for s in f.stages] == ["lead", "visit", "qualified", "proposal", "negotiation", "old_step",
                                        "won", "lost"]
    rows = {s.key: s for s in f.stages}
    assert (rows["old_step"].count, rows["old_step"].name_en) == (1, "old_step")
    assert rows["lead"].count == 1
    assert rows["visit"].reached == 6  # passed by every deal that got further


def _open(c, stage, amount, close, owner, probability):
    deal(c, stage, amount, D(2026, 9, 1), ["lead"] if stage != "lead" else [], owner=owner,
         probability=probability, expected_close=close)


def test_the_forecast_by_month_and_owner_against_last_year(db):
    c = customer("甲公司")
    _open(c, "proposal", 10000, D(2026, 12, 15), "张伟", 50)
    _open(c, "negotiation", 4000, D(2026, 12, 20), "李娜", 75)
    _open(c, "lead", 2000, D(2027, 2, 1), "张伟", 10)
    _open(c, "lead", 9999, D(2027, 6, 1), "张伟", 10)  # after the period
    _open(c, "lead", 1234, None, "张伟", 10)  # no date: counted apart
    deal(c, "won", 6000, D(2025, 10, 1), ["lead"], closed_on=D(2025, 12, 5), owner="张伟")
    deal(c, "won", 3000, D(2025, 10, 1), ["lead"], closed_on=D(2026, 1, 5), owner="王强")
    deal(c, "lost", 3000, D(2025, 10, 1), ["lead"], closed_on=D(2025, 12, 6), owner="王强")
    f = forecast(Period(D(2026, 12, 1), D(2027, 3, 1)), TODAY)
    assert [(r.key, r.deals, r.amount, r.weighted, r.won_last_year) for r in f.months] == [
        ("2026-12", 2, 14000.0, 8000.0, 6000.0), ("2027-01", 0, 0.0, 0.0, 3000.0), ("2027-02", 1, 2000.0, 200.0, 0.0)]
    assert [(r.key, r.deals, r.weighted, r.won_last_year) for r in f.owners] == [
        ("张伟", 2, 5200.0, 6000.0), ("李娜", 1, 3000.0, 0.0), ("王强", 0, 0.0, 3000.0)]
    assert (f.weighted, f.amount, f.undated) == (8200.0, 16000.0, 1)


def test_the_forecast_without_a_period_spans_the_expected_dates(db):
    c = customer("甲公司")
    _open(c, "proposal", 1000, D(2026, 10, 3), "张伟", 50)  # overdue: still forecast
    _open(c, "proposal", 1000, D(2026, 12, 3), "张伟", 50)
    f = forecast(Period(), TODAY)
    assert [r.key for r in f.months] == ["2026-10", "2026-11", "2026-12"]
    assert forecast(Period(), TODAY).weighted == 1000.0


def test_no_deals_no_forecast(db):
    assert forecast(Period(), TODAY).months == []
    assert funnel(Period(), TODAY).deals == 0


def test_a_year_before_29_february():
    assert year_before(D(2028, 2, 29)) == D(2027, 2, 28)


def test_deals_of_deleted_or_other_customers_are_left_out(pipeline):
    from crmdesk.core.models import Customer
    other = customer("乙公司", owner="李娜")
    deal(other, "lead", 100, D(2026, 3, 1), owner="李娜", expected_close=D(2026, 12, 1))
    assert funnel(YEAR, TODAY).deals == 9
    assert funnel(Period(D(2026, 1, 1), D(2027, 1, 1), owner="李娜"), TODAY).deals == 1
    assert forecast(Period(D(2026, 12, 1), D(2027, 1, 1), owner="李娜"), TODAY).amount == 100.0
    Customer.update(deleted_at=dt.datetime(2026, 11, 1)).where(Customer.id == other).execute()
    assert funnel(YEAR, TODAY).deals == 8
    assert forecast(Period(D(2026, 12, 1), D(2027, 1, 1)), TODAY).amount == 0.0


def test_the_report_looks_ahead_and_counts_overdue_deals(db):
    from crmdesk.core.sales.figures_pipeline import ahead
    assert ahead(Period(D(2026, 1, 1), D(2026, 7, 1)), TODAY) == Period(D(2026, 11, 1), D(2027, 11, 1))
    assert ahead(Period(owner="张伟"), TODAY) == Period(D(2026, 11, 1), D(2027, 11, 1), owner="张伟")
    assert ahead(Period(D(2026, 1, 1), D(2027, 3, 1)), TODAY) == Period(D(2026, 11, 1), D(2027, 3, 1))
    c = customer("甲公司")
    _open(c, "proposal", 1000, D(2026, 10, 3), "张伟", 50)
    _open(c, "proposal", 500, D(2026, 11, 20), "张伟", 50)
    _open(c, "proposal", 700, D(2026, 12, 3), "张伟", 50)
    f = forecast(ahead(Period(), TODAY), TODAY)
    assert (f.overdue, f.overdue_amount) == (2, 1500.0)
    assert [(r.key, r.amount) for r in f.months][:2] == [("2026-11", 500.0), ("2026-12", 700.0)]
    assert len(f.months) == 12
