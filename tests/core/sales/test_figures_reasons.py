"""Why deals were lost and the objections met, for a period: small hand-counted data."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from crmdesk.core.models import Customer, Opportunity, Visit
from crmdesk.core.sales import figures_reasons as R
from crmdesk.core.sales import figures_report
from crmdesk.core.sales.figures import Period
from tests.core.sales.figures_data import customer, deal

D = dt.date
TODAY = D(2026, 11, 23)
YEAR = Period(D(2026, 1, 1))


def lose(cid, amount, closed_on, reason, owner="", created=D(2025, 12, 1)):
    opp_id = deal(cid, "lost", amount, created, ["lead"], closed_on=closed_on, owner=owner)
    Opportunity.update(lost_reason=reason).where(Opportunity.id == opp_id).execute()
    return opp_id


@pytest.fixture
def losses(db):
    a = customer("甲公司", owner="张伟", province="江苏")
    b = customer("乙公司", owner="李娜", province="浙江")
    lose(a, 1000, D(2026, 2, 1), "price", owner="张伟")
    lose(a, 3000, D(2026, 3, 1), "price", owner="张伟")
    lose(b, 500, D(2026, 4, 1), "competitor", owner="李娜")
    lose(b, 700, D(2026, 5, 1), "price", owner="李娜")
    lose(b, 200, D(2026, 6, 1), None, owner="")  # no reason recorded, no owner
    lose(a, 9000, D(2025, 6, 1), "timing", owner="张伟")  # last year: not in this one
    lose(a, 8000, D(2026, 11, 24), "timing", owner="张伟")  # tomorrow: not yet
    deal(a, "won", 5000, D(2026, 1, 2), ["lead"], closed_on=D(2026, 1, 9), owner="张伟")  # won: not counted
    deal(b, "proposal", 600, D(2026, 1, 2), ["lead"], owner="李娜")  # open: not counted
    return {"a": a, "b": b}


def test_lost_deals_by_reason_count_amount_and_share(losses):
    found = R.lost_reasons(YEAR, TODAY)
    assert [(r.key, r.deals, r.amount) for r in found.reasons] == [
        ("price", 3, 4700.0), ("competitor", 1, 500.0), ("", 1, 200.0)]
    assert [r.share for r in found.reasons] == [pytest.approx(3 / 5), pytest.approx(1 / 5), pytest.approx(1 / 5)]
    assert found.deals == 5 and found.amount == 5400.0
    assert found.keys == ["price", "competitor", ""]


def test_lost_deals_by_owner_and_reason(losses):
    owners = R.lost_reasons(YEAR, TODAY).owners
    # As many lost: the larger amount first.
    assert [(o.owner, o.deals, o.amount) for o in owners] == [("张伟", 2, 4000.0), ("李娜", 2, 1200.0), ("", 1, 200.0)]
    assert owners[1].by_reason == {"competitor": 1, "price": 1} and owners[0].count("price") == 2
    assert owners[2].count("") == 1 and owners[2].count("price") == 0


def test_the_period_and_its_customers_narrow_them(losses):
    assert [(r.key, r.deals) for r in R.lost_reasons(Period(D(2025, 1, 1), D(2026, 1, 1)), TODAY).reasons] == [
        ("timing", 1)]
    assert [(r.key, r.deals) for r in R.lost_reasons(Period(owner="李娜"), TODAY).reasons] == [
        ("price", 1), ("competitor", 1), ("", 1)]  # the customer's owner, as every figure; ties in the list's order
    assert [r.deals for r in R.lost_reasons(Period(region="江苏"), TODAY).reasons] == [2, 1]  # price, timing
    Customer.update(deleted_at=dt.datetime(2026, 7, 1)).where(Customer.id == losses["b"]).execute()
    assert [(r.key, r.deals) for r in R.lost_reasons(YEAR, TODAY).reasons] == [("price", 2)]


def test_nothing_lost(db):
    found = R.lost_reasons(YEAR, TODAY)
    assert found.reasons == [] and found.owners == [] and found.deals == 0 and found.keys == []


def visit(cid, start, rows, opportunity=None):
    return Visit.create(customer=cid, starts_at=start, ends_at=start + dt.timedelta(hours=1), state="done",
                        objections=json.dumps(rows, ensure_ascii=False), opportunity=opportunity).id


@pytest.fixture
def objected(db):
    a = customer("甲公司", owner="张伟")
    b = customer("乙公司", owner="李娜")
    lost_deal = lose(a, 1000, D(2026, 8, 1), "price", owner="张伟")
    open_deal = deal(b, "proposal", 600, D(2026, 1, 2), ["lead"], owner="李娜")
    at = dt.datetime
    visit(a, at(2026, 3, 2, 9), [["太贵", "讲价值", "price"], ["老板没点头", "", "authority"]], lost_deal)
    visit(a, at(2026, 5, 6, 14), [["还是贵", "", "price"]], lost_deal)
    visit(b, at(2026, 6, 1, 10), [["比别家贵", "给折扣", "price"], ["用不上", "", "need"]], open_deal)
    visit(b, at(2026, 7, 1, 10), [["旧的", "答了"]])  # before types
    visit(a, at(2025, 12, 30, 9), [["去年的", "", "budget"]], lost_deal)  # before the period
    visit(b, at(2026, 11, 24, 9), [["明天的", "", "timing"]])  # after today
    return {"a": a, "b": b}


def test_objections_of_the_period_per_type(objected):
    rows = R.objection_figures(YEAR, TODAY)
    assert [(r.type, r.raised, r.answered, r.deals, r.deals_lost) for r in rows] == [
        ("need", 1, 0, 1, 0), ("authority", 1, 0, 1, 1), ("price", 3, 2, 2, 1), ("", 1, 1, 0, 0)]
    price = rows[2]
    assert price.answered_share == pytest.approx(2 / 3) and price.lost_share == 0.5
    assert rows[3].lost_share is None


def test_objections_narrowed_to_the_customers_of_an_owner(objected):
    rows = R.objection_figures(Period(owner="张伟"), TODAY)
    assert [(r.type, r.raised, r.deals_lost) for r in rows] == [("budget", 1, 1), ("authority", 1, 1),
                                                                ("price", 2, 1)]
    assert R.objection_figures(Period(D(2027, 1, 1)), TODAY) == []


def test_the_report_holds_them(objected):
    built = figures_report.build(YEAR, TODAY)
    assert [(r.key, r.deals) for r in built.lost_reasons.reasons] == [("price", 1)]
    assert [r.type for r in built.objections] == ["need", "authority", "price", ""]
