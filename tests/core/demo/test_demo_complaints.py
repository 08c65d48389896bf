"""Demo complaints (``demo.complaints``): every state on the list, some overdue and one
waiting at the demo's "now", deadlines and business minutes as the services compute them,
numbers in the CMP-YYYYMMDD-NNN form, a follow-up care event per closed complaint, the
customers' satisfaction as the services keep it, and the same rows for the same seed."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from crmdesk.core.complaints import fields as K
from crmdesk.core.models import CareEvent, Complaint, Customer, database
from crmdesk.core.complaints import flow as complaint_flow, list as complaint_list, settings as complaint_settings, complaints
from crmdesk.core.complaints import aftercare
from crmdesk.core import demo, history
from crmdesk.core.demo.complaints import NOW

COUNT = 200


@pytest.fixture
def demo_db(db):
    return demo.generate(COUNT, visits=False)


def test_every_state_and_the_deadline_standings(demo_db):
    assert demo_db.complaints == Complaint.select().count() > COUNT // 10
    states = {c.state for c in Complaint.select()}
    assert states == set(K.STATE_KEYS)
    standings = {complaints.status(c, NOW) for c in Complaint.select()}
    assert {"overdue", "waiting", "on_time", ""} <= standings
    assert complaint_list.escalations(NOW)
    assert Complaint.select().where(Complaint.repeat_of.is_null(False)).count() >= 1


def test_rows_as_the_services_would_have_written_them(demo_db):
    calendar = complaint_settings.load().calendar()
    numbers = set()
    for c in Complaint.select():
        assert re.fullmatch(r"CMP-\d{8}-\d{3}", c.number) and c.number[4:12] == f"{c.received_at:%Y%m%d}"
        numbers.add(c.number)
        assert c.received_at <= NOW
        due = complaints.deadlines(c.severity, c.received_at, c.paused_minutes)
        assert (c.response_due_at, c.resolution_due_at) == (due["response_due_at"], due["resolution_due_at"])
        if c.first_response_at:
            assert c.received_at <= c.first_response_at <= NOW
            assert c.response_minutes == calendar.minutes_between(c.received_at, c.first_response_at)
        if c.state in (K.RESOLVED, K.CLOSED):
            assert c.accepted is True and c.solution and c.facts
            assert c.resolution_minutes == calendar.minutes_between(c.received_at, c.resolved_at) - c.paused_minutes
        if c.state == K.CLOSED:
            assert c.closed_at <= NOW and 1 <= c.satisfaction <= 5
        checklist = {i.key: i.done for i in complaint_flow.checklist(c)}
        assert checklist["words"]
        if c.state not in (K.NEW,):
            assert checklist["first_response"]
    assert len(numbers) == demo_db.complaints


def test_closed_complaints_have_their_follow_up_and_feed_satisfaction(demo_db):
    closed = Complaint.select().where(Complaint.state == K.CLOSED).count()
    follow_ups = CareEvent.select().where(CareEvent.complaint.is_null(False))  # demo.care makes the others
    assert demo_db.care_events == closed == follow_ups.count()
    for event in follow_ups:
        complaint = Complaint.get_by_id(event.complaint_id)
        assert event.rule == f"complaint:{complaint.uuid}" and event.kind == "complaint_follow_up"
        assert event.due_on == complaint.closed_at.date() + dt.timedelta(days=7)
        assert event.state in ("due", "done")
    customer = Customer.get_by_id(Complaint.select().where(Complaint.state == K.CLOSED).first().customer_id)
    expected = customer.satisfaction
    aftercare.refresh_satisfaction(customer.id)
    assert Customer.get_by_id(customer.id).satisfaction == expected is not None


def test_complaints_in_the_timeline(demo_db):
    complaint = Complaint.select().first()
    items = history.timeline(complaint.customer_id)
    assert any(item.entity == "complaint" and complaint.number in (item.new or "") for item in items)


def test_same_seed_same_complaints(tmp_path, data_dir):
    from crmdesk.core.db import close_database, open_database
    rows = []
    for name in ("a", "b"):
        open_database(tmp_path / f"{name}.sqlite")
        demo.generate(60, seed=5, visits=False)
        rows.append(database.execute_sql("SELECT * FROM complaint ORDER BY id").fetchall())
        close_database()
    assert rows[0] == rows[1] and rows[0]
