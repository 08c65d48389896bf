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
from crmdesk.core.models import Batch, Sale, Transaction, utcnow
from crmdesk.core.customers import archive as customers
from crmdesk.core import history

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


class ValueMemo:
    """The parsed values of one import's cells, per field: a million sales lines hold a few
    thousand dates, quantities and paid amounts, parsed once each (amounts mostly differ:
    a field keeps at most ``PER_FIELD``). Results are immutable (dates, Decimals); an
    error is re-raised as the same ``FieldError``."""
    PER_FIELD = 20_000

    def __init__(self) -> None:
        self._fields: dict[str, dict] = {}

    def parse(self, key: str, parse, value: Any, *args: Any) -> Any:
        memo = self._fields.get(key)
        if memo is None:
            memo = self._fields[key] = {}
        try:
            found = memo.get((value.__class__, value))  # 1, 1.0 and True are equal: the type is part of it
        except TypeError:  # not hashable
            return parse(value, *args)
        if found is None:
            try:
                found = (True, parse(value, *args))
            except FieldError as error:
                found = (False, error)
            if len(memo) < self.PER_FIELD:
                memo[(value.__class__, value)] = found
        ok, result = found
        if not ok:
            raise result.with_traceback(None)
        return result


_PARSED = (("date", normalize.date, True), ("amount", normalize.money, False), ("paid", normalize.money, False),
           ("quantity", normalize.money, False))  # (key, parse, takes the date order)


def validate(raw: Mapping[str, Any], date_order: str = "ymd", memo: Optional[ValueMemo] = None) -> dict[str, Any]:
    """A line's values by the spec's rules; raises ``ValidationError``. ``memo``: an
    import's values that repeat are parsed once."""
    errors: dict[str, FieldError] = {}
    clean: dict[str, Any] = {}
    for key, parse, dated in _PARSED:
        value = raw.get(key)
        try:
            if memo is None:
                clean[key] = parse(value, date_order) if dated else parse(value)
            else:
                clean[key] = memo.parse(key, parse, value, date_order) if dated else memo.parse(key, parse, value)
        except FieldError as error:
            errors[key] = FieldError(error.code, key, **{k: v for k, v in error.params.items() if k != "key"})
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
    """One line, in a sale of its own (every line has a sale): a negative amount is a refund."""
    with transaction():
        customer = customers.get(customer_id)
        clean = validate(raw)
        sale = Sale.create(customer=customer_id, date=clean["date"], kind="refund" if clean["amount"] < 0 else "sale",
                           owner=customer.owner or "", paid=clean["paid"],
                           paid_on=clean["date"] if clean["paid"] else None, notes="", batch=batch)
        row = Transaction.create(customer=customer_id, batch=batch, sale=sale.id, line_no=1, **clean)
        history.write([history.Entry(ENTITY, row.id, row.uuid, customer_id, CREATED, "", None,
                                     f"{row.date} {row.product} {clean['amount']}")], batch)
    return Changes(ENTITY, CREATED, (row.id,))


def delete(transaction_id: int) -> Changes:
    """Delete one line; its sale goes with its last line."""
    with transaction():
        row = Transaction.get_by_id(transaction_id)
        when = utcnow()
        Transaction.update(deleted_at=when).where(Transaction.id == transaction_id).execute()
        if row.sale_id is not None and not (Transaction.select().where(
                (Transaction.sale == row.sale_id) & Transaction.deleted_at.is_null()).exists()):
            Sale.update(deleted_at=when, version=Sale.version + 1).where(
                (Sale.id == row.sale_id) & Sale.deleted_at.is_null()).execute()
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
