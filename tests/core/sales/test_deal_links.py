"""A sale's deal and a visit's deal, each written with what it belongs to in one
transaction: a sale refuses another customer's deal (one sentence, nothing saved) and its
deal changed alone is saved and logged; a visit's corrected plan and its deal are saved
together or not at all; a repeating plan made for a deal is for it while the deal is open."""
from __future__ import annotations

import datetime as dt

import pytest

from crmdesk.core.errors import CrmError, FieldError
from crmdesk.core.messages import message
from crmdesk.core.models import ChangeLog, Sale, Visit, database
from crmdesk.core.sales import opportunities as O
from crmdesk.core.sales import opportunities_visits as OV
from crmdesk.core.sales import sales
from crmdesk.core.sales.sale_check import LineDraft, SaleDraft
from crmdesk.core.customers import archive as customers
from crmdesk.core.visits import series as visit_series, visits

TODAY = dt.date(2026, 12, 4)
T = dt.datetime(2026, 12, 7, 9, 0)
OTHER_DEAL = ("The visit or opportunity this sale is linked to belongs to another customer or was deleted: "
              "record the sale from that customer; nothing was saved.")


@pytest.fixture
def setup(db):
    hr = customers.create({"name": "北京华润", "owner": "张伟"})[0]
    other = customers.create({"name": "杭州小微", "owner": "李娜"})[0]
    deal = O.create({"customer_id": hr, "title": "管道", "stage": "proposal"}, now=T).opportunity_id
    foreign = O.create({"customer_id": other, "title": "水泵", "stage": "proposal"}, now=T).opportunity_id
    return {"hr": hr, "other": other, "deal": deal, "foreign": foreign}


def plan(customer_id, start=T, objective="方案演示"):
    return {"customer_id": customer_id, "starts_at": start, "ends_at": start + dt.timedelta(hours=1),
            "kind": "presentation", "objective": objective}


def draft(customer_id, opportunity_id=None) -> SaleDraft:
    return SaleDraft(customer_id, TODAY, lines=[LineDraft("阀门", amount="800")], opportunity_id=opportunity_id)


# ---------------------------------------------------------------- a sale's deal

def test_a_sale_refuses_a_deal_of_another_customer(setup):
    with pytest.raises(FieldError) as caught:
        sales.record(draft(setup["hr"], setup["foreign"]), TODAY)
    assert (caught.value.code, caught.value.key, message(caught.value)) == (
        "sale_link_other_customer", "opportunity", OTHER_DEAL)
    assert Sale.select().count() == 0
    sale_id = sales.record(draft(setup["hr"], setup["deal"]), TODAY).sale_id
    with pytest.raises(FieldError) as caught:
        sales.update(sale_id, draft(setup["hr"], setup["foreign"]), None, TODAY)
    assert message(caught.value) == OTHER_DEAL
    assert Sale.get_by_id(sale_id).opportunity_id == setup["deal"] and Sale.get_by_id(sale_id).version == 1


def test_a_sales_deal_changed_alone_is_saved_and_logged(setup):
    sale_id = sales.record(draft(setup["hr"]), TODAY).sale_id
    written = sales.update(sale_id, draft(setup["hr"], setup["deal"]), 1, TODAY)
    assert Sale.get_by_id(sale_id).opportunity_id == setup["deal"] and any(c.entity == "sale" for c in written.changes)
    logged = ChangeLog.get((ChangeLog.entity == "sale") & (ChangeLog.field == "opportunity"))
    assert (logged.old, logged.new) == (None, str(setup["deal"]))
    sales.update(sale_id, draft(setup["hr"], None), 2, TODAY)
    assert Sale.get_by_id(sale_id).opportunity_id is None


def test_a_sale_is_offered_the_open_deals_and_those_won_lately(setup):
    hr = setup["hr"]
    won = O.create({"customer_id": hr, "title": "阀门", "stage": "proposal"}, now=T).opportunity_id
    old = O.create({"customer_id": hr, "title": "旧单", "stage": "proposal"}, now=T).opportunity_id
    lost = O.create({"customer_id": hr, "title": "泵", "stage": "proposal"}, now=T).opportunity_id
    O.win(won, None, closed_on=TODAY - dt.timedelta(days=OV.RECENTLY_WON_DAYS))
    O.win(old, None, closed_on=TODAY - dt.timedelta(days=OV.RECENTLY_WON_DAYS + 1))
    O.lose(lost, None, "price", closed_on=TODAY)
    assert [t for _, t in OV.sale_choices(hr, TODAY)] == ["阀门", "管道"]
    assert [t for _, t in OV.sale_choices(hr, TODAY, keep=old)] == ["阀门", "管道", "旧单"]


# ---------------------------------------------------------------- a visit's plan and deal together

def test_a_refused_deal_leaves_the_corrected_plan_unsaved(setup):
    vid = OV.plan_visit(plan(setup["hr"]), setup["deal"]).visit_id
    before = Visit.get_by_id(vid)
    logged = ChangeLog.select().count()
    changed = {"objective": "报价谈判", "starts_at": T + dt.timedelta(days=1), "ends_at": T + dt.timedelta(days=1, hours=1)}
    with pytest.raises(CrmError) as caught:
        OV.update_plan(vid, changed, before.version, setup["foreign"])
    assert caught.value.code == "opportunity_other_customer" and "水泵" in message(caught.value)
    after = Visit.get_by_id(vid)
    assert (after.objective, after.starts_at, after.opportunity_id, after.version) == (
        "方案演示", T, setup["deal"], before.version)
    assert ChangeLog.select().count() == logged


def test_a_corrected_plan_and_its_deal_are_saved_together(setup):
    vid = visits.create(plan(setup["hr"])).visit_id
    written = OV.update_plan(vid, {"objective": "报价谈判"}, Visit.get_by_id(vid).version, setup["deal"])
    visit = Visit.get_by_id(vid)
    assert (visit.objective, visit.opportunity_id) == ("报价谈判", setup["deal"])
    assert {c.entity for c in written.changes} >= {"visit", "opportunity"}


# ---------------------------------------------------------------- a repeating plan for a deal

WEEKLY = {"interval": 1, "unit": "week", "count": 5}


def linked(series_id) -> list:
    return [v.opportunity_id for v in Visit.select().where(Visit.series == series_id).order_by(Visit.starts_at)]


def test_a_series_for_a_deal_is_for_it_while_it_is_open(setup, monkeypatch):
    """Weekly from Mon 7 Dec, two planned at a time; the deal is won on 15 Dec."""
    monkeypatch.setattr(visit_series, "MAX_PENDING", 2)
    deal = setup["deal"]
    result = OV.plan_series(plan(setup["hr"]), WEEKLY, deal)
    assert linked(result.series_id) == [deal] * 2
    first, second = (v.id for v in Visit.select().where(Visit.series == result.series_id).order_by(Visit.starts_at))
    changes = visits.cancel(first, "改期").changes  # the series plans the 21st: still for the open deal
    assert linked(result.series_id) == [deal] * 3
    assert any(c.entity == "opportunity" for c in changes)
    moved = O.win(deal, None, closed_on=dt.date(2026, 12, 15), now=T)
    assert linked(result.series_id) == [deal, deal, None]  # the 21st comes after it closed: no longer for it
    assert moved.released and any(c.entity == "visit" for c in moved.changes)
    logged = ChangeLog.select().where((ChangeLog.entity == "visit") & (ChangeLog.field == "opportunity")
                                      & (ChangeLog.record_id == moved.released[0])).order_by(ChangeLog.id.desc()).first()
    assert (logged.old, logged.new) == (str(deal), None)
    visits.cancel(second, "改期")  # the 28th is planned after the deal was won: the customer's alone
    assert linked(result.series_id) == [deal, deal, None, None]
    O.undo_move(moved)  # not won after all: the visit it let go is the deal's again
    assert linked(result.series_id) == [deal, deal, deal, None]


def test_a_deal_lost_in_its_dialog_lets_its_series_go_but_keeps_single_visits(setup):
    deal = setup["deal"]
    series = OV.plan_series(plan(setup["hr"]), WEEKLY, deal).series_id
    single = OV.plan_visit(plan(setup["hr"], T + dt.timedelta(days=30), "签约"), deal).visit_id
    written = O.update(deal, {"stage": "lost", "lost_reason": "price", "closed_on": "2026-12-10"}, None, now=T)
    assert linked(series) == [deal] + [None] * 4  # the 7th happened while it was open
    assert Visit.get_by_id(single).opportunity_id == deal  # chosen for this visit by the user: kept
    assert any(c.entity == "visit" for c in written.changes)


def test_a_series_for_another_customers_deal_is_refused_whole(setup):
    before = database.execute_sql("SELECT count(*) FROM visit").fetchone()[0]
    with pytest.raises(CrmError) as caught:
        OV.plan_series(plan(setup["hr"]), WEEKLY, setup["foreign"])
    assert caught.value.code == "opportunity_other_customer"
    assert database.execute_sql("SELECT count(*) FROM visit").fetchone()[0] == before
    assert database.execute_sql("SELECT count(*) FROM visit_series").fetchone()[0] == 0
