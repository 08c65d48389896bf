"""Opportunities without Qt: create, edit, delete, restore; moves between stages with their
history and their undo; won, lost, reopened; every bad input one sentence with nothing saved."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from crmdesk.core import messages
from crmdesk.core.errors import CrmError, ValidationError
from crmdesk.core.models import ChangeLog, Customer, Opportunity, StageChange, database
from crmdesk.core.sales import opportunities as O
from crmdesk.core.customers import archive as customers
from crmdesk.core import history

T0 = dt.datetime(2026, 11, 2, 9, 0)
T1 = dt.datetime(2026, 11, 20, 15, 30)
TABLES = ("customer", "opportunity", "stage_change", "change_log")


def snapshot():
    return {t: database.execute_sql(f'SELECT * FROM "{t}" ORDER BY 1').fetchall() for t in TABLES}


@pytest.fixture
def customer(db) -> int:
    cid, _ = customers.create({"name": "上海明华贸易有限公司", "owner": "张伟", "tier": "key", "stage": "prospect"})
    return cid


def deal(customer_id, **extra):
    return {"customer_id": customer_id, "title": "不锈钢管道 200 吨", "amount": "12.5万", "stage": "qualified",
            "expected_close": "2026-12-20", "next_step": "寄样品", "next_step_on": dt.date(2026, 12, 1),
            "source": "exhibition", "competitors": "宝钢", "contacts": "王经理、李工", "notes": "年底采购", **extra}


def test_create_takes_the_stages_probability_and_the_customers_owner(customer):
    written = O.create(deal(customer), now=T0)
    row = O.get(written.opportunity_id)
    assert (row.title, row.amount, row.stage, row.probability) == ("不锈钢管道 200 吨", Decimal("125000"), "qualified", 30)
    assert (row.owner, row.source, row.expected_close) == ("张伟", "exhibition", dt.date(2026, 12, 20))
    assert row.stage_since == T0 and row.closed_on is None
    assert [(c.stage, c.entered_at, c.left_at) for c in O.history_of(row.id)] == [("qualified", T0, None)]
    assert written.changes[0].entity == "opportunity" and written.changes[0].ids == (row.id,)
    timeline = history.timeline(customer)
    assert (timeline[0].entity, timeline[0].action, timeline[0].new) == ("opportunity", "created", "不锈钢管道 200 吨")


def test_an_edited_probability_is_kept(customer):
    row = O.get(O.create(deal(customer, probability="45"), now=T0).opportunity_id)
    assert row.probability == 45


def test_update_logs_each_field_and_a_new_stage_is_a_stage_change(customer):
    row = O.get(O.create(deal(customer), now=T0).opportunity_id)
    O.update(row.id, {"amount": 150000, "next_step": "报价", "stage": "proposal"}, row.version, now=T1)
    row = O.get(row.id)
    assert (row.amount, row.stage, row.probability, row.stage_since) == (Decimal(150000), "proposal", 50, T1)
    assert [(c.stage, c.left_at) for c in O.history_of(row.id)] == [("qualified", T1), ("proposal", None)]
    logged = {(e.field, e.old, e.new) for e in ChangeLog.select().where(ChangeLog.action == "updated")}
    assert {("amount", "125000", "150000"), ("stage", "qualified", "proposal"), ("next_step", "寄样品", "报价")} <= logged


def test_move_opens_a_new_stay_and_undo_puts_everything_back(customer):
    row = O.get(O.create(deal(customer, probability=40), now=T0).opportunity_id)
    moved = O.move(row.id, "negotiation", row.version, now=T1)
    after = O.get(row.id)
    assert (after.stage, after.probability, after.stage_since) == ("negotiation", 75, T1)
    assert [(c.stage, c.entered_at, c.left_at) for c in O.history_of(row.id)] == [
        ("qualified", T0, T1), ("negotiation", T1, None)]
    assert history.timeline(customer)[0].field in ("stage", "probability")
    O.undo_move(moved)
    back = O.get(row.id)
    assert (back.stage, back.probability, back.stage_since) == ("qualified", 40, T0)
    assert [(c.stage, c.left_at) for c in O.history_of(row.id)] == [("qualified", None)]


def test_won_closes_it_and_offers_a_prospect_the_next_lifecycle_stage(customer):
    row = O.get(O.create(deal(customer), now=T0).opportunity_id)
    moved = O.win(row.id, row.version, now=T1)
    won = O.get(row.id)
    assert (won.stage, won.probability, won.closed_on) == ("won", 100, T1.date())
    assert moved.offer_stage == "developing"
    O.advance_customer(customer, moved.offer_stage)
    assert Customer.get_by_id(customer).stage == "developing"
    assert O.get(O.create(deal(customer), now=T0).opportunity_id) and \
        O.win(O.for_customer(customer, open_only=True)[0].id, None, now=T1).offer_stage is None


def test_lost_keeps_the_reason_and_reopen_goes_back_to_the_last_open_stage(customer):
    row = O.get(O.create(deal(customer), now=T0).opportunity_id)
    moved = O.lose(row.id, row.version, "price", "对方压价 15%", now=T1)
    lost = O.get(row.id)
    assert (lost.stage, lost.lost_reason, lost.lost_note, lost.closed_on, lost.probability) == (
        "lost", "price", "对方压价 15%", T1.date(), 0)
    O.reopen(row.id, moved.version, now=T1 + dt.timedelta(days=1))
    reopened = O.get(row.id)
    assert (reopened.stage, reopened.closed_on, reopened.lost_reason, reopened.probability) == ("qualified", None, None, 30)


def test_delete_and_restore(customer):
    oid = O.create(deal(customer), now=T0).opportunity_id
    changes = O.delete([oid])
    assert changes[0].kind == "deleted"
    with pytest.raises(CrmError) as caught:
        O.get(oid)
    assert caught.value.code == "opportunity_not_found"
    O.restore([oid])
    assert O.get(oid).title == "不锈钢管道 200 吨"
    assert [e.action for e in history.timeline(customer)][:3] == ["restored", "deleted", "created"]


# ---------------------------------------------------------------- bad input

def refused(call, code):
    before = snapshot()
    with pytest.raises(CrmError) as caught:
        call()
    assert caught.value.code == code
    assert messages.TEMPLATES.get(code), code  # a sentence the user can read
    assert messages.message(caught.value) != messages.UNKNOWN
    assert snapshot() == before
    return caught.value


def test_a_deleted_customer_is_refused(customer):
    customers.delete([customer])
    refused(lambda: O.create(deal(customer)), "customer_not_found")


def test_a_negative_amount_is_refused(customer):
    error = refused(lambda: O.create(deal(customer, amount="-5")), "validation_failed")
    assert isinstance(error, ValidationError) and error.errors["amount"].code == "money_negative"
    assert messages.message(error.errors["amount"]) == "The amount cannot be negative."


def test_a_probability_outside_0_to_100_is_refused(customer):
    error = refused(lambda: O.create(deal(customer, probability=120)), "validation_failed")
    assert error.errors["probability"].code == "number_out_of_range"
    assert "0 to 100" in messages.message(error.errors["probability"])


def test_a_stage_that_does_not_exist_is_refused(customer):
    refused(lambda: O.create(deal(customer, stage="signed")), "opportunity_stage_unknown")
    oid = O.create(deal(customer), now=T0).opportunity_id
    refused(lambda: O.move(oid, "signed", None, now=T1), "opportunity_stage_unknown")


def test_a_drag_to_won_of_a_deal_changed_elsewhere_is_refused(customer):
    row = O.get(O.create(deal(customer), now=T0).opportunity_id)
    O.update(row.id, {"amount": 130000}, row.version)  # another window
    error = refused(lambda: O.win(row.id, row.version, now=T1), "record_changed_elsewhere")
    assert "amount" in messages.message(error)


def test_lost_without_a_reason_is_refused(customer):
    row = O.get(O.create(deal(customer), now=T0).opportunity_id)
    refused(lambda: O.lose(row.id, row.version, None), "opportunity_lost_reason_required")
    refused(lambda: O.lose(row.id, row.version, "weather"), "opportunity_lost_reason_required")


def test_an_undo_after_another_change_is_refused(customer):
    row = O.get(O.create(deal(customer), now=T0).opportunity_id)
    moved = O.move(row.id, "proposal", row.version, now=T1)
    O.update(row.id, {"title": "管道二期"}, moved.version)
    refused(lambda: O.undo_move(moved), "record_changed_elsewhere")


def test_only_a_closed_deal_reopens(customer):
    row = O.get(O.create(deal(customer), now=T0).opportunity_id)
    refused(lambda: O.reopen(row.id, row.version), "opportunity_not_closed")


def test_stage_history_rows_are_one_per_stay(customer):
    row = O.get(O.create(deal(customer, stage="lead"), now=T0).opportunity_id)
    version = row.version
    for day, stage in enumerate(("qualified", "proposal", "negotiation"), 1):
        version = O.move(row.id, stage, version, now=T0 + dt.timedelta(days=day)).version
    assert StageChange.select().where(StageChange.opportunity == row.id, StageChange.left_at.is_null()).count() == 1
    assert [c.stage for c in O.history_of(row.id)] == ["lead", "qualified", "proposal", "negotiation"]
    assert Opportunity.get_by_id(row.id).stage_since == T0 + dt.timedelta(days=3)


def test_an_edit_to_lost_needs_a_reason_and_keeps_it(customer):
    row = O.get(O.create(deal(customer), now=T0).opportunity_id)
    refused(lambda: O.update(row.id, {"stage": "lost"}, row.version, now=T1), "opportunity_lost_reason_required")
    refused(lambda: O.create(deal(customer, stage="lost")), "opportunity_lost_reason_required")
    O.update(row.id, {"stage": "lost", "lost_reason": "timing"}, row.version, now=T1)
    lost = O.get(row.id)
    assert (lost.stage, lost.lost_reason, lost.closed_on, lost.probability) == ("lost", "timing", T1.date(), 0)
    O.update(row.id, {"notes": "明年再谈"}, lost.version)  # an edit of a lost deal keeps its reason
    assert O.get(row.id).lost_reason == "timing"
