"""Sales, one at a time: record one (a customer, a day, its lines, what was paid and when it
is due), correct it, delete it and bring it back (Ctrl+Z).

Every write is one transaction, keeps the change log (the customer's timeline shows "Sale
recorded 2026-12-04 ¥12,800 …"), checks the version the user opened (a sale changed
elsewhere meanwhile is refused), and returns the Changes of the sale and of its lines
("transaction"), so that the analytics, the points and the purchase follow-ups, which all
read the lines, see it at once. Every line belongs to a sale."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Optional

from crmdesk.core.changes import CREATED, DELETED, RESTORED, UPDATED, Changes
from crmdesk.core.db import transaction
from crmdesk.core.errors import CrmError
from crmdesk.core.models import Batch, Customer, Sale, Transaction, utcnow
from crmdesk.core.sales.sale_check import CleanLine, CleanSale, LineDraft, SaleDraft, clean
from crmdesk.core import history

ENTITY = "sale"
LINE_ENTITY = "transaction"
NOT_FOUND = "sale_not_found"
STALE = "record_changed_elsewhere"
HEADER = ("date", "kind", "owner", "paid", "paid_on", "payment_terms_days", "due_on", "notes")


@dataclass(frozen=True)
class Column:
    """A field's name in both languages, for the "changed elsewhere (paid, notes)" sentence."""
    key: str
    zh: str
    en: str


COLUMNS = (Column("date", "日期", "Date"), Column("kind", "类型", "Kind"), Column("owner", "负责人", "Owner"),
           Column("paid", "已付款", "Paid"), Column("paid_on", "付款日期", "Paid on"),
           Column("payment_terms_days", "账期", "Payment terms"), Column("due_on", "到期日", "Due"),
           Column("notes", "备注", "Notes"), Column("customer", "客户", "Customer"), Column("lines", "明细", "Lines"),
           Column("opportunity", "商机", "Deal"))

__all__ = ["LineDraft", "SaleDraft", "Written", "record", "update", "delete", "restore", "delete_many",
           "restore_many", "get", "lines_of", "draft_of", "summary", "money_text", "total_of"]


@dataclass
class Written:
    sale_id: int
    changes: list[Changes] = field(default_factory=list)


def today() -> dt.date:
    return dt.date.today()


def money_text(value: Decimal) -> str:
    """¥12,800 or ¥12,800.50, as the change log keeps it (the same in every language)."""
    text = f"{abs(value):,.2f}"
    text = text[:-3] if text.endswith(".00") else text
    return ("-¥" if value < 0 else "¥") + text


def summary(day: dt.date, total: Decimal, products: list[str]) -> str:
    names = "、".join(p for p in products if p)
    return f"{day.isoformat()} {money_text(total)}" + (f" {names}" if names else "")


# ---------------------------------------------------------------- reading

def get(sale_id: int, include_deleted: bool = False) -> Sale:
    sale = (Sale.select(Sale, Customer).join(Customer).where(Sale.id == sale_id).first())
    if sale is None or (not include_deleted and (sale.deleted_at is not None or sale.customer.deleted_at is not None)):
        raise CrmError(NOT_FOUND, id=sale_id)
    return sale


def lines_of(sale_id: int) -> list[Transaction]:
    return list(Transaction.select().where((Transaction.sale == sale_id) & Transaction.deleted_at.is_null())
                .order_by(Transaction.line_no, Transaction.id))


def total_of(sale_id: int) -> Decimal:
    return sum((line.amount for line in lines_of(sale_id)), Decimal(0))


def draft_of(sale_id: int) -> tuple[SaleDraft, int]:
    """The sale as a draft to edit (amounts as the user types them: a refund's positive),
    and the version to hand back to ``update``."""
    sale = get(sale_id)
    sign = -1 if sale.kind == "refund" else 1
    lines = [LineDraft(line.product, line.product_id, line.category,
                       None if line.quantity is None else line.quantity * sign, line.unit_price, line.discount,
                       line.amount * sign) for line in lines_of(sale_id)]
    paid = None if sale.paid is None else sale.paid * sign
    return SaleDraft(sale.customer_id, sale.date, sale.kind, sale.owner, lines, paid, sale.paid_on,
                     sale.payment_terms_days, sale.notes, sale.opportunity_id, sale.visit_id), sale.version


# ---------------------------------------------------------------- writing

def _allocate(paid: Decimal, amounts: list[Decimal]) -> list[Decimal]:
    """What was paid, spread over the lines in order (each line's ``paid``, which the older
    readers of the lines sum)."""
    left, shares = abs(paid), []
    for amount in amounts:
        share = min(left, abs(amount))
        shares.append(share if amount >= 0 else -share)
        left -= share
    return shares


def _line_values(line: CleanLine, number: int, paid: Decimal) -> dict[str, Any]:
    return dict(product=line.product, product_ref=line.product_id, category=line.category, quantity=line.quantity,
                unit_price=line.unit_price, discount=line.discount, amount=line.amount, paid=paid, line_no=number)


def _header(sale: CleanSale) -> dict[str, Any]:
    return dict(date=sale.date, kind=sale.kind, owner=sale.owner, paid=sale.paid, paid_on=sale.paid_on,
                payment_terms_days=sale.payment_terms_days, due_on=sale.due_on, notes=sale.notes)


def _changes(kind: str, sale_id: int, line_ids: tuple[int, ...], customer_id: int,
             removed: tuple[int, ...] = ()) -> list[Changes]:
    changes = [Changes(ENTITY, kind, (sale_id,)), Changes(LINE_ENTITY, kind, line_ids)]
    if removed:
        changes.append(Changes(LINE_ENTITY, DELETED, removed))
    changes.append(Changes("customer", UPDATED, (customer_id,)))
    return changes


def _check_product_names(sale: CleanSale) -> None:
    """A hook for the product list: names sold become products (see ``products``)."""
    from crmdesk.core.sales import products
    products.adopt_lines(sale.lines)


def record(draft: SaleDraft, today_: Optional[dt.date] = None, batch: Optional[Batch] = None) -> Written:
    """Record a new sale; raises the first problem of the draft (nothing saved)."""
    with transaction():
        sale = clean(draft, today_ or today())
        _check_product_names(sale)
        row = Sale.create(customer=sale.customer.id, opportunity=sale.opportunity_id, visit=sale.visit_id,
                          batch=batch, **_header(sale))
        shares = _allocate(sale.paid, [line.amount for line in sale.lines])
        ids = []
        for number, (line, share) in enumerate(zip(sale.lines, shares), 1):
            ids.append(Transaction.create(customer=sale.customer.id, sale=row.id, date=sale.date, batch=batch,
                                          **_line_values(line, number, share)).id)
        history.write([history.Entry(ENTITY, row.id, row.uuid, sale.customer.id, CREATED, "", None,
                                     summary(sale.date, sale.total, [line.product for line in sale.lines]))], batch)
    return Written(row.id, _changes(CREATED, row.id, tuple(ids), sale.customer.id))


def _editable(sale_id: int, expected_version: Optional[int]) -> Sale:
    sale = get(sale_id)
    if expected_version is not None and sale.version != expected_version:
        raise CrmError(STALE, name=_name(sale), fields=history.changed_fields(
            ENTITY, sale.id, writes=max(sale.version - expected_version, 1), columns=COLUMNS))
    return sale


def _name(sale: Sale) -> str:
    return f"{sale.customer.name} {sale.date.isoformat()}"


def _bump(sale: Sale, values: dict[str, Any]) -> None:
    count = (Sale.update(**values, version=Sale.version + 1, updated_at=utcnow())
             .where((Sale.id == sale.id) & (Sale.version == sale.version)).execute())
    if count != 1:  # another program wrote it between our read and this write
        raise CrmError(STALE, name=_name(sale), fields="")


def update(sale_id: int, draft: SaleDraft, expected_version: Optional[int] = None,
           today_: Optional[dt.date] = None) -> Written:
    """Correct a sale: its header and its lines (kept lines keep their ids, so the points
    credited for them stay; lines taken away are deleted)."""
    with transaction():
        sale = _editable(sale_id, expected_version)
        draft.customer_id = draft.customer_id or sale.customer_id
        new = clean(draft, today_ or today())
        _check_product_names(new)
        old_lines = lines_of(sale_id)
        before = {key: getattr(sale, key) for key in HEADER}
        after = _header(new)
        changed = history.diff(before, after)
        old_summary = summary(sale.date, sum((line.amount for line in old_lines), Decimal(0)),
                              [line.product for line in old_lines])
        new_summary = summary(new.date, new.total, [line.product for line in new.lines])
        moved = new.customer.id != sale.customer_id
        if moved:
            changed.append(("customer", sale.customer.name, new.customer.name))
        if old_summary != new_summary:
            changed.append(("lines", old_summary, new_summary))
        if (new.opportunity_id or None) != sale.opportunity_id:  # the deal it is for, logged as a visit's is
            changed.append(("opportunity", sale.opportunity_id, new.opportunity_id or None))
        line_changes = _rewrite_lines(sale, new, old_lines)
        if changed or line_changes[1]:
            values = dict(after, customer=new.customer.id, opportunity=new.opportunity_id or None,
                          visit=new.visit_id)
            _bump(sale, values)
            history.write([history.Entry(ENTITY, sale.id, sale.uuid, new.customer.id, UPDATED, key, old, new_)
                           for key, old, new_ in changed], None)
    kept, touched, removed = line_changes
    if not (changed or touched):
        return Written(sale_id, [])
    changes = _changes(UPDATED, sale_id, kept, new.customer.id, removed)
    if moved:
        changes.append(Changes("customer", UPDATED, (sale.customer_id,)))
    return Written(sale_id, changes)


def _rewrite_lines(sale: Sale, new: CleanSale, old_lines: list[Transaction]
                   ) -> tuple[tuple[int, ...], bool, tuple[int, ...]]:
    """The lines in place: (the live line ids, whether any changed, the ids removed)."""
    shares = _allocate(new.paid, [line.amount for line in new.lines])
    ids, touched = [], False
    for number, (line, share) in enumerate(zip(new.lines, shares), 1):
        values = dict(_line_values(line, number, share), customer=new.customer.id, date=new.date)
        if number <= len(old_lines):
            old = old_lines[number - 1]
            if any(history.as_text(getattr(old, k if k != "product_ref" else "product_id")) != history.as_text(v)
                   for k, v in values.items() if k != "customer") or old.customer_id != new.customer.id:
                Transaction.update(**values, updated_at=utcnow()).where(Transaction.id == old.id).execute()
                touched = True
            ids.append(old.id)
        else:
            ids.append(Transaction.create(sale=sale.id, batch=None, **values).id)
            touched = True
    removed = tuple(line.id for line in old_lines[len(new.lines):])
    if removed:  # a negative number: taken away by an edit, not brought back with the sale
        Transaction.update(deleted_at=utcnow(), line_no=Transaction.line_no * -1 - 1).where(
            Transaction.id.in_(removed)).execute()
        touched = True
    return tuple(ids), touched, removed


def delete(sale_id: int, expected_version: Optional[int] = None) -> Written:
    """Delete a sale softly, with its lines (``restore`` brings both back)."""
    with transaction():
        sale = _editable(sale_id, expected_version)
        lines = lines_of(sale_id)
        when = utcnow()
        _bump(sale, {"deleted_at": when})
        Transaction.update(deleted_at=when).where(Transaction.id.in_([line.id for line in lines])).execute()
        history.write([history.Entry(ENTITY, sale.id, sale.uuid, sale.customer_id, DELETED, "",
                                     summary(sale.date, sum((line.amount for line in lines), Decimal(0)),
                                             [line.product for line in lines]), None)])
    ids = tuple(line.id for line in lines)
    return Written(sale_id, [Changes(ENTITY, DELETED, (sale_id,)), Changes(LINE_ENTITY, DELETED, ids),
                             Changes("customer", UPDATED, (sale.customer_id,))])


def restore(sale_id: int) -> Written:
    """Bring back a deleted sale and the lines deleted with it (Ctrl+Z)."""
    with transaction():
        sale = get(sale_id, include_deleted=True)
        if sale.customer.deleted_at is not None:
            raise CrmError("sale_customer_deleted", name=sale.customer.name)
        if sale.deleted_at is None:
            return Written(sale_id, [])
        ids = [r[0] for r in Transaction.select(Transaction.id).where(
            (Transaction.sale == sale_id) & (Transaction.deleted_at == sale.deleted_at)
            & (Transaction.line_no >= 0)).tuples()]
        _bump(sale, {"deleted_at": None})
        Transaction.update(deleted_at=None).where(Transaction.id.in_(ids)).execute()
        lines = lines_of(sale_id)
        history.write([history.Entry(ENTITY, sale.id, sale.uuid, sale.customer_id, RESTORED, "", None,
                                     summary(sale.date, sum((line.amount for line in lines), Decimal(0)),
                                             [line.product for line in lines]))])
    return Written(sale_id, [Changes(ENTITY, RESTORED, (sale_id,)), Changes(LINE_ENTITY, RESTORED, tuple(ids)),
                             Changes("customer", UPDATED, (sale.customer_id,))])


def delete_many(sale_ids: list[int]) -> list[Changes]:
    """Delete several sales in one transaction (a list's selection); their Changes."""
    with transaction():
        written = [delete(sale_id) for sale_id in sale_ids]
    return _merged(written)


def restore_many(sale_ids: list[int]) -> list[Changes]:
    with transaction():
        written = [restore(sale_id) for sale_id in sale_ids]
    return _merged(written)


def _merged(written: list[Written]) -> list[Changes]:
    """One Changes per entity and kind, the ids together."""
    merged: dict[tuple[str, str], list[int]] = {}
    for w in written:
        for change in w.changes:
            merged.setdefault((change.entity, change.kind), []).extend(change.ids)
    return [Changes(entity, kind, tuple(dict.fromkeys(ids))) for (entity, kind), ids in merged.items()]
