"""What each laptop works out itself from the records it holds, rather than receive: a
customer's search text, pinyin keys and tag rows, a product's pinyin keys, a customer's
last and next visit and satisfaction; and the key that tells whether derived columns that
arrived with a first upload still hold."""
from __future__ import annotations

import hashlib
from typing import Iterable, Optional

from crmdesk.core import custom_fields
from crmdesk.core.models import database

# The customer fields its search text, pinyin keys and tag rows are made of: a pull that
# changes none of them (a note, a stage) leaves those alone.
DERIVED_FROM = frozenset({"name", "code", "contact_person", "mobile", "phone", "city", "district", "email",
                          "wechat", "tags"})
# The customer's derived columns. They travel only in a first upload, with ``derived_of``,
# the key of what they were worked out from: a download keeps them when the customer and
# its contacts still give that key, and works them out again otherwise.
DERIVED = ("sort_name", "name_initials", "search_text")


def derived_key(values: Iterable, contact_parts: Iterable) -> str:
    """The key of what a customer's derived columns are worked out from: its searched
    columns and its contacts' names and phones (in any order)."""
    text = "\x1f".join("" if v is None else str(v) for v in values) + "\x1e" + \
        "\x1f".join(sorted("" if p is None else str(p) for p in contact_parts))
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def contact_parts(customer_ids: list[int]) -> dict[int, list[str]]:
    """The contacts' names and phones of each customer, and its custom text values, as its
    search text holds them besides its own columns."""
    parts: dict[int, list[str]] = {}
    for start in range(0, len(customer_ids), 500):
        chunk = customer_ids[start:start + 500]
        for customer_id, name, mobile, phone in database.execute_sql(
                f"SELECT customer_id, name, mobile, phone FROM contact WHERE customer_id IN ({','.join('?' * len(chunk))}) "
                "AND deleted_at IS NULL ORDER BY id", chunk):
            parts.setdefault(customer_id, []).extend((name, mobile, phone))
    for customer_id, texts in custom_fields.search_texts(customer_ids).items():
        parts.setdefault(customer_id, []).extend(texts)
    return parts


def visit_dates(customer_ids: Iterable[Optional[int]], every_satisfaction: bool = False) -> None:
    """The customers' last visit made and next visit planned, and their satisfaction from
    the complaints' surveys, from what this laptop holds now (they do not travel: see
    ``entities.CUSTOMER_LOCAL_ONLY``)."""
    from crmdesk.core.complaints import flow as complaint_flow
    from crmdesk.core.visits import visits
    ids = [i for i in customer_ids if i is not None]
    visits.refresh_customers(ids)
    if every_satisfaction:
        complaint_flow.refresh_satisfaction()  # one statement for every customer with a survey
        return
    for customer_id in ids:
        complaint_flow.refresh_satisfaction(customer_id)


def refresh(customer_ids: Iterable[int], product_ids: Iterable[int] = (), trusted: Optional[dict] = None) -> None:
    """What each laptop derives itself, in bulk: the customers' search text, pinyin keys and
    tag rows, the products' pinyin keys (row by row through the services this took 8 of a
    download's 11 seconds). ``trusted``: customer id -> the key of the derived columns it
    arrived with; those still right are kept (the pinyin took 2.4 of a 10,000-customer
    download's 8 seconds)."""
    from crmdesk.core.sales import products
    from crmdesk.core.customers import archive as customers
    ids = sorted(customer_ids)
    columns = ", ".join(f'"{c}"' for c in customers.SEARCHED)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        parts = contact_parts(chunk)
        derived, tags = [], []
        for row in database.execute_sql(f"SELECT id, tags, {columns} FROM customer WHERE id IN ({marks})", chunk):
            tags += [(row[0], t.strip()) for t in (row[1] or "").split(",") if t.strip()]
            if trusted and trusted.get(row[0]) == derived_key(row[2:], parts.get(row[0], [])):
                continue
            values = customers.derived_columns(dict(zip(customers.SEARCHED, row[2:])), parts.get(row[0], []))
            derived.append((values["sort_name"], values["name_initials"], values["search_text"], row[0]))
        database.cursor().executemany(
            "UPDATE customer SET sort_name = ?, name_initials = ?, search_text = ? WHERE id = ?", derived)
        database.execute_sql(f"DELETE FROM customer_tag WHERE customer_id IN ({marks})", chunk)
        database.cursor().executemany("INSERT INTO customer_tag (customer_id, tag) VALUES (?, ?)", tags)
    names = list(product_ids)
    if names:
        rows = []
        for start in range(0, len(names), 500):
            chunk = names[start:start + 500]
            found = database.execute_sql(f"SELECT id, name FROM product WHERE id IN ({','.join('?' * len(chunk))})", chunk)
            rows += [(*(k[:n] for k, n in zip(products.keys(name), (400, 200))), product_id) for product_id, name in found]
        database.cursor().executemany("UPDATE product SET sort_name = ?, name_initials = ? WHERE id = ?", rows)
