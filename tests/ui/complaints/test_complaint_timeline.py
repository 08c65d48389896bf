"""The customer's timeline tells a complaint's story in the desk's words: which complaint,
each field by its name, states and categories by name, times as dates, business minutes
as hours, the satisfaction by its level, the follow-up call with its date and complaint."""
from __future__ import annotations

import datetime as dt

from crmdesk.core.complaints import flow as complaint_flow, complaints
from crmdesk.core.customers import archive as customers
from crmdesk.ui.common import formatting
from crmdesk.ui.visits.sources import when
from crmdesk.ui.customers.profile import CustomerProfile

D = dt.datetime


def timeline_rows(qtbot, customer_id: int) -> list[tuple[str, ...]]:
    profile = CustomerProfile()
    qtbot.addWidget(profile)
    profile.show_customer(customer_id)
    table = profile.timeline
    return [tuple(table.item(r, c).text() for c in range(2, 6)) for r in reversed(range(table.rowCount()))]


def test_a_complaint_on_the_timeline(qtbot, db):
    cid = customers.create({"name": "上海明华贸易有限公司", "owner": "张伟"})[0]
    a = complaints.create({"customer_id": cid, "category": "delivery", "words": "货晚到了三天",
                           "received_at": D(2026, 11, 2, 9)}).complaint_id
    complaint_flow.acknowledge(a, "已致电", at=D(2026, 11, 2, 9, 30))
    complaint_flow.investigate(a, at=D(2026, 11, 2, 10))
    complaint_flow.propose(a, {"facts": "物流延误", "solution": "补发", "compensation_kind": "discount",
                               "compensation_amount": "200"}, at=D(2026, 11, 3, 10))
    complaint_flow.add_contact(a, {"at": D(2026, 11, 3, 15), "note": "回电", "channel": "phone"})
    complaint_flow.resolve(a, at=D(2026, 11, 4, 10))
    complaint_flow.close(a, 4, "满意", at=D(2026, 11, 5, 10))
    rows = timeline_rows(qtbot, cid)
    number = "CMP-20261102-001"
    assert ("Complaint logged · " + number, "", "", "Delivery") in rows
    changed = "Complaint changed · " + number
    for row in ((changed, "State", "New", "Acknowledged"), (changed, "First response", "", when(D(2026, 11, 2, 9, 30))),
                (changed, "Time to first response", "", "0.5 h"), (changed, "Compensation", "", "Discount"),
                (changed, "Compensation amount", "", formatting.money(200)), (changed, "Customer accepted", "", "Yes"),
                (changed, "Satisfaction", "", "Satisfied"), (changed, "Survey comment", "", "满意"),
                ("Contact with the customer logged · " + number, "", "", when(D(2026, 11, 3, 15))),
                ("Follow-up planned", "", "", f"Call {formatting.date(dt.date(2026, 11, 12))} after complaint {number}")):
        assert row in rows, row
    fields = {row[1] for row in rows}
    assert not {"satisfaction_scale", "response_minutes", "first_response_at", "state"} & fields


def test_a_deleted_complaint_keeps_its_number_on_the_timeline(qtbot, db):
    cid = customers.create({"name": "上海明华贸易有限公司", "owner": "张伟"})[0]
    a = complaints.create({"customer_id": cid, "category": "price_billing", "words": "发票错了",
                           "received_at": D(2026, 11, 2, 9)}).complaint_id
    complaints.update(a, {"severity": "high"})
    complaints.delete([a])
    rows = timeline_rows(qtbot, cid)
    assert ("Complaint changed · CMP-20261102-001", "Severity", "Normal", "High") in rows
    assert rows[-1] == ("Complaint deleted · CMP-20261102-001", "", "", "CMP-20261102-001")
