"""Visits for a deal (planned from a card, linked, listed) and typed objections: stored as
three-element rows, old two-element rows still read, and the statistic per type."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from crmdesk.core import messages
from crmdesk.core.errors import CrmError, ValidationError
from crmdesk.core.models import ChangeLog, Visit, database
from crmdesk.core.sales import objections as J
from crmdesk.core.sales import opportunities as O
from crmdesk.core.sales import opportunities_visits as OV
from crmdesk.core.sales.objections import Objection
from crmdesk.core.customers import archive as customers
from crmdesk.core import history
from crmdesk.core.visits import visits

T = dt.datetime(2026, 11, 24, 9, 0)


@pytest.fixture
def setup(db):
    hr, _ = customers.create({"name": "北京华润", "owner": "张伟", "stage": "prospect"})
    other, _ = customers.create({"name": "杭州小微", "owner": "李娜"})
    deal = O.create({"customer_id": hr, "title": "管道", "stage": "proposal"}, now=T).opportunity_id
    foreign = O.create({"customer_id": other, "title": "水泵"}, now=T).opportunity_id
    return {"hr": hr, "other": other, "deal": deal, "foreign": foreign}


def plan(customer_id, start=T):
    return {"customer_id": customer_id, "starts_at": start, "ends_at": start + dt.timedelta(hours=1),
            "kind": "presentation", "objective": "方案演示"}


def test_a_visit_planned_from_a_card_is_linked_and_listed(setup):
    written = OV.plan_visit(plan(setup["hr"]), setup["deal"])
    assert Visit.get_by_id(written.visit_id).opportunity_id == setup["deal"]
    assert [v.id for v in OV.visits_of(setup["deal"])] == [written.visit_id]
    assert any(c.entity == "opportunity" for c in written.changes)
    assert any(i.entity == "visit" and i.field == "opportunity" for i in history.timeline(setup["hr"]))
    OV.link(written.visit_id, None)
    assert OV.visits_of(setup["deal"]) == []


def test_the_forms_choices_are_the_customers_open_deals(setup):
    assert OV.choices(setup["hr"]) == [(setup["deal"], "管道")]
    O.win(setup["deal"], None, now=T)
    assert OV.choices(setup["hr"]) == []
    assert OV.choices(setup["hr"], keep=setup["deal"]) == [(setup["deal"], "管道")]


def test_a_deal_of_another_customer_is_refused_and_nothing_saved(setup):
    before = database.execute_sql("SELECT count(*) FROM visit").fetchone()[0]
    with pytest.raises(CrmError) as caught:
        OV.plan_visit(plan(setup["hr"]), setup["foreign"])
    assert caught.value.code == "opportunity_other_customer"
    assert "水泵" in messages.message(caught.value)
    assert database.execute_sql("SELECT count(*) FROM visit").fetchone()[0] == before


def test_typed_objections_are_stored_as_three_element_rows(setup):
    vid = visits.create(plan(setup["hr"])).visit_id
    rows = [Objection("太贵了", "按年付款打九折", "price"), Objection("要问老板", "", "authority"), ("交货慢", "现货")]
    J.record(vid, {"outcome": "演示顺利"}, rows, opportunity_id=setup["deal"])
    visit = Visit.get_by_id(vid)
    assert json.loads(visit.objections) == [["太贵了", "按年付款打九折", "price"], ["要问老板", "", "authority"],
                                            ["交货慢", "现货"]]
    assert visit.state == "done" and visit.opportunity_id == setup["deal"]
    assert J.parse(visit.objections)[0] == Objection("太贵了", "按年付款打九折", "price")
    assert ChangeLog.select().where(ChangeLog.field == "objections").count() >= 1


def test_old_two_element_rows_and_plain_text_still_read(setup):
    assert J.parse('[["太贵", "打折"]]') == [Objection("太贵", "打折", "")]
    assert J.parse("价格太高") == [Objection("价格太高")]
    assert J.parse('[["x", "y", "weather"]]') == [Objection("x", "y", "")]
    assert J.parse("") == []


def test_an_unknown_type_is_refused_and_nothing_saved(setup):
    vid = visits.create(plan(setup["hr"])).visit_id
    with pytest.raises(ValidationError) as caught:
        J.record(vid, {"outcome": "x"}, [Objection("太贵", "", "weather")])
    assert caught.value.errors["objections"].code == "enum_invalid"
    assert Visit.get_by_id(vid).state == "planned"


def test_a_walk_in_is_logged_with_typed_objections(setup):
    written = J.record(None, {"outcome": "顺路拜访"}, [Objection("没预算", "", "budget")],
                       plan={"customer_id": setup["hr"], "kind": "care", "starts_at": T, "ends_at": T + dt.timedelta(hours=1)})
    assert json.loads(Visit.get_by_id(written.visit_id).objections) == [["没预算", "", "budget"]]


def test_statistics_per_type_raised_answered_and_lost(setup):
    second = O.create({"customer_id": setup["hr"], "title": "阀门"}, now=T).opportunity_id
    v1 = visits.create(plan(setup["hr"])).visit_id
    v2 = visits.create(plan(setup["hr"], T + dt.timedelta(days=1))).visit_id
    v3 = visits.create(plan(setup["hr"], T + dt.timedelta(days=2))).visit_id
    J.record(v1, {}, [Objection("太贵", "打折", "price"), Objection("问老板", "", "authority")], opportunity_id=setup["deal"])
    J.record(v2, {}, [Objection("还是贵", "", "price")], opportunity_id=second)
    visits.record(v3, {"objections": [("旧的", "答了")]})  # before types
    O.lose(second, None, "price", now=T)
    stats = {s.type: s for s in J.statistics()}
    assert (stats["price"].raised, stats["price"].answered, stats["price"].deals, stats["price"].deals_lost) == (2, 1, 2, 1)
    assert (stats["authority"].raised, stats["authority"].answered, stats["authority"].deals_lost) == (1, 0, 0)
    assert (stats[""].raised, stats[""].answered, stats[""].deals) == (1, 1, 0)
    assert [s.type for s in J.statistics()] == ["authority", "price", ""]  # the course's order
