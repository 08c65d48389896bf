"""Shared by the complaint service tests: a customer, a complaint, the steps up to a
state, and a snapshot of every table a complaint write touches. Every time is given
(received on Friday 13 February 2026, the day before the working Saturday and Spring
Festival), never read from the clock."""
from __future__ import annotations

import datetime as dt

from crmdesk.core.complaints import fields as K
from crmdesk.core.models import database
from crmdesk.core.complaints import flow
from crmdesk.core.complaints import complaints
from crmdesk.core.customers import archive as customers
from crmdesk.core.work_calendar import calendar

D = dt.datetime
R = D(2026, 2, 13, 17)  # Friday; Saturday 14 is worked, 15-23 are Spring Festival
TABLES = ("customer", "complaint", "complaint_contact", "care_event", "change_log", "setting", "transactions")
PROPOSAL = {"facts": "物流延误三天", "root_cause": "承运商爆仓", "solution": "补发并减免运费",
            "compensation_kind": "discount", "compensation_amount": "200"}
ORDER = (K.NEW, K.ACKNOWLEDGED, K.INVESTIGATING, K.PROPOSED, K.RESOLVED, K.CLOSED)


def snapshot() -> dict[str, list[tuple]]:
    return {t: database.execute_sql(f'SELECT * FROM "{t}" ORDER BY 1').fetchall() for t in TABLES}


def customer(name: str = "上海明华贸易有限公司", **extra) -> int:
    raw = {"name": name, "owner": "张伟", "contact_person": "王经理", "mobile": "13812345678", **extra}
    return customers.create(raw)[0]


def complaint(customer_id: int, received: dt.datetime = R, **extra) -> int:
    raw = {"customer_id": customer_id, "category": "delivery", "words": "货晚到了三天", "received_at": received,
           **extra}
    return complaints.create(raw).complaint_id


def step_at(complaint_id: int, n: int) -> dt.datetime:
    """The n-th step's time: n half hours of business time after receipt, or half an hour
    after the last step taken if that is later (a step is never dated before the last)."""
    planned = calendar().add(complaints.get(complaint_id).received_at, 30 * n)
    last = max((c.at for c in complaints.contacts_of(complaint_id) if c.step), default=None)
    return max(planned, calendar().add(last, 30)) if last is not None else planned


def advance(complaint_id: int, to: str, satisfaction: int = 4) -> None:
    """Take the complaint through the steps in order until it stands at ``to``."""
    steps = {
        K.ACKNOWLEDGED: lambda at: flow.acknowledge(complaint_id, "已致电客户", at=at),
        K.INVESTIGATING: lambda at: flow.investigate(complaint_id, at=at),
        K.PROPOSED: lambda at: flow.propose(complaint_id, PROPOSAL, at=at),
        K.RESOLVED: lambda at: flow.resolve(complaint_id, at=at),
        K.CLOSED: lambda at: flow.close(complaint_id, satisfaction, at=at),
    }
    start = ORDER.index(complaints.get(complaint_id).state)
    for n, state in enumerate(ORDER[start + 1:ORDER.index(to) + 1], start=start + 1):
        steps[state](step_at(complaint_id, n))
