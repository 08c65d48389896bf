"""The care rule "payment due": one reminder per sale unpaid past its due date (plus the
rule's days), never one a day; withdrawn once the sale is paid; off when the rule is off.
And the agenda lists the payments falling due."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from crmdesk.core.care import fields as C
from crmdesk.core.care.text import about
from crmdesk.core.made_ids import made_uuid
from crmdesk.core.models import CareEvent, Sale
from crmdesk.core.sales import sales
from crmdesk.core.sales.sale_check import LineDraft, SaleDraft
from crmdesk.core.care import rules as care_rules
from crmdesk.core.customers import archive as customers
from crmdesk.core import agenda as day_agenda
from crmdesk.core.care.settings import Rule, Rules

D = dt.date
OFF = Rule(False, 7)
ONLY = dict(birthdays=OFF, festivals=OFF, purchase=OFF, anniversary=OFF, no_contact=OFF, no_purchase=OFF,
            points_on=False)


@pytest.fixture
def cid(db) -> int:
    return customers.create({"name": "北京华润", "owner": "王芳"})[0]


def sale(cid, day, amount, paid=None, terms=None) -> int:
    return sales.record(SaleDraft(cid, day, lines=[LineDraft("阀门", amount=amount)], paid=paid,
                                  payment_terms_days=terms), D(2026, 12, 4)).sale_id


def reminders() -> list[CareEvent]:
    return list(CareEvent.select().where((CareEvent.kind == C.PAYMENT_DUE) & CareEvent.deleted_at.is_null())
                .order_by(CareEvent.id))


def test_one_reminder_per_overdue_sale_not_one_a_day(cid):
    late = sale(cid, "2026-10-01", "1000", paid="400", terms=30)  # due 10-31
    sale(cid, "2026-11-20", "500", terms=30)  # due 12-20: not yet
    sale(cid, "2026-10-01", "300", terms=30)  # paid in full? no: terms, nothing paid
    run = care_rules.run(D(2026, 12, 4), Rules(**ONLY, payment_due=Rule(True, 1)))
    assert run.created["payment_due"] == 2
    named = Sale.get_by_id(late).uuid  # by uuid: the same sale on every laptop of a team
    [first] = [r for r in reminders() if json.loads(r.facts)["sale"] == named]
    assert (first.customer_id, first.due_on, first.channel, first.state) == (cid, D(2026, 12, 4), "phone", "due")
    facts = json.loads(first.facts)
    assert facts == {"sale": named, "date": "2026-10-01", "due_on": "2026-10-31", "owed": 600.0}
    assert first.rule == f"payment_due:{named}:2026-10-31" and first.uuid == made_uuid(first.rule)
    assert about(C.PAYMENT_DUE, "", facts, "", "", "en") == "Collect ¥600.00: the sale of 2026-10-01, due 2026-10-31"
    assert about(C.PAYMENT_DUE, "", facts, "", "", "zh") == "催收 ¥600.00：2026-10-01 的销售，2026-10-31 到期"
    again = care_rules.run(D(2026, 12, 5), Rules(**ONLY, payment_due=Rule(True, 1)))
    assert again.created["payment_due"] == 0 and len(reminders()) == 2


def test_the_rules_days_of_grace_and_off(cid):
    sale(cid, "2026-11-01", "1000", terms=30)  # due 12-01: 3 days late on 12-04
    assert care_rules.run(D(2026, 12, 4), Rules(**ONLY, payment_due=Rule(True, 5))).created["payment_due"] == 0
    assert care_rules.run(D(2026, 12, 5), Rules(**ONLY, payment_due=Rule(False, 1))).created.get("payment_due") is None
    assert care_rules.run(D(2026, 12, 6), Rules(**ONLY, payment_due=Rule(True, 5))).created["payment_due"] == 1


def test_a_sale_paid_since_withdraws_its_reminder(cid):
    sale_id = sale(cid, "2026-10-01", "1000", terms=30)
    care_rules.run(D(2026, 12, 4), Rules(**ONLY))
    assert len(reminders()) == 1
    draft, version = sales.draft_of(sale_id)
    draft.paid = "1000"
    sales.update(sale_id, draft, version, D(2026, 12, 4))
    care_rules.run(D(2026, 12, 5), Rules(**ONLY))
    assert reminders() == []


def test_the_agenda_lists_payments_falling_due(cid):
    late = sale(cid, "2026-10-01", "1000", paid="400", terms=30)
    soon = sale(cid, "2026-11-20", "500", terms=16)  # due 12-06
    sale(cid, "2026-11-20", "500", terms=30)  # due 12-20: after the agenda
    agenda = day_agenda.agenda(D(2026, 12, 4), 3)
    assert [(p.sale_id, p.due_on) for p in agenda.payments] == [(late, D(2026, 10, 31)), (soon, D(2026, 12, 6))]
