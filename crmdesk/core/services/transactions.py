"""A customer's transaction history: what they bought, when, for how much, what was paid."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Mapping, Optional

from peewee import fn

from crmdesk.core.changes import CREATED, DELETED, Changes
from crmdesk.core.db import transaction
from crmdesk.core.errors import FieldError, ValidationError
from crmdesk.core.io import normalize
from crmdesk.core.models import Batch, Transaction, utcnow
from crmdesk.core.services import customers, history

ENTITY = "transaction"


@dataclass
class Totals:
    count: int
    amount: Decimal
    paid: Decimal
    first: Optional[dt.date]
    last: Optional[dt.date]

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.paid


def validate(raw: Mapping[str, Any], date_order: str = "ymd") -> dict[str, Any]:
    errors: dict[str, FieldError] = {}
    clean: dict[str, Any] = {}

    def take(key, parse, *args):
        try:
            clean[key] = parse(raw.get(key), *args)
        except FieldError as error:
            errors[key] = FieldError(error.code, key, **{k: v for k, v in error.params.items() if k != "key"})

    take("date", normalize.date, date_order)
    take("amount", normalize.money)
    take("paid", normalize.money)
    take("quantity", normalize.money)
    for key in ("date", "amount"):
        if clean.get(key) is None and key not in errors:
            errors[key] = FieldError("required", key)
    for key, limit in (("product", 200), ("category", 100)):
        clean[key] = normalize.text(raw.get(key))[:limit]
    clean["notes"] = normalize.text(raw.get("notes"))
    if errors:
        raise ValidationError(errors)
    if clean["paid"] is None:
        clean["paid"] = clean["amount"]
    if clean["quantity"] is not None:
        clean["quantity"] = float(clean["quantity"])
    return clean


def add(customer_id: int, raw: Mapping[str, Any], batch: Optional[Batch] = None) -> Changes:
    with transaction():
        customers.get(customer_id)
        clean = validate(raw)
        row = Transaction.create(customer=customer_id, batch=batch, **clean)
        history.write([history.Entry(ENTITY, row.id, row.uuid, customer_id, CREATED, "", None,
                                     f"{row.date} {row.product} {clean['amount']}")], batch)
    return Changes(ENTITY, CREATED, (row.id,))


def delete(transaction_id: int) -> Changes:
    with transaction():
        row = Transaction.get_by_id(transaction_id)
        Transaction.update(deleted_at=utcnow()).where(Transaction.id == transaction_id).execute()
        history.write([history.Entry(ENTITY, row.id, row.uuid, row.customer_id, DELETED, "",
                                     f"{row.date} {row.product} {row.amount}", None)])
    return Changes(ENTITY, DELETED, (transaction_id,))


def for_customer(customer_id: int) -> list[Transaction]:
    return list(Transaction.select().where((Transaction.customer == customer_id)
                                           & Transaction.deleted_at.is_null())
                .order_by(Transaction.date.desc(), Transaction.id.desc()))


def totals(customer_id: int) -> Totals:
    row = (Transaction.select(fn.COUNT(Transaction.id), fn.SUM(Transaction.amount),
                              fn.SUM(fn.COALESCE(Transaction.paid, Transaction.amount)),
                              fn.MIN(Transaction.date), fn.MAX(Transaction.date))
           .where((Transaction.customer == customer_id) & Transaction.deleted_at.is_null())
           .tuples().get())
    count, amount, paid, first, last = row
    as_date = lambda v: dt.date.fromisoformat(v) if isinstance(v, str) else v  # noqa: E731
    return Totals(count or 0, Decimal(amount or 0) / 100, Decimal(paid or 0) / 100,
                  as_date(first), as_date(last))
