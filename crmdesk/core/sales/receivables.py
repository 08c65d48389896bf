"""Receivables (应收款): what each customer still owes, sale by sale (the lines' total less
what was paid), and what of it is overdue (unpaid after the due date: the sale's date plus
its payment terms). A paid amount of NULL, as the older lines have it, means paid in full.
Deleted sales and the sales of deleted customers owe nothing."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Optional

from crmdesk.core.models import database

# The live sales with what each still owes, in cents ("owed"): the sales list and the
# agenda select from it.
OWED_SQL = ("SELECT s.id AS sale_id, s.uuid AS sale_uuid, s.customer_id, s.date, s.due_on, s.owner, "
            "t.total - COALESCE(s.paid, t.total) AS owed FROM sale s "
            "JOIN (SELECT sale_id, sum(amount) AS total FROM transactions WHERE deleted_at IS NULL "
            "GROUP BY sale_id) t ON t.sale_id = s.id "
            "JOIN customer c ON c.id = s.customer_id AND c.deleted_at IS NULL "
            "WHERE s.deleted_at IS NULL")


@dataclass(frozen=True)
class Owing:
    owed: Decimal  # still to pay, all sales
    overdue: Decimal  # of it, past the due date
    sales: int  # sales with something owed
    overdue_sales: int


@dataclass(frozen=True)
class Due:
    """One sale with money owed and a due date (the agenda's and the care rule's)."""
    sale_id: int
    customer_id: int
    customer: str
    date: dt.date
    due_on: dt.date
    owed: Decimal
    owner: str
    sale_uuid: str = ""  # the sale's key on every laptop of a team (a care reminder names it)

    def days_overdue(self, today: dt.date) -> int:
        return (today - self.due_on).days


def _day(value) -> Optional[dt.date]:
    return None if value is None else dt.date.fromisoformat(str(value)[:10])


def for_customer(customer_id: int, today: dt.date) -> Owing:
    row = database.execute_sql(
        f"SELECT COALESCE(sum(owed), 0), COALESCE(sum(CASE WHEN due_on < ? THEN owed ELSE 0 END), 0), count(*), "
        f"COALESCE(sum(CASE WHEN due_on < ? THEN 1 ELSE 0 END), 0) FROM ({OWED_SQL} AND s.customer_id = ?) "
        "WHERE owed > 0", (today.isoformat(), today.isoformat(), customer_id)).fetchone()
    return Owing(Decimal(row[0]) / 100, Decimal(row[1]) / 100, row[2], row[3])


def due_between(start: Optional[dt.date], end: dt.date, owner: str = "") -> list[Due]:
    """The sales owing money that fall due from ``start`` (None: any time before) to
    ``end`` inclusive, the earliest first."""
    where, params = ["owed > 0", "due_on IS NOT NULL", "due_on <= ?"], [end.isoformat()]
    if start is not None:
        where.append("due_on >= ?")
        params.append(start.isoformat())
    if owner:
        where.append("o.owner = ?")
        params.append(owner)
    rows = database.execute_sql(
        f"SELECT o.sale_id, o.customer_id, c.name, o.date, o.due_on, o.owed, o.owner, o.sale_uuid FROM ({OWED_SQL}) o "
        f"JOIN customer c ON c.id = o.customer_id WHERE {' AND '.join(where)} ORDER BY o.due_on, o.sale_id", params)
    return [Due(sid, cid, name, _day(day), _day(due), Decimal(owed) / 100, owner_, key)
            for sid, cid, name, day, due, owed, owner_, key in rows]


def overdue(today: dt.date, owner: str = "") -> list[Due]:
    """The sales unpaid after their due date, as of ``today``."""
    return [d for d in due_between(None, today - dt.timedelta(days=1), owner)]


def totals(today: dt.date) -> Owing:
    row = database.execute_sql(
        f"SELECT COALESCE(sum(owed), 0), COALESCE(sum(CASE WHEN due_on < ? THEN owed ELSE 0 END), 0), count(*), "
        f"COALESCE(sum(CASE WHEN due_on < ? THEN 1 ELSE 0 END), 0) FROM ({OWED_SQL}) WHERE owed > 0",
        (today.isoformat(), today.isoformat())).fetchone()
    return Owing(Decimal(row[0]) / 100, Decimal(row[1]) / 100, row[2], row[3])


def payment_reminders(today: dt.date, days: int) -> list[tuple]:
    """The care rule "payment due": for each sale still owing ``days`` or more days after its
    due date, a reminder due today, as the care rules insert them (customer, contact, kind,
    due day, rule key, occasion, facts). The key names the sale (by its uuid, the same on
    every laptop of a team) and its due date: one reminder per overdue sale, never a new
    one each day (a due date moved makes a new one)."""
    return [(d.customer_id, None, "payment_due", today, f"payment_due:{d.sale_uuid}:{d.due_on.isoformat()}", "",
             {"sale": d.sale_uuid, "date": d.date.isoformat(), "due_on": d.due_on.isoformat(),
              "owed": float(d.owed)})
            for d in due_between(None, today - dt.timedelta(days=max(days, 0)))]


def withdraw_paid_reminders(now) -> int:
    """Withdraw the open "payment due" reminders whose sale no longer owes (paid, deleted,
    or its due date moved later): how many."""
    cursor = database.execute_sql(
        "UPDATE care_event SET deleted_at = ?, version = version + 1, updated_at = ? "
        "WHERE kind = 'payment_due' AND state IN ('due', 'snoozed') AND deleted_at IS NULL "
        f"AND json_extract(facts, '$.sale') NOT IN (SELECT sale_uuid FROM ({OWED_SQL}) "
        "WHERE owed > 0 AND due_on = json_extract(care_event.facts, '$.due_on'))", (now, now))
    return cursor.rowcount
