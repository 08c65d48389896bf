"""The product list (code, name, category, unit, list price, active), sorted by pinyin, and
built up from what has been sold: on first use the names and categories already in the
lines become products, and a sale that names a new product adds it.

A line points at its product (``product_ref``); a spelling variant merged into another
product keeps pointing at it through ``merged_into``."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional

from crmdesk.core.changes import CREATED, Changes
from crmdesk.core.db import transaction
from crmdesk.core.models import Product, Setting, Transaction, database, new_uuid, utcnow
from crmdesk.core.search_keys import pinyin_keys

ENTITY = "product"
ADOPTED_KEY = "sales.products_adopted"  # set once the lines' names became products


@dataclass(frozen=True)
class Choice:
    """A product the sale dialog offers as it is typed."""
    id: Optional[int]
    name: str
    code: str
    category: str
    unit_price: Optional[object]  # the list price, a Decimal
    keys: str  # lower-case name, code, pinyin and initials: what typing matches


def keys(name: str) -> tuple[str, str]:
    return pinyin_keys(name)


def _live_by_name() -> dict[str, int]:
    return {name: pid for name, pid in database.execute_sql(
        "SELECT name, id FROM product WHERE deleted_at IS NULL AND merged_into_id IS NULL ORDER BY id DESC")}


def _insert(names: dict[str, str]) -> dict[str, int]:
    """New products for ``names`` (name → category), their ids by name."""
    if not names:
        return {}
    now = utcnow()
    rows = []
    for name, category in names.items():
        full, initials = keys(name)
        rows.append(dict(uuid=new_uuid(), created_at=now, updated_at=now, name=name, category=category,
                         sort_name=full[:400], name_initials=initials[:200]))
    for start in range(0, len(rows), 500):
        Product.insert_many(rows[start:start + 500]).execute()
    found = _live_by_name()
    return {name: found[name] for name in names if name in found}


def adopt_lines(lines: Iterable) -> list[int]:
    """Point each clean line without a product at the product of its name, creating the
    products not on the list yet; the ids created."""
    lines = [line for line in lines if line.product_id is None and line.product]
    if not lines:
        return []
    known = _live_by_name()
    missing = {}
    for line in lines:
        if line.product not in known:
            missing.setdefault(line.product, line.category)
    created = _insert(missing)
    known.update(created)
    for line in lines:
        line.product_id = known.get(line.product)
    return sorted(created.values())


def adopt_sold(force: bool = False) -> Changes:
    """The names in the lines become products (once: on the product list's first use),
    and the lines point at them."""
    with transaction():
        if not force and Setting.get_or_none(Setting.key == ADOPTED_KEY) is not None:
            return Changes(ENTITY, CREATED, ())
        known = _live_by_name()
        sold = database.execute_sql(
            "SELECT product, max(category) FROM transactions WHERE deleted_at IS NULL AND product != '' "
            "GROUP BY product").fetchall()
        created = _insert({name: category or "" for name, category in sold if name not in known})
        known.update(created)
        database.execute_sql(
            "UPDATE transactions SET product_id = (SELECT p.id FROM product p WHERE p.name = transactions.product "
            "AND p.deleted_at IS NULL AND p.merged_into_id IS NULL ORDER BY p.id DESC LIMIT 1) "
            "WHERE product_id IS NULL AND product != ''")
        Setting.insert(key=ADOPTED_KEY, value="true").on_conflict_replace().execute()
    return Changes(ENTITY, CREATED, tuple(sorted(created.values())))


def choices(limit: int = 5000) -> list[Choice]:
    """The products to pick from (live, active), then names sold that are not products."""
    rows = database.execute_sql(
        "SELECT id, name, code, category, list_price, sort_name, name_initials FROM product "
        "WHERE deleted_at IS NULL AND merged_into_id IS NULL AND active = 1 ORDER BY sort_name, id LIMIT ?",
        (limit,)).fetchall()
    found = [Choice(pid, name, code, category, None if price is None else Product.list_price.python_value(price),
                    " ".join((name.casefold(), code.casefold(), full, initials)))
             for pid, name, code, category, price, full, initials in rows]
    names = {c.name for c in found}
    for name, category in database.execute_sql(
            "SELECT product, max(category) FROM transactions "
            "WHERE deleted_at IS NULL AND product != '' GROUP BY product LIMIT ?", (limit,)):
        if name not in names:
            full, initials = keys(name)
            found.append(Choice(None, name, "", category or "", None, " ".join((name.casefold(), full, initials))))
    return found


def matching(choices_: list[Choice], typed: str) -> list[Choice]:
    """The choices whose name, code, pinyin or initials contain what was typed."""
    text = typed.strip().casefold().replace(" ", "")
    if not text:
        return list(choices_)
    return [c for c in choices_ if text in c.keys]


def line_count(product_id: int) -> int:
    return Transaction.select().where((Transaction.product_ref == product_id)
                                      & Transaction.deleted_at.is_null()).count()
