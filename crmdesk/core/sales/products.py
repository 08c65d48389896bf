"""The product list (code, name, category, unit, list price, active), sorted by pinyin, and
built up from what has been sold: on first use the names and categories already in the
lines become products, and a sale that names a new product adds it.

A line points at its product (``product_ref``); a spelling variant merged into another
product keeps pointing at it through ``merged_into``."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable, Mapping, Optional

from crmdesk.core.changes import CREATED, DELETED, RESTORED, UPDATED, Changes
from crmdesk.core.db import transaction
from crmdesk.core.errors import CrmError, FieldError, ValidationError
from crmdesk.core.io import normalize
from crmdesk.core.models import Product, Setting, Transaction, database, new_uuid, utcnow
from crmdesk.core.search.keys import pinyin_keys
from crmdesk.core import history

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
    """Product ids by name; a merged variant's name leads to the product it was merged into."""
    found = {}
    for name, pid, merged in database.execute_sql(
            "SELECT name, id, merged_into_id FROM product WHERE deleted_at IS NULL "
            "ORDER BY merged_into_id IS NULL, id DESC"):
        found[name] = merged or pid  # the live product of a name wins over a variant's
    return found


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


def adopt_batch(batch_id: int) -> list[int]:
    """The new names of an import's lines become products, and its lines point at theirs
    (once the list was built; before that its first use does it for all)."""
    if Setting.get_or_none(Setting.key == ADOPTED_KEY) is None:
        return []
    known = _live_by_name()
    sold = database.execute_sql("SELECT product, max(category) FROM transactions WHERE batch_id = ? "
                                "AND product != '' GROUP BY product", (batch_id,)).fetchall()
    created = _insert({name: category or "" for name, category in sold if name not in known})
    known.update(created)
    cursor = database.cursor()
    cursor.executemany("UPDATE transactions SET product_id = ? WHERE batch_id = ? AND product = ?",
                       [(known[name], batch_id, name) for name, _category in sold if name in known])
    return sorted(created.values())


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


# ---------------------------------------------------------------- editing

@dataclass(frozen=True)
class Merge:
    """What a merge did, so that one undo step takes it back: the product kept, the variants
    merged into it, and each line moved (id, its product before, its product text before)."""
    keep: int
    variants: tuple[int, ...]
    moved: tuple[tuple[int, Optional[int], str], ...]


TEXTS = {"code": 40, "name": 200, "category": 100, "unit": 20, "notes": 5000}


def get(product_id: int) -> Product:
    product = Product.get_or_none(Product.id == product_id)
    if product is None or product.deleted_at is not None:
        raise CrmError("product_not_found")
    return product


def validate(raw: Mapping[str, Any], exclude: Optional[int] = None, unique: bool = True) -> dict[str, Any]:
    """The product's values, checked; ``unique``: its name and code are no other product's."""
    errors: dict[str, FieldError] = {}
    clean: dict[str, Any] = {}
    for key, limit in TEXTS.items():
        text = (raw.get(key) or "").strip() if key == "notes" else normalize.text(raw.get(key), collapse=True)
        if len(text) > limit:
            errors[key] = FieldError("too_long", key, max=limit)
        clean[key] = text
    if not clean["name"]:
        errors["name"] = FieldError("required", "name")
    try:
        clean["list_price"] = normalize.money(raw.get("list_price"), minimum=Decimal(0))
    except FieldError as error:
        errors["list_price"] = FieldError(error.code, "list_price")
    clean["active"] = bool(raw.get("active", True))
    live = Product.select().where(Product.deleted_at.is_null() & Product.merged_into.is_null())
    if exclude is not None:
        live = live.where(Product.id != exclude)
    if unique and clean["name"] and "name" not in errors and live.where(Product.name == clean["name"]).exists():
        errors["name"] = FieldError("product_name_taken", "name", name=clean["name"])
    if unique and clean["code"] and live.where(Product.code == clean["code"]).exists():
        errors["code"] = FieldError("product_code_taken", "code", code=clean["code"])
    if errors:
        raise ValidationError(errors)
    clean["sort_name"], clean["name_initials"] = (k[:n] for k, n in zip(keys(clean["name"]), (400, 200)))
    return clean


def _log(product: Product, action: str, changed=(), summary: Optional[str] = None, batch=None) -> None:
    entries = [history.Entry(ENTITY, product.id, product.uuid, None, action, key, old, new)
               for key, old, new in changed]
    if summary is not None:
        entries.append(history.Entry(ENTITY, product.id, product.uuid, None, action, "", None, summary))
    history.write(entries, batch)


def create(raw: Mapping[str, Any], batch=None) -> tuple[int, Changes]:
    with transaction():
        clean = validate(raw)
        product = Product.create(batch=batch, **clean)
        _log(product, CREATED, summary=product.name, batch=batch)
    return product.id, Changes(ENTITY, CREATED, (product.id,))


def update(product_id: int, raw: Mapping[str, Any], batch=None) -> Changes:
    """Change a product; the lines sold under its old name take the new one."""
    with transaction():
        product = get(product_id)
        clean = validate({**{k: getattr(product, k) for k in (*TEXTS, "list_price", "active")}, **raw},
                         exclude=product_id)
        changed = history.diff({k: getattr(product, k) for k in clean}, clean)
        changed = [c for c in changed if c[0] not in ("sort_name", "name_initials")]
        if not changed:
            return Changes(ENTITY, UPDATED, ())
        Product.update(**clean, updated_at=utcnow()).where(Product.id == product_id).execute()
        if clean["name"] != product.name:
            Transaction.update(product=clean["name"]).where(Transaction.product_ref == product_id).execute()
        _log(product, UPDATED, changed, batch=batch)
    return Changes(ENTITY, UPDATED, (product_id,))


def set_active(product_ids: Iterable[int], active: bool) -> Changes:
    ids = tuple(product_ids)
    with transaction():
        for product in Product.select().where(Product.id.in_(ids) & (Product.active != active)):
            _log(product, UPDATED, [("active", product.active, active)])
        Product.update(active=active, updated_at=utcnow()).where(Product.id.in_(ids)).execute()
    return Changes(ENTITY, UPDATED, ids)


def delete(product_ids: Iterable[int]) -> list[Changes]:
    """Delete products softly (the lines sold keep their names; ``restore`` brings them back)."""
    ids = tuple(product_ids)
    with transaction():
        for product in Product.select().where(Product.id.in_(ids) & Product.deleted_at.is_null()):
            _log(product, DELETED, summary=product.name)
        Product.update(deleted_at=utcnow()).where(Product.id.in_(ids)).execute()
    return [Changes(ENTITY, DELETED, ids)]


def restore(product_ids: Iterable[int]) -> list[Changes]:
    ids = tuple(product_ids)
    with transaction():
        for product in Product.select().where(Product.id.in_(ids) & Product.deleted_at.is_null(False)):
            _log(product, RESTORED, summary=product.name)
        Product.update(deleted_at=None).where(Product.id.in_(ids)).execute()
    return [Changes(ENTITY, RESTORED, ids)]


def merge(keep: int, variants: Iterable[int]) -> tuple[Merge, list[Changes]]:
    """Merge spelling variants into ``keep``: their lines point at it (and take its name),
    the variants are marked merged; ``unmerge`` takes it back."""
    variants = tuple(v for v in dict.fromkeys(variants) if v != keep)
    if not variants:
        raise CrmError("product_merge_needs_two")
    with transaction():
        kept = get(keep)
        found = list(Product.select().where(Product.id.in_(variants) & Product.deleted_at.is_null()
                                            & Product.merged_into.is_null()))
        if len(found) != len(variants):
            raise CrmError("product_not_found")
        names = {p.id: p.name for p in found}
        moved = tuple((line_id, pid, text) for line_id, pid, text in database.execute_sql(
            f"SELECT id, product_id, product FROM transactions WHERE product_id IN ({','.join('?' * len(variants))}) "
            "OR (product_id IS NULL AND product IN (" + ",".join("?" * len(names)) + "))",
            [*variants, *names.values()]))
        line_ids = [m[0] for m in moved]
        for start in range(0, len(line_ids), 500):
            chunk = line_ids[start:start + 500]
            Transaction.update(product_ref=keep, product=kept.name).where(Transaction.id.in_(chunk)).execute()
        Product.update(merged_into=keep, updated_at=utcnow()).where(Product.id.in_(variants)).execute()
        for product in found:
            _log(product, UPDATED, [("merged_into", None, kept.name)])
    result = Merge(keep, variants, moved)
    return result, _merge_changes(result)


def unmerge(result: Merge) -> list[Changes]:
    with transaction():
        Product.update(merged_into=None, updated_at=utcnow()).where(Product.id.in_(result.variants)).execute()
        for line_id, pid, text in result.moved:
            Transaction.update(product_ref=pid, product=text).where(Transaction.id == line_id).execute()
        for product in Product.select().where(Product.id.in_(result.variants)):
            _log(product, UPDATED, [("merged_into", get(result.keep).name, None)])
    return _merge_changes(result)


def _merge_changes(result: Merge) -> list[Changes]:
    return [Changes(ENTITY, DELETED, result.variants), Changes(ENTITY, UPDATED, (result.keep,)),
            Changes("transaction", UPDATED, tuple(m[0] for m in result.moved))]
