"""A customer's points ledger: points earned by purchases (credited by the care rules at
the rate the settings give), redeemed for gifts, or adjusted by hand. The balance is the
sum of the live entries; a redemption larger than the balance is refused. Redeeming a gift
also records a done "gift" care event, so the gift shows in the care history and the
timeline."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from crmdesk.core.care import fields as C
from crmdesk.core.changes import CREATED, UPDATED, Changes
from crmdesk.core.db import transaction
from crmdesk.core.errors import CrmError, FieldError, ValidationError
from crmdesk.core.models import CareEvent, Customer, PointsEntry, database, utcnow
from crmdesk.core import history

ENTITY = "points"
MAX_POINTS = 10_000_000


@dataclass(frozen=True)
class Line:
    id: int
    on: dt.date
    points: int
    kind: str  # earned, redeemed, adjusted
    note: str
    product: str  # the purchase's product, for earned points


# A purchase deleted afterwards takes its points with it (and gives them back if restored).
LIVE = ("x.deleted_at IS NULL AND (x.transaction_id IS NULL OR EXISTS (SELECT 1 FROM transactions t "
        "WHERE t.id = x.transaction_id AND t.deleted_at IS NULL))")


def balance(customer_id: int) -> int:
    return database.execute_sql(f"SELECT COALESCE(sum(x.points), 0) FROM points_entry x WHERE x.customer_id = ? "
                                f"AND {LIVE}", (customer_id,)).fetchone()[0]


def ledger(customer_id: int, limit: int = 500) -> list[Line]:
    """The customer's entries, the latest first."""
    return [Line(r[0], dt.date.fromisoformat(str(r[1])), r[2], r[3], r[4], r[5] or "") for r in database.execute_sql(
        f"SELECT x.id, x.\"on\", x.points, x.kind, x.note, t.product FROM points_entry x "
        f"LEFT JOIN transactions t ON t.id = x.transaction_id WHERE x.customer_id = ? AND {LIVE} "
        "ORDER BY x.\"on\" DESC, x.id DESC LIMIT ?", (customer_id, limit))]


def _points(value) -> int:
    try:
        number = float(str(value).strip())
        if isinstance(value, bool) or number != int(number) or not 1 <= number <= MAX_POINTS:
            raise ValueError
    except (TypeError, ValueError):
        raise ValidationError({"points": FieldError("points_invalid", "points", max=MAX_POINTS)}) from None
    return int(number)


def _customer(customer_id: int) -> Customer:
    customer = Customer.get_or_none((Customer.id == customer_id) & Customer.deleted_at.is_null())
    if customer is None:
        raise CrmError("customer_not_found")
    return customer


def redeem(customer_id: int, points, gift: str, on: dt.date, at: Optional[dt.datetime] = None) -> list[Changes]:
    """Take ``points`` off the balance for ``gift``, and record the gift as a done care event."""
    points = _points(points)
    gift = " ".join(str(gift or "").split())
    if not gift:
        raise ValidationError({"gift": FieldError("required", "gift")})
    if len(gift) > 200:
        raise ValidationError({"gift": FieldError("too_long", "gift", max=200)})
    with transaction():
        customer = _customer(customer_id)
        have = balance(customer.id)
        if points > have:
            raise ValidationError({"points": FieldError("points_not_enough", "points", balance=have, points=points)})
        event = CareEvent.create(customer=customer.id, kind=C.GIFT, due_on=on, channel="gift", title=gift,
                                 state=C.DONE, result=gift, done_at=(at or utcnow()).replace(microsecond=0),
                                 facts=f'{{"points": {points}}}')
        entry = PointsEntry.create(customer=customer.id, on=on, points=-points, kind="redeemed", note=gift,
                                   care_event=event.id)
        history.write([history.Entry("care_event", event.id, event.uuid, customer.id, UPDATED, C.DONE, C.GIFT,
                                     f"{gift} (-{points})"),
                       history.Entry(ENTITY, entry.id, entry.uuid, customer.id, CREATED, "", None, str(-points))])
    return [Changes("care_event", CREATED, (event.id,)), Changes("customer", UPDATED, (customer.id,))]


def adjust(customer_id: int, points: int, note: str, on: dt.date) -> list[Changes]:
    """Add (or, negative, take off) points by hand, with a note saying why."""
    try:
        points = int(points)
    except (TypeError, ValueError):
        raise ValidationError({"points": FieldError("points_invalid", "points", max=MAX_POINTS)}) from None
    if points == 0 or abs(points) > MAX_POINTS:
        raise ValidationError({"points": FieldError("points_invalid", "points", max=MAX_POINTS)})
    note = " ".join(str(note or "").split())
    if not note:
        raise ValidationError({"note": FieldError("required", "note")})
    with transaction():
        customer = _customer(customer_id)
        if points < 0 and -points > balance(customer.id):
            raise ValidationError({"points": FieldError("points_not_enough", "points", balance=balance(customer.id),
                                                        points=-points)})
        entry = PointsEntry.create(customer=customer.id, on=on, points=points, kind="adjusted", note=note[:500])
        history.write([history.Entry(ENTITY, entry.id, entry.uuid, customer.id, CREATED, "", None, str(points))])
    return [Changes("customer", UPDATED, (customer.id,))]
