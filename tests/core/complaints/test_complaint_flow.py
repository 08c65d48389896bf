"""The way through a complaint without Qt: every valid step and every invalid one (refused,
nothing written), the checklist gates, pauses across a weekend and across Spring Festival,
the business minutes to respond and to resolve, closing (the follow-up care event and the
customer's satisfaction on the 5- and 7-level scales) and reopening."""
from __future__ import annotations

import datetime as dt
import itertools

import pytest

from crmdesk.core.complaints import fields as K
from crmdesk.core.errors import CrmError, ValidationError
from crmdesk.core.models import CareEvent, Complaint, ComplaintContact, Customer
from crmdesk.core.complaints import flow
from crmdesk.core.complaints import settings as complaint_settings, complaints
from crmdesk.core import history
from crmdesk.core.work_calendar import calendar
from tests.core.complaints.complaint_steps import D, ORDER, PROPOSAL, R, advance, complaint, customer, snapshot, step_at

MOVES = {
    "acknowledge": lambda i, at: flow.acknowledge(i, "已致电客户", at=at),
    "investigate": lambda i, at: flow.investigate(i, at=at),
    "propose": lambda i, at: flow.propose(i, PROPOSAL, at=at),
    "reject": lambda i, at: flow.reject(i, "客户不接受", at=at),
    "resolve": lambda i, at: flow.resolve(i, at=at),
    "close": lambda i, at: flow.close(i, 4, at=at),
    "reopen": lambda i, at: flow.reopen(i, "问题又出现了", at=at),
}
VALID = {(K.NEW, "acknowledge"): K.ACKNOWLEDGED, (K.ACKNOWLEDGED, "investigate"): K.INVESTIGATING,
         (K.INVESTIGATING, "propose"): K.PROPOSED, (K.PROPOSED, "reject"): K.INVESTIGATING,
         (K.PROPOSED, "resolve"): K.RESOLVED, (K.RESOLVED, "close"): K.CLOSED,
         (K.RESOLVED, "reopen"): K.INVESTIGATING, (K.CLOSED, "reopen"): K.INVESTIGATING}
INVALID = [pair for pair in itertools.product(ORDER, MOVES) if pair not in VALID]


@pytest.fixture
def cid(db) -> int:
    return customer()


def test_the_way_through_is_as_the_fields_say():
    assert {(state, VALID[(state, move)]) for state, move in VALID} == {
        (state, to) for state, targets in K.TRANSITIONS.items() for to in targets}


# ---------------------------------------------------------------- the state machine

@pytest.mark.parametrize("state, move", sorted(VALID))
def test_every_valid_step(cid, state, move):
    cid_ = complaint(cid)
    advance(cid_, state)
    version = complaints.get(cid_).version
    written = MOVES[move](cid_, step_at(cid_, 7))
    c = complaints.get(cid_)
    assert c.state == VALID[(state, move)] and c.version == version + 1
    assert complaints.contacts_of(cid_)[-1].step == c.state
    assert ("complaint", "updated", (cid_,)) in [(w.entity, w.kind, w.ids) for w in written.changes]


@pytest.mark.parametrize("state, move", INVALID)
def test_every_invalid_step_is_refused_and_nothing_written(cid, state, move):
    cid_ = complaint(cid)
    advance(cid_, state)
    before = snapshot()
    with pytest.raises(CrmError) as caught:
        MOVES[move](cid_, step_at(cid_, 7))
    assert caught.value.code == "complaint_bad_transition"
    assert caught.value.params["state"] == state
    assert snapshot() == before


def test_actions_offered_in_each_state(cid):
    cid_ = complaint(cid)
    expected = {K.NEW: ["acknowledge"], K.ACKNOWLEDGED: ["investigate", "wait"],
                K.INVESTIGATING: ["propose", "wait"], K.PROPOSED: ["resolve", "reject", "wait"],
                K.RESOLVED: ["close", "reopen"], K.CLOSED: ["reopen"]}
    for state in ORDER:
        advance(cid_, state)
        assert flow.actions(complaints.get(cid_)) == expected[state]
    cid_ = complaint(cid)
    advance(cid_, K.INVESTIGATING)
    flow.wait(cid_, at=step_at(cid_, 3))
    assert flow.actions(complaints.get(cid_)) == ["propose", "resume"]


# ---------------------------------------------------------------- checklist gates

def test_no_acknowledging_without_the_customers_words(cid):
    cid_ = complaint(cid, words="  ")
    before = snapshot()
    with pytest.raises(CrmError) as caught:
        flow.acknowledge(cid_, at=step_at(cid_, 1))
    assert caught.value.code == "complaint_needs_words"
    assert snapshot() == before


def test_no_proposing_without_facts_and_a_solution(cid):
    cid_ = complaint(cid)
    advance(cid_, K.INVESTIGATING)
    before = snapshot()
    for raw, keys in (({}, {"facts", "solution"}), ({"facts": "查明"}, {"solution"}),
                      ({"solution": "补发", "facts": " "}, {"facts"})):
        with pytest.raises(ValidationError) as caught:
            flow.propose(cid_, raw, at=step_at(cid_, 3))
        assert set(caught.value.errors) == keys
        assert {caught.value.errors[k].code for k in keys} <= {"complaint_needs_facts", "complaint_needs_solution"}
    assert snapshot() == before
    complaints.update(cid_, {"facts": "早已查明"})  # facts written before: the solution is enough
    flow.propose(cid_, {"solution": "补发"}, at=step_at(cid_, 3))
    assert complaints.get(cid_).state == K.PROPOSED


def test_the_checklist(cid):
    cid_ = complaint(cid, contact="")
    def done():
        return {i.key: i.done for i in flow.checklist(complaints.get(cid_))}
    assert done() == {"words": True, "contact": True, "first_response": False, "facts": False,
                      "root_cause": False, "solution": False, "compensation": False, "accepted": False,
                      "satisfaction": False, "follow_up": False}
    advance(cid_, K.CLOSED)
    assert all(done().values())
    required = {i.key for i in flow.checklist(complaints.get(cid_)) if i.required}
    assert required == {"words", "first_response", "facts", "solution", "accepted", "satisfaction"}


# ---------------------------------------------------------------- times

def test_steps_before_receipt_or_in_the_future_are_refused(cid):
    cid_ = complaint(cid)
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        flow.acknowledge(cid_, at=R - dt.timedelta(minutes=1))
    assert caught.value.errors["first_response_at"].code == "complaint_response_before_received"
    with pytest.raises(ValidationError) as caught:
        flow.acknowledge(cid_, at=D(2030, 1, 1, 10))
    assert caught.value.errors["first_response_at"].code == "complaint_time_in_future"
    assert snapshot() == before


def test_closing_before_resolving_is_refused(cid):
    cid_ = complaint(cid)
    advance(cid_, K.RESOLVED)
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        flow.close(cid_, 4, at=complaints.get(cid_).resolved_at - dt.timedelta(minutes=1))
    assert caught.value.errors["closed_at"].code == "complaint_closed_before_resolved"
    assert snapshot() == before


def test_response_and_resolution_minutes_over_spring_festival(cid):
    cid_ = complaint(cid)  # Friday 13 February 17:00
    flow.acknowledge(cid_, at=D(2026, 2, 14, 9, 30))  # the working Saturday
    flow.investigate(cid_, at=D(2026, 2, 14, 10))
    flow.propose(cid_, PROPOSAL, at=D(2026, 2, 24, 14))
    flow.resolve(cid_, at=D(2026, 2, 25, 10))
    c = complaints.get(cid_)
    assert c.response_minutes == 60 + 30
    assert c.resolution_minutes == 60 + 540 + 540 + 60  # Fri 1 h, Sat, Tue 24, Wed 25 until 10:00
    assert (c.accepted, c.resolved_at) == (True, D(2026, 2, 25, 10))


# ---------------------------------------------------------------- pauses

def test_a_pause_over_a_weekend_pushes_the_deadlines_by_the_business_minutes_waited(cid):
    cid_ = complaint(cid, D(2026, 3, 2, 10))  # Monday
    before = complaints.get(cid_)
    assert before.resolution_due_at == D(2026, 3, 9, 10)  # 45 hours: five days
    flow.acknowledge(cid_, at=D(2026, 3, 2, 10, 30))
    flow.investigate(cid_, at=D(2026, 3, 2, 11))
    flow.wait(cid_, "等客户寄回样品", at=D(2026, 3, 6, 17))  # Friday
    c = complaints.get(cid_)
    assert c.waiting_since == D(2026, 3, 6, 17) and complaints.status(c, D(2026, 3, 20)) == "waiting"
    assert c.resolution_due_at == before.resolution_due_at  # moved when the clock restarts
    flow.resume(cid_, at=D(2026, 3, 9, 10))  # Monday
    c = complaints.get(cid_)
    assert c.waiting_since is None and c.paused_minutes == 120
    assert c.resolution_due_at == D(2026, 3, 9, 12)
    assert calendar().minutes_between(before.resolution_warn_at, c.resolution_warn_at) == 120
    flow.propose(cid_, PROPOSAL, at=D(2026, 3, 9, 11))
    flow.resolve(cid_, at=D(2026, 3, 9, 11, 30))
    assert complaints.get(cid_).resolution_minutes == 5 * 540 + 90 - 120


def test_a_pause_over_spring_festival(cid):
    cid_ = complaint(cid)
    flow.acknowledge(cid_, at=D(2026, 2, 14, 9, 30))
    flow.investigate(cid_, at=D(2026, 2, 14, 10))
    flow.wait(cid_, at=D(2026, 2, 14, 11))
    flow.resume(cid_, at=D(2026, 2, 24, 11))
    c = complaints.get(cid_)
    assert c.paused_minutes == 7 * 60 + 2 * 60
    assert c.resolution_due_at == D(2026, 2, 28, 17)  # from Friday 27 17:00 onto the working Saturday


def test_pauses_add_up_and_a_step_while_waiting_restarts_the_clock(cid):
    cid_ = complaint(cid, D(2026, 3, 2, 10))
    advance(cid_, K.INVESTIGATING)
    flow.wait(cid_, at=D(2026, 3, 2, 12))
    flow.resume(cid_, at=D(2026, 3, 2, 13))
    flow.wait(cid_, at=D(2026, 3, 3, 9))
    flow.propose(cid_, PROPOSAL, at=D(2026, 3, 3, 11))  # the customer answered with the proposal
    c = complaints.get(cid_)
    assert (c.waiting_since, c.paused_minutes) == (None, 180)
    assert c.resolution_due_at == calendar().add(D(2026, 3, 2, 10), 45 * 60 + 180)


def test_investigating_after_waiting_restarts_the_clock(cid):
    cid_ = complaint(cid, D(2026, 3, 2, 10))
    flow.acknowledge(cid_, at=D(2026, 3, 2, 10, 30))
    flow.wait(cid_, "等客户提供照片", at=D(2026, 3, 2, 11))
    flow.investigate(cid_, at=D(2026, 3, 2, 14))  # the photos came: the desk takes it up
    c = complaints.get(cid_)
    assert (c.state, c.waiting_since, c.paused_minutes) == (K.INVESTIGATING, None, 180)
    assert c.resolution_due_at == calendar().add(D(2026, 3, 2, 10), 45 * 60 + 180)


def test_waiting_is_refused_where_it_makes_no_sense(cid):
    cid_ = complaint(cid)
    before = snapshot()
    with pytest.raises(CrmError) as caught:
        flow.wait(cid_, at=step_at(cid_, 1))  # new: nobody has answered yet
    assert caught.value.code == "complaint_cannot_wait"
    with pytest.raises(CrmError) as caught:
        flow.resume(cid_, at=step_at(cid_, 1))
    assert caught.value.code == "complaint_not_waiting"
    assert snapshot() == before
    advance(cid_, K.ACKNOWLEDGED)
    flow.wait(cid_, at=step_at(cid_, 2))
    before = snapshot()
    with pytest.raises(CrmError) as caught:
        flow.wait(cid_, at=step_at(cid_, 3))
    assert caught.value.code == "complaint_cannot_wait"
    assert snapshot() == before


def test_resuming_at_a_time_before_the_wait_counts_nothing(cid):
    cid_ = complaint(cid, D(2026, 3, 2, 10))
    advance(cid_, K.ACKNOWLEDGED)
    flow.wait(cid_, at=D(2026, 3, 2, 15))
    flow.resume(cid_, at=D(2026, 3, 2, 14))
    assert complaints.get(cid_).paused_minutes == 0


def test_a_wait_logged_before_the_last_resume_is_not_counted_twice(cid):
    cid_ = complaint(cid, D(2026, 3, 2, 9))
    advance(cid_, K.ACKNOWLEDGED)
    flow.wait(cid_, at=D(2026, 3, 2, 10))
    flow.resume(cid_, at=D(2026, 3, 2, 12))
    flow.wait(cid_, at=D(2026, 3, 2, 11))  # typed an hour too early: from 12:00
    assert complaints.get(cid_).waiting_since == D(2026, 3, 2, 12)
    flow.resume(cid_, at=D(2026, 3, 2, 13))
    assert complaints.get(cid_).paused_minutes == 180


# ---------------------------------------------------------------- closing and reopening

def test_closing_creates_one_follow_up_a_week_later(cid):
    cid_ = complaint(cid)
    advance(cid_, K.RESOLVED)
    written = flow.close(cid_, 4, "客户满意", at=D(2026, 2, 26, 10))
    event = CareEvent.get_by_id(written.care_event_id)
    assert event.due_on == dt.date(2026, 3, 5) and event.state == "due"
    assert (event.kind, event.title, event.message, event.customer_id) == (
        "complaint_follow_up", "CMP-20260213-001", "补发并减免运费", cid)
    assert CareEvent.select().count() == 1
    assert ("care_event", "created", (event.id,)) in [(c.entity, c.kind, c.ids) for c in written.changes]
    c = complaints.get(cid_)
    assert (c.state, c.satisfaction, c.satisfaction_scale, c.survey_note) == ("closed", 4, 5, "客户满意")
    assert any(i.entity == "care_event" for i in history.timeline(cid))


def test_follow_up_days_from_the_settings_or_the_call(cid):
    complaint_settings.save(K.DEFAULT_DEADLINES, {"follow_up_days": 3})
    first, second = complaint(cid), complaint(cid)
    advance(first, K.CLOSED)
    advance(second, K.RESOLVED)
    flow.close(second, 5, follow_up_days=0, at=D(2026, 2, 24, 10))
    due = {e.complaint_id: e.due_on for e in CareEvent.select()}
    assert due == {first: complaints.get(first).closed_at.date() + dt.timedelta(days=3),
                   second: dt.date(2026, 2, 24)}


def test_reopening_withdraws_the_follow_up_and_closing_again_moves_the_same_one(cid):
    cid_ = complaint(cid)
    advance(cid_, K.CLOSED)
    event_id = CareEvent.get().id
    written = flow.reopen(cid_, "又坏了", at=D(2026, 3, 2, 10))
    assert ("care_event", "deleted", (event_id,)) in [(c.entity, c.kind, c.ids) for c in written.changes]
    assert CareEvent.get_by_id(event_id).deleted_at is not None
    assert not any(i.done for i in flow.checklist(complaints.get(cid_)) if i.key == "follow_up")
    advance(cid_, K.RESOLVED)
    written = flow.close(cid_, 3, at=D(2026, 3, 10, 10))
    assert written.care_event_id == event_id and CareEvent.select().count() == 1
    event = CareEvent.get_by_id(event_id)
    assert (event.deleted_at, event.state, event.due_on) == (None, "due", dt.date(2026, 3, 17))


def test_a_follow_up_done_stays_done_and_the_next_closing_gets_its_own(cid):
    cid_ = complaint(cid)
    advance(cid_, K.CLOSED)
    CareEvent.update(state="done", done_at=D(2026, 2, 21, 10)).execute()
    flow.reopen(cid_, at=D(2026, 3, 2, 10))
    assert CareEvent.get().deleted_at is None  # done: nothing to withdraw
    advance(cid_, K.RESOLVED)
    written = flow.close(cid_, 3, at=D(2026, 3, 10, 10))
    events = {e.id: (e.state, e.rule) for e in CareEvent.select()}
    key = f"complaint:{Complaint.get_by_id(cid_).uuid}"  # its uuid: the same on every laptop of a team
    assert events == {1: ("done", key), written.care_event_id: ("due", f"{key}:2")}


def test_a_snoozed_follow_up_is_withdrawn_too(cid):
    cid_ = complaint(cid)
    advance(cid_, K.CLOSED)
    CareEvent.update(state="snoozed", snoozed_until=dt.date(2026, 3, 20)).execute()
    flow.reopen(cid_, at=D(2026, 3, 2, 10))
    assert CareEvent.get().deleted_at is not None


def test_reopening_clears_the_survey_and_does_not_count_the_time_it_stood_resolved(cid):
    cid_ = complaint(cid)
    advance(cid_, K.PROPOSED)
    flow.resolve(cid_, at=D(2026, 2, 24, 10))
    flow.close(cid_, 5, "很好", at=D(2026, 2, 24, 11))
    assert Customer.get_by_id(cid).satisfaction == 5
    flow.reopen(cid_, "又坏了", at=D(2026, 2, 25, 10))
    c = complaints.get(cid_)
    assert (c.state, c.reopened, c.resolved_at, c.closed_at, c.accepted) == (K.INVESTIGATING, 1, None, None, None)
    assert (c.satisfaction, c.satisfaction_scale, c.survey_note, c.resolution_minutes) == (None, None, "", None)
    assert c.paused_minutes == 540
    assert c.resolution_due_at == D(2026, 2, 28, 17)
    assert Customer.get_by_id(cid).satisfaction is None


# ---------------------------------------------------------------- satisfaction

def test_satisfaction_on_the_five_level_scale_feeds_the_customer(cid):
    for level in (4, 2):
        cid_ = complaint(cid)
        advance(cid_, K.CLOSED, satisfaction=level)
    assert Customer.get_by_id(cid).satisfaction == 3.0
    assert customer("恒通机械有限公司") and Customer.get(Customer.name == "恒通机械有限公司").satisfaction is None


def test_satisfaction_on_the_seven_level_scale_is_mapped_to_one_to_five(cid):
    complaint_settings.save(K.DEFAULT_DEADLINES, {"satisfaction_scale": 7})
    cid_ = complaint(cid)
    advance(cid_, K.CLOSED, satisfaction=7)
    assert Customer.get_by_id(cid).satisfaction == 5.0
    assert complaints.get(cid_).satisfaction_scale == 7
    advance(complaint(cid), K.CLOSED, satisfaction=4)  # neutral: 3 of 5
    assert Customer.get_by_id(cid).satisfaction == 4.0
    advance(complaint(cid), K.CLOSED, satisfaction=1)
    assert Customer.get_by_id(cid).satisfaction == 3.0
    assert K.on_five(2, 7) == pytest.approx(1 + 4 / 6)


def test_the_customer_satisfaction_is_the_mean_of_the_latest_five(cid):
    for day, level in enumerate((1, 1, 5, 5, 5, 5, 5)):
        cid_ = complaint(cid, D(2026, 3, 2 + day, 10))
        advance(cid_, K.CLOSED, satisfaction=level)
    assert Customer.get_by_id(cid).satisfaction == 5.0


@pytest.mark.parametrize("level, code", [(None, "complaint_needs_satisfaction"), ("", "complaint_needs_satisfaction"),
                                         (6, "number_out_of_range"), (0, "number_out_of_range"),
                                         ("good", "number_invalid"), (3.5, "number_invalid")])
def test_a_wrong_satisfaction_is_refused_and_nothing_written(cid, level, code):
    cid_ = complaint(cid)
    advance(cid_, K.RESOLVED)
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        flow.close(cid_, level, at=D(2026, 2, 24, 10))
    assert caught.value.errors["satisfaction"].code == code
    assert caught.value.errors["satisfaction"].key == "satisfaction"
    with pytest.raises(ValidationError) as caught:
        flow.close(cid_, 4, follow_up_days="soon", at=D(2026, 2, 24, 10))
    assert caught.value.errors["follow_up_days"].code == "number_out_of_range"
    assert snapshot() == before


# ---------------------------------------------------------------- the contact log

def test_contacts_with_the_customer(cid):
    cid_ = complaint(cid)
    flow.add_contact(cid_, {"at": D(2026, 2, 14, 10), "note": "客户来电催问", "channel": "wechat", "by": "李娜"})
    flow.acknowledge(cid_, "已回电", at=D(2026, 2, 14, 9))
    logged = [(c.at, c.channel, c.by, c.note, c.step) for c in complaints.contacts_of(cid_)]
    assert logged == [(D(2026, 2, 14, 9), "phone", history.actor(), "已回电", "acknowledged"),
                      (D(2026, 2, 14, 10), "wechat", "李娜", "客户来电催问", "")]
    before = snapshot()
    for raw, key in (({"at": D(2026, 2, 14, 11), "note": " "}, "note"),
                     ({"at": D(2026, 2, 14, 11), "note": "x", "channel": "fax"}, "channel"),
                     ({"at": R - dt.timedelta(hours=1), "note": "x"}, "at")):
        with pytest.raises(ValidationError) as caught:
            flow.add_contact(cid_, raw)
        assert key in caught.value.errors
    assert snapshot() == before
    assert ComplaintContact.select().count() == 2


def test_a_step_dated_before_the_last_step_is_refused_but_a_late_contact_is_not(cid):
    cid_ = complaint(cid)
    flow.acknowledge(cid_, at=D(2026, 2, 14, 10))
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        flow.investigate(cid_, at=D(2026, 2, 14, 9, 45))
    error = caught.value.errors["at"]
    assert (error.code, error.params["at"]) == ("complaint_time_before_last_step", "2026-02-14 10:00")
    assert snapshot() == before
    flow.add_contact(cid_, {"at": D(2026, 2, 13, 17, 30), "note": "补记：客户来电时的通话"})  # logged late: fine
    assert [c.at for c in complaints.contacts_of(cid_)] == [D(2026, 2, 13, 17, 30), D(2026, 2, 14, 10)]
