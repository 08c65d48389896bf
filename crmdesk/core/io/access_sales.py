"""An Access database's orders, their lines and products, joined into one list of sales.

Access keeps a sale in three tables (Northwind: ``Orders`` ⋈ ``Order Details`` ⋈
``Products``, with ``Customers`` for the buyer's name and ``Categories`` for the product's
category). When a database has that shape, ``find_sales_shape`` names the tables and
``sales_rows`` yields one row a line, with the headers the transaction import knows:
the amount is UnitPrice × Quantity × (1 − Discount), rounded to the cent.

The tables are found by their columns, not their names: the lines hold an order key, a
product key, a quantity and a unit price; the orders hold the order key, a customer key
and an order date; the products hold the product key and a name. Column names are
compared without case, spaces or underscores, in English and Chinese.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Iterator, Optional

from crmdesk.core.errors import CrmError

ROLES: dict[str, tuple[str, ...]] = {
    "order": ("orderid", "orderno", "ordernumber", "订单号", "订单编号", "订单id"),
    "product": ("productid", "productno", "产品id", "产品编号", "商品编号", "商品id"),
    "quantity": ("quantity", "qty", "数量"),
    "price": ("unitprice", "price", "单价"),
    "discount": ("discount", "折扣"),
    "customer": ("customerid", "customerno", "客户id", "客户编号"),
    "date": ("orderdate", "订单日期", "下单日期"),
    "due": ("requireddate", "duedate", "要求日期", "交货日期"),
    "product_name": ("productname", "产品名称", "商品名称"),
    "category": ("categoryid", "类别id", "类别编号"),
    "category_name": ("categoryname", "类别名称"),
    "company": ("companyname", "customername", "公司名称", "客户名称"),
}
HEADERS = ("Order ID", "Customer ID", "Customer Name", "Order Date", "Product Name", "Category",
           "Quantity", "Unit Price", "Discount", "Amount")
CENT = Decimal("0.01")


@dataclass
class SalesShape:
    name: str      # the sheet's name: "Orders + Order Details + Products"
    orders: str
    lines: str
    products: str
    columns: dict[str, dict[str, str]]  # table -> role -> column
    customers: Optional[str] = None
    categories: Optional[str] = None


def _fold(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", name).casefold()


def _roles(columns) -> dict[str, str]:
    found: dict[str, str] = {}
    for column, _kind in columns:
        folded = _fold(column)
        for role, names in ROLES.items():
            if folded in names and role not in found:
                found[role] = column
    return found


def _pick(candidates: list[str], hint: str) -> Optional[str]:
    """The table named like ``hint`` (Orders before a copy called Umsätze), else the first."""
    if not candidates:
        return None
    named = [c for c in candidates if hint in _fold(c)]
    return (named or sorted(candidates))[0]


def find_sales_shape(tables: dict) -> Optional[SalesShape]:
    """The orders, lines and products tables among ``tables`` (name -> Table), or None."""
    roles = {name: _roles(table.columns) for name, table in tables.items()}

    def having(*needed: str, without: tuple[str, ...] = ()) -> list[str]:
        return [n for n, r in roles.items() if all(k in r for k in needed) and not any(k in r for k in without)]

    lines = _pick(having("order", "product", "quantity", "price"), "detail")
    orders = _pick(having("order", "customer", "date", without=("quantity",)), "order")
    products = _pick(having("product", "product_name", without=("order",)), "product")
    if not (lines and orders and products):
        return None
    customers = _pick(having("customer", "company", without=("order",)), "customer")
    categories = _pick(having("category", "category_name", without=("product",)), "categor")
    if categories is not None and "category" not in roles[products]:
        categories = None
    used = [orders, lines, products]
    columns = {name: roles[name] for name in used + [c for c in (customers, categories) if c]}
    return SalesShape(" + ".join(used), orders, lines, products, columns, customers, categories)


def _table(source, shape: SalesShape, name: Optional[str], key: str) -> dict[Any, dict[str, Any]]:
    if name is None:
        return {}
    column = shape.columns[name][key]
    return {record.get(column): record for record in source.records(name)}


def amount(price: Any, quantity: Any, discount: Any) -> Optional[Decimal]:
    """UnitPrice × Quantity × (1 − Discount), to the cent; None when a factor is missing."""
    try:
        price, quantity = Decimal(str(price)), Decimal(str(quantity))
        off = Decimal(str(discount)) if discount not in (None, "") else Decimal(0)
    except ArithmeticError:
        return None
    if off > 1:  # a discount written as a percentage (15 for 15 %)
        off = off / 100
    return (price * quantity * (1 - off)).quantize(CENT, rounding=ROUND_HALF_UP)


def sales_rows(source, shape: SalesShape) -> Iterator[tuple[int, list[Any]]]:
    """Row 1: the headers; then one row a line, in the lines table's order."""
    c = shape.columns
    orders = _table(source, shape, shape.orders, "order")
    products = _table(source, shape, shape.products, "product")
    customers = _table(source, shape, shape.customers, "customer")
    categories = _table(source, shape, shape.categories, "category")
    yield 1, list(HEADERS)
    number = 1
    for line in source.records(shape.lines):
        number += 1
        order = orders.get(line.get(c[shape.lines]["order"]), {})
        product = products.get(line.get(c[shape.lines]["product"]), {})
        customer_id = order.get(c[shape.orders]["customer"])
        customer = customers.get(customer_id, {})
        category = categories.get(product.get(c[shape.products].get("category", "")), {})
        price = line.get(c[shape.lines]["price"])
        quantity = line.get(c[shape.lines]["quantity"])
        discount = line.get(c[shape.lines].get("discount", ""))
        yield number, [
            line.get(c[shape.lines]["order"]),
            customer_id,
            customer.get(c[shape.customers]["company"]) if shape.customers else None,
            order.get(c[shape.orders]["date"]),
            product.get(c[shape.products]["product_name"]),
            category.get(c[shape.categories]["category_name"]) if shape.categories else None,
            quantity,
            price,
            discount,
            _number(amount(price, quantity, discount)),
        ]


def _number(value: Optional[Decimal]) -> Optional[float]:
    return None if value is None else float(value)


def _day(value: Any) -> Optional[dt.date]:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def sales_warnings(source, shape: SalesShape) -> list[CrmError]:
    """Orders due before they were placed (dates whose day and month were swapped), and the
    dates the tables could not give."""
    warnings = [w for name in (shape.orders, shape.lines, shape.products) for w in source.warnings(name)]
    due = shape.columns[shape.orders].get("due")
    if due is None:
        return warnings
    date_column = shape.columns[shape.orders]["date"]
    orders = early = 0
    for order in source.records(shape.orders):
        orders += 1
        placed, wanted = _day(order.get(date_column)), _day(order.get(due))
        if placed is not None and wanted is not None and wanted < placed:
            early += 1
    if early:
        warnings.append(CrmError("access_due_before_placed", count=early, orders=orders))
    return warnings
