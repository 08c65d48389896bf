"""Complaints without Qt: logging one (number, defaults, deadlines), validation, the repeat
flag, editing (deadlines move with the severity), delete and restore, the customer's
timeline, and the bad input issue 6 names, each refused with the database unchanged."""
from __future__ import annotations

import datetime as dt

import pytest

from crmdesk.core.complaints import fields as K
from crmdesk.core.errors import CrmError, FieldError, ValidationError
from crmdesk.core.models import CareEvent, Complaint, Customer
from crmdesk.core.complaints import flow
from crmdesk.core.complaints import settings as complaint_settings, complaints
from crmdesk.core.customers import archive as customers, transactions
from crmdesk.core import history
from tests.core.complaints.complaint_steps import D, R, advance, complaint, customer, snapshot

T0 = D(2025, 6, 2, 10)  # for the 90 days of the repeat flag, all in the past


@pytest.fixture
def cid(db) -> int:
    return customer()


# ---------------------------------------------------------------- logging one

def test_create_numbers_and_defaults(cid):
    written = complaints.create({"customer_id": cid, "category": "delivery", "words": " 货晚到了三天\r\n第二行 ",
                                 "received_at": R})
    c = complaints.get(written.complaint_id)
    assert c.number == "CMP-20260213-001"
    assert (c.owner, c.contact, c.contact_phone) == ("张伟", "王经理", "+8613812345678")
    assert (c.channel, c.severity, c.state, c.version, c.paused_minutes) == ("phone", "normal", "new", 1, 0)
    assert c.words == "货晚到了三天\n第二行"
    assert c.received_at == R and c.repeat_of_id is None
    # normal: 8 business hours to respond, 45 to resolve, "due soon" after three quarters
    assert c.response_due_at == D(2026, 2, 14, 16)  # Friday's last hour, then the working Saturday
    assert c.response_warn_at == D(2026, 2, 14, 14)
    assert c.resolution_due_at == D(2026, 2, 27, 17)  # over Spring Festival
    assert c.resolution_warn_at == D(2026, 2, 26, 14, 45)
    assert [(ch.entity, ch.kind, ch.ids) for ch in written.changes] == [
        ("complaint", "created", (c.id,)), ("customer", "updated", (cid,))]


def test_numbers_count_per_day_of_receipt_and_are_never_reused(cid):
    numbers = [complaints.get(complaint(cid, R + dt.timedelta(minutes=m))).number for m in (0, 5, 16 * 60)]
    assert numbers == ["CMP-20260213-001", "CMP-20260213-002", "CMP-20260214-001"]
    third = complaint(cid, D(2026, 2, 13, 9))
    assert complaints.get(third).number == "CMP-20260213-003"  # received earlier, numbered later
    complaints.delete([third])
    assert complaints.get(complaint(cid, R)).number == "CMP-20260213-004"


def test_typed_values_are_kept_and_the_owner_falls_back_to_the_user(cid):
    complaint_settings.set_team(["陈静"])
    c = complaints.get(complaint(cid, contact="李先生", contact_phone="021-6234 5678", channel="wechat",
                                 severity="critical", owner="陈静", subcategory="晚到", product="订单 A-17"))
    assert (c.contact, c.contact_phone, c.channel, c.severity, c.owner) == (
        "李先生", "+862162345678", "wechat", "critical", "陈静")
    assert (c.subcategory, c.product) == ("晚到", "订单 A-17")
    orphan = customers.create({"name": "无人负责有限公司"})[0]
    c = complaints.get(complaint(orphan))
    assert c.owner == history.actor() and c.contact == "" and c.contact_phone == ""


def test_a_transaction_of_the_customer_can_be_named(cid):
    transactions.add(cid, {"date": "2026-02-01", "amount": "1200", "product": "打印机"})
    other = customer("恒通机械有限公司")
    transactions.add(other, {"date": "2026-02-01", "amount": "99"})
    own, theirs = (t.id for t in transactions.for_customer(cid) + transactions.for_customer(other))
    assert complaints.get(complaint(cid, transaction_id=own)).transaction_id == own
    for wrong in (theirs, 999, "abc"):
        before = snapshot()
        with pytest.raises(ValidationError) as caught:
            complaint(cid, transaction_id=wrong)
        assert caught.value.errors["transaction_id"].code == "complaint_transaction_unknown"
        assert snapshot() == before


@pytest.mark.parametrize("extra, key, code", [
    ({"category": ""}, "category", "required"),
    ({"category": "weather"}, "category", "enum_invalid"),
    ({"channel": "fax"}, "channel", "enum_invalid"),
    ({"severity": "urgent"}, "severity", "enum_invalid"),
    ({"compensation_kind": "cash"}, "compensation_kind", "enum_invalid"),
    ({"received_at": "yesterday"}, "received_at", "datetime_invalid"),
    ({"received_at": D(1999, 12, 31, 10)}, "received_at", "datetime_out_of_range"),
    ({"received_at": D(2030, 1, 1, 10)}, "received_at", "complaint_received_in_future"),
    ({"words": "长" * 20001}, "words", "too_long"),
    ({"product": "长" * 201}, "product", "too_long"),
    ({"owner": "长" * 101}, "owner", "too_long"),
    ({"compensation_amount": "-5"}, "compensation_amount", "money_negative"),
    ({"compensation_amount": "lots"}, "compensation_amount", "money_invalid"),
    ({"contact_phone": "abc"}, "contact_phone", None),
])
def test_invalid_values_are_refused_and_nothing_written(cid, extra, key, code):
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        complaint(cid, **extra)
    assert isinstance(caught.value.errors[key], FieldError) and caught.value.errors[key].key == key
    assert code is None or caught.value.errors[key].code == code
    assert snapshot() == before


def test_no_customer_chosen(db):
    for value in (None, "", 0, "abc"):
        with pytest.raises(ValidationError) as caught:
            complaints.create({"customer_id": value, "category": "delivery", "received_at": R})
        assert caught.value.errors["customer_id"].code == "complaint_no_customer"
    with pytest.raises(CrmError) as caught:
        complaints.create({"customer_id": 999, "category": "delivery", "received_at": R})
    assert caught.value.code == "customer_not_found"


def test_a_received_time_is_read_in_minutes():
    assert complaints.parse_moment("2026-02-13T17:05:59", "x") == D(2026, 2, 13, 17, 5)
    assert complaints.parse_moment(dt.date(2026, 2, 13), "x") == D(2026, 2, 13, 9)
    aware = D(2026, 2, 13, 17, 5, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert complaints.parse_moment(aware, "x") == D(2026, 2, 13, 17, 5)


# ---------------------------------------------------------------- repeat complaints

def test_same_category_within_90_days_is_a_repeat(cid):
    first = complaint(cid, T0)
    second = complaint(cid, T0 + dt.timedelta(days=30))
    assert complaints.get(second).repeat_of_id == first
    third = complaint(cid, T0 + dt.timedelta(days=90))
    assert complaints.get(third).repeat_of_id == second  # the latest earlier one


def test_91_days_later_is_not_a_repeat(cid):
    complaint(cid, T0)
    assert complaints.get(complaint(cid, T0 + dt.timedelta(days=91))).repeat_of_id is None
    assert complaints.get(complaint(cid, T0 + dt.timedelta(days=90))).repeat_of_id is not None


def test_another_category_another_customer_or_a_deleted_one_is_not_a_repeat(cid):
    first = complaint(cid, T0)
    assert complaints.get(complaint(cid, T0 + dt.timedelta(days=1), category="price_billing")).repeat_of_id is None
    assert complaints.get(complaint(customer("恒通机械有限公司"), T0 + dt.timedelta(days=1))).repeat_of_id is None
    complaints.delete([first])
    assert complaints.get(complaint(cid, T0 + dt.timedelta(days=2))).repeat_of_id is None


def test_a_new_category_rechecks_the_repeat_flag(cid):
    first = complaint(cid, T0)
    later = complaint(cid, T0 + dt.timedelta(days=3), category="price_billing")
    assert complaints.get(later).repeat_of_id is None
    complaints.update(later, {"category": "delivery"})
    assert complaints.get(later).repeat_of_id == first
    complaints.update(later, {"category": "other"})
    assert complaints.get(later).repeat_of_id is None


# ---------------------------------------------------------------- editing

def test_a_new_severity_moves_the_deadlines(cid):
    cid_ = complaint(cid)
    written = complaints.update(cid_, {"severity": "critical", "state": "closed", "number": "X"}, expected_version=1)
    c = complaints.get(cid_)
    assert (c.severity, c.state, c.number, c.version) == ("critical", "new", "CMP-20260213-001", 2)
    assert c.response_due_at == D(2026, 2, 13, 18)  # 1 hour: Friday's last, not Saturday morning
    assert c.response_warn_at == D(2026, 2, 13, 17, 45)
    assert c.resolution_due_at == D(2026, 2, 14, 17)  # 9 hours
    assert c.resolution_warn_at == D(2026, 2, 14, 14, 45)
    assert {ch.entity for ch in written.changes} == {"complaint", "customer"}
    complaints.update(cid_, {"received_at": D(2026, 2, 12, 17)})
    assert complaints.get(cid_).response_due_at == D(2026, 2, 12, 18)


def test_an_edit_that_changes_nothing_writes_nothing(cid):
    cid_ = complaint(cid)
    before = snapshot()
    written = complaints.update(cid_, {"category": "delivery", "words": "货晚到了三天", "owner": ""})
    assert written.changes == [] and snapshot() == before


def test_the_time_of_receipt_cannot_follow_the_first_response(cid):
    cid_ = complaint(cid)
    flow.acknowledge(cid_, at=D(2026, 2, 13, 17, 30))
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        complaints.update(cid_, {"received_at": D(2026, 2, 13, 17, 45)})
    assert caught.value.errors["received_at"].code == "complaint_received_after_first_response"
    assert snapshot() == before


# ---------------------------------------------------------------- delete, restore, the timeline

def test_delete_and_restore(cid):
    cid_ = complaint(cid)
    changes = complaints.delete([cid_])
    assert (changes[0].entity, changes[0].kind, changes[0].ids) == ("complaint", "deleted", (cid_,))
    with pytest.raises(CrmError) as caught:
        complaints.get(cid_)
    assert caught.value.code == "complaint_not_found"
    assert complaints.for_customer(cid) == []
    assert complaints.delete([cid_])[0].ids == ()  # already deleted: nothing to do
    assert complaints.restore([cid_])[0].ids == (cid_,)
    assert [c.id for c in complaints.for_customer(cid)] == [cid_]
    assert Complaint.get_by_id(cid_).version == 3


def test_deleting_a_closed_complaint_withdraws_its_follow_up_and_its_satisfaction(cid):
    cid_ = complaint(cid)
    advance(cid_, K.CLOSED, satisfaction=5)
    event = CareEvent.get(CareEvent.complaint == cid_)
    assert Customer.get_by_id(cid).satisfaction == 5
    changes = complaints.delete([cid_])
    assert ("care_event", "deleted", (event.id,)) in [(c.entity, c.kind, c.ids) for c in changes]
    assert CareEvent.get_by_id(event.id).deleted_at is not None
    assert Customer.get_by_id(cid).satisfaction is None
    complaints.restore([cid_])
    assert CareEvent.get_by_id(event.id).deleted_at is None
    assert Customer.get_by_id(cid).satisfaction == 5


def test_a_follow_up_deleted_on_its_own_stays_deleted_when_the_complaint_comes_back(cid):
    cid_ = complaint(cid)
    advance(cid_, K.CLOSED)
    CareEvent.update(deleted_at=D(2026, 2, 20, 1)).execute()  # as the care tab would
    complaints.delete([cid_])
    complaints.restore([cid_])
    assert CareEvent.get(CareEvent.complaint == cid_).deleted_at == D(2026, 2, 20, 1)


def test_the_customer_timeline_shows_the_complaint(cid):
    cid_ = complaint(cid)
    complaints.update(cid_, {"severity": "high"})
    flow.acknowledge(cid_, at=D(2026, 2, 13, 17, 30))
    complaints.delete([cid_])
    items = [i for i in history.timeline(cid) if i.entity == "complaint"]
    assert all(i.record_id == cid_ for i in items)
    seen = [(i.action, i.field, i.old, i.new) for i in reversed(items)]
    assert seen[0] == ("created", "", None, "CMP-20260213-001 Delivery")
    assert ("updated", "severity", "normal", "high") in seen
    assert not any(f.endswith(("_due_at", "_warn_at")) for _, f, _, _ in seen)
    assert ("updated", "state", "new", "acknowledged") in seen
    assert ("updated", "first_response_at", None, "2026-02-13T17:30:00") in seen
    assert seen[-1] == ("deleted", "", None, "CMP-20260213-001 Delivery")


def test_a_complaint_of_a_deleted_customer_is_gone(cid):
    cid_ = complaint(cid)
    customers.delete([cid])
    with pytest.raises(CrmError) as caught:
        complaints.get(cid_)
    assert caught.value.code == "complaint_not_found"


# ---------------------------------------------------------------- bad input (issue 6)

def test_bad_input_resolution_before_receipt(cid):
    cid_ = complaint(cid)
    advance(cid_, K.PROPOSED)
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        flow.resolve(cid_, at=R - dt.timedelta(hours=1))
    assert caught.value.errors["resolved_at"].code == "complaint_resolved_before_received"
    assert snapshot() == before


def test_bad_input_closing_without_a_solution(cid):
    cid_ = complaint(cid)
    advance(cid_, K.RESOLVED)
    complaints.update(cid_, {"solution": "  "})
    before = snapshot()
    with pytest.raises(CrmError) as caught:
        flow.close(cid_, 4, at=D(2026, 2, 24, 10))
    assert caught.value.code == "complaint_no_solution"
    assert caught.value.params["number"] == "CMP-20260213-001"
    assert snapshot() == before


def test_bad_input_an_owner_who_does_not_exist(cid):
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        complaint(cid, owner="Nobody")
    error = caught.value.errors["owner"]
    assert (error.code, error.params["name"]) == ("complaint_owner_unknown", "Nobody")
    assert snapshot() == before
    cid_ = complaint(cid)
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        complaints.update(cid_, {"owner": "Nobody"})
    assert caught.value.errors["owner"].code == "complaint_owner_unknown"
    assert snapshot() == before


def test_bad_input_a_deadline_of_zero_or_negative_hours(db):
    before = snapshot()
    for hours in (0, -8, "-1", "abc", 1.5):
        with pytest.raises(ValidationError) as caught:
            complaint_settings.save({**K.DEFAULT_DEADLINES, "normal": (hours, 45)}, {})
        assert caught.value.errors["normal.response"].code == "complaint_deadline_invalid"
    with pytest.raises(ValidationError) as caught:
        complaint_settings.save({**K.DEFAULT_DEADLINES, "normal": (8, 4)}, {})
    assert caught.value.errors["normal.resolution"].code == "complaint_resolution_before_response"
    assert snapshot() == before
    assert complaint_settings.load().deadlines == K.DEFAULT_DEADLINES


def test_bad_input_a_complaint_for_a_deleted_customer(cid):
    customers.delete([cid])
    before = snapshot()
    with pytest.raises(CrmError) as caught:
        complaint(cid)
    assert caught.value.code == "customer_not_found"
    assert snapshot() == before


def test_bad_input_two_windows_moving_the_same_complaint(cid):
    cid_ = complaint(cid)
    first, second = complaints.get(cid_), complaints.get(cid_)  # both windows read version 1
    flow.acknowledge(cid_, "我先回的电话", at=D(2026, 2, 13, 17, 20), expected_version=first.version)
    before = snapshot()
    for move in (lambda: flow.acknowledge(cid_, "我也回了", at=D(2026, 2, 13, 17, 40), expected_version=second.version),
                 lambda: flow.investigate(cid_, at=D(2026, 2, 13, 17, 40), expected_version=second.version),
                 lambda: complaints.update(cid_, {"severity": "low"}, expected_version=second.version)):
        with pytest.raises(CrmError) as caught:
            move()
        assert caught.value.code == "complaint_changed_elsewhere"
        assert caught.value.params["number"] == "CMP-20260213-001"
    assert snapshot() == before
    c = complaints.get(cid_)
    assert (c.first_response_at, c.version) == (D(2026, 2, 13, 17, 20), 2)


def test_a_write_between_read_and_write_is_caught(cid):
    """Another program writes after this one read the row: the version in the UPDATE's
    WHERE refuses it, with nothing written."""
    cid_ = complaint(cid)
    stale = complaints.get(cid_)
    complaints.update(cid_, {"severity": "high"})
    before = snapshot()
    with pytest.raises(CrmError) as caught:
        with complaints.transaction():
            complaints.write(stale, {"severity": "low"})
    assert caught.value.code == "complaint_changed_elsewhere"
    assert snapshot() == before
