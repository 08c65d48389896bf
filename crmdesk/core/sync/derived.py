"""What each laptop works out itself from the records it holds, rather than receive: a
customer's search text, pinyin keys and tag rows (``search.customer_text``), a product's
pinyin keys, a customer's last and next visit and satisfaction."""
from __future__ import annotations

from typing import Iterable, Optional

from crmdesk.core.models import database
from crmdesk.core.search import customer_text

# The customer fields its search text, pinyin keys and tag rows are made of: a pull that
# changes none of them (a note, a stage) leaves those alone.
DERIVED_FROM = frozenset({"name", "code", "contact_person", "mobile", "phone", "city", "district", "email",
                          "wechat", "tags"})
# The customer's derived columns. They travel only in a first upload, with ``derived_of``,
# the key of what they were worked out from: a download keeps them when the customer and
# its contacts still give that key, and works them out again otherwise.
DERIVED = ("sort_name", "name_initials", "search_text")


def visit_dates(customer_ids: Iterable[Optional[int]], every_satisfaction: bool = False) -> None:
    """The customers' last visit made and next visit planned, and their satisfaction from
    the complaints' surveys, from what this laptop holds now (they do not travel: see
    ``entities.CUSTOMER_LOCAL_ONLY``)."""
    from crmdesk.core.complaints import aftercare
    from crmdesk.core.visits import visits
    ids = [i for i in customer_ids if i is not None]
    visits.refresh_customers(ids)
    if every_satisfaction:
        aftercare.refresh_satisfaction()  # one statement for every customer with a survey
        return
    for customer_id in ids:
        aftercare.refresh_satisfaction(customer_id)


def refresh(customer_ids: Iterable[int], product_ids: Iterable[int] = (), trusted: Optional[dict] = None) -> None:
    """What each laptop derives itself, in bulk: the customers' search text, pinyin keys and
    tag rows (``customer_text.refresh``), the products' pinyin keys."""
    from crmdesk.core.sales import products
    customer_text.refresh(customer_ids, trusted)
    names = list(product_ids)
    if names:
        rows = []
        for start in range(0, len(names), 500):
            chunk = names[start:start + 500]
            found = database.execute_sql(f"SELECT id, name FROM product WHERE id IN ({','.join('?' * len(chunk))})", chunk)
            rows += [(*(k[:n] for k, n in zip(products.keys(name), (400, 200))), product_id) for product_id, name in found]
        database.cursor().executemany("UPDATE product SET sort_name = ?, name_initials = ? WHERE id = ?", rows)
