"""How complaints stand against their deadlines at a given moment (the service's
``status`` and the list's SQL agree), the list's views, and the escalation list: what is
late, by how many business minutes, whose it is. Every "now" is given."""
from __future__ import annotations

import datetime as dt

import pytest

from crmdesk.core.complaints import fields as K
from crmdesk.core.complaints import flow
from crmdesk.core.complaints import list as L
from crmdesk.core.complaints import settings as complaint_settings, complaints
from crmdesk.core.customers import archive as customers
from crmdesk.core.work_calendar import calendar
from tests.core.complaints.complaint_steps import D, advance, complaint, customer

NOW = D(2026, 3, 10, 12)  # Tuesday


@pytest.fixture
def cid(db) -> int:
    return customer()


def both(complaint_id: int, at: dt.datetime) -> str:
    """The status from the service, checked against the list's SQL at the same moment."""
    python = complaints.status(complaints.get(complaint_id), at)
    sql = L.rows([complaint_id], ["status"], now=at)[complaint_id][0]
    assert python == sql, (at, python, sql)
    return python


def test_status_of_a_new_complaint_against_the_first_response(cid):
    cid_ = complaint(cid)  # respond by Saturday 14 16:00, due soon from 14:00
    assert both(cid_, D(2026, 2, 13, 17, 30)) == "on_time"
    assert both(cid_, D(2026, 2, 14, 13, 59)) == "on_time"
    assert both(cid_, D(2026, 2, 14, 14)) == "due_soon"
    assert both(cid_, D(2026, 2, 14, 16)) == "due_soon"  # due at 16:00 is not yet late
    assert both(cid_, D(2026, 2, 14, 16, 1)) == "overdue"
    assert both(cid_, D(2026, 2, 20, 10)) == "overdue"


def test_status_after_the_first_response_is_against_the_resolution(cid):
    cid_ = complaint(cid)
    flow.acknowledge(cid_, at=D(2026, 2, 14, 9, 30))  # resolve by Friday 27 17:00, due soon from 26 14:45
    assert both(cid_, D(2026, 2, 20, 10)) == "on_time"
    assert both(cid_, D(2026, 2, 26, 14, 45)) == "due_soon"
    assert both(cid_, D(2026, 2, 27, 17, 1)) == "overdue"
    flow.investigate(cid_, at=D(2026, 2, 14, 10))
    flow.wait(cid_, at=D(2026, 2, 14, 11))
    assert both(cid_, D(2026, 3, 20, 10)) == "waiting"  # the clock is stopped
    flow.resume(cid_, at=D(2026, 2, 24, 11))
    assert both(cid_, D(2026, 2, 27, 17, 1)) == "due_soon"  # pushed to Saturday 28 17:00
    assert both(cid_, D(2026, 2, 28, 17, 1)) == "overdue"
    advance(cid_, K.RESOLVED)
    assert both(cid_, D(2026, 3, 20, 10)) == ""
    advance(cid_, K.CLOSED)
    assert both(cid_, D(2026, 3, 20, 10)) == ""


def test_a_new_complaint_past_its_resolution_warning_is_due_soon(cid):
    """Settings stored by hand (or by an older version) may have a resolution shorter than
    the response: both the service and the SQL look at both warnings."""
    cid_ = complaint(cid, D(2026, 3, 2, 9))
    complaints.Complaint.update(resolution_warn_at=D(2026, 3, 2, 10), resolution_due_at=D(2026, 3, 2, 11)).execute()
    assert both(cid_, D(2026, 3, 2, 10, 30)) == "due_soon"
    assert both(cid_, D(2026, 3, 2, 11, 1)) == "overdue"


# ---------------------------------------------------------------- the list

def test_views_at_a_given_moment(cid):
    late = complaint(cid, D(2026, 3, 2, 9), severity="critical")
    soon = complaint(cid, D(2026, 3, 10, 9), severity="high")  # respond by 13:00, due soon from 12:00
    fine = complaint(cid, D(2026, 3, 10, 11))
    waiting = complaint(cid, D(2026, 3, 2, 9))
    advance(waiting, K.ACKNOWLEDGED)
    flow.wait(waiting, at=D(2026, 3, 2, 10))
    closed = complaint(cid, D(2026, 3, 3, 9))
    advance(closed, K.CLOSED)
    gone = complaint(cid, D(2026, 3, 3, 10), severity="critical")
    complaints.delete([gone])

    def ids(view, **extra):
        query = L.ComplaintQuery(view=view, now=NOW, **extra)
        found = list(L.ids(query))
        assert L.count(query) == len(found) and L.first_ids(query, 2) == found[:2]
        return found

    assert set(ids("open")) == {late, soon, fine, waiting}
    assert ids("overdue") == [late]
    assert ids("due_soon") == [soon]
    assert ids("waiting") == [waiting]
    assert ids("closed") == [closed]
    assert set(ids("all")) == {late, soon, fine, waiting, closed}
    assert ids("open") == [late, waiting, soon, fine]  # by the nearest deadline (a waiting one's as it stood)
    assert ids("all", search="CMP-20260310") == [soon, fine]
    assert ids("all", severity="critical") == [late]
    assert ids("all", state="closed", period="month", today=dt.date(2026, 3, 20)) == [closed]
    assert ids("all", period="month", today=dt.date(2026, 4, 1)) == []
    rows = L.rows([late, fine], ["number", "status", "owner"], now=NOW)
    assert rows == {late: ("CMP-20260302-001", "overdue", "张伟"), fine: ("CMP-20260310-002", "on_time", "张伟")}


def test_complaints_of_a_deleted_customer_leave_the_list(cid):
    complaint(cid, D(2026, 3, 2, 9))
    customers.delete([cid])
    assert L.count(L.ComplaintQuery(view="all", now=NOW)) == 0
    assert L.escalations(NOW) == []


# ---------------------------------------------------------------- escalation

@pytest.fixture
def late(cid):
    complaint_settings.set_team(["李娜"])
    other = customer("恒通机械有限公司", owner="李娜")
    made = {
        # new, critical: resolution (9 h) due Tuesday 10 March 10:00, two hours ago
        "resolution": complaint(cid, D(2026, 3, 9, 10), severity="critical"),
        # new, normal: first response (8 h) due Monday 18:00, three business hours ago
        "response": complaint(other, D(2026, 3, 9, 10)),
        # acknowledged, low: resolution (90 h) due Friday 16 January 18:00, weeks ago
        "old": complaint(cid, D(2026, 1, 5, 9), severity="low"),
        "on_time": complaint(cid, D(2026, 3, 10, 10)),
        "waiting": complaint(other, D(2026, 1, 5, 9), severity="low"),
        "resolved": complaint(cid, D(2026, 1, 6, 9), severity="critical"),
        "deleted": complaint(cid, D(2026, 1, 7, 9), severity="critical"),
    }
    advance(made["old"], K.ACKNOWLEDGED)
    advance(made["waiting"], K.ACKNOWLEDGED)
    flow.wait(made["waiting"], at=D(2026, 1, 6, 9))
    advance(made["resolved"], K.PROPOSED)
    flow.resolve(made["resolved"], at=D(2026, 2, 2, 10))
    complaints.delete([made["deleted"]])
    return made


def test_the_escalation_list(late):
    found = L.escalations(NOW)
    assert [item.complaint_id for item in found] == [late["old"], late["response"], late["resolution"]]
    old, response, resolution = found
    assert (resolution.deadline, resolution.due_at, resolution.late_minutes) == (
        "resolution", D(2026, 3, 10, 10), 120)
    assert (response.deadline, response.due_at, response.late_minutes) == ("response", D(2026, 3, 9, 18), 180)
    assert (response.owner, response.customer_name, response.state) == ("李娜", "恒通机械有限公司", "new")
    assert (old.deadline, old.due_at, old.state, old.severity) == ("resolution", D(2026, 1, 16, 18), "acknowledged",
                                                                   "low")
    assert old.late_minutes == calendar().minutes_between(D(2026, 1, 16, 18), NOW)
    assert old.late_minutes > 30 * 540  # Spring Festival left out: business time only


def test_escalation_lateness_is_business_time(late):
    saturday = D(2026, 3, 14, 11)
    by_id = {item.complaint_id: item.late_minutes for item in L.escalations(saturday)}
    friday_evening = {item.complaint_id: item.late_minutes for item in L.escalations(D(2026, 3, 13, 18))}
    assert by_id == friday_evening  # nobody is later for a weekend
    assert by_id[late["response"]] == 4 * 540  # Monday 18:00 to Friday 18:00


def test_escalations_of_one_owner_and_by_owner(late):
    assert [item.complaint_id for item in L.escalations(NOW, owner="李娜")] == [late["response"]]
    assert L.escalations(NOW, owner="Nobody") == []
    found = L.escalations(NOW)
    assert L.late_by_owner(found) == [("张伟", 2, found[0].late_minutes), ("李娜", 1, 180)]
    assert L.late_by_owner([]) == []


def test_nothing_is_late_before_the_deadlines(late):
    assert L.escalations(D(2026, 1, 5, 10)) == []


def test_a_waiting_complaint_is_late_again_once_resumed(late):
    flow.resume(late["waiting"], at=D(2026, 3, 9, 9))
    due = complaints.get(late["waiting"]).resolution_due_at
    assert due == calendar().add(D(2026, 3, 9, 9), 90 * 60 - 540)  # one day was used before the wait
    assert late["waiting"] not in [item.complaint_id for item in L.escalations(NOW)]
    found = {item.complaint_id: item for item in L.escalations(due + dt.timedelta(days=7))}
    assert found[late["waiting"]].due_at == due
    assert found[late["waiting"]].late_minutes == 5 * 540
