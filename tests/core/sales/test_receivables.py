"""Receivables: what each customer owes (the lines less what was paid; NULL paid is paid in
full), what of it is overdue by the due date; deleted sales and customers owe nothing."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from crmdesk.core.models import Transaction
from crmdesk.core.sales import receivables, sales
from crmdesk.core.sales.sale_check import LineDraft, SaleDraft
from crmdesk.core.customers import archive as customers, transactions

TODAY = dt.date(2026, 12, 4)


@pytest.fixture
def two(db):
    return customers.create({"name": "甲", "owner": "王芳"})[0], customers.create({"name": "乙", "owner": "李雷"})[0]


def sale(cid, day, amount, paid=None, terms=None, kind="sale") -> int:
    return sales.record(SaleDraft(cid, day, kind, lines=[LineDraft("阀门", amount=amount)], paid=paid,
                                  payment_terms_days=terms), TODAY).sale_id


def test_owed_and_overdue_per_customer(two):
    a, b = two
    sale(a, "2026-10-01", "1000", paid="400", terms=30)  # due 10-31: 600 overdue
    sale(a, "2026-11-20", "500", terms=30)  # due 12-20: 500 owed, not yet due
    sale(a, "2026-11-01", "800")  # paid in full
    sale(a, "2026-11-02", "100", kind="refund")  # a refund owes nothing
    sale(b, "2026-11-01", "300", paid="300", terms=10)
    assert receivables.for_customer(a, TODAY) == receivables.Owing(Decimal(1100), Decimal(600), 2, 1)
    assert receivables.for_customer(b, TODAY) == receivables.Owing(Decimal(0), Decimal(0), 0, 0)
    assert receivables.totals(TODAY) == receivables.Owing(Decimal(1100), Decimal(600), 2, 1)


def test_the_due_list_and_the_overdue(two):
    a, b = two
    late = sale(a, "2026-10-01", "1000", paid="400", terms=30)
    soon = sale(b, "2026-11-20", "500", terms=20)  # due 12-10
    sale(b, "2026-12-01", "500", terms=3)  # due today: not overdue yet
    assert [(d.sale_id, d.customer, d.due_on, d.owed, d.owner) for d in receivables.overdue(TODAY)] == [
        (late, "甲", dt.date(2026, 10, 31), Decimal(600), "王芳")]
    assert receivables.overdue(TODAY)[0].days_overdue(TODAY) == 34
    assert [d.sale_id for d in receivables.due_between(TODAY, TODAY + dt.timedelta(days=7))] == [3, soon]
    assert [d.sale_id for d in receivables.due_between(None, dt.date(2026, 12, 9), owner="李雷")] == [3]


def test_deleted_sales_and_customers_owe_nothing(two):
    a, b = two
    gone = sale(a, "2026-10-01", "1000", terms=30)
    sale(b, "2026-10-01", "1000", terms=30)
    sales.delete(gone)
    customers.delete([b])
    assert receivables.totals(TODAY).owed == 0 and receivables.overdue(TODAY) == []


def test_lines_added_one_at_a_time_owe_what_they_left_unpaid(two):
    a, _ = two
    transactions.add(a, {"date": "2026-11-01", "amount": "300", "paid": "100"})
    transactions.add(a, {"date": "2026-11-02", "amount": "50"})
    assert Transaction.select().count() == 2
    assert receivables.for_customer(a, TODAY).owed == Decimal(200)
