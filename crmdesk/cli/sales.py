"""``crmdesk sale add``: record a sale from the command line (issue 19).

    crmdesk sale add --customer CODE --product NAME --amount A [--quantity Q] [--date D]
                     [--paid P] [--terms DAYS] [--refund]

The customer is found by its number; the product by its name on the product list (a name
not on it joins it). The same checks as the sale dialog: each bad input is one sentence on
standard error, exit status 2, and nothing saved. Also the agenda's "payments due" lines."""
from __future__ import annotations

import argparse
import datetime as dt
from decimal import Decimal
from typing import Optional, TextIO

from crmdesk.core.errors import CrmError, FieldError
from crmdesk.core.io import normalize
from crmdesk.i18n import translate

EXIT_OK = 0


def add_parsers(commands, db_option: argparse.ArgumentParser) -> None:
    sale = commands.add_parser("sale", parents=[db_option], help=translate("Cli", "record a sale"))
    actions = sale.add_subparsers(dest="sale_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", parents=[db_option], help=translate(
        "Cli", "record a sale of one product to a customer"))
    add.add_argument("--customer", required=True, metavar="CODE", help=translate("Cli", "the customer's number"))
    add.add_argument("--product", required=True, metavar="NAME", help=translate("Cli", "the product's name"))
    add.add_argument("--amount", required=True, metavar="A", help=translate("Cli", "the amount, like 12800 or 1.28万"))
    add.add_argument("--quantity", metavar="Q", help=translate("Cli", "how many (the unit price is the amount divided by it)"))
    add.add_argument("--date", metavar="D", help=translate("Cli", "the day of the sale (default: today), like 2026-11-24"))
    add.add_argument("--paid", metavar="P", help=translate(
        "Cli", "what was paid (default: all of it, or nothing when --terms is given)"))
    add.add_argument("--terms", metavar="DAYS", help=translate("Cli", "payment terms: paid within so many days"))
    add.add_argument("--refund", action="store_true", help=translate("Cli", "a refund (goods returned), not a sale"))


def _customer_id(code: str) -> int:
    from crmdesk.core.models import Customer
    code = normalize.code(code)
    found = (Customer.select().where(Customer.code == code).order_by(Customer.deleted_at.is_null(False),
                                                                     Customer.id.desc()).first())
    if found is None:
        raise CrmError("sale_customer_unknown", code=code)
    return found.id


def _product_id(name: str) -> Optional[int]:
    """The live product of that name (a merged variant leads to the product kept); a name
    only a deleted product has gives that product, which the checks refuse."""
    from crmdesk.core.models import Product
    name = normalize.text(name)
    products = list(Product.select().where(Product.name == name).order_by(Product.id.desc()))
    for product in products:
        if product.deleted_at is None:
            return product.merged_into_id or product.id
    return products[0].id if products else None


def run_add(args: argparse.Namespace, out: TextIO, today: Optional[dt.date] = None) -> int:
    from crmdesk.core.sales import sales
    from crmdesk.core.sales.sale_check import LineDraft, SaleDraft
    today = today or sales.today()
    quantity = args.quantity
    unit_price = None
    try:
        q, amount = normalize.money(quantity), normalize.money(args.amount)
    except FieldError:
        q = amount = None  # the checks say which
    if q and amount is not None and q > 0:
        unit_price = (abs(amount) / q).quantize(Decimal("0.01"))
    line = LineDraft(args.product, _product_id(args.product), quantity=quantity, unit_price=unit_price,
                     amount=args.amount)
    draft = SaleDraft(_customer_id(args.customer), args.date or today, "refund" if args.refund else "sale",
                      lines=[line], paid=args.paid, payment_terms_days=args.terms)
    written = sales.record(draft, today)
    sale = sales.get(written.sale_id)
    total = sales.total_of(written.sale_id)
    text = (translate("Cli", "Recorded a refund of {amount} to {customer} on {date}.") if args.refund else
            translate("Cli", "Recorded a sale of {amount} to {customer} on {date}."))
    out.write(text.format(amount=sales.money_text(total), customer=sale.customer.name,
                          date=sale.date.isoformat()) + "\n")
    owed = total - (sale.paid if sale.paid is not None else total)
    if owed > 0:
        due = (translate("Cli", "Owed: {amount}, due {date}.").format(amount=sales.money_text(owed),
                                                                      date=sale.due_on.isoformat())
               if sale.due_on else translate("Cli", "Owed: {amount}.").format(amount=sales.money_text(owed)))
        out.write(due + "\n")
    return EXIT_OK


def payment_lines(payments, day: dt.date, out: TextIO) -> None:
    """The agenda's payments due by its end, overdue ones marked; a count of 0 said, as the
    agenda's other sections say theirs."""
    from crmdesk.core.sales.sales import money_text
    count = len(payments)
    out.write(translate("Cli", "payments due: %n sale(s)", "", count) + "\n")
    for due in payments:
        late = (translate("Cli", "{days} days overdue").format(days=due.days_overdue(day))
                if due.due_on < day else "")
        parts = (due.due_on.isoformat(), due.customer, money_text(due.owed),
                 translate("Cli", "sale of {date}").format(date=due.date.isoformat()), due.owner, late)
        out.write("  " + "  ".join(p for p in parts if p) + "\n")


def run_products(args: argparse.Namespace, out: TextIO, err: TextIO, lang: str) -> int:
    """``crmdesk export products OUT.xlsx`` (the import goes through ``cli_import``)."""
    from crmdesk.core.sales import product_io
    count = product_io.export_products(args.out, lang)
    out.write(translate("Cli", "Exported %n product(s) to {path}.", "", count).format(path=args.out) + "\n")
    return EXIT_OK
