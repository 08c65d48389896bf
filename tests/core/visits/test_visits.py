"""Visits without Qt: planning, recording, the state machine (invalid moves refused), two
windows editing one plan, and a refused write leaving the database as it was."""
from __future__ import annotations

import datetime as dt

import pytest

from crmdesk.core.visits import fields as V
from crmdesk.core.errors import CrmError, ValidationError
from crmdesk.core.models import Customer, Visit, database
from crmdesk.core.customers import archive as customers
from crmdesk.core.visits import visits

T = dt.datetime(2026, 11, 24, 9, 0)
TABLES = ("customer", "visit", "visit_series", "change_log")


def snapshot():
    return {t: database.execute_sql(f'SELECT * FROM "{t}" ORDER BY 1').fetchall() for t in TABLES}


@pytest.fixture
def customer(db) -> int:
    cid, _ = customers.create({"name": "上海明华贸易有限公司", "province": "上海", "city": "上海",
                               "district": "浦东新区", "address": "张江路 88 号", "owner": "张伟",
                               "tier": "key", "stage": "prospect", "mobile": "13812345678"})
    return cid


def plan(customer_id, start=T, minutes=60, **extra):
    return {"customer_id": customer_id, "starts_at": start, "ends_at": start + dt.timedelta(minutes=minutes),
            "kind": "first_visit", "objective": "了解需求", **extra}


# ---------------------------------------------------------------- planning

def test_plan_fills_place_and_rep_from_the_customer(customer):
    written = visits.create(plan(customer))
    visit = visits.get(written.visit_id)
    assert visit.place == "上海浦东新区张江路 88 号"
    assert visit.rep == "张伟"
    assert visit.state == V.PLANNED and visit.version == 1
    assert Customer.get_by_id(customer).next_visit_at == T
    assert {c.entity for c in written.changes} == {"visit", "customer"}


def test_a_typed_place_and_text_are_kept(customer):
    visit_id = visits.create(plan(customer, place="客户展厅", talking_points="价格\n交期\n")).visit_id
    visit = visits.get(visit_id)
    assert visit.place == "客户展厅"
    assert visit.talking_points == "价格\n交期"


def test_end_before_start_is_refused_and_nothing_written(customer):
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        visits.create(plan(customer, minutes=-30))
    assert caught.value.errors["ends_at"].code == "end_before_start"
    with pytest.raises(ValidationError) as caught:
        visits.create({**plan(customer), "ends_at": T})
    assert caught.value.errors["ends_at"].code == "end_before_start"
    assert snapshot() == before


def test_unreadable_times_and_unknown_kind_are_refused(customer):
    with pytest.raises(ValidationError) as caught:
        visits.create({**plan(customer), "starts_at": "next tuesday", "kind": "party"})
    assert caught.value.errors["starts_at"].code == "datetime_invalid"
    assert caught.value.errors["kind"].code == "enum_invalid"


def test_a_visit_longer_than_a_month_is_a_typing_mistake(customer):
    with pytest.raises(ValidationError) as caught:
        visits.create(plan(customer, minutes=60 * 24 * 40))
    assert caught.value.errors["ends_at"].code == "visit_too_long"


def test_a_visit_for_a_deleted_customer_is_refused(customer):
    customers.delete([customer])
    before = snapshot()
    with pytest.raises(CrmError) as caught:
        visits.create(plan(customer))
    assert caught.value.code == "customer_not_found"
    assert snapshot() == before


def test_visits_of_a_deleted_customer_cannot_be_recorded(customer):
    visit_id = visits.create(plan(customer)).visit_id
    customers.delete([customer])
    with pytest.raises(CrmError) as caught:
        visits.record(visit_id, {"outcome": "x"})
    assert caught.value.code == "visit_not_found"


def test_a_passed_planned_visit_shows_as_missed_until_recorded(customer):
    visit = visits.get(visits.create(plan(customer)).visit_id)
    assert visits.shown_state(visit, T) == V.PLANNED
    assert visits.shown_state(visit, T + dt.timedelta(hours=2)) == V.MISSED
    visits.record(visit.id, {"outcome": "谈得不错"})
    assert visits.shown_state(visits.get(visit.id), T + dt.timedelta(hours=2)) == V.DONE


# ---------------------------------------------------------------- recording

def test_record_keeps_everything_and_plans_the_next(customer):
    visit_id = visits.create(plan(customer)).visit_id
    written = visits.record(visit_id, {
        "outcome": "见了采购经理", "rating": 4, "follow_up": "周五前发报价",
        "objections": [("价格太高", "给阶梯报价"), ("", "")]},
        expected_version=1, next_plan={"starts_at": T + dt.timedelta(days=7), "kind": "presentation"},
        stage="developing", at=T + dt.timedelta(hours=1))
    visit = visits.get(visit_id)
    assert visit.state == V.DONE and visit.rating == 4 and visit.follow_up == "周五前发报价"
    assert visits.objections(visit) == [("价格太高", "给阶梯报价")]
    assert visit.recorded_at == T + dt.timedelta(hours=1)
    following = visits.get(written.next_visit_id)
    assert following.starts_at == T + dt.timedelta(days=7)
    assert following.ends_at == T + dt.timedelta(days=7, hours=1)
    assert following.kind == "presentation" and following.place == visit.place
    assert visit.next_visit_id == following.id
    row = Customer.get_by_id(customer)
    assert row.stage == "developing"
    assert row.last_visit_at == T and row.next_visit_at == T + dt.timedelta(days=7)


def test_a_rating_out_of_range_is_refused(customer):
    visit_id = visits.create(plan(customer)).visit_id
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        visits.record(visit_id, {"rating": 9})
    assert caught.value.errors["rating"].code == "rating_out_of_range"
    assert snapshot() == before


def test_log_a_visit_that_was_never_planned(customer):
    written = visits.log_visit(plan(customer), {"outcome": "路过拜访", "rating": 3})
    visit = visits.get(written.visit_id)
    assert visit.state == V.DONE and visit.outcome == "路过拜访"
    assert Customer.get_by_id(customer).last_visit_at == T


def test_next_stage_follows_the_lifecycle():
    assert visits.next_stage("prospect") == "developing"
    assert visits.next_stage("developing") == "mature"
    assert visits.next_stage("mature") is None
    assert visits.next_stage("lost") is None


@pytest.mark.parametrize("first,then", [
    (lambda v: visits.cancel(v, "客户出差"), lambda v: visits.record(v, {"outcome": "x"})),
    (lambda v: visits.record(v, {"outcome": "x"}), lambda v: visits.cancel(v, "")),
    (lambda v: visits.record(v, {"outcome": "x"}), lambda v: visits.postpone(v, T + dt.timedelta(days=1))),
    (lambda v: visits.mark_missed(v, "没见到人"), lambda v: visits.mark_missed(v, "")),
    (lambda v: visits.cancel(v, ""), lambda v: visits.reschedule(v, T + dt.timedelta(days=1))),
])
def test_invalid_state_changes_are_refused(customer, first, then):
    visit_id = visits.create(plan(customer)).visit_id
    first(visit_id)
    before = snapshot()
    with pytest.raises(CrmError) as caught:
        then(visit_id)
    assert caught.value.code == "visit_bad_transition"
    assert snapshot() == before


def test_a_done_visit_record_can_be_corrected(customer):
    visit_id = visits.create(plan(customer)).visit_id
    visits.record(visit_id, {"outcome": "first words"}, at=T)
    visits.record(visit_id, {"outcome": "better words"}, at=T + dt.timedelta(days=1))
    visit = visits.get(visit_id)
    assert visit.outcome == "better words" and visit.recorded_at == T


def test_postpone_keeps_the_old_visit_and_plans_a_new_one(customer):
    visit_id = visits.create(plan(customer, talking_points="样品")).visit_id
    written = visits.postpone(visit_id, T + dt.timedelta(days=2), "客户临时开会")
    old, new = visits.get(visit_id), visits.get(written.next_visit_id)
    assert old.state == V.POSTPONED and old.reason == "客户临时开会"
    assert new.state == V.PLANNED and new.talking_points == "样品"
    assert new.starts_at == T + dt.timedelta(days=2) and new.ends_at == T + dt.timedelta(days=2, hours=1)
    assert Customer.get_by_id(customer).next_visit_at == new.starts_at


def test_reschedule_keeps_the_length(customer):
    visit_id = visits.create(plan(customer, minutes=90)).visit_id
    visits.reschedule(visit_id, T + dt.timedelta(days=1, hours=5))
    visit = visits.get(visit_id)
    assert visit.starts_at == T + dt.timedelta(days=1, hours=5)
    assert visit.ends_at - visit.starts_at == dt.timedelta(minutes=90)
    assert visit.version == 2


def test_a_plan_edited_from_two_windows_keeps_the_first_save(customer):
    visit_id = visits.create(plan(customer)).visit_id
    first_window = visits.get(visit_id).version
    second_window = visits.get(visit_id).version
    visits.update_plan(visit_id, {"objective": "谈合同"}, first_window)
    before = snapshot()
    with pytest.raises(CrmError) as caught:
        visits.update_plan(visit_id, {"objective": "送样品"}, second_window)
    assert caught.value.code == "visit_changed_elsewhere"
    assert caught.value.params["name"] == "上海明华贸易有限公司"
    assert snapshot() == before
    assert visits.get(visit_id).objective == "谈合同"


def test_delete_and_restore(customer):
    visit_id = visits.create(plan(customer)).visit_id
    visits.delete([visit_id])
    assert Customer.get_by_id(customer).next_visit_at is None
    with pytest.raises(CrmError):
        visits.get(visit_id)
    visits.restore([visit_id])
    assert visits.get(visit_id).state == V.PLANNED
    assert Customer.get_by_id(customer).next_visit_at == T


def test_clashes_are_the_same_reps_overlapping_plans(customer):
    first = visits.create(plan(customer)).visit_id
    visits.create(plan(customer, start=T + dt.timedelta(hours=1)))  # right after: no clash
    visits.create(plan(customer, start=T + dt.timedelta(minutes=30), rep="李娜"))  # another rep
    found = visits.clashes("张伟", T + dt.timedelta(minutes=30), T + dt.timedelta(minutes=45))
    assert [v.id for v in found] == [first]
    assert visits.clashes("张伟", T, T + dt.timedelta(hours=1), exclude=first) == []


def test_history_records_the_visit(customer):
    visit_id = visits.create(plan(customer)).visit_id
    visits.record(visit_id, {"outcome": "ok", "rating": 5})
    rows = database.execute_sql("SELECT action, field FROM change_log WHERE entity = 'visit' "
                                "AND record_id = ? ORDER BY id", (visit_id,)).fetchall()
    assert rows[0] == ("created", "")
    assert ("updated", "state") in rows and ("updated", "rating") in rows
    assert Visit.get_by_id(visit_id).customer_id == customer
