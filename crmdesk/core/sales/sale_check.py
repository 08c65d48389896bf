"""A sale as the user typed it (``SaleDraft``, its ``LineDraft`` lines), and the checks that
turn it into the values stored (``CleanSale``): each problem is one ``FieldError`` naming the
field (``customer``, ``date``, ``paid``, ``lines.2.quantity`` ...) and carrying one sentence's
code, so that a form can mark it as it is typed and a write refuses it, saving nothing.

A line's amount is quantity × unit price × (1 − discount %) unless it is given. A refund is
a sale of its own kind: its quantities and amounts may be typed either way and are stored
negative (and so is what was paid back), so that every sum of the lines nets it out. A paid
amount left blank means paid in full on the day, unless payment terms are given: then
nothing is paid yet and the sale falls due ``payment_terms_days`` after its date."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Optional

from crmdesk.core.errors import FieldError
from crmdesk.core.io import normalize
from crmdesk.core.models import Customer, Opportunity, Product, Visit
from crmdesk.core.sales.fields import SALE_KINDS

FUTURE_DAYS = 365  # a sale dated further ahead than this is a typing mistake
MAX_TERMS = 3650
CENT = Decimal("0.01")
TEXTS = {"owner": 100, "notes": 5000}


@dataclass
class LineDraft:
    product: str = ""
    product_id: Optional[int] = None
    category: str = ""
    quantity: Any = None
    unit_price: Any = None
    discount: Any = None  # percent off
    amount: Any = None  # None: computed

    def blank(self) -> bool:
        return (not normalize.text(self.product) and self.product_id is None
                and all(normalize.is_blank(v) for v in (self.quantity, self.unit_price, self.amount)))


@dataclass
class SaleDraft:
    customer_id: Optional[int] = None
    date: Any = None
    kind: str = "sale"
    owner: str = ""
    lines: list[LineDraft] = field(default_factory=list)
    paid: Any = None  # None: paid in full, or nothing yet when there are payment terms
    paid_on: Any = None
    payment_terms_days: Any = None
    notes: str = ""
    opportunity_id: Optional[int] = None
    visit_id: Optional[int] = None


@dataclass
class CleanLine:
    product: str
    product_id: Optional[int]
    category: str
    quantity: Optional[float]
    unit_price: Optional[Decimal]
    discount: Optional[float]
    amount: Decimal  # negative on a refund


@dataclass
class CleanSale:
    customer: Customer
    date: dt.date
    kind: str
    owner: str
    lines: list[CleanLine]
    paid: Decimal
    paid_on: Optional[dt.date]
    payment_terms_days: Optional[int]
    due_on: Optional[dt.date]
    notes: str
    opportunity_id: Optional[int]
    visit_id: Optional[int]

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))


def line_amount(quantity: Any, unit_price: Any, discount: Any) -> Optional[Decimal]:
    """quantity × unit price × (1 − discount/100), to the cent; None when the price is
    missing or a value is not a number (the form shows it as it is typed)."""
    try:
        price = normalize.money(unit_price)
        qty = normalize.money(quantity)
        off = normalize.money(discount)
    except FieldError:
        return None
    if price is None:
        return None
    qty = Decimal(1) if qty is None else qty
    off = Decimal(0) if off is None else off
    return (qty * price * (Decimal(100) - off) / Decimal(100)).quantize(CENT, rounding=ROUND_HALF_UP)


def problems(draft: SaleDraft, today: dt.date) -> list[FieldError]:
    """Every problem of ``draft``, in the form's order (empty when it can be saved)."""
    found: list[FieldError] = []
    try:
        clean(draft, today, found)
    except FieldError:
        pass
    return found


def clean(draft: SaleDraft, today: dt.date, found: Optional[list] = None) -> CleanSale:
    """The values to store; raises the first problem (``found`` collects them all)."""
    errors: list[FieldError] = [] if found is None else found
    customer = _customer(draft.customer_id, errors)
    day = _date(draft.date, today, errors)
    kind = draft.kind or "sale"
    if kind not in SALE_KINDS:
        errors.append(FieldError("enum_invalid", "kind", choices=", ".join(SALE_KINDS)))
    sign = Decimal(-1) if kind == "refund" else Decimal(1)
    lines = [line for line in (_line(i + 1, line, sign, errors) for i, line in enumerate(draft.lines)
                               if not line.blank()) if line is not None]
    if not any(not line.blank() for line in draft.lines):
        errors.append(FieldError("sale_no_lines", "lines"))
    terms = _terms(draft.payment_terms_days, errors)
    total = sum((line.amount for line in lines), Decimal(0))
    paid, paid_on = _paid(draft, total, terms, day, errors)
    texts = {}
    for key, limit in TEXTS.items():
        text = normalize.text(getattr(draft, key)) if key == "owner" else (draft.notes or "").strip()
        if len(text) > limit:
            errors.append(FieldError("too_long", key, max=limit))
        texts[key] = text
    _links(draft, errors)
    if errors:
        raise errors[0]
    owner = texts["owner"] or customer.owner or ""
    due_on = day + dt.timedelta(days=terms) if terms is not None else None
    return CleanSale(customer, day, kind, owner, lines, paid * sign, paid_on, terms, due_on, texts["notes"],
                     draft.opportunity_id, draft.visit_id)


def _customer(customer_id: Optional[int], errors: list) -> Optional[Customer]:
    if not customer_id:
        errors.append(FieldError("sale_customer_required", "customer"))
        return None
    customer = Customer.get_or_none(Customer.id == customer_id)
    if customer is None:
        errors.append(FieldError("customer_not_found", "customer"))
    elif customer.deleted_at is not None:
        errors.append(FieldError("sale_customer_deleted", "customer", name=customer.name))
        return None
    return customer


def _date(value: Any, today: dt.date, errors: list) -> Optional[dt.date]:
    try:
        day = normalize.date(value)
    except FieldError as error:
        errors.append(FieldError(error.code, "date"))
        return None
    if day is None:
        errors.append(FieldError("required", "date"))
    elif day > today + dt.timedelta(days=FUTURE_DAYS):
        errors.append(FieldError("sale_date_far_future", "date", date=day.isoformat()))
        return None
    return day


def _number(value: Any, key: str, errors: list) -> Optional[Decimal]:
    try:
        return normalize.money(value)
    except FieldError as error:
        errors.append(FieldError(error.code, key))
        return None


def _line(row: int, line: LineDraft, sign: Decimal, errors: list) -> Optional[CleanLine]:
    key = f"lines.{row}."
    before = len(errors)
    product, category = normalize.text(line.product)[:200], normalize.text(line.category)[:100]
    product_id = line.product_id
    if product_id is not None:
        found = Product.get_or_none(Product.id == product_id)
        while found is not None and found.deleted_at is None and found.merged_into_id:  # a merged variant
            found = Product.get_or_none(Product.id == found.merged_into_id)
        if found is None or found.deleted_at is not None:
            errors.append(FieldError("sale_product_gone", key + "product", row=row,
                                     name=product or (found.name if found else "")))
        else:
            product_id, product, category = found.id, product or found.name, category or found.category
    quantity = _number(line.quantity, key + "quantity", errors)
    price = _number(line.unit_price, key + "unit_price", errors)
    discount = _number(line.discount, key + "discount", errors)
    amount = _number(line.amount, key + "amount", errors)
    if discount is not None and not 0 <= discount <= 100:
        errors.append(FieldError("sale_discount_invalid", key + "discount", row=row))
    if sign > 0:
        for name, value in (("quantity", quantity), ("unit_price", price), ("amount", amount)):
            if value is not None and value < 0:
                errors.append(FieldError("sale_negative_line", key + name, row=row))
                break
    if len(errors) > before:
        return None
    if amount is None:
        amount = line_amount(quantity, price, discount)
    if amount is None:
        errors.append(FieldError("sale_line_no_amount", key + "amount", row=row))
        return None
    return CleanLine(product, product_id, category,
                     None if quantity is None else float(abs(quantity) * sign),
                     None if price is None else abs(price), None if discount is None else float(discount),
                     abs(amount) * sign)


def _terms(value: Any, errors: list) -> Optional[int]:
    try:
        return normalize.integer(value, 0, MAX_TERMS, "sale_terms_invalid")
    except FieldError as error:
        errors.append(FieldError("sale_terms_invalid", "payment_terms_days", max=MAX_TERMS,
                                 **{k: v for k, v in error.params.items() if k in ("low", "high")}))
        return None


def _paid(draft: SaleDraft, total: Decimal, terms: Optional[int], day: Optional[dt.date],
          errors: list) -> tuple[Decimal, Optional[dt.date]]:
    paid = _number(draft.paid, "paid", errors)
    try:
        paid_on = normalize.date(draft.paid_on)
    except FieldError as error:
        errors.append(FieldError(error.code, "paid_on"))
        paid_on = None
    if paid is not None and paid < 0:
        errors.append(FieldError("money_negative", "paid"))
        return Decimal(0), None
    if paid is None:
        paid = Decimal(0) if terms is not None else abs(total)
    if paid > abs(total):
        errors.append(FieldError("sale_paid_too_much", "paid", paid=f"{paid:,.2f}", amount=f"{abs(total):,.2f}"))
    if paid and paid_on is None:
        paid_on = day
    if not paid:
        paid_on = None
    return paid, paid_on


def _links(draft: SaleDraft, errors: list) -> None:
    if not draft.customer_id:
        return  # no customer yet: that is the problem to show, not the links
    for key, model, value in (("visit", Visit, draft.visit_id), ("opportunity", Opportunity, draft.opportunity_id)):
        if value is None:
            continue
        row = model.get_or_none(model.id == value)
        if row is None or row.deleted_at is not None or row.customer_id != draft.customer_id:
            errors.append(FieldError("sale_link_other_customer", key))

