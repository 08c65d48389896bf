"""Small hand-made sales for the figures' tests: customers, sales with their lines,
opportunities with their stage history."""
from __future__ import annotations

import datetime as dt

from crmdesk.core.models import Customer, Opportunity, Product, Sale, StageChange, Transaction


def customer(name: str, **values) -> int:
    values.setdefault("code", f"C{Customer.select().count() + 1:05d}")
    values.setdefault("created_at", dt.datetime(2023, 1, 1))
    return Customer.create(name=name, **values).id


def sell(cid: int, day: dt.date, *lines, owner: str = "", kind: str = "sale") -> int:
    """A sale of ``lines`` (product, category, quantity, amount[, product id])."""
    sale = Sale.create(customer=cid, date=day, kind=kind, owner=owner)
    for no, line in enumerate(lines, 1):
        product, category, quantity, amount, *ref = line
        Transaction.create(customer=cid, date=day, product=product, category=category, quantity=quantity,
                           amount=amount, sale=sale, line_no=no, product_ref=ref[0] if ref else None)
    return sale.id


def product(name: str, category: str = "", **values) -> int:
    return Product.create(name=name, category=category, **values).id


def deal(cid: int, stage: str, amount, created: dt.date, history=(), closed_on=None, owner: str = "",
         probability: int = 10, expected_close=None) -> int:
    """An opportunity now in ``stage``, created on ``created``, that went through ``history``
    (the stages before, in order) and then ``stage``."""
    opp = Opportunity.create(customer=cid, title=f"{stage} {amount}", amount=amount, stage=stage, owner=owner,
                             probability=probability, expected_close=expected_close, closed_on=closed_on,
                             created_at=dt.datetime.combine(created, dt.time(9)))
    at = dt.datetime.combine(created, dt.time(9))
    for step in (*history, stage):
        StageChange.create(opportunity=opp, stage=step, entered_at=at)
        at += dt.timedelta(days=1)
    return opp.id
